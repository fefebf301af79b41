//===- LinalgElementwiseFusion.cpp - Bounded elementwise fusion -----------===//
//
// Implements qc-linalg-elementwise-fusion: the CPU path's elementwise fusion
// of linalg ops on tensors, with the size of a fused body bounded so that
// long elementwise chains (thousands of Adds or Signs) compile in linear
// time instead of cloning an ever-growing body at every step.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCLINALGELEMENTWISEFUSION
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;

namespace {

/// Operations in the body of `op` (a linalg op), its terminator included.
int64_t getBodySize(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || op->getNumRegions() != 1 || op->getRegion(0).empty())
    return 0;
  return static_cast<int64_t>(linalgOp.getBlock()->getOperations().size());
}

struct QCLinalgElementwiseFusionPass
    : public qc::impl::QCLinalgElementwiseFusionBase<
          QCLinalgElementwiseFusionPass> {
  using QCLinalgElementwiseFusionBase::QCLinalgElementwiseFusionBase;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    int64_t limit = maxBodyOps;
    // As upstream: fuse a producer used only by this consumer; in addition,
    // only while the fused body stays within the bound.
    linalg::ControlFusionFn control = [limit](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      if (!producer || !producer->hasOneUse())
        return false;
      return getBodySize(producer) + getBodySize(fused->getOwner()) <= limit;
    };
    linalg::ControlFusionFn oneUse = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      return producer && producer->hasOneUse();
    };
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, oneUse);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, oneUse);
    GreedyRewriteConfig config;
    config.useTopDownTraversal = true;
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns),
                                            config)))
      return signalPassFailure();
  }
};

} // namespace
