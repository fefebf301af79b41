//===- QCQuantizeActivations.cpp - Layer input quantization ---------------===//
//
// The part of qc-quantize that quantizes a layer's input activations from
// the range calibration recorded on it (qc.input_range): uniform k-bit
// levels, the same levels by FINN-style thresholds, or binary.
//
//===----------------------------------------------------------------------===//

#include "passes/QCQuantizeActivations.h"
#include "dialects/QC/QCDialect.h"
#include "dialects/QC/QCOps.h"
#include "dialects/QC/Utils/Quantizers.h"
#include "passes/QCQuantize.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;

/// FINN-style thresholds onto the levels of `type` (zero point 0, levels
/// i s for i = qmin..qmax): a `qc.multi_threshold` with one shared table of
/// the midpoints (i + 1/2) s, i = qmin..qmax - 1, out_scale s and out_bias
/// qmin s. The count of thresholds x reaches (x >= t) is i - qmin, so the
/// result is the uniform quantizer's clamp(round(x / s)) s except exactly
/// on a midpoint, which rounds up here and to even there.
static Value buildThresholds(OpBuilder &builder, Location loc, Value input,
                             quant::UniformQuantizedType type) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto floatType = cast<FloatType>(inputType.getElementType());
  double scale = type.getScale();
  int64_t qmin = type.getStorageTypeMin(), qmax = type.getStorageTypeMax();
  SmallVector<APFloat> thresholds;
  for (int64_t i = qmin; i < qmax; ++i) {
    APFloat t((i + 0.5) * scale);
    bool lost;
    t.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &lost);
    thresholds.push_back(t);
  }
  auto tableType =
      RankedTensorType::get({1, (int64_t)thresholds.size()}, floatType);
  Value table = builder.create<tosa::ConstOp>(
      loc, tableType, DenseElementsAttr::get(tableType, thresholds));
  return builder.create<MultiThresholdOp>(
      loc, inputType, input, table, builder.getF64FloatAttr(scale),
      builder.getF64FloatAttr(qmin * scale));
}

LogicalResult mlir::qc::quantizeLayerActivations(Operation *layer,
                                                 SchemeSpec spec) {
  if (spec.scheme == QuantScheme::None)
    return success();
  Value input = layer->getOperand(0);
  auto type = dyn_cast<RankedTensorType>(input.getType());
  auto floatType =
      type ? dyn_cast<FloatType>(type.getElementType()) : FloatType();
  // Inputs the model already quantizes (QDQ, QONNX, Sign) keep their type.
  if (!floatType || input.getDefiningOp<DequantizeOp>())
    return success();
  StringRef scheme = getSchemeOptionName(spec.scheme);
  auto range = layer->getAttrOfType<DenseF64ArrayAttr>(
      QCDialect::InputRangeAttrHelper::getNameStr());
  if (!range || range.size() != 3)
    return layer->emitError()
           << "qc-quantize: layer '" << describeLayer(layer)
           << "' has no calibrated input range (qc.input_range) for its "
           << scheme << " activations; calibrate the model first "
           << "(qc-run/qcc --calib-idx-images or --calib-npy)";
  double lo = range[0], hi = range[1], meanAbs = range[2];
  if (!std::isfinite(lo) || !std::isfinite(hi) || !std::isfinite(meanAbs) ||
      lo > hi || meanAbs < 0)
    return layer->emitError()
           << "qc-quantize: layer '" << describeLayer(layer)
           << "' has an invalid calibrated input range (qc.input_range = ["
           << lo << ", " << hi << "], mean |x| " << meanAbs
           << "): expected finite lo <= hi and mean |x| >= 0";
  OpBuilder builder(layer);
  Type qtype;
  if (spec.scheme == QuantScheme::Binary) {
    qtype = getBinaryActivationType(floatType, meanAbs);
  } else {
    auto uniform = getUniformActivationType(floatType, lo, hi, spec.bits);
    // Thresholds compute the levels; the quantize that follows is exact
    // (its input lies on the grid) and records the grid, so that the
    // layer's integer kernels and the report see k-bit codes.
    if (spec.scheme == QuantScheme::Threshold)
      input = buildThresholds(builder, layer->getLoc(), input, uniform);
    qtype = uniform;
  }
  Value quantized =
      builder.create<QuantizeOp>(layer->getLoc(), type.clone(qtype), input);
  layer->setOperand(
      0, builder.create<DequantizeOp>(layer->getLoc(), type, quantized));
  return success();
}
