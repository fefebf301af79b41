//===- BitKernelCalls.cpp - Bit kernels rewritten into runtime calls ------===//
//
// The part of convert-qc-to-runtime-calls (RuntimeCallBuilder.h) that serves
// the binary layers: the generics QCToLinalg names as a binary convolution,
// a binary dense layer (run as the convolution of a one-row image), a bit
// packing or a threshold packing become calls of the runtime's xnor,
// bitpack and threshold_pack kernels. A binary layer's output stage (the
// conversion of its sums to float, scaled and shifted, or their
// requantization) goes into its call when nothing else reads the sums.
//
//===----------------------------------------------------------------------===//

#include "lowering/CPU/RuntimeCallBuilder.h"

#include "lowering/QCToLinalg/QCToLinalg.h"
#include "runtime/RuntimeCalls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"

#include <algorithm>
#include <optional>

using namespace mlir;
using namespace mlir::qc;

/// Whether the body of `op` counts mismatching bits (an xor and a
/// popcount): the attribute alone does not make a generic the kernel's.
static bool countsMismatches(linalg::GenericOp op) {
  bool counts = false, xors = false;
  op.getBody()->walk([&](Operation *inner) {
    counts |= isa<math::CtPopOp>(inner);
    xors |= isa<arith::XOrIOp>(inner);
  });
  return counts && xors;
}

/// The runtime call of a binary layer: its sums (i16 or i32) or its fused
/// output stage (dequantizing or requantizing).
static StringRef getXnorCall(bool wide, const IntegerOutputStage *stage) {
  if (!stage)
    return wide ? qc::kXnorConv2DI32Call : qc::kXnorConv2DI16Call;
  if (stage->requantize)
    return wide ? qc::kXnorConv2DI32RequantCall : qc::kXnorConv2DI16RequantCall;
  return wide ? qc::kXnorConv2DI32DequantCall : qc::kXnorConv2DI16DequantCall;
}

/// Whether the fused call can write `out` in place of the sums: the
/// kernel's NHWC output (or a dense layer's plain matrix) with unit channel
/// stride.
static bool isStageOutput(Value out, bool rowImage) {
  auto type = cast<MemRefType>(out.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (rowImage)
    return type.getRank() == 2 && type.getLayout().isIdentity();
  return type.getRank() == 4 &&
         succeeded(getStridesAndOffset(type, strides, offset)) &&
         strides.back() == 1;
}

void RuntimeCallBuilder::replaceWithXnorCall(
    OpBuilder &builder, linalg::GenericOp op, ArrayRef<Value> buffers,
    Value sums, ArrayRef<int64_t> window, bool hasMask, bool rowImage) {
  Location loc = op.getLoc();
  auto sumsType = cast<MemRefType>(sums.getType());
  bool wide = sumsType.getElementType().isInteger(32);
  SmallVector<Value> args;
  for (Value buffer : buffers)
    args.push_back(castToAny(builder, loc, buffer));
  auto asImage = [&](Value value) {
    return rowImage ? viewAsImageRow(builder, loc, value) : value;
  };
  auto appendInt = [&](int64_t v) {
    args.push_back(builder.create<arith::ConstantIntOp>(loc, v, 64));
  };
  // The output stage goes into the call when the sums start at a constant
  // (the kernel starts there instead of at the sums' initial values) and
  // nothing else reads them.
  int64_t init;
  IntegerOutputStage stage;
  Operation *fill = findConstantInit(op, sums, init);
  if (fill &&
      findIntegerOutputStage(op, sums, sumsType.getShape().back(), stage) &&
      isStageOutput(stage.generic.getDpsInits()[0], rowImage)) {
    // At the stage, where its output exists: nothing between the layer and
    // the stage touches memory (findIntegerOutputStage).
    builder.setInsertionPoint(stage.generic);
    args.push_back(
        castToAny(builder, loc, asImage(stage.generic.getDpsInits()[0])));
    for (int64_t v : window)
      appendInt(v);
    appendInt(hasMask);
    appendInt(init);
    appendStageArgs(builder, loc, stage, args);
    replaceWithCall(builder, op, getXnorCall(wide, &stage), args);
    stage.generic->erase();
    fill->erase();
    return;
  }
  args.push_back(castToAny(builder, loc, asImage(sums)));
  for (int64_t v : window)
    appendInt(v);
  appendInt(hasMask);
  replaceWithCall(builder, op, getXnorCall(wide, nullptr), args);
}

LogicalResult RuntimeCallBuilder::rewriteXnorConv(linalg::GenericOp op) {
  auto strides = op->getAttrOfType<DenseI64ArrayAttr>(kXnorConvStridesAttr);
  auto dilations = op->getAttrOfType<DenseI64ArrayAttr>(kXnorConvDilationsAttr);
  unsigned inputs = op.getNumDpsInputs();
  if (!strides || !dilations || strides.size() != 2 || dilations.size() != 2 ||
      (inputs != 2 && inputs != 3) || op.getNumDpsInits() != 1 ||
      !op.hasPureBufferSemantics())
    return failure();
  Value output = op.getDpsInits()[0];
  auto outType = cast<MemRefType>(output.getType());
  Type acc = outType.getElementType();
  bool rank4 = llvm::all_of(op->getOperandTypes(), [](Type type) {
    return cast<MemRefType>(type).getRank() == 4;
  });
  bool words = llvm::all_of(op.getDpsInputs(), [](Value v) {
    return cast<MemRefType>(v.getType()).getElementType().isInteger(32);
  });
  // The kernel keeps one row of sums per pixel: at most 4096 channels
  // (XnorConv.h), known at compile time.
  int64_t channels = outType.getShape().back();
  if (!rank4 || !words || !(acc.isInteger(16) || acc.isInteger(32)) ||
      ShapedType::isDynamic(channels) || channels > 4096)
    return failure();
  // The loops and maps of the conv form (n, oh, ow, kh, kw, word, o), with
  // the window the attributes give, and a body that counts mismatches: the
  // attribute alone does not make a generic the kernel's.
  MLIRContext *context = op.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  AffineMap inputMap =
      AffineMap::get(7, 0,
                     {d(0), d(1) * strides[0] + d(3) * dilations[0],
                      d(2) * strides[1] + d(4) * dilations[1], d(5)},
                     context);
  SmallVector<AffineMap> expected = {
      inputMap, AffineMap::get(7, 0, {d(3), d(4), d(5), d(6)}, context)};
  if (inputs == 3)
    expected.push_back(inputMap);
  expected.push_back(AffineMap::get(7, 0, {d(0), d(1), d(2), d(6)}, context));
  if (op.getIndexingMapsArray() != expected || !countsMismatches(op))
    return failure();
  OpBuilder builder(op);
  Value input = op.getDpsInputs()[0], weights = op.getDpsInputs()[1];
  Value mask = inputs == 3 ? op.getDpsInputs()[2] : input;
  replaceWithXnorCall(builder, op, {input, mask, weights}, output,
                      {strides[0], strides[1], dilations[0], dilations[1]},
                      inputs == 3, /*rowImage=*/false);
  return success();
}

bool RuntimeCallBuilder::isPlainMatrix(Value value) {
  auto type = cast<MemRefType>(value.getType());
  return type.getRank() == 2 && type.getLayout().isIdentity();
}

Value RuntimeCallBuilder::viewAsImageRow(OpBuilder &builder, Location loc,
                                         Value matrix) {
  auto type = cast<MemRefType>(matrix.getType());
  auto image = MemRefType::get({1, 1, type.getDimSize(0), type.getDimSize(1)},
                               type.getElementType());
  SmallVector<OpFoldResult> sizes = {
      builder.getIndexAttr(1), builder.getIndexAttr(1),
      memref::getMixedSize(builder, loc, matrix, 0),
      memref::getMixedSize(builder, loc, matrix, 1)};
  return builder.create<memref::ExpandShapeOp>(
      loc, image, matrix, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}},
      sizes);
}

LogicalResult RuntimeCallBuilder::rewriteXnorDense(linalg::GenericOp op) {
  unsigned inputs = op.getNumDpsInputs();
  if ((inputs != 2 && inputs != 3) || op.getNumDpsInits() != 1 ||
      !op.hasPureBufferSemantics())
    return failure();
  Value output = op.getDpsInits()[0];
  auto outType = cast<MemRefType>(output.getType());
  Type acc = outType.getElementType();
  bool words = llvm::all_of(op.getDpsInputs(), [](Value v) {
    return cast<MemRefType>(v.getType()).getElementType().isInteger(32);
  });
  int64_t channels = outType.getShape().back();
  Value input = op.getDpsInputs()[0];
  Value mask = inputs == 3 ? op.getDpsInputs()[2] : input;
  if (!words || !(acc.isInteger(16) || acc.isInteger(32)) ||
      ShapedType::isDynamic(channels) || channels > 4096 ||
      !isPlainMatrix(input) || !isPlainMatrix(mask) || !isPlainMatrix(output))
    return failure();
  // Loops (n, o, word) of the dense form and a body that counts mismatches.
  MLIRContext *context = op.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  AffineMap inputMap = AffineMap::get(3, 0, {d(0), d(2)}, context);
  SmallVector<AffineMap> expected = {
      inputMap, AffineMap::get(3, 0, {d(1), d(2)}, context)};
  if (inputs == 3)
    expected.push_back(inputMap);
  expected.push_back(AffineMap::get(3, 0, {d(0), d(1)}, context));
  if (op.getIndexingMapsArray() != expected || !countsMismatches(op))
    return failure();
  // Constant weights [O][words], stored for the kernel as the 1 x 1 filter
  // [1][1][words][O].
  memref::GlobalOp original;
  DenseElementsAttr weights = getConstantGlobal(op.getDpsInputs()[1], original);
  if (!weights || !weights.getElementType().isInteger(32) ||
      weights.getType().getRank() != 2 ||
      weights.getType().getDimSize(0) != channels)
    return failure();
  OpBuilder builder(op);
  Location loc = op.getLoc();
  int64_t wordCount = weights.getType().getDimSize(1);
  Value packed = getWeightForm(builder, loc, original, WeightForm::Packed, [&] {
    SmallVector<APInt> source(weights.getValues<APInt>());
    SmallVector<APInt> transposed;
    transposed.reserve(source.size());
    for (int64_t word = 0; word < wordCount; ++word)
      for (int64_t o = 0; o < channels; ++o)
        transposed.push_back(source[o * wordCount + word]);
    return DenseElementsAttr::get(
        RankedTensorType::get({1, 1, wordCount, channels},
                              weights.getElementType()),
        transposed);
  });
  Value inputImage = viewAsImageRow(builder, loc, input);
  Value maskImage =
      inputs == 3 ? viewAsImageRow(builder, loc, mask) : inputImage;
  replaceWithXnorCall(builder, op, {inputImage, maskImage, packed}, output,
                      {1, 1, 1, 1}, inputs == 3, /*rowImage=*/true);
  return success();
}

/// `value`, a contiguous memref of identity layout, collapsed to one
/// dimension; null when it is not.
static Value collapseToVector(OpBuilder &builder, Location loc, Value value) {
  auto type = cast<MemRefType>(value.getType());
  if (!type.getLayout().isIdentity())
    return {};
  ReassociationIndices all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  return builder.create<memref::CollapseShapeOp>(
      loc, value, ArrayRef<ReassociationIndices>{all});
}

LogicalResult RuntimeCallBuilder::rewriteBitPack(linalg::GenericOp op) {
  auto kind = op->getAttrOfType<StringAttr>(kBitPackKernelAttr);
  if (!kind || op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      !op.hasPureBufferSemantics())
    return failure();
  Value values = op.getDpsInputs()[0], words = op.getDpsInits()[0];
  auto valuesType = cast<MemRefType>(values.getType());
  auto wordsType = cast<MemRefType>(words.getType());
  if (!valuesType.getElementType().isF32() ||
      !wordsType.getElementType().isInteger(32) ||
      valuesType.getRank() != wordsType.getRank() + 1 ||
      valuesType.getShape().back() != 32 ||
      !valuesType.getLayout().isIdentity() ||
      !wordsType.getLayout().isIdentity())
    return failure();
  // Values read in order, words written along all loops but the bit, and
  // the compare the kind names (ordered: NaN gives 0).
  int64_t rank = valuesType.getRank();
  MLIRContext *context = op.getContext();
  SmallVector<AffineExpr> outer;
  for (int64_t i = 0; i + 1 < rank; ++i)
    outer.push_back(getAffineDimExpr(i, context));
  SmallVector<AffineMap> expected = {
      AffineMap::getMultiDimIdentityMap(rank, context),
      AffineMap::get(rank, 0, outer, context)};
  auto predicate = kind.getValue() == "nonzero" ? arith::CmpFPredicate::ONE
                                                : arith::CmpFPredicate::OLT;
  bool compares = false;
  op.getBody()->walk(
      [&](arith::CmpFOp cmp) { compares |= cmp.getPredicate() == predicate; });
  if ((kind.getValue() != "sign" && kind.getValue() != "nonzero") ||
      op.getIndexingMapsArray() != expected || !compares)
    return failure();
  OpBuilder builder(op);
  Location loc = op.getLoc();
  SmallVector<Value> args = {
      castToAny(builder, loc, collapseToVector(builder, loc, values)),
      castToAny(builder, loc, collapseToVector(builder, loc, words)),
      builder.create<arith::ConstantIntOp>(loc, kind.getValue() == "nonzero",
                                           64)};
  replaceWithCall(builder, op, qc::kBitPackF32Call, args);
  return success();
}

LogicalResult RuntimeCallBuilder::rewriteThresholdPack(linalg::GenericOp op) {
  auto kind = op->getAttrOfType<StringAttr>(kThresholdPackKernelAttr);
  if (!kind || (kind.getValue() != "sign" && kind.getValue() != "nonzero") ||
      op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      !op.hasPureBufferSemantics())
    return failure();
  Value sums = op.getDpsInputs()[0], words = op.getDpsInits()[0];
  auto sumsType = cast<MemRefType>(sums.getType());
  auto wordsType = cast<MemRefType>(words.getType());
  Type sum = sumsType.getElementType();
  if (!(sum.isInteger(16) || sum.isInteger(32)) ||
      !wordsType.getElementType().isInteger(32) || sumsType.getRank() != 5 ||
      wordsType.getRank() != 4 || sumsType.getShape().back() != 32 ||
      ShapedType::isDynamic(sumsType.getDimSize(3)))
    return failure();
  // Sums read in order, words written along all loops but the bit's.
  MLIRContext *context = op.getContext();
  SmallVector<AffineExpr> outer;
  for (unsigned i = 0; i < 4; ++i)
    outer.push_back(getAffineDimExpr(i, context));
  SmallVector<AffineMap> expected = {
      AffineMap::getMultiDimIdentityMap(5, context),
      AffineMap::get(5, 0, outer, context)};
  if (op.getIndexingMapsArray() != expected)
    return failure();
  // The body compares with a constant table [rows][T] and masks off the
  // channels past a constant count.
  Value tableRead;
  std::optional<int64_t> channels;
  bool compares = false;
  op.getBody()->walk([&](Operation *inner) {
    if (auto load = dyn_cast<memref::LoadOp>(inner))
      tableRead = load.getMemRef();
    if (auto cmp = dyn_cast<arith::CmpIOp>(inner)) {
      compares |= cmp.getPredicate() == arith::CmpIPredicate::sge;
      IntegerAttr bound;
      if (cmp.getPredicate() == arith::CmpIPredicate::ult &&
          matchPattern(cmp.getRhs(), m_Constant(&bound)))
        channels = bound.getInt();
    }
  });
  memref::GlobalOp original;
  DenseElementsAttr table =
      tableRead ? getConstantGlobal(tableRead, original) : DenseElementsAttr();
  if (!table || !compares || !channels ||
      !table.getElementType().isInteger(32) || table.getType().getRank() != 2)
    return failure();
  int64_t rows = table.getType().getDimSize(0);
  int64_t count = table.getType().getDimSize(1);
  int64_t padded = 32 * sumsType.getDimSize(3);
  if ((rows != 1 && rows != *channels) || (count != 1 && count != 2) ||
      *channels > padded || *channels <= padded - 32)
    return failure();
  OpBuilder builder(op);
  Location loc = op.getLoc();
  // Each channel's lowest and highest threshold: the level is 0 below the
  // lowest and T at or above the highest, whatever the row's order.
  Value bounds =
      getWeightForm(builder, loc, original, WeightForm::Thresholds, [&] {
        SmallVector<int32_t> t;
        for (const APInt &v : table.getValues<APInt>())
          t.push_back(static_cast<int32_t>(v.getSExtValue()));
        SmallVector<int32_t> lohi(2 * padded);
        for (int64_t c = 0; c < padded; ++c) {
          const int32_t *row = t.data() + (rows == 1 ? 0 : c) * count;
          bool valid = c < *channels;
          int32_t last = row[count - 1];
          lohi[c] = valid ? std::min(row[0], last) : INT32_MIN;
          lohi[padded + c] =
              valid && count == 2 ? std::max(row[0], last) : INT32_MAX;
        }
        return DenseElementsAttr::get(
            RankedTensorType::get({2, padded}, builder.getI32Type()),
            ArrayRef<int32_t>(lohi));
      });
  SmallVector<Value> args = {castToAny(builder, loc, sums),
                             castToAny(builder, loc, bounds),
                             castToAny(builder, loc, words),
                             builder.create<arith::ConstantIntOp>(
                                 loc, kind.getValue() == "nonzero", 64)};
  replaceWithCall(builder, op,
                  sum.isInteger(16) ? qc::kThresholdPackI16Call
                                    : qc::kThresholdPackI32Call,
                  args);
  return success();
}
