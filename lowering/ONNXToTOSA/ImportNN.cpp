//===- ImportNN.cpp - Conv, pooling, BatchNormalization -------------------===//
//
// Imports ONNX's layer ops. ONNX is NCHW and TOSA's convolutions and pools
// are NHWC, so each Conv/Pool is converted locally: the activation is
// transposed NCHW -> NHWC, weights OIHW -> OHWI (folded at import time when
// constant), and the result transposed back. Canonicalization later cancels
// the back-to-back transposes between layers. 1-D convolutions and pools
// become 2-D ones with a unit height. Windows are made exact (TOSA requires
// the padded extent to be covered by whole strides) by trimming the end
// padding or slicing off input that no window reaches. TOSA's pools have no
// dilation: dilated ones are built from tap slices (ImportDilatedPool.cpp).
//
//===----------------------------------------------------------------------===//

#include "lowering/ONNXToTOSA/GraphImporter.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc::onnx_import;

static constexpr int64_t kToNHWC[] = {0, 2, 3, 1};
static constexpr int64_t kToNCHW[] = {0, 3, 1, 2};

/// The largest pad, stride, dilation or kernel extent a window may have.
/// Real networks stay far below; the bound keeps the extent arithmetic of a
/// hostile model from overflowing or asking for absurd padded buffers.
static constexpr int64_t kMaxWindowValue = int64_t(1) << 16;
/// The largest padded plane (H x W elements per image and channel) a window
/// may read, for the same reason.
static constexpr int64_t kMaxPaddedPlane = int64_t(1) << 26;

namespace {
/// One spatial axis of a convolution or pooling window, with the padding
/// adjusted so that TOSA's exact-division rule holds.
struct WindowAxis {
  int64_t kernel = 1, stride = 1, dilation = 1;
  int64_t padBegin = 0, padEnd = 0;
  /// Output extent (dynamic when the input extent is).
  int64_t output = ShapedType::kDynamic;
  /// Input extent to slice to before the op; dynamic when no slice is needed.
  int64_t sliceTo = ShapedType::kDynamic;
  /// The end padding the model asks for, before makeExact.
  int64_t declaredEnd = 0;

  int64_t effectiveKernel() const { return (kernel - 1) * dilation + 1; }
};

/// The 2-D window of a Conv/Pool node (1-D ones with a unit first axis).
struct Window {
  WindowAxis axes[2];

  SmallVector<int64_t> kernel() const {
    return {axes[0].kernel, axes[1].kernel};
  }
  SmallVector<int64_t> stride() const {
    return {axes[0].stride, axes[1].stride};
  }
  SmallVector<int64_t> dilation() const {
    return {axes[0].dilation, axes[1].dilation};
  }
  bool isDilated() const {
    return axes[0].dilation != 1 || axes[1].dilation != 1;
  }
  /// TOSA order: top, bottom, left, right.
  SmallVector<int64_t> pad() const {
    return {axes[0].padBegin, axes[0].padEnd, axes[1].padBegin, axes[1].padEnd};
  }
};
} // namespace

/// Sets the end padding that makes (output - 1) * stride + kernel extent
/// exactly the padded input extent, slicing off trailing input that no
/// window reaches when even zero end padding is too much.
static void makeExact(WindowAxis &axis, int64_t extent) {
  int64_t end = (axis.output - 1) * axis.stride + axis.effectiveKernel() -
                extent - axis.padBegin;
  if (end >= 0) {
    axis.padEnd = end;
  } else {
    axis.padEnd = 0;
    axis.sliceTo = extent + end;
  }
}

/// Reads strides, dilations, pads and auto_pad of the current Conv/Pool node
/// for the spatial extents `input` and kernel extents `kernel`, and computes
/// output extents (with ceil_mode for pools).
static FailureOr<Window> computeWindow(GraphImporter &importer,
                                       ArrayRef<int64_t> input,
                                       ArrayRef<int64_t> kernel,
                                       bool ceilMode) {
  size_t spatial = input.size();
  auto readList = [&](StringRef name,
                      int64_t fill) -> FailureOr<SmallVector<int64_t>> {
    std::optional<SmallVector<int64_t>> values = importer.getIntsAttr(name);
    size_t expected = name == "pads" ? 2 * spatial : spatial;
    if (!values)
      return SmallVector<int64_t>(expected, fill);
    if (values->size() != expected) {
      importer.emitNodeError()
          << "attribute '" << name << "' has " << values->size()
          << " values, expected " << expected;
      return failure();
    }
    for (int64_t v : *values) {
      if (v < (name == "pads" ? 0 : 1) || v > kMaxWindowValue) {
        importer.emitNodeError()
            << "attribute '" << name << "' has invalid value " << v
            << " (expected " << (name == "pads" ? 0 : 1) << " to "
            << kMaxWindowValue << ")";
        return failure();
      }
    }
    return *values;
  };
  FailureOr<SmallVector<int64_t>> strides = readList("strides", 1);
  FailureOr<SmallVector<int64_t>> dilations = readList("dilations", 1);
  FailureOr<SmallVector<int64_t>> pads = readList("pads", 0);
  if (failed(strides) || failed(dilations) || failed(pads))
    return failure();
  std::string autoPad = importer.getStringAttr("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER") {
    importer.emitNodeError() << "unknown auto_pad '" << autoPad << "'";
    return failure();
  }
  if (autoPad != "NOTSET" && importer.findAttr("pads")) {
    bool allZero = llvm::all_of(*pads, [](int64_t p) { return p == 0; });
    if (!allZero) {
      importer.emitNodeError()
          << "'pads' cannot be used with auto_pad '" << autoPad << "'";
      return failure();
    }
  }

  Window window;
  size_t offset = 2 - spatial;
  // The unit height of a 1-D op.
  for (size_t i = 0; i < offset; ++i)
    window.axes[i].output = 1;
  for (size_t i = 0; i < spatial; ++i) {
    WindowAxis &axis = window.axes[offset + i];
    if (kernel[i] > kMaxWindowValue) {
      importer.emitNodeError() << "kernel extent " << kernel[i]
                               << " is larger than " << kMaxWindowValue;
      return failure();
    }
    axis.kernel = kernel[i];
    axis.stride = (*strides)[i];
    axis.dilation = (*dilations)[i];
    axis.padBegin = (*pads)[i];
    axis.padEnd = (*pads)[i + spatial];
    int64_t extent = input[i];
    int64_t effective = (axis.kernel - 1) * axis.dilation + 1;
    if (autoPad == "VALID") {
      axis.padBegin = axis.padEnd = 0;
    } else if (autoPad != "NOTSET") {
      if (ShapedType::isDynamic(extent)) {
        importer.emitNodeError()
            << "auto_pad " << autoPad << " needs static spatial extents";
        return failure();
      }
      int64_t out = (extent + axis.stride - 1) / axis.stride;
      int64_t total =
          std::max<int64_t>(0, (out - 1) * axis.stride + effective - extent);
      axis.padBegin = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      axis.padEnd = total - axis.padBegin;
    }
    axis.declaredEnd = axis.padEnd;
    if (ShapedType::isDynamic(extent))
      continue;
    int64_t span = extent + axis.padBegin + axis.padEnd - effective;
    if (span < 0) {
      importer.emitNodeError()
          << "window of extent " << effective
          << " is larger than the padded input (" << extent << " + "
          << axis.padBegin << " + " << axis.padEnd << ")";
      return failure();
    }
    int64_t out = span / axis.stride + 1;
    if (ceilMode && span % axis.stride != 0) {
      ++out;
      // As PyTorch and onnxruntime: the last window must start inside the
      // input or its leading padding.
      if ((out - 1) * axis.stride >= extent + axis.padBegin)
        --out;
    }
    axis.output = out;
    makeExact(axis, extent);
  }
  // The padded extent each window sweeps (the unit height of a 1-D op
  // gives 1); all factors are bounded above, so nothing overflows.
  int64_t plane = 1;
  for (const WindowAxis &axis : window.axes) {
    if (ShapedType::isDynamic(axis.output))
      return window;
    plane *= (axis.output - 1) * axis.stride + axis.effectiveKernel();
  }
  if (plane > kMaxPaddedPlane) {
    importer.emitNodeError() << "the padded input plane has " << plane
                             << " elements per channel, more than the "
                             << kMaxPaddedPlane << " this importer accepts";
    return failure();
  }
  return window;
}

/// Slices NHWC `input` to the extents `window` asks for.
static Value applyWindowSlices(GraphImporter &importer, Value input,
                               const Window &window) {
  for (int axis = 0; axis < 2; ++axis)
    if (!ShapedType::isDynamic(window.axes[axis].sliceTo))
      input =
          importer.createSlice(input, axis + 1, 0, window.axes[axis].sliceTo);
  return input;
}

/// Brings an N x C x (H x) W activation to NHWC, inserting a unit height for
/// 1-D ops.
static Value toNHWC(GraphImporter &importer, Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getRank() == 3)
    input = importer.createReshape(
        input, {type.getDimSize(0), type.getDimSize(1), 1, type.getDimSize(2)});
  return importer.createTranspose(input, kToNHWC);
}

/// Inverse of toNHWC for a result of original rank `rank`.
static Value fromNHWC(GraphImporter &importer, Value output, int64_t rank) {
  Value result = importer.createTranspose(output, kToNCHW);
  if (rank == 3) {
    auto type = cast<RankedTensorType>(result.getType());
    result = importer.createReshape(
        result, {type.getDimSize(0), type.getDimSize(1), type.getDimSize(3)});
  }
  return result;
}

/// The spatial extents of an N x C x ... tensor.
static SmallVector<int64_t> spatialDims(Value value) {
  return SmallVector<int64_t>(
      cast<RankedTensorType>(value.getType()).getShape().drop_front(2));
}

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importConv() {
  FailureOr<Value> input = getInput(0);
  FailureOr<Value> weight = getInput(1);
  if (failed(input) || failed(weight) ||
      failed(requireFloatTensor(*input, "input X", {3, 4})))
    return failure();
  auto inputType = cast<RankedTensorType>(input->getType());
  int64_t rank = inputType.getRank();
  if (failed(requireFloatTensor(*weight, "weight W", {rank})))
    return failure();
  auto weightType = cast<RankedTensorType>(weight->getType());
  if (!weightType.hasStaticShape()) {
    emitNodeError() << "weight W must have a static shape";
    return failure();
  }
  Type elementType = inputType.getElementType();
  int64_t channels = inputType.getDimSize(1);
  int64_t outChannels = weightType.getDimSize(0);
  int64_t group = getIntAttr("group", 1);
  if (group < 1 || outChannels % group != 0 ||
      (!ShapedType::isDynamic(channels) &&
       channels != weightType.getDimSize(1) * group)) {
    emitNodeError() << "group " << group << " does not fit input channels "
                    << (ShapedType::isDynamic(channels)
                            ? std::string("?")
                            : std::to_string(channels))
                    << " and weight shape "
                    << formatShape(weightType.getShape());
    return failure();
  }
  channels = weightType.getDimSize(1) * group;
  SmallVector<int64_t> kernel(weightType.getShape().drop_front(2));
  if (std::optional<SmallVector<int64_t>> kernelAttr =
          getIntsAttr("kernel_shape")) {
    if (ArrayRef<int64_t>(*kernelAttr) != ArrayRef<int64_t>(kernel)) {
      emitNodeError() << "kernel_shape " << formatShape(*kernelAttr)
                      << " does not match the weight shape "
                      << formatShape(weightType.getShape());
      return failure();
    }
  }
  FailureOr<Window> window =
      computeWindow(*this, spatialDims(*input), kernel, /*ceilMode=*/false);
  if (failed(window))
    return failure();

  Value bias;
  if (hasInput(2)) {
    FailureOr<Value> b = getInput(2);
    if (failed(b) || failed(requireFloatTensor(*b, "bias B", {1})))
      return failure();
    int64_t length = cast<RankedTensorType>(b->getType()).getDimSize(0);
    if (length != outChannels) {
      emitNodeError() << "bias B has "
                      << (ShapedType::isDynamic(length)
                              ? std::string("a dynamic number of")
                              : std::to_string(length))
                      << " values for " << outChannels << " output channels";
      return failure();
    }
    bias = *b;
  } else {
    auto biasType = RankedTensorType::get({outChannels}, elementType);
    bias = createConstant(DenseElementsAttr::get(
        biasType, builder.getFloatAttr(elementType, 0.0)));
  }

  // Weights to a 4-D OIHW form.
  Value w = *weight;
  if (rank == 3)
    w = createReshape(w, {outChannels, weightType.getDimSize(1), 1, kernel[0]});
  auto w4Type = cast<RankedTensorType>(w.getType());

  Value x = applyWindowSlices(*this, toNHWC(*this, *input), *window);
  auto xType = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> outShape = {xType.getDimSize(0), window->axes[0].output,
                                   window->axes[1].output, outChannels};
  auto outType = RankedTensorType::get(outShape, elementType);
  auto pad = builder.getDenseI64ArrayAttr(window->pad());
  auto stride = builder.getDenseI64ArrayAttr(window->stride());
  auto dilation = builder.getDenseI64ArrayAttr(window->dilation());

  Value result;
  if (group == 1) {
    result = builder.create<tosa::Conv2DOp>(loc, outType, x,
                                            createTranspose(w, kToNHWC), bias,
                                            pad, stride, dilation);
  } else if (group == channels) {
    // Depthwise: output channel c * m + j reads input channel c, which is
    // TOSA's H x W x C x M weight layout.
    int64_t multiplier = outChannels / channels;
    Value hwcm = createTranspose(
        createReshape(w, {channels, multiplier, w4Type.getDimSize(2),
                          w4Type.getDimSize(3)}),
        {2, 3, 0, 1});
    result = builder.create<tosa::DepthwiseConv2DOp>(
        loc, outType, x, hwcm, bias, pad, stride, dilation);
  } else {
    // General groups: one convolution per group over its channel slice.
    int64_t groupIn = channels / group, groupOut = outChannels / group;
    Value ohwi = createTranspose(w, kToNHWC);
    SmallVector<Value> parts;
    SmallVector<int64_t> partShape = outShape;
    partShape[3] = groupOut;
    auto partType = RankedTensorType::get(partShape, elementType);
    for (int64_t g = 0; g < group; ++g) {
      Value xg = createSlice(x, 3, g * groupIn, groupIn);
      Value wg = createSlice(ohwi, 0, g * groupOut, groupOut);
      Value bg = createSlice(bias, 0, g * groupOut, groupOut);
      parts.push_back(builder.create<tosa::Conv2DOp>(loc, partType, xg, wg, bg,
                                                     pad, stride, dilation));
    }
    dropIfUnused(ohwi);
    dropIfUnused(bias);
    result = builder.create<tosa::ConcatOp>(loc, outType, parts,
                                            builder.getI32IntegerAttr(3));
  }
  setOutput(0, fromNHWC(*this, result, rank));
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Shared checks of MaxPool/AveragePool: rank, kernel_shape, extra outputs.
static FailureOr<SmallVector<int64_t>> getPoolKernel(GraphImporter &importer,
                                                     Value input) {
  if (failed(importer.requireFloatTensor(input, "input X", {3, 4})))
    return failure();
  std::optional<SmallVector<int64_t>> kernel =
      importer.getIntsAttr("kernel_shape");
  int64_t spatial = cast<RankedTensorType>(input.getType()).getRank() - 2;
  if (!kernel || static_cast<int64_t>(kernel->size()) != spatial ||
      llvm::any_of(*kernel, [](int64_t k) { return k < 1; })) {
    if (!importer.hasAttrError())
      importer.emitNodeError()
          << "needs a 'kernel_shape' of " << spatial << " positive values";
    return failure();
  }
  if (importer.getNumUsedOutputs() > 1) {
    importer.emitNodeError() << "the Indices output is not supported";
    return failure();
  }
  return *kernel;
}

/// Imports a pool whose window is dilated (ImportDilatedPool.cpp).
static LogicalResult importDilatedPool(GraphImporter &importer, Value input,
                                       const Window &window,
                                       GraphImporter::PoolKind kind) {
  SmallVector<int64_t> padBegin, padEnd, output;
  for (const WindowAxis &axis : window.axes) {
    padBegin.push_back(axis.padBegin);
    padEnd.push_back(axis.declaredEnd);
    output.push_back(axis.output);
  }
  FailureOr<Value> pooled = importer.createDilatedPool(
      toNHWC(importer, input), kind, window.kernel(), window.stride(),
      window.dilation(), padBegin, padEnd, output);
  if (failed(pooled))
    return failure();
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  importer.setOutput(0, fromNHWC(importer, *pooled, rank));
  return success();
}

LogicalResult GraphImporter::importMaxPool() {
  FailureOr<Value> input = getInput(0);
  if (failed(input))
    return failure();
  FailureOr<SmallVector<int64_t>> kernel = getPoolKernel(*this, *input);
  if (failed(kernel))
    return failure();
  bool ceilMode = getBoolAttr("ceil_mode", false);
  FailureOr<Window> window =
      computeWindow(*this, spatialDims(*input), *kernel, ceilMode);
  if (failed(window))
    return failure();
  int64_t rank = cast<RankedTensorType>(input->getType()).getRank();
  if (window->isDilated())
    return importDilatedPool(*this, *input, *window, PoolKind::Max);
  Value x = applyWindowSlices(*this, toNHWC(*this, *input), *window);
  auto xType = cast<RankedTensorType>(x.getType());
  auto outType =
      RankedTensorType::get({xType.getDimSize(0), window->axes[0].output,
                             window->axes[1].output, xType.getDimSize(3)},
                            xType.getElementType());
  Value pooled = builder.create<tosa::MaxPool2dOp>(
      loc, outType, x, builder.getDenseI64ArrayAttr(window->kernel()),
      builder.getDenseI64ArrayAttr(window->stride()),
      builder.getDenseI64ArrayAttr(window->pad()));
  setOutput(0, fromNHWC(*this, pooled, rank));
  return success();
}

LogicalResult GraphImporter::importAveragePool() {
  FailureOr<Value> input = getInput(0);
  if (failed(input))
    return failure();
  FailureOr<SmallVector<int64_t>> kernel = getPoolKernel(*this, *input);
  if (failed(kernel))
    return failure();
  bool ceilMode = getBoolAttr("ceil_mode", false);
  bool countIncludePad = getBoolAttr("count_include_pad", false);
  FailureOr<Window> window =
      computeWindow(*this, spatialDims(*input), *kernel, ceilMode);
  if (failed(window))
    return failure();
  if (window->isDilated())
    return importDilatedPool(*this, *input, *window,
                             countIncludePad ? PoolKind::AvgIncludePad
                                             : PoolKind::AvgExcludePad);
  int64_t rank = cast<RankedTensorType>(input->getType()).getRank();
  Value x = toNHWC(*this, *input);
  Type elementType = cast<RankedTensorType>(x.getType()).getElementType();

  if (countIncludePad) {
    // tosa.avg_pool2d never counts padding, so the declared padding becomes
    // explicit zeros; positions beyond it (ceil_mode) stay uncounted, as in
    // PyTorch and onnxruntime.
    auto xType = cast<RankedTensorType>(x.getType());
    SmallVector<int64_t> padShape(xType.getShape());
    SmallVector<int32_t> padding(8, 0);
    bool anyPad = false;
    for (int i = 0; i < 2; ++i) {
      const WindowAxis &axis = window->axes[i];
      padding[2 * (i + 1)] = axis.padBegin;
      padding[2 * (i + 1) + 1] = axis.declaredEnd;
      anyPad |= axis.padBegin != 0 || axis.declaredEnd != 0;
      if (!ShapedType::isDynamic(padShape[i + 1]))
        padShape[i + 1] += axis.padBegin + axis.declaredEnd;
    }
    if (anyPad) {
      Value paddingValue = createConstant(DenseElementsAttr::get(
          RankedTensorType::get({4, 2}, builder.getI32Type()),
          ArrayRef<int32_t>(padding)));
      x = builder.create<tosa::PadOp>(
          loc, RankedTensorType::get(padShape, elementType), x, paddingValue);
    }
    for (int i = 0; i < 2; ++i) {
      WindowAxis &axis = window->axes[i];
      axis.padBegin = 0;
      axis.sliceTo = ShapedType::kDynamic;
      if (!ShapedType::isDynamic(padShape[i + 1]))
        makeExact(axis, padShape[i + 1]);
    }
  }
  x = applyWindowSlices(*this, x, *window);
  auto xType = cast<RankedTensorType>(x.getType());
  auto outType =
      RankedTensorType::get({xType.getDimSize(0), window->axes[0].output,
                             window->axes[1].output, xType.getDimSize(3)},
                            elementType);
  Value pooled = builder.create<tosa::AvgPool2dOp>(
      loc, outType, x, builder.getDenseI64ArrayAttr(window->kernel()),
      builder.getDenseI64ArrayAttr(window->stride()),
      builder.getDenseI64ArrayAttr(window->pad()), TypeAttr::get(elementType));
  setOutput(0, fromNHWC(*this, pooled, rank));
  return success();
}

/// Reduces every spatial axis of an N x C x ... tensor, keeping them as 1.
template <typename ReduceOp>
static Value reduceSpatial(GraphImporter &importer, Value input) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  Value result = input;
  for (int64_t axis = 2; axis < rank; ++axis)
    result = importer.getBuilder().create<ReduceOp>(
        importer.getLoc(), result,
        importer.getBuilder().getI32IntegerAttr(axis));
  return result;
}

LogicalResult GraphImporter::importGlobalAveragePool() {
  FailureOr<Value> input = getInput(0);
  if (failed(input) || failed(requireFloatTensor(*input, "input X")))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (type.getRank() < 3) {
    emitNodeError() << "input must have rank >= 3, got " << type;
    return failure();
  }
  int64_t count = 1;
  for (int64_t dim : type.getShape().drop_front(2)) {
    if (ShapedType::isDynamic(dim)) {
      emitNodeError() << "spatial extents must be static";
      return failure();
    }
    count *= dim;
  }
  Value sum = reduceSpatial<tosa::ReduceSumOp>(*this, *input);
  setOutput(0, createMul(sum, createSplat(type.getElementType(), 1.0 / count,
                                          type.getRank())));
  return success();
}

LogicalResult GraphImporter::importGlobalMaxPool() {
  FailureOr<Value> input = getInput(0);
  if (failed(input) || failed(requireFloatTensor(*input, "input X")))
    return failure();
  if (cast<RankedTensorType>(input->getType()).getRank() < 3) {
    emitNodeError() << "input must have rank >= 3";
    return failure();
  }
  setOutput(0, reduceSpatial<tosa::ReduceMaxOp>(*this, *input));
  return success();
}

//===----------------------------------------------------------------------===//
// BatchNormalization
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importBatchNormalization() {
  FailureOr<Value> input = getInput(0);
  if (failed(input) || failed(requireFloatTensor(*input, "input X")))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (type.getRank() < 2) {
    emitNodeError() << "input must have rank >= 2, got " << type;
    return failure();
  }
  if (getBoolAttr("training_mode", false) || getNumUsedOutputs() > 1) {
    emitNodeError() << "training mode (running statistics outputs) is not "
                       "supported; export the model in eval mode";
    return failure();
  }
  if (getIntAttr("spatial", 1) != 1) {
    emitNodeError() << "spatial=0 is not supported";
    return failure();
  }
  float epsilon = getFloatAttr("epsilon", 1e-5f);
  int64_t channels = type.getDimSize(1);
  int64_t rank = type.getRank();
  Type elementType = type.getElementType();
  // Parameters as 1 x C x 1 x ... so that they broadcast over N and space.
  SmallVector<int64_t> paramShape(rank, 1);
  paramShape[1] = channels;

  DenseElementsAttr scale = getConstantInput(1), bias = getConstantInput(2),
                    mean = getConstantInput(3), var = getConstantInput(4);
  for (unsigned i = 1; i <= 4; ++i) {
    RankedTensorType paramType = getInputType(i);
    if (!hasInput(i) || !paramType) {
      emitNodeError() << "missing input #" << i;
      return failure();
    }
    if (paramType.getRank() != 1 || (!ShapedType::isDynamic(channels) &&
                                     paramType.getDimSize(0) != channels)) {
      emitNodeError() << "input #" << i << " must have shape [" << channels
                      << "], got " << paramType;
      return failure();
    }
    if (!isa<FloatType>(paramType.getElementType())) {
      emitNodeError() << "input #" << i << " must be a float tensor, got "
                      << paramType;
      return failure();
    }
  }
  if (ShapedType::isDynamic(channels)) {
    emitNodeError() << "the channel dimension must be static";
    return failure();
  }

  if (scale && bias && mean && var) {
    // y = x * a + b with a = scale / sqrt(var + eps), b = B - mean * a.
    SmallVector<float> a, b;
    auto s = scale.getValues<APFloat>(), bb = bias.getValues<APFloat>(),
         mu = mean.getValues<APFloat>(), v = var.getValues<APFloat>();
    for (int64_t c = 0; c < channels; ++c) {
      double ac =
          s[c].convertToDouble() / std::sqrt(v[c].convertToDouble() + epsilon);
      a.push_back(static_cast<float>(ac));
      b.push_back(static_cast<float>(bb[c].convertToDouble() -
                                     mu[c].convertToDouble() * ac));
    }
    auto paramType = RankedTensorType::get(paramShape, builder.getF32Type());
    Value aValue =
        createConstant(DenseElementsAttr::get(paramType, ArrayRef<float>(a)));
    Value bValue =
        createConstant(DenseElementsAttr::get(paramType, ArrayRef<float>(b)));
    if (!elementType.isF32()) {
      emitNodeError() << "constant folding supports f32 only, got "
                      << elementType;
      return failure();
    }
    Value scaled = createMul(*input, aValue);
    setOutput(0, builder.create<tosa::AddOp>(loc, type, scaled, bValue));
    return success();
  }

  // Run-time parameters: (x - mean) * rsqrt(var + eps) * scale + B.
  SmallVector<Value> params;
  for (unsigned i = 1; i <= 4; ++i) {
    FailureOr<Value> p = getInput(i);
    if (failed(p) || failed(requireFloatTensor(*p, "parameter")))
      return failure();
    params.push_back(createReshape(*p, paramShape));
  }
  auto paramType = RankedTensorType::get(paramShape, elementType);
  Value varEps = builder.create<tosa::AddOp>(
      loc, paramType, params[3], createSplat(elementType, epsilon, rank));
  Value invStd = builder.create<tosa::RsqrtOp>(loc, paramType, varEps);
  Value a = createMul(params[0], invStd);
  Value centered = builder.create<tosa::SubOp>(loc, type, *input, params[2]);
  Value scaled = createMul(centered, a);
  setOutput(0, builder.create<tosa::AddOp>(loc, type, scaled, params[1]));
  return success();
}
