//===- QCQuantize.cpp - Post-training weight quantization -----------------===//
//
// Implements qc-quantize: keeps the quantization the model already carries
// (QCQuantizeRecognition), decides each conv and dense layer's weight and
// activation scheme from the options, the first/last policy, the
// `qc.precision` qc-mixed-precision chose and a per-layer config
// (passes/Analysis/QuantConfig), quantizes its input activations
// (QCQuantizeActivations) and stores its constant weight as a packed
// `qc.constant` that the layer reads through `qc.dequantize`, with the type
// and codes the scheme's quantizer (dialects/QC/Utils/Quantizers) computes.
//
//===----------------------------------------------------------------------===//

#include "passes/QCQuantize.h"
#include "dialects/QC/QCOps.h"
#include "dialects/QC/Utils/Quantizers.h"
#include "passes/Analysis/QuantConfig.h"
#include "passes/Passes.h"
#include "passes/QCQuantizeActivations.h"
#include "passes/QCQuantizeRecognition.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCQUANTIZE
#include "passes/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;
using namespace mlir::qc;

std::string mlir::qc::describeLayer(Operation *op) {
  std::string name = getLayerName(op->getLoc());
  if (!name.empty())
    return name;
  std::string text;
  llvm::raw_string_ostream os(text);
  os << op->getName() << " at " << op->getLoc();
  return text;
}

namespace {

struct QCQuantizePass : public qc::impl::QCQuantizeBase<QCQuantizePass> {
  using QCQuantizeBase::QCQuantizeBase;

  /// Quantizes the constant weight (operand 1) of `op` as `spec` says.
  /// Weights that are not float constants, or that `auto` finds on no grid,
  /// stay as they are; a non-finite weight is an error, as no scheme has a
  /// finite scale for it.
  LogicalResult quantizeLayerWeights(Operation *op, SchemeSpec spec) {
    if (spec.scheme == QuantScheme::None)
      return success();
    DenseFPElementsAttr weights;
    if (!matchPattern(op->getOperand(1), m_Constant(&weights)))
      return success();
    if (!isa<FloatType>(weights.getElementType()))
      return success();
    for (auto [i, v] : llvm::enumerate(weights.getValues<APFloat>()))
      if (!v.isFinite())
        return op->emitError()
               << "qc-quantize: layer '" << describeLayer(op) << "': weight "
               << i << " is not finite (" << v.convertToDouble()
               << "); cannot quantize it to "
               << getSchemeOptionName(spec.scheme) << " weights";
    // Depthwise weights are HWCM; their output channels are not one axis.
    bool channelsOnAxis0 = !isa<tosa::DepthwiseConv2DOp>(op);
    std::optional<QuantizedWeights> quantized =
        quantizeWeights(weights, spec, channelsOnAxis0, perChannel);
    if (!quantized)
      return success();

    // The weights are stored as packed codes; the layer reads their values
    // through dequantize until MACs are rewritten.
    OpBuilder builder(op);
    Location loc = op->getLoc();
    auto wType = cast<RankedTensorType>(op->getOperand(1).getType());
    DenseIntElementsAttr words =
        packStoredCodes(quantized->codes, wType.getShape(), quantized->type);
    auto packed =
        builder.create<ConstantOp>(loc, wType.clone(quantized->type), words);
    op->setOperand(1, builder.create<DequantizeOp>(loc, wType, packed));
    return success();
  }

  /// Sets `weights` to the spec of `op`'s `qc.precision` attribute, the
  /// per-layer weight spec qc-mixed-precision writes (as a --quant-config
  /// names it), when there is one. A malformed spec, or one the layer's
  /// weight cannot take, is an error at the layer.
  LogicalResult applyPrecisionAttr(Operation *op, SchemeSpec &weights) {
    Attribute attr = op->getAttr("qc.precision");
    if (!attr)
      return success();
    auto text = dyn_cast<StringAttr>(attr);
    if (!text)
      return op->emitError() << "qc-quantize: layer '" << describeLayer(op)
                             << "': qc.precision must be a string (a weight "
                                "spec such as \"int4\"), got "
                             << attr;
    std::string why;
    std::optional<SchemeSpec> spec = parseSchemeSpec(
        text.getValue(), QuantTarget::Weights, "qc.precision", why);
    if (!spec)
      return op->emitError()
             << "qc-quantize: layer '" << describeLayer(op) << "': " << why;
    DenseFPElementsAttr values;
    if (spec->scheme != QuantScheme::None &&
        spec->scheme != QuantScheme::Auto &&
        !matchPattern(op->getOperand(1), m_Constant(&values)))
      return op->emitError()
             << "qc-quantize: layer '" << describeLayer(op)
             << "': qc.precision '" << text.getValue()
             << "' cannot apply: its weight is not a float constant";
    weights = *spec;
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    std::string error;
    std::optional<SchemeSpec> weightOption = parseSchemeOption(
        weightScheme, weightBits, QuantTarget::Weights, error);
    std::optional<SchemeSpec> activationOption =
        weightOption ? parseSchemeOption(activationScheme, activationBits,
                                         QuantTarget::Activations, error)
                     : std::nullopt;
    if (!weightOption || !activationOption) {
      func.emitError() << "qc-quantize: " << error;
      return signalPassFailure();
    }
    if (recognizeSign)
      recognizeSignActivations(func);
    packQuantizedConstants(func);
    // Conv and dense layers in order; those whose multiply-accumulates use a
    // constant weight take the options, the others only what the config
    // names.
    SmallVector<Operation *> layers, constantLayers;
    func.walk([&](Operation *op) {
      if (!isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::FullyConnectedOp>(
              op))
        return;
      layers.push_back(op);
      if (matchPattern(op->getOperand(1), m_Constant()))
        constantLayers.push_back(op);
    });
    QuantConfig config;
    if (!configPath.empty()) {
      FailureOr<QuantConfig> read =
          readQuantConfig(configPath, func, layers, error);
      if (failed(read)) {
        func.emitError() << "qc-quantize: " << error;
        return signalPassFailure();
      }
      config = std::move(*read);
    }

    const SchemeSpec none{QuantScheme::None, 0};
    const SchemeSpec int8{QuantScheme::Int, 8};
    for (Operation *op : layers) {
      SchemeSpec weights = none, activations = none;
      const auto *position = llvm::find(constantLayers, op);
      if (position != constantLayers.end()) {
        weights = *weightOption;
        activations = *activationOption;
        // First and last layers stay 8-bit unless asked otherwise; `auto`
        // only recognizes what is there, so the policy does not apply to it.
        bool edge = position == constantLayers.begin() ||
                    position + 1 == constantLayers.end();
        if (edge && !quantizeFirstLast) {
          if (weights.scheme != QuantScheme::Auto &&
              weights.scheme != QuantScheme::None)
            weights = int8;
          if (activations.scheme != QuantScheme::None)
            activations = int8;
        }
      }
      // A choice qc-mixed-precision wrote applies like a config entry; an
      // explicit --quant-config entry still has the last word.
      if (failed(applyPrecisionAttr(op, weights)))
        return signalPassFailure();
      auto it = config.find(getLayerName(op->getLoc()));
      if (it != config.end()) {
        if (it->second.weights)
          weights = *it->second.weights;
        if (it->second.activations)
          activations = *it->second.activations;
      }
      if (failed(quantizeLayerActivations(op, activations)))
        return signalPassFailure();
      if (failed(quantizeLayerWeights(op, weights)))
        return signalPassFailure();
    }
  }
};

} // namespace
