//===- OutlineSegments.cpp - Bounded straight-line code per function ------===//
//
// Implements qc-outline-segments (see Passes.td): a function whose body is
// one long block (the model's entry, once its loop nests are outlined) is
// cut into consecutive segments of at most `max-ops` operations, each moved
// into a private noinline function of its own.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCOUTLINESEGMENTS
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;

namespace {

/// Moves `ops` (consecutive, in one block) into a private noinline function
/// `name` called in their place; the values they define that later ops use
/// become the function's results.
LogicalResult outlineSegment(IRRewriter &rewriter, ArrayRef<Operation *> ops,
                             StringRef name) {
  Operation *first = ops.front(), *last = ops.back();
  SmallVector<Value> escaping;
  for (Operation *op : ops)
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(), [&](Operation *user) {
            Operation *inBlock =
                first->getBlock()->findAncestorOpInBlock(*user);
            return !inBlock || last->isBeforeInBlock(inBlock);
          }))
        escaping.push_back(result);

  Location loc = first->getLoc();
  rewriter.setInsertionPoint(first);
  auto wrapper = rewriter.create<scf::ExecuteRegionOp>(
      loc, ValueRange(escaping).getTypes());
  Block *body = rewriter.createBlock(&wrapper.getRegion());
  for (Operation *op : ops)
    rewriter.moveOpBefore(op, body, body->end());
  rewriter.setInsertionPointToEnd(body);
  rewriter.create<scf::YieldOp>(loc, escaping);
  for (auto [value, result] : llvm::zip(escaping, wrapper.getResults()))
    rewriter.replaceUsesWithIf(value, result, [&](OpOperand &use) {
      return !wrapper->isProperAncestor(use.getOwner());
    });

  func::CallOp call;
  FailureOr<func::FuncOp> outlined =
      outlineSingleBlockRegion(rewriter, loc, wrapper.getRegion(), name, &call);
  if (failed(outlined))
    return wrapper.emitError() << "could not outline this code segment";
  rewriter.moveOpBefore(call, wrapper);
  rewriter.replaceOp(wrapper, call.getResults());
  func::FuncOp callee = *outlined;
  // Constants are rebuilt inside rather than passed.
  Block &entry = callee.getBody().front();
  for (int i = static_cast<int>(call.getNumOperands()) - 1; i >= 0; --i) {
    Operation *constant = call.getOperand(i).getDefiningOp();
    if (!constant || !constant->hasTrait<OpTrait::ConstantLike>())
      continue;
    rewriter.setInsertionPointToStart(&entry);
    rewriter.replaceAllUsesWith(entry.getArgument(i),
                                rewriter.clone(*constant)->getResult(0));
    callee.eraseArgument(i);
    call->eraseOperand(i);
  }
  callee.setPrivate();
  callee->setAttr("passthrough",
                  rewriter.getArrayAttr({rewriter.getStringAttr("noinline")}));
  return success();
}

struct QCOutlineSegmentsPass
    : public qc::impl::QCOutlineSegmentsBase<QCOutlineSegmentsPass> {
  using QCOutlineSegmentsBase::QCOutlineSegmentsBase;

  void runOnOperation() override {
    if (maxOps < 1) {
      getOperation().emitError() << "qc-outline-segments: max-ops must be at "
                                 << "least 1, got " << maxOps.getValue();
      return signalPassFailure();
    }
    ModuleOp module = getOperation();
    IRRewriter rewriter(&getContext());
    // Functions are visited in order and segments in order, and names count
    // up, so the output is deterministic.
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    for (func::FuncOp function : functions) {
      if (function.isExternal() || !function.getBody().hasOneBlock())
        continue;
      Block &block = function.getBody().front();
      // Constants stay in the caller, at the top; each part rebuilds those
      // it uses.
      SmallVector<Operation *> ops;
      for (Operation &op :
           llvm::make_early_inc_range(block.without_terminator())) {
        if (op.hasTrait<OpTrait::ConstantLike>())
          op.moveBefore(&block, block.begin());
        else
          ops.push_back(&op);
      }
      if (static_cast<int64_t>(ops.size()) <= maxOps)
        continue;
      unsigned index = 0;
      for (size_t begin = 0; begin < ops.size(); begin += maxOps) {
        ArrayRef<Operation *> segment = ArrayRef(ops).slice(
            begin, std::min<size_t>(maxOps, ops.size() - begin));
        std::string name;
        do
          name = (function.getSymName() + "_part" + Twine(index++)).str();
        while (module.lookupSymbol(name));
        if (failed(outlineSegment(rewriter, segment, name)))
          return signalPassFailure();
      }
    }
  }
};

} // namespace
