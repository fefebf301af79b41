//===- IntEpilogue.cpp - Output stages fused into integer kernels ---------===//
//
// Implements IntEpilogue.h's scalar form: the kernels' tails and routes
// without AVX-512, and the reference of the vector form's tests.
//
//===----------------------------------------------------------------------===//

#include "runtime/IntEpilogue.h"

#include <math.h>
#include <string.h>

using namespace mlir::qc;

namespace {

/// IEEE maximum and minimum (arith.maximumf / minimumf): -0 below +0.
float maximumf(float a, float b) {
  if (isnan(a) || isnan(b))
    return NAN;
  if (a == b)
    return signbit(a) ? b : a;
  return a > b ? a : b;
}
float minimumf(float a, float b) {
  if (isnan(a) || isnan(b))
    return NAN;
  if (a == b)
    return signbit(a) ? a : b;
  return a < b ? a : b;
}

} // namespace

namespace mlir {
namespace qc {

int32_t applyIntEpilogue(const IntEpilogue &e, int32_t s, int64_t f) {
  // Rounded after the product and after the sum, as the generic's mulf and
  // addf are: never contracted into one fused multiply-add.
#ifdef __clang__
#pragma clang fp contract(off)
#endif
  if (e.kind == IntEpilogue::kSums)
    return s;
  float product = static_cast<float>(s) * e.scale[f * e.scaleStride];
  float x = product + e.shift[f * e.shiftStride];
  if (e.relu)
    x = maximumf(x, 0.0f);
  if (e.kind == IntEpilogue::kDequantize) {
    int32_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits;
  }
  x = rintf(x / e.divisor) + e.zeroPoint;
  x = minimumf(maximumf(x, e.lo), e.hi);
  if (e.roundTrip)
    x = rintf((x * e.divisor) / e.divisor);
  return static_cast<int32_t>(x);
}

void applyIntEpilogueInPlace(const IntEpilogue &e, int32_t *out,
                             const int64_t sizes[4], const int64_t strides[4]) {
  if (e.kind == IntEpilogue::kSums)
    return;
  for (int64_t n = 0; n < sizes[0]; ++n)
    for (int64_t y = 0; y < sizes[1]; ++y)
      for (int64_t x = 0; x < sizes[2]; ++x) {
        int32_t *pixel = out + n * strides[0] + y * strides[1] + x * strides[2];
        for (int64_t f = 0; f < sizes[3]; ++f)
          pixel[f * strides[3]] = applyIntEpilogue(e, pixel[f * strides[3]], f);
      }
}

} // namespace qc
} // namespace mlir
