//===- QCFuse.cpp - Fusions on quantized layers ---------------------------===//
//
// Implements qc-fuse. Its own rewrite: a sign activation (ONNX Sign as the
// ternary type with alpha 1 and delta 0, or a per-tensor binary activation)
// of a per-channel affine function of a popcount accumulator -- the layer's
// output transform, a batch normalization, max-pools and transposes in
// between -- becomes a per-channel threshold on the integer accumulator
// itself. The pass applies it first, with the cancellations and the packed
// max-pool of QCFusePatterns.cpp (and, as an option, batch normalization
// folded into float weights), then folds affine ops and ReLU into the
// output transforms that remain.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCOps.h"
#include "passes/Passes.h"
#include "passes/QCFusePatterns.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <limits>

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCFUSE
#include "passes/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;
using namespace mlir::qc;

namespace {

/// One float step of the chain, per channel: x * c, x + c or x - c; or a
/// clamp to [values[0], values[1]] (a ReLU), the same for every channel.
struct AffineStep {
  enum Kind { Mul, Add, Sub, Clamp } kind;
  SmallVector<float> values; // one per channel, or one; lo, hi for Clamp
};

/// The chain from a popcount accumulator to the activation's input.
struct Chain {
  XnorPopcountOp accumulator;
  SmallVector<AffineStep> beforePool, afterPool;
  tosa::MaxPool2dOp pool;
  SmallVector<int64_t> perm; // accumulator layout -> the input's layout
  int64_t channels;
  int64_t maxAbs; // |accumulator| <= maxAbs
};

/// Follows `value` back to a popcount accumulator through per-channel
/// affine steps, transposes and at most one max-pool, each used only once.
std::optional<Chain> matchChain(Value value) {
  SmallVector<Operation *> ops;
  while (true) {
    Operation *def = value.getDefiningOp();
    if (!def || !def->hasOneUse())
      return std::nullopt;
    if (auto castOp = dyn_cast<tosa::CastOp>(def)) {
      auto acc = castOp.getInput().getDefiningOp<XnorPopcountOp>();
      if (!acc || !acc->hasOneUse() ||
          !castOp.getType().getElementType().isF32())
        return std::nullopt;
      Chain chain;
      chain.accumulator = acc;
      auto accType = acc.getType();
      chain.channels = accType.getShape().back();
      int64_t window = 1;
      if (acc.getConvAttr()) {
        auto w = cast<RankedTensorType>(acc.getWeight().getType()).getShape();
        window = w[1] * w[2];
      }
      chain.maxAbs = acc.getDepthAttr().getInt() * window;
      // |accumulator| must be exact in float.
      if (ShapedType::isDynamic(chain.channels) || chain.maxAbs >= (1 << 24))
        return std::nullopt;
      int64_t rank = accType.getRank();
      int64_t axis = rank - 1;
      chain.perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
      // Replay the ops forward, tracking where the channel axis is.
      for (Operation *op : llvm::reverse(ops)) {
        bool identity = llvm::equal(chain.perm, llvm::seq<int64_t>(0, rank));
        if (auto pool = dyn_cast<tosa::MaxPool2dOp>(op)) {
          if (chain.pool || !identity || rank != 4)
            return std::nullopt;
          chain.pool = pool;
          continue;
        }
        if (auto transpose = dyn_cast<tosa::TransposeOp>(op)) {
          SmallVector<int64_t> perms;
          if (failed(transpose.getConstantPerms(perms)))
            return std::nullopt;
          SmallVector<int64_t> composed;
          for (int64_t p : perms)
            composed.push_back(chain.perm[p]);
          chain.perm = composed;
          axis = llvm::find(perms, axis) - perms.begin();
          continue;
        }
        AffineStep step;
        if (auto clamp = dyn_cast<tosa::ClampOp>(op)) {
          float lo = clamp.getMinFp().convertToFloat();
          float hi = clamp.getMaxFp().convertToFloat();
          if (!(lo <= hi))
            return std::nullopt;
          step.kind = AffineStep::Clamp;
          step.values = {lo, hi};
          (chain.pool ? chain.afterPool : chain.beforePool).push_back(step);
          continue;
        }
        if (auto mul = dyn_cast<tosa::MulOp>(op)) {
          if (mul.getShift() != 0)
            return std::nullopt;
          step.kind = AffineStep::Mul;
        } else if (isa<tosa::AddOp>(op)) {
          step.kind = AffineStep::Add;
        } else if (isa<tosa::SubOp>(op)) {
          step.kind = AffineStep::Sub;
        } else {
          return std::nullopt;
        }
        // The constant operand (the second one of a subtraction, as the
        // backward walk checked).
        Value other = matchPattern(op->getOperand(1), m_Constant())
                          ? op->getOperand(1)
                          : op->getOperand(0);
        std::optional<SmallVector<float>> values =
            getChannelValues(other, axis, rank, chain.channels);
        if (!values)
          return std::nullopt;
        step.values = *values;
        (chain.pool ? chain.afterPool : chain.beforePool).push_back(step);
      }
      return chain;
    }
    ops.push_back(def);
    if (isa<tosa::MulOp, tosa::AddOp, tosa::SubOp>(def)) {
      // Follow the non-constant operand.
      Value lhs = def->getOperand(0), rhs = def->getOperand(1);
      bool lhsConstant = matchPattern(lhs, m_Constant());
      bool rhsConstant = matchPattern(rhs, m_Constant());
      if (lhsConstant == rhsConstant || (isa<tosa::SubOp>(def) && lhsConstant))
        return std::nullopt;
      value = lhsConstant ? rhs : lhs;
    } else if (isa<tosa::TransposeOp, tosa::MaxPool2dOp>(def)) {
      value = def->getOperand(0);
    } else if (auto clamp = dyn_cast<tosa::ClampOp>(def);
               clamp && clamp.getType().getElementType().isF32()) {
      value = clamp.getInput();
    } else {
      return std::nullopt;
    }
  }
}

/// Evaluates the steps of channel `c` on `x` in float, as the ops do.
float apply(ArrayRef<AffineStep> steps, int64_t c, float x) {
  for (const AffineStep &step : steps) {
    float v = step.kind == AffineStep::Clamp || step.values.size() == 1
                  ? step.values[0]
                  : step.values[c];
    switch (step.kind) {
    case AffineStep::Mul:
      x = x * v;
      break;
    case AffineStep::Add:
      x = x + v;
      break;
    case AffineStep::Sub:
      x = x - v;
      break;
    case AffineStep::Clamp:
      // As the lowered clamp for the non-NaN values the chain meets
      // (isMonotone rejects a NaN).
      x = x < step.values[0] ? step.values[0] : x;
      x = x > step.values[1] ? step.values[1] : x;
      break;
    }
  }
  return x;
}

/// Whether `f` never decreases (or never increases) over [-m, m], checked
/// at every integer: small accumulators make this exact and cheap.
bool isMonotone(const std::function<float(int64_t)> &f, int64_t m,
                bool increasing) {
  float previous = f(-m);
  for (int64_t x = -m + 1; x <= m; ++x) {
    float current = f(x);
    if (std::isnan(current) ||
        (increasing ? current < previous : current > previous))
      return false;
    previous = current;
  }
  return true;
}

/// The smallest integer x in [-m, m] with pred(x), or m + 1 (pred is
/// monotone: false, then true).
int64_t firstTrue(const std::function<bool(int64_t)> &pred, int64_t m) {
  int64_t lo = -m, hi = m + 1;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (pred(mid))
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

/// A sign activation of a per-channel affine function of a popcount
/// accumulator becomes qc.multi_threshold on the accumulator, whose
/// thresholds are found by evaluating the chain's own float steps, so that
/// the fused layer gives bit for bit the unfused layer's signs.
struct SignOfAffineAccumulatorToThresholds
    : public OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    Type element = op.getType().getElementType();
    // Sign: -1, 0, +1 (ternary, alpha 1, delta 0); bipolar: -a or +a.
    bool ternarySign = false;
    double alpha = 1;
    if (auto ternary = dyn_cast<TernaryType>(element)) {
      if (ternary.getAlphaP().asArrayRef() != ArrayRef<double>{1.0} ||
          ternary.getAlphaN().asArrayRef() != ArrayRef<double>{1.0} ||
          ternary.getDelta().asArrayRef() != ArrayRef<double>{0.0})
        return rewriter.notifyMatchFailure(op, "ternary but not a sign");
      ternarySign = true;
    } else if (auto binary = dyn_cast<BinaryType>(element)) {
      if (binary.getAlpha().size() != 1 || !(binary.getAlpha()[0] > 0))
        return rewriter.notifyMatchFailure(op, "binary but not per tensor");
      alpha = binary.getAlpha()[0];
    } else {
      return rewriter.notifyMatchFailure(op, "not a sign activation");
    }
    std::optional<Chain> chain = matchChain(op.getInput());
    if (!chain)
      return rewriter.notifyMatchFailure(op, "not an affine accumulator");

    int64_t m = chain->maxAbs;
    SmallVector<float> thresholds, directions;
    for (int64_t c = 0; c < chain->channels; ++c) {
      auto before = [&](int64_t x) {
        return apply(chain->beforePool, c, static_cast<float>(x));
      };
      auto full = [&](int64_t x) {
        return apply(chain->afterPool, c, before(x));
      };
      // A max-pool commutes with what precedes it only if that never
      // decreases along the accumulator.
      if (chain->pool && !isMonotone(before, m, /*increasing=*/true))
        return rewriter.notifyMatchFailure(op, "decreasing before the pool");
      bool up = isMonotone(full, m, true), down = isMonotone(full, m, false);
      if (!up && !down)
        return rewriter.notifyMatchFailure(op, "not monotone");
      // In the direction d = +-1, sign(f) is -1, 0, +1 over increasing
      // d * acc; the thresholds are the first d * acc reaching each level.
      float d = up ? 1.0f : -1.0f;
      auto value = [&](int64_t y) { return full(static_cast<int64_t>(d) * y); };
      auto edge = [&](int64_t first) {
        if (first <= -m)
          return -std::numeric_limits<float>::infinity();
        if (first > m)
          return std::numeric_limits<float>::infinity();
        return static_cast<float>(first);
      };
      int64_t zeroOrMore =
          firstTrue([&](int64_t y) { return value(y) >= 0; }, m);
      if (ternarySign) {
        int64_t positive =
            firstTrue([&](int64_t y) { return value(y) > 0; }, m);
        thresholds.append({edge(zeroOrMore), edge(positive)});
      } else {
        // Binary: x < 0 is -alpha, everything else (0 too) +alpha.
        thresholds.push_back(edge(zeroOrMore));
      }
      directions.push_back(d);
    }

    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    XnorPopcountOp acc = chain->accumulator;
    auto accType = acc.getType();
    auto floatType = accType.clone(rewriter.getF32Type());
    Value x = rewriter.create<tosa::CastOp>(loc, floatType, acc.getResult());
    if (chain->pool) {
      auto poolType = chain->pool.getType();
      x = rewriter.create<tosa::MaxPool2dOp>(
          loc, poolType, x, chain->pool.getKernelAttr(),
          chain->pool.getStrideAttr(), chain->pool.getPadAttr());
    }
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t rank = xType.getRank();
    if (llvm::any_of(directions, [](float d) { return d < 0; })) {
      SmallVector<int64_t> shape(rank, 1);
      shape.back() = chain->channels;
      auto type = RankedTensorType::get(shape, rewriter.getF32Type());
      Value d = rewriter.create<tosa::ConstOp>(
          loc, type, DenseElementsAttr::get(type, ArrayRef<float>(directions)));
      x = rewriter.create<tosa::MulOp>(loc, xType, x, d,
                                       rewriter.getI8IntegerAttr(0));
    }
    int64_t levels = ternarySign ? 2 : 1;
    auto tableType =
        RankedTensorType::get({chain->channels, levels}, rewriter.getF32Type());
    Value table = rewriter.create<tosa::ConstOp>(
        loc, tableType,
        DenseElementsAttr::get(tableType, ArrayRef<float>(thresholds)));
    // Ternary: count - 1; binary: alpha * (2 * count - 1).
    Value result = rewriter.create<MultiThresholdOp>(
        loc, xType, x, table,
        rewriter.getF64FloatAttr(ternarySign ? 1.0 : 2 * alpha),
        rewriter.getF64FloatAttr(ternarySign ? -1.0 : -alpha));
    if (!llvm::equal(chain->perm, llvm::seq<int64_t>(0, rank))) {
      SmallVector<int32_t> perms(chain->perm.begin(), chain->perm.end());
      auto permsType = RankedTensorType::get({rank}, rewriter.getI32Type());
      Value permsValue = rewriter.create<tosa::ConstOp>(
          loc, permsType,
          DenseElementsAttr::get(permsType, ArrayRef<int32_t>(perms)));
      result = rewriter.create<tosa::TransposeOp>(loc, op.getInput().getType(),
                                                  result, permsValue);
    }
    // The old chain is left dead; the driver erases it.
    rewriter.modifyOpInPlace(op, [&] { op.getInputMutable().assign(result); });
    return success();
  }
};

struct QCFusePass : public qc::impl::QCFuseBase<QCFusePass> {
  using QCFuseBase::QCFuseBase;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    // Thresholds first: they read the output transform's float steps as
    // they are, bit for bit, so nothing may compose those steps before.
    RewritePatternSet first(context);
    first.add<SignOfAffineAccumulatorToThresholds>(context);
    populateCancelQuantizationPatterns(first);
    populatePackedMaxPoolPatterns(first);
    if (foldBnIntoWeights)
      populateFoldBatchNormIntoWeightsPatterns(first);
    // Not converging within the iteration limit leaves valid IR.
    (void)applyPatternsAndFoldGreedily(getOperation(), std::move(first));

    RewritePatternSet second(context);
    populateOutputTransformPatterns(second);
    populateCancelQuantizationPatterns(second);
    populateThresholdPackPatterns(second);
    (void)applyPatternsAndFoldGreedily(getOperation(), std::move(second));
  }
};

} // namespace
