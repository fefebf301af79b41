//===- mixed_precision_solver.cpp - Speed of the mixed-precision solver ---===//
//
// The bench figure of issue 14: the exact 1-D DP of
// passes/Analysis/MixedPrecisionSolver on 200 synthetic layers x 8 choices
// at a budget of 10^5 units (target: under 1 s), plus a Pareto sweep over
// the same range and a 2-D solve. Seeded, so every run solves the same
// instances; prints the median of 5 runs of each.
//
//   ninja -C BUILD qc-mixed-precision-bench
//   BUILD/bin/qc-mixed-precision-bench [layers] [choices] [budget]
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/MixedPrecisionSolver.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

using namespace mlir;
using namespace mlir::qc;

/// Layers whose choices get cheaper and lossier, as bit widths do: choice c
/// of layer l costs about size_l x (c + 1) / choices units and loses about
/// sensitivity_l x 4^-c; its latency, work_l x (c + 1) / choices, with
/// work_l independent of size_l. Costs are scaled so that the budget lies
/// between the cheapest and the most expensive assignment.
static MixedPrecisionProblem makeProblem(unsigned layers, unsigned choices,
                                         int64_t budget) {
  std::mt19937 rng(2026);
  std::uniform_real_distribution<double> unit(0.5, 1.5);
  MixedPrecisionProblem problem;
  problem.costKinds = {"size", "latency"};
  // The most expensive assignment costs about 1.6 x the budget.
  double perLayer = 1.6 * budget / layers;
  for (unsigned l = 0; l < layers; ++l) {
    MixedPrecisionLayer layer;
    layer.name = "layer" + std::to_string(l);
    double size = perLayer * unit(rng), work = perLayer * unit(rng) / 10,
           sensitivity = unit(rng);
    for (unsigned c = 0; c < choices; ++c) {
      MixedPrecisionChoice choice;
      choice.name = "choice" + std::to_string(c);
      double fraction = static_cast<double>(c + 1) / choices;
      choice.costs = {static_cast<int64_t>(size * fraction),
                      static_cast<int64_t>(work * fraction)};
      choice.loss =
          sensitivity * std::pow(4.0, -static_cast<double>(c)) * unit(rng);
      layer.choices.push_back(choice);
    }
    problem.layers.push_back(layer);
  }
  return problem;
}

template <typename F> static double medianSeconds(F &&run) {
  double times[5];
  for (double &t : times) {
    auto start = std::chrono::steady_clock::now();
    run();
    t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
  }
  std::sort(times, times + 5);
  return times[2];
}

int main(int argc, char **argv) {
  unsigned layers = argc > 1 ? std::atoi(argv[1]) : 200;
  unsigned choices = argc > 2 ? std::atoi(argv[2]) : 8;
  int64_t budget = argc > 3 ? std::atoll(argv[3]) : 100000;
  MixedPrecisionProblem problem = makeProblem(layers, choices, budget);
  std::string error;
  FailureOr<MixedPrecisionSolution> solution;
  double solve = medianSeconds([&] {
    solution = solveMixedPrecision(problem, {{"size", budget}}, {}, error);
  });
  if (failed(solution)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return 1;
  }
  std::printf("1-D DP, %u layers x %u choices, budget %lld units: %.3f s "
              "(cost %lld, loss %.6g)\n",
              layers, choices, static_cast<long long>(budget), solve,
              static_cast<long long>(solution->costs[0]), solution->loss);
  FailureOr<SmallVector<MixedPrecisionSolution>> points;
  double sweep = medianSeconds([&] {
    points = sweepMixedPrecisionPareto(problem, "size", budget, 64, {}, error);
  });
  if (failed(points)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return 1;
  }
  std::printf("Pareto sweep up to %lld units: %.3f s (%zu points)\n",
              static_cast<long long>(budget), sweep, points->size());
  int64_t latency = solution->costs[1] * 9 / 10;
  double both = medianSeconds([&] {
    solution = solveMixedPrecision(
        problem, {{"size", budget}, {"latency", latency}}, {}, error);
  });
  if (failed(solution)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return 1;
  }
  std::printf("size %lld + latency %lld units: %.3f s (%s, %s)\n",
              static_cast<long long>(budget), static_cast<long long>(latency),
              both, solution->method.c_str(),
              solution->exact ? "exact" : "not proven exact");
  return 0;
}
