//===- ImportElementwise.cpp - Activations and arithmetic ----------------===//
//
// Imports ONNX's element-wise ops: activations (Relu, Clip, Sign,
// HardSigmoid, Sigmoid, Tanh, LeakyRelu), numpy-broadcasting arithmetic (Add,
// Sub, Mul, Div), Softmax, and the inference-time no-ops Identity and
// Dropout. TOSA broadcasts only between operands of equal rank, so lower-rank
// operands get leading unit dimensions first.
//
//===----------------------------------------------------------------------===//

#include "lowering/ONNXToTOSA/GraphImporter.h"

#include <cmath>

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <limits>

using namespace mlir;
using namespace mlir::qc::onnx_import;

static constexpr float kInfinity = std::numeric_limits<float>::infinity();

/// The float input X of a unary op.
static FailureOr<Value> getFloatInput(GraphImporter &importer) {
  FailureOr<Value> input = importer.getInput(0);
  if (failed(input) || failed(importer.requireFloatTensor(*input, "input X")))
    return failure();
  return input;
}

LogicalResult GraphImporter::importRelu() {
  FailureOr<Value> input = getFloatInput(*this);
  if (failed(input))
    return failure();
  setOutput(0, createClamp(*input, 0.0f, kInfinity));
  return success();
}

LogicalResult GraphImporter::importLeakyRelu() {
  FailureOr<Value> input = getFloatInput(*this);
  if (failed(input))
    return failure();
  float alpha = getFloatAttr("alpha", 0.01f);
  auto type = cast<RankedTensorType>(input->getType());
  Value zero = createSplat(type.getElementType(), 0.0, type.getRank());
  auto predType = RankedTensorType::get(type.getShape(), builder.getI1Type());
  Value positive =
      builder.create<tosa::GreaterEqualOp>(loc, predType, *input, zero);
  Value scaled = createMul(
      *input, createSplat(type.getElementType(), alpha, type.getRank()));
  setOutput(
      0, builder.create<tosa::SelectOp>(loc, type, positive, *input, scaled));
  return success();
}

/// A scalar bound of Clip given as an input (opset >= 11).
static FailureOr<float> getClipBound(GraphImporter &importer, unsigned index,
                                     float defaultValue) {
  if (!importer.hasInput(index))
    return defaultValue;
  DenseElementsAttr value = importer.getConstantInput(index);
  if (!value || value.getNumElements() != 1 ||
      !isa<FloatType>(value.getElementType())) {
    importer.emitNodeError()
        << (index == 1 ? "min" : "max") << " must be a constant float scalar";
    return failure();
  }
  return static_cast<float>(
      (*value.getValues<APFloat>().begin()).convertToDouble());
}

LogicalResult GraphImporter::importClip() {
  FailureOr<Value> input = getFloatInput(*this);
  if (failed(input))
    return failure();
  float lo, hi;
  if (getOpset() < 11) {
    lo = getFloatAttr("min", -std::numeric_limits<float>::max());
    hi = getFloatAttr("max", std::numeric_limits<float>::max());
  } else {
    FailureOr<float> min = getClipBound(*this, 1, -kInfinity);
    FailureOr<float> max = getClipBound(*this, 2, kInfinity);
    if (failed(min) || failed(max))
      return failure();
    lo = *min;
    hi = *max;
  }
  // ONNX defines min > max as every value becoming max.
  if (std::isnan(lo) || std::isnan(hi)) {
    emitNodeError() << "Clip bound " << (std::isnan(lo) ? "min" : "max")
                    << " is NaN";
    return failure();
  }
  if (lo > hi)
    lo = hi;
  setOutput(0, createClamp(*input, lo, hi));
  return success();
}

LogicalResult GraphImporter::importSign() {
  FailureOr<Value> input = getFloatInput(*this);
  if (failed(input))
    return failure();
  // sign(x) = x > 0 ? 1 : (x < 0 ? -1 : 0); ONNX's Sign(0) is 0.
  auto type = cast<RankedTensorType>(input->getType());
  Type elementType = type.getElementType();
  int64_t rank = type.getRank();
  auto predType = RankedTensorType::get(type.getShape(), builder.getI1Type());
  Value zero = createSplat(elementType, 0.0, rank);
  Value positive = builder.create<tosa::GreaterOp>(loc, predType, *input, zero);
  Value negative = builder.create<tosa::GreaterOp>(loc, predType, zero, *input);
  Value negOrZero = builder.create<tosa::SelectOp>(
      loc, type, negative, createSplat(elementType, -1.0, rank), zero);
  setOutput(0, builder.create<tosa::SelectOp>(
                   loc, type, positive, createSplat(elementType, 1.0, rank),
                   negOrZero));
  return success();
}

LogicalResult GraphImporter::importHardSigmoid() {
  FailureOr<Value> input = getFloatInput(*this);
  if (failed(input))
    return failure();
  float alpha = getFloatAttr("alpha", 0.2f);
  float beta = getFloatAttr("beta", 0.5f);
  auto type = cast<RankedTensorType>(input->getType());
  Value scaled = createMul(
      *input, createSplat(type.getElementType(), alpha, type.getRank()));
  Value shifted = builder.create<tosa::AddOp>(
      loc, type, scaled,
      createSplat(type.getElementType(), beta, type.getRank()));
  setOutput(0, createClamp(shifted, 0.0f, 1.0f));
  return success();
}

LogicalResult GraphImporter::importSigmoid() {
  FailureOr<Value> input = getFloatInput(*this);
  if (failed(input))
    return failure();
  setOutput(0, builder.create<tosa::SigmoidOp>(loc, input->getType(), *input));
  return success();
}

LogicalResult GraphImporter::importTanh() {
  FailureOr<Value> input = getFloatInput(*this);
  if (failed(input))
    return failure();
  setOutput(0, builder.create<tosa::TanhOp>(loc, input->getType(), *input));
  return success();
}

LogicalResult GraphImporter::importBinary() {
  if (std::optional<LogicalResult> folded = foldIntegerBinary())
    return *folded;
  FailureOr<Value> lhsOr = getInput(0);
  FailureOr<Value> rhsOr = getInput(1);
  if (failed(lhsOr) || failed(rhsOr))
    return failure();
  Value lhs = *lhsOr, rhs = *rhsOr;
  auto lhsType = dyn_cast<RankedTensorType>(lhs.getType());
  auto rhsType = dyn_cast<RankedTensorType>(rhs.getType());
  if (!lhsType || !rhsType ||
      lhsType.getElementType() != rhsType.getElementType()) {
    emitNodeError() << "operand element types differ: " << lhs.getType()
                    << " and " << rhs.getType();
    return failure();
  }
  Type elementType = lhsType.getElementType();
  bool isFloat = isa<FloatType>(elementType);
  bool isInt32 = elementType.isSignlessInteger(32);
  if (!isFloat && !isInt32) {
    emitNodeError() << "element type " << elementType
                    << " is not supported (float or i32 only)";
    return failure();
  }
  if (findAttr("broadcast") || findAttr("axis")) {
    emitNodeError() << "the opset < 7 'broadcast'/'axis' attributes are not "
                       "supported";
    return failure();
  }
  StringRef op = node->op_type();
  if (op == "Div" && isFloat) {
    // x / c for a constant c folds to x * (1 / c); otherwise reciprocal.
    if (DenseElementsAttr divisor = getConstValue(rhs);
        divisor && elementType.isF32()) {
      SmallVector<float> inverse;
      for (float v : divisor.getValues<float>())
        inverse.push_back(1.0f / v);
      Value folded = createConstant(
          DenseElementsAttr::get(divisor.getType(), ArrayRef<float>(inverse)));
      dropIfUnused(rhs);
      rhs = folded;
    } else {
      rhs = builder.create<tosa::ReciprocalOp>(loc, rhs.getType(), rhs);
    }
    op = "Mul";
  }
  FailureOr<RankedTensorType> type = prepareBroadcast(lhs, rhs, elementType);
  if (failed(type))
    return failure();
  Value result;
  if (op == "Add")
    result = builder.create<tosa::AddOp>(loc, *type, lhs, rhs);
  else if (op == "Sub")
    result = builder.create<tosa::SubOp>(loc, *type, lhs, rhs);
  else if (op == "Mul")
    result = createMul(lhs, rhs);
  else
    result = builder.create<tosa::IntDivOp>(loc, *type, lhs, rhs);
  setOutput(0, result);
  return success();
}

/// softmax along `axis`: exp(x - max) / sum(exp(x - max)).
static Value buildSoftmax(GraphImporter &importer, Value input, int64_t axis) {
  OpBuilder &builder = importer.getBuilder();
  Location loc = importer.getLoc();
  auto type = cast<RankedTensorType>(input.getType());
  auto axisAttr = builder.getI32IntegerAttr(axis);
  Value max = builder.create<tosa::ReduceMaxOp>(loc, input, axisAttr);
  Value shifted = builder.create<tosa::SubOp>(loc, type, input, max);
  Value exp = builder.create<tosa::ExpOp>(loc, type, shifted);
  Value sum = builder.create<tosa::ReduceSumOp>(loc, exp, axisAttr);
  Value inverse = builder.create<tosa::ReciprocalOp>(loc, sum.getType(), sum);
  return importer.createMul(exp, inverse);
}

LogicalResult GraphImporter::importSoftmax() {
  FailureOr<Value> input = getFloatInput(*this);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  int64_t rank = type.getRank();
  if (rank == 0) {
    emitNodeError() << "input must have rank >= 1";
    return failure();
  }
  FailureOr<int64_t> axis =
      normalizeAxis(getIntAttr("axis", getOpset() < 13 ? 1 : -1), rank);
  if (failed(axis))
    return failure();
  if (getOpset() >= 13 || *axis == rank - 1) {
    setOutput(0, buildSoftmax(*this, *input, *axis));
    return success();
  }
  // Before opset 13 the input is coerced to 2-D at `axis` and normalized
  // over the whole inner block.
  // The input has no more elements than the importer accepts, so a product
  // that overflows is a malformed shape, reported below as -1.
  auto product = [](ArrayRef<int64_t> dims) {
    int64_t p = 1;
    for (int64_t d : dims) {
      if (ShapedType::isDynamic(d))
        return ShapedType::kDynamic;
      if (__builtin_mul_overflow(p, d, &p))
        return int64_t(-1);
    }
    return p;
  };
  int64_t outer = product(type.getShape().take_front(*axis));
  int64_t inner = product(type.getShape().drop_front(*axis));
  if (outer == -1 || inner == -1) {
    emitNodeError() << "the input's extents overflow 64 bits";
    return failure();
  }
  if (ShapedType::isDynamic(inner)) {
    emitNodeError() << "dimensions from the softmax axis on must be static";
    return failure();
  }
  Value flat = createReshape(*input, {outer, inner});
  Value result = buildSoftmax(*this, flat, 1);
  setOutput(0, createReshape(result, type.getShape()));
  return success();
}

LogicalResult GraphImporter::importIdentity() {
  FailureOr<Value> input = getInput(0);
  if (failed(input))
    return failure();
  setOutput(0, *input);
  return success();
}

LogicalResult GraphImporter::importDropout() {
  FailureOr<Value> input = getInput(0);
  if (failed(input))
    return failure();
  if (hasInput(2)) {
    DenseElementsAttr training = getConstantInput(2);
    if (!training || training.getNumElements() != 1 ||
        !(*training.getValues<APInt>().begin()).isZero()) {
      emitNodeError() << "training_mode must be a constant false";
      return failure();
    }
  }
  if (getNumUsedOutputs() > 1) {
    // The inference mask is all ones.
    auto type = cast<RankedTensorType>(input->getType());
    if (!type.hasStaticShape()) {
      emitNodeError() << "the mask output needs a static shape";
      return failure();
    }
    auto maskType = RankedTensorType::get(type.getShape(), builder.getI1Type());
    setConstantOutput(1, DenseElementsAttr::get(maskType, true));
  }
  setOutput(0, *input);
  return success();
}
