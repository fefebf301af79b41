//===- KernelPicker.h - The fastest exact route per layer -------*- C++ -*-===//
//
// A layer with uniform activations can often run on more than one exact
// kernel: bit-serial AND-popcounts, ternary masked popcounts or shift-adds
// on the codes, or the integer MAC (the runtime's int8 dot products). All
// give the same integer accumulators; which is fastest depends on the CPU
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

/// The short name of an integer route ("integer", "bitserial", "ternary",
/// "shift"), as cost tables and forced routes spell it; "" for others.
StringRef getRouteId(KernelKind kind);

/// The units of work `kind` spends on `layer` for `macs` multiply-
/// accumulates: MACs for the integer MAC and shift-add, MACs x activation
/// planes x weight planes for bit-serial, MACs x activation planes x 2
/// (the +1 and -1 masks) for ternary.
double getWorkUnits(KernelKind kind, const IntegerLayer &layer, double macs);

/// Sets layer.kernel and layer.accBits to one of layer.routes: `options`'
/// forced route when the layer has it, else the cheapest by the cost table
/// at the options' level. Returns why, for `--explain`.
std::string pickIntegerRoute(IntegerLayer &layer, double macs,
                             const MacKernelOptions &options);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_ANALYSIS_KERNELPICKER_H
