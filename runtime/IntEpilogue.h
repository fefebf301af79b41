//===- IntEpilogue.h - Output stages fused into integer kernels -*- C++ -*-===//
//
// What an integer kernel stores for each of its sums when the output stage
// after the layer is fused into its call (convert-qc-to-runtime-calls: the
// int8 convolution, ConvU8S8.h, and the binary convolution, XnorConv.h):
// the sums themselves, their dequantized f32 values, or the next layer's
// requantized int32 codes. The scalar form lives here; IntEpilogueAvx512.h
// holds the same operations on 16 sums at a time. Internal to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_INTEPILOGUE_H
#define QC_RUNTIME_INTEPILOGUE_H

#include <cstdint>

namespace mlir {
namespace qc {

/// What an integer kernel stores for the int32 sum s of filter f (the
/// fused forms of convert-qc-to-runtime-calls; the float operations are
/// those of the dequantizing / requantizing generic they replace, in its
/// order and IEEE single precision, so the values are the same bits):
///   sums:       s itself (added to the output when accumulating);
///   dequantize: x = float(s) * scale[f] + shift[f], then max(x, +0) with
///               relu, stored as f32;
///   requantize: x as for dequantize, then q = min(max(roundeven(x /
///               divisor) + zeroPoint, lo), hi), with roundTrip q =
///               roundeven(q * divisor / divisor), stored as int32(q).
/// scale and shift hold one value per filter, or one for all (stride 0).
struct IntEpilogue {
  enum Kind : int32_t { kSums = 0, kDequantize = 1, kRequantize = 2 };
  int32_t kind = kSums;
  const float *scale = nullptr, *shift = nullptr;
  int64_t scaleStride = 0, shiftStride = 0;
  bool relu = false, roundTrip = false;
  float divisor = 1.0f, zeroPoint = 0.0f, lo = 0.0f, hi = 0.0f;
};

/// The 32 bits `e` stores for sum `s` of filter `f` (float bits for
/// kDequantize).
int32_t applyIntEpilogue(const IntEpilogue &e, int32_t s, int64_t f);

/// Replaces the int32 sums an NHWC output holds (`sizes`, `strides`; 32-bit
/// elements) by what `e` stores for them: for the routes that compute plain
/// sums first.
void applyIntEpilogueInPlace(const IntEpilogue &e, int32_t *out,
                             const int64_t sizes[4], const int64_t strides[4]);

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_INTEPILOGUE_H
