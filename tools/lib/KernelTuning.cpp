//===- KernelTuning.cpp - Routes measured on this machine (--tune) --------===//
//
// Implements KernelTuning.h. A layer's one-layer model takes the layer's
// input as an f32 argument, quantizes it with the type the layer's input
// has (so the MAC rewrite sees the same uniform activations), clones the
// constant computations of its weight and bias, and returns the layer's
// result. Each route is compiled with qc-lower-macs forced to it (then
// canonicalization and qc-fuse, as the tools run them) and the CPU
// pipeline, and timed on random inputs: the median of several runs after a
// warm-up, one thread.
//
//===----------------------------------------------------------------------===//

#include "tools/lib/KernelTuning.h"

#include "dialects/QC/QCOps.h"
#include "lowering/CPU/JITModel.h"
#include "passes/Analysis/KernelPicker.h"
#include "passes/Analysis/MacKernelSelection.h"
#include "passes/Passes.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Analysis/TopologicalSortUtils.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>

using namespace mlir;
using namespace mlir::qc;

std::string mlir::qc::getDefaultTuneCachePath() {
  llvm::SmallString<256> path;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    path = xdg;
  else if (const char *home = std::getenv("HOME"); home && *home)
    llvm::sys::path::append(path, home, ".cache");
  else
    return "qc-tune.json";
  llvm::sys::path::append(path, "qc", "tune.json");
  return path.str().str();
}

namespace {

/// The one-layer model of `layer` (see the file comment), or null when its
/// input is not on a quantized grid.
OwningOpRef<ModuleOp> buildLayerModel(Operation *layer) {
  Value input = layer->getOperand(0);
  auto inputType = dyn_cast<RankedTensorType>(input.getType());
  Type quantType = getActivationQuantType(input);
  if (!inputType || !quantType)
    return nullptr;
  MLIRContext *context = layer->getContext();
  OpBuilder builder(context);
  Location loc = layer->getLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  auto func = builder.create<func::FuncOp>(
      loc, "layer",
      builder.getFunctionType({inputType}, layer->getResultTypes()));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToEnd(body);
  IRMapping mapping;
  Value quantized = builder.create<QuantizeOp>(
      loc, RankedTensorType::get(inputType.getShape(), quantType),
      body->getArgument(0));
  mapping.map(
      input,
      builder.create<DequantizeOp>(loc, inputType, quantized).getResult());
  // The weight's and bias's computations: constants only.
  SetVector<Operation *> slice;
  BackwardSliceOptions options;
  options.inclusive = true;
  for (Value operand : layer->getOperands().drop_front()) {
    if (Operation *producer = operand.getDefiningOp())
      getBackwardSlice(producer, &slice, options);
    else
      return nullptr;
  }
  for (Operation *op : topologicalSort(slice)) {
    if (op->getNumRegions() != 0 ||
        llvm::any_of(op->getOperands(),
                     [](Value v) { return isa<BlockArgument>(v); }))
      return nullptr;
    builder.clone(*op, mapping);
  }
  Operation *clone = builder.clone(*layer, mapping);
  clone->removeAttr(kTunedRouteAttr);
  clone->removeAttr(kTunedReasonAttr);
  builder.create<func::ReturnOp>(loc, clone->getResults());
  return module;
}

/// Microseconds per run of `model` with every layer on `route`, or a
/// negative value when it does not compile or run.
double timeRoute(ModuleOp model, StringRef route) {
  OwningOpRef<ModuleOp> clone = model.clone();
  PassManager pm(model.getContext());
  QCLowerMacsOptions options;
  options.route = route.str();
  pm.addNestedPass<func::FuncOp>(createQCLowerMacs(options));
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createQCFuse());
  if (failed(pm.run(*clone)))
    return -1;
  FailureOr<std::unique_ptr<JITModel>> jit = JITModel::compile(*clone, "layer");
  if (failed(jit))
    return -1;
  const TensorSpec &spec = (*jit)->getInputs().front();
  std::vector<int64_t> shape(spec.shape.begin(), spec.shape.end());
  for (int64_t &d : shape)
    if (d < 0)
      d = 4; // a dynamic batch
  HostTensor input(DType::F32, shape);
  std::mt19937 random(0);
  std::normal_distribution<float> normal;
  for (int64_t i = 0; i < input.getNumElements(); ++i)
    input.data<float>()[i] = normal(random);
  std::vector<HostTensor> outputs;
  std::string error;
  std::vector<double> times;
  for (int run = 0; run < 9; ++run) {
    auto start = std::chrono::steady_clock::now();
    if (!(*jit)->run({input}, outputs, /*threads=*/1, error))
      return -1;
    std::chrono::duration<double, std::micro> elapsed =
        std::chrono::steady_clock::now() - start;
    if (run >= 2) // warm-up
      times.push_back(elapsed.count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

} // namespace

LogicalResult mlir::qc::tuneKernelRoutes(func::FuncOp model,
                                         const QuantSpec &spec,
                                         std::string &error) {
  // The cache: {"<key>": microseconds}.
  llvm::json::Object cache;
  if (llvm::sys::fs::exists(spec.tuneCache)) {
    auto file = llvm::MemoryBuffer::getFile(spec.tuneCache);
    llvm::Expected<llvm::json::Value> parsed =
        file ? llvm::json::parse((*file)->getBuffer())
             : llvm::Expected<llvm::json::Value>(
                   llvm::errorCodeToError(file.getError()));
    if (!parsed || !parsed->getAsObject()) {
      error = "--tune-cache " + spec.tuneCache + ": " +
              (parsed ? std::string("not a JSON object")
                      : llvm::toString(parsed.takeError()));
      return failure();
    }
    cache = std::move(*parsed->getAsObject());
  }
  bool changed = false;
  MacKernelOptions options;
  SmallVector<Operation *> layers;
  model.walk([&](Operation *op) {
    if (isa<tosa::Conv2DOp, tosa::FullyConnectedOp>(op))
      layers.push_back(op);
  });
  for (Operation *layer : layers) {
    MacKernelSelection selection = selectMacKernel(layer, options);
    if (selection.routes.size() < 2)
      continue;
    OwningOpRef<ModuleOp> single = buildLayerModel(layer);
    if (!single)
      continue;
    std::string text;
    llvm::raw_string_ostream os(text);
    single->print(os, OpPrintingFlags().printGenericOpForm());
    std::string best, reason;
    double bestTime = 0;
    for (StringRef id : selection.routes) {
      std::string key = llvm::formatv(
          "{0:x16} {1} {2}", llvm::xxh3_64bits(text), id, getHostIsaLevel());
      double microseconds;
      if (std::optional<double> known = cache.getNumber(key)) {
        microseconds = *known;
      } else {
        microseconds = timeRoute(*single, id);
        if (microseconds < 0)
          continue;
        cache[key] = microseconds;
        changed = true;
      }
      reason += llvm::formatv("{0}{1} {2:F1} us", reason.empty() ? "" : ", ",
                              id, microseconds);
      if (best.empty() || microseconds < bestTime) {
        best = id.str();
        bestTime = microseconds;
      }
    }
    if (best.empty())
      continue;
    Builder builder(layer->getContext());
    layer->setAttr(kTunedRouteAttr, builder.getStringAttr(best));
    layer->setAttr(
        kTunedReasonAttr,
        builder.getStringAttr(llvm::formatv("tuned on this machine at {0}: {1}",
                                            getHostIsaLevel(), reason)
                                  .str()));
  }
  if (!changed)
    return success();
  // Written whole into a temporary file, then renamed over the cache.
  llvm::SmallString<256> directory(spec.tuneCache);
  llvm::sys::path::remove_filename(directory);
  if (!directory.empty())
    (void)llvm::sys::fs::create_directories(directory);
  std::string temporary = spec.tuneCache + ".tmp";
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(temporary, ec);
    if (ec) {
      error = "--tune-cache " + spec.tuneCache + ": " + ec.message();
      return failure();
    }
    out << llvm::formatv("{0:2}", llvm::json::Value(std::move(cache))) << "\n";
  }
  if (std::error_code ec = llvm::sys::fs::rename(temporary, spec.tuneCache)) {
    error = "--tune-cache " + spec.tuneCache + ": " + ec.message();
    return failure();
  }
  return success();
}
