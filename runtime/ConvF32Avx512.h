//===- ConvF32Avx512.h - fp32 convolution microkernel for AVX-512 -*- C++
//-*-===//
//
// The runtime's fp32 convolution (and dense layer, as a 1x1 convolution) for
// CPUs with AVX-512: direct convolution over NHWC rows with register tiles
// of 12 columns x 32 filters (24 x 16 when the layer has at most 16), the
// output transform (bias, accumulation, clamp) applied when the tile is
// stored. Internal to the runtime; compiled
// code reaches it through qc_rt_conv2d_f32 and qc_rt_matmul_f32.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_CONVF32AVX512_H
#define QC_RUNTIME_CONVF32AVX512_H

#include "runtime/ConvGeometry.h"

#include <cstdint>

namespace mlir {
namespace qc {

/// out[n][y][x][f] = clamp(bias[f] + [accumulate] out[n][y][x][f] +
///   sum over (ky, kx, c) of input[n][y * strideH + ky * dilationH]
///   [x * strideW + kx * dilationW][c] * w[ky][kx][c][f], lo, hi), a NaN
/// passing the clamp; weights packed in panels of 32 filters,
/// [Fp/32][KH][KW][C][32] (dense, padding zero), `bias` of F values or of
/// one for every filter. Input and
/// output are NHWC with unit channel stride.
struct ConvF32Problem {
  ConvGeometry g;
  const float *input;
  const float *weights;
  int64_t panels;
  const float *bias;
  bool broadcastBias;
  float *output;
  float lo, hi;
  /// Set by convF32Avx512 itself: the width of the output rows when it runs
  /// the layer as one row of pixels (0 otherwise), and their stride.
  int64_t rowWidth = 0, rowStride = 0;
  /// Set by convF32Avx512: the layer runs in pixel tiles (one input
  /// channel, at most 8 filters, stride 1 along W).
  bool pixelTiles = false;
};

/// Whether convF32Avx512 serves `problem`: AVX-512 at run time and its
/// shapes.
bool canRunConvF32Avx512(const ConvF32Problem &problem);

/// Runs the convolution on the thread pool. Requires canRunConvF32Avx512.
void convF32Avx512(const ConvF32Problem &problem);

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_CONVF32AVX512_H
