//===- HlsPlan.cpp - The streaming stages the HLS printer prints ----------===//
//
// Implements HlsPlan.h: reads the attributes qc-hls-prepare recorded and
// the weight constants, and derives the lane widths of every stream.
//
//===----------------------------------------------------------------------===//

#include "lowering/HLS/HlsPlan.h"
#include "lowering/HLS/HlsNames.h"

#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::qc;

int64_t mlir::qc::getSignedBits(int64_t lo, int64_t hi) {
  int64_t bits = 1;
  while (lo < -(int64_t(1) << (bits - 1)) ||
         hi > (int64_t(1) << (bits - 1)) - 1)
    ++bits;
  return bits;
}

namespace {

LogicalResult readLayer(HlsLayer &geom, HlsLayerPlan &plan) {
  Operation *op = geom.op;
  auto missing = [&](StringRef what) {
    return op->emitError("HLS layer '")
           << geom.name << "' has no " << what
           << "; run qc-hls-prepare before printing";
  };
  auto name = op->getAttrOfType<StringAttr>(kHlsNameAttr);
  auto acc = op->getAttrOfType<IntegerAttr>(kHlsAccBitsAttr);
  auto source = op->getAttrOfType<IntegerAttr>(kHlsSourceBitsAttr);
  auto input = op->getAttrOfType<IntegerAttr>(kHlsInputBitsAttr);
  if (!name || !acc || !source || !input)
    return missing("name, accumulator or lane widths");
  plan.geom = geom;
  plan.name = name.str();
  plan.accBits = acc.getInt();
  plan.sourceBits = source.getInt();
  plan.inputBits = input.getInt();
  plan.integer = !isa<XnorPopcountOp>(op);
  if (geom.isConv) {
    ArrayRef<int64_t> pad = cast<ConvAttr>(op->getAttr("conv")).getPad();
    if (auto codesPad = op->getAttrOfType<DenseI64ArrayAttr>(kHlsPadAttr))
      pad = codesPad.asArrayRef();
    std::copy(pad.begin(), pad.end(), plan.pad);
    plan.rawH = geom.inH - pad[0] - pad[1];
    plan.rawW = geom.inW - pad[2] - pad[3];
    plan.pooledH = geom.outH;
    plan.pooledW = geom.outW;
  }
  if (auto pool = op->getAttrOfType<DenseI64ArrayAttr>(kHlsPoolAttr)) {
    plan.poolH = pool[0];
    plan.poolW = pool[1];
    plan.poolSH = pool[2];
    plan.poolSW = pool[3];
    plan.pooledH = (geom.outH - plan.poolH) / plan.poolSH + 1;
    plan.pooledW = (geom.outW - plan.poolW) / plan.poolSW + 1;
  }
  if (auto table =
          op->getAttrOfType<DenseIntElementsAttr>(kHlsThresholdsAttr)) {
    auto levels = op->getAttrOfType<DenseI64ArrayAttr>(kHlsLevelsAttr);
    if (!levels)
      return missing("levels");
    plan.thresholdCount = cast<ShapedType>(table.getType()).getDimSize(1);
    for (const APInt &v : table.getValues<APInt>())
      plan.thresholds.push_back(v.getSExtValue());
    plan.levels.assign(levels.asArrayRef().begin(), levels.asArrayRef().end());
  }
  if (plan.integer) {
    auto values = op->getAttrOfType<DenseIntElementsAttr>(kHlsWeightsAttr);
    auto code = op->getAttrOfType<IntegerAttr>(kHlsPadCodeAttr);
    auto thr = op->getAttrOfType<IntegerAttr>(kHlsThresholdBitsAttr);
    if (!values || !code || !thr)
      return missing("integer weights, pad code or threshold width");
    for (const APInt &v : values.getValues<APInt>())
      plan.values.push_back(v.getSExtValue());
    plan.padCode = code.getInt();
    plan.thresholdBits = thr.getInt();
    auto [lo, hi] = std::minmax_element(plan.values.begin(), plan.values.end());
    plan.weightLaneBits =
        isa<TernaryPopcountOp>(op) ? 2 : getSignedBits(*lo, *hi);
    return success();
  }
  plan.thresholdBits = plan.accBits + 1;
  DenseIntElementsAttr words;
  if (!matchPattern(cast<XnorPopcountOp>(op).getWeight(), m_Constant(&words)))
    return op->emitError("HLS layer '")
           << geom.name << "': its weights must be a constant";
  // Packed along the channels of each tap: unpack [O][KH][KW][C], whose
  // row-major order is the (ky, kx, c) order of the matrix's columns.
  SmallVector<int64_t> shape = {geom.mh, geom.mw};
  if (geom.isConv)
    shape = {geom.mh, geom.kernelH, geom.kernelW, geom.channels};
  SmallVector<uint64_t> bits = unpackCodes(words, shape, 1);
  plan.weights.assign(bits.begin(), bits.end());
  return success();
}

} // namespace

LogicalResult mlir::qc::buildHlsPlan(ModuleOp module, HlsPlan &plan) {
  func::FuncOp func;
  module.walk([&](func::FuncOp f) {
    if (f->hasAttr(kHlsTopAttr))
      func = f;
  });
  if (!func)
    return module.emitError("no function was prepared for HLS (run "
                            "qc-hls-fold and qc-hls-prepare first)");
  plan.top = func->getAttrOfType<StringAttr>(kHlsTopAttr).str();
  if (auto levels = func->getAttrOfType<DenseI64ArrayAttr>(kHlsInputLevelsAttr))
    plan.inputLevels.assign(levels.asArrayRef().begin(),
                            levels.asArrayRef().end());
  auto shapeOf = [](Type type) {
    ArrayRef<int64_t> shape = cast<ShapedType>(type).getShape();
    return std::vector<int64_t>(shape.begin() + 1, shape.end());
  };
  if (auto scale = func->getAttrOfType<FloatAttr>(kHlsInputScaleAttr)) {
    auto offset = func->getAttrOfType<IntegerAttr>(kHlsInputOffsetAttr);
    auto out = func->getAttrOfType<FloatAttr>(kHlsOutputScaleAttr);
    if (!offset || !out)
      return func.emitError("the HLS function has no input offset or output "
                            "scale; run qc-hls-prepare before printing");
    plan.integer = true;
    plan.inputScale = float(scale.getValueAsDouble());
    plan.inputOffset = offset.getInt();
    plan.outputScale = float(out.getValueAsDouble());
  }
  plan.inputShape = shapeOf(func.getArgumentTypes()[0]);
  plan.outputShape = shapeOf(func.getResultTypes()[0]);
  SmallVector<HlsLayer> layers;
  if (failed(collectHlsLayers(func, layers)))
    return failure();
  if (layers.empty())
    return func.emitError("the HLS function has no layer");
  for (HlsLayer &geom : layers) {
    HlsLayerPlan layer;
    if (failed(readLayer(geom, layer)))
      return failure();
    plan.layers.push_back(std::move(layer));
  }
  // What each layer writes: the next one's source lanes, or integers.
  for (size_t i = 0; i < plan.layers.size(); ++i) {
    HlsLayerPlan &layer = plan.layers[i];
    layer.last = i + 1 == plan.layers.size();
    if (!layer.last) {
      layer.outLaneBits = plan.layers[i + 1].sourceBits;
    } else if (layer.hasThresholds()) {
      auto [lo, hi] =
          std::minmax_element(layer.levels.begin(), layer.levels.end());
      layer.outLaneBits = getSignedBits(*lo, *hi);
    } else {
      layer.outLaneBits = layer.accBits;
    }
  }
  return success();
}
