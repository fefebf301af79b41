//===- ConvU8S8.h - int8 convolution on u8 x s8 dot products ----*- C++ -*-===//
//
// The runtime's integer convolution for CPUs with AVX512-VNNI: int32
// activation containers narrowed to u8 per output row, int8 weights in the
// dot-product layout below, exact int32 (wrapping) sums. Internal to the
// runtime; compiled code reaches it through qc_rt_conv2d_i32_i8.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_CONVU8S8_H
#define QC_RUNTIME_CONVU8S8_H

#include "runtime/ConvGeometry.h"
#include "runtime/IntEpilogue.h"

#include <cstdint>

namespace mlir {
namespace qc {

/// out[n][y][x][f] (+)= sum over (ky, kx, c) of
///   input[n][y * strideH + ky * dilationH][x * strideW + kx * dilationW][c]
///   * w[f][ky][kx][c]
/// with the weights packed in panels of 32 filters as [Fp/32][KH][KW][CB][32]
/// [4]: element (ky, kx, c, f) at ((((f / 32) * KH + ky) * KW + kx) * CB +
/// c / 4) * 128 + (f % 32) * 4 + c % 4, CB = ceil(C / 4), Fp a multiple of
/// 32, padding zero; `sums[f]` is the sum of filter f's
/// weights (zero for f >= F). Input and output are NHWC with unit channel
/// stride.
struct ConvU8S8Problem {
  ConvGeometry g;
  const int32_t *input;
  const int8_t *weights;
  int64_t blocks, paddedFilters;
  const int32_t *sums;
  /// int32 sums, or f32 values for a dequantizing epilogue.
  int32_t *output;
  /// Applied to each sum before it is stored; with any kind but kSums the
  /// output is not accumulated into.
  IntEpilogue epilogue;
};

/// Whether convU8S8 serves `problem` on this CPU: the ISA level, the shapes
/// and the per-row scratch it needs.
bool canRunConvU8S8(const ConvU8S8Problem &problem);

/// Runs the convolution on the thread pool. Each block of output rows
/// narrows the input rows it reads to u8 by subtracting their minimum m and
/// adds m * sums[f] back; rows whose values span more than 255 are computed
/// in plain int32 arithmetic instead. Requires canRunConvU8S8.
void convU8S8(const ConvU8S8Problem &problem);

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_CONVU8S8_H
