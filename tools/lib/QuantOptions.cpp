//===- QuantOptions.cpp - The tools' --quant options ----------------------===//
//
// Parses --quant specs and owns the command-line options behind
// registerQuantCLOptions; every option is validated here so that both tools
// reject the same impossible combinations with the same words.
//
//===----------------------------------------------------------------------===//

#include "tools/lib/QuantOptions.h"
#include "passes/Analysis/KernelPicker.h"
#include "tools/lib/KernelTuning.h"

#include "dialects/QC/Utils/QuantSchemes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"

#include <cassert>
#include <memory>

using namespace mlir;
using namespace mlir::qc;

std::optional<QuantSpec> mlir::qc::parseQuantSpec(StringRef spec,
                                                  std::string &error) {
  std::optional<SchemeSpec> weights =
      parseSchemeSpec(spec, QuantTarget::Weights, "--quant spec", error);
  if (!weights)
    return std::nullopt;
  QuantSpec result;
  result.name = spec.str();
  result.none = weights->scheme == QuantScheme::None;
  result.weightScheme = getSchemeOptionName(weights->scheme).str();
  result.weightBits = weights->bits;
  return result;
}

namespace {
/// The options behind registerQuantCLOptions, shared by qc-run and qcc.
struct QuantCLOptions {
  explicit QuantCLOptions(llvm::cl::OptionCategory &category)
      : weightHelp("Weight quantization. " +
                   getSchemeSpecHelp(QuantTarget::Weights)),
        activationHelp("Activation quantization, from calibration. " +
                       getSchemeSpecHelp(QuantTarget::Activations)),
        spec("quant", llvm::cl::init("none"), llvm::cl::desc(weightHelp),
             llvm::cl::cat(category)),
        quantizeFirstLast(
            "quantize-first-last", llvm::cl::init(false),
            llvm::cl::desc("Apply --quant to the first and last layers too "
                           "(default: they stay 8-bit)"),
            llvm::cl::cat(category)),
        lowerMacs("lower-macs", llvm::cl::init(true),
                  llvm::cl::desc("Rewrite quantized MACs into popcount "
                                 "kernels (false: run the float reference "
                                 "path of the quantized model)"),
                  llvm::cl::cat(category)),
        macRoute("mac-route", llvm::cl::init("auto"),
                 llvm::cl::desc("Kernel of every layer that can take it: "
                                "xnor, integer (int8 dot products), "
                                "bitserial, ternary, shift, or auto (the "
                                "cheapest by the cost table)"),
                 llvm::cl::cat(category)),
        isa("isa", llvm::cl::init("native"),
            llvm::cl::desc("Instruction-set level the kernel picker costs "
                           "routes for: native (this CPU's features), "
                           "x86-64, avx2, avx512, avx512-vnni"),
            llvm::cl::cat(category)),
        kernelCosts("kernel-costs", llvm::cl::init(""),
                    llvm::cl::desc("Kernel cost table (JSON, as "
                                   "bench/kernel_costs.py writes it; default: "
                                   "the built-in one)"),
                    llvm::cl::cat(category)),
        tune("tune", llvm::cl::init(false),
             llvm::cl::desc("Time each layer's exact routes on this machine "
                            "and take the fastest (cached; see --tune-cache) "
                            "instead of estimating from the cost table"),
             llvm::cl::cat(category)),
        tuneCache("tune-cache", llvm::cl::init(""),
                  llvm::cl::desc("The --tune cache file (default: "
                                 "$XDG_CACHE_HOME/qc/tune.json or "
                                 "~/.cache/qc/tune.json)"),
                  llvm::cl::cat(category)),
        activations("act", llvm::cl::init("none"),
                    llvm::cl::desc(activationHelp), llvm::cl::cat(category)),
        config("quant-config", llvm::cl::init(""),
               llvm::cl::desc("JSON file of per-layer weight/activation "
                              "specs by ONNX node name"),
               llvm::cl::cat(category)),
        calibIdxImages("calib-idx-images", llvm::cl::init(""),
                       llvm::cl::desc("Calibration images (IDX, raw or .gz; "
                                      "scaled to [0, 1])"),
                       llvm::cl::cat(category)),
        calibNpy("calib-npy", llvm::cl::init(""),
                 llvm::cl::desc("Calibration batch (.npy, the model input "
                                "with a batch dimension)"),
                 llvm::cl::cat(category)),
        calibCount("calib-count", llvm::cl::init(256),
                   llvm::cl::desc("Calibration images to use (the first N)"),
                   llvm::cl::cat(category)),
        calibMethod("calib-method", llvm::cl::init("max"),
                    llvm::cl::desc("Clip range: max, percentile or mse"),
                    llvm::cl::cat(category)),
        calibPercentile("calib-percentile", llvm::cl::init(99.99),
                        llvm::cl::desc("Percentile of |x| for "
                                       "--calib-method percentile"),
                        llvm::cl::cat(category)) {}
  /// The help of --quant and --act, built from the scheme table; declared
  /// before the options, which keep a reference to it.
  std::string weightHelp, activationHelp;
  llvm::cl::opt<std::string> spec;
  llvm::cl::opt<bool> quantizeFirstLast;
  llvm::cl::opt<bool> lowerMacs;
  llvm::cl::opt<std::string> macRoute, isa, kernelCosts;
  llvm::cl::opt<bool> tune;
  llvm::cl::opt<std::string> tuneCache;
  llvm::cl::opt<std::string> activations, config, calibIdxImages, calibNpy;
  llvm::cl::opt<int64_t> calibCount;
  llvm::cl::opt<std::string> calibMethod;
  llvm::cl::opt<double> calibPercentile;
};
std::unique_ptr<QuantCLOptions> quantCLOptions;
} // namespace

void mlir::qc::registerQuantCLOptions(llvm::cl::OptionCategory &category) {
  if (!quantCLOptions)
    quantCLOptions = std::make_unique<QuantCLOptions>(category);
}

std::optional<QuantSpec>
mlir::qc::getQuantSpecFromCLOptions(std::string &error) {
  assert(quantCLOptions && "registerQuantCLOptions was not called");
  std::optional<QuantSpec> spec = parseQuantSpec(quantCLOptions->spec, error);
  if (!spec)
    return std::nullopt;
  spec->quantizeFirstLast = quantCLOptions->quantizeFirstLast;
  spec->lowerMacs = quantCLOptions->lowerMacs;
  spec->macRoute = quantCLOptions->macRoute;
  spec->isa = quantCLOptions->isa;
  spec->kernelCosts = quantCLOptions->kernelCosts;
  spec->tune = quantCLOptions->tune;
  spec->tuneCache = quantCLOptions->tuneCache.empty()
                        ? getDefaultTuneCachePath()
                        : quantCLOptions->tuneCache;
  if (spec->tune && spec->macRoute != "auto") {
    error = "--tune picks each layer's route; it cannot be combined with "
            "--mac-route " +
            spec->macRoute;
    return std::nullopt;
  }
  if (spec->macRoute != "auto" &&
      !llvm::is_contained(getRouteIds(), StringRef(spec->macRoute))) {
    error = "unknown --mac-route '" + spec->macRoute +
            "' (auto, xnor, integer, bitserial, ternary, shift)";
    return std::nullopt;
  }
  if (spec->isa != "native" &&
      !llvm::is_contained(getIsaLevels(), StringRef(spec->isa))) {
    error = "unknown --isa '" + spec->isa +
            "' (native, x86-64, avx2, avx512, avx512-vnni)";
    return std::nullopt;
  }
  if (!spec->kernelCosts.empty() && !llvm::sys::fs::exists(spec->kernelCosts)) {
    error = "--kernel-costs: no file '" + spec->kernelCosts + "'";
    return std::nullopt;
  }
  std::optional<SchemeSpec> activations =
      parseSchemeSpec(quantCLOptions->activations, QuantTarget::Activations,
                      "activation spec", error);
  if (!activations) {
    error = "--act: " + error;
    return std::nullopt;
  }
  spec->activationScheme = getSchemeOptionName(activations->scheme).str();
  spec->activationBits = activations->bits;
  spec->configPath = quantCLOptions->config;
  if (!spec->configPath.empty() && spec->none) {
    error = "--quant-config needs a --quant spec other than none";
    return std::nullopt;
  }
  if (spec->activationScheme != "none" && spec->none) {
    error = "--act " + quantCLOptions->activations +
            " needs a --quant spec other than none (e.g. --quant int8)";
    return std::nullopt;
  }
  spec->calibIdxImages = quantCLOptions->calibIdxImages;
  spec->calibNpy = quantCLOptions->calibNpy;
  spec->calibCount = quantCLOptions->calibCount;
  spec->calibMethod = quantCLOptions->calibMethod;
  spec->calibPercentile = quantCLOptions->calibPercentile;
  if (!spec->calibIdxImages.empty() && !spec->calibNpy.empty()) {
    error = "give either --calib-idx-images or --calib-npy, not both";
    return std::nullopt;
  }
  if (spec->calibCount < 1) {
    error = "--calib-count must be at least 1, got " +
            std::to_string(spec->calibCount);
    return std::nullopt;
  }
  if (spec->calibMethod != "max" && spec->calibMethod != "percentile" &&
      spec->calibMethod != "mse") {
    error = "unknown --calib-method '" + spec->calibMethod +
            "' (max, percentile, mse)";
    return std::nullopt;
  }
  if (!(spec->calibPercentile > 0 && spec->calibPercentile <= 100)) {
    error = "--calib-percentile must be in (0, 100], got " +
            std::to_string(spec->calibPercentile);
    return std::nullopt;
  }
  return spec;
}
