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
//===----------------------------------------------------------------------===//

#include "lowering/QCToLinalg/QCToLinalg.h"
#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_CONVERTQCTOLINALG
#include "passes/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;
using namespace mlir::qc;

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

Value constantF(OpBuilder &b, Location loc, Type type, double v) {
  return b.create<arith::ConstantOp>(loc, type, b.getFloatAttr(type, v));
}

Value select(OpBuilder &b, Location loc, Value cond, Value a, Value c) {
  return b.create<arith::SelectOp>(loc, cond, a, c);
}

Value cmp(OpBuilder &b, Location loc, arith::CmpFPredicate pred, Value a,
          Value c) {
  return b.create<arith::CmpFOp>(loc, pred, a, c);
}

/// The recipe of `type`, or nullopt when the type is not one qc knows.
std::optional<FakeQuantRecipe> getRecipe(Type type) {
  int64_t channels =
      cast<QuantizedTypeInterface>(type).getNumChannels();
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
          Value low = select(b, loc,
                             cmp(b, loc, arith::CmpFPredicate::OLT, x,
                                 minusDelta),
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
          Value magnitude =
              b.create<arith::DivFOp>(loc, b.create<math::AbsFOp>(loc, x), p[0]);
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
            value = select(b, loc,
                           cmp(b, loc, arith::CmpFPredicate::OGT, x, mid), p[i],
                           value);
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
      return b.create<arith::MulFOp>(loc, b.create<arith::SubFOp>(loc, q, p[1]),
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
          Value y = recipe->emit(b, l, args[0],
                                 args.drop_front().drop_back());
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

struct ConvertQCToLinalgPass
    : public qc::impl::ConvertQCToLinalgBase<ConvertQCToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    QuantizedToFloatTypeConverter converter;
    RewritePatternSet patterns(context);
    populateQCToLinalgReferencePatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*context);
    target.addIllegalOp<QuantizeOp, DequantizeOp, ConstantOp>();
    target.markUnknownOpDynamicallyLegal(
        [&](Operation *op) { return converter.isLegal(op); });
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp f) {
      return converter.isSignatureLegal(f.getFunctionType());
    });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::qc::populateQCToLinalgReferencePatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<QuantizeToLinalg, DequantizeToFloat, ConstantToFloat>(
      converter, patterns.getContext());
}
