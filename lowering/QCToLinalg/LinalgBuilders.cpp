//===- LinalgBuilders.cpp - Small builders for qc's linalg lowerings ------===//
//
// The bit packing shared by qc.bitpack (sign bits) and qc.bitplane_pack
// (bit-planes of integer codes).
//
//===----------------------------------------------------------------------===//

#include "lowering/QCToLinalg/LinalgBuilders.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;

Value mlir::qc::builders::emitBitPacking(
    OpBuilder &b, Location loc, Value input, IntegerType wordType,
    Value padValue, int64_t planes,
    function_ref<Value(OpBuilder &, Location, Value, Value)> bitOf) {
  auto inputType = cast<RankedTensorType>(input.getType());
  Type element = inputType.getElementType();
  int64_t wordBits = wordType.getWidth();
  int64_t rank = inputType.getRank();
  int64_t inner = inputType.getDimSize(rank - 1);

  // Words along the innermost axis, and the padding that fills the last.
  OpFoldResult words, tail;
  if (ShapedType::isDynamic(inner)) {
    Value depth = b.create<tensor::DimOp>(loc, input, rank - 1);
    Value bits = b.create<arith::ConstantIndexOp>(loc, wordBits);
    Value count = b.create<arith::CeilDivUIOp>(loc, depth, bits);
    words = count;
    tail = b.create<arith::SubIOp>(
                loc, b.create<arith::MulIOp>(loc, count, bits), depth)
               .getResult();
  } else {
    int64_t count = llvm::divideCeil(inner, wordBits);
    words = b.getIndexAttr(count);
    tail = b.getIndexAttr(count * wordBits - inner);
  }
  if (!isConstantIntValue(tail, 0)) {
    SmallVector<OpFoldResult> low(rank, b.getIndexAttr(0));
    SmallVector<OpFoldResult> high = low;
    high.back() = tail;
    input = b.create<tensor::PadOp>(loc, /*resultType=*/Type(), input, low,
                                    high, padValue);
  }

  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d + 1 < rank; ++d)
    sizes.push_back(tensor::getMixedSize(b, loc, input, d));
  sizes.push_back(words);
  unsigned leading = planes > 0 ? 1 : 0;
  SmallVector<OpFoldResult> resultSizes = sizes;
  if (leading)
    resultSizes.insert(resultSizes.begin(), b.getIndexAttr(planes));
  Value init =
      filledTensor(b, loc, resultSizes, constantI(b, loc, wordType, 0));

  // (outer..., word * wordbits + bit) -> (outer..., word, bit), so that the
  // bit loop has an extent of its own.
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t d = 0; d + 1 < rank; ++d)
    reassociation.push_back({d});
  reassociation.push_back({rank - 1, rank});
  SmallVector<OpFoldResult> splitSizes = sizes;
  splitSizes.push_back(b.getIndexAttr(wordBits));
  SmallVector<int64_t> splitShape;
  SmallVector<Value> unusedDynamic;
  dispatchIndexOpFoldResults(splitSizes, unusedDynamic, splitShape);
  input = b.create<tensor::ExpandShapeOp>(
      loc, RankedTensorType::get(splitShape, element), input, reassociation,
      splitSizes);

  // Loops ([plane,] outer..., word, bit); the bit loop reduces into the
  // word.
  unsigned numLoops = rank + 1 + leading;
  MLIRContext *context = b.getContext();
  SmallVector<AffineExpr> inputExprs, outputExprs;
  for (unsigned d = leading; d < numLoops; ++d)
    inputExprs.push_back(getAffineDimExpr(d, context));
  for (unsigned d = 0; d + 1 < numLoops; ++d)
    outputExprs.push_back(getAffineDimExpr(d, context));
  SmallVector<utils::IteratorType> iterators(numLoops - 1,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{init.getType()}, ValueRange{input}, ValueRange{init},
      ArrayRef<AffineMap>{mapOf(context, numLoops, inputExprs),
                          mapOf(context, numLoops, outputExprs)},
      iterators, [&](OpBuilder &nb, Location l, ValueRange args) {
        Value plane =
            leading ? nb.create<linalg::IndexOp>(l, 0).getResult() : Value();
        Value bit = nb.create<arith::ExtUIOp>(l, wordType,
                                              bitOf(nb, l, args[0], plane));
        Value position = nb.create<arith::IndexCastUIOp>(
            l, wordType, nb.create<linalg::IndexOp>(l, numLoops - 1));
        Value shifted = nb.create<arith::ShLIOp>(l, bit, position);
        nb.create<linalg::YieldOp>(
            l, ValueRange{nb.create<arith::OrIOp>(l, args[1], shifted)});
      });
  return generic.getResult(0);
}
