/* two_models.c - Two models compiled by qcc, linked into one program.
 *
 * Build:  qcc models/lenet5_mnist.onnx --name lenet -o out/lenet
 *         qcc models/lenet5_binary_mnist.onnx --quant auto --name blenet \
 *             -o out/blenet
 *         cc two_models.c -Iout/lenet -Iout/blenet -Lout/lenet -Lout/blenet \
 *            -llenet -lblenet -lz -Wl,-rpath,out/lenet -Wl,-rpath,out/blenet \
 *            -o two_models
 * Run:    ./two_models IMAGES.idx[.gz] LABELS.idx[.gz]
 *
 * Each library exports only its entry point (lenet_run, blenet_run), so the
 * float LeNet and its binary twin live side by side. Both classify the same
 * images; the program prints every prediction of each, prefixed with the
 * model's name, and both accuracies. */
#include "blenet.h"
#include "idx.h"
#include "lenet.h"

#include <stdio.h>
#include <stdlib.h>

#if LENET_INPUT_SIZE != BLENET_INPUT_SIZE ||                                   \
    LENET_OUTPUT_SIZE != BLENET_OUTPUT_SIZE
#error "the two models must take the same images and give the same classes"
#endif

enum { BATCH = 100, PIXELS = LENET_INPUT_SIZE, CLASSES = LENET_OUTPUT_SIZE };

typedef int (*run_fn)(const float *input, float *output, int batch);

/* Index of the largest of the CLASSES scores in `row`. */
static unsigned argmax(const float *row) {
  unsigned k, best = 0;
  for (k = 1; k < CLASSES; ++k)
    if (row[k] > row[best])
      best = k;
  return best;
}

int main(int argc, char **argv) {
  static const char *names[2] = {"lenet", "blenet"};
  static const run_fn runs[2] = {lenet_run, blenet_run};
  unsigned n, i, j, m, correct[2] = {0, 0};
  unsigned char *images, *labels;
  float *input, *output;
  if (argc != 3) {
    fprintf(stderr, "usage: %s IMAGES LABELS\n", argv[0]);
    return 2;
  }
  if (!read_dataset("two_models", argv[1], argv[2], PIXELS, &images, &labels,
                    &n))
    return 1;
  input = malloc(sizeof(float) * BATCH * PIXELS);
  output = malloc(sizeof(float) * BATCH * CLASSES);
  for (i = 0; i < n; i += BATCH) {
    unsigned batch = n - i < BATCH ? n - i : BATCH;
    for (j = 0; j < batch * PIXELS; ++j)
      input[j] = images[(size_t)i * PIXELS + j] / 255.0f;
    for (m = 0; m < 2; ++m) {
      if (runs[m](input, output, (int)batch) != 0) {
        fprintf(stderr, "two_models: %s_run failed\n", names[m]);
        return 1;
      }
      for (j = 0; j < batch; ++j) {
        unsigned best = argmax(output + (size_t)j * CLASSES);
        printf("%s: image %u: predicted %u, label %u\n", names[m], i + j, best,
               labels[i + j]);
        correct[m] += best == labels[i + j];
      }
    }
  }
  for (m = 0; m < 2; ++m)
    printf("%s accuracy: %.4f (%u/%u)\n", names[m], (double)correct[m] / n,
           correct[m], n);
  free(input);
  free(output);
  free(images);
  free(labels);
  return 0;
}
