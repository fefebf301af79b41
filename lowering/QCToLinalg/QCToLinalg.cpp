//===- QCToLinalg.cpp - qc quantization to float linalg -------------------===//
//
// Lowers qc's quantize/dequantize/constant to float math on tensors and
// implements the convert-qc-to-linalg pass. The rounding is the one each
// type defines (see QCTypes.cpp, which folds constants the same way):
//   uniform      (clamp(roundeven(x / s) + z, qmin, qmax) - z) * s
//   binary       x < 0 ? -alpha : alpha
//   ternary      x > delta ? alpha_p : x < -delta ? -alpha_n : 0
//   power of 2   nearest of {0, s * 2^e}: 0 below s * 2^emin / 2, 2^e below
//                1.5 * 2^e, saturating at 2^emax; sign of x
//   codebook     nearest centroid, ties to the lower one
// Parameters that vary along an axis enter the element-wise linalg.generic
// as 1-D tensors indexed by that axis.
//
// The bit-packed kernels that the CPU pipeline runs directly lower here too:
// qc.bitpack to an or-reduction of sign bits and qc.xnor_popcount to a
// popcount reduction over (window x) words, both as linalg on tensors.
//
//===----------------------------------------------------------------------===//

#include "lowering/QCToLinalg/QCToLinalg.h"
#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"
#include "lowering/QCToLinalg/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::builders;

QuantizedToFloatTypeConverter::QuantizedToFloatTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](RankedTensorType type) -> Type {
    auto quantized = dyn_cast<QuantizedTypeInterface>(type.getElementType());
    if (!quantized)
      return type;
    return type.clone(quantized.getExpressedFloatType());
  });
}

namespace {

/// Per-channel parameter vectors of a quantized type, and how to compute
/// the rounded value of one element from them.
struct FakeQuantRecipe {
  /// One vector per parameter, each with one entry per channel (or one).
  SmallVector<SmallVector<double>> params;
  /// Emits the rounded value of `x` given the scalar parameters.
  std::function<Value(OpBuilder &, Location, Value x, ValueRange params)> emit;
};

Value select(OpBuilder &b, Location loc, Value cond, Value a, Value c) {
  return b.create<arith::SelectOp>(loc, cond, a, c);
}

Value cmp(OpBuilder &b, Location loc, arith::CmpFPredicate pred, Value a,
          Value c) {
  return b.create<arith::CmpFOp>(loc, pred, a, c);
}

/// The recipe of `type`, or nullopt when the type is not one qc knows.
std::optional<FakeQuantRecipe> getRecipe(Type type) {
  int64_t channels = cast<QuantizedTypeInterface>(type).getNumChannels();
  auto perChannel = [&](auto fn) {
    SmallVector<double> values;
    for (int64_t c = 0; c < channels; ++c)
      values.push_back(fn(c));
    return values;
  };
  auto asVector = [](ArrayRef<double> values) {
    return SmallVector<double>(values.begin(), values.end());
  };

  if (auto binary = dyn_cast<BinaryType>(type)) {
    return FakeQuantRecipe{
        {asVector(binary.getAlpha().asArrayRef())},
        [](OpBuilder &b, Location loc, Value x, ValueRange p) {
          Value zero = constantF(b, loc, x.getType(), 0.0);
          Value negative = cmp(b, loc, arith::CmpFPredicate::OLT, x, zero);
          Value minus = b.create<arith::NegFOp>(loc, p[0]);
          return select(b, loc, negative, minus, p[0]);
        }};
  }
  if (auto ternary = dyn_cast<TernaryType>(type)) {
    return FakeQuantRecipe{
        {asVector(ternary.getAlphaN().asArrayRef()),
         asVector(ternary.getAlphaP().asArrayRef()),
         asVector(ternary.getDelta().asArrayRef())},
        [](OpBuilder &b, Location loc, Value x, ValueRange p) {
          Value zero = constantF(b, loc, x.getType(), 0.0);
          Value minusDelta = b.create<arith::NegFOp>(loc, p[2]);
          Value minusAlpha = b.create<arith::NegFOp>(loc, p[0]);
          Value low = select(
              b, loc, cmp(b, loc, arith::CmpFPredicate::OLT, x, minusDelta),
              minusAlpha, zero);
          return select(b, loc, cmp(b, loc, arith::CmpFPredicate::OGT, x, p[2]),
                        p[1], low);
        }};
  }
  if (auto pot = dyn_cast<PowerOfTwoType>(type)) {
    int64_t emin = pot.getEmin(), emax = pot.getEmax();
    return FakeQuantRecipe{
        {asVector(pot.getScale().asArrayRef())},
        [emin, emax](OpBuilder &b, Location loc, Value x, ValueRange p) {
          Type t = x.getType();
          Value magnitude = b.create<arith::DivFOp>(
              loc, b.create<math::AbsFOp>(loc, x), p[0]);
          Value level = constantF(b, loc, t, 0.0);
          // Thresholds between consecutive levels, from the bottom up.
          auto raise = [&](double threshold, double value) {
            Value reached = cmp(b, loc, arith::CmpFPredicate::OGE, magnitude,
                                constantF(b, loc, t, threshold));
            level = select(b, loc, reached, constantF(b, loc, t, value), level);
          };
          raise(std::ldexp(0.5, emin), std::ldexp(1.0, emin));
          for (int64_t e = emin; e < emax; ++e)
            raise(std::ldexp(1.5, e), std::ldexp(1.0, e + 1));
          Value value = b.create<arith::MulFOp>(loc, level, p[0]);
          Value negative = cmp(b, loc, arith::CmpFPredicate::OLT, x,
                               constantF(b, loc, t, 0.0));
          return select(b, loc, negative, b.create<arith::NegFOp>(loc, value),
                        value);
        }};
  }
  if (auto codebook = dyn_cast<CodebookType>(type)) {
    int64_t k = codebook.getNumCentroids();
    SmallVector<SmallVector<double>> params;
    for (int64_t i = 0; i < k; ++i)
      params.push_back(
          perChannel([&](int64_t c) { return codebook.getCentroid(c, i); }));
    return FakeQuantRecipe{
        params, [k](OpBuilder &b, Location loc, Value x, ValueRange p) {
          // Walk up the sorted centroids; move past a midpoint only when x
          // is strictly above it, so ties stay with the lower centroid.
          Value value = p[0];
          Value half = constantF(b, loc, x.getType(), 0.5);
          for (int64_t i = 1; i < k; ++i) {
            Value mid = b.create<arith::MulFOp>(
                loc, b.create<arith::AddFOp>(loc, p[i - 1], p[i]), half);
            value =
                select(b, loc, cmp(b, loc, arith::CmpFPredicate::OGT, x, mid),
                       p[i], value);
          }
          return value;
        }};
  }
  auto uniformParams =
      [&](ArrayRef<double> scales,
          ArrayRef<int64_t> zeroPoints) -> SmallVector<SmallVector<double>> {
    SmallVector<double> zp(zeroPoints.begin(), zeroPoints.end());
    return {SmallVector<double>(scales.begin(), scales.end()), zp};
  };
  auto uniformEmit = [](double qmin, double qmax) {
    return [qmin, qmax](OpBuilder &b, Location loc, Value x, ValueRange p) {
      Type t = x.getType();
      Value q = b.create<math::RoundEvenOp>(
          loc, b.create<arith::DivFOp>(loc, x, p[0]));
      q = b.create<arith::AddFOp>(loc, q, p[1]);
      q = b.create<arith::MaximumFOp>(loc, q, constantF(b, loc, t, qmin));
      q = b.create<arith::MinimumFOp>(loc, q, constantF(b, loc, t, qmax));
      return b
          .create<arith::MulFOp>(loc, b.create<arith::SubFOp>(loc, q, p[1]),
                                 p[0])
          .getResult();
    };
  };
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(type)) {
    return FakeQuantRecipe{
        uniformParams({uniform.getScale()}, {uniform.getZeroPoint()}),
        uniformEmit(uniform.getStorageTypeMin(), uniform.getStorageTypeMax())};
  }
  if (auto uniform = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    return FakeQuantRecipe{
        uniformParams(uniform.getScales(), uniform.getZeroPoints()),
        uniformEmit(uniform.getStorageTypeMin(), uniform.getStorageTypeMax())};
  }
  return std::nullopt;
}

/// qc.quantize -> element-wise rounding to the values of the type.
struct QuantizeToLinalg : public OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType quantType = op.getType();
    auto quantized = cast<QuantizedTypeInterface>(quantType.getElementType());
    std::optional<FakeQuantRecipe> recipe = getRecipe(quantized);
    if (!recipe)
      return rewriter.notifyMatchFailure(op, "no reference rounding for type");
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto floatType = cast<RankedTensorType>(input.getType());
    Type element = floatType.getElementType();
    int64_t rank = floatType.getRank();
    int64_t axis = quantized.getQuantAxis();

    // Inputs: x, then one 1-D parameter tensor per parameter.
    SmallVector<Value> inputs{input};
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank)};
    AffineMap paramMap =
        axis < 0 ? AffineMap::get(rank, 0, rewriter.getAffineConstantExpr(0))
                 : AffineMap::get(rank, 0, rewriter.getAffineDimExpr(axis));
    for (ArrayRef<double> values : recipe->params) {
      auto type = RankedTensorType::get({(int64_t)values.size()}, element);
      SmallVector<Attribute> attrs;
      for (double v : values)
        attrs.push_back(rewriter.getFloatAttr(element, v));
      inputs.push_back(rewriter.create<arith::ConstantOp>(
          loc, DenseElementsAttr::get(type, attrs)));
      maps.push_back(paramMap);
    }
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));

    SmallVector<Value> dynamicSizes;
    for (int64_t d = 0; d < rank; ++d)
      if (floatType.isDynamicDim(d))
        dynamicSizes.push_back(rewriter.create<tensor::DimOp>(loc, input, d));
    Value init = rewriter.create<tensor::EmptyOp>(loc, floatType.getShape(),
                                                  element, dynamicSizes);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{floatType}, inputs, ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value y = recipe->emit(b, l, args[0], args.drop_front().drop_back());
          b.create<linalg::YieldOp>(l, y);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// qc.dequantize -> its (already float) operand.
struct DequantizeToFloat : public OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

/// qc.constant -> the float constant of the values its codes stand for.
struct ConstantToFloat : public OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    auto quantized = cast<QuantizedTypeInterface>(type.getElementType());
    auto words = cast<DenseIntElementsAttr>(op.getValue());
    SmallVector<uint64_t> codes =
        unpackCodes(words, type.getShape(), quantized.getCodeBits());
    SmallVector<double> values =
        dequantizeCodes(quantized, codes, type.getShape());
    FloatType element = quantized.getExpressedFloatType();
    SmallVector<APFloat> floats;
    for (double v : values) {
      APFloat f(v);
      bool lossy;
      f.convert(element.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                &lossy);
      floats.push_back(f);
    }
    auto floatType = type.clone(element);
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, DenseElementsAttr::get(floatType, floats));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Bit-packed kernels
//===----------------------------------------------------------------------===//

/// `acc - 2 * count`, the step of a +-1 dot product for `count` sign
/// mismatches.
Value subtractTwice(OpBuilder &b, Location loc, Value acc, Value count) {
  Value twice = b.create<arith::MulIOp>(loc, count,
                                        constantI(b, loc, count.getType(), 2));
  return b.create<arith::SubIOp>(loc, acc, twice);
}

/// qc.bitpack -> an or-reduction of shifted sign bits. The innermost axis
/// is padded with +0.0 to whole words, so that the tail bits come out 0,
/// and split into (word, bit) for a generic over (outer..., word, bit).
struct BitpackToLinalg : public OpConversionPattern<BitpackOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BitpackOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Type element = cast<RankedTensorType>(input.getType()).getElementType();
    auto wordType = cast<IntegerType>(op.getType().getElementType());
    arith::CmpFPredicate predicate =
        op.getNonzero() ? arith::CmpFPredicate::ONE : arith::CmpFPredicate::OLT;
    // The tail is padded with +0.0, whose bits come out 0.
    Value packed = emitBitPacking(
        rewriter, loc, input, wordType, constantF(rewriter, loc, element, 0.0),
        /*planes=*/0, [&](OpBuilder &b, Location l, Value x, Value) {
          // Ordered compares: NaN (and +-0.0) give 0.
          return cmp(b, l, predicate, x, constantF(b, l, element, 0.0));
        });
    // f32 values into 32-bit words are the runtime's bit packing
    // (convert-qc-to-runtime-calls).
    if (auto generic = packed.getDefiningOp<linalg::GenericOp>();
        generic && element.isF32() && wordType.getWidth() == 32)
      generic->setAttr(
          kBitPackKernelAttr,
          rewriter.getStringAttr(op.getNonzero() ? "nonzero" : "sign"));
    rewriter.replaceOp(op, castTo(rewriter, loc, packed, op.getType()));
    return success();
  }
};

/// qc.xnor_popcount -> one linalg.generic reducing over the window words.
/// The accumulator starts at the part of each output that does not depend
/// on the activations, so the reduction only subtracts mismatches:
///   no mask: depth * KH * KW (tail bits are 0 in both operands and match),
///            minus, for zero-padding, what one-padding adds at the border;
///   mask:    0, and each word adds popcount(m) - 2 popcount(m & (a ^ w)).
/// Padded positions are zero words (+1, or mask 0) from tensor.pad.
struct XnorPopcountToLinalg : public OpConversionPattern<XnorPopcountOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(XnorPopcountOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    Value mask = adaptor.getMask();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto weightType = cast<RankedTensorType>(weight.getType());
    auto wordType = cast<IntegerType>(inputType.getElementType());
    auto accType = cast<IntegerType>(op.getType().getElementType());
    int64_t depth = op.getDepth();
    std::optional<ConvAttr> conv = op.getConv();
    auto dim = [&](unsigned d) { return getAffineDimExpr(d, context); };

    SmallVector<OpFoldResult> sizes;
    SmallVector<AffineMap> maps;
    SmallVector<utils::IteratorType> iterators;
    int64_t windowSize = 1;
    Value constantPart;
    if (!conv) {
      // Loops (n, m, word).
      sizes = {tensor::getMixedSize(rewriter, loc, input, 0),
               tensor::getMixedSize(rewriter, loc, weight, 0)};
      AffineMap inputMap = mapOf(context, 3, {dim(0), dim(2)});
      maps = {inputMap, mapOf(context, 3, {dim(1), dim(2)})};
      if (mask)
        maps.push_back(inputMap);
      maps.push_back(mapOf(context, 3, {dim(0), dim(1)}));
      iterators = {utils::IteratorType::parallel, utils::IteratorType::parallel,
                   utils::IteratorType::reduction};
    } else {
      int64_t h = inputType.getDimSize(1), w = inputType.getDimSize(2);
      int64_t kh = weightType.getDimSize(1), kw = weightType.getDimSize(2);
      if (ShapedType::isDynamic(h) || ShapedType::isDynamic(w) ||
          ShapedType::isDynamic(kh) || ShapedType::isDynamic(kw))
        return op.emitOpError()
               << "lowering to linalg needs static input H and W and kernel "
                  "KH and KW, got input "
               << inputType << " and weight " << weightType;
      windowSize = kh * kw;
      ArrayRef<int64_t> strides = conv->getStrides();
      ArrayRef<int64_t> dilation = conv->getDilation();
      ArrayRef<int64_t> pad = conv->getPad();
      int64_t oh = conv->getOutputSize(0, h, kh);
      int64_t ow = conv->getOutputSize(1, w, kw);

      if (llvm::any_of(pad, [](int64_t p) { return p != 0; })) {
        Value zeroWord = constantI(rewriter, loc, wordType, 0);
        input = padSpatial(rewriter, loc, input, pad, zeroWord);
        if (mask)
          mask = padSpatial(rewriter, loc, mask, pad, zeroWord);
        if (!mask && op.getPadValue() == 0)
          constantPart = zeroPaddedConstantPart(
              rewriter, loc, op, input, weight, accType, {h, w, oh, ow});
      }

      // Loops (n, oh, ow, kh, kw, word, o): the output channels innermost,
      // so that one input word meets O weight words laid out contiguously
      // (the weights transposed to KH x KW x words x O) and O accumulators,
      // which the vectorizer turns into SIMD xor/popcount/add.
      sizes = {tensor::getMixedSize(rewriter, loc, input, 0),
               rewriter.getIndexAttr(oh), rewriter.getIndexAttr(ow),
               tensor::getMixedSize(rewriter, loc, weight, 0)};
      auto weightType = cast<RankedTensorType>(weight.getType());
      SmallVector<OpFoldResult> transposedSizes;
      for (int64_t d : {1, 2, 3, 0})
        transposedSizes.push_back(
            tensor::getMixedSize(rewriter, loc, weight, d));
      Value transposedInit = rewriter.create<tensor::EmptyOp>(
          loc, transposedSizes, weightType.getElementType());
      weight = rewriter
                   .create<linalg::TransposeOp>(loc, weight, transposedInit,
                                                ArrayRef<int64_t>{1, 2, 3, 0})
                   .getResult()[0];
      AffineMap inputMap =
          mapOf(context, 7,
                {dim(0), dim(1) * strides[0] + dim(3) * dilation[0],
                 dim(2) * strides[1] + dim(4) * dilation[1], dim(5)});
      maps = {inputMap, mapOf(context, 7, {dim(3), dim(4), dim(5), dim(6)})};
      if (mask)
        maps.push_back(inputMap);
      maps.push_back(mapOf(context, 7, {dim(0), dim(1), dim(2), dim(6)}));
      iterators.assign(3, utils::IteratorType::parallel);
      iterators.append(3, utils::IteratorType::reduction);
      iterators.push_back(utils::IteratorType::parallel);
    }

    if (!constantPart)
      constantPart = filledTensor(
          rewriter, loc, sizes,
          constantI(rewriter, loc, accType, mask ? 0 : depth * windowSize));
    SmallVector<Value> inputs{input, weight};
    if (mask)
      inputs.push_back(mask);
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{constantPart.getType()}, inputs,
        ValueRange{constantPart}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value mismatches = b.create<arith::XOrIOp>(l, args[0], args[1]);
          Value acc = args.back();
          if (mask) {
            mismatches = b.create<arith::AndIOp>(l, args[2], mismatches);
            acc = b.create<arith::AddIOp>(l, acc,
                                          popcount(b, l, args[2], accType));
          }
          acc = subtractTwice(b, l, acc, popcount(b, l, mismatches, accType));
          b.create<linalg::YieldOp>(l, acc);
        });
    // The forms on 32-bit words are the runtime's binary convolution
    // (convert-qc-to-runtime-calls): name them, and the conv form's window.
    if (!conv && wordType.getWidth() == 32)
      generic->setAttr(kXnorDenseKernelAttr, rewriter.getUnitAttr());
    if (conv && wordType.getWidth() == 32) {
      generic->setAttr(kXnorConvKernelAttr, rewriter.getUnitAttr());
      generic->setAttr(kXnorConvStridesAttr,
                       rewriter.getDenseI64ArrayAttr(conv->getStrides()));
      generic->setAttr(kXnorConvDilationsAttr,
                       rewriter.getDenseI64ArrayAttr(conv->getDilation()));
    }
    rewriter.replaceOp(
        op, castTo(rewriter, loc, generic.getResult(0), op.getType()));
    return success();
  }

private:
  /// The constant part of zero-padded outputs: depth * KH * KW minus the
  /// sum, over the taps (kh, kw) of the output's window that fall into the
  /// padding, of what the zero words there add, S[o, kh, kw] = depth -
  /// 2 popcount(w[o, kh, kw, :]) (the weights' sum). Which taps are padded
  /// is computed from the loop indices; `extents` is {H, W, OH, OW}.
  static Value zeroPaddedConstantPart(OpBuilder &b, Location loc,
                                      XnorPopcountOp op, Value input,
                                      Value weight, IntegerType accType,
                                      ArrayRef<int64_t> extents) {
    MLIRContext *context = b.getContext();
    auto dim = [&](unsigned d) { return getAffineDimExpr(d, context); };
    auto weightType = cast<RankedTensorType>(weight.getType());
    ConvAttr conv = *op.getConv();
    int64_t depth = op.getDepth();
    int64_t kh = weightType.getDimSize(1), kw = weightType.getDimSize(2);

    // S[o, kh, kw] over loops (o, kh, kw, word).
    OpFoldResult channels = tensor::getMixedSize(b, loc, weight, 0);
    Value sums =
        filledTensor(b, loc, {channels, b.getIndexAttr(kh), b.getIndexAttr(kw)},
                     constantI(b, loc, accType, depth));
    sums = b.create<linalg::GenericOp>(
                loc, TypeRange{sums.getType()}, ValueRange{weight},
                ValueRange{sums},
                ArrayRef<AffineMap>{
                    mapOf(context, 4, {dim(0), dim(1), dim(2), dim(3)}),
                    mapOf(context, 4, {dim(0), dim(1), dim(2)})},
                ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                              utils::IteratorType::parallel,
                                              utils::IteratorType::parallel,
                                              utils::IteratorType::reduction},
                [&](OpBuilder &nb, Location l, ValueRange args) {
                  nb.create<linalg::YieldOp>(
                      l, subtractTwice(nb, l, args[1],
                                       popcount(nb, l, args[0], accType)));
                })
               .getResult(0);

    // depth * KH * KW - correction[oh, ow, o] over loops (oh, ow, o, kh, kw).
    int64_t oh = extents[2], ow = extents[3];
    Value perPosition =
        filledTensor(b, loc, {b.getIndexAttr(oh), b.getIndexAttr(ow), channels},
                     constantI(b, loc, accType, depth * kh * kw));
    // A tap reads input row oh * sh + kh * dh - top: padding unless that
    // is in [0, H) (and the same for columns).
    auto isPadded = [&](OpBuilder &nb, Location l, unsigned outDim,
                        unsigned tapDim, unsigned axis) {
      Value index = nb.create<arith::AddIOp>(
          l,
          nb.create<arith::MulIOp>(
              l, nb.create<linalg::IndexOp>(l, outDim),
              nb.create<arith::ConstantIndexOp>(l, conv.getStrides()[axis])),
          nb.create<arith::MulIOp>(
              l, nb.create<linalg::IndexOp>(l, tapDim),
              nb.create<arith::ConstantIndexOp>(l, conv.getDilation()[axis])));
      Value low = nb.create<arith::ConstantIndexOp>(l, conv.getPad()[2 * axis]);
      Value high = nb.create<arith::ConstantIndexOp>(
          l, conv.getPad()[2 * axis] + extents[axis]);
      Value before =
          nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::ult, index, low);
      Value after =
          nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::uge, index, high);
      return nb.create<arith::OrIOp>(l, before, after).getResult();
    };
    perPosition =
        b.create<linalg::GenericOp>(
             loc, TypeRange{perPosition.getType()}, ValueRange{sums},
             ValueRange{perPosition},
             ArrayRef<AffineMap>{mapOf(context, 5, {dim(2), dim(3), dim(4)}),
                                 mapOf(context, 5, {dim(0), dim(1), dim(2)})},
             ArrayRef<utils::IteratorType>{
                 utils::IteratorType::parallel, utils::IteratorType::parallel,
                 utils::IteratorType::parallel, utils::IteratorType::reduction,
                 utils::IteratorType::reduction},
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value padded = nb.create<arith::OrIOp>(
                   l, isPadded(nb, l, 0, 3, 0), isPadded(nb, l, 1, 4, 1));
               Value correction = nb.create<arith::SelectOp>(
                   l, padded, args[0], constantI(nb, l, accType, 0));
               nb.create<linalg::YieldOp>(
                   l, ValueRange{
                          nb.create<arith::SubIOp>(l, args[1], correction)});
             })
            .getResult(0);

    // Broadcast over the batch.
    SmallVector<OpFoldResult> sizes{tensor::getMixedSize(b, loc, input, 0),
                                    b.getIndexAttr(oh), b.getIndexAttr(ow),
                                    channels};
    Value empty = b.create<tensor::EmptyOp>(loc, sizes, accType);
    return b
        .create<linalg::GenericOp>(
            loc, TypeRange{empty.getType()}, ValueRange{perPosition},
            ValueRange{empty},
            ArrayRef<AffineMap>{
                mapOf(context, 4, {dim(1), dim(2), dim(3)}),
                mapOf(context, 4, {dim(0), dim(1), dim(2), dim(3)})},
            SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
            [&](OpBuilder &nb, Location l, ValueRange args) {
              nb.create<linalg::YieldOp>(l, args[0]);
            })
        .getResult(0);
  }
};

/// qc.multi_threshold -> a count of reached thresholds per element (a
/// reduction over the threshold table's row of the element's channel),
/// then count * out_scale + out_bias in the result type.
struct MultiThresholdToLinalg : public OpConversionPattern<MultiThresholdOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MultiThresholdOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value input = adaptor.getInput(), thresholds = adaptor.getThresholds();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto tableType = cast<RankedTensorType>(thresholds.getType());
    Type element = inputType.getElementType();
    if (element != tableType.getElementType())
      return rewriter.notifyMatchFailure(
          op, "input and thresholds must have the same element type");
    int64_t rank = inputType.getRank();
    auto dim = [&](unsigned d) { return getAffineDimExpr(d, context); };
    SmallVector<AffineExpr> inputExprs;
    for (int64_t d = 0; d < rank; ++d)
      inputExprs.push_back(dim(d));
    AffineExpr row = tableType.getDimSize(0) == 1
                         ? getAffineConstantExpr(0, context)
                         : dim(rank - 1);
    SmallVector<AffineMap> maps{mapOf(context, rank + 1, inputExprs),
                                mapOf(context, rank + 1, {row, dim(rank)}),
                                mapOf(context, rank + 1, inputExprs)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);

    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d < rank; ++d)
      sizes.push_back(tensor::getMixedSize(rewriter, loc, input, d));
    Type i32 = rewriter.getI32Type();
    Value counts =
        filledTensor(rewriter, loc, sizes, constantI(rewriter, loc, i32, 0));
    counts =
        rewriter
            .create<linalg::GenericOp>(
                loc, TypeRange{counts.getType()}, ValueRange{input, thresholds},
                ValueRange{counts}, maps, iterators,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  Value reached;
                  if (isa<FloatType>(element))
                    reached = b.create<arith::CmpFOp>(
                        l, arith::CmpFPredicate::OGE, args[0], args[1]);
                  else
                    reached = b.create<arith::CmpIOp>(
                        l, arith::CmpIPredicate::sge, args[0], args[1]);
                  Value one = b.create<arith::ExtUIOp>(l, i32, reached);
                  b.create<linalg::YieldOp>(
                      l, ValueRange{b.create<arith::AddIOp>(l, args[2], one)});
                })
            .getResult(0);

    // count * out_scale + out_bias, computed in f64 and converted.
    Type resultElement = op.getType().getElementType();
    auto identity = rewriter.getMultiDimIdentityMap(rank);
    Value init = rewriter.create<tensor::EmptyOp>(loc, sizes, resultElement);
    double scale = op.getOutScale().convertToDouble();
    double bias = op.getOutBias().convertToDouble();
    Value result =
        rewriter
            .create<linalg::GenericOp>(
                loc, TypeRange{init.getType()}, ValueRange{counts},
                ValueRange{init}, ArrayRef<AffineMap>{identity, identity},
                SmallVector<utils::IteratorType>(rank,
                                                 utils::IteratorType::parallel),
                [&](OpBuilder &b, Location l, ValueRange args) {
                  Type f64 = b.getF64Type();
                  Value count = b.create<arith::SIToFPOp>(l, f64, args[0]);
                  Value v = b.create<arith::AddFOp>(
                      l,
                      b.create<arith::MulFOp>(l, count,
                                              constantF(b, l, f64, scale)),
                      constantF(b, l, f64, bias));
                  if (auto f = dyn_cast<FloatType>(resultElement))
                    v = f.getWidth() < 64 ? b.create<arith::TruncFOp>(l, f, v)
                                          : v;
                  else
                    v = b.create<arith::FPToSIOp>(
                        l, resultElement, b.create<math::RoundEvenOp>(l, v));
                  b.create<linalg::YieldOp>(l, v);
                })
            .getResult(0);
    rewriter.replaceOp(op, castTo(rewriter, loc, result, op.getType()));
    return success();
  }
};

} // namespace

void mlir::qc::populateQCToLinalgReferencePatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<QuantizeToLinalg, DequantizeToFloat, ConstantToFloat,
               BitpackToLinalg, XnorPopcountToLinalg, MultiThresholdToLinalg>(
      converter, patterns.getContext());
  populateQCKernelsToLinalgPatterns(converter, patterns);
  populateQCPackedPoolToLinalgPatterns(converter, patterns);
}

//===----------------------------------------------------------------------===//
// Packed max-pool
//===----------------------------------------------------------------------===//

namespace {

/// qc.packed_max_pool2d -> tensor.pad with all-ones words (-1, which never
/// wins), then one linalg.generic over (n, oh, ow, word, kh, kw) that ANDs
/// the window's words into an all-ones start, as linalg.pooling_nhwc_max
/// does with max (the empty KH x KW operand gives the window loops their
/// extents).
struct PackedMaxPool2dToLinalg : public OpConversionPattern<PackedMaxPool2dOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(PackedMaxPool2dOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto wordType = cast<IntegerType>(inputType.getElementType());
    ArrayRef<int64_t> kernel = op.getKernel(), stride = op.getStride();
    ArrayRef<int64_t> pad = op.getPad();
    int64_t h = inputType.getDimSize(1), w = inputType.getDimSize(2);
    if (ShapedType::isDynamic(h) || ShapedType::isDynamic(w))
      return op.emitOpError()
             << "lowering to linalg needs static input H and W, got "
             << inputType;
    auto dim = [&](unsigned d) { return getAffineDimExpr(d, context); };

    Value allOnes = constantI(rewriter, loc, wordType, -1);
    input = padSpatial(rewriter, loc, input, pad, allOnes);
    int64_t oh = (h + pad[0] + pad[1] - kernel[0]) / stride[0] + 1;
    int64_t ow = (w + pad[2] + pad[3] - kernel[1]) / stride[1] + 1;
    SmallVector<OpFoldResult> sizes{
        tensor::getMixedSize(rewriter, loc, input, 0),
        rewriter.getIndexAttr(oh), rewriter.getIndexAttr(ow),
        tensor::getMixedSize(rewriter, loc, input, 3)};
    Value init = filledTensor(rewriter, loc, sizes, allOnes);
    Value window = rewriter.create<tensor::EmptyOp>(
        loc, ArrayRef<int64_t>{kernel[0], kernel[1]}, wordType);
    SmallVector<AffineMap> maps{
        mapOf(context, 6,
              {dim(0), dim(1) * stride[0] + dim(4), dim(2) * stride[1] + dim(5),
               dim(3)}),
        mapOf(context, 6, {dim(4), dim(5)}),
        mapOf(context, 6, {dim(0), dim(1), dim(2), dim(3)})};
    SmallVector<utils::IteratorType> iterators(4,
                                               utils::IteratorType::parallel);
    iterators.append(2, utils::IteratorType::reduction);
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{init.getType()}, ValueRange{input, window},
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          b.create<linalg::YieldOp>(
              l, ValueRange{b.create<arith::AndIOp>(l, args[2], args[0])});
        });
    rewriter.replaceOp(
        op, castTo(rewriter, loc, generic.getResult(0), op.getType()));
    return success();
  }
};

} // namespace

void mlir::qc::populateQCPackedPoolToLinalgPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<PackedMaxPool2dToLinalg>(converter, patterns.getContext());
}
