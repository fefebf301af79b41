//===- Outlining.cpp - Consecutive ops moved into a function of their own -===//
//
// Implements Outlining.h.
//
//===----------------------------------------------------------------------===//

#include "lowering/CPU/Outlining.h"

#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;

func::FuncOp mlir::qc::outlineOps(RewriterBase &rewriter,
                                  ArrayRef<Operation *> ops,
                                  func::FuncOp function, StringRef name) {
  llvm::DenseSet<Operation *> inside(ops.begin(), ops.end());
  Block *block = ops.front()->getBlock();
  // Whether `value` is defined by one of `ops` or inside one.
  auto isInside = [&](Value value) {
    Operation *def = value.getDefiningOp();
    if (!def)
      def = value.getParentBlock()->getParentOp();
    Operation *top = def ? block->findAncestorOpInBlock(*def) : nullptr;
    return top && inside.contains(top);
  };
  llvm::SetVector<Value> captured;
  SmallVector<Value> escaping;
  for (Operation *op : ops) {
    op->walk<WalkOrder::PreOrder>([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        if (!isInside(operand))
          captured.insert(operand);
    });
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(), [&](Operation *user) {
            Operation *top = block->findAncestorOpInBlock(*user);
            return !top || !inside.contains(top);
          }))
        escaping.push_back(result);
  }
  SmallVector<Value> arguments;
  SmallVector<Operation *> constants;
  for (Value value : captured) {
    Operation *def = value.getDefiningOp();
    if (def && def->hasTrait<OpTrait::ConstantLike>())
      constants.push_back(def);
    else
      arguments.push_back(value);
  }

  Location loc = ops.front()->getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(function);
  auto callee = rewriter.create<func::FuncOp>(
      loc, name,
      rewriter.getFunctionType(ValueRange(arguments).getTypes(),
                               ValueRange(escaping).getTypes()));
  callee.setPrivate();
  callee->setAttr("passthrough",
                  rewriter.getArrayAttr({rewriter.getStringAttr("noinline")}));
  Block *entry = callee.addEntryBlock();
  IRMapping mapping;
  mapping.map(arguments, entry->getArguments());
  rewriter.setInsertionPointToStart(entry);
  for (Operation *constant : constants)
    rewriter.clone(*constant, mapping);
  for (Operation *op : ops)
    rewriter.clone(*op, mapping);
  SmallVector<Value> returned;
  for (Value value : escaping)
    returned.push_back(mapping.lookup(value));
  rewriter.create<func::ReturnOp>(loc, returned);

  rewriter.setInsertionPoint(ops.front());
  auto call = rewriter.create<func::CallOp>(loc, callee, arguments);
  for (auto [value, result] : llvm::zip(escaping, call.getResults()))
    rewriter.replaceAllUsesWith(value, result);
  for (Operation *op : llvm::reverse(ops))
    rewriter.eraseOp(op);
  return callee;
}
