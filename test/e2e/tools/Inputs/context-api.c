/* context-api.c - The context API of a qcc library, from C.
 *
 * Usage: context-api IMAGES LABELS
 *
 * 1. Bad arguments get error codes: create with max_batch or threads below
 *    1 returns NULL; run_context with a null context, input or output, or a
 *    batch outside 1..max_batch returns -1.
 * 2. Two threads run the whole test set concurrently, each through its own
 *    context (one with 1 thread, one with 2), three rounds each, and every
 *    output must equal model_run's bit for bit.
 * 3. Runs allocate nothing: this program replaces malloc and its family
 *    and counts, per thread, the calls made during run_context on a
 *    1-thread context after its first run.
 *    model_run, which has no workspace, must be seen to allocate by the
 *    same count.
 * Prints the predictions of the concurrent runs (for check_predictions.py),
 * the bytes each create allocated, and the allocation counts. */
#include "idx.h"
#include "model.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static __thread long allocations, allocated_bytes;

void *malloc(size_t n) {
  ++allocations, allocated_bytes += (long)n;
  return __libc_malloc(n);
}
void *calloc(size_t m, size_t n) {
  ++allocations, allocated_bytes += (long)(m * n);
  return __libc_calloc(m, n);
}
void *realloc(void *p, size_t n) {
  ++allocations, allocated_bytes += (long)n;
  return __libc_realloc(p, n);
}
void *aligned_alloc(size_t a, size_t n) {
  ++allocations, allocated_bytes += (long)n;
  return __libc_memalign(a, n);
}
void *memalign(size_t a, size_t n) { return aligned_alloc(a, n); }
int posix_memalign(void **p, size_t a, size_t n) {
  *p = aligned_alloc(a, n);
  return *p ? 0 : 12;
}
void free(void *p) { __libc_free(p); }

enum { BATCH = 100, ROUNDS = 3 };
static unsigned count;
static float *inputs, *expected;

struct job {
  int threads;
  float *outputs;
  int failed;
  long run_allocations;
};

static void *run_job(void *argument) {
  struct job *job = argument;
  model_context *context = model_create(BATCH, job->threads);
  unsigned round, i;
  if (!context) {
    job->failed = 1;
    return NULL;
  }
  for (round = 0; round < ROUNDS; ++round)
    for (i = 0; i < count; i += BATCH) {
      /* The second context walks the batches backwards. */
      unsigned at = job->threads == 1 ? i : (count - 1) / BATCH * BATCH - i;
      unsigned batch = count - at < BATCH ? count - at : BATCH;
      long before = allocations;
      if (model_run_context(context, inputs + (size_t)at * MODEL_INPUT_SIZE,
                            job->outputs + (size_t)at * MODEL_OUTPUT_SIZE,
                            (int)batch) != 0)
        job->failed = 1;
      if (round > 0)
        job->run_allocations += allocations - before;
    }
  model_destroy(context);
  return NULL;
}

int main(int argc, char **argv) {
  unsigned char *images, *labels;
  unsigned i, j;
  float probe_in[MODEL_INPUT_SIZE] = {0}, probe_out[MODEL_OUTPUT_SIZE];
  model_context *context;
  struct job jobs[2] = {{1, NULL, 0, 0}, {2, NULL, 0, 0}};
  pthread_t workers[2];
  long bytes;
  int errors = 0;
  if (argc != 3) {
    fprintf(stderr, "usage: %s IMAGES LABELS\n", argv[0]);
    return 2;
  }
  if (!read_dataset("context-api", argv[1], argv[2], MODEL_INPUT_SIZE,
                    &images, &labels, &count))
    return 1;

  /* 1. Bad arguments. */
  errors += model_create(0, 1) != NULL;
  errors += model_create(1, 0) != NULL;
  errors += model_create(-5, -5) != NULL;
  errors += model_run_context(NULL, probe_in, probe_out, 1) != -1;
  model_destroy(NULL);
  bytes = allocated_bytes;
  context = model_create(4, 1);
  printf("create(4, 1) allocated %ld bytes\n", allocated_bytes - bytes);
  bytes = allocated_bytes;
  model_destroy(model_create(4, 2));
  printf("create(4, 2) allocated %ld bytes\n", allocated_bytes - bytes);
  errors += context == NULL;
  errors += model_run_context(context, NULL, probe_out, 1) != -1;
  errors += model_run_context(context, probe_in, NULL, 1) != -1;
  errors += model_run_context(context, probe_in, probe_out, 0) != -1;
  errors += model_run_context(context, probe_in, probe_out, 5) != -1;
  errors += model_run_context(context, probe_in, probe_out, 1) != 0;
  model_destroy(context);
  printf("argument errors: %d\n", errors);

  /* 2. The reference: model_run. */
  inputs = malloc(sizeof(float) * count * MODEL_INPUT_SIZE);
  expected = malloc(sizeof(float) * count * MODEL_OUTPUT_SIZE);
  for (i = 0; i < count * MODEL_INPUT_SIZE; ++i)
    inputs[i] = images[i] / 255.0f;
  bytes = allocations;
  for (i = 0; i < count; i += BATCH) {
    unsigned batch = count - i < BATCH ? count - i : BATCH;
    if (model_run(inputs + (size_t)i * MODEL_INPUT_SIZE,
                  expected + (size_t)i * MODEL_OUTPUT_SIZE, (int)batch)) {
      fprintf(stderr, "context-api: model_run failed\n");
      return 1;
    }
  }
  printf("allocations in model_run: %ld\n", allocations - bytes);
  for (j = 0; j < 2; ++j) {
    jobs[j].outputs = malloc(sizeof(float) * count * MODEL_OUTPUT_SIZE);
    if (pthread_create(&workers[j], NULL, run_job, &jobs[j])) {
      fprintf(stderr, "context-api: cannot start a thread\n");
      return 1;
    }
  }
  for (j = 0; j < 2; ++j) {
    pthread_join(workers[j], NULL);
    printf("context with %d threads: %s, %s\n", jobs[j].threads,
           jobs[j].failed ? "failed" : "ran",
           memcmp(jobs[j].outputs, expected,
                  sizeof(float) * count * MODEL_OUTPUT_SIZE)
               ? "outputs differ from model_run"
               : "outputs equal model_run");
  }
  printf("allocations during runs: %ld\n", jobs[0].run_allocations);
  for (i = 0; i < count; ++i) {
    const float *row = jobs[1].outputs + (size_t)i * MODEL_OUTPUT_SIZE;
    unsigned k, best = 0;
    for (k = 1; k < MODEL_OUTPUT_SIZE; ++k)
      if (row[k] > row[best])
        best = k;
    printf("image %u: predicted %u, label %u\n", i, best, labels[i]);
  }
  return 0;
}
