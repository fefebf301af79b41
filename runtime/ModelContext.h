//===- ModelContext.h - Contexts of the libraries qcc builds ----*- C++ -*-===//
//
// The context API of a qcc library (`<name>_create`, `<name>_run_context`,
// `<name>_destroy`) is generated code that forwards here with the model's
// constants: a context owns one workspace per thread, sized once from the
// model's buffer plan, so that a run allocates nothing, and splits each
// batch over its threads.
//
// Plain C ABI and no C++ runtime: this is linked into every library qcc
// builds, which may need only libc, libm and libpthread.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_MODELCONTEXT_H
#define QC_RUNTIME_MODELCONTEXT_H

#include <cstdint>

extern "C" {

/// The model's entry for one slice: runs `batch` items from `input` to
/// `output` with `workspace` (`workspaceBytes` long, 64-byte aligned) as
/// scratch memory. Returns 0, -1 on an invalid argument, -2 when a kernel
/// failed.
typedef int32_t (*qc_rt_invoke_fn)(const float *input, float *output,
                                   int32_t batch, void *workspace,
                                   int64_t workspaceBytes);

/// Creates a context for up to `maxBatch` items per run split over
/// `threads` threads, whose workspaces hold `bytesPerItem` per item plus
/// `slackBytes`. `fixedBatch` is the model's one batch, or 0 when it is
/// free (a fixed-batch model runs in one slice, as does each item of a batch
/// smaller than `threads`, the kernels then splitting each layer over the
/// threads; more than 64 threads are clamped to 64). Returns null on invalid
/// arguments (maxBatch or threads below 1, a maxBatch other than a fixed
/// batch) or when memory runs out.
void *qc_rt_context_create(int32_t maxBatch, int32_t threads,
                           int64_t bytesPerItem, int64_t slackBytes,
                           int32_t fixedBatch);

/// Runs `invoke` on `batch` items through `context`'s workspaces, slices of
/// the batch in parallel, each in calls of qc_rt_items_per_call items; sets
/// the pool to the context's thread count. `inputItem` and `outputItem` are
/// floats per item.
/// Returns -1 on a null pointer or a batch outside 1..maxBatch, else the
/// first nonzero status of a slice, else 0. A context runs one call at a
/// time; distinct contexts run concurrently.
int32_t qc_rt_context_run(void *context, qc_rt_invoke_fn invoke,
                          const float *input, float *output, int32_t batch,
                          int64_t inputItem, int64_t outputItem);

/// Items one call of a model's entry should run at most, when its buffer
/// plan needs `bytesPerItem` per item: as many as fit in half the core's L2
/// cache (taken as 1 MiB when the C library cannot tell), at least 1, so
/// that one layer's output is still in L2 when the next layer reads it. A
/// slice of a batch runs in calls of this many items, one after the other.
int64_t qc_rt_items_per_call(int64_t bytesPerItem);

/// Frees `context` (null is allowed).
void qc_rt_context_destroy(void *context);

} // extern "C"

#endif // QC_RUNTIME_MODELCONTEXT_H
