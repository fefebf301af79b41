//===- ModelReport.cpp - Per-layer report of a model ----------------------===//
//
// Layer statistics from passes/Analysis/LayerCost, the kernel each layer
// takes from passes/Analysis/MacKernelSelection (or why it takes none), as
// JSON. Layer names come from the ops' locations (the ONNX importer tags
// every op with its node name).
//
//===----------------------------------------------------------------------===//

#include "tools/lib/ModelReport.h"
#include "dialects/QC/QCOps.h"
#include "passes/Analysis/KernelPicker.h"
#include "passes/Analysis/LayerCost.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"

#include <map>
#include <optional>

using namespace mlir;
using namespace mlir::qc;

static llvm::json::Array shapeToJSON(Type type) {
  llvm::json::Array array;
  if (auto shaped = dyn_cast<ShapedType>(type))
    for (int64_t d : shaped.getShape())
      array.push_back(ShapedType::isDynamic(d) ? -1 : d);
  return array;
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

std::string mlir::qc::getMacLoweringOffReason(const QuantSpec &spec) {
  if (spec.none)
    return "not quantized (--quant none)";
  if (!spec.lowerMacs)
    return "MAC lowering is off (--lower-macs=false)";
  return "";
}

/// The picker's options for `spec`; its cost table file is read once
/// (getQuantSpecFromCLOptions checked that it exists; a table that does not
/// parse is qc-lower-macs' error to report, the report then costs with the
/// built-in one).
static MacKernelOptions getPickerOptions(const QuantSpec &spec) {
  static std::map<std::string, std::optional<KernelCostTable>> tables;
  MacKernelOptions options;
  if (spec.macRoute != "auto")
    options.forcedRoute = spec.macRoute;
  if (spec.isa != "native")
    options.isaLevel = spec.isa;
  if (!spec.kernelCosts.empty()) {
    auto [entry, added] = tables.try_emplace(spec.kernelCosts);
    if (added) {
      std::string error;
      entry->second = KernelCostTable::load(spec.kernelCosts, error);
    }
    if (entry->second)
      options.costs = &*entry->second;
  }
  return options;
}

MatchResult<MacKernel> mlir::qc::getLayerKernel(Operation *layer,
                                                const QuantSpec &spec,
                                                std::string *choice) {
  if (spec.none) {
    // A graph that carries its own quantization (QDQ, QONNX) still runs on
    // the reference path of its quantized types.
    std::optional<LayerCost> cost = getLayerCost(layer);
    Value stored = cost ? getStoredConstant(cost->weight) : Value();
    if (stored && isa<QuantizedTypeInterface>(
                      cast<ShapedType>(stored.getType()).getElementType()))
      return MatchResult<MacKernel>::fails(
          "--quant none runs the model's quantized types on the reference "
          "path (no MAC lowering)");
  }
  std::string off = getMacLoweringOffReason(spec);
  if (!off.empty())
    return MatchResult<MacKernel>::fails(off);
  return getMacKernel(layer, getPickerOptions(spec), choice);
}

llvm::json::Object mlir::qc::buildModelReport(func::FuncOp model,
                                              const QuantSpec &spec) {
  llvm::json::Array layers;
  struct {
    int64_t macs = 0, bops = 0, params = 0, weightParams = 0, weightBytes = 0,
            biasBytes = 0, paramBytes = 0, kernelBytes = 0;
  } totals;
  auto ratio = [](int64_t floatBytes, int64_t bytes) {
    return bytes ? static_cast<double>(floatBytes) / bytes : 1.0;
  };
  model.walk([&](Operation *op) {
    std::optional<LayerCost> cost = getLayerCost(op);
    if (!cost)
      return;
    std::string choice;
    MatchResult<MacKernel> kernel = getLayerKernel(op, spec, &choice);
    int64_t kernelBytes =
        (kernel ? kernel->weightBytes : 4 * cost->weightParams) +
        cost->biasBytes;
    totals.macs += cost->macs;
    totals.params += cost->getParams();
    totals.weightParams += cost->weightParams;
    totals.weightBytes += cost->weightBytes;
    totals.biasBytes += cost->biasBytes;
    totals.paramBytes += cost->quantParamBytes;
    totals.bops += cost->bops;
    totals.kernelBytes += kernelBytes;
    llvm::json::Object entry{
        {"name", qc::getLayerName(op->getLoc())},
        {"op", cost->op},
        {"weight_type", getWeightScheme(cost->weight)},
        {"input_shape", shapeToJSON(cost->input.getType())},
        {"weight_shape", shapeToJSON(cost->weight.getType())},
        {"output_shape", shapeToJSON(cost->output.getType())},
        {"weight_bits", cost->weightBits},
        {"activation_bits", cost->activationBits},
        {"macs", cost->macs},
        {"bops", cost->bops},
        {"params", cost->getParams()},
        {"weight_bytes", cost->weightBytes},
        {"bias_bytes", cost->biasBytes},
        {"quant_param_bytes", cost->quantParamBytes},
        {"stored_bytes", cost->getStoredBytes()},
        {"compression_vs_fp32",
         ratio(4 * cost->weightParams, cost->weightBytes)},
        {"stored_compression_vs_fp32",
         ratio(4 * cost->getParams(), cost->getStoredBytes())},
        {"kernel", kernel ? getKernelName(kernel->kind) : "float (reference)"},
        {"kernel_weight_bytes", kernelBytes},
    };
    // Only layers on the float reference path say why they are there.
    if (!kernel)
      entry["kernel_reason"] = kernel.getReason().str();
    // Layers with more than one exact route say why the picker took this.
    if (kernel && !choice.empty())
      entry["kernel_choice"] = choice;
    layers.push_back(std::move(entry));
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

SmallVector<std::pair<std::string, std::string>>
mlir::qc::getRuntimeCalls(ModuleOp module) {
  SmallVector<std::pair<std::string, std::string>> result;
  auto *dialect = module.getContext()->getOrLoadDialect<QCDialect>();
  ArrayAttr calls = dialect->getRuntimeCallsAttrHelper().getAttr(module);
  if (!calls)
    return result;
  for (Attribute entry : calls) {
    auto dict = dyn_cast<DictionaryAttr>(entry);
    auto layer = dict ? dict.getAs<StringAttr>("layer") : StringAttr();
    auto call = dict ? dict.getAs<StringAttr>("call") : StringAttr();
    if (layer && call)
      result.emplace_back(layer.str(), call.str());
  }
  return result;
}

void mlir::qc::addRuntimeCalls(llvm::json::Object &report, ModuleOp module) {
  llvm::json::Array calls;
  for (const auto &[layer, call] : getRuntimeCalls(module))
    calls.push_back(llvm::json::Object{{"layer", layer}, {"call", call}});
  report["runtime_calls"] = std::move(calls);
}

void mlir::qc::addMemoryPlan(llvm::json::Object &report, ModuleOp module) {
  auto *dialect = module.getContext()->getOrLoadDialect<QCDialect>();
  DictionaryAttr plan = dialect->getBufferPlanAttrHelper().getAttr(module);
  if (!plan)
    return;
  auto get = [&](StringRef key) -> int64_t {
    auto value = plan.getAs<IntegerAttr>(key);
    return value ? value.getInt() : 0;
  };
  report["memory"] = llvm::json::Object{
      {"scratch_bytes_per_image", get("bytes_per_unit")},
      {"scratch_bytes_per_image_without_reuse", get("bytes_without_reuse")},
      {"planned_buffers", get("buffers")},
      {"arena_slots", get("slots")},
      {"unplanned_buffers", get("unplanned")}};
}
