//===- ThresholdPackPatterns.cpp - Thresholds straight into sign words ----===//
//
// The qc-fuse rewrite that keeps a binary network's activations packed from
// one binary layer to the next: the signs (and the nonzero mask) that
// qc.bitpack takes of a qc.multi_threshold of an integer accumulator are
// computed from the accumulator by qc.threshold_pack, with the float
// thresholds turned into integers. A max-pool between the accumulator's
// cast and the thresholds moves onto the integers. The float tensors of
// the activations, and their packing, then never exist.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCOps.h"
#include "passes/QCFusePatterns.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <cstdint>
#include <limits>

using namespace mlir;
using namespace mlir::qc;

namespace {

/// The integer threshold equivalent to float threshold `t` on integers
/// held exactly in f32: x >= t exactly when x >= ceil(t). Thresholds no
/// integer reaches (+inf, NaN, beyond the i32 range) become INT32_MAX,
/// which no sum the rewrite admits reaches (|sum| <= 2^24).
int32_t toIntegerThreshold(float t) {
  if (std::isnan(t) || t > static_cast<float>(INT32_MAX))
    return INT32_MAX;
  if (t < static_cast<float>(INT32_MIN))
    return INT32_MIN;
  return static_cast<int32_t>(std::ceil(static_cast<double>(t)));
}

/// Whether the packed bit of each level (count of thresholds reached)
/// follows `expected`, for every channel: level values count * scale +
/// bias, through the quantize/dequantize round trip of `type` when there is
/// one, then the sign (or nonzero) compare qc.bitpack makes.
bool levelsPackAs(MultiThresholdOp threshold, QuantizedTypeInterface type,
                  int64_t channels, bool nonzero, ArrayRef<bool> expected) {
  float scale = static_cast<float>(threshold.getOutScale().convertToDouble());
  float bias = static_cast<float>(threshold.getOutBias().convertToDouble());
  int64_t typeChannels = type ? type.getNumChannels() : 1;
  if (typeChannels != 1 && typeChannels != channels)
    return false;
  for (int64_t c = 0; c < typeChannels; ++c) {
    for (size_t level = 0; level < expected.size(); ++level) {
      double value = static_cast<float>(level) * scale + bias;
      if (type)
        value = static_cast<float>(
            type.dequantizeCode(type.quantizeToCode(value, c), c));
      bool bit = nonzero ? (value != 0.0 && !std::isnan(value)) : value < 0.0;
      if (bit != expected[level])
        return false;
    }
  }
  return true;
}

/// qc.bitpack(v) with v = qc.multi_threshold(tosa.cast(acc)) -- through one
/// max-pool after the cast, and a quantize/dequantize pair after the
/// thresholds that keeps their levels' signs -- becomes
/// qc.threshold_pack(acc) (of the max-pooled acc). acc is an i16
/// accumulator, or an i32 one of a qc.xnor_popcount whose sums stay within
/// 2^24, so that its f32 cast is exact; one threshold per channel gives
/// levels -1, +1, two give -1, 0, +1.
struct ThresholdsIntoPackedSigns : public OpRewritePattern<BitpackOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BitpackOp op,
                                PatternRewriter &rewriter) const override {
    // Back to the thresholds, through transposes that cancel out (the
    // model's NCHW activations between NHWC layers).
    SmallVector<int64_t> composed; // result dim i is the source's composed[i]
    auto skipTransposes = [&](Value value) {
      while (auto transpose = value.getDefiningOp<tosa::TransposeOp>()) {
        SmallVector<int64_t> perms;
        if (failed(transpose.getConstantPerms(perms)))
          return value;
        if (composed.empty())
          composed = perms;
        else
          for (int64_t &d : composed)
            d = perms[d];
        value = transpose.getInput1();
      }
      return value;
    };
    Value values = skipTransposes(op.getInput());
    QuantizedTypeInterface roundTrip;
    if (auto dequantize = values.getDefiningOp<DequantizeOp>()) {
      auto quantize = dequantize.getInput().getDefiningOp<QuantizeOp>();
      if (!quantize)
        return rewriter.notifyMatchFailure(op, "not a quantized threshold");
      roundTrip = dyn_cast<QuantizedTypeInterface>(
          getElementTypeOrSelf(quantize.getType()));
      values = skipTransposes(quantize.getInput());
    }
    for (int64_t d = 0; d < static_cast<int64_t>(composed.size()); ++d)
      if (composed[d] != d)
        return rewriter.notifyMatchFailure(op, "transposes do not cancel");
    // Between transposes, the round trip's parameters must not depend on
    // the axis.
    if (roundTrip && !composed.empty() && roundTrip.getNumChannels() != 1)
      return rewriter.notifyMatchFailure(op, "per-channel round trip moved");
    auto threshold = values.getDefiningOp<MultiThresholdOp>();
    if (!threshold)
      return rewriter.notifyMatchFailure(op, "not signs of thresholds");
    auto valuesType = cast<RankedTensorType>(threshold.getType());
    int64_t channels = valuesType.getShape().back();
    if (valuesType.getRank() < 1 || ShapedType::isDynamic(channels) ||
        !cast<IntegerType>(op.getType().getElementType()).isInteger(32))
      return rewriter.notifyMatchFailure(op, "dynamic channels or not i32");
    if (roundTrip && roundTrip.getQuantAxis() >= 0 &&
        roundTrip.getQuantAxis() != valuesType.getRank() - 1)
      return rewriter.notifyMatchFailure(op, "quantized along another axis");

    // The accumulator, seen through a max-pool of its cast.
    Value input = threshold.getInput();
    auto pool = input.getDefiningOp<tosa::MaxPool2dOp>();
    if (pool)
      input = pool.getInput();
    auto castOp = input.getDefiningOp<tosa::CastOp>();
    if (!castOp)
      return rewriter.notifyMatchFailure(op, "thresholds not of a cast");
    Value acc = castOp.getInput();
    auto accType = cast<RankedTensorType>(acc.getType());
    auto castType = cast<RankedTensorType>(castOp.getType());
    if (!castType.getElementType().isF32() ||
        !(accType.getElementType().isInteger(16) ||
          accType.getElementType().isInteger(32)))
      return rewriter.notifyMatchFailure(op, "not an f32 cast of i16/i32");
    if (accType.getElementType().isInteger(32)) {
      auto xnor = acc.getDefiningOp<XnorPopcountOp>();
      auto weightShape =
          xnor ? xnor.getWeight().getType().getShape() : ArrayRef<int64_t>();
      int64_t window =
          weightShape.size() == 4 ? weightShape[1] * weightShape[2] : 1;
      if (!xnor || xnor.getDepth() * window > (int64_t(1) << 24))
        return rewriter.notifyMatchFailure(op, "i32 sums beyond 2^24");
    }

    // The integer thresholds, [rows][T].
    DenseFPElementsAttr floats;
    if (!matchPattern(threshold.getThresholds(), m_Constant(&floats)) ||
        !floats.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "thresholds not constant f32");
    auto tableShape = floats.getType().getShape();
    int64_t count = tableShape[1];
    if (count != 1 && count != 2)
      return rewriter.notifyMatchFailure(op, "not 1 or 2 thresholds");
    static const bool kBinarySigns[] = {true, false};
    static const bool kTernarySigns[] = {true, false, false};
    static const bool kTernaryNonzero[] = {true, false, true};
    ArrayRef<bool> expected =
        count == 1 ? ArrayRef<bool>(kBinarySigns)
                   : (op.getNonzero() ? ArrayRef<bool>(kTernaryNonzero)
                                      : ArrayRef<bool>(kTernarySigns));
    if ((count == 1 && op.getNonzero()) ||
        !levelsPackAs(threshold, roundTrip, channels, op.getNonzero(),
                      expected))
      return rewriter.notifyMatchFailure(op, "levels are not signs");
    SmallVector<int32_t> integers;
    for (float t : floats.getValues<float>())
      integers.push_back(toIntegerThreshold(t));
    auto integerType =
        RankedTensorType::get(tableShape, rewriter.getIntegerType(32));
    Location loc = op.getLoc();
    Value table = rewriter.create<tosa::ConstOp>(
        loc, integerType, DenseIntElementsAttr::get(integerType, integers));

    // Max-pool and monotone thresholds commute: pool the integers (once
    // for the signs and the mask).
    if (pool) {
      auto poolType = RankedTensorType::get(
          cast<RankedTensorType>(pool.getType()).getShape(),
          accType.getElementType());
      Value pooled;
      for (Operation *user : acc.getUsers())
        if (auto other = dyn_cast<tosa::MaxPool2dOp>(user);
            other && other.getType() == poolType &&
            other.getKernel() == pool.getKernel() &&
            other.getStride() == pool.getStride() &&
            other.getPad() == pool.getPad() &&
            other->getBlock() == op->getBlock() && other->isBeforeInBlock(op))
          pooled = other;
      if (!pooled) {
        // Where the float pool is, before every bitpack of its thresholds.
        OpBuilder::InsertionGuard guard(rewriter);
        rewriter.setInsertionPoint(pool);
        pooled = rewriter.create<tosa::MaxPool2dOp>(
            pool.getLoc(), poolType, acc, pool.getKernelAttr(),
            pool.getStrideAttr(), pool.getPadAttr());
      }
      acc = pooled;
    }
    rewriter.replaceOpWithNewOp<ThresholdPackOp>(op, op.getType(), acc, table,
                                                 op.getNonzeroAttr());
    return success();
  }
};

} // namespace

void mlir::qc::populateThresholdPackPatterns(RewritePatternSet &patterns) {
  patterns.add<ThresholdsIntoPackedSigns>(patterns.getContext());
}
