//===- Explain.cpp - Which kernel each layer takes, and why ---------------===//
//
// Owns the `--explain` option and prints the kernel choice of every layer
// the report lists, with the reason from passes/Analysis/MacKernelSelection
// when a layer has none.
//
//===----------------------------------------------------------------------===//

#include "tools/lib/Explain.h"
#include "dialects/QC/QCOps.h"
#include "passes/Analysis/LayerCost.h"
#include "tools/lib/ModelReport.h"

#include "llvm/Support/Path.h"

#include <memory>

using namespace mlir;
using namespace mlir::qc;

/// The option behind registerExplainCLOption (made once, in the category
/// the first caller gives).
static std::unique_ptr<llvm::cl::opt<bool>> &getExplainOption() {
  static std::unique_ptr<llvm::cl::opt<bool>> option;
  return option;
}

void mlir::qc::registerExplainCLOption(llvm::cl::OptionCategory &category) {
  std::unique_ptr<llvm::cl::opt<bool>> &option = getExplainOption();
  if (option)
    return;
  option = std::make_unique<llvm::cl::opt<bool>>(
      "explain", llvm::cl::init(false),
      llvm::cl::desc("Print, per conv and dense layer, the kernel it takes "
                     "or why it stays on the float reference path"),
      llvm::cl::cat(category));
}

/// The layer's ONNX node name, or its op and source position.
static std::string getDisplayName(Operation *op) {
  std::string name = getLayerName(op->getLoc());
  if (!name.empty())
    return name;
  name = op->getName().getStringRef().str();
  if (auto file = dyn_cast<FileLineColLoc>(op->getLoc()))
    name +=
        (" at " + llvm::sys::path::filename(file.getFilename().strref()) + ":" +
         llvm::Twine(file.getLine()) + ":" + llvm::Twine(file.getColumn()))
            .str();
  return name;
}

void mlir::qc::printKernelExplanation(func::FuncOp model, const QuantSpec &spec,
                                      llvm::raw_ostream &os) {
  model.walk([&](Operation *op) {
    if (!getLayerCost(op))
      return;
    std::string choice;
    MatchResult<MacKernel> kernel = getLayerKernel(op, spec, &choice);
    os << getDisplayName(op) << ": ";
    if (kernel && !choice.empty())
      os << getKernelName(kernel->kind) << " (picked: " << choice << ")\n";
    else if (kernel)
      os << getKernelName(kernel->kind) << "\n";
    else
      os << "float reference path: " << kernel.getReason() << "\n";
  });
}

void mlir::qc::explainIfRequested(func::FuncOp model, const QuantSpec &spec) {
  const std::unique_ptr<llvm::cl::opt<bool>> &option = getExplainOption();
  if (option && *option)
    printKernelExplanation(model, spec, llvm::outs());
}

void mlir::qc::explainRuntimeCallsIfRequested(ModuleOp module) {
  const std::unique_ptr<llvm::cl::opt<bool>> &option = getExplainOption();
  if (!option || !*option)
    return;
  for (const auto &[layer, call] : getRuntimeCalls(module))
    llvm::outs() << layer << ": runtime call " << call << "\n";
}
