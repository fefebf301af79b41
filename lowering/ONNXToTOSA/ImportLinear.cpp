//===- ImportLinear.cpp - Gemm and MatMul ---------------------------------===//
//
// Imports ONNX's matrix products. Gemm becomes tosa.fully_connected, its
// transposes and alpha/beta scaling folded into constant operands and a
// length-N C taken as the bias. MatMul against a constant 2-D right operand
// is a dense layer too (tosa.fully_connected, the weight transposed at
// import, batch dimensions folded into rows); any other MatMul becomes
// tosa.matmul, with batch dimensions flattened and broadcast batches tiled.
//
//===----------------------------------------------------------------------===//

#include "lowering/ONNXToTOSA/GraphImporter.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::qc::onnx_import;
//===----------------------------------------------------------------------===//
// Gemm and MatMul
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importGemm() {
  FailureOr<Value> a = getInput(0);
  FailureOr<Value> b = getInput(1);
  if (failed(a) || failed(b) ||
      failed(requireFloatTensor(*a, "input A", {2})) ||
      failed(requireFloatTensor(*b, "input B", {2})))
    return failure();
  float alpha = getFloatAttr("alpha", 1.0f);
  float beta = getFloatAttr("beta", 1.0f);
  bool transA = getIntAttr("transA", 0) != 0;
  bool transB = getIntAttr("transB", 0) != 0;
  if (getOpset() < 7 && findAttr("broadcast")) {
    emitNodeError() << "the opset < 7 'broadcast' attribute is not supported";
    return failure();
  }
  Type elementType = cast<RankedTensorType>(a->getType()).getElementType();

  Value lhs = transA ? createTranspose(*a, {1, 0}) : *a;
  // fully_connected wants the weights as N x K: ONNX's transB layout.
  Value rhs = transB ? *b : createTranspose(*b, {1, 0});
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  int64_t m = lhsType.getDimSize(0), k = lhsType.getDimSize(1);
  int64_t n = rhsType.getDimSize(0);
  if (!ShapedType::isDynamic(k) &&
      !ShapedType::isDynamic(rhsType.getDimSize(1)) &&
      k != rhsType.getDimSize(1)) {
    emitNodeError() << "inner dimensions of A "
                    << formatShape(lhsType.getShape()) << " and B^T "
                    << formatShape(rhsType.getShape()) << " differ";
    return failure();
  }
  if (ShapedType::isDynamic(n)) {
    emitNodeError() << "the output width N must be static";
    return failure();
  }
  // A K that depends on the batch (a Flatten over it, transA) fixes it.
  if (ShapedType::isDynamic(k) &&
      !ShapedType::isDynamic(rhsType.getDimSize(1)) &&
      failed(requireExtent(lhs, 1, rhsType.getDimSize(1),
                           "the inner dimension K of A")))
    return failure();
  // alpha scales B (folded when B is constant).
  if (alpha != 1.0f)
    rhs = createMul(rhs, createSplat(elementType, alpha, 2));

  // C broadcasts to M x N: a length-N row becomes the bias, anything else is
  // added after the product.
  Value bias, addend;
  if (hasInput(2) && beta != 0.0f) {
    FailureOr<Value> c = getInput(2);
    if (failed(c) || failed(requireFloatTensor(*c, "input C")))
      return failure();
    Value cv = *c;
    auto cType = cast<RankedTensorType>(cv.getType());
    if (cType.getRank() > 2) {
      emitNodeError() << "input C must have rank <= 2, got " << cType;
      return failure();
    }
    if (beta != 1.0f)
      cv = createMul(cv, createSplat(elementType, beta, cType.getRank()));
    bool isRow = cType.getNumElements() == n && cType.hasStaticShape() &&
                 (cType.getRank() < 2 || cType.getDimSize(0) == 1);
    if (isRow && n > 0)
      bias = createReshape(cv, {n});
    else if (cType.getRank() == 0 || cType.getNumElements() == 1)
      bias = createMul(createConstant(DenseElementsAttr::get(
                           RankedTensorType::get({n}, elementType),
                           builder.getFloatAttr(elementType, 1.0))),
                       createReshape(cv, {1}));
    else
      addend = cv;
  }
  if (!bias)
    bias = createConstant(
        DenseElementsAttr::get(RankedTensorType::get({n}, elementType),
                               builder.getFloatAttr(elementType, 0.0)));
  auto outType = RankedTensorType::get({m, n}, elementType);
  Value result =
      builder.create<tosa::FullyConnectedOp>(loc, outType, lhs, rhs, bias);
  if (addend) {
    Value l = result, r = addend;
    FailureOr<RankedTensorType> type = prepareBroadcast(l, r, elementType);
    if (failed(type))
      return failure();
    result = builder.create<tosa::AddOp>(loc, *type, l, r);
  }
  setOutput(0, result);
  return success();
}

LogicalResult GraphImporter::importMatMul() {
  FailureOr<Value> a = getInput(0);
  FailureOr<Value> b = getInput(1);
  if (failed(a) || failed(b) || failed(requireFloatTensor(*a, "input A")) ||
      failed(requireFloatTensor(*b, "input B")))
    return failure();
  auto aType = cast<RankedTensorType>(a->getType());
  auto bType = cast<RankedTensorType>(b->getType());
  Type elementType = aType.getElementType();
  if (aType.getRank() == 0 || bType.getRank() == 0) {
    emitNodeError() << "operands must have rank >= 1";
    return failure();
  }
  // numpy: a 1-D left operand is a row, a 1-D right operand a column; the
  // added unit axis is dropped from the result.
  SmallVector<int64_t> aShape(aType.getShape()), bShape(bType.getShape());
  bool dropRow = aShape.size() == 1, dropCol = bShape.size() == 1;
  if (dropRow)
    aShape.insert(aShape.begin(), 1);
  if (dropCol)
    bShape.push_back(1);
  int64_t m = aShape[aShape.size() - 2], k = aShape.back();
  int64_t kb = bShape[bShape.size() - 2], n = bShape.back();
  if (!ShapedType::isDynamic(k) && !ShapedType::isDynamic(kb) && k != kb) {
    emitNodeError() << "inner dimensions of " << formatShape(aType.getShape())
                    << " and " << formatShape(bType.getShape()) << " differ";
    return failure();
  }
  if (ShapedType::isDynamic(k) && !ShapedType::isDynamic(kb) &&
      aType.getRank() >= 2 &&
      failed(requireExtent(*a, aType.getRank() - 1, kb,
                           "the inner dimension of A")))
    return failure();
  ArrayRef<int64_t> aBatch = ArrayRef<int64_t>(aShape).drop_back(2);
  ArrayRef<int64_t> bBatch = ArrayRef<int64_t>(bShape).drop_back(2);
  FailureOr<SmallVector<int64_t>> batch = broadcastShapes(aBatch, bBatch);
  if (failed(batch))
    return failure();
  auto product = [](ArrayRef<int64_t> dims) {
    int64_t p = 1;
    for (int64_t d : dims) {
      if (ShapedType::isDynamic(d))
        return ShapedType::kDynamic;
      p *= d;
    }
    return p;
  };

  // A constant 2-D right operand is a dense layer's weight (what PyTorch
  // exports for nn.Linear without bias: x @ W^T with W^T stored): the rows
  // of A, batch dimensions included, go through tosa.fully_connected
  // against W^T transposed to N x K at import, with a zero bias, so that
  // qc-quantize and qc-lower-macs treat it as the layer it is.
  int64_t dynamicInA = llvm::count_if(aShape, ShapedType::isDynamic);
  if (bType.getRank() == 2 && getConstValue(*b) && dynamicInA <= 1 &&
      !ShapedType::isDynamic(kb) && !ShapedType::isDynamic(n)) {
    int64_t rows = product(ArrayRef<int64_t>(aShape).drop_back());
    Value lhs = createReshape(*a, {rows, kb});
    Value weight = createTranspose(*b, {1, 0});
    Value bias = createConstant(
        DenseElementsAttr::get(RankedTensorType::get({n}, elementType),
                               builder.getFloatAttr(elementType, 0.0)));
    Value dense = builder.create<tosa::FullyConnectedOp>(
        loc, RankedTensorType::get({rows, n}, elementType), lhs, weight, bias);
    SmallVector<int64_t> outShape(aShape.begin(), aShape.end() - 1);
    if (dropRow)
      outShape.pop_back();
    outShape.push_back(n);
    setOutput(0, createReshape(dense, outShape));
    return success();
  }

  Value lhs = createReshape(*a, aShape);
  Value rhs = createReshape(*b, bShape);
  Value result3;
  int64_t batchSize = product(*batch);
  if (product(bBatch) == 1) {
    // A shared right operand: fold A's batch into its rows.
    int64_t rows = ShapedType::isDynamic(batchSize) || ShapedType::isDynamic(m)
                       ? ShapedType::kDynamic
                       : batchSize * m;
    lhs = createReshape(lhs, {1, rows, k});
    rhs = createReshape(rhs, {1, kb, n});
    result3 = builder.create<tosa::MatMulOp>(
        loc, RankedTensorType::get({1, rows, n}, elementType), lhs, rhs);
  } else {
    // Tile each operand to the common batch shape, then flatten it.
    auto tileTo = [&](Value v, ArrayRef<int64_t> vBatch) -> FailureOr<Value> {
      SmallVector<int64_t> full(batch->size() - vBatch.size(), 1);
      llvm::append_range(full, vBatch);
      auto vType = cast<RankedTensorType>(v.getType());
      SmallVector<int64_t> shape(full);
      shape.push_back(vType.getDimSize(vType.getRank() - 2));
      shape.push_back(vType.getDimSize(vType.getRank() - 1));
      v = createReshape(v, shape);
      SmallVector<int64_t> multiples, tiled;
      bool needsTile = false;
      for (auto [have, want] : llvm::zip(full, *batch)) {
        if (have == want || (ShapedType::isDynamic(want) && have != 1)) {
          multiples.push_back(1);
          tiled.push_back(have);
        } else if (have == 1 && !ShapedType::isDynamic(want)) {
          multiples.push_back(want);
          tiled.push_back(want);
          needsTile = true;
        } else {
          emitNodeError() << "cannot broadcast batch dimensions with dynamic "
                             "extents";
          return failure();
        }
      }
      if (needsTile) {
        multiples.push_back(1);
        multiples.push_back(1);
        tiled.push_back(shape[shape.size() - 2]);
        tiled.push_back(shape.back());
        v = builder.create<tosa::TileOp>(
            loc, RankedTensorType::get(tiled, elementType), v,
            builder.getDenseI64ArrayAttr(multiples));
      }
      return v;
    };
    FailureOr<Value> lt = tileTo(lhs, aBatch);
    FailureOr<Value> rt = tileTo(rhs, bBatch);
    if (failed(lt) || failed(rt))
      return failure();
    lhs = createReshape(*lt, {batchSize, m, k});
    rhs = createReshape(*rt, {batchSize, kb, n});
    result3 = builder.create<tosa::MatMulOp>(
        loc, RankedTensorType::get({batchSize, m, n}, elementType), lhs, rhs);
  }
  SmallVector<int64_t> outShape(*batch);
  if (!dropRow)
    outShape.push_back(m);
  if (!dropCol)
    outShape.push_back(n);
  setOutput(0, createReshape(result3, outShape));
  return success();
}

