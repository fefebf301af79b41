//===- InputVerification.cpp - Checks upstream verifiers miss -------------===//
//
// The checks behind qc-verify-input: a tosa.transpose's constant
// permutation must be a permutation of its input's dimensions, and its
// result extents those the permutation gives.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/InputVerification.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;

static LogicalResult verifyTranspose(tosa::TransposeOp op) {
  auto input = dyn_cast<RankedTensorType>(op.getInput1().getType());
  auto result = dyn_cast<RankedTensorType>(op.getType());
  SmallVector<int64_t> perms;
  if (!input || failed(op.getConstantPerms(perms)))
    return success();
  int64_t rank = input.getRank();
  if (static_cast<int64_t>(perms.size()) != rank)
    return op.emitOpError() << "permutation has " << perms.size()
                          << " entries for an input of rank " << rank;
  llvm::SmallBitVector seen(rank);
  for (int64_t p : perms) {
    if (p < 0 || p >= rank || seen.test(p))
      return op.emitOpError() << "permutation [" << perms
                            << "] is not a permutation of 0.." << rank - 1;
    seen.set(p);
  }
  if (result && result.getRank() == rank)
    for (int64_t d = 0; d < rank; ++d) {
      int64_t want = input.getDimSize(perms[d]), have = result.getDimSize(d);
      if (!ShapedType::isDynamic(want) && !ShapedType::isDynamic(have) &&
          want != have)
        return op.emitOpError()
               << "result extent " << have << " of dimension " << d
               << " should be " << want << " for permutation [" << perms
               << "]";
    }
  return success();
}

LogicalResult mlir::qc::verifyModelInput(Operation *root) {
  bool ok = true;
  root->walk([&](tosa::TransposeOp op) { ok &= succeeded(verifyTranspose(op)); });
  return success(ok);
}
