//===- DepthwiseAvx512.h - fp32 depthwise convolution, AVX-512 --*- C++ -*-===//
//
// The runtime's float depthwise convolution (channel multiplier 1) for CPUs
// with AVX-512, with the output transform of qc_rt_depthwise_conv2d_f32.
// Internal to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_DEPTHWISEAVX512_H
#define QC_RUNTIME_DEPTHWISEAVX512_H

#include "runtime/ConvGeometry.h"

namespace mlir {
namespace qc {

/// out[n][y][x][c] = clamp(bias[c] + [accumulate] out[n][y][x][c] + sum
/// over (ky, kx) of input[n][y * strideH + ky * dilationH][x * strideW +
/// kx * dilationW][c] * w[ky][kx][c], lo, hi), a NaN passing the clamp;
/// `bias` of C values or of one for every channel.
struct DepthwiseF32Problem {
  ConvGeometry g;
  const float *input;
  /// [KH][KW][C] with these strides (the channels' unit).
  const float *weights;
  int64_t weightStrides[2];
  const float *bias;
  bool broadcastBias;
  float *output;
  float lo, hi;
};

/// Whether depthwiseF32Avx512 serves `problem` on this CPU.
bool canRunDepthwiseF32Avx512(const DepthwiseF32Problem &problem);

/// Runs the convolution on the thread pool. Requires
/// canRunDepthwiseF32Avx512.
void depthwiseF32Avx512(const DepthwiseF32Problem &problem);

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_DEPTHWISEAVX512_H
