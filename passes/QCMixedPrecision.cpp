//===- QCMixedPrecision.cpp - Budgeted per-layer precision choice ---------===//
//
// Implements qc-mixed-precision: finds the quantizable layers, their
// candidate weight specs, ties and pins, predicts each choice's loss and
// costs it, hands the problem to the exact solver
// (passes/Analysis/MixedPrecisionSolver.h) and writes the result as
// `qc.precision` attributes, a --quant-config file and Pareto reports
// (passes/Analysis/MixedPrecisionReport.h).
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCOps.h"
#include "dialects/QC/Utils/Quantizers.h"
#include "passes/Analysis/KernelPicker.h"
#include "passes/Analysis/LayerCost.h"
#include "passes/Analysis/MixedPrecisionReport.h"
#include "passes/Analysis/MixedPrecisionSolver.h"
#include "passes/Analysis/QuantConfig.h"
#include "passes/Passes.h"
#include "passes/QCQuantize.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"

#include <cmath>

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCMIXEDPRECISION
#include "passes/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;
using namespace mlir::qc;

/// The attribute the chosen spec is written to, on each layer.
static constexpr llvm::StringLiteral kPrecisionAttr = "qc.precision";
/// The dictionary of predicted losses (choice -> loss) `sensitivity=attr`
/// reads.
static constexpr llvm::StringLiteral kSensitivityAttr = "qc.sensitivity";

/// The choices offered when the option gives none.
static const char *const kDefaultChoices[] = {
    "binary", "ternary", "pot4", "codebook16", "int2", "int4", "int8", "none"};

namespace {

/// A cost kind: its name, unit, and whether its values are whole numbers
/// (then one budget unit is one of them when the budget allows).
struct CostKind {
  StringRef name, unit;
  bool integral;
};

const CostKind kCostKinds[] = {
    {"size", "bytes", true}, {"bops", "BOPs", true}, {"latency", "us", false}};

/// One choice of one layer, with its real costs (per kind of kCostKinds,
/// nullopt where not measurable) and predicted loss.
struct Candidate {
  std::string spec;
  std::optional<double> costs[3];
  std::optional<double> loss;
};

/// `value` in %g, as remarks and errors print numbers.
std::string formatNumber(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%g", value);
  return text;
}

/// A quantizable layer.
struct Layer {
  Operation *op;
  std::string name;
  SmallVector<Candidate> candidates;
  bool pinned = false;
};

/// The routes of the kernel picker a layer with `spec` weights and
/// `actBits`-bit uniform (or, for 1, binary) activations has, as
/// qc-lower-macs offers them (MacKernelSelection.h); none for weights that
/// run on per-centroid accumulation or the reference path, which the cost
/// table does not measure.
SmallVector<RouteCandidate> getRoutes(SchemeSpec spec, unsigned actBits,
                                      double macs, int64_t bitserialMaxBits) {
  SmallVector<RouteCandidate> routes;
  double a = actBits;
  if (actBits == 1) {
    if (spec.scheme == QuantScheme::Binary)
      routes = {{"xnor", macs}, {"integer", macs}};
    return routes;
  }
  switch (spec.scheme) {
  case QuantScheme::Binary:
  case QuantScheme::Int:
    if (actBits * spec.bits <= bitserialMaxBits)
      routes.push_back({"bitserial", macs * a * spec.bits});
    break;
  case QuantScheme::Ternary:
    routes.push_back({"ternary", macs * a * 2});
    break;
  case QuantScheme::PowerOfTwo:
    routes.push_back({"shift", macs});
    break;
  default:
    return routes;
  }
  routes.push_back({"integer", macs});
  return routes;
}

/// Follows `value` back through ops that pass one non-constant input on
/// (activations, transposes, reshapes, pools, constant scales) to the
/// layer that produced it, if it is one of `layers`.
std::optional<unsigned>
findProducer(Value value, const DenseMap<Operation *, unsigned> &at) {
  for (unsigned steps = 0; steps < 64; ++steps) {
    Operation *op = value.getDefiningOp();
    if (!op)
      return std::nullopt;
    auto found = at.find(op);
    if (found != at.end())
      return found->second;
    if (!isa_and_nonnull<tosa::TosaDialect, QCDialect>(op->getDialect()))
      return std::nullopt;
    Value next;
    for (Value operand : op->getOperands()) {
      if (matchPattern(operand, m_Constant()))
        continue;
      if (next)
        return std::nullopt; // two inputs: an add or concat of its own
      next = operand;
    }
    if (!next)
      return std::nullopt;
    value = next;
  }
  return std::nullopt;
}

struct QCMixedPrecisionPass
    : public qc::impl::QCMixedPrecisionBase<QCMixedPrecisionPass> {
  using QCMixedPrecisionBase::QCMixedPrecisionBase;

  LogicalResult fail(Operation *at, const Twine &message) {
    at->emitError() << "qc-mixed-precision: " << message;
    return failure();
  }

  /// Parses a budget option: a positive finite number.
  LogicalResult parseBudget(StringRef option, StringRef text, double &value) {
    ModuleOp module = getOperation();
    if (text.empty())
      return fail(module, option + " is required (a positive number)");
    if (text.trim().getAsDouble(value) || !std::isfinite(value))
      return fail(module, option + " '" + text + "' is not a number");
    if (value <= 0)
      return fail(module, option + " must be positive, got " + text);
    return success();
  }

  /// The index of cost kind `name` in kCostKinds, or an error.
  std::optional<size_t> parseCostKind(StringRef option, StringRef name) {
    for (auto [i, kind] : llvm::enumerate(kCostKinds))
      if (kind.name == name)
        return i;
    if (name == "lut")
      (void)fail(getOperation(),
                 option + " 'lut': the FPGA LUT cost is not available yet "
                          "(size, bops, latency)");
    else
      (void)fail(getOperation(),
                 "unknown " + option + " '" + name + "' (size, bops, latency)");
    return std::nullopt;
  }

  /// The predicted loss of quantizing `weights` with `spec`: the mean
  /// squared error of the dequantized weights.
  double getWeightError(DenseFPElementsAttr weights,
                        const QuantizedWeights &q) {
    ArrayRef<int64_t> shape = weights.getType().getShape();
    int64_t axis = q.type.getQuantAxis();
    int64_t stride = 1;
    if (axis >= 0)
      for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
        stride *= shape[d];
    double sum = 0;
    int64_t n = 0;
    for (auto [i, w] : llvm::enumerate(weights.getValues<APFloat>())) {
      int64_t channel = axis >= 0 ? (i / stride) % shape[axis] : 0;
      double d =
          q.type.dequantizeCode(q.codes[i], channel) - w.convertToDouble();
      sum += d * d;
      ++n;
    }
    return n ? sum / n : 0;
  }

  /// Fills the costs and loss of `candidate` for `layer`.
  LogicalResult evaluate(Layer &layer, Candidate &candidate, SchemeSpec spec,
                         DenseFPElementsAttr weights, const LayerCost &cost,
                         unsigned actBits, const KernelCostTable &table,
                         StringRef level) {
    Operation *op = layer.op;
    int64_t params = weights.getNumElements();
    int64_t biasBytes = cost.biasBytes;
    unsigned bits = spec.bits;
    double error = 0;
    int64_t bytes = 0;
    if (spec.scheme == QuantScheme::None) {
      bits = weights.getElementType().getIntOrFloatBitWidth();
      bytes = (params * bits + 7) / 8;
    } else {
      bool channelsOnAxis0 = !isa<tosa::DepthwiseConv2DOp>(op);
      std::optional<QuantizedWeights> q =
          quantizeWeights(weights, spec, channelsOnAxis0, perChannel);
      if (!q)
        return fail(op, "layer '" + layer.name + "': the " + candidate.spec +
                            " quantizer gives no weights");
      bits = q->type.getCodeBits();
      auto packed =
          packStoredCodes(q->codes, weights.getType().getShape(), q->type);
      bytes = packed.getNumElements() *
                  (packed.getElementType().getIntOrFloatBitWidth() / 8) +
              countQuantParamBytes(q->type);
      error = getWeightError(weights, *q);
    }
    candidate.costs[0] = static_cast<double>(bytes + biasBytes);
    candidate.costs[1] = static_cast<double>(cost.macs) * bits * actBits;
    if (actBits < 32) {
      MacKernelOptions options;
      options.isaLevel = level.str();
      options.costs = &table;
      SmallVector<RouteCandidate> routes =
          getRoutes(spec, actBits, cost.macs, options.bitserialMaxBits);
      if (!routes.empty()) {
        size_t pick = pickRoute(routes, options, op).first;
        if (std::optional<double> ns =
                table.getUnitCost(level, routes[pick].id))
          candidate.costs[2] = routes[pick].units * *ns / 1e3;
      }
    }
    if (sensitivity == "weight") {
      candidate.loss = error;
    } else if (auto dict =
                   op->getAttrOfType<DictionaryAttr>(kSensitivityAttr)) {
      if (Attribute value = dict.get(candidate.spec)) {
        auto number = dyn_cast<FloatAttr>(value);
        if (!number)
          return fail(op, "layer '" + layer.name + "': " + kSensitivityAttr +
                              " entry '" + candidate.spec + "' is not a float");
        candidate.loss = number.getValueAsDouble();
      }
    }
    return success();
  }

  void runOnOperation() override;
};

} // namespace

void QCMixedPrecisionPass::runOnOperation() {
  ModuleOp module = getOperation();
  auto failPass = [&](const Twine &message) {
    (void)fail(module, message);
    signalPassFailure();
  };

  // Options.
  std::optional<size_t> kind = parseCostKind("cost", cost);
  if (!kind)
    return signalPassFailure();
  double budgetValue = 0, budget2Value = 0;
  if (failed(parseBudget("budget", budget, budgetValue)))
    return signalPassFailure();
  std::optional<size_t> kind2;
  if (!cost2.empty() || !budget2.empty()) {
    if (cost2.empty() || budget2.empty())
      return failPass("cost2 and budget2 go together");
    kind2 = parseCostKind("cost2", cost2);
    if (!kind2 || failed(parseBudget("budget2", budget2, budget2Value)))
      return signalPassFailure();
    if (*kind2 == *kind)
      return failPass("cost2 must differ from cost ('" + cost + "')");
  }
  if (sensitivity != "weight" && sensitivity != "attr")
    return failPass("unknown sensitivity '" + sensitivity + "' (weight, attr)");
  if (resolution < 1)
    return failPass("resolution must be at least 1");
  SmallVector<std::string> specs(choices.begin(), choices.end());
  if (specs.empty())
    specs.assign(std::begin(kDefaultChoices), std::end(kDefaultChoices));
  SmallVector<SchemeSpec> schemes;
  for (const std::string &spec : specs) {
    std::string why;
    std::optional<SchemeSpec> parsed =
        parseSchemeSpec(spec, QuantTarget::Weights, "choice", why);
    if (!parsed)
      return failPass("choices: " + why);
    if (llvm::count(specs, spec) > 1)
      return failPass("choices: '" + spec + "' is given twice");
    if (parsed->scheme == QuantScheme::Auto)
      return failPass("choice 'auto' keeps weights as trained; it has no "
                      "cost or loss to weigh");
    schemes.push_back(*parsed);
  }
  if (pinFirstLast && !llvm::is_contained(specs, pinnedChoice))
    return failPass("pinned-choice '" + pinnedChoice +
                    "' is not among the choices");
  std::optional<KernelCostTable> loaded;
  if (!kernelCosts.empty()) {
    std::string why;
    loaded = KernelCostTable::load(kernelCosts, why);
    if (!loaded)
      return failPass("kernel-costs '" + kernelCosts + "': " + why);
  }
  const KernelCostTable &table =
      loaded ? *loaded : KernelCostTable::getBuiltin();
  StringRef level =
      isaLevel == "native" ? getHostIsaLevel() : StringRef(isaLevel);
  if (!llvm::is_contained(getIsaLevels(), level))
    return failPass("unknown isa '" + isaLevel +
                    "' (native, x86-64, avx2, avx512, avx512-vnni)");

  // Layers: conv and dense ops with a constant float weight, in order.
  SmallVector<Operation *> allLayers;
  SmallVector<Layer> layers;
  module.walk([&](Operation *op) {
    if (!isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::FullyConnectedOp>(
            op))
      return;
    allLayers.push_back(op);
    DenseFPElementsAttr weights;
    if (matchPattern(op->getOperand(1), m_Constant(&weights)) &&
        isa<FloatType>(weights.getElementType()))
      layers.push_back({op, describeLayer(op), {}, false});
  });
  if (layers.empty())
    return failPass("no conv or dense layer with constant float weights to "
                    "choose a precision for");
  if (pinFirstLast) {
    layers.front().pinned = true;
    layers.back().pinned = true;
  }

  // Candidates, their costs and losses.
  for (Layer &layer : layers) {
    Operation *op = layer.op;
    DenseFPElementsAttr weights;
    (void)matchPattern(op->getOperand(1), m_Constant(&weights));
    for (auto [i, w] : llvm::enumerate(weights.getValues<APFloat>()))
      if (!w.isFinite()) {
        (void)fail(op, "layer '" + layer.name + "': weight " + Twine(i) +
                           " is not finite; no choice can quantize it");
        return signalPassFailure();
      }
    std::optional<LayerCost> cost = getLayerCost(op);
    unsigned actBits = activationBits;
    if (getActivationQuantType(cost->input))
      actBits = cost->activationBits;
    if (sensitivity == "attr" && !op->hasAttr(kSensitivityAttr)) {
      (void)fail(op, "layer '" + layer.name + "' has no " + kSensitivityAttr +
                         " (sensitivity=attr): missing sensitivities");
      return signalPassFailure();
    }
    std::string onnxName = getLayerName(op->getLoc());
    for (auto [spec, scheme] : llvm::zip(specs, schemes)) {
      // What qc-quantize would accept, by the config reader's checks.
      if (!onnxName.empty()) {
        llvm::json::Value config = llvm::json::Object{
            {"layers", llvm::json::Object{
                           {onnxName, llvm::json::Object{{"weights", spec}}}}}};
        std::string text;
        llvm::raw_string_ostream(text) << config;
        std::string why;
        if (failed(parseQuantConfig(text, module, allLayers, why)))
          continue;
      }
      Candidate candidate;
      candidate.spec = spec;
      if (failed(evaluate(layer, candidate, scheme, weights, *cost, actBits,
                          table, level)))
        return signalPassFailure();
      // A choice whose budgeted cost cannot be measured is not offered.
      if (!candidate.costs[*kind] || (kind2 && !candidate.costs[*kind2]))
        continue;
      layer.candidates.push_back(candidate);
    }
    if (layer.candidates.empty()) {
      (void)fail(op, "layer '" + layer.name + "' can take none of the choices" +
                         (*kind == 2 || (kind2 && *kind2 == 2)
                              ? " with a measured latency (latency needs "
                                "quantized activations, activation-bits < "
                                "32, and weights with a route in the cost "
                                "table)"
                              : ""));
      return signalPassFailure();
    }
  }

  // Ties: layers whose outputs meet in a residual add or a concat.
  SmallVector<std::pair<unsigned, unsigned>> tiePairs;
  if (ties) {
    DenseMap<Operation *, unsigned> index;
    for (auto [i, layer] : llvm::enumerate(layers))
      index[layer.op] = i;
    module.walk([&](Operation *op) {
      if (!isa<tosa::AddOp, tosa::ConcatOp>(op))
        return;
      std::optional<unsigned> first;
      for (Value operand : op->getOperands()) {
        if (matchPattern(operand, m_Constant()))
          continue;
        std::optional<unsigned> producer = findProducer(operand, index);
        if (!producer)
          continue;
        if (!first)
          first = producer;
        else if (*producer != *first)
          tiePairs.push_back({*first, *producer});
      }
    });
  }

  // The problem in budget units of `quantum` real units per kind.
  auto makeProblem = [&](ArrayRef<size_t> kinds, ArrayRef<double> quanta) {
    MixedPrecisionProblem problem;
    for (auto [k, quantum] : llvm::zip(kinds, quanta)) {
      problem.costKinds.push_back(kCostKinds[k].name.str());
      problem.unitSizes.push_back(quantum);
      problem.unitNames.push_back(kCostKinds[k].unit.str());
    }
    problem.ties = tiePairs;
    for (const Layer &layer : layers) {
      MixedPrecisionLayer entry;
      entry.name = layer.name;
      entry.pinned = layer.pinned ? pinnedChoice : std::string();
      for (const Candidate &candidate : layer.candidates) {
        MixedPrecisionChoice choice;
        choice.name = candidate.spec;
        choice.loss = candidate.loss;
        for (auto [k, quantum] : llvm::zip(kinds, quanta))
          choice.costs.push_back(static_cast<int64_t>(
              std::ceil(*candidate.costs[k] / quantum - 1e-9)));
        entry.choices.push_back(choice);
      }
      problem.layers.push_back(entry);
    }
    return problem;
  };
  auto getQuantum = [&](size_t k, double limit) {
    if (kCostKinds[k].integral && limit <= resolution)
      return 1.0;
    return limit / resolution;
  };
  auto toUnits = [](double value, double quantum) {
    return static_cast<int64_t>(std::floor(value / quantum + 1e-9));
  };

  SmallVector<size_t> kinds = {*kind};
  SmallVector<double> quanta = {getQuantum(*kind, budgetValue)};
  SmallVector<MixedPrecisionBudget> budgets = {
      {kCostKinds[*kind].name.str(), toUnits(budgetValue, quanta[0])}};
  if (kind2) {
    kinds.push_back(*kind2);
    quanta.push_back(getQuantum(*kind2, budget2Value));
    budgets.push_back(
        {kCostKinds[*kind2].name.str(), toUnits(budget2Value, quanta[1])});
  }
  MixedPrecisionProblem problem = makeProblem(kinds, quanta);
  std::string error;
  MixedPrecisionOptions solverOptions;
  solverOptions.maxExactStates = maxExactStates;
  FailureOr<MixedPrecisionSolution> solution =
      solveMixedPrecision(problem, budgets, solverOptions, error);
  if (failed(solution)) {
    for (auto [k, quantum] : llvm::zip(kinds, quanta))
      if (quantum != 1.0)
        error += ("; " + kCostKinds[k].name + " costs are rounded up to " +
                  formatNumber(quantum) + " " + kCostKinds[k].unit +
                  " (budget / resolution)")
                     .str();
    return failPass(error);
  }
  if (!solution->exact)
    module.emitRemark() << "qc-mixed-precision: " << solution->method
                        << " found predicted loss "
                        << formatNumber(solution->loss)
                        << "; the least possible is at least "
                        << formatNumber(solution->lowerBound)
                        << " (not proven optimal)";

  // Results: an attribute per layer, then the files.
  MLIRContext *ctx = &getContext();
  SmallVector<std::string> chosen;
  for (auto [layer, c] : llvm::zip(layers, solution->choices)) {
    chosen.push_back(layer.candidates[c].spec);
    layer.op->setAttr(kPrecisionAttr, StringAttr::get(ctx, chosen.back()));
    if (!explain)
      continue;
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "qc-mixed-precision: " << layer.name << ": " << chosen.back()
       << (layer.pinned ? " (pinned)" : "") << "; candidates:";
    for (const Candidate &candidate : layer.candidates) {
      os << " " << candidate.spec << " (";
      for (size_t k : kinds)
        os << kCostKinds[k].name << " "
           << llvm::format("%g", *candidate.costs[k]) << " "
           << kCostKinds[k].unit << ", ";
      os << "loss " << llvm::format("%.4g", *candidate.loss) << ")";
    }
    layer.op->emitRemark() << text;
  }
  auto writeFile = [&](StringRef path, auto &&write) -> LogicalResult {
    std::error_code ec;
    llvm::ToolOutputFile file(path, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return fail(module, "cannot write '" + path + "': " + ec.message());
    write(file.os());
    file.keep();
    return success();
  };
  if (!configOut.empty()) {
    for (const Layer &layer : layers)
      if (getLayerName(layer.op->getLoc()).empty())
        return failPass("config-out: layer " + layer.name +
                        " has no ONNX node name for the config to use");
    if (failed(writeFile(configOut, [&](raw_ostream &os) {
          llvm::json::OStream json(os, 2);
          json.object([&] {
            json.attributeObject("layers", [&] {
              for (auto [layer, spec] : llvm::zip(layers, chosen))
                json.attributeObject(layer.name, [&, &spec = spec] {
                  json.attribute("weights", spec);
                });
            });
          });
          os << "\n";
        })))
      return signalPassFailure();
  }
  if (paretoJson.empty() && paretoSvg.empty())
    return;

  // The frontier of the first cost, swept up to every layer's most
  // expensive choice, at a resolution of its own.
  const CostKind &costKind = kCostKinds[*kind];
  double most = 0;
  for (const Layer &layer : layers) {
    double top = 0;
    for (const Candidate &candidate : layer.candidates)
      top = std::max(top, *candidate.costs[*kind]);
    most += top;
  }
  double sweepQuantum = getQuantum(*kind, std::max(most, budgetValue));
  MixedPrecisionProblem sweepProblem = makeProblem({*kind}, {sweepQuantum});
  FailureOr<SmallVector<MixedPrecisionSolution>> points =
      sweepMixedPrecisionPareto(
          sweepProblem, costKind.name,
          toUnits(std::max(most, budgetValue), sweepQuantum) + 1,
          std::max(2u, static_cast<unsigned>(paretoPoints)), {}, error);
  if (failed(points))
    return failPass("Pareto sweep: " + error);
  ParetoReport report;
  report.costKind = costKind.name.str();
  report.costUnit = costKind.unit.str();
  report.lossLabel = sensitivity == "weight"
                         ? "predicted loss (weight quantization MSE)"
                         : "predicted loss (qc.sensitivity)";
  report.budget = budgetValue;
  for (const Layer &layer : layers)
    report.layers.push_back(layer.name);
  // A point's real cost and loss, from the layers' own figures.
  auto makePoint = [&](StringRef label, ArrayRef<unsigned> picks) {
    ParetoReportPoint point;
    point.label = label.str();
    for (size_t l = layers.size(); l-- > 0;) {
      const Candidate &candidate = layers[l].candidates[picks[l]];
      point.cost += *candidate.costs[*kind];
      point.loss = *candidate.loss + point.loss;
    }
    for (auto [layer, pick] : llvm::zip(layers, picks))
      point.choices.push_back(layer.candidates[pick].spec);
    return point;
  };
  for (const MixedPrecisionSolution &point : *points)
    report.frontier.push_back(makePoint("", point.choices));
  report.chosen = makePoint("chosen", solution->choices);
  // Uniform configurations: every free layer at one spec, pinned layers at
  // their pin; specs some free layer cannot take are left out.
  for (const std::string &spec : specs) {
    SmallVector<unsigned> picks;
    for (const Layer &layer : layers) {
      StringRef want = layer.pinned ? StringRef(pinnedChoice) : StringRef(spec);
      auto *it = llvm::find_if(
          layer.candidates, [&](const Candidate &c) { return c.spec == want; });
      if (it == layer.candidates.end())
        break;
      picks.push_back(it - layer.candidates.begin());
    }
    if (picks.size() == layers.size())
      report.uniform.push_back(makePoint(spec, picks));
  }
  if (!paretoJson.empty() && failed(writeFile(paretoJson, [&](raw_ostream &os) {
        writeParetoJson(report, os);
      })))
    return signalPassFailure();
  if (!paretoSvg.empty() && failed(writeFile(paretoSvg, [&](raw_ostream &os) {
        writeParetoSvg(report, os);
      })))
    return signalPassFailure();
}
