//===- GeneratorUtils.h - What the Halide generators share ------*- C++ -*-===//
//
// Expressions the ukernel generators have in common. Build-time only, like
// the generators themselves.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_UKERNELS_GENERATORUTILS_H
#define QC_RUNTIME_UKERNELS_GENERATORUTILS_H

#include "Halide.h"

namespace qc {

/// Whether the float `value` is a NaN, tested on its bits: under Halide's
/// fast math a float test for NaN folds to false.
inline Halide::Expr isNaNBits(Halide::Expr value) {
  using namespace Halide;
  Expr magnitude = reinterpret<uint32_t>(value) & cast<uint32_t>(0x7fffffff);
  return magnitude > cast<uint32_t>(0x7f800000);
}

/// clamp(value, lo, hi), except that a NaN passes through as it passes
/// arith.maximumf / arith.minimumf (the ops a fused ReLU or clamp came
/// from).
inline Halide::Expr clampKeepingNaN(Halide::Expr value, Halide::Expr lo,
                                    Halide::Expr hi) {
  using namespace Halide;
  return select(isNaNBits(value), value, clamp(value, lo, hi));
}

/// max(a, b), NaN if either is NaN, as arith.maximumf (and linalg's max
/// pooling) defines it; Halide's max keeps whichever operand the target's
/// instruction picks.
inline Halide::Expr maxKeepingNaN(Halide::Expr a, Halide::Expr b) {
  using namespace Halide;
  return select(isNaNBits(b), b, select(isNaNBits(a), a, max(a, b)));
}

} // namespace qc

#endif // QC_RUNTIME_UKERNELS_GENERATORUTILS_H
