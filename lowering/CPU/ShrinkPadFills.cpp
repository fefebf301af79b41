//===- ShrinkPadFills.cpp - Pad fills write the border only ---------------===//
//
// Implements qc-shrink-pad-fills (see Passes.td): a padded buffer is filled
// whole and then its interior is overwritten by a copy of the unpadded
// tensor; the fill becomes fills of the border slabs alone, so that a 3x3
// layer's 30 x 30 input writes 116 of its 900 pixels twice instead of all.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCSHRINKPADFILLS
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;

namespace {

/// The copy into an interior view of `fill`'s buffer that follows the fill
/// with only side-effect-free ops (that view among them) and allocations in
/// between; `interior` receives the view.
linalg::CopyOp findInteriorCopy(linalg::FillOp fill,
                                memref::SubViewOp &interior) {
  Value buffer = fill.getDpsInits()[0];
  for (Operation *op = fill->getNextNode(); op; op = op->getNextNode()) {
    if (auto view = dyn_cast<memref::SubViewOp>(op)) {
      if (view.getSource() == buffer && !interior)
        interior = view;
      continue;
    }
    if (auto copy = dyn_cast<linalg::CopyOp>(op))
      return interior && copy.getDpsInits()[0] == interior.getResult()
                 ? copy
                 : linalg::CopyOp();
    if (llvm::is_contained(op->getOperands(), buffer) ||
        (!isMemoryEffectFree(op) && !isa<memref::AllocOp>(op)))
      return {};
  }
  return {};
}

struct QCShrinkPadFillsPass
    : public qc::impl::QCShrinkPadFillsBase<QCShrinkPadFillsPass> {
  void runOnOperation() override {
    SmallVector<linalg::FillOp> fills;
    getOperation().walk([&](linalg::FillOp fill) {
      if (fill.hasPureBufferSemantics() &&
          isa<MemRefType>(fill.getDpsInits()[0].getType()))
        fills.push_back(fill);
    });
    for (linalg::FillOp fill : fills)
      shrink(fill);
  }

  /// Replaces `fill` by fills of the border around the interior a copy
  /// overwrites next, when that interior has unit strides.
  void shrink(linalg::FillOp fill) {
    memref::SubViewOp interior;
    linalg::CopyOp copy = findInteriorCopy(fill, interior);
    if (!copy)
      return;
    Value buffer = fill.getDpsInits()[0];
    auto type = cast<MemRefType>(buffer.getType());
    int64_t rank = type.getRank();
    if (interior.getSourceType().getRank() != interior.getType().getRank() ||
        !llvm::all_of(interior.getStaticStrides(),
                      [](int64_t s) { return s == 1; }))
      return;
    OpBuilder builder(fill);
    Location loc = fill.getLoc();
    SmallVector<OpFoldResult> offsets = interior.getMixedOffsets();
    SmallVector<OpFoldResult> sizes = interior.getMixedSizes();
    SmallVector<OpFoldResult> extents;
    for (int64_t d = 0; d < rank; ++d)
      extents.push_back(memref::getMixedSize(builder, loc, buffer, d));
    SmallVector<OpFoldResult> ones(rank, builder.getIndexAttr(1));
    Value value = fill.getDpsInputs()[0];
    // Slab d: dimensions before d over the interior, d outside it (below,
    // then above), the ones after d whole. Together they are the border.
    for (int64_t d = 0; d < rank; ++d) {
      for (bool above : {false, true}) {
        SmallVector<OpFoldResult> slabOffsets, slabSizes;
        for (int64_t e = 0; e < rank; ++e) {
          if (e < d) {
            slabOffsets.push_back(offsets[e]);
            slabSizes.push_back(sizes[e]);
          } else if (e > d) {
            slabOffsets.push_back(builder.getIndexAttr(0));
            slabSizes.push_back(extents[e]);
          } else if (!above) {
            slabOffsets.push_back(builder.getIndexAttr(0));
            slabSizes.push_back(offsets[e]);
          } else {
            OpFoldResult end =
                addOpFoldResult(builder, loc, offsets[e], sizes[e]);
            slabOffsets.push_back(end);
            slabSizes.push_back(subOpFoldResult(builder, loc, extents[e], end));
          }
        }
        std::optional<int64_t> size = getConstantIntValue(slabSizes[d]);
        if (size && *size == 0)
          continue;
        Value slab = builder.create<memref::SubViewOp>(loc, buffer, slabOffsets,
                                                       slabSizes, ones);
        builder.create<linalg::FillOp>(loc, value, slab);
      }
    }
    fill.erase();
  }

  static OpFoldResult addOpFoldResult(OpBuilder &b, Location loc,
                                      OpFoldResult x, OpFoldResult y) {
    auto cx = getConstantIntValue(x), cy = getConstantIntValue(y);
    if (cx && cy)
      return b.getIndexAttr(*cx + *cy);
    return b
        .create<arith::AddIOp>(loc, getValueOrCreateConstantIndexOp(b, loc, x),
                               getValueOrCreateConstantIndexOp(b, loc, y))
        .getResult();
  }
  static OpFoldResult subOpFoldResult(OpBuilder &b, Location loc,
                                      OpFoldResult x, OpFoldResult y) {
    auto cx = getConstantIntValue(x), cy = getConstantIntValue(y);
    if (cx && cy)
      return b.getIndexAttr(*cx - *cy);
    return b
        .create<arith::SubIOp>(loc, getValueOrCreateConstantIndexOp(b, loc, x),
                               getValueOrCreateConstantIndexOp(b, loc, y))
        .getResult();
  }
};

} // namespace
