//===- ImportPad.cpp - Pad in constant, reflect and edge modes ------------===//
//
// Imports ONNX's Pad: the pads come from the attribute (opsets 2-10) or from
// a constant input (11 on, with an optional constant_value input and, from
// opset 18, an axes input). Negative pads crop the tensor first. Constant
// padding is one tosa.pad; edge and reflect padding have no TOSA op and are
// built per axis from slices (tiled for edge, reversed for reflect)
// concatenated around the tensor.
//
//===----------------------------------------------------------------------===//

#include "lowering/ONNXToTOSA/GraphImporter.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::qc::onnx_import;

/// The largest pad an axis may get: real networks pad by a few elements;
/// the bound keeps a hostile model from asking for absurd buffers.
static constexpr int64_t kMaxPad = int64_t(1) << 16;

/// Reads the pads of the current Pad node as one (begin, end) pair per axis
/// of a rank-`rank` input.
static FailureOr<SmallVector<std::pair<int64_t, int64_t>>>
readPads(GraphImporter &importer, int64_t rank) {
  SmallVector<int64_t> pads;
  if (importer.getOpset() < 11) {
    std::optional<SmallVector<int64_t>> attr = importer.getIntsAttr("pads");
    if (!attr) {
      if (!importer.hasAttrError())
        importer.emitNodeError() << "needs the 'pads' attribute";
      return failure();
    }
    pads = *attr;
  } else {
    DenseElementsAttr value = importer.getConstantInput(1);
    if (!value || !isa<IntegerType>(value.getElementType()) ||
        value.getType().getRank() != 1) {
      importer.emitNodeError()
          << "pads must be a 1-D integer tensor known at import time";
      return failure();
    }
    for (const APInt &v : value.getValues<APInt>())
      pads.push_back(v.getSExtValue());
  }

  // The axes the pads apply to (opset 18); all axes otherwise.
  SmallVector<int64_t> axes;
  if (importer.hasInput(3)) {
    DenseElementsAttr value = importer.getConstantInput(3);
    if (!value || !isa<IntegerType>(value.getElementType()) ||
        value.getType().getRank() != 1) {
      importer.emitNodeError()
          << "axes must be a 1-D integer tensor known at import time";
      return failure();
    }
    for (const APInt &v : value.getValues<APInt>()) {
      FailureOr<int64_t> axis = importer.normalizeAxis(v.getSExtValue(), rank);
      if (failed(axis))
        return failure();
      if (llvm::is_contained(axes, *axis)) {
        importer.emitNodeError()
            << "axis " << v.getSExtValue() << " is repeated";
        return failure();
      }
      axes.push_back(*axis);
    }
  } else {
    for (int64_t axis = 0; axis < rank; ++axis)
      axes.push_back(axis);
  }
  int64_t count = axes.size();
  if (static_cast<int64_t>(pads.size()) != 2 * count) {
    importer.emitNodeError()
        << "pads has " << pads.size() << " values; expected " << 2 * count
        << " for " << count << " padded axes";
    return failure();
  }
  SmallVector<std::pair<int64_t, int64_t>> result(rank, {0, 0});
  for (int64_t i = 0; i < count; ++i) {
    int64_t begin = pads[i], end = pads[i + count];
    if (std::abs(begin) > kMaxPad || std::abs(end) > kMaxPad) {
      importer.emitNodeError()
          << "pad " << (std::abs(begin) > kMaxPad ? begin : end) << " of axis "
          << axes[i] << " is beyond the supported " << kMaxPad;
      return failure();
    }
    result[axes[i]] = {begin, end};
  }
  return result;
}

/// The padding value as a rank-0 constant of `elementType`, or null for 0.
static FailureOr<Value> readConstantValue(GraphImporter &importer,
                                          Type elementType) {
  double value = 0;
  if (importer.getOpset() < 11) {
    value = importer.getFloatAttr("value", 0.0f);
    if (importer.hasAttrError())
      return failure();
  } else if (importer.hasInput(2)) {
    DenseElementsAttr attr = importer.getConstantInput(2);
    if (!attr || attr.getNumElements() != 1 ||
        attr.getElementType() != elementType) {
      importer.emitNodeError() << "constant_value must be a one-element "
                                  "constant of the input's element type";
      return failure();
    }
    if (isa<FloatType>(elementType))
      value = (*attr.getValues<APFloat>().begin()).convertToDouble();
    else
      value = static_cast<double>(
          (*attr.getValues<APInt>().begin()).getSExtValue());
  }
  if (value == 0)
    return Value();
  auto type = RankedTensorType::get({}, elementType);
  OpBuilder &builder = importer.getBuilder();
  Attribute element = isa<FloatType>(elementType)
                          ? Attribute(builder.getFloatAttr(elementType, value))
                          : Attribute(builder.getIntegerAttr(
                                elementType, static_cast<int64_t>(value)));
  return importer.createConstant(DenseElementsAttr::get(type, element));
}

/// Edge or reflect padding of `input` along `axis` by `begin` and `end`
/// (both >= 0, the extent static).
static Value padAxisFromInput(GraphImporter &importer, Value input,
                              int64_t axis, int64_t begin, int64_t end,
                              bool reflect) {
  OpBuilder &builder = importer.getBuilder();
  Location loc = importer.getLoc();
  auto type = cast<RankedTensorType>(input.getType());
  int64_t extent = type.getDimSize(axis);
  auto border = [&](int64_t start, int64_t size) -> Value {
    if (reflect) {
      Value slice = importer.createSlice(input, axis, start, size);
      return builder.create<tosa::ReverseOp>(loc, slice.getType(), slice,
                                             builder.getI32IntegerAttr(axis));
    }
    Value slice = importer.createSlice(input, axis, start, 1);
    if (size == 1)
      return slice;
    SmallVector<int64_t> multiples(type.getRank(), 1);
    multiples[axis] = size;
    SmallVector<int64_t> shape(type.getShape());
    shape[axis] = size;
    return builder.create<tosa::TileOp>(
        loc, RankedTensorType::get(shape, type.getElementType()), slice,
        builder.getDenseI64ArrayAttr(multiples));
  };
  SmallVector<Value> parts;
  if (begin > 0)
    parts.push_back(reflect ? border(1, begin) : border(0, begin));
  parts.push_back(input);
  if (end > 0)
    parts.push_back(reflect ? border(extent - 1 - end, end)
                            : border(extent - 1, end));
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = extent + begin + end;
  return builder.create<tosa::ConcatOp>(
      loc, RankedTensorType::get(shape, type.getElementType()), parts,
      builder.getI32IntegerAttr(axis));
}

LogicalResult GraphImporter::importPad() {
  FailureOr<Value> input = getInput(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  Type elementType = type.getElementType();
  if (!isa<FloatType>(elementType) && !elementType.isSignlessInteger(32)) {
    emitNodeError() << "element type " << elementType
                    << " is not supported (float or i32 only)";
    return failure();
  }
  std::string mode = getStringAttr("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge") {
    emitNodeError() << "mode '" << mode
                    << "' is not supported (constant, reflect or edge)";
    return failure();
  }
  int64_t rank = type.getRank();
  FailureOr<SmallVector<std::pair<int64_t, int64_t>>> pads =
      readPads(*this, rank);
  if (failed(pads) || hasAttrError())
    return failure();

  // The runtime takes a dynamic extent to be the batch; padded, it would not
  // be.
  for (int64_t axis = 0; axis < rank; ++axis) {
    auto [begin, end] = (*pads)[axis];
    if (type.isDynamicDim(axis) && (begin != 0 || end != 0)) {
      emitNodeError() << "cannot pad axis " << axis << ", whose extent is "
                      << "the dynamic batch (pads " << begin << ", " << end
                      << "); export the model with a static batch";
      return failure();
    }
  }

  // Negative pads remove elements; crop them off first.
  Value x = *input;
  for (int64_t axis = 0; axis < rank; ++axis) {
    auto &[begin, end] = (*pads)[axis];
    if (begin >= 0 && end >= 0)
      continue;
    int64_t extent = type.getDimSize(axis);
    if (ShapedType::isDynamic(extent)) {
      emitNodeError() << "negative pads on axis " << axis
                      << " need a static extent";
      return failure();
    }
    int64_t start = std::max<int64_t>(0, -begin);
    int64_t size = extent - start - std::max<int64_t>(0, -end);
    if (size <= 0) {
      emitNodeError() << "pads " << begin << ", " << end << " leave nothing of "
                      << "axis " << axis << " (extent " << extent << ")";
      return failure();
    }
    x = createSlice(x, axis, start, size);
    begin = std::max<int64_t>(0, begin);
    end = std::max<int64_t>(0, end);
  }

  auto xType = cast<RankedTensorType>(x.getType());
  if (mode == "constant") {
    FailureOr<Value> padValue = readConstantValue(*this, elementType);
    if (failed(padValue))
      return failure();
    SmallVector<int32_t> padding;
    SmallVector<int64_t> shape(xType.getShape());
    bool any = false;
    for (int64_t axis = 0; axis < rank; ++axis) {
      auto [begin, end] = (*pads)[axis];
      padding.push_back(begin);
      padding.push_back(end);
      any |= begin != 0 || end != 0;
      if (!ShapedType::isDynamic(shape[axis]))
        shape[axis] += begin + end;
    }
    if (!any) {
      if (*padValue)
        dropIfUnused(*padValue);
      setOutput(0, x);
      return success();
    }
    Value paddingValue = createConstant(DenseElementsAttr::get(
        RankedTensorType::get({rank, 2}, builder.getI32Type()),
        ArrayRef<int32_t>(padding)));
    auto resultType = RankedTensorType::get(shape, elementType);
    Value result =
        *padValue
            ? builder.create<tosa::PadOp>(loc, resultType, x, paddingValue,
                                          *padValue)
            : builder.create<tosa::PadOp>(loc, resultType, x, paddingValue);
    setOutput(0, result);
    return success();
  }

  // constant_value does not affect edge and reflect padding.
  bool reflect = mode == "reflect";
  for (int64_t axis = 0; axis < rank; ++axis) {
    auto [begin, end] = (*pads)[axis];
    if (begin == 0 && end == 0)
      continue;
    int64_t extent = xType.getDimSize(axis);
    if (ShapedType::isDynamic(extent)) {
      emitNodeError() << mode << " padding of axis " << axis
                      << " needs a static extent";
      return failure();
    }
    if (reflect && (begin >= extent || end >= extent)) {
      emitNodeError() << "reflect pads " << begin << ", " << end << " of axis "
                      << axis << " must be smaller than its "
                      << "extent " << extent;
      return failure();
    }
    x = padAxisFromInput(*this, x, axis, begin, end, reflect);
  }
  setOutput(0, x);
  return success();
}
