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
#include "llvm/Support/Path.h"

#include <cassert>
#include <cmath>
#include <memory>

using namespace mlir;
using namespace mlir::qc;

std::optional<QuantSpec> mlir::qc::parseQuantSpec(StringRef spec,
                                                  std::string &error) {
  if (spec == "mixed") {
    // Each layer's weights come from qc-mixed-precision; layers it does
    // not choose for keep their weights.
    QuantSpec result;
    result.name = "mixed";
    result.none = false;
    result.mixed = true;
    result.weightScheme = getSchemeOptionName(QuantScheme::None).str();
    return result;
  }
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
                        llvm::cl::cat(category)),
        budgetKb("budget-kb",
                 llvm::cl::desc("--quant mixed (each layer's weight spec "
                                "chosen by qc-mixed-precision, least "
                                "predicted loss within one budget): stored "
                                "weight bytes, in kB "
                                "of 1000 bytes (weights, biases and "
                                "quantization parameters)"),
                 llvm::cl::value_desc("N"), llvm::cl::cat(category)),
        budgetBops("budget-bops",
                   llvm::cl::desc("--quant mixed: bit operations per image "
                                  "(MACs x weight bits x activation bits)"),
                   llvm::cl::value_desc("N"), llvm::cl::cat(category)),
        budgetLatencyUs(
            "budget-latency-us",
            llvm::cl::desc("--quant mixed: microseconds per image of the "
                           "layers' kernels, from the kernel cost table "
                           "(needs --act)"),
            llvm::cl::value_desc("N"), llvm::cl::cat(category)),
        pareto("pareto",
               llvm::cl::desc("--quant mixed: write the Pareto frontier "
                              "(cost against predicted loss, the uniform "
                              "configurations and the chosen point) as an "
                              "SVG here, and as JSON beside it (.json)"),
               llvm::cl::value_desc("out.svg"), llvm::cl::cat(category)),
        paretoJson("pareto-json",
                   llvm::cl::desc("--quant mixed: write the Pareto frontier "
                                  "as JSON here (default with --pareto: "
                                  "beside the SVG)"),
                   llvm::cl::value_desc("out.json"), llvm::cl::cat(category)),
        mixedConfigOut(
            "mixed-config-out",
            llvm::cl::desc("--quant mixed: write the chosen per-layer specs "
                           "as a --quant-config file, to edit and reuse"),
            llvm::cl::value_desc("file.json"), llvm::cl::cat(category)),
        sensitivity(
            "sensitivity", llvm::cl::init("weight"),
            llvm::cl::desc("--quant mixed: predicted loss of each layer's "
                           "choices: weight (weight quantization error, no "
                           "data) or measured (the KL divergence from the "
                           "float model's output with one layer quantized "
                           "at a time, on calibration images through the "
                           "CPU path)"),
            llvm::cl::cat(category)),
        sensitivityCount("sensitivity-count", llvm::cl::init(256),
                         llvm::cl::desc("--sensitivity measured: "
                                        "calibration images to measure on "
                                        "(the first N)"),
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
  llvm::cl::opt<std::string> budgetKb, budgetBops, budgetLatencyUs;
  llvm::cl::opt<std::string> pareto, paretoJson, mixedConfigOut;
  llvm::cl::opt<std::string> sensitivity;
  llvm::cl::opt<int64_t> sensitivityCount;
};
std::unique_ptr<QuantCLOptions> quantCLOptions;
} // namespace

/// Fills the --quant mixed fields of `spec` from the --budget-* and output
/// options, which only --quant mixed takes; false with `error` set when
/// they are missing, given twice over or not a positive number.
static bool getMixedSpecFromCLOptions(QuantSpec &spec, std::string &error) {
  const QuantCLOptions &o = *quantCLOptions;
  struct Budget {
    StringRef option, cost;
    const llvm::cl::opt<std::string> &value;
    double scale;
  };
  const Budget budgets[] = {
      {"--budget-kb", "size", o.budgetKb, 1000},
      {"--budget-bops", "bops", o.budgetBops, 1},
      {"--budget-latency-us", "latency", o.budgetLatencyUs, 1}};
  const Budget *given = nullptr;
  for (const Budget &budget : budgets) {
    if (budget.value.getNumOccurrences() == 0)
      continue;
    if (!spec.mixed) {
      error = (budget.option + " needs --quant mixed").str();
      return false;
    }
    if (given) {
      error = ("give one budget, not both " + given->option + " and " +
               budget.option +
               " (--quant mixed takes one of --budget-kb, "
               "--budget-bops, --budget-latency-us)")
                  .str();
      return false;
    }
    given = &budget;
  }
  for (const llvm::cl::opt<std::string> *output :
       {&o.pareto, &o.paretoJson, &o.mixedConfigOut, &o.sensitivity})
    if (output->getNumOccurrences() && !spec.mixed) {
      error = ("--" + output->ArgStr + " needs --quant mixed").str();
      return false;
    }
  if (!spec.mixed)
    return true;
  if (!given) {
    error = "--quant mixed needs a budget: --budget-kb N, --budget-bops N or "
            "--budget-latency-us N";
    return false;
  }
  StringRef text = StringRef(given->value).trim();
  double value = 0;
  if (text.getAsDouble(value) || !std::isfinite(value)) {
    error =
        (given->option + " takes a number, got '" + given->value + "'").str();
    return false;
  }
  if (value <= 0) {
    error = (given->option + " must be positive, got " + text).str();
    return false;
  }
  spec.mixedCost = given->cost.str();
  spec.mixedBudget = value * given->scale;
  if (spec.mixedCost == "latency" && spec.activationScheme == "none") {
    error = "--budget-latency-us needs quantized activations (--act int<k>, "
            "threshold<k> or binary, with calibration data): the kernel cost "
            "table times integer and popcount kernels";
    return false;
  }
  if (!spec.configPath.empty()) {
    error = "--quant mixed chooses every layer's weights; it cannot be "
            "combined with --quant-config (a --mixed-config-out file is reused "
            "with a uniform --quant, e.g. --quant int8 --quant-config FILE)";
    return false;
  }
  spec.paretoSvg = o.pareto;
  spec.paretoJson = o.paretoJson;
  if (!spec.paretoSvg.empty() && spec.paretoJson.empty()) {
    SmallString<128> json(spec.paretoSvg);
    llvm::sys::path::replace_extension(json, "json");
    if (json == spec.paretoSvg) {
      error = "--pareto " + spec.paretoSvg +
              ": the JSON beside it would have the same name; name the SVG "
              "*.svg or give --pareto-json";
      return false;
    }
    spec.paretoJson = std::string(json);
  }
  spec.mixedConfigOut = o.mixedConfigOut;
  spec.sensitivity = o.sensitivity;
  spec.sensitivityCount = o.sensitivityCount;
  if (spec.sensitivity != "weight" && spec.sensitivity != "measured") {
    error =
        "unknown --sensitivity '" + spec.sensitivity + "' (weight, measured)";
    return false;
  }
  if (spec.sensitivityCount < 1) {
    error = "--sensitivity-count must be at least 1, got " +
            std::to_string(spec.sensitivityCount);
    return false;
  }
  return true;
}

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
  if (!getMixedSpecFromCLOptions(*spec, error))
    return std::nullopt;
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
  if (spec->sensitivity == "measured" && spec->calibIdxImages.empty() &&
      spec->calibNpy.empty()) {
    error = "--sensitivity measured needs calibration images "
            "(--calib-idx-images or --calib-npy)";
    return std::nullopt;
  }
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
