//===- RowTasks.h - Output rows split over the thread pool ------*- C++ -*-===//
//
// How the runtime's row-wise kernels (pooling, depthwise convolution) split
// their work: one task per image when a batch has images enough, else
// blocks of output rows so that a batch of one still uses the pool.
// Internal to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_ROWTASKS_H
#define QC_RUNTIME_ROWTASKS_H

#include "runtime/RuntimeCalls.h"

#include <cstdint>

namespace mlir {
namespace qc {

/// Output rows [y0, y1) of image n of the kernel's problem.
using RowBlockFn = void (*)(const void *problem, int64_t n, int64_t y0,
                            int64_t y1);

/// Whether the pool has one thread (qc_rt_set_threads(1)).
bool isSingleThreadPool();

/// Runs `run` over the `rows` output rows of `images` images on the pool,
/// in about kMinRowTasks tasks or more; on a pool of one thread, one task
/// per image (smaller blocks would only repeat each block's setup, such as
/// the rows a window reads beyond the block).
inline void forEachRowBlock(int64_t images, int64_t rows, RowBlockFn run,
                            const void *problem) {
  const int64_t kMinRowTasks = isSingleThreadPool() ? 1 : 16;
  int64_t blocks =
      images >= kMinRowTasks ? 1 : (kMinRowTasks + images - 1) / images;
  blocks = blocks < rows ? blocks : rows;
  struct Closure {
    RowBlockFn run;
    const void *problem;
    int64_t rows, rowsPerTask, blocks;
  } closure{run, problem, rows, (rows + blocks - 1) / blocks, 0};
  closure.blocks = (rows + closure.rowsPerTask - 1) / closure.rowsPerTask;
  auto task = [](void *data, int32_t index) -> int32_t {
    const Closure &c = *static_cast<const Closure *>(data);
    int64_t n = index / c.blocks, y0 = index % c.blocks * c.rowsPerTask;
    int64_t y1 = y0 + c.rowsPerTask < c.rows ? y0 + c.rowsPerTask : c.rows;
    c.run(c.problem, n, y0, y1);
    return 0;
  };
  qc_rt_parallel_for(static_cast<int32_t>(images * closure.blocks), task,
                     &closure);
}

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_ROWTASKS_H
