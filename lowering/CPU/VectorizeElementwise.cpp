//===- VectorizeElementwise.cpp - Elementwise linalg ops as vector code ---===//
//
// Implements qc-vectorize-elementwise (see Passes.td): after bufferization
// and the runtime calls, the elementwise ops left between ukernel calls
// (requantization, bias and activation chains, padding copies and fills)
// are tiled to one innermost row and vectorized with upstream's linalg
// vectorizer, so that they reach LLVM as vector loads, arithmetic and
// stores rather than scalar loops. LLVM does not vectorize those loops
// itself: their buffers are views of one arena (qc-plan-buffers), which it
// cannot prove disjoint, and the constant inner trip counts are fully
// unrolled before its loop vectorizer runs.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCVECTORIZEELEMENTWISE
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;

namespace {

/// The vector length, in elements, of an innermost dimension of `size`: the
/// whole row up to 64 elements, else the largest of 64, 32, 16 and 8 that
/// divides it (0: not vectorized).
int64_t getInnerTile(int64_t size) {
  if (ShapedType::isDynamic(size) || size < 2)
    return 0;
  if (size <= 64)
    return size;
  for (int64_t tile : {64, 32, 16, 8})
    if (size % tile == 0)
      return tile;
  return 0;
}

/// Whether `op` is an elementwise op on buffers this pass vectorizes: a
/// fill, a copy, or an all-parallel generic whose output map is the
/// identity and whose inputs either run along the output's innermost
/// dimension (contiguous rows) or do not depend on it (broadcasts).
/// Transposing reads stay scalar loops.
bool isCandidate(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() || op.getNumLoops() == 0)
    return false;
  if (!isa<linalg::GenericOp, linalg::CopyOp, linalg::FillOp>(op))
    return false;
  OpOperand *init = op.getDpsInitOperand(0);
  if (!op.getMatchingIndexingMap(init).isIdentity())
    return false;
  int64_t last = op.getNumLoops() - 1;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (!isa<MemRefType>(input->get().getType()))
      continue; // a scalar
    AffineMap map = op.getMatchingIndexingMap(input);
    if (!map.isProjectedPermutation(/*allowZeroInResults=*/true))
      return false;
    bool usesLast = map.isFunctionOfDim(last);
    if (usesLast &&
        (map.getNumResults() == 0 ||
         map.getResults().back() != getAffineDimExpr(last, op.getContext())))
      return false;
  }
  auto type = cast<MemRefType>(init->get().getType());
  return getInnerTile(type.getShape().back()) != 0;
}

/// Rows at least this long are copied with memcpy.
constexpr int64_t kMinCopyRow = 1024;

/// Whether `copy` moves rows of at least kMinCopyRow elements that are
/// contiguous on both sides: these become one memcpy per row rather than
/// vector loops, which LLVM unrolled into hundreds of loads and stores per
/// row that its schedulers order in quadratic time.
bool isRowCopy(linalg::CopyOp copy) {
  if (!copy.hasPureBufferSemantics())
    return false;
  for (Value side : {copy.getInputs()[0], copy.getOutputs()[0]}) {
    auto type = dyn_cast<MemRefType>(side.getType());
    SmallVector<int64_t> strides;
    int64_t offset;
    if (!type || type.getRank() == 0 ||
        ShapedType::isDynamic(type.getShape().back()) ||
        type.getShape().back() < kMinCopyRow ||
        failed(getStridesAndOffset(type, strides, offset)) ||
        strides.back() != 1)
      return false;
  }
  return true;
}

/// Replaces `copy` by a loop nest over its outer dimensions around a
/// `memref.copy` of one contiguous row, which LLVM lowers to memcpy.
LogicalResult copyByRows(IRRewriter &rewriter, linalg::CopyOp copy) {
  rewriter.setInsertionPoint(copy);
  SmallVector<int64_t> tiles(copy.getNumLoops(), 1);
  tiles.back() = 0; // the whole row
  FailureOr<linalg::TiledLinalgOp> tiled = linalg::tileLinalgOp(
      rewriter, copy, linalg::LinalgTilingOptions().setTileSizes(tiles));
  if (failed(tiled))
    return failure();
  rewriter.eraseOp(copy);
  auto row = cast<linalg::CopyOp>(tiled->op);
  rewriter.setInsertionPoint(row);
  rewriter.replaceOpWithNewOp<memref::CopyOp>(row, row.getInputs()[0],
                                              row.getOutputs()[0]);
  return success();
}

struct QCVectorizeElementwisePass
    : public qc::impl::QCVectorizeElementwiseBase<QCVectorizeElementwisePass> {
  void runOnOperation() override {
    func::FuncOp function = getOperation();
    SmallVector<linalg::LinalgOp> candidates;
    SmallVector<linalg::CopyOp> rowCopies;
    function.walk([&](linalg::LinalgOp op) {
      auto copy = dyn_cast<linalg::CopyOp>(op.getOperation());
      if (copy && isRowCopy(copy))
        rowCopies.push_back(copy);
      else if (isCandidate(op))
        candidates.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::CopyOp copy : rowCopies)
      (void)copyByRows(rewriter, copy);
    for (linalg::LinalgOp op : candidates) {
      auto type = cast<MemRefType>(op.getDpsInits()[0].getType());
      SmallVector<int64_t> tiles(op.getNumLoops(), 1);
      tiles.back() = getInnerTile(type.getShape().back());
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::TiledLinalgOp> tiled = linalg::tileLinalgOp(
          rewriter, op, linalg::LinalgTilingOptions().setTileSizes(tiles));
      if (failed(tiled))
        continue;
      rewriter.eraseOp(op);
      // A body the vectorizer refuses stays a (tiled) scalar op, which
      // convert-linalg-to-loops lowers as before.
      if (succeeded(linalg::vectorizeOpPrecondition(tiled->op)))
        (void)linalg::vectorize(rewriter, tiled->op);
    }

    // Leading unit dimensions go, and in-bounds unit-stride transfers
    // become plain vector loads and stores.
    RewritePatternSet patterns(&getContext());
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    vector::populateVectorTransferDropUnitDimsPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorTransferLoweringPatterns(patterns,
                                                   /*maxTransferRank=*/1);
    // No broadcast lowering here: with the leading-one-dimension patterns it
    // rewrites back and forth forever (an average pool's divisor, a
    // broadcast of a rank-0 value); convert-vector-to-llvm lowers
    // broadcasts.
    // A bound on rewrites, so that patterns that ever undo each other end
    // the pass instead of hanging it; every intermediate IR is valid, and
    // what is left unlowered convert-vector-to-scf/-llvm still handle.
    int64_t ops = 0;
    function.walk([&](Operation *) { ++ops; });
    GreedyRewriteConfig config;
    config.maxNumRewrites = 1000 + 64 * ops;
    (void)applyPatternsAndFoldGreedily(function, std::move(patterns), config);
  }
};

} // namespace
