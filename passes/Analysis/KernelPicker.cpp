//===- KernelPicker.cpp - The fastest exact route per layer ---------------===//
//
// Implements KernelPicker.h. The built-in cost table is KernelCosts.json,
// embedded at build time (passes/CMakeLists.txt), so that a compiler
// installed anywhere picks as bench/kernel_costs.py measured.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/KernelPicker.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/TargetParser/Host.h"

#include <limits>

using namespace mlir;
using namespace mlir::qc;

namespace {
/// KernelCosts.json as a string literal.
constexpr const char *kBuiltinCosts =
#include "passes/Analysis/KernelCosts.inc"
    ;
} // namespace

std::optional<KernelCostTable>
KernelCostTable::parse(StringRef json, StringRef source, std::string &error) {
  llvm::Expected<llvm::json::Value> value = llvm::json::parse(json);
  if (!value) {
    error = llvm::toString(value.takeError());
    return std::nullopt;
  }
  const llvm::json::Object *root = value->getAsObject();
  const llvm::json::Object *levels = root ? root->getObject("levels") : nullptr;
  if (!levels) {
    error = "expected an object with a \"levels\" object";
    return std::nullopt;
  }
  KernelCostTable table;
  table.source = source.str();
  for (const auto &[level, routes] : *levels) {
    if (!is_contained(getIsaLevels(), StringRef(level))) {
      error = ("unknown instruction-set level \"" + level.str() +
               "\" (expected x86-64, avx2, avx512 or avx512-vnni)");
      return std::nullopt;
    }
    const llvm::json::Object *perRoute = routes.getAsObject();
    if (!perRoute) {
      error = "level \"" + level.str() + "\" is not an object of routes";
      return std::nullopt;
    }
    for (const auto &[route, cost] : *perRoute) {
      std::optional<double> ns = cost.getAsNumber();
      if (!ns || !(*ns > 0) || !std::isfinite(*ns)) {
        error = "cost of \"" + route.str() + "\" at \"" + level.str() +
                "\" must be a positive number of nanoseconds";
        return std::nullopt;
      }
      table.costs[level][route] = *ns;
    }
  }
  return table;
}

std::optional<KernelCostTable> KernelCostTable::load(StringRef path,
                                                     std::string &error) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path);
  if (!file) {
    error = file.getError().message();
    return std::nullopt;
  }
  return parse((*file)->getBuffer(), path, error);
}

const KernelCostTable &KernelCostTable::getBuiltin() {
  static const KernelCostTable table = [] {
    std::string error;
    std::optional<KernelCostTable> parsed =
        parse(kBuiltinCosts, "built-in table (bench/kernel_costs.py)", error);
    // The file is part of the build; a broken one fails the unit tests.
    return parsed ? *parsed : KernelCostTable();
  }();
  return table;
}

std::optional<double> KernelCostTable::getUnitCost(StringRef level,
                                                   StringRef route) const {
  auto perLevel = costs.find(level);
  if (perLevel == costs.end())
    return std::nullopt;
  auto cost = perLevel->second.find(route);
  if (cost == perLevel->second.end())
    return std::nullopt;
  return cost->second;
}

ArrayRef<StringRef> mlir::qc::getIsaLevels() {
  static const StringRef levels[] = {"x86-64", "avx2", "avx512", "avx512-vnni"};
  return levels;
}

StringRef mlir::qc::getHostIsaLevel() {
  static const StringRef level = [] {
    llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
    auto has = [&](StringRef name) { return features.lookup(name); };
    // LLVM clears the AVX-512 and AVX features when XGETBV says the OS does
    // not save their registers.
    if (has("avx512f") && has("avx512bw") && has("avx512dq") && has("avx512vl"))
      return has("avx512vnni") ? StringRef("avx512-vnni") : StringRef("avx512");
    if (has("avx2") && has("fma"))
      return StringRef("avx2");
    return StringRef("x86-64");
  }();
  return level;
}

ArrayRef<StringRef> mlir::qc::getRouteIds() {
  static const StringRef ids[] = {"xnor", "integer", "bitserial", "ternary",
                                  "shift"};
  return ids;
}

StringRef mlir::qc::getRouteId(KernelKind kind) {
  switch (kind) {
  case KernelKind::IntegerMac:
    return "integer";
  case KernelKind::BitserialPopcount:
    return "bitserial";
  case KernelKind::TernaryPopcount:
    return "ternary";
  case KernelKind::ShiftAccumulate:
    return "shift";
  case KernelKind::XnorPopcount:
  case KernelKind::MaskedXnorPopcount:
    return "xnor";
  default:
    return "";
  }
}

double mlir::qc::getWorkUnits(KernelKind kind, const IntegerLayer &layer,
                              double macs) {
  switch (kind) {
  case KernelKind::BitserialPopcount:
    return macs * layer.planesA * layer.planesW;
  case KernelKind::TernaryPopcount:
    return macs * layer.planesA * 2;
  default:
    return macs;
  }
}

std::pair<size_t, std::string>
mlir::qc::pickRoute(ArrayRef<RouteCandidate> candidates,
                    const MacKernelOptions &options, Operation *op) {
  if (candidates.size() <= 1)
    return {0, ""};
  auto find = [&](StringRef id) -> std::optional<size_t> {
    for (size_t i = 0; i < candidates.size(); ++i)
      if (candidates[i].id == id)
        return i;
    return std::nullopt;
  };
  if (!options.forcedRoute.empty())
    if (std::optional<size_t> i = find(options.forcedRoute))
      return {*i, "forced"};
  if (auto tuned =
          op ? op->getAttrOfType<StringAttr>(kTunedRouteAttr) : StringAttr())
    if (std::optional<size_t> i = find(tuned.getValue())) {
      auto reason = op->getAttrOfType<StringAttr>(kTunedReasonAttr);
      return {*i, reason ? reason.str() : "tuned"};
    }
  const KernelCostTable &table =
      options.costs ? *options.costs : KernelCostTable::getBuiltin();
  StringRef level = options.isaLevel.empty() ? getHostIsaLevel()
                                             : StringRef(options.isaLevel);
  std::string estimates;
  size_t best = 0;
  double bestTime = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < candidates.size(); ++i) {
    std::optional<double> unit = table.getUnitCost(level, candidates[i].id);
    if (!estimates.empty())
      estimates += ", ";
    if (!unit) {
      estimates += (candidates[i].id + " not in the table").str();
      continue;
    }
    double microseconds = candidates[i].units * *unit / 1e3;
    estimates +=
        llvm::formatv("{0} {1:F3} us", candidates[i].id, microseconds).str();
    if (microseconds < bestTime) {
      bestTime = microseconds;
      best = i;
    }
  }
  return {best,
          llvm::formatv("{0} at {1}: {2}", table.getSource(), level, estimates)
              .str()};
}

std::string mlir::qc::pickIntegerRoute(IntegerLayer &layer, double macs,
                                       const MacKernelOptions &options,
                                       Operation *op) {
  SmallVector<RouteCandidate> candidates;
  for (const IntegerRoute &route : layer.routes)
    candidates.push_back(
        {getRouteId(route.kind), getWorkUnits(route.kind, layer, macs)});
  auto [index, reason] = pickRoute(candidates, options, op);
  layer.kernel = layer.routes[index].kind;
  layer.accBits = layer.routes[index].accBits;
  return reason;
}
