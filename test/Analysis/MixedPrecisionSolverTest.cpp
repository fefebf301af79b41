//===- MixedPrecisionSolverTest.cpp - The solver against brute force ------===//
//
// Unit tests of passes/Analysis/MixedPrecisionSolver: on many seeded random
// instances of at most 12 layers, with pinned and tied layers and ties in
// the losses, the DP's optimum equals brute force over every assignment
// (its loss, its tie-break cost, and with the solver's tie rule the exact
// choices); the 2-D DP likewise, and the Lagrangian mode is feasible and
// bounded by the optimum; Pareto points are the optima of their budgets;
// and every error is reported with what it names.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/MixedPrecisionSolver.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace mlir;
using namespace mlir::qc;

namespace {

/// The choice names random instances draw from.
const char *const kNames[] = {"binary", "ternary", "int4", "int8", "none"};

/// A random instance: 1..12 layers, each with a subset of kNames (at most
/// 2^17 assignments in all), costs 0..15 per kind, integer losses (many
/// ties) or real ones, some pins and ties.
MixedPrecisionProblem makeRandomProblem(std::mt19937 &rng, unsigned kinds,
                                        bool integerLosses) {
  auto uniform = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  MixedPrecisionProblem problem;
  problem.costKinds = {"size", "latency"};
  problem.costKinds.resize(kinds);
  unsigned layers = uniform(1, 12);
  uint64_t assignments = 1;
  for (unsigned l = 0; l < layers; ++l) {
    MixedPrecisionLayer layer;
    layer.name = "l" + std::to_string(l);
    unsigned most = assignments * 4 <= (1u << 17) ? 4 : 1;
    unsigned count = uniform(1, most);
    assignments *= count;
    SmallVector<unsigned> picks = {0, 1, 2, 3, 4};
    std::shuffle(picks.begin(), picks.end(), rng);
    picks.resize(count);
    llvm::sort(picks);
    for (unsigned p : picks) {
      MixedPrecisionChoice choice;
      choice.name = kNames[p];
      for (unsigned k = 0; k < kinds; ++k)
        choice.costs.push_back(uniform(0, 15));
      choice.loss = integerLosses
                        ? static_cast<double>(uniform(0, 4))
                        : std::uniform_real_distribution<double>(0, 1)(rng);
      layer.choices.push_back(choice);
    }
    if (uniform(0, 6) == 0)
      layer.pinned = layer.choices[uniform(0, count - 1)].name;
    problem.layers.push_back(layer);
  }
  unsigned ties = layers > 1 ? uniform(0, 3) : 0;
  for (unsigned t = 0; t < ties; ++t)
    problem.ties.push_back({static_cast<unsigned>(uniform(0, layers - 1)),
                            static_cast<unsigned>(uniform(0, layers - 1))});
  return problem;
}

/// The best assignment by brute force over every layer's choices.
struct BruteResult {
  bool found = false;
  double loss = 0;
  int64_t tie = 0;
};

BruteResult bruteForceLayers(const MixedPrecisionProblem &problem,
                             ArrayRef<MixedPrecisionBudget> budgets) {
  SmallVector<size_t> kinds;
  for (const MixedPrecisionBudget &budget : budgets)
    kinds.push_back(llvm::find(problem.costKinds, budget.kind) -
                    problem.costKinds.begin());
  size_t n = problem.layers.size();
  SmallVector<unsigned> index(n, 0);
  BruteResult best;
  while (true) {
    bool valid = true;
    for (size_t l = 0; l < n && valid; ++l) {
      const MixedPrecisionLayer &layer = problem.layers[l];
      valid =
          layer.pinned.empty() || layer.choices[index[l]].name == layer.pinned;
    }
    for (auto [a, b] : problem.ties)
      valid &= problem.layers[a].choices[index[a]].name ==
               problem.layers[b].choices[index[b]].name;
    if (valid) {
      double loss = 0;
      int64_t tie = 0;
      bool fits = true;
      for (auto [k, budget] : llvm::zip(kinds, budgets)) {
        int64_t cost = 0;
        for (size_t l = 0; l < n; ++l)
          cost += problem.layers[l].choices[index[l]].costs[k];
        fits &= cost <= budget.units;
        tie += cost;
      }
      for (size_t l = 0; l < n; ++l)
        loss += *problem.layers[l].choices[index[l]].loss;
      if (fits && (!best.found || loss < best.loss ||
                   (loss == best.loss && tie < best.tie)))
        best = {true, loss, tie};
    }
    size_t l = 0;
    while (l < n && ++index[l] == problem.layers[l].choices.size())
      index[l++] = 0;
    if (l == n)
      break;
  }
  return best;
}

/// The solver's tie rule by brute force over the groups' choices, in
/// lexicographic order: the first assignment of least (loss, tie).
std::optional<SmallVector<unsigned>>
bruteForceGroups(const MixedPrecisionProblem &problem,
                 ArrayRef<MixedPrecisionGroup> groups,
                 ArrayRef<MixedPrecisionBudget> budgets) {
  SmallVector<size_t> kinds;
  for (const MixedPrecisionBudget &budget : budgets)
    kinds.push_back(llvm::find(problem.costKinds, budget.kind) -
                    problem.costKinds.begin());
  size_t n = groups.size();
  SmallVector<unsigned> index(n, 0);
  std::optional<SmallVector<unsigned>> best;
  double bestLoss = 0;
  int64_t bestTie = 0;
  while (true) {
    MixedPrecisionSolution s = evaluateMixedPrecision(problem, groups, index);
    bool fits = true;
    int64_t tie = 0;
    for (auto [k, budget] : llvm::zip(kinds, budgets)) {
      fits &= s.costs[k] <= budget.units;
      tie += s.costs[k];
    }
    if (fits &&
        (!best || s.loss < bestLoss || (s.loss == bestLoss && tie < bestTie))) {
      best = index;
      bestLoss = s.loss;
      bestTie = tie;
    }
    // Last group fastest, so the order is lexicographic.
    size_t g = n;
    while (g > 0 && ++index[g - 1] == groups[g - 1].choices.size())
      index[--g] = 0;
    if (g == 0)
      break;
  }
  return best;
}

/// The group choice indices of a solution.
SmallVector<unsigned> getGroupChoices(const MixedPrecisionProblem &problem,
                                      ArrayRef<MixedPrecisionGroup> groups,
                                      const MixedPrecisionSolution &solution) {
  SmallVector<unsigned> choices;
  for (const MixedPrecisionGroup &group : groups) {
    unsigned layer = group.layers.front();
    StringRef name =
        problem.layers[layer].choices[solution.choices[layer]].name;
    choices.push_back(llvm::find(group.choices, name) - group.choices.begin());
  }
  return choices;
}

/// The least and most cost of `kind` over the layers' choices.
std::pair<int64_t, int64_t> getCostRange(const MixedPrecisionProblem &problem,
                                         size_t kind) {
  int64_t least = 0, most = 0;
  for (const MixedPrecisionLayer &layer : problem.layers) {
    int64_t lo = INT64_MAX, hi = 0;
    for (const MixedPrecisionChoice &choice : layer.choices) {
      lo = std::min(lo, choice.costs[kind]);
      hi = std::max(hi, choice.costs[kind]);
    }
    least += lo;
    most += hi;
  }
  return {least, most};
}

/// Checks that the solution respects pins, ties and budgets.
void expectValid(const MixedPrecisionProblem &problem,
                 const MixedPrecisionSolution &solution,
                 ArrayRef<MixedPrecisionBudget> budgets) {
  auto name = [&](unsigned l) -> const std::string & {
    return problem.layers[l].choices[solution.choices[l]].name;
  };
  for (unsigned l = 0; l < problem.layers.size(); ++l)
    if (!problem.layers[l].pinned.empty())
      EXPECT_EQ(name(l), problem.layers[l].pinned);
  for (auto [a, b] : problem.ties)
    EXPECT_EQ(name(a), name(b));
  for (const MixedPrecisionBudget &budget : budgets) {
    size_t k =
        llvm::find(problem.costKinds, budget.kind) - problem.costKinds.begin();
    EXPECT_LE(solution.costs[k], budget.units);
  }
}

/// Solves random instances under `kinds` budgets and checks each against
/// brute force; returns how many were feasible.
unsigned checkRandomInstances(unsigned seed, unsigned instances, unsigned kinds,
                              const MixedPrecisionOptions &options,
                              bool expectExact) {
  std::mt19937 rng(seed);
  unsigned feasible = 0;
  for (unsigned i = 0; i < instances; ++i) {
    bool integerLosses = i % 2 == 0;
    MixedPrecisionProblem problem =
        makeRandomProblem(rng, kinds, integerLosses);
    SmallVector<MixedPrecisionBudget> budgets;
    for (unsigned k = 0; k < kinds; ++k) {
      auto [least, most] = getCostRange(problem, k);
      int64_t units = std::uniform_int_distribution<int64_t>(
          std::max<int64_t>(1, least - 2), most + 2)(rng);
      budgets.push_back({problem.costKinds[k], units});
    }
    SCOPED_TRACE("seed " + std::to_string(seed) + ", instance " +
                 std::to_string(i));
    std::string error;
    FailureOr<MixedPrecisionSolution> solution =
        solveMixedPrecision(problem, budgets, options, error);
    BruteResult brute = bruteForceLayers(problem, budgets);
    if (!brute.found) {
      EXPECT_TRUE(failed(solution));
      EXPECT_TRUE(error.find("infeasible") != std::string::npos ||
                  error.find("none in common") != std::string::npos ||
                  error.find("no assignment meets both") != std::string::npos)
          << error;
      continue;
    }
    ++feasible;
    if (failed(solution)) {
      ADD_FAILURE() << error;
      continue;
    }
    expectValid(problem, *solution, budgets);
    if (!expectExact) {
      EXPECT_GE(solution->loss, brute.loss - 1e-9);
      EXPECT_LE(solution->lowerBound, brute.loss + 1e-9);
      if (solution->exact)
        EXPECT_NEAR(solution->loss, brute.loss, 1e-9);
      continue;
    }
    EXPECT_TRUE(solution->exact);
    if (integerLosses) {
      // Sums of small integers are exact: equal loss, equal tie-break cost.
      EXPECT_EQ(solution->loss, brute.loss);
      int64_t tie = 0;
      for (const MixedPrecisionBudget &budget : budgets)
        tie += solution->costs[llvm::find(problem.costKinds, budget.kind) -
                               problem.costKinds.begin()];
      EXPECT_EQ(tie, brute.tie);
    } else {
      EXPECT_NEAR(solution->loss, brute.loss, 1e-9);
    }
    FailureOr<SmallVector<MixedPrecisionGroup>> groups =
        buildMixedPrecisionGroups(problem, error);
    if (failed(groups)) {
      ADD_FAILURE() << error;
      continue;
    }
    std::optional<SmallVector<unsigned>> first =
        bruteForceGroups(problem, *groups, budgets);
    if (!first) {
      ADD_FAILURE() << "brute force over groups found nothing";
      continue;
    }
    EXPECT_EQ(getGroupChoices(problem, *groups, *solution), *first);
  }
  return feasible;
}

TEST(MixedPrecisionSolver, OneBudgetMatchesBruteForce) {
  unsigned feasible = 0;
  for (unsigned seed = 1; seed <= 4; ++seed)
    feasible += checkRandomInstances(seed, 150, 1, {}, /*expectExact=*/true);
  // The test means something only when most instances have an answer.
  EXPECT_GT(feasible, 250u);
}

TEST(MixedPrecisionSolver, TwoBudgetsExactMatchesBruteForce) {
  unsigned feasible = 0;
  for (unsigned seed = 11; seed <= 13; ++seed)
    feasible += checkRandomInstances(seed, 150, 2, {}, /*expectExact=*/true);
  EXPECT_GT(feasible, 150u);
}

TEST(MixedPrecisionSolver, TwoBudgetsLagrangianIsFeasibleAndBounded) {
  MixedPrecisionOptions options;
  options.maxExactStates = 0;
  unsigned feasible = 0;
  for (unsigned seed = 21; seed <= 23; ++seed)
    feasible += checkRandomInstances(seed, 100, 2, options,
                                     /*expectExact=*/false);
  EXPECT_GT(feasible, 80u);
}

/// A two-layer problem with one cost kind.
MixedPrecisionProblem makeSmallProblem() {
  MixedPrecisionProblem problem;
  problem.costKinds = {"size"};
  for (const char *name : {"conv1", "fc2"}) {
    MixedPrecisionLayer layer;
    layer.name = name;
    layer.choices = {
        {"binary", {1}, 4.0}, {"int4", {4}, 1.0}, {"int8", {8}, 0.0}};
    problem.layers.push_back(layer);
  }
  return problem;
}

TEST(MixedPrecisionSolver, TieBreaksPreferCheaperThenFirst) {
  MixedPrecisionProblem problem = makeSmallProblem();
  // Equal loss, cheaper second: the cheaper wins.
  problem.layers[0].choices = {{"int8", {8}, 0.0}, {"int4", {4}, 0.0}};
  // Equal loss and cost: the first listed wins.
  problem.layers[1].choices = {{"pot4", {4}, 1.0}, {"int4", {4}, 1.0}};
  std::string error;
  FailureOr<MixedPrecisionSolution> solution =
      solveMixedPrecision(problem, {{"size", 100}}, {}, error);
  ASSERT_TRUE(succeeded(solution)) << error;
  EXPECT_EQ(solution->choices[0], 1u);
  EXPECT_EQ(solution->choices[1], 0u);
  EXPECT_EQ(solution->costs[0], 8);
  EXPECT_EQ(solution->method, "1-D DP");
}

TEST(MixedPrecisionSolver, PinnedAndTiedLayers) {
  MixedPrecisionProblem problem = makeSmallProblem();
  problem.layers[0].pinned = "int8";
  std::string error;
  FailureOr<MixedPrecisionSolution> solution =
      solveMixedPrecision(problem, {{"size", 12}}, {}, error);
  ASSERT_TRUE(succeeded(solution)) << error;
  EXPECT_EQ(solution->choices[0], 2u);
  EXPECT_EQ(solution->choices[1], 1u);
  problem.ties = {{0, 1}};
  solution = solveMixedPrecision(problem, {{"size", 16}}, {}, error);
  ASSERT_TRUE(succeeded(solution)) << error;
  EXPECT_EQ(solution->choices[1], 2u);
}

TEST(MixedPrecisionSolver, ErrorInfeasibleNamesTheCheapestAndWhy) {
  MixedPrecisionProblem problem = makeSmallProblem();
  problem.layers[1].pinned = "int8";
  std::string error;
  EXPECT_TRUE(failed(solveMixedPrecision(problem, {{"size", 5}}, {}, error)));
  EXPECT_EQ(error, "the size budget of 5 units is infeasible: the cheapest "
                   "assignment costs 9 units (most from fc2 pinned to int8: "
                   "8, conv1 at its cheapest, binary: 1)");
}

TEST(MixedPrecisionSolver, ErrorMissingAndNaNSensitivities) {
  MixedPrecisionProblem problem = makeSmallProblem();
  problem.layers[1].choices[1].loss = std::nullopt;
  std::string error;
  EXPECT_TRUE(failed(solveMixedPrecision(problem, {{"size", 20}}, {}, error)));
  EXPECT_EQ(error,
            "layer 'fc2', choice 'int4': missing sensitivity (no predicted "
            "loss)");
  problem.layers[1].choices[1].loss = std::nan("");
  EXPECT_TRUE(failed(solveMixedPrecision(problem, {{"size", 20}}, {}, error)));
  EXPECT_EQ(error, "layer 'fc2', choice 'int4': sensitivity is NaN; it must "
                   "be a finite number");
}

TEST(MixedPrecisionSolver, ErrorBudgetNotPositive) {
  MixedPrecisionProblem problem = makeSmallProblem();
  std::string error;
  for (int64_t units : {0, -3}) {
    EXPECT_TRUE(
        failed(solveMixedPrecision(problem, {{"size", units}}, {}, error)));
    EXPECT_EQ(error, "the size budget must be positive, got " +
                         std::to_string(units) + " units");
  }
  EXPECT_TRUE(
      failed(sweepMixedPrecisionPareto(problem, "size", 0, 8, {}, error)));
  EXPECT_EQ(error, "the size budget must be positive, got 0 units");
}

TEST(MixedPrecisionSolver, ErrorTiedGroupWithoutCommonChoice) {
  MixedPrecisionProblem problem = makeSmallProblem();
  problem.layers[0].pinned = "int8";
  problem.layers[1].choices.pop_back();
  problem.ties = {{1, 0}};
  std::string error;
  EXPECT_TRUE(failed(solveMixedPrecision(problem, {{"size", 20}}, {}, error)));
  EXPECT_EQ(error, "tied layers conv1+fc2 must share a choice but have none "
                   "in common (conv1: int8 (pinned); fc2: binary, int4)");
}

TEST(MixedPrecisionSolver, ErrorUnknownCostKind) {
  MixedPrecisionProblem problem = makeSmallProblem();
  std::string error;
  EXPECT_TRUE(failed(solveMixedPrecision(problem, {{"lut", 20}}, {}, error)));
  EXPECT_EQ(error, "unknown cost kind 'lut' (known: size)");
  EXPECT_TRUE(
      failed(sweepMixedPrecisionPareto(problem, "bops", 20, 8, {}, error)));
  EXPECT_EQ(error, "unknown cost kind 'bops' (known: size)");
}

TEST(MixedPrecisionSolver, ErrorBadProblems) {
  std::string error;
  MixedPrecisionProblem problem = makeSmallProblem();
  problem.layers[0].pinned = "pot4";
  EXPECT_TRUE(failed(solveMixedPrecision(problem, {{"size", 20}}, {}, error)));
  EXPECT_EQ(error, "layer 'conv1' is pinned to 'pot4', which it cannot take "
                   "(its choices: binary, int4, int8)");
  problem = makeSmallProblem();
  problem.layers[1].choices[0].costs = {-1};
  EXPECT_TRUE(failed(solveMixedPrecision(problem, {{"size", 20}}, {}, error)));
  EXPECT_EQ(error, "layer 'fc2', choice 'binary': size cost -1 is outside "
                   "0..1099511627776 units");
  problem = makeSmallProblem();
  problem.ties = {{0, 7}};
  EXPECT_TRUE(failed(solveMixedPrecision(problem, {{"size", 20}}, {}, error)));
  EXPECT_EQ(error, "tie between layers 0 and 7 names no layer (there are 2)");
  problem = makeSmallProblem();
  problem.layers[0].choices.clear();
  EXPECT_TRUE(failed(solveMixedPrecision(problem, {{"size", 20}}, {}, error)));
  EXPECT_EQ(error, "layer 'conv1' has no choice it can take");
  problem = makeSmallProblem();
  EXPECT_TRUE(failed(
      solveMixedPrecision(problem, {{"size", 20}, {"size", 3}}, {}, error)));
  EXPECT_EQ(error, "two budgets on cost kind 'size'");
}

TEST(MixedPrecisionSolver, ErrorTableTooLarge) {
  MixedPrecisionProblem problem = makeSmallProblem();
  problem.layers[0].choices[2].costs = {1000000};
  MixedPrecisionOptions options;
  options.maxTableBytes = 1000;
  std::string error;
  EXPECT_TRUE(failed(
      solveMixedPrecision(problem, {{"size", 2000000}}, options, error)));
  EXPECT_EQ(error, "the size budget of 1000008 units over 2 groups needs a "
                   "DP table larger than 1000 bytes; use coarser budget "
                   "units");
}

TEST(MixedPrecisionSolver, ErrorBothBudgetsTogetherInfeasible) {
  // Cheap in size is expensive in latency and the other way round.
  MixedPrecisionProblem problem;
  problem.costKinds = {"size", "latency"};
  MixedPrecisionLayer layer;
  layer.name = "conv1";
  layer.choices = {{"binary", {1, 9}, 1.0}, {"int8", {9, 1}, 0.0}};
  problem.layers = {layer};
  std::string error;
  for (int64_t exactStates : {int64_t(1) << 20, int64_t(0)}) {
    MixedPrecisionOptions options;
    options.maxExactStates = exactStates;
    EXPECT_TRUE(failed(solveMixedPrecision(
        problem, {{"size", 5}, {"latency", 5}}, options, error)));
    EXPECT_EQ(error, "no assignment meets both the size budget of 5 and the "
                     "latency budget of 5 units, though each alone can be "
                     "met");
  }
}

TEST(MixedPrecisionSolver, ParetoPointsAreTheOptimaOfTheirBudgets) {
  std::mt19937 rng(31);
  for (unsigned i = 0; i < 60; ++i) {
    MixedPrecisionProblem problem = makeRandomProblem(rng, 1, i % 2 == 0);
    auto [least, most] = getCostRange(problem, 0);
    SCOPED_TRACE("instance " + std::to_string(i));
    std::string error;
    FailureOr<SmallVector<MixedPrecisionSolution>> points =
        sweepMixedPrecisionPareto(problem, "size", most + 1, 1000, {}, error);
    if (failed(points)) {
      EXPECT_NE(error.find("none in common"), std::string::npos) << error;
      continue;
    }
    ASSERT_FALSE(points->empty());
    for (size_t p = 1; p < points->size(); ++p) {
      EXPECT_GT((*points)[p].costs[0], (*points)[p - 1].costs[0]);
      EXPECT_LT((*points)[p].loss, (*points)[p - 1].loss);
    }
    // At every budget, the least loss is the last point within it.
    for (int64_t b = std::max<int64_t>(1, least); b <= most; ++b) {
      BruteResult brute = bruteForceLayers(problem, {{"size", b}});
      const MixedPrecisionSolution *within = nullptr;
      for (const MixedPrecisionSolution &point : *points)
        if (point.costs[0] <= b)
          within = &point;
      ASSERT_EQ(brute.found, within != nullptr) << "budget " << b;
      if (within)
        EXPECT_NEAR(within->loss, brute.loss, 1e-9) << "budget " << b;
    }
    // Thinned to 3 points: first and last kept.
    FailureOr<SmallVector<MixedPrecisionSolution>> few =
        sweepMixedPrecisionPareto(problem, "size", most + 1, 3, {}, error);
    ASSERT_TRUE(succeeded(few));
    EXPECT_LE(few->size(), 3u);
    EXPECT_EQ(few->front().costs, points->front().costs);
    EXPECT_EQ(few->back().costs, points->back().costs);
  }
}

TEST(MixedPrecisionSolver, Deterministic) {
  std::mt19937 rng(41);
  MixedPrecisionProblem problem = makeRandomProblem(rng, 2, false);
  std::string error;
  auto a =
      solveMixedPrecision(problem, {{"size", 40}, {"latency", 40}}, {}, error);
  auto b =
      solveMixedPrecision(problem, {{"size", 40}, {"latency", 40}}, {}, error);
  ASSERT_EQ(succeeded(a), succeeded(b));
  if (succeeded(a)) {
    EXPECT_EQ(a->choices, b->choices);
    EXPECT_EQ(a->loss, b->loss);
  }
}

} // namespace
