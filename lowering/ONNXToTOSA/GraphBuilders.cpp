//===- GraphBuilders.cpp - IR building blocks of the importer -----------===//
//
// The helpers every op group builds with: constants and splats, reshapes,
// transposes, slices, clamps, multiplies and broadcasting. Where an operand
// is a constant these fold at import time (a transposed or reshaped
// initializer stays one constant), so quantized weights remain visible to
// qc-quantize.
//
//===----------------------------------------------------------------------===//

#include "lowering/ONNXToTOSA/GraphImporter.h"
#include "lowering/ONNXToTOSA/ONNXImporter.h"

#include "dialects/QC/QCDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/QuantOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/SourceMgr.h"

#include <climits>
#include <cstring>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::onnx_import;

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

Value GraphImporter::createConstant(DenseElementsAttr value) {
  return builder.create<tosa::ConstOp>(loc, value.getType(), value);
}

Value GraphImporter::createSplat(Type elementType, double value, int64_t rank) {
  auto type = RankedTensorType::get(SmallVector<int64_t>(rank, 1), elementType);
  Attribute element;
  if (isa<FloatType>(elementType))
    element = builder.getFloatAttr(elementType, value);
  else
    element = builder.getIntegerAttr(elementType, static_cast<int64_t>(value));
  return createConstant(DenseElementsAttr::get(type, element));
}

DenseElementsAttr onnx_import::getConstValue(Value value) {
  if (auto constOp = value.getDefiningOp<tosa::ConstOp>())
    return dyn_cast<DenseElementsAttr>(constOp.getValue());
  return {};
}

void onnx_import::dropIfUnused(Value value) {
  if (Operation *op = value.getDefiningOp())
    if (op->use_empty())
      op->erase();
}

Value GraphImporter::createReshape(Value input, ArrayRef<int64_t> shape) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto resultType = RankedTensorType::get(shape, inputType.getElementType());
  if (inputType == resultType)
    return input;
  if (DenseElementsAttr value = getConstValue(input)) {
    if (resultType.hasStaticShape()) {
      Value folded = createConstant(value.reshape(resultType));
      dropIfUnused(input);
      return folded;
    }
  }
  SmallVector<int64_t> newShape;
  for (int64_t dim : shape)
    newShape.push_back(ShapedType::isDynamic(dim) ? -1 : dim);
  return builder.create<tosa::ReshapeOp>(
      loc, resultType, input, builder.getDenseI64ArrayAttr(newShape));
}

/// Transposes the raw bytes of a dense constant whose elements are whole
/// bytes wide; null for splats' callers to handle and for i1.
static DenseElementsAttr transposeConstant(DenseElementsAttr value,
                                           ArrayRef<int64_t> perm,
                                           RankedTensorType resultType) {
  if (value.isSplat())
    return value.resizeSplat(resultType);
  unsigned bitWidth = value.getElementType().getIntOrFloatBitWidth();
  if (bitWidth % 8 != 0)
    return {};
  size_t byteWidth = bitWidth / 8;
  ArrayRef<int64_t> inShape = value.getType().getShape();
  int64_t rank = inShape.size();
  SmallVector<int64_t> inStrides(rank, 1);
  for (int64_t i = rank - 2; i >= 0; --i)
    inStrides[i] = inStrides[i + 1] * inShape[i + 1];
  ArrayRef<char> in = value.getRawData();
  std::vector<char> out(in.size());
  int64_t count = value.getNumElements();
  SmallVector<int64_t> index(rank, 0); // index into the result
  ArrayRef<int64_t> outShape = resultType.getShape();
  for (int64_t linear = 0; linear < count; ++linear) {
    int64_t source = 0;
    for (int64_t d = 0; d < rank; ++d)
      source += index[d] * inStrides[perm[d]];
    std::memcpy(out.data() + linear * byteWidth, in.data() + source * byteWidth,
                byteWidth);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < outShape[d])
        break;
      index[d] = 0;
    }
  }
  return DenseElementsAttr::getFromRawBuffer(resultType, out);
}

Value GraphImporter::createTranspose(Value input, ArrayRef<int64_t> perm) {
  auto inputType = cast<RankedTensorType>(input.getType());
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return input;
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(inputType.getDimSize(p));
  auto resultType = RankedTensorType::get(shape, inputType.getElementType());
  if (DenseElementsAttr value = getConstValue(input)) {
    if (DenseElementsAttr folded = transposeConstant(value, perm, resultType)) {
      Value result = createConstant(folded);
      dropIfUnused(input);
      return result;
    }
  }
  SmallVector<int32_t> perms(perm.begin(), perm.end());
  auto permsType = RankedTensorType::get({static_cast<int64_t>(perm.size())},
                                         builder.getI32Type());
  Value permsValue = createConstant(
      DenseElementsAttr::get(permsType, ArrayRef<int32_t>(perms)));
  return builder.create<tosa::TransposeOp>(loc, resultType, input, permsValue);
}

Value GraphImporter::expandRank(Value input, int64_t rank) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getRank() >= rank)
    return input;
  SmallVector<int64_t> shape(rank - type.getRank(), 1);
  llvm::append_range(shape, type.getShape());
  return createReshape(input, shape);
}

Value GraphImporter::createSlice(Value input, int64_t axis, int64_t start,
                                 int64_t size) {
  auto type = cast<RankedTensorType>(input.getType());
  // Slices of constants along the outermost axis (per-group weights and
  // biases) are contiguous and fold.
  if (DenseElementsAttr value = getConstValue(input)) {
    unsigned bitWidth = value.getElementType().getIntOrFloatBitWidth();
    if (axis == 0 && bitWidth % 8 == 0 && type.hasStaticShape()) {
      SmallVector<int64_t> shape(type.getShape());
      shape[0] = size;
      auto resultType = RankedTensorType::get(shape, type.getElementType());
      DenseElementsAttr folded;
      if (value.isSplat()) {
        folded = value.resizeSplat(resultType);
      } else {
        int64_t rowBytes =
            type.getNumElements() / type.getDimSize(0) * (bitWidth / 8);
        ArrayRef<char> raw = value.getRawData();
        folded = DenseElementsAttr::getFromRawBuffer(
            resultType, raw.slice(start * rowBytes, size * rowBytes));
      }
      return createConstant(folded);
    }
  }
  SmallVector<int64_t> starts(type.getRank(), 0);
  SmallVector<int64_t> sizes(type.getShape());
  for (int64_t &dim : sizes)
    if (ShapedType::isDynamic(dim))
      dim = -1;
  starts[axis] = start;
  sizes[axis] = size;
  SmallVector<int64_t> resultShape(type.getShape());
  resultShape[axis] = size;
  return builder.create<tosa::SliceOp>(
      loc, RankedTensorType::get(resultShape, type.getElementType()), input,
      builder.getDenseI64ArrayAttr(starts),
      builder.getDenseI64ArrayAttr(sizes));
}

Value GraphImporter::createClamp(Value input, float lo, float hi) {
  auto clampInt = [](float v) -> int64_t {
    if (v <= static_cast<float>(INT64_MIN))
      return INT64_MIN;
    if (v >= static_cast<float>(INT64_MAX))
      return INT64_MAX;
    return static_cast<int64_t>(v);
  };
  return builder.create<tosa::ClampOp>(
      loc, input.getType(), input, builder.getI64IntegerAttr(clampInt(lo)),
      builder.getI64IntegerAttr(clampInt(hi)), builder.getF32FloatAttr(lo),
      builder.getF32FloatAttr(hi));
}

Value GraphImporter::createMul(Value lhs, Value rhs) {
  // A constant times a scalar constant (Gemm alpha/beta, folded BN) folds.
  DenseElementsAttr lhsValue = getConstValue(lhs);
  DenseElementsAttr rhsValue = getConstValue(rhs);
  if (lhsValue && rhsValue && rhsValue.getNumElements() == 1 &&
      lhsValue.getElementType().isF32() && rhsValue.getElementType().isF32() &&
      lhsValue.getType().getRank() >= rhsValue.getType().getRank()) {
    float factor = rhsValue.getSplatValue<float>();
    SmallVector<float> product;
    for (float v : lhsValue.getValues<float>())
      product.push_back(v * factor);
    Value folded = createConstant(
        DenseElementsAttr::get(lhsValue.getType(), ArrayRef<float>(product)));
    dropIfUnused(lhs);
    dropIfUnused(rhs);
    return folded;
  }
  Value a = lhs, b = rhs;
  FailureOr<RankedTensorType> type =
      prepareBroadcast(a, b, cast<ShapedType>(lhs.getType()).getElementType());
  if (failed(type))
    return {};
  // x * 0: MLIR 19's tosa.mul folder replaces the product by a zero constant
  // of the result type, which is invalid when that type has a dynamic batch
  // and wrong for an infinite or NaN x. x - x is the same value (NaN for
  // non-finite x, zero otherwise) and no folder touches it; adding the zeros
  // broadcasts it to the product's shape where that is larger.
  auto isZeros = [](DenseElementsAttr value) {
    if (!value || !value.isSplat())
      return false;
    if (isa<FloatType>(value.getElementType()))
      return value.getSplatValue<APFloat>().isZero();
    return value.getSplatValue<APInt>().isZero();
  };
  Value zeros = isZeros(getConstValue(b))   ? b
                : isZeros(getConstValue(a)) ? a
                                            : Value();
  Value other = zeros == b ? a : b;
  if (zeros && !getConstValue(other)) {
    Value difference =
        builder.create<tosa::SubOp>(loc, other.getType(), other, other);
    if (other.getType() == *type)
      return difference;
    return builder.create<tosa::AddOp>(loc, *type, difference, zeros);
  }
  return builder.create<tosa::MulOp>(loc, *type, a, b,
                                     builder.getI8IntegerAttr(0));
}

FailureOr<SmallVector<int64_t>>
GraphImporter::broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t a = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t b = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (a == 1)
      result[i] = b;
    else if (b == 1)
      result[i] = a;
    else if (ShapedType::isDynamic(a))
      result[i] = b;
    else if (ShapedType::isDynamic(b) || a == b)
      result[i] = a;
    else {
      emitNodeError() << "shapes " << formatShape(lhs) << " and "
                      << formatShape(rhs) << " do not broadcast";
      return failure();
    }
  }
  return result;
}

FailureOr<RankedTensorType>
GraphImporter::prepareBroadcast(Value &lhs, Value &rhs, Type elementType) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(lhsType.getShape(), rhsType.getShape());
  if (failed(shape))
    return failure();
  int64_t rank = shape->size();
  lhs = expandRank(lhs, rank);
  rhs = expandRank(rhs, rank);
  return RankedTensorType::get(*shape, elementType);
}

LogicalResult GraphImporter::requireFloatTensor(Value value, StringRef what,
                                                ArrayRef<int64_t> ranks) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !isa<FloatType>(type.getElementType())) {
    emitNodeError() << what << " must be a float tensor, got "
                    << value.getType();
    return failure();
  }
  if (!ranks.empty() && !llvm::is_contained(ranks, type.getRank())) {
    InFlightDiagnostic diag = emitNodeError() << what << " must have rank ";
    llvm::interleave(
        ranks, [&](int64_t rank) { diag << rank; }, [&] { diag << " or "; });
    diag << ", got " << value.getType();
    return failure();
  }
  return success();
}

FailureOr<int64_t> GraphImporter::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank) {
    emitNodeError() << "axis " << axis << " is out of range for rank " << rank;
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}
