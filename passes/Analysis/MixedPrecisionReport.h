//===- MixedPrecisionReport.h - Pareto frontier as JSON and SVG -*- C++ -*-===//
//
// Writes what the mixed-precision solver found for users to look at: the
// Pareto frontier of one cost against predicted loss, the uniform
// configurations (every layer int8, every layer int4, ...) for comparison
// and the chosen point, as JSON for tools and as an SVG plot to open in a
// browser. Both outputs depend only on the report's values, so equal
// reports give byte-identical files.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_ANALYSIS_MIXEDPRECISIONREPORT_H
#define QC_PASSES_ANALYSIS_MIXEDPRECISIONREPORT_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

namespace mlir {
namespace qc {

/// One configuration: a choice per layer, its cost and predicted loss.
struct ParetoReportPoint {
  /// What the point is ("int8" for a uniform configuration; "" on the
  /// frontier).
  std::string label;
  /// Cost in the report's unit, and predicted loss.
  double cost = 0, loss = 0;
  /// Per layer of the report, the choice's name.
  SmallVector<std::string> choices;
};

/// The frontier of one cost kind, the points to compare with and the
/// chosen one.
struct ParetoReport {
  /// The cost kind ("size", "bops", "latency") and its unit ("bytes").
  std::string costKind, costUnit;
  /// What the loss axis shows ("predicted loss (weight sensitivity)").
  std::string lossLabel = "predicted loss";
  /// The budget the chosen point was solved at, in the cost's unit.
  std::optional<double> budget;
  /// The layers, in the order points list their choices.
  SmallVector<std::string> layers;
  /// Frontier points, cost increasing.
  SmallVector<ParetoReportPoint> frontier;
  /// Uniform configurations, for comparison.
  SmallVector<ParetoReportPoint> uniform;
  std::optional<ParetoReportPoint> chosen;
};

/// Writes `report` as JSON: {"cost_kind", "cost_unit", "loss", "budget",
/// "layers", "frontier", "uniform", "chosen"}, each point {"label", "cost",
/// "loss", "choices": {layer: choice}}.
void writeParetoJson(const ParetoReport &report, llvm::raw_ostream &os);

/// Writes `report` as a standalone SVG plot: cost on x, predicted loss on
/// y, labelled axes with ticks, the frontier as a line of dots, uniform
/// configurations as labelled squares and the chosen point highlighted.
void writeParetoSvg(const ParetoReport &report, llvm::raw_ostream &os);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_ANALYSIS_MIXEDPRECISIONREPORT_H
