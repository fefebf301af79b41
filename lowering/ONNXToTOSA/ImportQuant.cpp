//===- ImportQuant.cpp - QDQ and QONNX quantization ops -------------------===//
//
// Imports quantized ONNX: QuantizeLinear/DequantizeLinear (QDQ) and the
// QONNX/FINN custom ops Quant, BipolarQuant and MultiThreshold. Quantization
// parameters must be constants; they become the element type of the
// quantized tensor (`!quant.uniform` for uniform k-bit, `!qc.binary` for
// bipolar), and the ops become `qc.quantize`/`qc.dequantize`. Integer weight
// initializers feeding DequantizeLinear become packed `qc.constant`s, so a
// QDQ model keeps its quantized weights; folding happens later.
//
//===----------------------------------------------------------------------===//

#include "lowering/ONNXToTOSA/GraphImporter.h"

#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"
#include "dialects/QC/QCTypes.h"

#include "mlir/Dialect/Quant/QuantOps.h"
#include "mlir/Dialect/Quant/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::onnx_import;

/// Reads a constant float tensor as doubles; null on failure (reported).
static std::optional<SmallVector<double>>
getConstantFloats(GraphImporter &importer, unsigned index, StringRef what) {
  DenseElementsAttr value = importer.getConstantInput(index);
  if (!value || !isa<FloatType>(value.getElementType())) {
    importer.emitNodeError() << what << " must be a float constant";
    return std::nullopt;
  }
  SmallVector<double> result;
  for (const APFloat &v : value.getValues<APFloat>())
    result.push_back(v.convertToDouble());
  return result;
}

/// Integer values of a constant (zero points), as int64.
static SmallVector<int64_t> getIntegers(DenseElementsAttr value) {
  SmallVector<int64_t> result;
  bool isUnsigned = value.getElementType().isUnsignedInteger();
  for (const APInt &v : value.getValues<APInt>())
    result.push_back(isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                                : v.getSExtValue());
  return result;
}

/// Builds a per-tensor or per-axis `!quant.uniform` type; reports invalid
/// parameters at `loc`.
static Type getUniformType(Location loc, bool isSigned, unsigned bits,
                           int64_t storageMin, int64_t storageMax,
                           Type expressed, ArrayRef<double> scales,
                           ArrayRef<int64_t> zeroPoints, int64_t axis) {
  MLIRContext *context = loc.getContext();
  auto emitErrorFn = [&]() { return emitError(loc); };
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  Type storage = IntegerType::get(context, bits);
  if (axis < 0)
    return quant::UniformQuantizedType::getChecked(
        emitErrorFn, flags, storage, expressed, scales[0], zeroPoints[0],
        storageMin, storageMax);
  return quant::UniformQuantizedPerAxisType::getChecked(
      emitErrorFn, flags, storage, expressed, scales, zeroPoints, axis,
      storageMin, storageMax);
}

namespace {
/// Parameters of QuantizeLinear/DequantizeLinear: scale, zero point and
/// storage type, per tensor or along `axis`.
struct LinearParams {
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  int64_t axis = -1;
  bool isSigned = false;
  unsigned bits = 8;
};
} // namespace

/// Reads y_scale (input 1), y_zero_point (input 2) and `axis` for a tensor of
/// `type`.
static FailureOr<LinearParams> getLinearParams(GraphImporter &importer,
                                               RankedTensorType type) {
  LinearParams params;
  std::optional<SmallVector<double>> scales =
      getConstantFloats(importer, 1, "the scale");
  if (!scales)
    return failure();
  params.scales = *scales;
  RankedTensorType scaleType = importer.getInputType(1);
  if (importer.hasInput(2)) {
    DenseElementsAttr zeroPoint = importer.getConstantInput(2);
    if (!zeroPoint || !isa<IntegerType>(zeroPoint.getElementType())) {
      importer.emitNodeError() << "the zero point must be an integer constant";
      return failure();
    }
    auto intType = cast<IntegerType>(zeroPoint.getElementType());
    params.bits = intType.getWidth();
    params.isSigned = !intType.isUnsigned();
    params.zeroPoints = getIntegers(zeroPoint);
  } else {
    // ONNX's default zero point is a uint8 zero.
    params.zeroPoints.assign(params.scales.size(), 0);
  }
  if (params.scales.size() != params.zeroPoints.size()) {
    importer.emitNodeError()
        << "scale and zero point have different sizes (" << params.scales.size()
        << " and " << params.zeroPoints.size() << ")";
    return failure();
  }
  if (scaleType.getRank() > 1) {
    importer.emitNodeError() << "the scale must be a scalar or 1-D";
    return failure();
  }
  // A one-element 1-D scale is per tensor too.
  if (params.scales.size() > 1) {
    FailureOr<int64_t> axis =
        importer.normalizeAxis(importer.getIntAttr("axis", 1), type.getRank());
    if (failed(axis))
      return failure();
    int64_t extent = type.getDimSize(*axis);
    if (!ShapedType::isDynamic(extent) &&
        extent != static_cast<int64_t>(params.scales.size())) {
      importer.emitNodeError()
          << "per-axis scale has " << params.scales.size()
          << " values but axis " << *axis << " has extent " << extent;
      return failure();
    }
    params.axis = *axis;
  }
  return params;
}

/// The `!quant.uniform` type for ONNX linear quantization parameters.
static Type getLinearType(GraphImporter &importer, const LinearParams &params,
                          Type expressed) {
  int64_t min = params.isSigned ? -(int64_t(1) << (params.bits - 1)) : 0;
  int64_t max = params.isSigned ? (int64_t(1) << (params.bits - 1)) - 1
                                : (int64_t(1) << params.bits) - 1;
  return getUniformType(importer.getLoc(), params.isSigned, params.bits, min,
                        max, expressed, params.scales, params.zeroPoints,
                        params.axis);
}

LogicalResult GraphImporter::importQuantizeLinear() {
  FailureOr<Value> input = getInput(0);
  if (failed(input) || failed(requireFloatTensor(*input, "input x")))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  FailureOr<LinearParams> params = getLinearParams(*this, type);
  if (failed(params))
    return failure();
  if (params->bits != 8) {
    emitNodeError() << "only 8-bit quantization is supported";
    return failure();
  }
  Type quantType = getLinearType(*this, *params, type.getElementType());
  if (!quantType)
    return failure();
  auto resultType = RankedTensorType::get(type.getShape(), quantType);
  setOutput(0, builder.create<QuantizeOp>(loc, resultType, *input));
  return success();
}

LogicalResult GraphImporter::importDequantizeLinear() {
  RankedTensorType inputType = getInputType(0);
  if (!inputType) {
    (void)getInput(0);
    return failure();
  }
  Type expressed = builder.getF32Type();
  if (hasInput(1))
    if (RankedTensorType scaleType = getInputType(1))
      expressed = scaleType.getElementType();
  if (!isa<FloatType>(expressed)) {
    emitNodeError() << "the scale must be a float tensor";
    return failure();
  }
  FailureOr<LinearParams> params = getLinearParams(*this, inputType);
  if (failed(params))
    return failure();
  auto resultType = RankedTensorType::get(inputType.getShape(), expressed);

  // The output of a QuantizeLinear: its type carries the parameters.
  if (isa<quant::QuantizedType>(inputType.getElementType())) {
    LinearParams expected = *params;
    auto storage = cast<quant::QuantizedType>(inputType.getElementType());
    expected.isSigned = storage.isSigned();
    expected.bits = storage.getStorageTypeIntegralWidth();
    if (!hasInput(2))
      expected.zeroPoints.assign(expected.scales.size(), 0);
    Type quantType = getLinearType(*this, expected, expressed);
    if (!quantType)
      return failure();
    if (inputType.getElementType() != quantType) {
      emitNodeError() << "dequantizes " << inputType.getElementType()
                      << " with different parameters " << quantType
                      << "; requantization is not supported";
      return failure();
    }
    FailureOr<Value> input = getInput(0);
    if (failed(input))
      return failure();
    setOutput(0, builder.create<DequantizeOp>(loc, resultType, *input));
    return success();
  }

  auto intType = dyn_cast<IntegerType>(inputType.getElementType());
  if (!intType) {
    emitNodeError() << "input x must be an integer or quantized tensor, got "
                    << inputType;
    return failure();
  }
  if (hasInput(2) && intType.getWidth() != params->bits) {
    emitNodeError() << "x and the zero point have different types";
    return failure();
  }
  params->bits = intType.getWidth();
  params->isSigned = !intType.isUnsigned();

  DenseElementsAttr constant = getConstantInput(0);
  if (constant && (params->bits > 8 || inputType.getRank() == 0)) {
    // 32-bit biases (and scalars) have no packed qc form: they dequantize
    // now, (x - zero point) * scale.
    ArrayRef<int64_t> shape = inputType.getShape();
    SmallVector<int64_t> codes = getIntegers(constant);
    SmallVector<float> real;
    for (auto [i, q] : llvm::enumerate(codes)) {
      int64_t channel =
          params->axis < 0 ? 0 : getIndexAlongAxis(i, shape, params->axis);
      real.push_back(static_cast<float>(
          static_cast<double>(q - params->zeroPoints[channel]) *
          params->scales[channel]));
    }
    if (!expressed.isF32()) {
      emitNodeError() << "only f32 scales are supported";
      return failure();
    }
    setConstantOutput(
        0, DenseElementsAttr::get(resultType, ArrayRef<float>(real)));
    return success();
  }
  if (params->bits != 8) {
    emitNodeError() << "only 8-bit quantized tensors are supported";
    return failure();
  }
  Type quantType = getLinearType(*this, *params, expressed);
  if (!quantType)
    return failure();
  auto quantTensorType = RankedTensorType::get(inputType.getShape(), quantType);
  Value quantized;
  if (constant) {
    // Codes are the storage-width two's complement bits, packed.
    SmallVector<uint64_t> codes;
    for (int64_t q : getIntegers(constant))
      codes.push_back(static_cast<uint64_t>(q) & 0xff);
    if (!inputType.hasStaticShape()) {
      emitNodeError() << "constant must have a static shape";
      return failure();
    }
    DenseIntElementsAttr words =
        packCodes(codes, inputType.getShape(), 8, builder.getI32Type());
    quantized = builder.create<ConstantOp>(loc, quantTensorType, words);
  } else {
    // An integer tensor computed at run time: reinterpret its storage.
    FailureOr<Value> input = getInput(0);
    if (failed(input))
      return failure();
    Value storage = *input;
    if (intType.isUnsigned())
      storage = builder.create<tensor::BitcastOp>(
          loc,
          RankedTensorType::get(inputType.getShape(),
                                builder.getIntegerType(intType.getWidth())),
          storage);
    quantized =
        builder.create<quant::StorageCastOp>(loc, quantTensorType, storage);
  }
  setOutput(0, builder.create<DequantizeOp>(loc, resultType, quantized));
  return success();
}

//===----------------------------------------------------------------------===//
// QONNX
//===----------------------------------------------------------------------===//

/// Per-tensor or per-axis parameters given as a tensor that broadcasts
/// against `type`: a single value, or values along exactly one axis.
static FailureOr<int64_t> getParamAxis(GraphImporter &importer,
                                       RankedTensorType type,
                                       RankedTensorType paramType,
                                       StringRef what) {
  if (paramType.getNumElements() == 1)
    return -1;
  int64_t rank = type.getRank();
  if (paramType.getRank() > rank) {
    importer.emitNodeError()
        << what << " " << paramType << " does not broadcast to " << type;
    return failure();
  }
  int64_t axis = -1;
  int64_t offset = rank - paramType.getRank();
  for (int64_t d = 0; d < paramType.getRank(); ++d) {
    int64_t extent = paramType.getDimSize(d);
    if (extent == 1)
      continue;
    int64_t tensorExtent = type.getDimSize(d + offset);
    if (axis >= 0 ||
        (!ShapedType::isDynamic(tensorExtent) && tensorExtent != extent)) {
      importer.emitNodeError() << what << " " << paramType
                               << " must vary along one axis of " << type;
      return failure();
    }
    axis = d + offset;
  }
  return axis;
}

LogicalResult GraphImporter::importQONNXQuant() {
  FailureOr<Value> input = getInput(0);
  if (failed(input) || failed(requireFloatTensor(*input, "input x")))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  std::optional<SmallVector<double>> scales =
      getConstantFloats(*this, 1, "the scale");
  std::optional<SmallVector<double>> zeroPoints =
      scales ? getConstantFloats(*this, 2, "the zero point") : std::nullopt;
  std::optional<SmallVector<double>> bitWidth =
      zeroPoints ? getConstantFloats(*this, 3, "the bit width") : std::nullopt;
  if (!bitWidth)
    return failure();
  bool isSigned = getBoolAttr("signed", true);
  bool narrow = getBoolAttr("narrow", false);
  std::string rounding = getStringAttr("rounding_mode", "ROUND");
  if (rounding != "ROUND" && rounding != "HALF_EVEN") {
    emitNodeError() << "rounding_mode '" << rounding
                    << "' is not supported (ROUND only)";
    return failure();
  }
  if (bitWidth->size() != 1 ||
      *bitWidth->begin() != std::floor(*bitWidth->begin()) ||
      *bitWidth->begin() < 1 || *bitWidth->begin() > 32) {
    emitNodeError() << "the bit width must be one integer in [1, 32]";
    return failure();
  }
  unsigned bits = static_cast<unsigned>(*bitWidth->begin());
  FailureOr<int64_t> scaleAxis =
      getParamAxis(*this, type, getInputType(1), "the scale");
  FailureOr<int64_t> zeroAxis =
      getParamAxis(*this, type, getInputType(2), "the zero point");
  if (failed(scaleAxis) || failed(zeroAxis))
    return failure();
  int64_t axis = *scaleAxis >= 0 ? *scaleAxis : *zeroAxis;
  if (*scaleAxis >= 0 && *zeroAxis >= 0 && *scaleAxis != *zeroAxis) {
    emitNodeError() << "scale and zero point vary along different axes";
    return failure();
  }
  size_t channels = std::max(scales->size(), zeroPoints->size());
  if (scales->size() == 1)
    scales->assign(channels, scales->front());
  if (zeroPoints->size() == 1)
    zeroPoints->assign(channels, zeroPoints->front());
  SmallVector<int64_t> zeros;
  for (double z : *zeroPoints) {
    if (z != std::floor(z)) {
      emitNodeError() << "zero point " << z << " is not an integer";
      return failure();
    }
    zeros.push_back(static_cast<int64_t>(z));
  }
  // QONNX's integer range for the signed/narrow flags.
  int64_t min, max;
  if (isSigned) {
    min = -(int64_t(1) << (bits - 1)) + (narrow ? 1 : 0);
    max = (int64_t(1) << (bits - 1)) - 1;
  } else {
    min = 0;
    max = (int64_t(1) << bits) - 1 - (narrow ? 1 : 0);
  }
  Type quantType = getUniformType(loc, isSigned, bits, min, max,
                                  type.getElementType(), *scales, zeros, axis);
  if (!quantType)
    return failure();
  auto quantTensorType = RankedTensorType::get(type.getShape(), quantType);
  Value quantized = builder.create<QuantizeOp>(loc, quantTensorType, *input);
  setOutput(0, builder.create<DequantizeOp>(loc, type, quantized));
  return success();
}

LogicalResult GraphImporter::importBipolarQuant() {
  FailureOr<Value> input = getInput(0);
  if (failed(input) || failed(requireFloatTensor(*input, "input x")))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  std::optional<SmallVector<double>> scales =
      getConstantFloats(*this, 1, "the scale");
  if (!scales)
    return failure();
  FailureOr<int64_t> axis =
      getParamAxis(*this, type, getInputType(1), "the scale");
  if (failed(axis))
    return failure();
  auto emitErrorFn = [&]() { return emitError(loc); };
  Type binaryType = BinaryType::getChecked(
      emitErrorFn, context, cast<FloatType>(type.getElementType()),
      DenseF64ArrayAttr::get(context, *scales), *axis);
  if (!binaryType)
    return failure();
  auto quantTensorType = RankedTensorType::get(type.getShape(), binaryType);
  Value quantized = builder.create<QuantizeOp>(loc, quantTensorType, *input);
  setOutput(0, builder.create<DequantizeOp>(loc, type, quantized));
  return success();
}

LogicalResult GraphImporter::importMultiThreshold() {
  FailureOr<Value> input = getInput(0);
  FailureOr<Value> thresholds = getInput(1);
  if (failed(input) || failed(thresholds) ||
      failed(requireFloatTensor(*input, "input x")) ||
      failed(requireFloatTensor(*thresholds, "thresholds", {2})))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  int64_t rank = type.getRank();
  float outScale = getFloatAttr("out_scale", 1.0f);
  float outBias = getFloatAttr("out_bias", 0.0f);
  std::string layout = getStringAttr("data_layout", "NCHW");
  if (rank < 2) {
    emitNodeError() << "input must have rank >= 2";
    return failure();
  }
  // qc.multi_threshold counts along the innermost axis; FINN's default
  // layouts put channels at axis 1.
  bool channelsFirst = rank > 2 && StringRef(layout).starts_with("NC");
  SmallVector<int64_t> toLast, fromLast;
  if (channelsFirst) {
    toLast.push_back(0);
    for (int64_t d = 2; d < rank; ++d)
      toLast.push_back(d);
    toLast.push_back(1);
    fromLast.assign(rank, 0);
    for (int64_t d = 0; d < rank; ++d)
      fromLast[toLast[d]] = d;
  }
  Value x = channelsFirst ? createTranspose(*input, toLast) : *input;
  Value counted = builder.create<MultiThresholdOp>(
      loc, x.getType(), x, *thresholds, builder.getF64FloatAttr(outScale),
      builder.getF64FloatAttr(outBias));
  setOutput(0, channelsFirst ? createTranspose(counted, fromLast) : counted);
  return success();
}
