//===- QCHlsFold.cpp - Choose each FPGA layer's PE and SIMD ---------------===//
//
// The qc-hls-fold pass (see Passes.td): explicit values from a folding file,
// FINN's divisor walk towards a target frame rate, and a greedy walk that
// speeds up the slowest layer while a LUT budget allows. Every value it
// stores is legal by construction or was checked; errors name the layer.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/HlsLayers.h"
#include "passes/Analysis/QuantConfig.h"
#include "passes/Passes.h"

#include "dialects/QC/QCDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCHLSFOLD
#include "passes/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;
using namespace mlir::qc;

namespace {

std::string formatValues(ArrayRef<int64_t> values) {
  std::string text;
  for (int64_t v : values)
    text += (text.empty() ? "" : ", ") + std::to_string(v);
  return text;
}

/// `value` as printf's %g writes it (1e+06, 100, 12.5).
std::string formatNumber(double value) {
  return llvm::formatv("{0}", llvm::format("%g", value)).str();
}

/// Bits of one output element of a layer: its accumulator (the emitter
/// narrows it further when thresholds follow).
int64_t getOutputBits(const HlsLayer &layer) {
  return getHlsAccumulatorBits(layer);
}

struct QCHlsFoldPass : public qc::impl::QCHlsFoldBase<QCHlsFoldPass> {
  using QCHlsFoldBase::QCHlsFoldBase;

  /// Why `pe` x `simd` is not legal for `layer`, or "" when it is.
  std::string checkFolding(const HlsLayer &layer, int64_t pe,
                           int64_t simd) const {
    SmallVector<int64_t> pes = getLegalPe(layer), simds = getLegalSimd(layer);
    if (!llvm::is_contained(pes, pe))
      return "PE " + std::to_string(pe) + " does not divide its " +
             std::to_string(layer.mh) + " outputs; legal: " + formatValues(pes);
    if (!llvm::is_contained(simds, simd))
      return "SIMD " + std::to_string(simd) + " does not divide its " +
             std::to_string(simds.back()) +
             (layer.isConv ? " input channels" : " inputs") +
             "; legal: " + formatValues(simds);
    if (simd * layer.inputBits > maxStreamBits)
      return "SIMD " + std::to_string(simd) + " makes its input stream " +
             std::to_string(simd * layer.inputBits) + " bits wide, above " +
             "max-stream-bits = " + std::to_string(maxStreamBits);
    if (pe * getOutputBits(layer) > maxStreamBits)
      return "PE " + std::to_string(pe) + " makes its output stream " +
             std::to_string(pe * getOutputBits(layer)) +
             " bits wide, above max-stream-bits = " +
             std::to_string(maxStreamBits);
    return "";
  }

  /// The next faster legal folding of `layer` (SIMD first, then PE), or
  /// false when there is none.
  bool stepFolding(HlsLayer &layer) const {
    for (int64_t simd : getLegalSimd(layer))
      if (simd > layer.simd && checkFolding(layer, layer.pe, simd).empty()) {
        layer.simd = simd;
        return true;
      }
    for (int64_t pe : getLegalPe(layer))
      if (pe > layer.pe && checkFolding(layer, pe, layer.simd).empty()) {
        layer.pe = pe;
        return true;
      }
    return false;
  }

  LogicalResult applyFile(func::FuncOp func, MutableArrayRef<HlsLayer> layers,
                          llvm::StringMap<bool> &fixed) {
    auto bad = [&](const Twine &why) {
      return func.emitError("qc-hls-fold: ") << folding << ": " << why;
    };
    auto buffer = llvm::MemoryBuffer::getFile(folding);
    if (!buffer)
      return bad("cannot read: " + buffer.getError().message());
    StringRef text = (*buffer)->getBuffer();
    std::string depthError;
    if (failed(checkJsonNestingDepth(text, depthError)))
      return bad("not valid JSON: " + depthError);
    llvm::Expected<llvm::json::Value> json = llvm::json::parse(text);
    if (!json)
      return bad("not valid JSON: " + llvm::toString(json.takeError()));
    const llvm::json::Object *root = json->getAsObject();
    const llvm::json::Object *entries =
        root ? root->getObject("layers") : nullptr;
    if (!entries)
      return bad("expected {\"layers\": {\"<ONNX node name>\": {\"pe\": P, "
                 "\"simd\": S}}}");
    llvm::StringMap<HlsLayer *> byName;
    std::string names;
    for (HlsLayer &layer : layers) {
      byName[layer.name] = &layer;
      names += (names.empty() ? "" : ", ") + layer.name;
    }
    SmallVector<StringRef> keys;
    for (const auto &entry : *entries)
      keys.push_back(entry.first);
    llvm::sort(keys);
    for (StringRef key : keys) {
      HlsLayer *layer = byName.lookup(key);
      if (!layer)
        return bad("layer '" + key + "' is not a layer of the model; its " +
                   "FPGA layers are: " + names);
      const llvm::json::Object *values = entries->getObject(key);
      if (!values)
        return bad("layer '" + key + "': expected {\"pe\": P, \"simd\": S}");
      int64_t pe = layer->pe, simd = layer->simd;
      for (const auto &field : *values) {
        std::optional<int64_t> value = field.second.getAsInteger();
        if (field.first != "pe" && field.first != "simd")
          return bad("layer '" + key + "': unknown key '" + field.first.str() +
                     "' (expected pe and simd)");
        if (!value || *value < 1)
          return bad("layer '" + key + "': " + field.first.str() +
                     " must be a positive integer");
        (field.first == "pe" ? pe : simd) = *value;
      }
      std::string why = checkFolding(*layer, pe, simd);
      if (!why.empty())
        return bad("layer '" + key + "': " + why);
      layer->pe = pe;
      layer->simd = simd;
      fixed[key] = true;
    }
    return success();
  }

  LogicalResult meetTarget(func::FuncOp func, MutableArrayRef<HlsLayer> layers,
                           const llvm::StringMap<bool> &fixed) {
    double target = clockMhz * 1e6 / targetFps;
    for (HlsLayer &layer : layers) {
      if (fixed.count(layer.name))
        continue;
      while (double(estimateHlsLayer(layer).cycles) > target &&
             stepFolding(layer)) {
      }
      int64_t cycles = estimateHlsLayer(layer).cycles;
      if (double(cycles) > target)
        return layer.op->emitError("qc-hls-fold: layer '")
               << layer.name << "' cannot reach " << formatNumber(targetFps)
               << " images/s at " << formatNumber(clockMhz) << " MHz (at most "
               << int64_t(target) << " cycles per image): its fastest legal "
               << "folding, PE " << layer.pe << " SIMD " << layer.simd
               << ", takes " << cycles << " cycles";
    }
    for (HlsLayer &layer : layers)
      if (fixed.count(layer.name) &&
          double(estimateHlsLayer(layer).cycles) > target)
        return layer.op->emitError("qc-hls-fold: layer '")
               << layer.name << "': the folding file's PE " << layer.pe
               << " SIMD " << layer.simd << " takes "
               << estimateHlsLayer(layer).cycles << " cycles per image, "
               << "above the " << int64_t(target) << " that "
               << formatNumber(targetFps) << " images/s at "
               << formatNumber(clockMhz) << " MHz allow";
    return success();
  }

  LogicalResult fitBudget(func::FuncOp func, MutableArrayRef<HlsLayer> layers,
                          const llvm::StringMap<bool> &fixed) {
    int64_t luts = estimateHlsNetwork(layers, clockMhz).lut;
    if (luts > lutBudget)
      return func.emitError("qc-hls-fold: the LUT budget ")
             << int64_t(lutBudget) << " is below the " << luts
             << " LUTs the network needs at its "
             << (targetFps > 0 || !folding.empty() ? "required" : "smallest")
             << " folding";
    while (true) {
      // The slowest layer that can still step; ties to the earlier one.
      int best = -1;
      int64_t bestCycles = -1;
      for (auto [i, layer] : llvm::enumerate(layers)) {
        int64_t cycles = estimateHlsLayer(layer).cycles;
        if (cycles > bestCycles) {
          best = i;
          bestCycles = cycles;
        }
      }
      if (best < 0 || fixed.count(layers[best].name))
        return success();
      HlsLayer trial = layers[best];
      if (!stepFolding(trial))
        return success();
      HlsLayer saved = layers[best];
      layers[best] = trial;
      if (estimateHlsNetwork(layers, clockMhz).lut > lutBudget) {
        layers[best] = saved;
        // The bottleneck cannot speed up, so neither can the network.
        return success();
      }
    }
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (clockMhz <= 0 || targetFps < 0 || lutBudget < 0 || maxStreamBits < 1) {
      func.emitError("qc-hls-fold: clock-mhz and max-stream-bits must be "
                     "positive, target-fps and lut-budget not negative");
      return signalPassFailure();
    }
    SmallVector<HlsLayer> layers;
    if (failed(collectHlsLayers(func, layers)))
      return signalPassFailure();
    if (layers.empty())
      return; // a host function
    for (HlsLayer &layer : layers) {
      layer.pe = 1;
      layer.simd = 1;
    }
    llvm::StringMap<bool> fixed;
    if (!folding.empty() && failed(applyFile(func, layers, fixed)))
      return signalPassFailure();
    if (targetFps > 0 && failed(meetTarget(func, layers, fixed)))
      return signalPassFailure();
    if (lutBudget > 0 && failed(fitBudget(func, layers, fixed)))
      return signalPassFailure();
    Builder builder(&getContext());
    for (HlsLayer &layer : layers) {
      layer.op->setAttr(kHlsPeAttr, builder.getI64IntegerAttr(layer.pe));
      layer.op->setAttr(kHlsSimdAttr, builder.getI64IntegerAttr(layer.simd));
    }
  }
};

} // namespace
