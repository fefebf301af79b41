//===- ConvGeometry.h - The shape of a convolution call ---------*- C++ -*-===//
//
// What the runtime's hand-written convolution kernels share about a call:
// the NHWC input and output (sizes and strides in elements), the window,
// strides and dilations, and whether the output's initial values are added.
// Internal to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_CONVGEOMETRY_H
#define QC_RUNTIME_CONVGEOMETRY_H

#include <cstdint>

namespace mlir {
namespace qc {

struct ConvGeometry {
  /// NHWC, outermost first.
  int64_t inSizes[4], inStrides[4];
  int64_t outSizes[4], outStrides[4];
  int64_t kernelH, kernelW;
  int64_t strideH, strideW, dilationH, dilationW;
  /// Add to the output's initial values (false: overwrite them).
  bool accumulate;
};

/// The AVX-512 lane mask of 16-lane vector `v` of a row of `count` elements:
/// all 16 lanes, the tail's, or none.
inline uint16_t getLaneMask(int64_t count, int v) {
  int64_t lanes = count - 16 * int64_t(v);
  return lanes <= 0    ? 0
         : lanes >= 16 ? 0xffff
                       : static_cast<uint16_t>((1u << lanes) - 1);
}

/// Whether `g` is a convolution the direct kernels take: positive sizes,
/// non-negative strides, unit channel strides, equal batches and every
/// window inside the (already padded) input.
inline bool isDirectConvGeometry(const ConvGeometry &g) {
  for (int d = 0; d < 4; ++d)
    if (g.inSizes[d] <= 0 || g.outSizes[d] <= 0 || g.inStrides[d] < 0 ||
        g.outStrides[d] < 0)
      return false;
  if (g.inStrides[3] != 1 || g.outStrides[3] != 1 ||
      g.inSizes[0] != g.outSizes[0])
    return false;
  if (g.kernelH <= 0 || g.kernelW <= 0 || g.strideH <= 0 || g.strideW <= 0 ||
      g.dilationH <= 0 || g.dilationW <= 0)
    return false;
  return (g.outSizes[1] - 1) * g.strideH + (g.kernelH - 1) * g.dilationH <
             g.inSizes[1] &&
         (g.outSizes[2] - 1) * g.strideW + (g.kernelW - 1) * g.dilationW <
             g.inSizes[2];
}

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_CONVGEOMETRY_H
