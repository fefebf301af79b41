//===- ImportSlice.cpp - Slice, Split and integer shape arithmetic --------===//
//
// Imports ONNX's Slice and Split, and folds the integer arithmetic exporters
// compute slice bounds with. torch.chunk, for example, exports as
// Shape -> Gather -> Add -> Div -> Mul -> Slice: with the sliced extent known
// at import time the whole chain folds to constants here, and the Slice
// becomes a tosa.slice. Steps other than 1 have no TOSA op: the axis is
// reversed for negative steps, then split into (count, step) by a reshape
// whose first column is kept.
//
//===----------------------------------------------------------------------===//

#include "lowering/ONNXToTOSA/GraphImporter.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <climits>

using namespace mlir;
using namespace mlir::qc::onnx_import;

//===----------------------------------------------------------------------===//
// Integer arithmetic on constants
//===----------------------------------------------------------------------===//

std::optional<LogicalResult> GraphImporter::foldIntegerBinary() {
  DenseElementsAttr lhs = getConstantInput(0), rhs = getConstantInput(1);
  if (!lhs || !rhs || !isa<IntegerType>(lhs.getElementType()) ||
      lhs.getElementType() != rhs.getElementType())
    return std::nullopt;
  // Shape arithmetic combines equal shapes or a tensor with a scalar.
  ArrayRef<int64_t> lhsShape = lhs.getType().getShape();
  ArrayRef<int64_t> rhsShape = rhs.getType().getShape();
  ArrayRef<int64_t> shape;
  if (lhsShape == rhsShape || rhs.getNumElements() == 1)
    shape = lhs.getType().getRank() >= rhs.getType().getRank() ? lhsShape
                                                               : rhsShape;
  else if (lhs.getNumElements() == 1)
    shape = rhsShape;
  else
    return std::nullopt;
  if (lhs.getNumElements() != rhs.getNumElements() &&
      lhs.getNumElements() != 1 && rhs.getNumElements() != 1)
    return std::nullopt;
  StringRef op = node->op_type();
  SmallVector<APInt> a(lhs.getValues<APInt>()), b(rhs.getValues<APInt>());
  int64_t count = std::max(a.size(), b.size());
  bool isUnsigned = lhs.getElementType().isUnsignedInteger();
  SmallVector<APInt> result;
  for (int64_t i = 0; i < count; ++i) {
    const APInt &x = a[a.size() == 1 ? 0 : i], &y = b[b.size() == 1 ? 0 : i];
    if (op == "Add") {
      result.push_back(x + y);
    } else if (op == "Sub") {
      result.push_back(x - y);
    } else if (op == "Mul") {
      result.push_back(x * y);
    } else {
      if (y.isZero()) {
        emitNodeError() << "integer division by zero";
        return failure();
      }
      // Truncating division, as onnxruntime's.
      result.push_back(isUnsigned ? x.udiv(y) : x.sdiv(y));
    }
  }
  setConstantOutput(
      0, DenseElementsAttr::get(
             RankedTensorType::get(shape, lhs.getElementType()), result));
  return success();
}

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

/// A slice bound that stands for the run-time extent of the sliced axis
/// (`x[:, :x.size(1)]` with a dynamic extent).
static constexpr int64_t kExtent = INT64_MAX;

namespace {
/// The slice of one axis, resolved against a static extent.
struct AxisSlice {
  int64_t start = 0, count = 0, step = 1;
};
} // namespace

/// Resolves start/end/step of one axis of static `extent` as ONNX clamps
/// them; count is 0 for an empty slice.
static AxisSlice resolveSlice(int64_t start, int64_t end, int64_t step,
                              int64_t extent) {
  auto normalize = [&](int64_t v) {
    if (v == kExtent)
      return extent;
    return v < 0 ? (v < -extent ? -extent - 1 : v) + extent : v;
  };
  start = normalize(start);
  end = normalize(end);
  AxisSlice slice;
  slice.step = step;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, extent);
    end = std::clamp<int64_t>(end, 0, extent);
    slice.start = start;
    slice.count = end > start ? (end - start + step - 1) / step : 0;
  } else {
    start = std::clamp<int64_t>(start, 0, extent - 1);
    end = std::clamp<int64_t>(end, -1, extent - 1);
    slice.start = start;
    slice.count = start > end ? (start - end - step - 1) / -step : 0;
  }
  return slice;
}

/// Elements start, start + step, ... (count of them) of `input` along
/// `axis`, whose extent is static.
static FailureOr<Value> sliceStrided(GraphImporter &importer, Value input,
                                     int64_t axis, AxisSlice slice) {
  OpBuilder &builder = importer.getBuilder();
  Location loc = importer.getLoc();
  auto type = cast<RankedTensorType>(input.getType());
  int64_t extent = type.getDimSize(axis);
  int64_t start = slice.start, step = slice.step;
  if (step < 0) {
    input = builder.create<tosa::ReverseOp>(loc, type, input,
                                            builder.getI32IntegerAttr(axis));
    start = extent - 1 - start;
    step = -step;
  }
  if (step == 1 || slice.count == 1)
    return importer.createSlice(input, axis, start, slice.count);
  if (llvm::count_if(type.getShape(), ShapedType::isDynamic) > 1) {
    importer.emitNodeError() << "a step of " << slice.step << " on " << type
                             << " needs at most one dynamic extent";
    return failure();
  }
  // Take count * step elements from start (zero-padding past the end), view
  // them as count x step and keep the first column.
  int64_t span = slice.count * step;
  int64_t available = std::min(span, extent - start);
  Value x = importer.createSlice(input, axis, start, available);
  if (available < span) {
    int64_t rank = type.getRank();
    SmallVector<int32_t> padding(2 * rank, 0);
    padding[2 * axis + 1] = span - available;
    SmallVector<int64_t> shape(type.getShape());
    shape[axis] = span;
    Value paddingValue = importer.createConstant(DenseElementsAttr::get(
        RankedTensorType::get({rank, 2}, builder.getI32Type()),
        ArrayRef<int32_t>(padding)));
    x = builder.create<tosa::PadOp>(
        loc, RankedTensorType::get(shape, type.getElementType()), x,
        paddingValue);
  }
  SmallVector<int64_t> split(type.getShape().take_front(axis));
  split.push_back(slice.count);
  split.push_back(step);
  llvm::append_range(split, type.getShape().drop_front(axis + 1));
  x = importer.createReshape(x, split);
  x = importer.createSlice(x, axis + 1, 0, 1);
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = slice.count;
  return importer.createReshape(x, shape);
}

/// Reads input `index` (or attribute `name` before opset 10) of the current
/// Slice as integers; unknown elements must be the dynamic extent of the
/// axis they apply to (`axes[i]` of `input`) and become kExtent.
static FailureOr<SmallVector<int64_t>>
readSliceList(GraphImporter &importer, unsigned index, StringRef name,
              Value input, ArrayRef<int64_t> axes) {
  SmallVector<int64_t> list;
  if (importer.getOpset() < 10) {
    std::optional<SmallVector<int64_t>> attr = importer.getIntsAttr(name);
    if (!attr) {
      if (!importer.hasAttrError())
        importer.emitNodeError() << "needs the '" << name << "' attribute";
      return failure();
    }
    return *attr;
  }
  std::optional<GraphImporter::SymbolicShape> shape =
      importer.getShapeInput(index);
  if (!shape || shape->isScalar) {
    importer.emitNodeError()
        << name << " must be a 1-D integer tensor known at import time";
    return failure();
  }
  for (auto [i, element] : llvm::enumerate(shape->elements)) {
    if (element.isKnown()) {
      list.push_back(element.value);
      continue;
    }
    if (!axes.empty() && i < axes.size() && input && element.source == input &&
        element.sourceDim == axes[i]) {
      list.push_back(kExtent);
      continue;
    }
    importer.emitNodeError()
        << name << "[" << i << "] is a run-time extent of another tensor; "
        << "slice bounds must be known at import time";
    return failure();
  }
  return list;
}

LogicalResult GraphImporter::importSlice() {
  // A shape vector (constant or symbolic) slices at import time.
  std::optional<SymbolicShape> shapeData = getShapeInput(0);
  Value input;
  int64_t rank = 1;
  SmallVector<int64_t> extents;
  if (shapeData && !shapeData->isScalar) {
    extents.push_back(shapeData->elements.size());
  } else {
    shapeData.reset();
    FailureOr<Value> in = getInput(0);
    if (failed(in))
      return failure();
    input = *in;
    auto type = cast<RankedTensorType>(input.getType());
    rank = type.getRank();
    llvm::append_range(extents, type.getShape());
  }

  // The axes first: the other lists may refer to their extents.
  SmallVector<int64_t> axes;
  bool hasAxes = getOpset() < 10 ? findAttr("axes") != nullptr : hasInput(3);
  if (hasAxes) {
    FailureOr<SmallVector<int64_t>> list =
        readSliceList(*this, 3, "axes", Value(), {});
    if (failed(list))
      return failure();
    for (int64_t axis : *list) {
      FailureOr<int64_t> a = normalizeAxis(axis, rank);
      if (failed(a))
        return failure();
      if (llvm::is_contained(axes, *a)) {
        emitNodeError() << "axis " << axis << " is repeated";
        return failure();
      }
      axes.push_back(*a);
    }
  }
  FailureOr<SmallVector<int64_t>> starts =
      readSliceList(*this, 1, "starts", input, axes);
  if (failed(starts))
    return failure();
  if (!hasAxes)
    for (int64_t i = 0, e = starts->size(); i < e && i < rank; ++i)
      axes.push_back(i);
  FailureOr<SmallVector<int64_t>> ends =
      readSliceList(*this, 2, "ends", input, axes);
  if (failed(ends))
    return failure();
  SmallVector<int64_t> steps(axes.size(), 1);
  if (getOpset() >= 10 && hasInput(4)) {
    FailureOr<SmallVector<int64_t>> list =
        readSliceList(*this, 4, "steps", Value(), {});
    if (failed(list))
      return failure();
    steps = *list;
  }
  if (starts->size() != axes.size() || ends->size() != axes.size() ||
      steps.size() != axes.size()) {
    emitNodeError() << "starts, ends, axes and steps have " << starts->size()
                    << ", " << ends->size() << ", " << axes.size() << " and "
                    << steps.size() << " values; they need one per sliced axis";
    return failure();
  }

  Value result = input;
  SmallVector<GraphImporter::ShapeElement> elements;
  if (shapeData)
    elements = shapeData->elements;
  for (auto [i, axis] : llvm::enumerate(axes)) {
    int64_t start = (*starts)[i], end = (*ends)[i], step = steps[i];
    if (step == 0) {
      emitNodeError() << "steps[" << i << "] is 0";
      return failure();
    }
    int64_t extent = extents[axis];
    if (ShapedType::isDynamic(extent)) {
      // Only the whole of a dynamic axis can be taken.
      if (step == 1 && start == 0 && (end == kExtent || end >= INT32_MAX))
        continue;
      emitNodeError() << "axis " << axis << " has a dynamic extent; only "
                      << "all of it can be sliced";
      return failure();
    }
    AxisSlice slice = resolveSlice(start, end, step, extent);
    if (slice.count == 0) {
      emitNodeError() << "the slice of axis " << axis << " is empty; "
                      << "zero-sized tensors are not supported";
      return failure();
    }
    if (shapeData) {
      SmallVector<GraphImporter::ShapeElement> picked;
      for (int64_t k = 0; k < slice.count; ++k)
        picked.push_back(elements[slice.start + k * slice.step]);
      elements = std::move(picked);
      continue;
    }
    if (slice.step == 1 && slice.start == 0 && slice.count == extent)
      continue;
    FailureOr<Value> sliced = sliceStrided(*this, result, axis, slice);
    if (failed(sliced))
      return failure();
    result = *sliced;
  }
  if (shapeData) {
    SymbolicShape shape;
    shape.elements = std::move(elements);
    setShapeOutput(0, std::move(shape));
    return success();
  }
  setOutput(0, result);
  return success();
}

//===----------------------------------------------------------------------===//
// Split
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importSplit() {
  FailureOr<Value> input = getInput(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  FailureOr<int64_t> axis =
      normalizeAxis(getIntAttr("axis", 0), type.getRank());
  if (failed(axis))
    return failure();
  int64_t extent = type.getDimSize(*axis);
  if (ShapedType::isDynamic(extent)) {
    emitNodeError() << "the split axis " << *axis << " of " << type
                    << " must have a static extent";
    return failure();
  }
  int64_t outputs = node->output_size();
  SmallVector<int64_t> sizes;
  if (getOpset() < 13) {
    if (std::optional<SmallVector<int64_t>> attr = getIntsAttr("split"))
      sizes = *attr;
  } else if (hasInput(1)) {
    DenseElementsAttr value = getConstantInput(1);
    if (!value || !isa<IntegerType>(value.getElementType()) ||
        value.getType().getRank() != 1) {
      emitNodeError()
          << "split must be a 1-D integer tensor known at import time";
      return failure();
    }
    for (const APInt &v : value.getValues<APInt>())
      sizes.push_back(v.getSExtValue());
  }
  if (hasAttrError())
    return failure();
  if (const onnx::AttributeProto *attr = findAttr("num_outputs")) {
    int64_t count = getIntAttr("num_outputs", 0);
    if (!sizes.empty() || count != outputs || count < 1) {
      emitNodeError() << "num_outputs " << attr->i() << " must equal the "
                      << outputs << " outputs and come without split sizes";
      return failure();
    }
    // Equal parts, the last one smaller when the extent does not divide.
    int64_t size = (extent + count - 1) / count;
    for (int64_t i = 0; i < count; ++i)
      sizes.push_back(std::min(size, extent - i * size));
  } else if (sizes.empty()) {
    if (extent % outputs != 0) {
      emitNodeError() << "cannot split extent " << extent << " into " << outputs
                      << " equal parts";
      return failure();
    }
    sizes.assign(outputs, extent / outputs);
  }
  if (static_cast<int64_t>(sizes.size()) != outputs) {
    emitNodeError() << "split has " << sizes.size() << " sizes for " << outputs
                    << " outputs";
    return failure();
  }
  int64_t total = 0;
  for (int64_t size : sizes) {
    if (size <= 0) {
      emitNodeError() << "split size " << size
                      << " is not positive; zero-sized tensors are not "
                         "supported";
      return failure();
    }
    total += size;
    if (total > extent)
      break;
  }
  if (total != extent) {
    emitNodeError() << "split sizes add up to " << total << ", not the extent "
                    << extent << " of axis " << *axis;
    return failure();
  }
  int64_t offset = 0;
  for (auto [i, size] : llvm::enumerate(sizes)) {
    setOutput(i, createSlice(*input, *axis, offset, size));
    offset += size;
  }
  dropIfUnused(*input);
  return success();
}
