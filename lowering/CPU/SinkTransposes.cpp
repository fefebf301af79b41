//===- SinkTransposes.cpp - Transposes below unary elementwise ops -------===//
//
// Implements qc-sink-transposes (see Passes.td), which lets the canonicalizer
// cancel the NCHW/NHWC transpose pairs the importer leaves around
// activations.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCSINKTRANSPOSES
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;

namespace {

/// op(transpose(x, P)) -> transpose(op(x), P) for a unary elementwise op
/// whose operand is a transpose used by it alone.
struct SinkTransposeBelowUnary : public RewritePattern {
  explicit SinkTransposeBelowUnary(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<tosa::ClampOp, tosa::SigmoidOp, tosa::TanhOp, tosa::ExpOp,
             tosa::AbsOp, tosa::NegateOp, tosa::FloorOp, tosa::CeilOp,
             tosa::ErfOp, tosa::ReciprocalOp, tosa::RsqrtOp, tosa::LogOp>(
            op) ||
        op->getNumOperands() != 1 || op->getNumResults() != 1)
      return rewriter.notifyMatchFailure(op, "not a unary elementwise op");
    auto transpose = op->getOperand(0).getDefiningOp<tosa::TransposeOp>();
    if (!transpose || !transpose->hasOneUse())
      return rewriter.notifyMatchFailure(op, "operand is not a lone transpose");
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    Value input = transpose.getInput1();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!resultType || !inputType)
      return rewriter.notifyMatchFailure(op, "unranked");
    auto newType = RankedTensorType::get(inputType.getShape(),
                                         resultType.getElementType());
    Operation *moved = rewriter.clone(*op);
    moved->setOperand(0, input);
    moved->getResult(0).setType(newType);
    rewriter.replaceOpWithNewOp<tosa::TransposeOp>(
        op, resultType, moved->getResult(0), transpose.getPerms());
    return success();
  }
};

struct QCSinkTransposesPass
    : public qc::impl::QCSinkTransposesBase<QCSinkTransposesPass> {
  using QCSinkTransposesBase::QCSinkTransposesBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SinkTransposeBelowUnary>(&getContext());
    tosa::TransposeOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
