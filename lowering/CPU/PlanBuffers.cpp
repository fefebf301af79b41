//===- PlanBuffers.cpp - One arena for a function's buffers ---------------===//
//
// Implements qc-plan-buffers (see Passes.td): after bufferization, the
// buffers a function allocates become views of one arena, shared by buffers
// whose lifetimes do not overlap, so that a model call allocates once (or
// not at all, given a workspace) instead of once per activation.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "lowering/CPU/CPUPipeline.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCPLANBUFFERS
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;

namespace {

/// Offsets and sizes in the arena are multiples of this many bytes.
constexpr int64_t kAlignment = qc::kWorkspaceAlignment;

/// A buffer the plan places in the arena.
struct Buffer {
  memref::AllocOp alloc;
  /// Bytes when every dynamic extent is 1.
  int64_t unitBytes;
  /// Positions in the function's entry block of the allocation and of the
  /// last operation that touches the buffer or a view of it.
  unsigned begin, end;
  /// The arena slot it shares with buffers it does not overlap in time.
  unsigned slot = 0;
};

/// Whether `op` reads or writes the memref it is given without keeping or
/// returning a pointer to it. Anything else (a return, a store of the
/// pointer, a call of a function with a body) lets the buffer escape the
/// plan's view of its lifetime.
static bool isContainedUse(Operation *op) {
  if (isa<linalg::LinalgOp, memref::LoadOp, memref::StoreOp, memref::CopyOp,
          memref::DimOp, memref::DeallocOp, affine::AffineLoadOp,
          affine::AffineStoreOp>(op))
    return true;
  // The runtime's ukernels (declarations without a body) use their
  // arguments only during the call.
  if (auto call = dyn_cast<func::CallOp>(op)) {
    auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
        op, call.getCalleeAttr());
    return callee && callee.isExternal();
  }
  return false;
}

/// Extends `buffer.end` over every use of `value` and of the views made of
/// it; fails when one of them is not contained (isContainedUse).
static LogicalResult
collectLiveRange(Value value, Block &block,
                 const llvm::DenseMap<Operation *, unsigned> &positions,
                 Buffer &buffer, SmallVectorImpl<Operation *> &deallocs) {
  for (OpOperand &use : value.getUses()) {
    Operation *user = use.getOwner();
    Operation *inBlock = block.findAncestorOpInBlock(*user);
    if (!inBlock)
      return failure();
    // The deallocation pipeline frees everything at the end; those frees
    // go, and do not keep the buffer alive.
    if (!isa<memref::DeallocOp>(user))
      buffer.end = std::max(buffer.end, positions.lookup(inBlock));
    if (auto view = dyn_cast<ViewLikeOpInterface>(user)) {
      if (view.getViewSource() != value)
        return failure();
      for (Value result : user->getResults())
        if (failed(
                collectLiveRange(result, block, positions, buffer, deallocs)))
          return failure();
      continue;
    }
    if (!isContainedUse(user))
      return failure();
    if (isa<memref::DeallocOp>(user)) {
      if (value != buffer.alloc.getResult())
        return failure();
      deallocs.push_back(user);
    }
  }
  return success();
}

/// Makes `value` available before `point` by moving the side-effect-free
/// operations that compute it there; fails when it cannot.
static bool hoistBefore(Value value, Operation *point) {
  Block *block = point->getBlock();
  if (auto arg = dyn_cast<BlockArgument>(value))
    return arg.getOwner() == block;
  Operation *def = value.getDefiningOp();
  if (def->getBlock() != block)
    return false;
  if (def->isBeforeInBlock(point))
    return true;
  if (def->getNumRegions() != 0 || !isMemoryEffectFree(def))
    return false;
  for (Value operand : def->getOperands())
    if (!hoistBefore(operand, point))
      return false;
  def->moveBefore(point);
  return true;
}

/// Bytes of one element of `type`, if it has a whole number of bytes.
static std::optional<int64_t> getElementBytes(Type type) {
  if (type.isIntOrIndexOrFloat() && !type.isIndex() &&
      type.getIntOrFloatBitWidth() % 8 == 0)
    return type.getIntOrFloatBitWidth() / 8;
  return std::nullopt;
}

static int64_t alignUp(int64_t bytes) {
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

/// Gives each buffer a slot: buffers in program order, each into the free
/// slot closest in size (the smallest that fits, else the largest), or a
/// new slot when every slot holds a buffer that is live at the same time.
/// Returns the unit size of each slot.
static SmallVector<int64_t> assignSlots(MutableArrayRef<Buffer> buffers) {
  SmallVector<int64_t> slotBytes;
  SmallVector<unsigned> slotEnd; // last position the slot's buffers use
  for (Buffer &buffer : buffers) {
    std::optional<unsigned> best;
    for (unsigned s = 0; s < slotBytes.size(); ++s) {
      if (slotEnd[s] >= buffer.begin)
        continue;
      auto fits = [&](unsigned t) { return slotBytes[t] >= buffer.unitBytes; };
      if (!best ||
          (fits(s) && (!fits(*best) || slotBytes[s] < slotBytes[*best])) ||
          (!fits(s) && !fits(*best) && slotBytes[s] > slotBytes[*best]))
        best = s;
    }
    if (!best) {
      best = slotBytes.size();
      slotBytes.push_back(0);
      slotEnd.push_back(0);
    }
    buffer.slot = *best;
    slotBytes[*best] = std::max(slotBytes[*best], alignUp(buffer.unitBytes));
    slotEnd[*best] = buffer.end;
  }
  return slotBytes;
}

/// The buffer plan of one function.
class FunctionPlan {
public:
  explicit FunctionPlan(func::FuncOp function) : function(function) {}

  /// Plans and rewrites the function.
  void run();

  unsigned numPlanned = 0, numUnplanned = 0, numSlots = 0;
  /// The arena's bytes, and the planned buffers' total, when every dynamic
  /// extent is 1.
  int64_t unitBytes = 0, unitBytesWithoutReuse = 0;

private:
  /// Computes at run time the offset of each slot and the arena size.
  Value buildLayout(OpBuilder &builder, Location loc, ArrayRef<Buffer> buffers,
                    SmallVectorImpl<Value> &offsets);
  /// The arena: the workspace argument when it is large enough, else a new
  /// allocation, freed before each return.
  Value buildArena(OpBuilder &builder, Location loc, Value bytes);

  func::FuncOp function;
};

Value FunctionPlan::buildLayout(OpBuilder &builder, Location loc,
                                ArrayRef<Buffer> buffers,
                                SmallVectorImpl<Value> &offsets) {
  auto constant = [&](int64_t v) -> Value {
    return builder.create<arith::ConstantIndexOp>(loc, v);
  };
  SmallVector<Value> slotBytes(numSlots, constant(0));
  for (Buffer buffer : buffers) {
    Value bytes = constant(buffer.unitBytes);
    for (Value extent : buffer.alloc.getDynamicSizes())
      bytes = builder.create<arith::MulIOp>(loc, bytes, extent);
    slotBytes[buffer.slot] =
        builder.create<arith::MaxUIOp>(loc, slotBytes[buffer.slot], bytes);
  }
  Value mask = constant(~(kAlignment - 1));
  Value total = constant(0);
  for (Value bytes : slotBytes) {
    offsets.push_back(total);
    Value padded =
        builder.create<arith::AddIOp>(loc, bytes, constant(kAlignment - 1));
    padded = builder.create<arith::AndIOp>(loc, padded, mask);
    total = builder.create<arith::AddIOp>(loc, total, padded);
  }
  return total;
}

Value FunctionPlan::buildArena(OpBuilder &builder, Location loc, Value bytes) {
  auto arenaType = MemRefType::get({ShapedType::kDynamic}, builder.getI8Type());
  auto *dialect = function->getContext()->getOrLoadDialect<qc::QCDialect>();
  StringAttr workspaceName = dialect->getWorkspaceAttrHelper().getName();
  std::optional<unsigned> workspace;
  for (unsigned i = 0; i < function.getNumArguments(); ++i)
    if (function.getArgAttr(i, workspaceName) &&
        function.getArgument(i).getType() == arenaType)
      workspace = i;

  auto allocate = [&](OpBuilder &b) -> Value {
    return b.create<memref::AllocOp>(loc, arenaType, ValueRange{bytes},
                                     b.getI64IntegerAttr(kAlignment));
  };
  Value arena, owned;
  if (!workspace) {
    arena = allocate(builder);
    owned = builder.create<arith::ConstantIntOp>(loc, 1, 1);
  } else {
    Value given = function.getArgument(*workspace);
    Value capacity = builder.create<memref::DimOp>(loc, given, 0);
    owned = builder.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ugt, bytes,
                                          capacity);
    auto select = builder.create<scf::IfOp>(
        loc, owned,
        [&](OpBuilder &b, Location l) {
          b.create<scf::YieldOp>(l, allocate(b));
        },
        [&](OpBuilder &b, Location l) { b.create<scf::YieldOp>(l, given); });
    arena = select.getResult(0);
  }
  function.walk([&](func::ReturnOp ret) {
    OpBuilder b(ret);
    b.create<scf::IfOp>(loc, owned, [&](OpBuilder &then, Location l) {
      then.create<memref::DeallocOp>(l, arena);
      then.create<scf::YieldOp>(l);
    });
  });
  return arena;
}

void FunctionPlan::run() {
  if (function.isExternal() || !function.getBody().hasOneBlock())
    return;
  Block &block = function.getBody().front();
  llvm::DenseMap<Operation *, unsigned> positions;
  for (auto [i, op] : llvm::enumerate(block))
    positions[&op] = i;

  SmallVector<Buffer> buffers;
  SmallVector<Operation *> deallocs;
  function.walk([&](memref::AllocOp alloc) {
    MemRefType type = alloc.getType();
    std::optional<int64_t> elementBytes =
        getElementBytes(type.getElementType());
    Buffer buffer{alloc, 0, 0, 0};
    SmallVector<Operation *> ownDeallocs;
    if (alloc->getBlock() != &block || !elementBytes ||
        !type.getLayout().isIdentity() || type.getMemorySpace()) {
      ++numUnplanned;
      return;
    }
    buffer.unitBytes = *elementBytes;
    for (int64_t extent : type.getShape())
      if (!ShapedType::isDynamic(extent))
        buffer.unitBytes *= extent;
    buffer.begin = buffer.end = positions.lookup(alloc);
    if (failed(collectLiveRange(alloc.getResult(), block, positions, buffer,
                                ownDeallocs))) {
      ++numUnplanned;
      return;
    }
    buffers.push_back(buffer);
    llvm::append_range(deallocs, ownDeallocs);
  });
  if (buffers.empty())
    return;

  // The arena is laid out before the first buffer; buffers whose sizes
  // cannot be computed there keep their own allocation.
  Operation *point = buffers.front().alloc;
  SmallVector<Buffer> placed;
  for (Buffer &buffer : buffers) {
    if (llvm::all_of(buffer.alloc.getDynamicSizes(),
                     [&](Value v) { return hoistBefore(v, point); })) {
      placed.push_back(buffer);
      continue;
    }
    ++numUnplanned;
    deallocs.erase(llvm::remove_if(deallocs,
                                   [&](Operation *op) {
                                     return op->getOperand(0) ==
                                            buffer.alloc.getResult();
                                   }),
                   deallocs.end());
  }
  if (placed.empty())
    return;

  SmallVector<int64_t> slotBytes = assignSlots(placed);
  numSlots = slotBytes.size();
  numPlanned = placed.size();
  for (int64_t bytes : slotBytes)
    unitBytes += bytes;
  for (const Buffer &buffer : placed)
    unitBytesWithoutReuse += alignUp(buffer.unitBytes);

  OpBuilder builder(point);
  Location loc = function.getLoc();
  SmallVector<Value> offsets;
  Value total = buildLayout(builder, loc, placed, offsets);
  Value arena = buildArena(builder, loc, total);
  for (Buffer &buffer : placed) {
    OpBuilder b(buffer.alloc);
    auto view = b.create<memref::ViewOp>(
        buffer.alloc.getLoc(), buffer.alloc.getType(), arena,
        offsets[buffer.slot], buffer.alloc.getDynamicSizes());
    buffer.alloc.replaceAllUsesWith(view.getResult());
  }
  for (Operation *dealloc : deallocs)
    dealloc->erase();
  for (Buffer &buffer : placed)
    buffer.alloc.erase();
}

struct QCPlanBuffersPass
    : public qc::impl::QCPlanBuffersBase<QCPlanBuffersPass> {
  using QCPlanBuffersBase::QCPlanBuffersBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    Builder builder(&getContext());
    SmallVector<Attribute> plans;
    for (auto function : module.getOps<func::FuncOp>()) {
      FunctionPlan plan(function);
      plan.run();
      if (function.isExternal())
        continue;
      plans.push_back(builder.getDictionaryAttr({
          builder.getNamedAttr("function", function.getSymNameAttr()),
          builder.getNamedAttr("buffers",
                               builder.getI64IntegerAttr(plan.numPlanned)),
          builder.getNamedAttr("slots",
                               builder.getI64IntegerAttr(plan.numSlots)),
          builder.getNamedAttr("bytes_per_unit",
                               builder.getI64IntegerAttr(plan.unitBytes)),
          builder.getNamedAttr(
              "bytes_without_reuse",
              builder.getI64IntegerAttr(plan.unitBytesWithoutReuse)),
          builder.getNamedAttr("unplanned",
                               builder.getI64IntegerAttr(plan.numUnplanned)),
      }));
    }
    // One entry point after inlining: its plan is the module's.
    if (plans.size() == 1) {
      auto *dialect = getContext().getOrLoadDialect<qc::QCDialect>();
      dialect->getBufferPlanAttrHelper().setAttr(
          module, cast<DictionaryAttr>(plans.front()));
    }
  }
};

} // namespace
