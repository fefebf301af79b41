//===- QCLowerMacs.cpp - Quantized MACs to kernel-level qc ops ------------===//
//
// Implements qc-lower-macs. Convolutions and dense layers whose weights are
// binary and whose inputs are binary or ternary activations become
// bitpack + xnor_popcount on packed words. Layers with uniform k-bit
// activations become bit-serial AND-popcounts (binary or low-bit uniform
// weights), ternary masked popcounts, shift-adds (power-of-two weights),
// per-centroid accumulation (codebook and asymmetric ternary weights) or an
// integer MAC on the activation codes; float activations with few weight
// levels (codebook, ternary, power of two, binary) become per-centroid
// accumulation. The choice is passes/Analysis/MacKernelSelection's, the IR
// passes/MacKernelBuilders'.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCOps.h"
#include "passes/Analysis/KernelPicker.h"
#include "passes/Analysis/MacKernelSelection.h"
#include "passes/MacKernelBuilders.h"
#include "passes/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "qc-lower-macs"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCLOWERMACS
#include "passes/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;
using namespace mlir::qc;

namespace {

struct QCLowerMacsPass : public qc::impl::QCLowerMacsBase<QCLowerMacsPass> {
  using QCLowerMacsBase::QCLowerMacsBase;

  /// Checks the options and reads the cost table once per pass instance
  /// rather than once per function; runOnOperation reports what failed.
  LogicalResult initialize(MLIRContext *) override {
    options.bitserialMaxBits = bitserialMaxBits;
    if (isaLevel != "native") {
      if (!is_contained(getIsaLevels(), StringRef(isaLevel)))
        optionError = "unknown isa '" + isaLevel +
                      "' (native, x86-64, avx2, avx512, avx512-vnni)";
      options.isaLevel = isaLevel;
    }
    if (route != "auto") {
      if (!is_contained(getRouteIds(), StringRef(route)))
        optionError = "unknown route '" + route +
                      "' (auto, xnor, integer, bitserial, ternary, shift)";
      options.forcedRoute = route;
    }
    if (!kernelCosts.empty()) {
      std::string error;
      table = KernelCostTable::load(kernelCosts, error);
      if (table)
        options.costs = &*table;
      else
        optionError = "cost table '" + kernelCosts + "': " + error;
    }
    return success();
  }

  void runOnOperation() override {
    if (!optionError.empty()) {
      getOperation().emitError() << "qc-lower-macs: " << optionError;
      return signalPassFailure();
    }
    // A plain walk, not the greedy driver: folding would turn the packed
    // weights (dequantize of qc.constant) back into float constants.
    SmallVector<Operation *> layers;
    getOperation().walk([&](Operation *op) {
      if (isa<tosa::Conv2DOp, tosa::FullyConnectedOp>(op))
        layers.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : layers) {
      MacKernelSelection selection = selectMacKernel(op, options);
      std::optional<KernelKind> kind = selection.getKind();
      LLVM_DEBUG({
        llvm::dbgs() << DEBUG_TYPE << ": " << op->getLoc() << ": ";
        if (kind)
          llvm::dbgs() << getKernelName(*kind) << "\n";
        else
          llvm::dbgs() << "stays on the reference path: " << selection.reason
                       << "\n";
      });
      if (explain) {
        if (kind && !selection.choice.empty())
          op->emitRemark() << "kernel: " << getKernelName(*kind) << " ("
                           << selection.choice << ")";
        else if (kind)
          op->emitRemark() << "kernel: " << getKernelName(*kind);
        else
          op->emitRemark() << "float reference path: " << selection.reason;
      }
      rewriter.setInsertionPoint(op);
      if (selection.binary)
        lowerBinaryLayer(op, *selection.binary, rewriter);
      else if (selection.integer)
        lowerIntegerLayer(op, *selection.integer, rewriter);
      else if (selection.centroid)
        lowerCentroidLayer(op, *selection.centroid, rewriter);
    }
  }

  MacKernelOptions options;
  std::optional<KernelCostTable> table;
  std::string optionError;
};

} // namespace
