//===- ImportDilatedPool.cpp - MaxPool/AveragePool with dilations ---------===//
//
// TOSA's pools have no dilation. A dilated 2-D pool is built from its taps
// instead: tap (i, j) of every window is one strided slice of the padded
// input (rows i * dilation + o * stride), which a slice, a reshape to
// (outputs, stride) and a slice of the first column extract without any
// gather. The taps are combined with tosa.maximum, or summed and divided by
// the number of taps each window counts (a constant computed here, since
// windows at the border count fewer positions unless count_include_pad).
//
//===----------------------------------------------------------------------===//

#include "lowering/ONNXToTOSA/GraphImporter.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <limits>

using namespace mlir;
using namespace mlir::qc::onnx_import;

/// Elements start, start + stride, ... (count of them) along spatial `axis`
/// (1 or 2) of the NHWC tensor `input`, which holds start + count * stride
/// elements there.
static Value takeStrided(GraphImporter &importer, Value input, int64_t axis,
                         int64_t start, int64_t count, int64_t stride) {
  auto type = cast<RankedTensorType>(input.getType());
  Value x = importer.createSlice(input, axis, start, count * stride);
  if (stride == 1)
    return x;
  SmallVector<int64_t> split(type.getShape().take_front(axis));
  split.push_back(count);
  split.push_back(stride);
  llvm::append_range(split, type.getShape().drop_front(axis + 1));
  x = importer.createReshape(x, split);
  x = importer.createSlice(x, axis + 1, 0, 1);
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = count;
  return importer.createReshape(x, shape);
}

FailureOr<Value> GraphImporter::createDilatedPool(Value input, PoolKind kind,
                                                  ArrayRef<int64_t> kernel,
                                                  ArrayRef<int64_t> stride,
                                                  ArrayRef<int64_t> dilation,
                                                  ArrayRef<int64_t> padBegin,
                                                  ArrayRef<int64_t> padEnd,
                                                  ArrayRef<int64_t> output) {
  auto type = cast<RankedTensorType>(input.getType());
  Type elementType = type.getElementType();
  int64_t extents[2] = {type.getDimSize(1), type.getDimSize(2)};
  if (ShapedType::isDynamic(extents[0]) || ShapedType::isDynamic(extents[1]) ||
      type.isDynamicDim(3) || ShapedType::isDynamic(output[0]) ||
      ShapedType::isDynamic(output[1])) {
    emitNodeError() << "dilated pooling needs static spatial extents and "
                       "channels";
    return failure();
  }
  if (kind != PoolKind::Max && !elementType.isF32()) {
    emitNodeError() << "dilated average pooling supports f32 only, got "
                    << elementType;
    return failure();
  }
  if (int64_t taps = kernel[0] * kernel[1]; taps > 1024) {
    emitNodeError() << "dilated pooling with " << taps
                    << " taps per window is not supported (at most 1024)";
    return failure();
  }

  // Pad so that every tap's strided slice fits: the last tap of an axis
  // starts at (kernel - 1) * dilation and spans output * stride elements.
  SmallVector<int32_t> padding(8, 0);
  SmallVector<int64_t> paddedShape(type.getShape());
  bool anyPad = false;
  for (int i = 0; i < 2; ++i) {
    int64_t need = (kernel[i] - 1) * dilation[i] + output[i] * stride[i];
    int64_t end = std::max<int64_t>(0, need - extents[i] - padBegin[i]);
    padding[2 * (i + 1)] = padBegin[i];
    padding[2 * (i + 1) + 1] = end;
    paddedShape[i + 1] = extents[i] + padBegin[i] + end;
    anyPad |= padBegin[i] != 0 || end != 0;
  }
  Value x = input;
  if (anyPad) {
    Value paddingValue = createConstant(DenseElementsAttr::get(
        RankedTensorType::get({4, 2}, builder.getI32Type()),
        ArrayRef<int32_t>(padding)));
    auto paddedType = RankedTensorType::get(paddedShape, elementType);
    if (kind == PoolKind::Max) {
      // Padding never wins a max.
      Value lowest = createConstant(DenseElementsAttr::get(
          RankedTensorType::get({}, elementType),
          builder.getFloatAttr(elementType,
                               -std::numeric_limits<double>::infinity())));
      x = builder.create<tosa::PadOp>(loc, paddedType, x, paddingValue, lowest);
    } else {
      x = builder.create<tosa::PadOp>(loc, paddedType, x, paddingValue);
    }
  }

  SmallVector<int64_t> outShape = {type.getDimSize(0), output[0], output[1],
                                   type.getDimSize(3)};
  auto outType = RankedTensorType::get(outShape, elementType);
  Value result;
  for (int64_t i = 0; i < kernel[0]; ++i) {
    Value rows =
        takeStrided(*this, x, 1, i * dilation[0], output[0], stride[0]);
    for (int64_t j = 0; j < kernel[1]; ++j) {
      Value tap =
          takeStrided(*this, rows, 2, j * dilation[1], output[1], stride[1]);
      if (!result)
        result = tap;
      else if (kind == PoolKind::Max)
        result = builder.create<tosa::MaximumOp>(loc, outType, result, tap);
      else
        result = builder.create<tosa::AddOp>(loc, outType, result, tap);
    }
  }
  if (kind == PoolKind::Max)
    return result;

  // The taps each window counts: those inside the input, or inside the
  // declared padding with count_include_pad.
  auto countAxis = [&](int i, int64_t o) {
    int64_t lo = kind == PoolKind::AvgIncludePad ? -padBegin[i] : 0;
    int64_t hi =
        extents[i] + (kind == PoolKind::AvgIncludePad ? padEnd[i] : int64_t(0));
    int64_t n = 0;
    for (int64_t t = 0; t < kernel[i]; ++t) {
      int64_t p = o * stride[i] + t * dilation[i] - padBegin[i];
      n += p >= lo && p < hi;
    }
    return n;
  };
  SmallVector<float> inverse;
  for (int64_t oh = 0; oh < output[0]; ++oh)
    for (int64_t ow = 0; ow < output[1]; ++ow) {
      int64_t n = countAxis(0, oh) * countAxis(1, ow);
      inverse.push_back(n ? 1.0f / static_cast<float>(n) : 0.0f);
    }
  Value scale = createConstant(DenseElementsAttr::get(
      RankedTensorType::get({1, output[0], output[1], 1}, builder.getF32Type()),
      ArrayRef<float>(inverse)));
  return createMul(result, scale);
}
