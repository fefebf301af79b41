//===- ImportReduce.cpp - ReduceMean, ReduceSum, ReduceMax, ... -----------===//
//
// Imports ONNX's reductions over a set of axes: ReduceSum, ReduceMean,
// ReduceMax, ReduceMin and ReduceSumSquare. TOSA reduces one axis at a time
// and keeps it with extent 1, so each reduction is a chain of tosa.reduce_*
// ops followed, for keepdims=0, by a reshape that drops the reduced axes.
// The axes are an attribute up to opset 12 (17 for all but ReduceSum) and a
// constant input after that, with noop_with_empty_axes choosing between
// "reduce everything" and "do nothing" when none are given.
//
//===----------------------------------------------------------------------===//

#include "lowering/ONNXToTOSA/GraphImporter.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::qc::onnx_import;

namespace {
enum class ReduceKind { Sum, Mean, Max, Min, SumSquare };
} // namespace

/// The opset from which the axes of a reduction are an input.
static int64_t axesInputOpset(ReduceKind kind) {
  return kind == ReduceKind::Sum ? 13 : 18;
}

/// Reads the axes of the current reduction node: nullopt when none are
/// given (an absent attribute or input, or an empty axes tensor).
static FailureOr<std::optional<SmallVector<int64_t>>>
readReduceAxes(GraphImporter &importer, ReduceKind kind) {
  std::optional<SmallVector<int64_t>> axes;
  if (importer.getOpset() < axesInputOpset(kind)) {
    if (importer.hasInput(1)) {
      importer.emitNodeError()
          << "takes its axes as an attribute in opset " << importer.getOpset();
      return failure();
    }
    axes = importer.getIntsAttr("axes");
    if (importer.hasAttrError())
      return failure();
  } else if (importer.hasInput(1)) {
    if (importer.findAttr("axes")) {
      importer.emitNodeError() << "takes its axes as an input in opset "
                               << importer.getOpset() << ", not an attribute";
      return failure();
    }
    DenseElementsAttr value = importer.getConstantInput(1);
    if (!value || !isa<IntegerType>(value.getElementType()) ||
        value.getType().getRank() > 1) {
      importer.emitNodeError()
          << "axes must be a 1-D integer tensor known at import time";
      return failure();
    }
    SmallVector<int64_t> list;
    for (const APInt &v : value.getValues<APInt>())
      list.push_back(v.getSExtValue());
    axes = list;
  } else if (importer.findAttr("axes")) {
    importer.emitNodeError() << "takes its axes as an input in opset "
                             << importer.getOpset() << ", not an attribute";
    return failure();
  }
  if (axes && axes->empty())
    axes.reset();
  return axes;
}

/// One tosa.reduce_* of `kind` along `axis`; Mean and SumSquare sum here.
static Value reduceAxis(GraphImporter &importer, ReduceKind kind, Value input,
                        int64_t axis) {
  OpBuilder &builder = importer.getBuilder();
  Location loc = importer.getLoc();
  auto axisAttr = builder.getI32IntegerAttr(axis);
  switch (kind) {
  case ReduceKind::Max:
    return builder.create<tosa::ReduceMaxOp>(loc, input, axisAttr);
  case ReduceKind::Min:
    return builder.create<tosa::ReduceMinOp>(loc, input, axisAttr);
  default:
    return builder.create<tosa::ReduceSumOp>(loc, input, axisAttr);
  }
}

static LogicalResult importReduction(GraphImporter &importer, ReduceKind kind) {
  FailureOr<Value> input = importer.getInput(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  Type elementType = type.getElementType();
  bool isFloat = isa<FloatType>(elementType);
  bool floatOnly = kind == ReduceKind::Mean || kind == ReduceKind::SumSquare;
  if (!isFloat && (floatOnly || !elementType.isSignlessInteger(32))) {
    importer.emitNodeError()
        << "element type " << elementType << " is not supported ("
        << (floatOnly ? "float" : "float or i32") << " only)";
    return failure();
  }
  int64_t rank = type.getRank();
  bool keepDims = importer.getBoolAttr("keepdims", true);
  bool noopWithEmptyAxes = importer.getBoolAttr("noop_with_empty_axes", false);
  FailureOr<std::optional<SmallVector<int64_t>>> axesOr =
      readReduceAxes(importer, kind);
  if (failed(axesOr) || importer.hasAttrError())
    return failure();

  SmallVector<bool> reduced(rank, false);
  if (*axesOr) {
    for (int64_t axis : **axesOr) {
      FailureOr<int64_t> a = importer.normalizeAxis(axis, rank);
      if (failed(a))
        return failure();
      if (reduced[*a]) {
        importer.emitNodeError() << "axis " << axis << " is repeated";
        return failure();
      }
      reduced[*a] = true;
    }
  } else if (noopWithEmptyAxes) {
    importer.setOutput(0, *input);
    return success();
  } else {
    reduced.assign(rank, true);
  }

  Value result = *input;
  if (kind == ReduceKind::SumSquare)
    result = importer.createMul(result, result);
  int64_t count = 1;
  for (int64_t axis = 0; axis < rank; ++axis) {
    if (!reduced[axis])
      continue;
    int64_t extent = type.getDimSize(axis);
    if (ShapedType::isDynamic(extent)) {
      if (kind == ReduceKind::Mean) {
        importer.emitNodeError() << "the mean over axis " << axis << " of "
                                 << type << " needs a static extent";
        return failure();
      }
    } else {
      count *= extent;
    }
    if (extent == 0) {
      importer.emitNodeError() << "reducing an empty axis is not supported";
      return failure();
    }
    result = reduceAxis(importer, kind, result, axis);
  }
  if (kind == ReduceKind::Mean)
    result = importer.createMul(
        result, importer.createSplat(elementType, 1.0 / count, rank));

  if (!keepDims) {
    SmallVector<int64_t> shape;
    for (int64_t axis = 0; axis < rank; ++axis)
      if (!reduced[axis])
        shape.push_back(type.getDimSize(axis));
    if (llvm::count_if(shape, ShapedType::isDynamic) > 1) {
      importer.emitNodeError() << "result shape " << formatShape(shape)
                               << " has more than one dynamic extent";
      return failure();
    }
    result = importer.createReshape(result, shape);
  }
  importer.setOutput(0, result);
  return success();
}

LogicalResult GraphImporter::importReduceSum() {
  return importReduction(*this, ReduceKind::Sum);
}

LogicalResult GraphImporter::importReduceMean() {
  return importReduction(*this, ReduceKind::Mean);
}

LogicalResult GraphImporter::importReduceMax() {
  return importReduction(*this, ReduceKind::Max);
}

LogicalResult GraphImporter::importReduceMin() {
  return importReduction(*this, ReduceKind::Min);
}

LogicalResult GraphImporter::importReduceSumSquare() {
  return importReduction(*this, ReduceKind::SumSquare);
}
