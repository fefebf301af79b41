//===- PoolAvx512.h - fp32 max and sum pooling for AVX-512 ------*- C++ -*-===//
//
// The runtime's float max pooling and average pooling's window sums for
// CPUs with AVX-512, the window and the output's initial values as the
// Halide pooling kernels take them. Internal to the runtime; compiled code
// reaches it through qc_rt_max_pool2d_f32 and qc_rt_sum_pool2d_f32.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_POOLAVX512_H
#define QC_RUNTIME_POOLAVX512_H

#include "runtime/ConvGeometry.h"

namespace mlir {
namespace qc {

/// out[n][y][x][c] = max(out[n][y][x][c], max over the window of
/// input[n][y * strideH + ky * dilationH][x * strideW + kx * dilationW][c])
/// (a NaN anywhere in it gives NaN, as arith.maximumf), or with `sum` the
/// output plus the window's sum; the geometry's kernel is the window and
/// its input is already padded (`accumulate` is ignored: pooling always
/// starts from the output's values).
struct PoolF32Problem {
  ConvGeometry g;
  const float *input;
  float *output;
  bool sum;
};

/// Whether poolF32Avx512 serves `problem` on this CPU.
bool canRunPoolF32Avx512(const PoolF32Problem &problem);

/// Runs the pooling on the thread pool. Requires canRunPoolF32Avx512.
void poolF32Avx512(const PoolF32Problem &problem);

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_POOLAVX512_H
