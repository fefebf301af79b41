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

/// clamp(value, lo, hi), except that a NaN passes through as it passes
/// arith.maximumf / arith.minimumf (the ops a fused ReLU or clamp came
/// from). The NaN test is on the bits: under Halide's fast math a float test
/// for NaN folds to false.
inline Halide::Expr clampKeepingNaN(Halide::Expr value, Halide::Expr lo,
                                    Halide::Expr hi) {
  using namespace Halide;
  Expr magnitude = reinterpret<uint32_t>(value) & cast<uint32_t>(0x7fffffff);
  return select(magnitude > cast<uint32_t>(0x7f800000), value,
                clamp(value, lo, hi));
}

} // namespace qc

#endif // QC_RUNTIME_UKERNELS_GENERATORUTILS_H
