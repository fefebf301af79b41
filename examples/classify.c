/* classify.c - Classify MNIST-format images with a model compiled by qcc.
 *
 * Build:  qcc models/lenet5_mnist.onnx --target cpu -o out
 *         cc classify.c -Iout -Lout -lmodel -lz -Wl,-rpath,out -o classify
 * Run:    ./classify IMAGES.idx[.gz] LABELS.idx[.gz]
 *
 * Reads IDX images (pixels scaled to [0,1]) and labels, runs the model in
 * batches through model_run(), and prints each prediction and the
 * accuracy. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

/* Reads an unsigned-byte IDX file; returns the data and its item count. */
static unsigned char *read_idx(const char *path, unsigned *count,
                               unsigned *item_size) {
  gzFile f = gzopen(path, "rb");
  unsigned char header[4], dim[4];
  unsigned rank, i, size = 1;
  unsigned char *data;
  if (!f) {
    fprintf(stderr, "classify: cannot open %s\n", path);
    return NULL;
  }
  if (gzread(f, header, 4) != 4 || header[2] != 0x08 || header[3] < 1) {
    fprintf(stderr, "classify: %s is not an unsigned-byte IDX file\n", path);
    gzclose(f);
    return NULL;
  }
  rank = header[3];
  for (i = 0; i < rank; ++i) {
    unsigned d;
    if (gzread(f, dim, 4) != 4) {
      fprintf(stderr, "classify: %s: truncated header\n", path);
      gzclose(f);
      return NULL;
    }
    d = (unsigned)dim[0] << 24 | dim[1] << 16 | dim[2] << 8 | dim[3];
    if (i == 0)
      *count = d;
    else
      size *= d;
  }
  *item_size = size;
  data = malloc((size_t)*count * size);
  if (!data || gzread(f, data, *count * size) != (int)(*count * size)) {
    fprintf(stderr, "classify: %s: truncated data\n", path);
    free(data);
    gzclose(f);
    return NULL;
  }
  gzclose(f);
  return data;
}

int main(int argc, char **argv) {
  enum { BATCH = 100 };
  unsigned n, pixels, labels_n, one, i, j, correct = 0;
  unsigned char *images, *labels;
  float *input, *output;
  if (argc != 3) {
    fprintf(stderr, "usage: %s IMAGES LABELS\n", argv[0]);
    return 2;
  }
  images = read_idx(argv[1], &n, &pixels);
  labels = read_idx(argv[2], &labels_n, &one);
  if (!images || !labels || labels_n != n || pixels != MODEL_INPUT_SIZE)
    return 1;
  input = malloc(sizeof(float) * BATCH * MODEL_INPUT_SIZE);
  output = malloc(sizeof(float) * BATCH * MODEL_OUTPUT_SIZE);
  for (i = 0; i < n; i += BATCH) {
    unsigned batch = n - i < BATCH ? n - i : BATCH;
    for (j = 0; j < batch * MODEL_INPUT_SIZE; ++j)
      input[j] = images[(size_t)i * MODEL_INPUT_SIZE + j] / 255.0f;
    if (model_run(input, output, (int)batch) != 0) {
      fprintf(stderr, "classify: model_run failed\n");
      return 1;
    }
    for (j = 0; j < batch; ++j) {
      const float *row = output + (size_t)j * MODEL_OUTPUT_SIZE;
      unsigned k, best = 0;
      for (k = 1; k < MODEL_OUTPUT_SIZE; ++k)
        if (row[k] > row[best])
          best = k;
      printf("image %u: predicted %u, label %u\n", i + j, best, labels[i + j]);
      correct += best == labels[i + j];
    }
  }
  printf("accuracy: %.4f (%u/%u)\n", (double)correct / n, correct, n);
  free(input);
  free(output);
  free(images);
  free(labels);
  return 0;
}
