//===- ModelContext.cpp - Contexts of the libraries qcc builds ------------===//
//
// Implements ModelContext.h: per-slice workspaces allocated once at
// creation, and a run that gives each of the context's threads a
// contiguous slice of the batch, on the process's one thread pool
// (qc_rt_parallel_for, Halide's pool), so that the ukernels' own parallel
// loops share the same threads. A batch smaller than the thread count runs
// in fewer slices and the kernels split each layer over the pool instead.
// A slice runs in calls of a few items, as many as the buffer plan fits in
// half of L2, so that each layer reads the previous one's output from L2.
// Written against libc only, with no C++ runtime, as the libraries that
// link it.
//
//===----------------------------------------------------------------------===//

#include "runtime/ModelContext.h"

#include "runtime/RuntimeCalls.h"

#include <atomic>
#include <stdlib.h>
#include <unistd.h>

namespace {

/// Alignment of each workspace, as qc-plan-buffers assumes.
constexpr int64_t kAlignment = 64;
/// The L2 size assumed when sysconf cannot tell it.
constexpr int64_t kDefaultL2Bytes = 1 << 20;
/// Threads of one context at most; more are clamped to this.
constexpr int32_t kMaxThreads = 64;

struct Context {
  int32_t maxBatch;
  /// Threads of the pool while this context runs.
  int32_t threads;
  /// Slices a batch is split into at most (one workspace each).
  int32_t slices;
  /// Items per call of the model's entry.
  int32_t itemsPerCall;
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
  /// Items per call of `invoke`, and floats per item of input and output.
  int32_t itemsPerCall;
  int64_t inputItem, outputItem;
  void *workspace;
  int64_t workspaceBytes;
  int32_t status;
};

int32_t runSlice(void *slices, int32_t index) {
  Slice &slice = static_cast<Slice *>(slices)[index];
  for (int32_t begin = 0; begin < slice.batch && slice.status == 0;
       begin += slice.itemsPerCall) {
    int32_t items = slice.batch - begin < slice.itemsPerCall
                        ? slice.batch - begin
                        : slice.itemsPerCall;
    slice.status = slice.invoke(slice.input + begin * slice.inputItem,
                                slice.output + begin * slice.outputItem, items,
                                slice.workspace, slice.workspaceBytes);
  }
  return 0;
}

/// Items of the largest slice when `batch` items go to `parts` threads.
int64_t getLargestSlice(int64_t batch, int64_t parts) {
  return (batch + parts - 1) / parts;
}

} // namespace

extern "C" int64_t qc_rt_items_per_call(int64_t bytesPerItem) {
  // Read once: the C library answers from CPUID, which traps to the
  // hypervisor in a virtual machine, and qc-run asks on every run. A
  // constant-initialized atomic, as this library has no static guards.
  static std::atomic<int64_t> cached{0};
  int64_t budget = cached.load(std::memory_order_relaxed);
  if (budget == 0) {
    long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    budget = (l2 > 0 ? int64_t(l2) : kDefaultL2Bytes) / 2;
    cached.store(budget, std::memory_order_relaxed);
  }
  if (bytesPerItem <= 0 || bytesPerItem >= budget)
    return 1;
  int64_t items = budget / bytesPerItem;
  return items < INT32_MAX ? items : INT32_MAX;
}

extern "C" void qc_rt_context_destroy(void *handle) {
  auto *context = static_cast<Context *>(handle);
  if (!context)
    return;
  if (context->workspaces)
    for (int32_t t = 0; t < context->slices; ++t)
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
  if (threads > kMaxThreads)
    threads = kMaxThreads;
  // A fixed batch cannot be sliced, and there are no more slices than
  // items; the kernels use the remaining threads inside each layer.
  int32_t slices = fixedBatch > 0 ? 1 : threads;
  if (slices > maxBatch)
    slices = maxBatch;
  auto *context = static_cast<Context *>(calloc(1, sizeof(Context)));
  if (!context)
    return nullptr;
  context->maxBatch = maxBatch;
  context->threads = threads;
  context->slices = slices;
  context->workspaces = static_cast<void **>(calloc(slices, sizeof(void *)));
  context->workspaceBytes =
      static_cast<int64_t *>(calloc(slices, sizeof(int64_t)));
  if (!context->workspaces || !context->workspaceBytes) {
    qc_rt_context_destroy(context);
    return nullptr;
  }
  int64_t items = getLargestSlice(maxBatch, slices);
  if (fixedBatch == 0) {
    int64_t perCall = qc_rt_items_per_call(bytesPerItem);
    items = perCall < items ? perCall : items;
  }
  context->itemsPerCall = static_cast<int32_t>(items);
  if (bytesPerItem > 0 && items > (INT64_MAX - slackBytes) / bytesPerItem) {
    qc_rt_context_destroy(context);
    return nullptr;
  }
  int64_t bytes = bytesPerItem * items + slackBytes;
  // Rounded up to the alignment, as aligned_alloc requires.
  bytes = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  for (int32_t t = 0; t < slices; ++t) {
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
  int32_t parts = batch < context->slices ? batch : context->slices;
  Slice slices[kMaxThreads];
  for (int32_t p = 0; p < parts; ++p) {
    int64_t begin = int64_t(batch) * p / parts;
    int64_t end = int64_t(batch) * (p + 1) / parts;
    slices[p] = {invoke,
                 input + begin * inputItem,
                 output + begin * outputItem,
                 static_cast<int32_t>(end - begin),
                 context->itemsPerCall,
                 inputItem,
                 outputItem,
                 context->workspaces[p],
                 context->workspaceBytes[p],
                 0};
  }
  mlir::qc::qc_rt_set_threads(context->threads);
  if (parts == 1)
    runSlice(slices, 0);
  else
    mlir::qc::qc_rt_parallel_for(parts, runSlice, slices);
  for (int32_t p = 0; p < parts; ++p)
    if (slices[p].status != 0)
      return slices[p].status;
  return 0;
}
