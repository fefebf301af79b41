//===- MixedPrecisionSolver.h - Exact budgeted precision choice -*- C++ -*-===//
//
// Chooses one quantization per layer so that the predicted loss is least
// under one or two cost budgets (model bytes, BOPs, latency), under the
// additive model: a layer's choice adds its own cost and predicted loss.
// Layers that must share a choice (tied: a residual Add or a Concat that
// needs equal encodings) form one group; pinned layers offer one choice.
// With one budget the problem is a multiple-choice knapsack, solved exactly
// by dynamic programming over the groups in O(groups x choices x budget
// units); with two, by a 2-D DP (exact) when its table is small enough,
// else by Lagrangian relaxation of the second budget with bisection on the
// multiplier (feasible, with a lower bound; exact only when it meets it).
// Inputs are integer costs in budget units; the caller decides what a unit
// is. The library has no MLIR dependency beyond its support types.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_ANALYSIS_MIXEDPRECISIONSOLVER_H
#define QC_PASSES_ANALYSIS_MIXEDPRECISIONSOLVER_H

#include "mlir/Support/LLVM.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace mlir {
namespace qc {

/// One choice a layer can take (a weight spec such as "int4").
struct MixedPrecisionChoice {
  std::string name;
  /// Cost per cost kind of the problem, in budget units (>= 0).
  SmallVector<int64_t> costs;
  /// Predicted loss (sensitivity) of the layer under this choice; nullopt
  /// when it was never measured, which is an error.
  std::optional<double> loss;
};

/// One layer and the choices it can take.
struct MixedPrecisionLayer {
  std::string name;
  SmallVector<MixedPrecisionChoice> choices;
  /// The name of the only choice the layer may take, or "" (free).
  std::string pinned;
};

/// Layers, their choices and which layers are tied.
struct MixedPrecisionProblem {
  /// The cost kinds every choice's `costs` follow ("size", "bops", ...).
  SmallVector<std::string> costKinds;
  SmallVector<MixedPrecisionLayer> layers;
  /// Pairs of layer indices that must take the same choice (by name).
  SmallVector<std::pair<unsigned, unsigned>> ties;
  /// How errors print costs, per kind: a budget unit is `unitSizes[k]`
  /// `unitNames[k]` ("bytes"). Empty: as "units".
  SmallVector<double> unitSizes;
  SmallVector<std::string> unitNames;
};

/// A budget on one cost kind, in budget units.
struct MixedPrecisionBudget {
  std::string kind;
  int64_t units = 0;
};

/// Tuning of the solver.
struct MixedPrecisionOptions {
  /// With two budgets, the exact 2-D DP is used when groups x (B1 + 1) x
  /// (B2 + 1) (its choice table, one byte per entry) is at most this; else
  /// Lagrangian relaxation.
  int64_t maxExactStates = int64_t(1) << 26;
  /// The largest choice table (groups x (budget units + 1) bytes) a 1-D DP
  /// may allocate; a finer budget is an error asking for coarser units.
  int64_t maxTableBytes = int64_t(1) << 28;
  /// Steps of the search for the Lagrange multiplier at most (each one DP;
  /// it stops earlier at the dual optimum).
  unsigned bisectionSteps = 40;
};

/// Layers that share a choice, with the choices common to all of them and
/// their summed costs and losses.
struct MixedPrecisionGroup {
  /// Layer indices, increasing.
  SmallVector<unsigned> layers;
  /// Choice names common to all members (pins applied), in the order of
  /// the first member's choices.
  SmallVector<std::string> choices;
  /// Per choice, per cost kind: the members' summed costs.
  SmallVector<SmallVector<int64_t>> costs;
  /// Per choice: the members' summed losses, in member order.
  SmallVector<double> losses;
};

/// A choice for every layer and what it costs.
struct MixedPrecisionSolution {
  /// Per layer: the index of its choice in the layer's `choices`.
  SmallVector<unsigned> choices;
  /// Per cost kind of the problem (all kinds, not only budgeted ones).
  SmallVector<int64_t> costs;
  /// Predicted loss: the sum of the groups' losses, from the last group to
  /// the first.
  double loss = 0;
  /// Whether `loss` is proven least under the budgets.
  bool exact = true;
  /// A lower bound on the least loss (equal to `loss` when exact).
  double lowerBound = 0;
  /// "1-D DP", "2-D DP" or "Lagrangian relaxation".
  std::string method;
};

/// Checks `problem` and forms its tied groups (union of the ties; groups
/// ordered by their first layer). Fails with `error` set on: no cost kind
/// or a repeated one, a layer with no choice or a repeated choice name, a
/// choice whose costs do not match the kinds or are negative or too large,
/// a missing or non-finite loss, a pin naming no choice of its layer, a tie
/// naming no layer, a group whose members have no choice in common, a group
/// of more than 255 choices.
FailureOr<SmallVector<MixedPrecisionGroup>>
buildMixedPrecisionGroups(const MixedPrecisionProblem &problem,
                          std::string &error);

/// The least-loss choice per layer within `budgets` (one or two, distinct
/// kinds of the problem). Among assignments of equal loss it takes the one
/// of least summed budgeted cost, then the lexicographically first group
/// choices. Fails with `error` set on a bad problem (as
/// buildMixedPrecisionGroups), an unknown cost kind, a budget that is not
/// positive, an infeasible budget (stating the cheapest assignment's cost
/// and the groups that force it) and a table too large for the DP.
FailureOr<MixedPrecisionSolution>
solveMixedPrecision(const MixedPrecisionProblem &problem,
                    ArrayRef<MixedPrecisionBudget> budgets,
                    const MixedPrecisionOptions &options, std::string &error);

/// The Pareto frontier of `kind` against predicted loss, from one DP up to
/// `maxUnits`: each point is an exact optimum whose cost is exactly the
/// budget it was solved at, costs increasing and losses strictly
/// decreasing. At most `maxPoints` (>= 2) points, evenly spaced among the
/// frontier's, the cheapest and the least-loss ones always kept.
FailureOr<SmallVector<MixedPrecisionSolution>>
sweepMixedPrecisionPareto(const MixedPrecisionProblem &problem, StringRef kind,
                          int64_t maxUnits, unsigned maxPoints,
                          const MixedPrecisionOptions &options,
                          std::string &error);

/// Sums the costs and losses of `choices` (per layer) as the solver does.
MixedPrecisionSolution
evaluateMixedPrecision(const MixedPrecisionProblem &problem,
                       ArrayRef<MixedPrecisionGroup> groups,
                       ArrayRef<unsigned> groupChoices);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_ANALYSIS_MIXEDPRECISIONSOLVER_H
