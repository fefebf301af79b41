//===- MixedPrecisionSolver.cpp - Exact budgeted precision choice ---------===//
//
// Implements MixedPrecisionSolver.h. Every DP here is a suffix DP: row g
// holds, for each remaining budget, the best (value, tie) pair of groups
// g..G-1, and a table of one byte per group and budget keeps the choice
// that reached it, the lowest index among equals. Reconstruction walks the
// table from group 0, so the result is the lexicographically first optimum,
// and losses are summed from the last group to the first, as a brute force
// summing in that order would, so results compare bit for bit.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/MixedPrecisionSolver.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

using namespace mlir;
using namespace mlir::qc;

/// The largest cost of one choice in budget units; sums of at most 2^20
/// such costs stay far from int64 overflow.
static constexpr int64_t kMaxUnitCost = int64_t(1) << 40;

static constexpr double kInf = std::numeric_limits<double>::infinity();

namespace {

/// What the DP minimizes: `value` first, then `tie`.
struct Score {
  double value;
  int64_t tie;
  bool operator<(const Score &other) const {
    return value < other.value || (value == other.value && tie < other.tie);
  }
};

/// One choice as a DP sees it: its weight(s) along the DP's dimension(s),
/// its value and its tie-break cost.
struct Item {
  int64_t weight, weight2;
  double value;
  int64_t tie;
};

/// A DP's result: the choice table (group-major), and the best score of
/// groups 0..G-1 per budget.
struct DpTable {
  std::vector<uint8_t> choice;
  std::vector<Score> first;
  int64_t stride = 0;
};

} // namespace

/// `units` of cost kind `kind` as errors print them: "12 units", or in the
/// problem's real unit ("0.0126 us").
static std::string formatCost(const MixedPrecisionProblem &problem, size_t kind,
                              int64_t units, bool withUnit) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (kind < problem.unitSizes.size() && kind < problem.unitNames.size()) {
    os << llvm::format("%g", units * problem.unitSizes[kind]);
    if (withUnit)
      os << " " << problem.unitNames[kind];
  } else {
    os << units;
    if (withUnit)
      os << " units";
  }
  return text;
}

/// Joins the member names of `group`: "a+b".
static std::string getGroupName(const MixedPrecisionProblem &problem,
                                const MixedPrecisionGroup &group) {
  std::string name;
  for (unsigned layer : group.layers)
    name += (name.empty() ? "" : "+") + problem.layers[layer].name;
  return name;
}

/// Union-find root with path halving.
static unsigned findRoot(SmallVectorImpl<unsigned> &parent, unsigned i) {
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

FailureOr<SmallVector<MixedPrecisionGroup>>
mlir::qc::buildMixedPrecisionGroups(const MixedPrecisionProblem &problem,
                                    std::string &error) {
  auto bad = [&](const Twine &why) {
    error = why.str();
    return failure();
  };
  size_t kinds = problem.costKinds.size();
  if (kinds == 0)
    return bad("no cost kind given");
  llvm::StringSet<> seenKinds;
  for (const std::string &kind : problem.costKinds)
    if (!seenKinds.insert(kind).second)
      return bad("cost kind '" + kind + "' is given twice");
  if (problem.layers.empty())
    return bad("no layer to choose a precision for");
  for (const MixedPrecisionLayer &layer : problem.layers) {
    std::string where = "layer '" + layer.name + "'";
    if (layer.choices.empty())
      return bad(where + " has no choice it can take");
    llvm::StringSet<> names;
    bool pinFound = layer.pinned.empty();
    for (const MixedPrecisionChoice &choice : layer.choices) {
      std::string at = where + ", choice '" + choice.name + "'";
      if (!names.insert(choice.name).second)
        return bad(where + " lists choice '" + choice.name + "' twice");
      pinFound |= choice.name == layer.pinned;
      if (choice.costs.size() != kinds)
        return bad(at + ": " + Twine(choice.costs.size()) + " costs for " +
                   Twine(kinds) + " cost kinds");
      for (auto [kind, cost] : llvm::zip(problem.costKinds, choice.costs))
        if (cost < 0 || cost > kMaxUnitCost)
          return bad(at + ": " + kind + " cost " + Twine(cost) +
                     " is outside 0.." + Twine(kMaxUnitCost) + " units");
      if (!choice.loss)
        return bad(at + ": missing sensitivity (no predicted loss)");
      if (!std::isfinite(*choice.loss))
        return bad(at + ": sensitivity is " +
                   (std::isnan(*choice.loss) ? "NaN" : "infinite") +
                   "; it must be a finite number");
    }
    if (!pinFound) {
      std::string list;
      for (const MixedPrecisionChoice &choice : layer.choices)
        list += (list.empty() ? "" : ", ") + choice.name;
      return bad(where + " is pinned to '" + layer.pinned +
                 "', which it cannot take (its choices: " + list + ")");
    }
  }

  unsigned n = problem.layers.size();
  SmallVector<unsigned> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  for (auto [a, b] : problem.ties) {
    if (a >= n || b >= n)
      return bad("tie between layers " + Twine(a) + " and " + Twine(b) +
                 " names no layer (there are " + Twine(n) + ")");
    unsigned ra = findRoot(parent, a), rb = findRoot(parent, b);
    // The smaller index stays root, so groups are ordered by first layer.
    if (ra != rb)
      parent[std::max(ra, rb)] = std::min(ra, rb);
  }

  SmallVector<MixedPrecisionGroup> groups;
  SmallVector<int> groupOf(n, -1);
  for (unsigned i = 0; i < n; ++i) {
    unsigned root = findRoot(parent, i);
    if (groupOf[root] < 0) {
      groupOf[root] = groups.size();
      groups.emplace_back();
    }
    groups[groupOf[root]].layers.push_back(i);
  }

  // The choices a layer offers: all, or its pin.
  auto offers = [&](const MixedPrecisionLayer &layer, StringRef name) {
    return layer.pinned.empty() ? true : layer.pinned == name;
  };
  auto findChoice = [](const MixedPrecisionLayer &layer,
                       StringRef name) -> const MixedPrecisionChoice * {
    for (const MixedPrecisionChoice &choice : layer.choices)
      if (choice.name == name)
        return &choice;
    return nullptr;
  };
  for (MixedPrecisionGroup &group : groups) {
    const MixedPrecisionLayer &first = problem.layers[group.layers.front()];
    for (const MixedPrecisionChoice &candidate : first.choices) {
      if (!offers(first, candidate.name))
        continue;
      SmallVector<int64_t> costs(kinds, 0);
      double loss = 0;
      bool common = true;
      for (unsigned member : group.layers) {
        const MixedPrecisionLayer &layer = problem.layers[member];
        const MixedPrecisionChoice *choice = findChoice(layer, candidate.name);
        if (!choice || !offers(layer, candidate.name)) {
          common = false;
          break;
        }
        for (size_t k = 0; k < kinds; ++k)
          costs[k] += choice->costs[k];
        loss += *choice->loss;
      }
      if (!common)
        continue;
      group.choices.push_back(candidate.name);
      group.costs.push_back(std::move(costs));
      group.losses.push_back(loss);
    }
    if (group.choices.empty()) {
      std::string members;
      for (unsigned member : group.layers) {
        const MixedPrecisionLayer &layer = problem.layers[member];
        std::string list;
        for (const MixedPrecisionChoice &choice : layer.choices)
          if (offers(layer, choice.name))
            list += (list.empty() ? "" : ", ") + choice.name;
        if (!layer.pinned.empty())
          list += " (pinned)";
        members += (members.empty() ? "" : "; ") + layer.name + ": " + list;
      }
      return bad("tied layers " + getGroupName(problem, group) +
                 " must share a choice but have none in common (" + members +
                 ")");
    }
    if (group.choices.size() > 255)
      return bad("layers " + getGroupName(problem, group) + " offer " +
                 Twine(group.choices.size()) +
                 " choices; the solver takes at most 255");
  }
  return groups;
}

MixedPrecisionSolution
mlir::qc::evaluateMixedPrecision(const MixedPrecisionProblem &problem,
                                 ArrayRef<MixedPrecisionGroup> groups,
                                 ArrayRef<unsigned> groupChoices) {
  MixedPrecisionSolution solution;
  solution.choices.assign(problem.layers.size(), 0);
  solution.costs.assign(problem.costKinds.size(), 0);
  for (size_t g = groups.size(); g-- > 0;) {
    const MixedPrecisionGroup &group = groups[g];
    unsigned c = groupChoices[g];
    solution.loss = group.losses[c] + solution.loss;
    for (size_t k = 0; k < solution.costs.size(); ++k)
      solution.costs[k] += group.costs[c][k];
    for (unsigned member : group.layers) {
      const MixedPrecisionLayer &layer = problem.layers[member];
      for (unsigned i = 0; i < layer.choices.size(); ++i)
        if (layer.choices[i].name == group.choices[c])
          solution.choices[member] = i;
    }
  }
  solution.lowerBound = solution.loss;
  return solution;
}

/// The suffix DP over one budget dimension: for each group from the last,
/// for each budget b in 0..budget, the best score of that group and those
/// after it whose weights sum to at most b.
static DpTable runDp1(ArrayRef<SmallVector<Item>> items, int64_t budget) {
  size_t groups = items.size();
  int64_t width = budget + 1;
  DpTable table;
  table.stride = width;
  table.choice.assign(groups * width, 0);
  std::vector<Score> next(width, Score{0, 0}), current(width);
  for (size_t g = groups; g-- > 0;) {
    std::fill(current.begin(), current.end(), Score{kInf, 0});
    uint8_t *row = table.choice.data() + g * width;
    for (auto [c, item] : llvm::enumerate(items[g])) {
      for (int64_t b = item.weight; b < width; ++b) {
        const Score &rest = next[b - item.weight];
        if (rest.value == kInf)
          continue;
        Score candidate{item.value + rest.value, item.tie + rest.tie};
        if (candidate < current[b]) {
          current[b] = candidate;
          row[b] = c;
        }
      }
    }
    std::swap(current, next);
  }
  table.first = std::move(next);
  return table;
}

/// Reads the group choices of the optimum at `budget` off a 1-D table.
static SmallVector<unsigned> reconstruct1(const DpTable &table,
                                          ArrayRef<SmallVector<Item>> items,
                                          int64_t budget) {
  SmallVector<unsigned> choices;
  for (size_t g = 0; g < items.size(); ++g) {
    unsigned c = table.choice[g * table.stride + budget];
    choices.push_back(c);
    budget -= items[g][c].weight;
  }
  return choices;
}

/// The suffix DP over two budget dimensions (b1 major).
static DpTable runDp2(ArrayRef<SmallVector<Item>> items, int64_t budget1,
                      int64_t budget2) {
  size_t groups = items.size();
  int64_t w2 = budget2 + 1, states = (budget1 + 1) * w2;
  DpTable table;
  table.stride = states;
  table.choice.assign(groups * states, 0);
  std::vector<Score> next(states, Score{0, 0}), current(states);
  for (size_t g = groups; g-- > 0;) {
    std::fill(current.begin(), current.end(), Score{kInf, 0});
    uint8_t *row = table.choice.data() + g * states;
    for (auto [c, item] : llvm::enumerate(items[g])) {
      for (int64_t b1 = item.weight; b1 <= budget1; ++b1) {
        for (int64_t b2 = item.weight2; b2 <= budget2; ++b2) {
          int64_t s = b1 * w2 + b2;
          const Score &rest =
              next[(b1 - item.weight) * w2 + (b2 - item.weight2)];
          if (rest.value == kInf)
            continue;
          Score candidate{item.value + rest.value, item.tie + rest.tie};
          if (candidate < current[s]) {
            current[s] = candidate;
            row[s] = c;
          }
        }
      }
    }
    std::swap(current, next);
  }
  table.first = std::move(next);
  return table;
}

/// The index of `kind` among the problem's kinds, or an error listing them.
static std::optional<size_t> findKind(const MixedPrecisionProblem &problem,
                                      StringRef kind, std::string &error) {
  for (auto [i, known] : llvm::enumerate(problem.costKinds))
    if (known == kind)
      return i;
  std::string list;
  for (const std::string &known : problem.costKinds)
    list += (list.empty() ? "" : ", ") + known;
  error = ("unknown cost kind '" + kind + "' (known: " + list + ")").str();
  return std::nullopt;
}

/// The least cost of `kind` over assignments, and why: the groups whose
/// cheapest choices cost most, at most five, for the infeasibility error.
static std::string describeCheapest(const MixedPrecisionProblem &problem,
                                    ArrayRef<MixedPrecisionGroup> groups,
                                    size_t kind, int64_t &total) {
  SmallVector<std::pair<int64_t, size_t>> shares;
  SmallVector<size_t> cheapestChoice;
  total = 0;
  for (auto [g, group] : llvm::enumerate(groups)) {
    size_t best = 0;
    for (size_t c = 1; c < group.choices.size(); ++c)
      if (group.costs[c][kind] < group.costs[best][kind])
        best = c;
    cheapestChoice.push_back(best);
    total += group.costs[best][kind];
    shares.push_back({-group.costs[best][kind], g});
  }
  llvm::sort(shares);
  std::string text;
  for (auto [negCost, g] : ArrayRef(shares).take_front(5)) {
    if (negCost == 0)
      break;
    const MixedPrecisionGroup &group = groups[g];
    bool pinned = llvm::any_of(group.layers, [&](unsigned l) {
      return !problem.layers[l].pinned.empty();
    });
    text += (text.empty() ? "" : ", ") + getGroupName(problem, group) + " " +
            (pinned ? "pinned to " : "at its cheapest, ") +
            group.choices[cheapestChoice[g]] + ": " +
            formatCost(problem, kind, -negCost, /*withUnit=*/false);
  }
  return text;
}

/// Checks the budgets and returns their kinds' indices.
static FailureOr<SmallVector<size_t>>
checkBudgets(const MixedPrecisionProblem &problem,
             ArrayRef<MixedPrecisionBudget> budgets, std::string &error) {
  if (budgets.empty() || budgets.size() > 2) {
    error =
        "expected one or two budgets, got " + std::to_string(budgets.size());
    return failure();
  }
  SmallVector<size_t> kinds;
  for (const MixedPrecisionBudget &budget : budgets) {
    std::optional<size_t> kind = findKind(problem, budget.kind, error);
    if (!kind)
      return failure();
    if (budget.units <= 0) {
      error = "the " + budget.kind + " budget must be positive, got " +
              std::to_string(budget.units) + " units";
      return failure();
    }
    if (llvm::is_contained(kinds, *kind)) {
      error = "two budgets on cost kind '" + budget.kind + "'";
      return failure();
    }
    kinds.push_back(*kind);
  }
  return kinds;
}

/// The items of a DP whose weight is cost kind `k1` (and `k2` for a 2-D
/// DP, or -1), valued by loss + lambda x cost `lambdaKind`, ties broken by
/// the summed weights.
static SmallVector<SmallVector<Item>>
makeItems(ArrayRef<MixedPrecisionGroup> groups, size_t k1, int k2,
          int lambdaKind = -1, double lambda = 0) {
  SmallVector<SmallVector<Item>> items;
  for (const MixedPrecisionGroup &group : groups) {
    SmallVector<Item> row;
    for (size_t c = 0; c < group.choices.size(); ++c) {
      Item item;
      item.weight = group.costs[c][k1];
      item.weight2 = k2 >= 0 ? group.costs[c][k2] : 0;
      item.value = group.losses[c];
      item.tie = item.weight + item.weight2;
      if (lambdaKind >= 0) {
        item.value += lambda * group.costs[c][lambdaKind];
        item.tie = group.costs[c][lambdaKind];
      }
      row.push_back(item);
    }
    items.push_back(std::move(row));
  }
  return items;
}

/// The largest budget that can matter for `kind`: every group at its most
/// expensive choice.
static int64_t getMaxUsefulBudget(ArrayRef<MixedPrecisionGroup> groups,
                                  size_t kind) {
  int64_t total = 0;
  for (const MixedPrecisionGroup &group : groups) {
    int64_t most = 0;
    for (const SmallVector<int64_t> &costs : group.costs)
      most = std::max(most, costs[kind]);
    total += most;
  }
  return total;
}

/// Fails with the infeasibility error when the cheapest assignment of
/// `kind` exceeds `units`.
static LogicalResult checkFeasible(const MixedPrecisionProblem &problem,
                                   ArrayRef<MixedPrecisionGroup> groups,
                                   size_t kind, int64_t units,
                                   std::string &error) {
  int64_t least = 0;
  std::string why = describeCheapest(problem, groups, kind, least);
  if (least <= units)
    return success();
  const std::string &name = problem.costKinds[kind];
  error = "the " + name + " budget of " +
          formatCost(problem, kind, units, /*withUnit=*/true) +
          " is infeasible: the cheapest assignment costs " +
          formatCost(problem, kind, least, /*withUnit=*/true);
  if (!why.empty())
    error += " (most from " + why + ")";
  return failure();
}

/// Fails when a 1-D table over `units` budget units would be too large.
static LogicalResult checkTableSize(size_t groups, int64_t units,
                                    const std::string &kind,
                                    const MixedPrecisionOptions &options,
                                    std::string &error) {
  if (static_cast<double>(groups) * (units + 1) <=
      static_cast<double>(options.maxTableBytes))
    return success();
  error = "the " + kind + " budget of " + std::to_string(units) +
          " units over " + std::to_string(groups) +
          " groups needs a DP table larger than " +
          std::to_string(options.maxTableBytes) +
          " bytes; use coarser budget units";
  return failure();
}

FailureOr<MixedPrecisionSolution>
mlir::qc::solveMixedPrecision(const MixedPrecisionProblem &problem,
                              ArrayRef<MixedPrecisionBudget> budgets,
                              const MixedPrecisionOptions &options,
                              std::string &error) {
  FailureOr<SmallVector<MixedPrecisionGroup>> built =
      buildMixedPrecisionGroups(problem, error);
  if (failed(built))
    return failure();
  ArrayRef<MixedPrecisionGroup> groups = *built;
  FailureOr<SmallVector<size_t>> kinds = checkBudgets(problem, budgets, error);
  if (failed(kinds))
    return failure();
  for (auto [kind, budget] : llvm::zip(*kinds, budgets))
    if (failed(checkFeasible(problem, groups, kind, budget.units, error)))
      return failure();
  // Budget beyond every group's most expensive choice changes nothing.
  SmallVector<int64_t> units;
  for (auto [kind, budget] : llvm::zip(*kinds, budgets))
    units.push_back(std::min(budget.units, getMaxUsefulBudget(groups, kind)));

  if (kinds->size() == 1) {
    if (failed(checkTableSize(groups.size(), units[0], budgets[0].kind, options,
                              error)))
      return failure();
    SmallVector<SmallVector<Item>> items =
        makeItems(groups, (*kinds)[0], /*k2=*/-1);
    DpTable table = runDp1(items, units[0]);
    MixedPrecisionSolution solution = evaluateMixedPrecision(
        problem, groups, reconstruct1(table, items, units[0]));
    solution.method = "1-D DP";
    return solution;
  }

  size_t k1 = (*kinds)[0], k2 = (*kinds)[1];
  double states =
      static_cast<double>(groups.size()) * (units[0] + 1) * (units[1] + 1);
  if (states <= static_cast<double>(options.maxExactStates)) {
    SmallVector<SmallVector<Item>> items = makeItems(groups, k1, k2);
    DpTable table = runDp2(items, units[0], units[1]);
    int64_t w2 = units[1] + 1;
    if (table.first[units[0] * w2 + units[1]].value == kInf) {
      error = "no assignment meets both the " + budgets[0].kind +
              " budget of " + std::to_string(budgets[0].units) + " and the " +
              budgets[1].kind + " budget of " +
              std::to_string(budgets[1].units) +
              " units, though each alone can be met";
      return failure();
    }
    SmallVector<unsigned> choices;
    int64_t b1 = units[0], b2 = units[1];
    for (size_t g = 0; g < groups.size(); ++g) {
      unsigned c = table.choice[g * table.stride + b1 * w2 + b2];
      choices.push_back(c);
      b1 -= items[g][c].weight;
      b2 -= items[g][c].weight2;
    }
    MixedPrecisionSolution solution =
        evaluateMixedPrecision(problem, groups, choices);
    solution.method = "2-D DP";
    return solution;
  }

  // Lagrangian relaxation of the second budget: a 1-D DP on the first, each
  // choice valued loss + lambda x its second cost. Any lambda's optimum is a
  // lower bound L(lambda) - lambda x B2 on the constrained optimum; the
  // least-loss feasible optimum found is the answer, exact when it meets
  // the best bound. The multiplier is searched by bisection of a bracket
  // [lo, hi] whose optimum is infeasible at lo and feasible at hi, split
  // where the two optima's lines loss + lambda x (cost2 - B2) cross: the
  // dual function is concave and piecewise linear, so when no third
  // assignment lies below that crossing, it is the dual optimum and the
  // search stops.
  if (failed(checkTableSize(groups.size(), units[0], budgets[0].kind, options,
                            error)))
    return failure();
  std::optional<MixedPrecisionSolution> best;
  double bound = -kInf;
  struct Probe {
    bool feasible;
    double loss, cost2, dual;
  };
  auto solveAt = [&](double lambda) {
    SmallVector<SmallVector<Item>> items =
        makeItems(groups, k1, /*k2=*/-1, static_cast<int>(k2), lambda);
    DpTable table = runDp1(items, units[0]);
    double dual = table.first[units[0]].value - lambda * units[1];
    bound = std::max(bound, dual);
    MixedPrecisionSolution solution = evaluateMixedPrecision(
        problem, groups, reconstruct1(table, items, units[0]));
    bool feasible = solution.costs[k2] <= budgets[1].units;
    Probe probe{feasible, solution.loss,
                static_cast<double>(solution.costs[k2]), dual};
    if (feasible && (!best || solution.loss < best->loss))
      best = std::move(solution);
    return probe;
  };
  // Above the spread of the losses, one unit of the second cost outweighs
  // any loss: the optimum then has the least second cost.
  double spread = 0;
  for (const MixedPrecisionGroup &group : groups)
    spread +=
        *llvm::max_element(group.losses) - *llvm::min_element(group.losses);
  double lo = 0, hi = 2 * spread + 1;
  Probe low = solveAt(lo);
  if (!low.feasible) {
    Probe high = solveAt(hi);
    if (!high.feasible) {
      error = "no assignment meets both the " + budgets[0].kind +
              " budget of " + std::to_string(budgets[0].units) + " and the " +
              budgets[1].kind + " budget of " +
              std::to_string(budgets[1].units) +
              " units, though each alone can be met";
      return failure();
    }
    double b2 = static_cast<double>(units[1]);
    for (unsigned step = 0; step < options.bisectionSteps; ++step) {
      // The crossing of the bracket's lines; the midpoint when rounding
      // puts it outside.
      double mid = (high.loss - low.loss) / (low.cost2 - high.cost2);
      if (!(mid > lo && mid < hi))
        mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi)
        break;
      double line = low.loss + mid * (low.cost2 - b2);
      Probe probe = solveAt(mid);
      if (probe.dual >= line - 1e-12 * (1 + std::fabs(line)))
        break;
      if (probe.feasible) {
        hi = mid;
        high = probe;
      } else {
        lo = mid;
        low = probe;
      }
    }
  }
  best->lowerBound = std::min(bound, best->loss);
  best->exact = best->loss <= bound;
  best->method = "Lagrangian relaxation";
  return *best;
}

FailureOr<SmallVector<MixedPrecisionSolution>>
mlir::qc::sweepMixedPrecisionPareto(const MixedPrecisionProblem &problem,
                                    StringRef kind, int64_t maxUnits,
                                    unsigned maxPoints,
                                    const MixedPrecisionOptions &options,
                                    std::string &error) {
  FailureOr<SmallVector<MixedPrecisionGroup>> built =
      buildMixedPrecisionGroups(problem, error);
  if (failed(built))
    return failure();
  ArrayRef<MixedPrecisionGroup> groups = *built;
  std::optional<size_t> k = findKind(problem, kind, error);
  if (!k)
    return failure();
  if (maxUnits <= 0) {
    error = "the " + kind.str() + " budget must be positive, got " +
            std::to_string(maxUnits) + " units";
    return failure();
  }
  if (maxPoints < 2) {
    error = "a Pareto sweep needs room for at least 2 points";
    return failure();
  }
  if (failed(checkFeasible(problem, groups, *k, maxUnits, error)))
    return failure();
  int64_t units = std::min(maxUnits, getMaxUsefulBudget(groups, *k));
  if (failed(checkTableSize(groups.size(), units, kind.str(), options, error)))
    return failure();
  SmallVector<SmallVector<Item>> items = makeItems(groups, *k, /*k2=*/-1);
  DpTable table = runDp1(items, units);
  // Budgets where the least loss drops: there the optimum costs exactly
  // the budget.
  SmallVector<int64_t> breaks;
  double last = kInf;
  for (int64_t b = 0; b <= units; ++b) {
    if (table.first[b].value < last) {
      breaks.push_back(b);
      last = table.first[b].value;
    }
  }
  SmallVector<int64_t> picked;
  if (breaks.size() <= maxPoints) {
    picked = breaks;
  } else {
    for (unsigned i = 0; i < maxPoints; ++i) {
      size_t at = (static_cast<uint64_t>(i) * (breaks.size() - 1) +
                   (maxPoints - 1) / 2) /
                  (maxPoints - 1);
      if (picked.empty() || picked.back() != breaks[at])
        picked.push_back(breaks[at]);
    }
  }
  SmallVector<MixedPrecisionSolution> points;
  for (int64_t b : picked) {
    MixedPrecisionSolution solution =
        evaluateMixedPrecision(problem, groups, reconstruct1(table, items, b));
    solution.method = "1-D DP";
    points.push_back(std::move(solution));
  }
  return points;
}
