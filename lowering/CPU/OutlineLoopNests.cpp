//===- OutlineLoopNests.cpp - One function per top-level loop nest --------===//
//
// Implements qc-outline-loop-nests, which keeps LLVM's compile time linear in
// the number of layers: the body of each top-level scf.for becomes a private
// `noinline` function, so that no single function holds every layer's loops.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCOUTLINELOOPNESTS
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;

namespace {

/// Moves `loop` (no results) into a new private `noinline` function `name`,
/// inserted before `function` and called in the loop's place: the values it
/// uses from outside become the function's arguments, constants are cloned
/// in. Written here rather than with outlineSingleBlockRegion, which
/// rewrites the uses of each captured value by walking all of its uses --
/// shared constants are used by every loop nest, which made the pass
/// quadratic in the number of nests.
func::FuncOp outlineLoop(IRRewriter &rewriter, scf::ForOp loop,
                         func::FuncOp function, StringRef name) {
  llvm::SetVector<Value> captured;
  for (Value operand : loop->getOperands())
    captured.insert(operand);
  getUsedValuesDefinedAbove(loop.getRegion(), captured);
  SmallVector<Value> arguments;
  SmallVector<Operation *> constants;
  for (Value value : captured) {
    Operation *def = value.getDefiningOp();
    if (def && def->hasTrait<OpTrait::ConstantLike>())
      constants.push_back(def);
    else
      arguments.push_back(value);
  }
  Location loc = loop.getLoc();
  rewriter.setInsertionPoint(function);
  auto callee = rewriter.create<func::FuncOp>(
      loc, name,
      rewriter.getFunctionType(ValueRange(arguments).getTypes(), {}));
  Block *entry = callee.addEntryBlock();
  IRMapping mapping;
  for (auto [value, argument] : llvm::zip(arguments, entry->getArguments()))
    mapping.map(value, argument);
  rewriter.setInsertionPointToStart(entry);
  for (Operation *constant : constants)
    rewriter.clone(*constant, mapping);
  rewriter.clone(*loop, mapping);
  rewriter.create<func::ReturnOp>(loc);
  rewriter.setInsertionPoint(loop);
  rewriter.create<func::CallOp>(loc, callee, arguments);
  rewriter.eraseOp(loop);
  return callee;
}

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
        func::FuncOp callee = outlineLoop(rewriter, loop, function, name);
        symbols.insert(callee); // already in the module; the name is new
        callee.setPrivate();
        callee->setAttr(
            "passthrough",
            rewriter.getArrayAttr({rewriter.getStringAttr("noinline")}));
      }
    }
  }
};

} // namespace
