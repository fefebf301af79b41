//===- ModelContext.cpp - Contexts of the libraries qcc builds ------------===//
//
// Implements ModelContext.h: per-thread workspaces allocated once at
// creation, and a run that gives each thread a contiguous slice of the
// batch (the calling thread takes the first). Written against libc and
// pthreads only, with no C++ runtime, as the libraries that link it.
//
//===----------------------------------------------------------------------===//

#include "runtime/ModelContext.h"

#include <pthread.h>
#include <stdlib.h>

namespace {

/// Alignment of each workspace, as qc-plan-buffers assumes.
constexpr int64_t kAlignment = 64;
/// Threads of one context at most; more are clamped to this.
constexpr int32_t kMaxThreads = 64;

struct Context {
  int32_t maxBatch;
  int32_t threads;
  /// One workspace per thread, and its size in bytes.
  void **workspaces;
  int64_t *workspaceBytes;
};

/// One slice of a run, as a thread sees it.
struct Slice {
  qc_rt_invoke_fn invoke;
  const float *input;
  float *output;
  int32_t batch;
  void *workspace;
  int64_t workspaceBytes;
  int32_t status;
};

void *runSlice(void *argument) {
  auto *slice = static_cast<Slice *>(argument);
  slice->status = slice->invoke(slice->input, slice->output, slice->batch,
                                slice->workspace, slice->workspaceBytes);
  return nullptr;
}

/// Items of the largest slice when `batch` items go to `parts` threads.
int64_t getLargestSlice(int64_t batch, int64_t parts) {
  return (batch + parts - 1) / parts;
}

} // namespace

extern "C" void qc_rt_context_destroy(void *handle) {
  auto *context = static_cast<Context *>(handle);
  if (!context)
    return;
  if (context->workspaces)
    for (int32_t t = 0; t < context->threads; ++t)
      free(context->workspaces[t]);
  free(context->workspaces);
  free(context->workspaceBytes);
  free(context);
}

extern "C" void *qc_rt_context_create(int32_t maxBatch, int32_t threads,
                                      int64_t bytesPerItem, int64_t slackBytes,
                                      int32_t fixedBatch) {
  if (maxBatch < 1 || threads < 1 || bytesPerItem < 0 || slackBytes < 0 ||
      (fixedBatch > 0 && maxBatch != fixedBatch))
    return nullptr;
  // A fixed batch cannot be sliced; more threads than items idle.
  if (fixedBatch > 0)
    threads = 1;
  if (threads > maxBatch)
    threads = maxBatch;
  if (threads > kMaxThreads)
    threads = kMaxThreads;
  auto *context = static_cast<Context *>(calloc(1, sizeof(Context)));
  if (!context)
    return nullptr;
  context->maxBatch = maxBatch;
  context->threads = threads;
  context->workspaces = static_cast<void **>(calloc(threads, sizeof(void *)));
  context->workspaceBytes =
      static_cast<int64_t *>(calloc(threads, sizeof(int64_t)));
  if (!context->workspaces || !context->workspaceBytes) {
    qc_rt_context_destroy(context);
    return nullptr;
  }
  int64_t items = getLargestSlice(maxBatch, threads);
  if (bytesPerItem > 0 && items > (INT64_MAX - slackBytes) / bytesPerItem) {
    qc_rt_context_destroy(context);
    return nullptr;
  }
  int64_t bytes = bytesPerItem * items + slackBytes;
  // Rounded up to the alignment, as aligned_alloc requires.
  bytes = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  for (int32_t t = 0; t < threads; ++t) {
    context->workspaces[t] =
        bytes ? aligned_alloc(kAlignment, static_cast<size_t>(bytes)) : nullptr;
    if (bytes && !context->workspaces[t]) {
      qc_rt_context_destroy(context);
      return nullptr;
    }
    context->workspaceBytes[t] = bytes;
  }
  return context;
}

extern "C" int32_t qc_rt_context_run(void *handle, qc_rt_invoke_fn invoke,
                                     const float *input, float *output,
                                     int32_t batch, int64_t inputItem,
                                     int64_t outputItem) {
  auto *context = static_cast<Context *>(handle);
  if (!context || !invoke || !input || !output || batch < 1 ||
      batch > context->maxBatch)
    return -1;
  int32_t parts = batch < context->threads ? batch : context->threads;
  Slice slices[kMaxThreads];
  pthread_t workers[kMaxThreads];
  bool started[kMaxThreads] = {};
  for (int32_t p = 0; p < parts; ++p) {
    int64_t begin = int64_t(batch) * p / parts;
    int64_t end = int64_t(batch) * (p + 1) / parts;
    slices[p] = {invoke,
                 input + begin * inputItem,
                 output + begin * outputItem,
                 static_cast<int32_t>(end - begin),
                 context->workspaces[p],
                 context->workspaceBytes[p],
                 0};
  }
  // Slice 0 runs on the calling thread; a thread that cannot be started
  // runs its slice here too.
  for (int32_t p = 1; p < parts; ++p)
    started[p] =
        pthread_create(&workers[p], nullptr, runSlice, &slices[p]) == 0;
  runSlice(&slices[0]);
  for (int32_t p = 1; p < parts; ++p) {
    if (started[p])
      pthread_join(workers[p], nullptr);
    else
      runSlice(&slices[p]);
  }
  for (int32_t p = 0; p < parts; ++p)
    if (slices[p].status != 0)
      return slices[p].status;
  return 0;
}
