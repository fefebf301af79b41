//===- QCFusePatterns.cpp - The rewrites of qc-fuse -----------------------===//
//
// The local rewrites qc-fuse applies besides the threshold fusion (see
// QCFusePatterns.h). Each is an OpRewritePattern that leaves the program
// computing the same values: exactly for the integer clamp, the packed
// max-pool and the cancellations, and up to float rounding of the composed
// constants for the batch-normalization and output-transform folds.
//
//===----------------------------------------------------------------------===//

#include "passes/QCFusePatterns.h"
#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"
#include "passes/Analysis/MacKernelSelection.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;

std::optional<SmallVector<float>> mlir::qc::getChannelValues(Value value,
                                                             int64_t axis,
                                                             int64_t rank,
                                                             int64_t channels) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.getElementType().isF32())
    return std::nullopt;
  if (attr.isSplat())
    return SmallVector<float>{attr.getSplatValue<float>()};
  auto shape = cast<ShapedType>(attr.getType()).getShape();
  if (static_cast<int64_t>(shape.size()) != rank || axis < 0 || axis >= rank)
    return std::nullopt;
  for (int64_t d = 0; d < rank; ++d)
    if (shape[d] != (d == axis ? channels : 1))
      return std::nullopt;
  return SmallVector<float>(attr.getValues<float>());
}

namespace {

/// Entry `c` of per-channel values, or the one value of a splat.
float at(ArrayRef<float> values, int64_t c) {
  return values.size() == 1 ? values[0] : values[c];
}

/// A float tosa.mul, tosa.add or tosa.sub of a value and a constant: the
/// value, the constant, and which operand the constant is.
struct ConstantStep {
  enum Kind { Mul, Add, Sub } kind;
  Value input;
  Value constant;
  unsigned constantIndex;
};

/// `op` as a step on a value by a constant that does not broadcast the
/// value to a larger shape (x - c, but not c - x).
std::optional<ConstantStep> matchConstantStep(Operation *op) {
  ConstantStep step;
  if (auto mul = dyn_cast<tosa::MulOp>(op)) {
    if (mul.getShift() != 0)
      return std::nullopt;
    step.kind = ConstantStep::Mul;
  } else if (isa<tosa::AddOp>(op)) {
    step.kind = ConstantStep::Add;
  } else if (isa<tosa::SubOp>(op)) {
    step.kind = ConstantStep::Sub;
  } else {
    return std::nullopt;
  }
  bool lhsConstant = matchPattern(op->getOperand(0), m_Constant());
  bool rhsConstant = matchPattern(op->getOperand(1), m_Constant());
  if (lhsConstant == rhsConstant ||
      (step.kind == ConstantStep::Sub && lhsConstant))
    return std::nullopt;
  step.constantIndex = lhsConstant ? 0 : 1;
  step.constant = op->getOperand(step.constantIndex);
  step.input = op->getOperand(1 - step.constantIndex);
  auto type = dyn_cast<RankedTensorType>(step.input.getType());
  if (!type || type != op->getResult(0).getType() ||
      !type.getElementType().isF32())
    return std::nullopt;
  return step;
}

/// `value` seen back through tosa.transposes that have no other user: the
/// value before them, and where that value's innermost (channel) axis is in
/// `value`'s layout.
std::optional<std::pair<Value, int64_t>> skipTransposes(Value value) {
  SmallVector<SmallVector<int64_t>> permutations;
  while (auto transpose = value.getDefiningOp<tosa::TransposeOp>()) {
    if (!transpose->hasOneUse())
      return std::nullopt;
    SmallVector<int64_t> perms;
    if (failed(transpose.getConstantPerms(perms)))
      return std::nullopt;
    permutations.push_back(perms);
    value = transpose.getInput1();
  }
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() == 0)
    return std::nullopt;
  int64_t axis = type.getRank() - 1;
  for (ArrayRef<int64_t> perms : llvm::reverse(permutations)) {
    const int64_t *it = llvm::find(perms, axis);
    if (it == perms.end())
      return std::nullopt;
    axis = it - perms.begin();
  }
  return std::make_pair(value, axis);
}

/// A constant f32 tensor of `type` holding `values`.
Value createF32Constant(PatternRewriter &rewriter, Location loc,
                        RankedTensorType type, ArrayRef<float> values) {
  return rewriter.create<tosa::ConstOp>(loc, type,
                                        DenseElementsAttr::get(type, values));
}

//===----------------------------------------------------------------------===//
// Batch normalization folded into float weights
//===----------------------------------------------------------------------===//

/// A per-channel x * a, x + b or x - b after a float convolution or dense
/// layer with constant weight W and bias B (possibly through transposes,
/// as the importer keeps NCHW around the NHWC layer) becomes the layer with
/// W * a and B * a, or B + b, B - b, per output channel. Two applications
/// fold the importer's batch normalization (multiply, then add).
template <typename OpTy>
struct FoldAffineIntoWeights : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    std::optional<ConstantStep> step = matchConstantStep(op);
    if (!step)
      return rewriter.notifyMatchFailure(op, "not a step by a constant");
    std::optional<std::pair<Value, int64_t>> source =
        skipTransposes(step->input);
    if (!source)
      return rewriter.notifyMatchFailure(op, "no channel axis");
    auto [output, axis] = *source;
    Operation *layer = output.getDefiningOp();
    if (!layer ||
        !isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::FullyConnectedOp>(
            layer) ||
        !layer->hasOneUse())
      return rewriter.notifyMatchFailure(op, "not after a single-use layer");
    DenseFPElementsAttr weights, bias;
    if (!matchPattern(layer->getOperand(1), m_Constant(&weights)) ||
        !matchPattern(layer->getOperand(2), m_Constant(&bias)) ||
        !weights.getElementType().isF32() || !bias.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "weights or bias not constant");
    auto outputType = cast<RankedTensorType>(output.getType());
    int64_t channels = outputType.getShape().back();
    auto weightType = cast<RankedTensorType>(weights.getType());
    ArrayRef<int64_t> weightShape = weightType.getShape();
    // Which output channel weight element i belongs to: OHWI and O x K
    // weights are channel-major, HWCM weights have channel c * M + m in
    // their two innermost axes.
    bool depthwise = isa<tosa::DepthwiseConv2DOp>(layer);
    int64_t perChannel =
        weights.getNumElements() / std::max<int64_t>(channels, 1);
    if (ShapedType::isDynamic(channels) || channels == 0 ||
        weightShape.size() != (depthwise                    ? 4u
                               : isa<tosa::Conv2DOp>(layer) ? 4u
                                                            : 2u) ||
        (depthwise ? weightShape[2] * weightShape[3] != channels
                   : weightShape[0] != channels) ||
        (!bias.isSplat() && bias.getNumElements() != channels))
      return rewriter.notifyMatchFailure(op, "unexpected layer shapes");
    std::optional<SmallVector<float>> factors =
        getChannelValues(step->constant, axis, outputType.getRank(), channels);
    if (!factors)
      return rewriter.notifyMatchFailure(op, "constant is not per channel");

    SmallVector<float> newBias;
    for (int64_t c = 0; c < channels; ++c) {
      float b = bias.isSplat() ? bias.getSplatValue<float>()
                               : bias.getValues<float>()[c];
      float f = at(*factors, c);
      newBias.push_back(step->kind == ConstantStep::Mul   ? b * f
                        : step->kind == ConstantStep::Add ? b + f
                                                          : b - f);
    }
    Location loc = op.getLoc();
    auto biasType = RankedTensorType::get({channels}, rewriter.getF32Type());
    Value biasValue = createF32Constant(rewriter, loc, biasType, newBias);
    Value weightValue = layer->getOperand(1);
    if (step->kind == ConstantStep::Mul) {
      SmallVector<float> scaled(weights.getValues<float>());
      for (auto [i, w] : llvm::enumerate(scaled))
        w *= at(*factors, depthwise ? static_cast<int64_t>(i) % channels
                                    : static_cast<int64_t>(i) / perChannel);
      weightValue = createF32Constant(rewriter, loc, weightType, scaled);
    }
    rewriter.modifyOpInPlace(layer, [&] {
      layer->setOperand(1, weightValue);
      layer->setOperand(2, biasValue);
    });
    rewriter.replaceOp(op, step->input);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Cancellation of quantization
//===----------------------------------------------------------------------===//

/// qc.quantize(qc.dequantize(x)) : T with x : T is x: every value of T
/// quantizes back to itself. (QuantizeOp's folder does the same; the
/// pattern makes it part of qc-fuse whatever the driver folds.)
struct QuantizeOfDequantize : public OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto dequantize = op.getInput().getDefiningOp<DequantizeOp>();
    if (!dequantize || dequantize.getInput().getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "not a dequantize of this type");
    rewriter.replaceOp(op, dequantize.getInput());
    return success();
  }
};

/// Whether quantizing to `target` maps every value of `source` (per
/// tensor, f32) to itself, also when the value moves by a relative 1e-6,
/// so that no value sits on one of the target's rounding boundaries.
bool quantizesToItself(QuantizedTypeInterface source,
                       QuantizedTypeInterface target) {
  unsigned bits = source.getCodeBits();
  if (bits > 8)
    return false;
  for (uint64_t code = 0; code < (uint64_t(1) << bits); ++code) {
    float value = static_cast<float>(source.dequantizeCode(code, 0));
    for (int64_t c = 0; c < target.getNumChannels(); ++c)
      for (double x : {double(value), value * (1 - 1e-6), value * (1 + 1e-6)})
        if (static_cast<float>(
                target.dequantizeCode(target.quantizeToCode(x, c), c)) != value)
          return false;
  }
  return true;
}

/// qc.dequantize(qc.quantize(y)) is y when y holds values of a per-tensor
/// binary or ternary type (a qc.dequantize, through transposes, reshapes
/// and max-pools) that the quantize keeps: the sign of a sign, or a binary
/// +-alpha re-quantized to the same alpha.
struct RequantizeOnGrid : public OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto quantize = op.getInput().getDefiningOp<QuantizeOp>();
    if (!quantize)
      return rewriter.notifyMatchFailure(op, "not a dequantize of quantize");
    Value values = quantize.getInput();
    if (values.getType() != op.getType() ||
        !op.getType().getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "types differ");
    Type source = getActivationQuantType(values);
    if (!isa_and_present<BinaryType, TernaryType>(source) ||
        cast<QuantizedTypeInterface>(source).getQuantAxis() != -1)
      return rewriter.notifyMatchFailure(op, "input not on a sign grid");
    auto target =
        cast<QuantizedTypeInterface>(quantize.getType().getElementType());
    if (!quantizesToItself(cast<QuantizedTypeInterface>(source), target))
      return rewriter.notifyMatchFailure(op, "the quantize moves values");
    rewriter.replaceOp(op, values);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Max-pool of signs on packed words
//===----------------------------------------------------------------------===//

/// qc.bitpack(tosa.max_pool2d(x)) with x holding the values of a
/// per-tensor binary type (+-alpha, alpha > 0) becomes
/// qc.packed_max_pool2d(qc.bitpack(x)): with bit 1 meaning -alpha, the
/// window's maximum is -alpha exactly when every element is, the AND of
/// their bits. The pooled words are 1/32 (or 1/64) of the floats.
struct PackedMaxPoolOfSigns : public OpRewritePattern<BitpackOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BitpackOp op,
                                PatternRewriter &rewriter) const override {
    auto pool = op.getInput().getDefiningOp<tosa::MaxPool2dOp>();
    if (!pool || op.getNonzero())
      return rewriter.notifyMatchFailure(op, "not signs of a max-pool");
    auto binary = dyn_cast_if_present<BinaryType>(
        getActivationQuantType(pool.getInput()));
    if (!binary || binary.getAlpha().size() != 1 || !(binary.getAlpha()[0] > 0))
      return rewriter.notifyMatchFailure(op, "pool input not binary");
    auto inputType = dyn_cast<RankedTensorType>(pool.getInput().getType());
    ArrayRef<int64_t> kernel = pool.getKernel(), pad = pool.getPad();
    // Every window must hold an element (padding never wins).
    if (!inputType || inputType.getRank() != 4 || kernel.size() != 2 ||
        pad.size() != 4 || pad[0] >= kernel[0] || pad[1] >= kernel[0] ||
        pad[2] >= kernel[1] || pad[3] >= kernel[1] ||
        ShapedType::isDynamic(inputType.getShape().back()))
      return rewriter.notifyMatchFailure(op, "unsupported pool");
    // Static H and W (the packed pool's lowering needs them), and a result
    // of the extents the window gives.
    ArrayRef<int64_t> stride = pool.getStride();
    ArrayRef<int64_t> packedResult = op.getType().getShape();
    for (int d = 0; d < 2; ++d) {
      int64_t extent = inputType.getDimSize(d + 1);
      int64_t padded = extent + pad[2 * d] + pad[2 * d + 1];
      if (ShapedType::isDynamic(extent) || stride.size() != 2 ||
          stride[d] < 1 || padded < kernel[d] ||
          packedResult[d + 1] != (padded - kernel[d]) / stride[d] + 1)
        return rewriter.notifyMatchFailure(op, "unsupported pool extents");
    }
    auto wordType = cast<IntegerType>(op.getType().getElementType());
    auto packedType = RankedTensorType::get(
        getPackedShape(inputType.getShape(), 1, wordType.getWidth()), wordType);
    Location loc = op.getLoc();
    Value packed = rewriter.create<BitpackOp>(loc, packedType, pool.getInput());
    rewriter.replaceOpWithNewOp<PackedMaxPool2dOp>(
        op, op.getType(), packed, pool.getKernelAttr(), pool.getStrideAttr(),
        pool.getPadAttr());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Output transform
//===----------------------------------------------------------------------===//

/// A layer's float output transform as qc-lower-macs emits it:
/// tosa.cast(acc) * scale + bias, acc an integer accumulator, scale and
/// bias per-channel constants along its innermost axis. Canonicalization
/// drops a multiplier of 1 and a bias of 0, so either step may be missing.
struct OutputTransform {
  tosa::CastOp cast;
  tosa::MulOp mul; // null: multiplier 1
  tosa::AddOp add; // null: bias 0
  unsigned scaleIndex = 1, biasIndex = 1;
  SmallVector<float> scaleValues{1.0f}, biasValues{0.0f};
  RankedTensorType type;
  Value end; // the transform's result
};

std::optional<OutputTransform> matchOutputTransform(Value value) {
  OutputTransform transform;
  transform.end = value;
  Value scale, bias;
  if (auto add = value.getDefiningOp<tosa::AddOp>()) {
    std::optional<ConstantStep> step = matchConstantStep(add);
    if (!step)
      return std::nullopt;
    transform.add = add;
    transform.biasIndex = step->constantIndex;
    bias = step->constant;
    value = step->input;
  }
  if (auto mul = value.getDefiningOp<tosa::MulOp>()) {
    std::optional<ConstantStep> step = matchConstantStep(mul);
    if (!step || (transform.add && !mul->hasOneUse()))
      return std::nullopt;
    transform.mul = mul;
    transform.scaleIndex = step->constantIndex;
    scale = step->constant;
    value = step->input;
  }
  transform.cast = value.getDefiningOp<tosa::CastOp>();
  if (!transform.cast ||
      !isa<IntegerType>(transform.cast.getInput().getType().getElementType()))
    return std::nullopt;
  transform.type = cast<RankedTensorType>(transform.cast.getType());
  int64_t rank = transform.type.getRank();
  int64_t channels = transform.type.getShape().back();
  if (ShapedType::isDynamic(channels) ||
      !transform.type.getElementType().isF32())
    return std::nullopt;
  for (auto [constant, values] : {std::pair{scale, &transform.scaleValues},
                                  std::pair{bias, &transform.biasValues}}) {
    if (!constant)
      continue;
    std::optional<SmallVector<float>> found =
        getChannelValues(constant, rank - 1, rank, channels);
    if (!found)
      return std::nullopt;
    *values = *found;
  }
  return transform;
}

/// A per-channel constant x * g, x + b or x - b after a layer's output
/// transform acc * s + t (possibly through transposes, whose channel axis
/// is followed) composes into it: acc * (s * g) + t * g, or t + b, t - b.
/// One rounding less than the unfused ops, not bit for bit the same.
/// qc-fuse runs it after the threshold fusion, which takes the unfused
/// steps exactly.
template <typename OpTy>
struct AbsorbIntoOutputTransform : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    std::optional<ConstantStep> step = matchConstantStep(op);
    if (!step)
      return rewriter.notifyMatchFailure(op, "not a step by a constant");
    std::optional<std::pair<Value, int64_t>> source =
        skipTransposes(step->input);
    if (!source || !source->first.hasOneUse())
      return rewriter.notifyMatchFailure(op, "no single-use source");
    std::optional<OutputTransform> transform =
        matchOutputTransform(source->first);
    if (!transform)
      return rewriter.notifyMatchFailure(op, "not after an output transform");
    bool isMul = step->kind == ConstantStep::Mul;
    bool direct = step->input == source->first;
    if (direct &&
        (isMul ? !transform->mul && !transform->add : !transform->add))
      return rewriter.notifyMatchFailure(op, "is the output transform");
    int64_t channels = transform->type.getShape().back();
    std::optional<SmallVector<float>> factors = getChannelValues(
        step->constant, source->second,
        cast<RankedTensorType>(op.getType()).getRank(), channels);
    if (!factors)
      return rewriter.notifyMatchFailure(op, "constant is not per channel");

    SmallVector<float> scale, bias;
    for (int64_t c = 0; c < channels; ++c) {
      float s = at(transform->scaleValues, c);
      float t = at(transform->biasValues, c);
      float f = at(*factors, c);
      scale.push_back(isMul ? s * f : s);
      bias.push_back(isMul                             ? t * f
                     : step->kind == ConstantStep::Add ? t + f
                                                       : t - f);
    }
    int64_t rank = transform->type.getRank();
    SmallVector<int64_t> shape(rank, 1);
    shape.back() = channels;
    auto type = RankedTensorType::get(shape, rewriter.getF32Type());
    Location loc = op.getLoc();
    // The transform's one user, before new ops add users of the cast.
    Operation *user = *transform->end.getUsers().begin();
    // The multiply changes when there is one or when the step is one; the
    // add likewise (with no add, the bias stays 0 under a multiply).
    Value x = transform->cast.getResult();
    if (transform->mul) {
      Value scaleValue = createF32Constant(rewriter, loc, type, scale);
      rewriter.modifyOpInPlace(transform->mul, [&] {
        transform->mul->setOperand(transform->scaleIndex, scaleValue);
      });
      x = transform->mul.getResult();
    } else if (isMul) {
      rewriter.setInsertionPointAfterValue(x);
      Value scaleValue = createF32Constant(rewriter, loc, type, scale);
      x = rewriter.create<tosa::MulOp>(loc, transform->type, x, scaleValue,
                                       rewriter.getI8IntegerAttr(0));
    }
    if (transform->add) {
      Value biasValue = createF32Constant(rewriter, loc, type, bias);
      rewriter.modifyOpInPlace(transform->add, [&] {
        transform->add->setOperand(transform->biasIndex, biasValue);
        transform->add->setOperand(1 - transform->biasIndex, x);
      });
      x = transform->add.getResult();
    } else if (!isMul) {
      rewriter.setInsertionPointAfterValue(x);
      Value biasValue = createF32Constant(rewriter, loc, type, bias);
      x = rewriter.create<tosa::AddOp>(loc, transform->type, x, biasValue);
    }
    // The first op after the transform reads its new result.
    if (x != transform->end && !direct) {
      rewriter.modifyOpInPlace(
          user, [&] { user->replaceUsesOfWith(transform->end, x); });
    }
    rewriter.replaceOp(op, direct ? x : step->input);
    return success();
  }
};

/// Whether every element of the constant `value` equals `expected`.
bool isConstantEverywhere(Value value, float expected) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.getElementType().isF32())
    return false;
  return llvm::all_of(attr.getValues<float>(),
                      [&](float v) { return v == expected; });
}

/// A ReLU (tosa.clamp from 0) of an output transform whose multiplier is
/// exactly 1 and bias exactly 0 in every channel -- the float value is the
/// accumulator itself -- clamps the integer accumulator before the cast
/// instead; the float ops in between stay (they are the identity). With
/// any other multiplier or bias, clamping at 0 before them is not the same
/// (a negative multiplier flips it, a bias shifts the cut-off), so nothing
/// fuses. An upper bound fuses when it is an integer the cast represents
/// exactly, or above every accumulator value.
struct ReluOnAccumulator : public OpRewritePattern<tosa::ClampOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::ClampOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getType().getElementType().isF32() || !op.getMinFp().isZero())
      return rewriter.notifyMatchFailure(op, "not a float ReLU");
    Value value = op.getInput();
    tosa::CastOp toFloat;
    while (!toFloat) {
      Operation *def = value.getDefiningOp();
      if (!def || !def->hasOneUse())
        return rewriter.notifyMatchFailure(op, "no single-use chain");
      if (auto castOp = dyn_cast<tosa::CastOp>(def)) {
        toFloat = castOp;
      } else if (auto transpose = dyn_cast<tosa::TransposeOp>(def)) {
        value = transpose.getInput1();
      } else if (std::optional<ConstantStep> step = matchConstantStep(def)) {
        if (!isConstantEverywhere(step->constant,
                                  step->kind == ConstantStep::Mul ? 1 : 0))
          return rewriter.notifyMatchFailure(
              op, "multiplier is not 1 or bias is not 0");
        value = step->input;
      } else {
        return rewriter.notifyMatchFailure(op, "not an output transform");
      }
    }
    auto accType = cast<RankedTensorType>(toFloat.getInput().getType());
    auto intType = dyn_cast<IntegerType>(accType.getElementType());
    if (!intType || intType.getWidth() < 8 || intType.getWidth() > 32)
      return rewriter.notifyMatchFailure(op, "not an integer accumulator");
    double high = op.getMaxFp().convertToDouble();
    double largest = std::ldexp(1.0, intType.getWidth() - 1) - 1;
    int64_t maxInt;
    if (high >= largest)
      maxInt = static_cast<int64_t>(largest);
    else if (high >= 0 && high == std::floor(high) && high <= (1 << 24))
      maxInt = static_cast<int64_t>(high);
    else
      return rewriter.notifyMatchFailure(op, "upper bound not an integer");

    rewriter.setInsertionPoint(toFloat);
    Value clamped = rewriter.create<tosa::ClampOp>(
        op.getLoc(), accType, toFloat.getInput(), rewriter.getI64IntegerAttr(0),
        rewriter.getI64IntegerAttr(maxInt), rewriter.getF32FloatAttr(0),
        rewriter.getF32FloatAttr(static_cast<float>(maxInt)));
    rewriter.modifyOpInPlace(toFloat, [&] { toFloat->setOperand(0, clamped); });
    rewriter.replaceOp(op, op.getInput());
    return success();
  }
};

} // namespace

void mlir::qc::populateFoldBatchNormIntoWeightsPatterns(
    RewritePatternSet &patterns) {
  patterns.add<FoldAffineIntoWeights<tosa::MulOp>,
               FoldAffineIntoWeights<tosa::AddOp>,
               FoldAffineIntoWeights<tosa::SubOp>>(patterns.getContext());
}

void mlir::qc::populateCancelQuantizationPatterns(RewritePatternSet &patterns) {
  patterns.add<QuantizeOfDequantize, RequantizeOnGrid>(patterns.getContext());
}

void mlir::qc::populatePackedMaxPoolPatterns(RewritePatternSet &patterns) {
  patterns.add<PackedMaxPoolOfSigns>(patterns.getContext());
}

void mlir::qc::populateOutputTransformPatterns(RewritePatternSet &patterns) {
  patterns.add<AbsorbIntoOutputTransform<tosa::MulOp>,
               AbsorbIntoOutputTransform<tosa::AddOp>,
               AbsorbIntoOutputTransform<tosa::SubOp>, ReluOnAccumulator>(
      patterns.getContext());
}
