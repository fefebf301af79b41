//===- OutlineLoopNests.cpp - One function per top-level loop nest --------===//
//
// Implements qc-outline-loop-nests, which keeps LLVM's compile time linear in
// the number of layers: the body of each top-level scf.for becomes a private
// `noinline` function, so that no single function holds every layer's loops.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "lowering/CPU/Outlining.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCOUTLINELOOPNESTS
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;

namespace {

struct QCOutlineLoopNestsPass
    : public qc::impl::QCOutlineLoopNestsBase<QCOutlineLoopNestsPass> {
  using QCOutlineLoopNestsBase::QCOutlineLoopNestsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    IRRewriter rewriter(&getContext());
    // Functions are visited in order and their loops in order, and names
    // count up, so the output is deterministic.
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    // One table for the names (ModuleOp::lookupSymbol scans the module
    // each time: quadratic in the number of nests).
    SymbolTable symbols(module);
    for (func::FuncOp function : functions) {
      if (function.isExternal())
        continue;
      SmallVector<scf::ForOp> loops;
      for (Operation &op : function.getBody().getOps())
        if (auto loop = dyn_cast<scf::ForOp>(op))
          loops.push_back(loop);
      unsigned index = 0;
      for (scf::ForOp loop : loops) {
        if (loop.getNumRegionIterArgs() != 0)
          continue;
        int64_t size = 0;
        loop.getBody()->walk([&](Operation *) { ++size; });
        if (size < minOps)
          continue;
        std::string name;
        do
          name = (function.getSymName() + "_nest" + Twine(index++)).str();
        while (symbols.lookup(name));
        // Already in the module; the name is new.
        symbols.insert(qc::outlineOps(rewriter, {loop}, function, name));
      }
    }
  }
};

} // namespace
