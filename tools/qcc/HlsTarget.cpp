//===- HlsTarget.cpp - qcc --target hls -----------------------------------===//
//
// Writes an HLS project for a quantized model: folds its layers
// (qc-hls-fold), prepares the FPGA function (qc-hls-prepare), prints the
// kernel, testbench and build files (emitHLSProject), and, given input
// images, the testbench's golden outputs computed by qc's CPU path (the
// JIT-compiled function as it was before the HLS passes). Everything is
// written to a scratch directory that replaces the output directory only
// when complete.
//
//===----------------------------------------------------------------------===//

#include "tools/qcc/HlsTarget.h"

#include "lowering/CPU/JITModel.h"
#include "lowering/HLS/EmitHLS.h"
#include "lowering/Passes.h"
#include "passes/Analysis/HlsLayers.h"
#include "passes/Passes.h"
#include "tools/lib/TensorIO.h"

#include "lowering/HLS/HlsNames.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include "HlsShim.inc"

using namespace mlir;
using namespace mlir::qc;

namespace {

/// Marks a directory qcc wrote, which a later run may replace.
constexpr const char kProjectMarker[] = ".qc-hls-project";

int fail(const llvm::Twine &message) {
  llvm::errs() << "qcc: error: " << message << "\n";
  return 1;
}

LogicalResult writeFile(StringRef path, StringRef text) {
  if (llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path)))
    return failure();
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return failure();
  os << text;
  return success(!os.has_error());
}

/// The model function of `module` (a copy) turned into its host part
/// before the FPGA (`prefix`: returns the FPGA part's input) or after it
/// (returns the model's result from an argument holding the FPGA part's
/// output); everything else is removed.
FailureOr<OwningOpRef<ModuleOp>> makeHostPart(ModuleOp module, StringRef name,
                                              bool prefix, std::string &error) {
  OwningOpRef<ModuleOp> copy = module.clone();
  auto model = copy->lookupSymbol<func::FuncOp>(name);
  func::CallOp call;
  model.walk([&](func::CallOp op) {
    if (op.getCallee() == kHlsFpgaFunction)
      call = op;
  });
  auto ret = cast<func::ReturnOp>(model.getBody().front().getTerminator());
  if (!call || ret.getNumOperands() != 1 || model.getNumArguments() != 1) {
    error = "the model must take one tensor and return one";
    return failure();
  }
  Block &body = model.getBody().front();
  if (prefix) {
    ret->setOperands(call.getOperand(0));
  } else {
    BlockArgument input =
        body.addArgument(call.getResult(0).getType(), call.getLoc());
    call.getResult(0).replaceAllUsesWith(input);
  }
  // Erase what no longer reaches the result, last op first; the call once
  // nothing reads its result (the host ops after it come first).
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
    if (&op != ret &&
        (&op == call.getOperation() ? op.use_empty() : isOpTriviallyDead(&op)))
      op.erase();
  if (!prefix) {
    if (!body.getArgument(0).use_empty()) {
      error = "the host computes values after the FPGA part from the "
              "model's input directly (a connection around the FPGA "
              "part); qcc cannot split this model";
      return failure();
    }
    body.eraseArgument(0);
  }
  model.setFunctionType(FunctionType::get(
      copy->getContext(), body.getArgumentTypes(), ret.getOperandTypes()));
  copy->lookupSymbol<func::FuncOp>(kHlsFpgaFunction).erase();
  return copy;
}

/// Runs qc's CPU path (the JIT) on `input` for the function `name` of a
/// copy of `module`.
FailureOr<HostTensor> runOnCpu(ModuleOp module, StringRef name,
                               const HostTensor &input, std::string &error) {
  OwningOpRef<ModuleOp> copy = module.clone();
  if (auto func = copy->lookupSymbol<func::FuncOp>(name))
    func.setPublic();
  auto model = JITModel::compile(*copy, name);
  if (failed(model)) {
    error = "the CPU path could not compile '" + name.str() + "'";
    return failure();
  }
  std::vector<HostTensor> results;
  if (!(*model)->run({input}, results, 1, error))
    return failure();
  if (results.size() != 1) {
    error = "'" + name.str() + "' must have one output";
    return failure();
  }
  return std::move(results.front());
}

std::string printModule(ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os);
  return text;
}

} // namespace

int mlir::qc::writeHlsProject(ModuleOp module, func::FuncOp model,
                              const HlsTargetOptions &options) {
  SmallString<128> outputPath(options.outputDir);
  if (std::error_code ec = llvm::sys::fs::make_absolute(outputPath))
    return fail("cannot resolve '" + options.outputDir + "': " + ec.message());
  if (llvm::sys::fs::exists(outputPath)) {
    SmallString<128> marker(outputPath);
    llvm::sys::path::append(marker, kProjectMarker);
    std::error_code ec;
    bool empty = llvm::sys::fs::directory_iterator(outputPath, ec) ==
                 llvm::sys::fs::directory_iterator();
    if (!llvm::sys::fs::is_directory(outputPath) ||
        (!empty && !llvm::sys::fs::exists(marker)))
      return fail("'" + options.outputDir +
                  "' exists and is not an HLS project qcc wrote; give a new "
                  "or empty directory");
  }

  // The FPGA part in its own function; the host parts around it.
  std::string error;
  std::string modelName = model.getSymName().str();
  {
    // Folded first, so that the folding file's names are checked against
    // the model's layers.
    PassManager partition(module.getContext());
    QCHlsFoldOptions fold;
    fold.folding = options.folding;
    fold.targetFps = options.targetFps;
    fold.clockMhz = options.clockMhz;
    fold.lutBudget = options.lutBudget;
    partition.addNestedPass<func::FuncOp>(createQCHlsFold(fold));
    partition.addPass(createQCHlsPartition());
    if (failed(partition.run(module)))
      return 1;
  }
  FailureOr<OwningOpRef<ModuleOp>> prefix =
      makeHostPart(module, modelName, /*prefix=*/true, error);
  if (failed(prefix))
    return fail(error);
  FailureOr<OwningOpRef<ModuleOp>> suffix =
      makeHostPart(module, modelName, /*prefix=*/false, error);
  if (failed(suffix))
    return fail(error);

  // The testbench's data: the FPGA part's input for the given model inputs
  // and its golden output, both from qc's CPU path.
  HostTensor images, inputs, golden;
  if (!options.inputsPath.empty()) {
    if (!readNpy(options.inputsPath, images, error))
      return fail(error);
    FailureOr<HostTensor> in = runOnCpu(**prefix, modelName, images, error);
    if (failed(in))
      return fail(error);
    inputs = std::move(*in);
    FailureOr<HostTensor> out =
        runOnCpu(module, kHlsFpgaFunction, inputs, error);
    if (failed(out))
      return fail(error);
    golden = std::move(*out);
  }

  PassManager pm(module.getContext());
  QCHlsPrepareOptions prepare;
  prepare.topName = options.topName;
  pm.addPass(createQCHlsPrepare(prepare));
  if (failed(pm.run(module)))
    return 1;

  HlsProjectOptions project;
  project.clockMhz = options.clockMhz;
  project.part = options.part;
  project.modelName = llvm::sys::path::filename(options.modelPath).str();
  project.apIntHeader = kShimApInt;
  project.hlsStreamHeader = kShimHlsStream;
  std::vector<HlsFile> files;
  if (failed(emitHLSProject(module, project, files)))
    return 1;
  files.push_back({kProjectMarker, "qcc --target hls\n"});
  // The host parts, for qc-run: before the FPGA part, and after it.
  files.push_back({"host/before_fpga.mlir", printModule(**prefix)});
  files.push_back({"host/after_fpga.mlir", printModule(**suffix)});

  SmallString<128> scratch;
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory(
          outputPath + ".qcc-partial", scratch))
    return fail("cannot create a scratch directory next to '" +
                options.outputDir + "': " + ec.message());
  auto cleanup = llvm::make_scope_exit(
      [&] { llvm::sys::fs::remove_directories(scratch); });
  auto inScratch = [&](StringRef name) {
    SmallString<128> path(scratch);
    llvm::sys::path::append(path, name);
    return std::string(path);
  };
  for (const HlsFile &file : files)
    if (failed(writeFile(inScratch(file.path), file.contents)))
      return fail("cannot write " + file.path + " into " + scratch);
  if (!options.inputsPath.empty()) {
    if (llvm::sys::fs::create_directories(inScratch("tb/data")) ||
        !writeNpy(inScratch("tb/data/input.npy"), inputs, error) ||
        !writeNpy(inScratch("tb/data/golden.npy"), golden, error))
      return fail("cannot write the testbench data: " + error);
  }
  // Replace the old project (if any) only once the new one is complete.
  if (llvm::sys::fs::exists(outputPath))
    if (std::error_code ec = llvm::sys::fs::remove_directories(outputPath))
      return fail("cannot replace '" + options.outputDir +
                  "': " + ec.message());
  if (std::error_code ec = llvm::sys::fs::rename(scratch, outputPath))
    return fail("cannot move the project into '" + options.outputDir +
                "': " + ec.message());
  cleanup.release();
  llvm::outs() << "qcc: wrote the HLS project " << options.outputDir << " ("
               << files.size() + (options.inputsPath.empty() ? 0 : 2)
               << " files)\n";
  SmallVector<HlsLayer> layers;
  if (succeeded(collectHlsLayers(
          module.lookupSymbol<func::FuncOp>(kHlsFpgaFunction), layers))) {
    HlsNetworkEstimate n = estimateHlsNetwork(layers, options.clockMhz);
    llvm::outs() << llvm::formatv(
        "qcc: estimate (FINN's model, uncalibrated): {0} cycles per image "
        "(slowest layer {1}), {2:f0} images/s and {3:f2} us latency at {4:f1} "
        "MHz; {5} LUT, {6} BRAM_18K, {7} DSP\n",
        n.maxCycles, n.maxCyclesNodeName, n.throughputFps, n.latencyNs / 1e3,
        options.clockMhz, n.lut, n.bram18, n.dsp);
  }
  return 0;
}
