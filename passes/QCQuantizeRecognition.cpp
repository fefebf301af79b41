//===- QCQuantizeRecognition.cpp - Quantization the model carries ---------===//
//
// The part of qc-quantize that keeps what training already quantized: the
// importer's form of ONNX Sign becomes an exact ternary quantize, and the
// weight quantizers of QONNX and QDQ models (a qc.quantize of a float
// constant) become packed qc.constant codes.
//
//===----------------------------------------------------------------------===//

#include "passes/QCQuantizeRecognition.h"
#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"
#include "dialects/QC/Utils/Quantizers.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qc;

/// True when `value` is a constant splat of `expected`.
static bool isSplat(Value value, double expected) {
  DenseFPElementsAttr attr;
  return matchPattern(value, m_Constant(&attr)) && attr.isSplat() &&
         attr.getSplatValue<APFloat>().convertToDouble() == expected;
}

/// The input of a Sign as the importer writes it,
///   select(x > 0, 1, select(0 > x, -1, 0)),
/// or null.
static Value matchSign(tosa::SelectOp select) {
  auto positive = select.getPred().getDefiningOp<tosa::GreaterOp>();
  auto inner = select.getOnFalse().getDefiningOp<tosa::SelectOp>();
  if (!positive || !inner || !isSplat(select.getOnTrue(), 1.0) ||
      !isSplat(positive.getInput2(), 0.0))
    return {};
  Value x = positive.getInput1();
  auto negative = inner.getPred().getDefiningOp<tosa::GreaterOp>();
  if (!negative || negative.getInput2() != x ||
      !isSplat(negative.getInput1(), 0.0) ||
      !isSplat(inner.getOnTrue(), -1.0) || !isSplat(inner.getOnFalse(), 0.0))
    return {};
  if (x.getType() != select.getType())
    return {};
  return x;
}

void mlir::qc::recognizeSignActivations(func::FuncOp func) {
  SmallVector<std::pair<tosa::SelectOp, Value>> signs;
  func.walk([&](tosa::SelectOp select) {
    if (Value x = matchSign(select))
      signs.push_back({select, x});
  });
  for (auto [select, x] : signs) {
    auto type = cast<RankedTensorType>(x.getType());
    auto floatType = dyn_cast<FloatType>(type.getElementType());
    if (!floatType)
      continue;
    MLIRContext *ctx = func.getContext();
    auto one = DenseF64ArrayAttr::get(ctx, {1.0});
    auto ternary = TernaryType::get(ctx, floatType, one, one,
                                    DenseF64ArrayAttr::get(ctx, {0.0}), -1);
    OpBuilder builder(select);
    Value quantized =
        builder.create<QuantizeOp>(select.getLoc(), type.clone(ternary), x);
    select.replaceAllUsesWith(
        builder.create<DequantizeOp>(select.getLoc(), type, quantized)
            .getResult());
  }
}

void mlir::qc::packQuantizedConstants(func::FuncOp func) {
  SmallVector<QuantizeOp> quantizes;
  func.walk([&](QuantizeOp op) {
    if (op.getType().hasStaticShape() &&
        matchPattern(op.getInput(), m_Constant()))
      quantizes.push_back(op);
  });
  for (QuantizeOp op : quantizes) {
    DenseFPElementsAttr values;
    if (!matchPattern(op.getInput(), m_Constant(&values)))
      continue;
    auto type = cast<QuantizedTypeInterface>(op.getType().getElementType());
    if (type.getCodeBits() > 32)
      continue;
    ArrayRef<int64_t> shape = op.getType().getShape();
    OpBuilder builder(op);
    DenseIntElementsAttr words =
        packStoredCodes(quantizeValues(type, values, shape), shape, type);
    op.replaceAllUsesWith(
        builder.create<ConstantOp>(op.getLoc(), op.getType(), words)
            .getResult());
    op.erase();
  }
}
