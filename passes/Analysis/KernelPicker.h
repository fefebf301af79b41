//===- KernelPicker.h - The fastest exact route per layer -------*- C++ -*-===//
//
// A layer can often run on more than one exact kernel: with uniform
// activations, bit-serial AND-popcounts, ternary masked popcounts or
// shift-adds on the codes, or the integer MAC (the runtime's int8 dot
// products); with binary or Sign activations and binary weights, the XNOR
// popcount or the integer MAC on the +-1 (and 0) codes. All give the same
// integer accumulators; which is fastest depends on the CPU
// and the layer. The picker estimates each route's time from a cost table
// -- nanoseconds per unit of work per route and instruction-set level,
// measured by bench/kernel_costs.py and shipped as KernelCosts.json, or a
// table the user measured -- and takes the cheapest, or the route a test
// or user forces.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_ANALYSIS_KERNELPICKER_H
#define QC_PASSES_ANALYSIS_KERNELPICKER_H

#include "passes/Analysis/MacKernelSelection.h"

#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>

namespace mlir {
namespace qc {

/// Nanoseconds per unit of work, per instruction-set level and route (see
/// getWorkUnits).
class KernelCostTable {
public:
  /// The table shipped with qc (passes/Analysis/KernelCosts.json).
  static const KernelCostTable &getBuiltin();
  /// A table in KernelCosts.json's format, or nullopt with `error` set.
  static std::optional<KernelCostTable> parse(StringRef json, StringRef source,
                                              std::string &error);
  /// The table in file `path`, or nullopt with `error` set.
  static std::optional<KernelCostTable> load(StringRef path,
                                             std::string &error);

  /// The cost of `route` at `level`, if the table has it.
  std::optional<double> getUnitCost(StringRef level, StringRef route) const;
  /// Where the table comes from, for explanations.
  StringRef getSource() const { return source; }

private:
  llvm::StringMap<llvm::StringMap<double>> costs;
  std::string source;
};

/// The instruction-set levels the runtime dispatches on, lowest first.
ArrayRef<StringRef> getIsaLevels();

/// This machine's level, from the CPU's feature bits as LLVM reads them
/// (CPUID and XGETBV), never from its name.
StringRef getHostIsaLevel();

/// The routes' short names, as cost tables and forced routes spell them.
ArrayRef<StringRef> getRouteIds();

/// The short name of a route ("xnor", "integer", "bitserial", "ternary",
/// "shift"), as cost tables and forced routes spell it; "" for others.
StringRef getRouteId(KernelKind kind);

/// The units of work `kind` spends on `layer` for `macs` multiply-
/// accumulates: MACs for the integer MAC and shift-add, MACs x activation
/// planes x weight planes for bit-serial, MACs x activation planes x 2
/// (the +1 and -1 masks) for ternary.
double getWorkUnits(KernelKind kind, const IntegerLayer &layer, double macs);

/// A layer's route as measured on this machine (qc-run / qcc --tune): the
/// route id and why (the measured times), set on the tosa.conv2d or
/// tosa.fully_connected; the picker takes it over the cost table.
inline constexpr llvm::StringLiteral kTunedRouteAttr = "qc.tuned_route";
inline constexpr llvm::StringLiteral kTunedReasonAttr = "qc.tuned_reason";

/// One route a layer can take, with its units of work (getWorkUnits).
struct RouteCandidate {
  StringRef id;
  double units;
};

/// The index in `candidates` of the route to take -- `options`' forced
/// route when the layer has it, else the route `op` was tuned to
/// (kTunedRouteAttr), else the cheapest by the cost table at the options'
/// level (the first when the table has none of them) -- and why, for
/// `--explain` ("" when there is one candidate).
std::pair<size_t, std::string> pickRoute(ArrayRef<RouteCandidate> candidates,
                                         const MacKernelOptions &options,
                                         Operation *op);

/// Sets layer.kernel and layer.accBits to the route of layer.routes that
/// pickRoute takes. Returns why.
std::string pickIntegerRoute(IntegerLayer &layer, double macs,
                             const MacKernelOptions &options,
                             Operation *op = nullptr);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_ANALYSIS_KERNELPICKER_H
