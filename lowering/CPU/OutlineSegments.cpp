//===- OutlineSegments.cpp - Bounded straight-line code per function ------===//
//
// Implements qc-outline-segments (see Passes.td): a function whose body is
// one long block (the model's entry, once its loop nests are outlined) is
// cut into consecutive segments of at most `max-ops` operations, each moved
// into a private noinline function of its own.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "lowering/CPU/Outlining.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCOUTLINESEGMENTS
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;

namespace {

/// Whether a value `op` defines is recomputed where another part uses it
/// rather than passed: side-effect-free, without regions (views, casts,
/// index arithmetic, constants).
bool isRecomputed(Operation *op) {
  return op->getNumRegions() == 0 && op->getNumResults() == 1 &&
         isMemoryEffectFree(op);
}

/// Whether `op` is recomputed and computed from the function's arguments
/// and other such ops alone (constants, global addresses, views of the
/// arguments): these stay at the top of the caller and count towards no
/// part's size.
bool isHoisted(Operation *op, Block &block,
               const DenseSet<Operation *> &hoisted) {
  return isRecomputed(op) &&
         llvm::all_of(op->getOperands(), [&](Value operand) {
           if (auto argument = dyn_cast<BlockArgument>(operand))
             return argument.getOwner() == &block;
           return hoisted.contains(operand.getDefiningOp());
         });
}

/// Clones, right before `ops`, the recomputed ops outside `ops` that their
/// operands come from (at any depth), so that the part computes them itself
/// and takes only what they are computed from (the arena, the arguments);
/// returns the clones in program order.
SmallVector<Operation *> rebuildInside(IRRewriter &rewriter,
                                       ArrayRef<Operation *> ops) {
  DenseSet<Operation *> inside(ops.begin(), ops.end());
  SmallVector<Operation *> clones;
  IRMapping mapping;
  std::function<Value(Value)> rebuild = [&](Value value) -> Value {
    Operation *op = value.getDefiningOp();
    if (!op || inside.contains(op) || !isRecomputed(op) ||
        op->getBlock() != ops.front()->getBlock())
      return value;
    if (Value done = mapping.lookupOrNull(value))
      return done;
    // Operands first: each clone goes right before `ops`, after the earlier
    // ones.
    for (Value operand : op->getOperands())
      mapping.map(operand, rebuild(operand));
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(ops.front());
    clones.push_back(rewriter.clone(*op, mapping));
    mapping.map(value, clones.back()->getResult(0));
    return clones.back()->getResult(0);
  };
  for (Operation *op : ops)
    op->walk([&](Operation *nested) {
      for (OpOperand &operand : nested->getOpOperands())
        operand.set(rebuild(operand.get()));
    });
  return clones;
}

struct QCOutlineSegmentsPass
    : public qc::impl::QCOutlineSegmentsBase<QCOutlineSegmentsPass> {
  using QCOutlineSegmentsBase::QCOutlineSegmentsBase;

  void runOnOperation() override {
    if (maxOps < 1) {
      getOperation().emitError() << "qc-outline-segments: max-ops must be at "
                                 << "least 1, got " << maxOps.getValue();
      return signalPassFailure();
    }
    ModuleOp module = getOperation();
    IRRewriter rewriter(&getContext());
    // Functions are visited in order and segments in order, and names count
    // up, so the output is deterministic.
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    // One table for the names (ModuleOp::lookupSymbol scans the module
    // each time).
    SymbolTable symbols(module);
    for (func::FuncOp function : functions) {
      if (function.isExternal() || !function.getBody().hasOneBlock())
        continue;
      Block &block = function.getBody().front();
      // Ops computed from the arguments alone go to the top of the caller,
      // in order; each part recomputes those it uses.
      DenseSet<Operation *> hoisted;
      SmallVector<Operation *> ops;
      Operation *top = nullptr;
      for (Operation &op :
           llvm::make_early_inc_range(block.without_terminator())) {
        if (!isHoisted(&op, block, hoisted)) {
          ops.push_back(&op);
          continue;
        }
        hoisted.insert(&op);
        if (top)
          op.moveAfter(top);
        else
          op.moveBefore(&block, block.begin());
        top = &op;
      }
      if (static_cast<int64_t>(ops.size()) <= maxOps)
        continue;
      // Every part first gets its own copies of what it recomputes, while
      // the values it would otherwise take from earlier parts are still in
      // place; then the parts move out, in order.
      SmallVector<SmallVector<Operation *>> parts;
      for (size_t begin = 0; begin < ops.size(); begin += maxOps) {
        ArrayRef<Operation *> segment = ArrayRef(ops).slice(
            begin, std::min<size_t>(maxOps, ops.size() - begin));
        parts.push_back(rebuildInside(rewriter, segment));
        parts.back().append(segment.begin(), segment.end());
      }
      unsigned index = 0;
      for (ArrayRef<Operation *> part : parts) {
        std::string name;
        do
          name = (function.getSymName() + "_part" + Twine(index++)).str();
        while (symbols.lookup(name));
        // Already in the module; the name is new.
        symbols.insert(qc::outlineOps(rewriter, part, function, name));
      }
      // What every part recomputed itself is left unused in the caller.
      for (Operation &op : llvm::make_early_inc_range(llvm::reverse(block)))
        if (hoisted.contains(&op) && op.use_empty())
          rewriter.eraseOp(&op);
    }
  }
};

} // namespace
