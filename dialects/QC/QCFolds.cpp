//===- QCFolds.cpp - qc folders -------------------------------------------===//
//
// Constant folding of the qc ops. Quantized constants fold to their packed
// words (materialized as `qc.constant`), so `dequantize(quantize(w))` of a
// constant weight becomes a float constant holding exactly the quantized
// values, and packing a constant happens once at compile time.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"

using namespace mlir;
using namespace mlir::qc;

/// Builds a float DenseElementsAttr of `type` from doubles.
static DenseElementsAttr makeFloatAttr(RankedTensorType type,
                                       ArrayRef<double> values) {
  auto floatType = cast<FloatType>(type.getElementType());
  SmallVector<APFloat> converted;
  converted.reserve(values.size());
  for (double v : values) {
    APFloat f(v);
    bool lossy = false;
    f.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &lossy);
    converted.push_back(f);
  }
  return DenseElementsAttr::get(type, converted);
}

/// Word type used for folded quantized constants.
static IntegerType defaultWordType(MLIRContext *ctx) {
  return IntegerType::get(ctx, 32);
}

OpFoldResult QuantizeOp::fold(FoldAdaptor adaptor) {
  // quantize(dequantize(x)) is x when the types agree: every code's value
  // quantizes back to that code's value.
  if (auto dequantize = getInput().getDefiningOp<DequantizeOp>())
    if (dequantize.getInput().getType() == getType())
      return dequantize.getInput();
  auto values = dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getInput());
  RankedTensorType type = getType();
  if (!values || !type.hasStaticShape() || type.getRank() == 0)
    return {};
  auto quantized = cast<QuantizedTypeInterface>(type.getElementType());
  SmallVector<uint64_t> codes =
      quantizeValues(quantized, values, type.getShape());
  return packCodes(codes, type.getShape(), quantized.getCodeBits(),
                   defaultWordType(getContext()));
}

OpFoldResult DequantizeOp::fold(FoldAdaptor adaptor) {
  auto words = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getInput());
  RankedTensorType inputType = getInput().getType();
  if (!words || !inputType.hasStaticShape())
    return {};
  auto quantized = cast<QuantizedTypeInterface>(inputType.getElementType());
  SmallVector<uint64_t> codes =
      unpackCodes(words, inputType.getShape(), quantized.getCodeBits());
  return makeFloatAttr(getType(), dequantizeCodes(quantized, codes,
                                                  inputType.getShape()));
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult BitpackOp::fold(FoldAdaptor adaptor) {
  if (auto unpack = getInput().getDefiningOp<BitunpackOp>())
    if (!getNonzero() && unpack.getInput().getType() == getType())
      return unpack.getInput();
  RankedTensorType inputType = getInput().getType();
  auto wordType = cast<IntegerType>(getType().getElementType());
  if (!inputType.hasStaticShape() || !adaptor.getInput())
    return {};
  SmallVector<uint64_t> signs;
  if (auto values = dyn_cast<DenseFPElementsAttr>(adaptor.getInput())) {
    for (const APFloat &v : values.getValues<APFloat>())
      signs.push_back(getNonzero()
                          ? !v.isZero() && !v.isNaN()
                          : v.isNegative() && !v.isZero() && !v.isNaN());
  } else if (auto words = dyn_cast<DenseIntElementsAttr>(adaptor.getInput())) {
    // A binary constant is already stored as packed sign bits.
    if (words.getElementType() == wordType)
      return words;
    signs = unpackCodes(words, inputType.getShape(), 1);
  } else {
    return {};
  }
  return packCodes(signs, inputType.getShape(), 1, wordType);
}

OpFoldResult BitunpackOp::fold(FoldAdaptor adaptor) {
  auto words = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getInput());
  RankedTensorType type = getType();
  if (!words || !type.hasStaticShape())
    return {};
  if (isa<BinaryType>(type.getElementType()))
    return words;
  SmallVector<uint64_t> signs = unpackCodes(words, type.getShape(), 1);
  SmallVector<double> values;
  values.reserve(signs.size());
  for (uint64_t s : signs)
    values.push_back(s ? -1.0 : 1.0);
  return makeFloatAttr(type, values);
}
