//===- ImportShape.cpp - Constants and shape manipulation ----------------===//
//
// Imports Constant, Flatten, Reshape, Transpose, Concat, Squeeze, Unsqueeze
// and the shape computations exporters emit around Reshape (Shape, Gather,
// Cast). Everything keeps ONNX's NCHW semantics; constants fold at import
// time, and shape vectors involving a dynamic batch are tracked symbolically
// so that the Reshape they feed still gets static inner extents.
//
//===----------------------------------------------------------------------===//

#include "lowering/ONNXToTOSA/GraphImporter.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::qc::onnx_import;

/// Product of `dims`, dynamic when any is.
static int64_t product(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims) {
    if (ShapedType::isDynamic(d))
      return ShapedType::kDynamic;
    p *= d;
  }
  return p;
}

/// Reshapes to `shape`, reporting shapes that tosa.reshape cannot express
/// (more than one dynamic extent).
static FailureOr<Value> reshapeChecked(GraphImporter &importer, Value input,
                                       ArrayRef<int64_t> shape) {
  if (llvm::count_if(shape, ShapedType::isDynamic) > 1) {
    importer.emitNodeError() << "result shape " << formatShape(shape)
                             << " has more than one dynamic extent";
    return failure();
  }
  if (llvm::is_contained(shape, 0)) {
    importer.emitNodeError() << "result shape " << formatShape(shape)
                             << " is empty; zero-sized tensors are not "
                                "supported";
    return failure();
  }
  // ONNX never changes the element count; a static target that does would
  // read or write past the input. With a dynamic input, the count fixes the
  // batch, which is checked at run time.
  auto inputType = cast<RankedTensorType>(input.getType());
  if (!inputType.hasStaticShape() &&
      !llvm::is_contained(shape, ShapedType::kDynamic)) {
    int64_t count = 1;
    for (int64_t d : shape)
      if (__builtin_mul_overflow(count, d, &count)) {
        importer.emitNodeError()
            << "result shape " << formatShape(shape) << " is too large";
        return failure();
      }
    if (failed(importer.requireElementCount(input, count, "the input")))
      return failure();
  }
  if (inputType.hasStaticShape() && !llvm::is_contained(shape,
                                                        ShapedType::kDynamic)) {
    int64_t have = inputType.getNumElements();
    int64_t want = 1;
    for (int64_t d : shape)
      if (__builtin_mul_overflow(want, d, &want))
        want = -1;
    if (have != want) {
      importer.emitNodeError()
          << "cannot reshape " << formatShape(inputType.getShape()) << " ("
          << have << " elements) to " << formatShape(shape);
      return failure();
    }
  }
  return importer.createReshape(input, shape);
}

LogicalResult GraphImporter::importConstant() {
  MLIRContext *ctx = context;
  if (const onnx::AttributeProto *attr = findAttr("value")) {
    if (!attr->has_t()) {
      emitNodeError() << "attribute 'value' must be a tensor";
      return failure();
    }
    FailureOr<DenseElementsAttr> value = convertTensor(attr->t());
    if (failed(value))
      return failure();
    setConstantOutput(0, *value);
    return success();
  }
  if (const onnx::AttributeProto *attr = findAttr("value_float")) {
    setConstantOutput(
        0, DenseElementsAttr::get(
               RankedTensorType::get({}, Float32Type::get(ctx)), attr->f()));
    return success();
  }
  if (const onnx::AttributeProto *attr = findAttr("value_int")) {
    setConstantOutput(0, DenseElementsAttr::get(
                             RankedTensorType::get({}, builder.getI64Type()),
                             static_cast<int64_t>(attr->i())));
    return success();
  }
  if (const onnx::AttributeProto *attr = findAttr("value_floats")) {
    SmallVector<float> values(attr->floats().begin(), attr->floats().end());
    setConstantOutput(
        0, DenseElementsAttr::get(
               RankedTensorType::get({static_cast<int64_t>(values.size())},
                                     Float32Type::get(ctx)),
               ArrayRef<float>(values)));
    return success();
  }
  if (const onnx::AttributeProto *attr = findAttr("value_ints")) {
    SmallVector<int64_t> values(attr->ints().begin(), attr->ints().end());
    setConstantOutput(
        0, DenseElementsAttr::get(
               RankedTensorType::get({static_cast<int64_t>(values.size())},
                                     builder.getI64Type()),
               ArrayRef<int64_t>(values)));
    return success();
  }
  emitNodeError() << "only 'value', 'value_float(s)' and 'value_int(s)' "
                     "constants are supported";
  return failure();
}

LogicalResult GraphImporter::importFlatten() {
  FailureOr<Value> input = getInput(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  int64_t rank = type.getRank();
  int64_t axis = getIntAttr("axis", 1);
  if (axis < -rank || axis > rank) {
    emitNodeError() << "axis " << axis << " is out of range for rank " << rank;
    return failure();
  }
  if (axis < 0)
    axis += rank;
  int64_t outer = product(type.getShape().take_front(axis));
  int64_t inner = product(type.getShape().drop_front(axis));
  FailureOr<Value> result = reshapeChecked(*this, *input, {outer, inner});
  if (failed(result))
    return failure();
  setOutput(0, *result);
  return success();
}

LogicalResult GraphImporter::importReshape() {
  FailureOr<Value> input = getInput(0);
  if (failed(input))
    return failure();
  std::optional<SymbolicShape> target = getShapeInput(1);
  if (!target || target->isScalar) {
    emitNodeError() << "the target shape must be a 1-D integer tensor known "
                       "at import time";
    return failure();
  }
  bool allowZero = getBoolAttr("allowzero", false);
  auto type = cast<RankedTensorType>(input->getType());
  ArrayRef<int64_t> inShape = type.getShape();

  // Resolve every target element to an extent; elements copied from an input
  // dimension (0 without allowzero, or a symbolic extent of the input) are
  // left out of the -1 inference on both sides.
  SmallVector<int64_t> shape;
  SmallVector<bool> copied(inShape.size(), false);
  int64_t inferIndex = -1;
  int64_t known = 1;
  bool knownIsDynamic = false;
  for (auto [i, element] : llvm::enumerate(target->elements)) {
    int64_t copiedDim = -1;
    if (!element.isKnown()) {
      if (element.source == *input)
        copiedDim = element.sourceDim;
      shape.push_back(ShapedType::kDynamic);
      if (copiedDim < 0 || copied[copiedDim])
        knownIsDynamic = true;
    } else if (element.value == 0 && !allowZero) {
      if (i >= inShape.size()) {
        emitNodeError() << "target shape element " << i
                        << " is 0 but the input has rank " << inShape.size();
        return failure();
      }
      copiedDim = i;
      shape.push_back(inShape[i]);
      if (copied[i]) {
        if (ShapedType::isDynamic(inShape[i]))
          knownIsDynamic = true;
        else
          if (__builtin_mul_overflow(known, inShape[i], &known)) {
            emitNodeError() << "the target shape's extents overflow 64 bits";
            return failure();
          }
      }
    } else if (element.value == -1) {
      if (inferIndex >= 0) {
        emitNodeError() << "target shape has more than one -1";
        return failure();
      }
      inferIndex = i;
      shape.push_back(ShapedType::kDynamic);
    } else if (element.value < 0) {
      emitNodeError() << "invalid target extent " << element.value;
      return failure();
    } else {
      shape.push_back(element.value);
      if (__builtin_mul_overflow(known, element.value, &known)) {
        emitNodeError() << "the target shape's extents overflow 64 bits";
        return failure();
      }
    }
    if (copiedDim >= 0 && copiedDim < static_cast<int64_t>(copied.size()))
      copied[copiedDim] = true;
  }
  if (inferIndex >= 0) {
    int64_t total = 1;
    bool totalIsDynamic = false;
    for (auto [d, extent] : llvm::enumerate(inShape)) {
      if (copied[d])
        continue;
      if (ShapedType::isDynamic(extent))
        totalIsDynamic = true;
      else
        total *= extent;
    }
    if (!totalIsDynamic && !knownIsDynamic) {
      if (known == 0 || total % known != 0) {
        emitNodeError() << "cannot reshape " << formatShape(inShape)
                        << " to a shape with known extents multiplying to "
                        << known;
        return failure();
      }
      shape[inferIndex] = total / known;
    }
  } else if (type.hasStaticShape() && !knownIsDynamic &&
             llvm::none_of(shape, ShapedType::isDynamic) &&
             product(shape) != type.getNumElements()) {
    emitNodeError() << "cannot reshape " << formatShape(inShape) << " to "
                    << formatShape(shape);
    return failure();
  }
  FailureOr<Value> result = reshapeChecked(*this, *input, shape);
  if (failed(result))
    return failure();
  setOutput(0, *result);
  return success();
}

LogicalResult GraphImporter::importTranspose() {
  FailureOr<Value> input = getInput(0);
  if (failed(input))
    return failure();
  int64_t rank = cast<RankedTensorType>(input->getType()).getRank();
  SmallVector<int64_t> perm;
  if (std::optional<SmallVector<int64_t>> attr = getIntsAttr("perm"))
    perm = *attr;
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  SmallVector<bool> seen(rank, false);
  if (static_cast<int64_t>(perm.size()) != rank ||
      llvm::any_of(perm, [&](int64_t p) {
        if (p < 0 || p >= rank || seen[p])
          return true;
        seen[p] = true;
        return false;
      })) {
    emitNodeError() << "perm " << formatShape(perm)
                    << " is not a permutation of rank " << rank;
    return failure();
  }
  setOutput(0, createTranspose(*input, perm));
  return success();
}

LogicalResult GraphImporter::importConcat() {
  if (node->input_size() == 0) {
    emitNodeError() << "needs at least one input";
    return failure();
  }
  // Shape vectors (constant or symbolic) concatenate at import time.
  bool anySymbolic = llvm::any_of(node->input(), [&](const std::string &name) {
    return shapeValues.count(name) != 0;
  });
  if (anySymbolic) {
    SymbolicShape result;
    for (int i = 0; i < node->input_size(); ++i) {
      std::optional<SymbolicShape> part = getShapeInput(i);
      if (!part || part->isScalar) {
        emitNodeError() << "input #" << i
                        << " must be a 1-D shape vector like the others";
        return failure();
      }
      llvm::append_range(result.elements, part->elements);
    }
    setShapeOutput(0, std::move(result));
    return success();
  }

  SmallVector<Value> inputs;
  for (int i = 0; i < node->input_size(); ++i) {
    FailureOr<Value> v = getInput(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  auto firstType = cast<RankedTensorType>(inputs.front().getType());
  int64_t rank = firstType.getRank();
  if (rank == 0) {
    emitNodeError() << "cannot concatenate rank-0 tensors (ONNX needs rank "
                    << ">= 1)";
    return failure();
  }
  FailureOr<int64_t> axis = normalizeAxis(getIntAttr("axis", 0), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(firstType.getShape());
  shape[*axis] = 0;
  for (Value v : inputs) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getRank() != rank ||
        type.getElementType() != firstType.getElementType()) {
      emitNodeError() << "inputs must have the same rank and element type, "
                      << "got " << firstType << " and " << type;
      return failure();
    }
    int64_t extent = type.getDimSize(*axis);
    // The runtime takes every dynamic extent of a result to be the batch (or
    // a fixed multiple of it); a sum of batches along the axis is neither.
    if (ShapedType::isDynamic(extent) && inputs.size() > 1) {
      emitNodeError() << "cannot concatenate along axis " << *axis
                      << ", whose extent is the dynamic batch: the result "
                      << "would hold several batches; export the model with "
                      << "a static batch";
      return failure();
    }
    shape[*axis] =
        ShapedType::isDynamic(extent) || ShapedType::isDynamic(shape[*axis])
            ? ShapedType::kDynamic
            : shape[*axis] + extent;
  }
  // 1-D integer constants (shape vectors) fold.
  if (rank == 1 && isa<IntegerType>(firstType.getElementType()) &&
      llvm::all_of(inputs, [](Value v) { return getConstValue(v); })) {
    SmallVector<APInt> values;
    for (Value v : inputs)
      llvm::append_range(values, getConstValue(v).getValues<APInt>());
    for (Value v : inputs)
      dropIfUnused(v);
    setConstantOutput(
        0,
        DenseElementsAttr::get(
            RankedTensorType::get(shape, firstType.getElementType()), values));
    return success();
  }
  setOutput(0,
            builder.create<tosa::ConcatOp>(
                loc, RankedTensorType::get(shape, firstType.getElementType()),
                inputs, builder.getI32IntegerAttr(*axis)));
  return success();
}

/// The axes of Squeeze/Unsqueeze: an attribute before opset 13, an input
/// from 13 on. Nullopt when absent (allowed for Squeeze); reports errors.
static FailureOr<std::optional<SmallVector<int64_t>>>
getAxes(GraphImporter &importer) {
  if (importer.getOpset() < 13)
    return importer.getIntsAttr("axes");
  if (!importer.hasInput(1))
    return std::optional<SmallVector<int64_t>>();
  DenseElementsAttr axes = importer.getConstantInput(1);
  if (!axes || !isa<IntegerType>(axes.getElementType())) {
    importer.emitNodeError() << "axes must be an integer constant";
    return failure();
  }
  SmallVector<int64_t> values;
  for (const APInt &v : axes.getValues<APInt>())
    values.push_back(v.getSExtValue());
  return std::optional<SmallVector<int64_t>>(values);
}

LogicalResult GraphImporter::importSqueeze() {
  FailureOr<std::optional<SmallVector<int64_t>>> axes = getAxes(*this);
  if (failed(axes))
    return failure();
  if (shapeValues.count(node->input(0))) {
    SymbolicShape shape = shapeValues[node->input(0)];
    if (shape.isScalar || shape.elements.size() != 1) {
      emitNodeError() << "can only squeeze a one-element shape vector";
      return failure();
    }
    shape.isScalar = true;
    setShapeOutput(0, shape);
    return success();
  }
  FailureOr<Value> input = getInput(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  int64_t rank = type.getRank();
  SmallVector<bool> drop(rank, false);
  if (*axes) {
    for (int64_t axis : **axes) {
      FailureOr<int64_t> a = normalizeAxis(axis, rank);
      if (failed(a))
        return failure();
      if (type.getDimSize(*a) != 1 && !type.isDynamicDim(*a)) {
        emitNodeError() << "cannot squeeze axis " << axis << " of extent "
                        << type.getDimSize(*a);
        return failure();
      }
      drop[*a] = true;
    }
  } else {
    for (int64_t d = 0; d < rank; ++d) {
      if (type.isDynamicDim(d)) {
        emitNodeError() << "squeezing without axes needs a static shape";
        return failure();
      }
      drop[d] = type.getDimSize(d) == 1;
    }
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    if (!drop[d])
      shape.push_back(type.getDimSize(d));
  FailureOr<Value> result = reshapeChecked(*this, *input, shape);
  if (failed(result))
    return failure();
  setOutput(0, *result);
  return success();
}

LogicalResult GraphImporter::importUnsqueeze() {
  FailureOr<std::optional<SmallVector<int64_t>>> axes = getAxes(*this);
  if (failed(axes))
    return failure();
  if (!*axes) {
    emitNodeError() << "needs axes";
    return failure();
  }
  if (shapeValues.count(node->input(0))) {
    SymbolicShape shape = shapeValues[node->input(0)];
    if (!shape.isScalar || (*axes)->size() != 1 ||
        ((**axes)[0] != 0 && (**axes)[0] != -1)) {
      emitNodeError() << "can only unsqueeze a shape scalar to a vector";
      return failure();
    }
    shape.isScalar = false;
    setShapeOutput(0, shape);
    return success();
  }
  FailureOr<Value> input = getInput(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  int64_t outRank = type.getRank() + static_cast<int64_t>((*axes)->size());
  SmallVector<bool> inserted(outRank, false);
  for (int64_t axis : **axes) {
    FailureOr<int64_t> a = normalizeAxis(axis, outRank);
    if (failed(a))
      return failure();
    if (inserted[*a]) {
      emitNodeError() << "axis " << axis << " is repeated";
      return failure();
    }
    inserted[*a] = true;
  }
  SmallVector<int64_t> shape;
  int64_t next = 0;
  for (int64_t d = 0; d < outRank; ++d)
    shape.push_back(inserted[d] ? 1 : type.getDimSize(next++));
  FailureOr<Value> result = reshapeChecked(*this, *input, shape);
  if (failed(result))
    return failure();
  setOutput(0, *result);
  return success();
}

LogicalResult GraphImporter::importShape() {
  RankedTensorType type = getInputType(0);
  if (!type) {
    // Reports the missing input.
    (void)getInput(0);
    return failure();
  }
  int64_t rank = type.getRank();
  int64_t start = getIntAttr("start", 0), end = getIntAttr("end", rank);
  auto clampIndex = [&](int64_t i) {
    if (i < 0)
      i += rank;
    return std::clamp<int64_t>(i, 0, rank);
  };
  start = clampIndex(start);
  end = clampIndex(end);
  SymbolicShape shape;
  Value source;
  auto it = values.find(node->input(0));
  if (it != values.end())
    source = it->second;
  for (int64_t d = start; d < end; ++d) {
    ShapeElement element;
    if (type.isDynamicDim(d)) {
      element.source = source;
      element.sourceDim = d;
    } else {
      element.value = type.getDimSize(d);
    }
    shape.elements.push_back(element);
  }
  setShapeOutput(0, std::move(shape));
  return success();
}

LogicalResult GraphImporter::importGather() {
  int64_t axis = getIntAttr("axis", 0);
  DenseElementsAttr indices = getConstantInput(1);
  if (!indices || !isa<IntegerType>(indices.getElementType())) {
    emitNodeError() << "Gather is supported on shape vectors and constants "
                       "with constant indices only";
    return failure();
  }
  SmallVector<int64_t> index;
  for (const APInt &v : indices.getValues<APInt>())
    index.push_back(v.getSExtValue());

  if (std::optional<SymbolicShape> data = getShapeInput(0)) {
    if (data->isScalar || (axis != 0 && axis != -1) ||
        indices.getType().getRank() > 1) {
      emitNodeError() << "Gather on a shape vector needs axis 0 and scalar "
                         "or 1-D indices";
      return failure();
    }
    int64_t size = data->elements.size();
    SymbolicShape result;
    result.isScalar = indices.getType().getRank() == 0;
    for (int64_t i : index) {
      if (i < -size || i >= size) {
        emitNodeError() << "index " << i << " is out of range for " << size
                        << " elements";
        return failure();
      }
      result.elements.push_back(data->elements[i < 0 ? i + size : i]);
    }
    setShapeOutput(0, std::move(result));
    return success();
  }

  DenseElementsAttr data = getConstantInput(0);
  if (!data) {
    emitNodeError() << "Gather is supported on shape vectors and constants "
                       "with constant indices only";
    return failure();
  }
  auto dataType = cast<RankedTensorType>(data.getType());
  FailureOr<int64_t> a = normalizeAxis(axis, dataType.getRank());
  if (failed(a))
    return failure();
  // Gather along `a`: result shape = data[:a] + indices + data[a+1:].
  ArrayRef<int64_t> dataShape = dataType.getShape();
  int64_t outer = product(dataShape.take_front(*a));
  int64_t extent = dataShape[*a];
  int64_t inner = product(dataShape.drop_front(*a + 1));
  SmallVector<int64_t> shape(dataShape.take_front(*a));
  llvm::append_range(shape, indices.getType().getShape());
  llvm::append_range(shape, dataShape.drop_front(*a + 1));
  SmallVector<Attribute> source(data.getValues<Attribute>());
  SmallVector<Attribute> result;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i : index) {
      if (i < -extent || i >= extent) {
        emitNodeError() << "index " << i << " is out of range for extent "
                        << extent;
        return failure();
      }
      int64_t row = i < 0 ? i + extent : i;
      for (int64_t in = 0; in < inner; ++in)
        result.push_back(source[(o * extent + row) * inner + in]);
    }
  setConstantOutput(
      0, DenseElementsAttr::get(
             RankedTensorType::get(shape, dataType.getElementType()), result));
  return success();
}

LogicalResult GraphImporter::importCast() {
  int64_t to = getIntAttr("to", 0);
  Type elementType = convertDataType(context, static_cast<int32_t>(to));
  if (!elementType) {
    emitNodeError() << "unsupported target type " << to;
    return failure();
  }
  if (shapeValues.count(node->input(0))) {
    if (!isa<IntegerType>(elementType)) {
      emitNodeError() << "a dynamic shape vector can only be cast to integers";
      return failure();
    }
    setShapeOutput(0, shapeValues[node->input(0)]);
    return success();
  }
  if (DenseElementsAttr value = getConstantInput(0)) {
    auto type = RankedTensorType::get(value.getType().getShape(), elementType);
    SmallVector<Attribute> converted;
    for (Attribute element : value.getValues<Attribute>()) {
      auto intElement = dyn_cast<IntegerAttr>(element);
      bool fromUnsigned =
          intElement && (intElement.getType().isUnsignedInteger() ||
                         intElement.getType().isInteger(1));
      if (auto intType = dyn_cast<IntegerType>(elementType)) {
        if (intElement) {
          APInt v = intElement.getValue();
          converted.push_back(IntegerAttr::get(
              elementType,
              intType.getWidth() == 1
                  ? APInt(1, !v.isZero())
                  : (fromUnsigned ? v.zextOrTrunc(intType.getWidth())
                                  : v.sextOrTrunc(intType.getWidth()))));
        } else {
          double v = cast<FloatAttr>(element).getValueAsDouble();
          converted.push_back(IntegerAttr::get(
              elementType, intType.getWidth() == 1 ? int64_t(v != 0)
                                                   : static_cast<int64_t>(v)));
        }
        continue;
      }
      double v = 0;
      if (auto f = dyn_cast<FloatAttr>(element))
        v = f.getValueAsDouble();
      else if (fromUnsigned)
        v = static_cast<double>(intElement.getValue().getZExtValue());
      else
        v = static_cast<double>(intElement.getValue().getSExtValue());
      converted.push_back(FloatAttr::get(elementType, v));
    }
    setConstantOutput(0, DenseElementsAttr::get(type, converted));
    return success();
  }
  FailureOr<Value> input = getInput(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (type.getElementType() == elementType) {
    setOutput(0, *input);
    return success();
  }
  setOutput(
      0, builder.create<tosa::CastOp>(
             loc, RankedTensorType::get(type.getShape(), elementType), *input));
  return success();
}
