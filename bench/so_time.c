/* so_time.c - Times a qcc library through its context API.
 *
 * Usage: so_time LIBRARY NAME INPUT_FLOATS OUTPUT_FLOATS BATCH THREADS
 *                REPEATS
 * (INPUT_FLOATS and OUTPUT_FLOATS: per item, as <NAME>.h's macros say)
 *
 * Loads LIBRARY (built by `qcc --name NAME`), creates a context for BATCH
 * items on THREADS threads, runs it once to warm up and then REPEATS times
 * on one batch of random inputs, and prints the median, minimum and maximum
 * milliseconds per image as JSON, as bench/ort_time.js does. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef void *(*create_fn)(int, int);
typedef int (*run_fn)(void *, const float *, float *, int);
typedef void (*destroy_fn)(void *);

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void *symbol(void *library, const char *name, const char *suffix) {
  char full[256];
  void *address;
  snprintf(full, sizeof full, "%s%s", name, suffix);
  address = dlsym(library, full);
  if (!address) {
    fprintf(stderr, "so_time: %s not found\n", full);
    exit(1);
  }
  return address;
}

int main(int argc, char **argv) {
  void *library, *context;
  long item, outputItem, i;
  int batch, threads, repeats, r;
  float *input, *output;
  double *times;
  if (argc != 8) {
    fprintf(stderr, "usage: %s LIBRARY NAME INPUT_FLOATS OUTPUT_FLOATS BATCH "
                    "THREADS REPEATS\n", argv[0]);
    return 2;
  }
  library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    fprintf(stderr, "so_time: %s\n", dlerror());
    return 1;
  }
  item = atol(argv[3]);
  outputItem = atol(argv[4]);
  batch = atoi(argv[5]);
  threads = atoi(argv[6]);
  repeats = atoi(argv[7]);
  if (item < 1 || outputItem < 1 || batch < 1 || threads < 1 || repeats < 1) {
    fprintf(stderr, "so_time: sizes and counts must be positive\n");
    return 2;
  }
  context = ((create_fn)symbol(library, argv[2], "_create"))(batch, threads);
  if (!context) {
    fprintf(stderr, "so_time: %s_create failed\n", argv[2]);
    return 1;
  }
  input = malloc(sizeof(float) * item * batch);
  output = malloc(sizeof(float) * outputItem * batch);
  times = malloc(sizeof(double) * repeats);
  srand(1);
  for (i = 0; i < item * batch; ++i)
    input[i] = (float)rand() / RAND_MAX;
  run_fn run = (run_fn)symbol(library, argv[2], "_run_context");
  for (r = -1; r < repeats; ++r) {
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    if (run(context, input, output, batch) != 0) {
      fprintf(stderr, "so_time: %s_run_context failed\n", argv[2]);
      return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    if (r >= 0)
      times[r] = ((end.tv_sec - start.tv_sec) * 1e3 +
                  (end.tv_nsec - start.tv_nsec) / 1e6) / batch;
  }
  qsort(times, repeats, sizeof(double), compare);
  printf("{\"median\":%g,\"min\":%g,\"max\":%g}\n", times[repeats / 2],
         times[0], times[repeats - 1]);
  ((destroy_fn)symbol(library, argv[2], "_destroy"))(context);
  return 0;
}
