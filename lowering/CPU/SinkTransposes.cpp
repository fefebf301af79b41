//===- SinkTransposes.cpp - Transposes below elementwise ops -------------===//
//
// Implements qc-sink-transposes (see Passes.td), which lets the canonicalizer
// cancel the NCHW/NHWC transpose pairs the importer leaves around
// activations and residual additions.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "dialects/QC/QCOps.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
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

/// Whether `op` is a qc.quantize or qc.dequantize whose quantized type has
/// one set of parameters for the whole tensor (no axis the permutation
/// would move): elementwise then.
static bool isPerTensorQuantization(Operation *op) {
  Type quantized;
  if (auto quantize = dyn_cast<qc::QuantizeOp>(op))
    quantized = quantize.getType();
  else if (auto dequantize = dyn_cast<qc::DequantizeOp>(op))
    quantized = dequantize->getOperand(0).getType();
  else
    return false;
  auto element = dyn_cast<qc::QuantizedTypeInterface>(
      cast<ShapedType>(quantized).getElementType());
  return element && element.getQuantAxis() < 0;
}

/// Whether the patterns below move a transpose below `op` as a unary
/// elementwise op.
static bool isSinkableUnary(Operation *op) {
  return (isa<tosa::ClampOp, tosa::SigmoidOp, tosa::TanhOp, tosa::ExpOp,
              tosa::AbsOp, tosa::NegateOp, tosa::FloorOp, tosa::CeilOp,
              tosa::ErfOp, tosa::ReciprocalOp, tosa::RsqrtOp, tosa::LogOp>(
              op) ||
          isPerTensorQuantization(op)) &&
         op->getNumOperands() == 1 && op->getNumResults() == 1;
}

/// Whether `op` is a binary elementwise op the patterns below consider.
static bool isBinaryElementwise(Operation *op) {
  return isa<tosa::AddOp, tosa::SubOp, tosa::MulOp, tosa::MaximumOp,
             tosa::MinimumOp>(op) &&
         op->getNumOperands() == 2 && op->getNumResults() == 1;
}

/// Whether `a` and `b` permute by the same constant permutation.
static bool haveSamePermutation(tosa::TransposeOp a, tosa::TransposeOp b) {
  DenseIntElementsAttr aPerms, bPerms;
  return matchPattern(a.getPerms(), m_Constant(&aPerms)) &&
         matchPattern(b.getPerms(), m_Constant(&bPerms)) && aPerms == bPerms;
}

/// Whether the patterns below would move `transpose` below its user `user`
/// once allowed to: a unary elementwise op; or a binary one whose other
/// operand is the same transpose, a constant of its rank, or a transpose
/// with the same permutation of an equal shape used by `user` alone.
static bool sinksBelow(Operation *user, tosa::TransposeOp transpose) {
  if (isSinkableUnary(user))
    return true;
  if (!isBinaryElementwise(user))
    return false;
  Value self = transpose.getResult();
  Value other =
      user->getOperand(0) == self ? user->getOperand(1) : user->getOperand(0);
  if (other == self)
    return true;
  auto inputType = dyn_cast<RankedTensorType>(transpose.getInput1().getType());
  if (matchPattern(other, m_Constant())) {
    auto constantType = dyn_cast<RankedTensorType>(other.getType());
    return inputType && constantType &&
           constantType.getRank() == inputType.getRank();
  }
  auto otherTranspose = other.getDefiningOp<tosa::TransposeOp>();
  if (!otherTranspose || !haveSamePermutation(transpose, otherTranspose) ||
      !llvm::all_of(otherTranspose->getUsers(),
                    [&](Operation *u) { return u == user; }))
    return false;
  auto otherType =
      dyn_cast<RankedTensorType>(otherTranspose.getInput1().getType());
  return inputType && otherType && inputType.getShape() == otherType.getShape();
}

/// Whether `transpose` may move below one of its users: when that user is
/// its only one, or when it moves below every user (so that none keeps it,
/// and the moved transposes then cancel or move on: a binarized residual
/// block's NCHW sum feeds both the next block's sign and its residual
/// addition).
static bool maySink(tosa::TransposeOp transpose) {
  return transpose->hasOneUse() ||
         llvm::all_of(transpose->getUsers(), [&](Operation *user) {
           return sinksBelow(user, transpose);
         });
}

/// op(transpose(x, P)) -> transpose(op(x), P) for a unary elementwise op
/// whose operand is a transpose that may sink (maySink).
struct SinkTransposeBelowUnary : public RewritePattern {
  explicit SinkTransposeBelowUnary(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isSinkableUnary(op))
      return rewriter.notifyMatchFailure(op, "not a unary elementwise op");
    auto transpose = op->getOperand(0).getDefiningOp<tosa::TransposeOp>();
    if (!transpose || !maySink(transpose))
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

/// op(transpose(x, P), transpose(y, P)) -> transpose(op(x, y), P) for a
/// binary elementwise op on operands of one shape, each a transpose that
/// may sink (maySink; or the same transpose twice): a residual addition of
/// two convolutions' NCHW results becomes an addition in NHWC.
struct SinkTransposeBelowBinary : public RewritePattern {
  explicit SinkTransposeBelowBinary(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isBinaryElementwise(op))
      return rewriter.notifyMatchFailure(op, "not a binary elementwise op");
    auto lhs = op->getOperand(0).getDefiningOp<tosa::TransposeOp>();
    auto rhs = op->getOperand(1).getDefiningOp<tosa::TransposeOp>();
    if ((lhs == nullptr) != (rhs == nullptr))
      return sinkBelowConstant(op, lhs ? lhs : rhs, lhs ? 1 : 0, rewriter);
    if (!lhs || !rhs)
      return rewriter.notifyMatchFailure(op, "an operand is no transpose");
    auto soleUser = [&](tosa::TransposeOp transpose) {
      return llvm::all_of(transpose->getUsers(),
                          [&](Operation *user) { return user == op; });
    };
    if (!(soleUser(lhs) || maySink(lhs)) || !(soleUser(rhs) || maySink(rhs)))
      return rewriter.notifyMatchFailure(op, "a transpose has other users");
    if (!haveSamePermutation(lhs, rhs))
      return rewriter.notifyMatchFailure(op, "different permutations");
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    auto lhsType = dyn_cast<RankedTensorType>(lhs.getInput1().getType());
    auto rhsType = dyn_cast<RankedTensorType>(rhs.getInput1().getType());
    // Equal shapes: no broadcast, whose dimensions the permutation would
    // have to follow (a dynamic dimension is the batch in both, which qc
    // checks at run time).
    if (!resultType || !lhsType || !rhsType ||
        lhsType.getShape() != rhsType.getShape() ||
        cast<RankedTensorType>(op->getOperand(0).getType()).getShape() !=
            resultType.getShape())
      return rewriter.notifyMatchFailure(op, "shapes differ or are dynamic");
    auto newType =
        RankedTensorType::get(lhsType.getShape(), resultType.getElementType());
    Operation *moved = rewriter.clone(*op);
    moved->setOperand(0, lhs.getInput1());
    moved->setOperand(1, rhs.getInput1());
    moved->getResult(0).setType(newType);
    rewriter.replaceOpWithNewOp<tosa::TransposeOp>(
        op, resultType, moved->getResult(0), lhs.getPerms());
    return success();
  }

private:
  /// op(transpose(x, P), c) -> transpose(op(x, transpose(c, P^-1)), P) for
  /// a constant c of the same rank (broadcast along the dimensions where it
  /// has extent 1, which the inverse permutation carries along): a
  /// per-channel scale or shift in NCHW becomes one in NHWC, and the
  /// canonicalizer folds the constant's transpose.
  static LogicalResult sinkBelowConstant(Operation *op,
                                         tosa::TransposeOp transpose,
                                         unsigned constantIndex,
                                         PatternRewriter &rewriter) {
    Value constant = op->getOperand(constantIndex);
    DenseIntElementsAttr perms;
    auto constantType = dyn_cast<RankedTensorType>(constant.getType());
    auto inputType =
        dyn_cast<RankedTensorType>(transpose.getInput1().getType());
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!matchPattern(constant, m_Constant()) || !maySink(transpose) ||
        !matchPattern(transpose.getPerms(), m_Constant(&perms)) ||
        !constantType || !inputType || !resultType ||
        constantType.getRank() != inputType.getRank() ||
        cast<RankedTensorType>(transpose.getType()).getShape() !=
            resultType.getShape())
      return rewriter.notifyMatchFailure(op, "no lone transpose and constant");
    SmallVector<int32_t> inverse(perms.getNumElements());
    SmallVector<int64_t> constantShape(inverse.size());
    for (auto [i, p] : llvm::enumerate(perms.getValues<APInt>())) {
      int64_t d = p.getSExtValue();
      if (d < 0 || d >= static_cast<int64_t>(inverse.size()))
        return rewriter.notifyMatchFailure(op, "permutation out of range");
      inverse[d] = static_cast<int32_t>(i);
    }
    for (size_t d = 0; d < inverse.size(); ++d)
      constantShape[d] = constantType.getDimSize(inverse[d]);
    Location loc = op->getLoc();
    auto permsType =
        RankedTensorType::get({int64_t(inverse.size())}, rewriter.getI32Type());
    Value inversePerms = rewriter.create<tosa::ConstOp>(
        loc, permsType, DenseIntElementsAttr::get(permsType, inverse));
    Value moved = rewriter.create<tosa::TransposeOp>(
        loc,
        RankedTensorType::get(constantShape, constantType.getElementType()),
        constant, inversePerms);
    Operation *clone = rewriter.clone(*op);
    clone->setOperand(1 - constantIndex, transpose.getInput1());
    clone->setOperand(constantIndex, moved);
    clone->getResult(0).setType(RankedTensorType::get(
        inputType.getShape(), resultType.getElementType()));
    rewriter.replaceOpWithNewOp<tosa::TransposeOp>(
        op, resultType, clone->getResult(0), transpose.getPerms());
    return success();
  }
};

struct QCSinkTransposesPass
    : public qc::impl::QCSinkTransposesBase<QCSinkTransposesPass> {
  using QCSinkTransposesBase::QCSinkTransposesBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SinkTransposeBelowUnary, SinkTransposeBelowBinary>(
        &getContext());
    tosa::TransposeOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
