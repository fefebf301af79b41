//===- ModelReport.cpp - Per-layer report of a model ----------------------===//
//
// Layer statistics computed from op shapes. Layer names come from the ops'
// locations (the ONNX importer tags every op with its node name).
//
//===----------------------------------------------------------------------===//

#include "tools/lib/ModelReport.h"
#include "dialects/QC/QCOps.h"
#include "passes/QCLowerMacs.h"

#include "mlir/Dialect/Quant/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::qc;

/// Number of elements, counting dynamic dimensions as 1.
static int64_t countElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= ShapedType::isDynamic(d) ? 1 : d;
  return n;
}

static llvm::json::Array shapeToJSON(Type type) {
  llvm::json::Array array;
  if (auto shaped = dyn_cast<ShapedType>(type))
    for (int64_t d : shaped.getShape())
      array.push_back(ShapedType::isDynamic(d) ? -1 : d);
  return array;
}

namespace {
/// Shapes and MAC count of one layer.
struct Layer {
  StringRef op;
  Value input, weight, bias, output;
  int64_t macs = 0;
};
} // namespace

/// Recognizes the ops that carry the multiply-accumulates of a model.
static std::optional<Layer> analyze(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<Layer>>(op)
      .Case([](tosa::Conv2DOp conv) -> std::optional<Layer> {
        auto w = cast<ShapedType>(conv.getWeight().getType()).getShape();
        auto out = cast<ShapedType>(conv.getType()).getShape();
        int64_t macs = countElements(out) * w[1] * w[2] * w[3];
        return Layer{"conv2d",       conv.getInput(),  conv.getWeight(),
                     conv.getBias(), conv.getResult(), macs};
      })
      .Case([](tosa::DepthwiseConv2DOp conv) -> std::optional<Layer> {
        auto w = cast<ShapedType>(conv.getWeight().getType()).getShape();
        auto out = cast<ShapedType>(conv.getType()).getShape();
        int64_t macs = countElements(out) * w[0] * w[1];
        return Layer{"depthwise_conv2d", conv.getInput(),  conv.getWeight(),
                     conv.getBias(),     conv.getResult(), macs};
      })
      .Case([](tosa::FullyConnectedOp fc) -> std::optional<Layer> {
        auto w = cast<ShapedType>(fc.getWeight().getType()).getShape();
        auto out = cast<ShapedType>(fc.getType()).getShape();
        int64_t macs = countElements(out) * w[1];
        return Layer{"fully_connected", fc.getInput(),  fc.getWeight(),
                     fc.getBias(),      fc.getResult(), macs};
      })
      .Case([](tosa::MatMulOp mm) -> std::optional<Layer> {
        auto a = cast<ShapedType>(mm.getA().getType()).getShape();
        auto out = cast<ShapedType>(mm.getType()).getShape();
        int64_t macs = countElements(out) * a[2];
        return Layer{"matmul", mm.getA(),      mm.getB(),
                     Value(),  mm.getResult(), macs};
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// The constant a weight is stored as: the value itself, or the packed
/// quantized constant behind a `qc.dequantize`.
static Value getStoredConstant(Value value) {
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
/// The report counts stored bytes in three parts: `weight_bytes`, the
/// packed codes of a quantized weight (or its floats); `bias_bytes`;
/// `quant_param_bytes`, the float parameters of the quantized type.
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

/// Bytes of the parameters that decode a quantized constant's codes, each a
/// float32: alpha (binary), alpha_p and alpha_n (ternary), the scale
/// (power of two), the centroids (codebook), the scale and zero point
/// (uniform), per tensor or per channel. 0 for float constants.
static int64_t countQuantParamBytes(Value value) {
  Value stored = getStoredConstant(value);
  if (!stored)
    return 0;
  Type element = cast<ShapedType>(stored.getType()).getElementType();
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

/// The quantized weight type, printed, or "float".
static std::string getWeightScheme(Value value) {
  Value stored = getStoredConstant(value);
  if (!stored)
    return "float";
  Type element = cast<ShapedType>(stored.getType()).getElementType();
  if (!isa<qc::QuantizedTypeInterface>(element))
    return "float";
  std::string text;
  llvm::raw_string_ostream os(text);
  element.print(os);
  return text;
}

/// Bits one activation entering a layer takes: the code width of the
/// quantized type its values lie on, or the float width.
static int64_t getActivationBits(Value input) {
  if (auto quantized = dyn_cast_if_present<qc::QuantizedTypeInterface>(
          qc::getActivationQuantType(input)))
    return quantized.getCodeBits();
  return cast<ShapedType>(input.getType()).getElementTypeBitWidth();
}

llvm::json::Object mlir::qc::buildModelReport(func::FuncOp model,
                                              bool lowerMacs) {
  llvm::json::Array layers;
  struct {
    int64_t macs = 0, bops = 0, params = 0, weightParams = 0, weightBytes = 0,
            biasBytes = 0, paramBytes = 0, kernelBytes = 0;
  } totals;
  auto ratio = [](int64_t floatBytes, int64_t bytes) {
    return bytes ? static_cast<double>(floatBytes) / bytes : 1.0;
  };
  model.walk([&](Operation *op) {
    std::optional<Layer> layer = analyze(op);
    if (!layer)
      return;
    int64_t weightParams = countParameters(layer->weight);
    int64_t params = weightParams + countParameters(layer->bias);
    int64_t weightBytes = countBytes(layer->weight);
    int64_t biasBytes = countBytes(layer->bias);
    int64_t paramBytes = countQuantParamBytes(layer->weight);
    int64_t storedBytes = weightBytes + biasBytes + paramBytes;
    int64_t weightBits = getWeightBits(layer->weight);
    int64_t activationBits = getActivationBits(layer->input);
    std::optional<qc::MacKernel> kernel;
    if (lowerMacs)
      kernel = qc::getMacKernel(op);
    int64_t bops = layer->macs * weightBits * activationBits;
    int64_t kernelBytes =
        (kernel ? kernel->weightBytes : 4 * weightParams) + biasBytes;
    totals.macs += layer->macs;
    totals.params += params;
    totals.weightParams += weightParams;
    totals.weightBytes += weightBytes;
    totals.biasBytes += biasBytes;
    totals.paramBytes += paramBytes;
    totals.bops += bops;
    totals.kernelBytes += kernelBytes;
    layers.push_back(llvm::json::Object{
        {"name", qc::getLayerName(op->getLoc())},
        {"op", layer->op},
        {"weight_type", getWeightScheme(layer->weight)},
        {"input_shape", shapeToJSON(layer->input.getType())},
        {"weight_shape", shapeToJSON(layer->weight.getType())},
        {"output_shape", shapeToJSON(layer->output.getType())},
        {"weight_bits", weightBits},
        {"activation_bits", activationBits},
        {"macs", layer->macs},
        {"bops", bops},
        {"params", params},
        {"weight_bytes", weightBytes},
        {"bias_bytes", biasBytes},
        {"quant_param_bytes", paramBytes},
        {"stored_bytes", storedBytes},
        {"compression_vs_fp32", ratio(4 * weightParams, weightBytes)},
        {"stored_compression_vs_fp32", ratio(4 * params, storedBytes)},
        {"kernel", kernel ? kernel->name : "float (reference)"},
        {"kernel_weight_bytes", kernelBytes},
    });
  });
  int64_t storedBytes =
      totals.weightBytes + totals.biasBytes + totals.paramBytes;
  return llvm::json::Object{
      {"model", model.getSymName()},
      {"macs_are_per", "image (dynamic dimensions counted as 1)"},
      {"layers", std::move(layers)},
      {"totals",
       llvm::json::Object{{"macs", totals.macs},
                          {"bops", totals.bops},
                          {"params", totals.params},
                          {"weight_bytes", totals.weightBytes},
                          {"bias_bytes", totals.biasBytes},
                          {"quant_param_bytes", totals.paramBytes},
                          {"stored_bytes", storedBytes},
                          {"kernel_weight_bytes", totals.kernelBytes},
                          {"compression_vs_fp32",
                           ratio(4 * totals.weightParams, totals.weightBytes)},
                          {"stored_compression_vs_fp32",
                           ratio(4 * totals.params, storedBytes)}}},
  };
}

bool mlir::qc::writeModelReport(const llvm::json::Object &report,
                                StringRef path, std::string &error) {
  std::string temporary = (path + ".tmp").str();
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(temporary, ec);
    if (ec) {
      error = (path + ": cannot write: " + ec.message()).str();
      return false;
    }
    os << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object(report)))
       << "\n";
    if (os.has_error()) {
      error = (path + ": write failed").str();
      os.clear_error();
      return false;
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(temporary, path)) {
    llvm::sys::fs::remove(temporary);
    error = (path + ": cannot rename into place: " + ec.message()).str();
    return false;
  }
  return true;
}
