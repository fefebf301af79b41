//===- LayerCost.cpp - MACs, BOPs and bytes of a layer --------------------===//
//
// Layer costs computed from op shapes and stored types. A quantized weight
// counts its packed words; its decoding parameters count as float32 each.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/LayerCost.h"
#include "dialects/QC/QCOps.h"
#include "passes/Analysis/MacKernelSelection.h"

#include "mlir/Dialect/Quant/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qc;

/// Number of elements, counting dynamic dimensions as 1.
static int64_t countElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= ShapedType::isDynamic(d) ? 1 : d;
  return n;
}

/// Recognizes the ops that carry the multiply-accumulates of a model, with
/// their operands and MACs.
static std::optional<LayerCost> analyze(Operation *op) {
  auto make = [](StringRef name, Value input, Value weight, Value bias,
                 Value output, int64_t macs) {
    LayerCost cost;
    cost.op = name;
    cost.input = input;
    cost.weight = weight;
    cost.bias = bias;
    cost.output = output;
    cost.macs = macs;
    return cost;
  };
  return llvm::TypeSwitch<Operation *, std::optional<LayerCost>>(op)
      .Case([&](tosa::Conv2DOp conv) -> std::optional<LayerCost> {
        auto w = cast<ShapedType>(conv.getWeight().getType()).getShape();
        auto out = cast<ShapedType>(conv.getType()).getShape();
        int64_t macs = countElements(out) * w[1] * w[2] * w[3];
        return make("conv2d", conv.getInput(), conv.getWeight(), conv.getBias(),
                    conv.getResult(), macs);
      })
      .Case([&](tosa::DepthwiseConv2DOp conv) -> std::optional<LayerCost> {
        auto w = cast<ShapedType>(conv.getWeight().getType()).getShape();
        auto out = cast<ShapedType>(conv.getType()).getShape();
        int64_t macs = countElements(out) * w[0] * w[1];
        return make("depthwise_conv2d", conv.getInput(), conv.getWeight(),
                    conv.getBias(), conv.getResult(), macs);
      })
      .Case([&](tosa::FullyConnectedOp fc) -> std::optional<LayerCost> {
        auto w = cast<ShapedType>(fc.getWeight().getType()).getShape();
        auto out = cast<ShapedType>(fc.getType()).getShape();
        int64_t macs = countElements(out) * w[1];
        return make("fully_connected", fc.getInput(), fc.getWeight(),
                    fc.getBias(), fc.getResult(), macs);
      })
      .Case([&](tosa::MatMulOp mm) -> std::optional<LayerCost> {
        auto a = cast<ShapedType>(mm.getA().getType()).getShape();
        auto out = cast<ShapedType>(mm.getType()).getShape();
        int64_t macs = countElements(out) * a[2];
        return make("matmul", mm.getA(), mm.getB(), Value(), mm.getResult(),
                    macs);
      })
      .Default([](Operation *) { return std::nullopt; });
}

Value mlir::qc::getStoredConstant(Value value) {
  if (!value || !value.getDefiningOp())
    return nullptr;
  // QONNX and QDQ convolution weights are OIHW, transposed to OHWI.
  if (auto transpose = value.getDefiningOp<tosa::TransposeOp>())
    value = transpose.getInput1();
  if (auto dequantize = value.getDefiningOp<qc::DequantizeOp>())
    value = dequantize.getInput();
  Operation *op = value.getDefiningOp();
  return op && op->hasTrait<OpTrait::ConstantLike>() ? value : nullptr;
}

/// Parameters a value contributes when it is a constant (weights, biases).
static int64_t countParameters(Value value) {
  Value stored = getStoredConstant(value);
  return stored ? countElements(cast<ShapedType>(stored.getType()).getShape())
                : 0;
}

/// Bytes a constant takes as stored: packed words for a quantized constant.
static int64_t countBytes(Value value) {
  Value stored = getStoredConstant(value);
  if (!stored)
    return 0;
  if (auto packed = stored.getDefiningOp<qc::ConstantOp>()) {
    auto words = cast<DenseIntElementsAttr>(packed.getValue());
    return words.getNumElements() *
           (words.getElementType().getIntOrFloatBitWidth() / 8);
  }
  auto type = cast<ShapedType>(stored.getType());
  int64_t bits = type.getElementType().getIntOrFloatBitWidth();
  return (countElements(type.getShape()) * bits + 7) / 8;
}

int64_t mlir::qc::countQuantParamBytes(Type element) {
  int64_t floats =
      llvm::TypeSwitch<Type, int64_t>(element)
          .Case([](BinaryType t) { return t.getAlpha().size(); })
          .Case([](TernaryType t) {
            return t.getAlphaP().size() + t.getAlphaN().size();
          })
          .Case([](PowerOfTwoType t) { return t.getScale().size(); })
          .Case([](CodebookType t) { return t.getCentroids().size(); })
          .Case([](quant::UniformQuantizedType) { return 2; })
          .Case([](quant::UniformQuantizedPerAxisType t) {
            return 2 * static_cast<int64_t>(t.getScales().size());
          })
          .Default([](Type) { return 0; });
  return 4 * floats;
}

/// countQuantParamBytes of a weight's stored constant; 0 for float
/// constants.
static int64_t countStoredQuantParamBytes(Value value) {
  Value stored = getStoredConstant(value);
  if (!stored)
    return 0;
  return countQuantParamBytes(
      cast<ShapedType>(stored.getType()).getElementType());
}

/// Bits one stored weight takes: its code width, or the float width.
static int64_t getWeightBits(Value value) {
  Value stored = getStoredConstant(value);
  if (!stored)
    return 32;
  Type element = cast<ShapedType>(stored.getType()).getElementType();
  if (auto quantized = dyn_cast<qc::QuantizedTypeInterface>(element))
    return quantized.getCodeBits();
  return element.getIntOrFloatBitWidth();
}

/// Bits one activation entering a layer takes: the code width of the
/// quantized type its values lie on, or the float width.
static int64_t getActivationBits(Value input) {
  if (auto quantized = dyn_cast_if_present<qc::QuantizedTypeInterface>(
          getActivationQuantType(input)))
    return quantized.getCodeBits();
  return cast<ShapedType>(input.getType()).getElementTypeBitWidth();
}

std::optional<LayerCost> mlir::qc::getLayerCost(Operation *op) {
  std::optional<LayerCost> cost = analyze(op);
  if (!cost)
    return std::nullopt;
  cost->weightParams = countParameters(cost->weight);
  cost->biasParams = countParameters(cost->bias);
  cost->weightBytes = countBytes(cost->weight);
  cost->biasBytes = countBytes(cost->bias);
  cost->quantParamBytes = countStoredQuantParamBytes(cost->weight);
  cost->weightBits = getWeightBits(cost->weight);
  cost->activationBits = getActivationBits(cost->input);
  cost->bops = cost->macs * cost->weightBits * cost->activationBits;
  return cost;
}
