//===- ElideCopies.cpp - Producers write where a copy would put them ------===//
//
// Implements qc-elide-copies (see Passes.td): a buffer that is written by a
// few ops and then only copied into a view of another fresh buffer (the
// interior of a padded layer input, above all) is replaced by that view, so
// that the producer writes its result in place and the copy goes away.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "runtime/RuntimeCalls.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCELIDECOPIES
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;

namespace {

/// Runtime functions whose memref arguments may be any strided view with
/// unit innermost stride: their descriptors' strides are honoured. The
/// bit-packing call wants contiguous buffers and the matmul calls 2-D rows,
/// so they are not listed.
bool acceptsStridedViews(StringRef callee) {
  static const llvm::StringSet<> names = {qc::kConv2DF32Call,
                                          qc::kDepthwiseConv2DF32Call,
                                          qc::kConv2DI32I8Call,
                                          qc::kConv2DI32I8DequantCall,
                                          qc::kConv2DI32I8RequantCall,
                                          qc::kMaxPool2DF32Call,
                                          qc::kSumPool2DF32Call,
                                          qc::kXnorConv2DI16Call,
                                          qc::kXnorConv2DI32Call,
                                          qc::kXnorConv2DI16DequantCall,
                                          qc::kXnorConv2DI32DequantCall,
                                          qc::kXnorConv2DI16RequantCall,
                                          qc::kXnorConv2DI32RequantCall};
  return names.contains(callee);
}

/// Whether `type`'s innermost stride is a static 1.
bool hasUnitInnerStride(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(getStridesAndOffset(type, strides, offset)))
    return false;
  return strides.empty() || strides.back() == 1;
}

/// One elision: the copy, its source allocation, and the destination view.
struct Candidate {
  linalg::CopyOp copy;
  memref::AllocOp source;
  Value destination;
  /// The fresh buffer the destination views (the destination itself or the
  /// source of its subview).
  memref::AllocOp buffer;
  /// The source's users before the copy, in program order, and its
  /// deallocations after it.
  SmallVector<Operation *> writers, deallocs;
};

struct QCElideCopiesPass
    : public qc::impl::QCElideCopiesBase<QCElideCopiesPass> {
  void runOnOperation() override {
    SmallVector<linalg::CopyOp> copies;
    getOperation().walk([&](linalg::CopyOp copy) {
      if (copy.hasPureBufferSemantics())
        copies.push_back(copy);
    });
    for (linalg::CopyOp copy : copies) {
      Candidate c;
      if (match(copy, c) && hoistBuffer(c))
        rewrite(c);
    }
  }

  /// Fills `c` when `copy` copies a whole fresh buffer, written only by ops
  /// that can write a view instead, into a view of another fresh buffer of
  /// the same block.
  static bool match(linalg::CopyOp copy, Candidate &c) {
    Block *block = copy->getBlock();
    c.copy = copy;
    c.source = copy.getDpsInputs()[0].getDefiningOp<memref::AllocOp>();
    c.destination = copy.getDpsInits()[0];
    if (!c.source || c.source->getBlock() != block)
      return false;
    Operation *view = c.destination.getDefiningOp();
    if (auto subview = dyn_cast_or_null<memref::SubViewOp>(view))
      view = subview.getSource().getDefiningOp();
    c.buffer = dyn_cast_or_null<memref::AllocOp>(view);
    auto destinationType = cast<MemRefType>(c.destination.getType());
    if (!c.buffer || c.buffer == c.source || c.buffer->getBlock() != block ||
        !hasUnitInnerStride(destinationType) ||
        destinationType.getShape() != c.source.getType().getShape())
      return false;
    for (OpOperand &use : c.source->getUses()) {
      Operation *user = use.getOwner();
      if (user == copy)
        continue;
      if (user->getBlock() != block)
        return false;
      if (isa<memref::DeallocOp>(user)) {
        if (user->isBeforeInBlock(copy))
          return false;
        c.deallocs.push_back(user);
        continue;
      }
      if (!user->isBeforeInBlock(copy) || !canWriteView(user, c))
        return false;
      c.writers.push_back(user);
    }
    if (c.writers.empty())
      return false;
    llvm::sort(c.writers, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    return true;
  }

  /// Whether `user` of the source still works on the destination view: a
  /// linalg op (any strided operand), a dim, or a cast that only feeds
  /// calls of runtime functions honouring strides (before the copy).
  static bool canWriteView(Operation *user, const Candidate &c) {
    if (isa<linalg::LinalgOp, memref::DimOp>(user))
      return true;
    auto cast = dyn_cast<memref::CastOp>(user);
    if (!cast || !memref::CastOp::areCastCompatible(c.destination.getType(),
                                                    cast.getType()))
      return false;
    return llvm::all_of(cast->getUsers(), [&](Operation *castUser) {
      auto call = dyn_cast<func::CallOp>(castUser);
      return call && call->getBlock() == c.copy->getBlock() &&
             call->isBeforeInBlock(c.copy) &&
             acceptsStridedViews(call.getCallee());
    });
  }

  /// Moves the destination buffer, its views and fills, and the
  /// side-effect-free ops they need from between the first writer and the
  /// copy to before the first writer. Fails, moving nothing, when any other
  /// op in that range touches the buffer or a needed value.
  static bool hoistBuffer(Candidate &c) {
    Operation *first = c.writers.front();
    // The buffer and its subviews, wherever they are.
    llvm::SmallPtrSet<Value, 8> views;
    SmallVector<Value> worklist = {c.buffer.getResult()};
    while (!worklist.empty()) {
      Value view = worklist.pop_back_val();
      views.insert(view);
      for (Operation *user : view.getUsers())
        if (auto subview = dyn_cast<memref::SubViewOp>(user))
          worklist.push_back(subview.getResult());
    }
    llvm::SetVector<Operation *> moved;
    for (Operation *op = first->getNextNode(); op != c.copy;
         op = op->getNextNode()) {
      bool touches = llvm::any_of(op->getOperands(), [&](Value operand) {
        return views.contains(operand);
      });
      if (op == c.buffer.getOperation() && first->isBeforeInBlock(op)) {
        moved.insert(op);
        continue;
      }
      if (!touches)
        continue;
      auto fill = dyn_cast<linalg::FillOp>(op);
      if (fill ? !views.contains(fill.getDpsInits()[0])
               : !isa<memref::SubViewOp, memref::DimOp>(op))
        return false;
      moved.insert(op);
    }
    // The operands of what moves: defined before the first writer, or by
    // side-effect-free ops after it that can move too.
    for (size_t i = 0; i < moved.size(); ++i)
      for (Value operand : moved[i]->getOperands()) {
        Operation *def = operand.getDefiningOp();
        if (!def || def->getBlock() != first->getBlock() ||
            def->isBeforeInBlock(first) || moved.contains(def))
          continue;
        if (def == first || !isMemoryEffectFree(def) ||
            def->getNumRegions() != 0 ||
            llvm::is_contained(def->getOperands(), c.source.getResult()))
          return false;
        moved.insert(def);
      }
    SmallVector<Operation *> order(moved.begin(), moved.end());
    llvm::sort(order, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    for (Operation *op : order)
      op->moveBefore(first);
    return true;
  }

  /// Points the writers at the destination view and drops the copy and the
  /// source buffer.
  static void rewrite(Candidate &c) {
    Value source = c.source.getResult();
    for (Operation *writer : c.writers) {
      if (auto cast = dyn_cast<memref::CastOp>(writer)) {
        OpBuilder builder(cast);
        Value view = builder.create<memref::CastOp>(
            cast.getLoc(), cast.getType(), c.destination);
        cast.replaceAllUsesWith(view);
        cast.erase();
        continue;
      }
      writer->replaceUsesOfWith(source, c.destination);
    }
    c.copy.erase();
    for (Operation *dealloc : c.deallocs)
      dealloc->erase();
    c.source.erase();
  }
};

} // namespace
