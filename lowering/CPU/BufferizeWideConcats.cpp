//===- BufferizeWideConcats.cpp - Concats of many inputs, bufferized ------===//
//
// Implements qc-bufferize-wide-concats, which keeps bufferization's compile
// time linear in the number of concat inputs (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCBUFFERIZEWIDECONCATS
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;

namespace {

/// The size of dimension `dim` of `value` as an OpFoldResult.
OpFoldResult getDimSize(OpBuilder &builder, Location loc, Value value,
                        int64_t dim) {
  auto type = cast<RankedTensorType>(value.getType());
  if (!type.isDynamicDim(dim))
    return builder.getIndexAttr(type.getDimSize(dim));
  return builder.create<tensor::DimOp>(loc, value, dim).getResult();
}

void bufferizeConcat(tosa::ConcatOp op) {
  OpBuilder builder(op);
  Location loc = op.getLoc();
  auto resultType = cast<RankedTensorType>(op.getType());
  int64_t rank = resultType.getRank();
  int64_t axis = op.getAxis();
  auto memrefType =
      MemRefType::get(resultType.getShape(), resultType.getElementType());

  // Dynamic result sizes are those of the first input, except along the
  // axis, where they are the sum of the inputs' sizes.
  AffineExpr d0, d1;
  bindDims(builder.getContext(), d0, d1);
  auto add = AffineMap::get(2, 0, d0 + d1);
  SmallVector<Value> dynamicSizes;
  for (int64_t dim = 0; dim < rank; ++dim) {
    if (!resultType.isDynamicDim(dim))
      continue;
    OpFoldResult size = getDimSize(builder, loc, op.getInput1()[0], dim);
    if (dim == axis)
      for (Value input : op.getInput1().drop_front())
        size = affine::makeComposedFoldedAffineApply(
            builder, loc, add, {size, getDimSize(builder, loc, input, dim)});
    dynamicSizes.push_back(getValueOrCreateConstantIndexOp(builder, loc, size));
  }
  Value buffer =
      builder.create<memref::AllocOp>(loc, memrefType, dynamicSizes);

  OpFoldResult offset = builder.getIndexAttr(0);
  SmallVector<OpFoldResult> strides(rank, builder.getIndexAttr(1));
  for (Value input : op.getInput1()) {
    SmallVector<OpFoldResult> offsets(rank, builder.getIndexAttr(0));
    offsets[axis] = offset;
    SmallVector<OpFoldResult> sizes;
    for (int64_t dim = 0; dim < rank; ++dim)
      sizes.push_back(getDimSize(builder, loc, input, dim));
    // materialize_in_destination reads the tensor where it stands and has a
    // write effect, so no pass moves or merges it. (A to_memref followed by
    // a copy does not work: CSE merges the to_memref ops of two concats that
    // read one tensor, and bufferization then lets a later op reuse that
    // tensor's buffer before the second copy reads it.)
    Value target = builder.create<memref::SubViewOp>(loc, buffer, offsets,
                                                     sizes, strides);
    auto store = builder.create<bufferization::MaterializeInDestinationOp>(
        loc, TypeRange(), input, target);
    store.setRestrict(true);
    store.setWritable(true);
    offset = affine::makeComposedFoldedAffineApply(builder, loc, add,
                                                   {offset, sizes[axis]});
  }
  Value result = builder.create<bufferization::ToTensorOp>(
      loc, resultType, buffer, /*restrict=*/true, /*writable=*/true);
  op.replaceAllUsesWith(result);
  op.erase();
}

struct QCBufferizeWideConcatsPass
    : public qc::impl::QCBufferizeWideConcatsBase<QCBufferizeWideConcatsPass> {
  using QCBufferizeWideConcatsBase::QCBufferizeWideConcatsBase;

  void runOnOperation() override {
    SmallVector<tosa::ConcatOp> wide;
    getOperation().walk([&](tosa::ConcatOp op) {
      if (static_cast<int64_t>(op.getInput1().size()) > maxInputs)
        wide.push_back(op);
    });
    for (tosa::ConcatOp op : wide)
      bufferizeConcat(op);
  }
};

} // namespace
