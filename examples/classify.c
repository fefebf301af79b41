/* classify.c - Classify MNIST-format images with a model compiled by qcc.
 *
 * Build:  qcc models/lenet5_mnist.onnx --target cpu -o out
 *         cc classify.c -Iout -Lout -lmodel -lz -Wl,-rpath,out -o classify
 * (qcc's default --name, model: libmodel.so, model.h and model_run()).
 * Run:    ./classify IMAGES.idx[.gz] LABELS.idx[.gz]
 *
 * Reads IDX images (pixels scaled to [0,1]) and labels, runs the model in
 * batches through model_run(), and prints each prediction and the
 * accuracy. */
#include "idx.h"
#include "model.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  enum { BATCH = 100 };
  unsigned n, i, j, correct = 0;
  unsigned char *images, *labels;
  float *input, *output;
  if (argc != 3) {
    fprintf(stderr, "usage: %s IMAGES LABELS\n", argv[0]);
    return 2;
  }
  if (!read_dataset("classify", argv[1], argv[2], MODEL_INPUT_SIZE, &images,
                    &labels, &n))
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
