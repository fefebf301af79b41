//===- QuantOptions.h - The tools' --quant options --------------*- C++ -*-===//
//
// What `--quant` (a uniform spec or `mixed` with a `--budget-*`), `--act`,
// `--quant-config` and the `--calib-*` options of qc-run and qcc mean, as
// one QuantSpec, and the command-line options that make it. Both tools register
// the same options from here.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_LIB_QUANTOPTIONS_H
#define QC_TOOLS_LIB_QUANTOPTIONS_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/CommandLine.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir {
namespace qc {

/// What a `--quant` spec of qc-run / qcc stands for.
struct QuantSpec {
  /// The spec as written, e.g. "int4".
  std::string name = "none";
  /// `none`: the model runs as given.
  bool none = true;
  /// qc-quantize's weight-scheme value (getSchemeOptionName) and bits.
  std::string weightScheme;
  unsigned weightBits = 8;
  bool quantizeFirstLast = false;
  /// Activations: qc-quantize's activation-scheme value and bits;
  /// anything but none needs calibration data.
  std::string activationScheme = "none";
  unsigned activationBits = 8;
  /// Per-layer overrides (qc-quantize's `config`), or "".
  std::string configPath;
  /// `--quant mixed`: qc-mixed-precision chooses each layer's weight spec
  /// under `mixedBudget` of `mixedCost` (qc-mixed-precision's cost kind:
  /// size in bytes, bops, latency in microseconds) before qc-quantize.
  bool mixed = false;
  std::string mixedCost;
  double mixedBudget = 0;
  /// Where qc-mixed-precision writes its Pareto SVG and JSON and the chosen
  /// --quant-config file ("": not written). The tools stage them
  /// (stageMixedOutputs) so that they appear only when a run succeeds.
  std::string paretoSvg, paretoJson, mixedConfigOut;
  /// The predicted loss --quant mixed weighs: "weight" (the weights'
  /// quantization error, no data) or "measured" (MeasuredSensitivity.h, on
  /// the first `sensitivityCount` calibration images).
  std::string sensitivity = "weight";
  int64_t sensitivityCount = 256;
  /// Calibration: IDX images or a .npy batch, how many images, the method
  /// (max, percentile, mse) and the percentile.
  std::string calibIdxImages, calibNpy, calibMethod = "max";
  int64_t calibCount = 256;
  double calibPercentile = 99.99;
  /// Rewrite quantized MACs into kernel ops (qc-lower-macs); when false the
  /// quantized model runs on its float reference path.
  bool lowerMacs = true;
  /// The kernel picker's inputs (qc-lower-macs' route, isa and
  /// kernel-costs): the route every layer takes where it has it ("auto":
  /// the cheapest), the instruction-set level routes are costed for, and a
  /// cost table file ("": the built-in one).
  std::string macRoute = "auto", isa = "native", kernelCosts;
  /// Time each layer's routes on this machine instead (KernelTuning.h),
  /// with the times cached in `tuneCache`.
  bool tune = false;
  std::string tuneCache;
};

/// Parses a weight spec of the scheme table (dialects/QC/Utils/
/// QuantSchemes.h: none, auto, int8, ...) or `mixed`. On failure returns
/// nullopt and sets `error`.
std::optional<QuantSpec> parseQuantSpec(StringRef spec, std::string &error);

/// Registers the command-line options that make a QuantSpec (--quant,
/// --quantize-first-last, --lower-macs, the --budget-* and Pareto options
/// of --quant mixed, ...) in `category`; tools call it before parsing their
/// command line.
void registerQuantCLOptions(llvm::cl::OptionCategory &category);

/// The spec the options of registerQuantCLOptions give, or nullopt with
/// `error` set.
std::optional<QuantSpec> getQuantSpecFromCLOptions(std::string &error);

} // namespace qc
} // namespace mlir

#endif // QC_TOOLS_LIB_QUANTOPTIONS_H
