//===- LinalgElementwiseFusion.cpp - Bounded elementwise fusion -----------===//
//
// Implements qc-linalg-elementwise-fusion: the CPU path's elementwise fusion
// of linalg ops on tensors, with the size of a fused body bounded so that
// long elementwise chains (thousands of Adds or Signs) compile in linear
// time instead of cloning an ever-growing body at every step. Transposes of
// constants fold here too.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"
#include "lowering/QCToLinalg/QCToLinalg.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/Matchers.h"
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

/// Folds a linalg.transpose of a dense constant into the transposed
/// constant. The 1x1 convolutions that TOSA decomposes into fully connected
/// layers transpose their weights this way; folded, the weights are a
/// constant again and the layer a matmul that a ukernel serves.
struct FoldConstantTranspose : public OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr input;
    if (!op.hasPureTensorSemantics() ||
        !matchPattern(op.getInput(), m_Constant(&input)))
      return rewriter.notifyMatchFailure(op, "input is not a dense constant");
    auto resultType = cast<RankedTensorType>(op.getResult()[0].getType());
    Type element = resultType.getElementType();
    if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
      return rewriter.notifyMatchFailure(op, "elements are not whole bytes");
    DenseElementsAttr folded;
    if (input.isSplat()) {
      folded = input.resizeSplat(resultType);
    } else {
      ArrayRef<int64_t> inShape = input.getType().getShape();
      ArrayRef<int64_t> perm = op.getPermutation();
      int64_t rank = inShape.size(),
              bytes = element.getIntOrFloatBitWidth() / 8;
      SmallVector<int64_t> inStrides(rank, 1);
      for (int64_t d = rank - 2; d >= 0; --d)
        inStrides[d] = inStrides[d + 1] * inShape[d + 1];
      ArrayRef<char> raw = input.getRawData();
      std::vector<char> out(raw.size());
      SmallVector<int64_t> index(rank, 0); // into the result
      for (int64_t i = 0, n = input.getNumElements(); i < n; ++i) {
        int64_t from = 0;
        for (int64_t d = 0; d < rank; ++d)
          from += index[d] * inStrides[perm[d]];
        std::copy_n(raw.data() + from * bytes, bytes, out.data() + i * bytes);
        for (int64_t d = rank - 1; d >= 0; --d) {
          if (++index[d] < resultType.getDimSize(d))
            break;
          index[d] = 0;
        }
      }
      folded = DenseElementsAttr::getFromRawBuffer(resultType, out);
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, resultType, folded);
    return success();
  }
};

/// Keeps fused locations short. Each fusion gives the fused op the fused
/// location of its producer and consumer, so along a long chain an op's
/// location listed every op fused into its line before it (thousands of
/// entries in a chain of Signs), and building each of them (hashed and
/// uniqued) made the pass quadratic. Only the first entries are kept: they
/// hold the layer names qc reports.
struct BoundFusedLocations : public RewriterBase::Listener {
  static constexpr size_t kMaxLocations = 16;

  static void bound(Operation *op) {
    auto fused = dyn_cast<FusedLoc>(op->getLoc());
    if (!fused || fused.getLocations().size() <= kMaxLocations)
      return;
    op->setLoc(FusedLoc::get(op->getContext(),
                             fused.getLocations().take_front(kMaxLocations),
                             fused.getMetadata()));
  }

  void notifyOperationInserted(Operation *op, OpBuilder::InsertPoint) override {
    bound(op);
  }
  void notifyOperationModified(Operation *op) override { bound(op); }
};

/// Whether `op` is a generic QCToLinalg names for a runtime kernel whose
/// loops are all parallel (the per-centroid accumulation): fusing it into
/// its consumer, or a reshape into it, would hide it from
/// convert-qc-to-runtime-calls.
static bool isKernelGeneric(Operation *op) {
  return op->hasAttr(qc::kCentroidKernelAttr);
}

struct QCLinalgElementwiseFusionPass
    : public qc::impl::QCLinalgElementwiseFusionBase<
          QCLinalgElementwiseFusionPass> {
  using QCLinalgElementwiseFusionBase::QCLinalgElementwiseFusionBase;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    int64_t limit = maxBodyOps;
    // As upstream: fuse a producer used only by this consumer; in addition,
    // only while the fused body stays within the bound, and only into an
    // elementwise consumer: fused into a reduction (a 1x1 convolution in
    // matmul form, say), the producer would be recomputed for every output
    // channel, and the layer would no longer be one a ukernel serves.
    linalg::ControlFusionFn control = [limit](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      if (!producer || !producer->hasOneUse() || isKernelGeneric(producer) ||
          isKernelGeneric(fused->getOwner()))
        return false;
      auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
      if (!consumer || consumer.getNumParallelLoops() != consumer.getNumLoops())
        return false;
      return getBodySize(producer) + getBodySize(fused->getOwner()) <= limit;
    };
    // Reshapes fold into generic ops only: folding one into a named op (a
    // matmul) would turn it into a generic that no ukernel serves.
    linalg::ControlFusionFn oneUse = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      if (!producer || !producer->hasOneUse() || isKernelGeneric(producer) ||
          isKernelGeneric(fused->getOwner()))
        return false;
      auto isGenericOrNotLinalg = [](Operation *op) {
        return isa<linalg::GenericOp>(op) || !isa<linalg::LinalgOp>(op);
      };
      return isGenericOrNotLinalg(producer) &&
             isGenericOrNotLinalg(fused->getOwner());
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
    patterns.add<FoldConstantTranspose>(context);
    GreedyRewriteConfig config;
    config.useTopDownTraversal = true;
    BoundFusedLocations locations;
    config.listener = &locations;
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns),
                                            config)))
      return signalPassFailure();
  }
};

} // namespace
