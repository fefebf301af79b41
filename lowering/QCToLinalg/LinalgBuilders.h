//===- LinalgBuilders.h - Small builders for qc's linalg lowerings -*- C++ -*-//
//
// Helpers that the lowerings of qc's reference semantics (QCToLinalg.cpp)
// and of its kernel ops (KernelsToLinalg.cpp) share: constants, filled
// tensors, affine maps over loop dimensions, popcounts in an accumulator
// type and bit packing (spatial padding is in
// dialects/QC/Utils/TensorBuilders.h, which qc-lower-macs uses too) along the innermost axis.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_QCTOLINALG_LINALGBUILDERS_H
#define QC_LOWERING_QCTOLINALG_LINALGBUILDERS_H

#include "dialects/QC/Utils/TensorBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir {
namespace qc {
namespace builders {

/// A scalar float constant of `type`.
inline Value constantF(OpBuilder &b, Location loc, Type type, double v) {
  return b.create<arith::ConstantOp>(loc, type, b.getFloatAttr(type, v));
}

/// A scalar integer constant of `type`.
inline Value constantI(OpBuilder &b, Location loc, Type type, int64_t v) {
  return b.create<arith::ConstantOp>(loc, type, b.getIntegerAttr(type, v));
}

/// `numDims`-dimensional affine map with results `exprs`.
inline AffineMap mapOf(MLIRContext *context, unsigned numDims,
                       ArrayRef<AffineExpr> exprs) {
  return AffineMap::get(numDims, /*symbolCount=*/0, exprs, context);
}

/// A tensor of `sizes` filled with `value`.
inline Value filledTensor(OpBuilder &b, Location loc,
                          ArrayRef<OpFoldResult> sizes, Value value) {
  Value empty = b.create<tensor::EmptyOp>(loc, sizes, value.getType());
  return b.create<linalg::FillOp>(loc, ValueRange{value}, ValueRange{empty})
      .getResult(0);
}

/// `value` as `type`, which the verifiers let differ from the computed type
/// only in which extents are static.
inline Value castTo(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return b.create<tensor::CastOp>(loc, type, value);
}

/// popcount(word) in the accumulator type. A count is at most 64, so it
/// fits every accumulator type whichever way the widths differ.
inline Value popcount(OpBuilder &b, Location loc, Value word, IntegerType acc) {
  Value count = b.create<math::CtPopOp>(loc, word);
  unsigned from = word.getType().getIntOrFloatBitWidth();
  if (acc.getWidth() > from)
    return b.create<arith::ExtUIOp>(loc, acc, count);
  if (acc.getWidth() < from)
    return b.create<arith::TruncIOp>(loc, acc, count);
  return count;
}

/// Packs `input` along its innermost axis into words of `wordType`: bit k
/// mod w of word k / w is `bitOf(element k)` (an i1), the innermost axis
/// padded with `padValue` to whole words. With `planes` > 0 the result has
/// a leading dimension of that many planes and `bitOf` also gets the plane
/// index; else the plane argument is null.
Value emitBitPacking(
    OpBuilder &b, Location loc, Value input, IntegerType wordType,
    Value padValue, int64_t planes,
    function_ref<Value(OpBuilder &, Location, Value element, Value plane)>
        bitOf);

} // namespace builders
} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_QCTOLINALG_LINALGBUILDERS_H
