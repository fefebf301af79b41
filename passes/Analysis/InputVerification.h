//===- InputVerification.h - Checks upstream verifiers miss -----*- C++ -*-===//
//
// MLIR 19's TOSA verifiers accept some IR that later crashes upstream code
// (a tosa.transpose whose permutation holds 4 or -1 passes verification,
// then tensor.empty's builder indexes out of bounds). qc runs these checks
// on a model before any pass or JIT run touches it, so that such IR is an
// error naming the op.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_ANALYSIS_INPUTVERIFICATION_H
#define QC_PASSES_ANALYSIS_INPUTVERIFICATION_H

#include "mlir/IR/Operation.h"
#include "mlir/Support/LogicalResult.h"

namespace mlir {
namespace qc {

/// Emits an error on every op under `root` that qc's passes and the CPU
/// pipeline cannot take although it verifies, and fails if there is one.
LogicalResult verifyModelInput(Operation *root);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_ANALYSIS_INPUTVERIFICATION_H
