//===- QCOps.cpp - qc operations ------------------------------------------===//
//
// Verifiers of the qc ops: shapes, element types and attribute relations,
// including the accumulator-width bound of every kernel op, so that no
// accumulator can silently overflow.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;

#define GET_OP_CLASSES
#include "dialects/QC/QCOps.cpp.inc"

std::string mlir::qc::getLayerName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations()) {
      std::string found = getLayerName(inner);
      if (!found.empty())
        return found;
    }
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return getLayerName(callSite.getCallee());
  return "";
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

std::string mlir::qc::formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << '?';
        else
          os << d;
      },
      "x");
  return text;
}

/// Two extents agree unless both are static and differ.
static bool compatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// Per-axis checks of a value whose element type may be quantized.
static LogicalResult verifyQuantizedValue(Operation *op, Value value,
                                          StringRef what) {
  auto type = cast<RankedTensorType>(value.getType());
  auto quantized = dyn_cast<QuantizedTypeInterface>(type.getElementType());
  if (!quantized)
    return success();
  return verifyQuantizedShape([op] { return op->emitOpError(); }, quantized,
                              type.getShape(), what);
}

static LogicalResult expectRank(Operation *op, Value value, int64_t rank,
                                StringRef what, StringRef layout) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() != rank)
    return op->emitOpError()
           << "expects " << what << " to be " << rank << "-D (" << layout
           << "), got rank " << type.getRank();
  return success();
}

static int64_t dimOf(Value value, unsigned d) {
  return cast<RankedTensorType>(value.getType()).getDimSize(d);
}

/// Checks that `result` has `expected` shape.
static LogicalResult verifyResultShape(Operation *op, Value result,
                                       ArrayRef<int64_t> expected) {
  auto shape = cast<RankedTensorType>(result.getType()).getShape();
  bool ok = shape.size() == expected.size();
  for (size_t i = 0; ok && i < shape.size(); ++i)
    ok = compatible(shape[i], expected[i]);
  if (!ok)
    return op->emitOpError()
           << "result shape " << formatShape(shape)
           << " does not match the expected " << formatShape(expected);
  return success();
}

/// Shape of an NHWC convolution result.
static SmallVector<int64_t> convResultShape(ConvAttr conv, Value input,
                                            int64_t kernelH, int64_t kernelW,
                                            int64_t outChannels) {
  return {dimOf(input, 0), conv.getOutputSize(0, dimOf(input, 1), kernelH),
          conv.getOutputSize(1, dimOf(input, 2), kernelW), outChannels};
}

/// Checks the fused output transform and the activation attributes.
static LogicalResult verifyOutputTransform(Operation *op, Value multiplier,
                                           Value bias, int64_t outChannels,
                                           Activation act,
                                           std::optional<APFloat> clampMin,
                                           std::optional<APFloat> clampMax,
                                           Value result) {
  for (auto [value, name] :
       {std::pair{multiplier, "multiplier"}, std::pair{bias, "bias"}}) {
    int64_t n = dimOf(value, 0);
    if (!compatible(n, outChannels))
      return op->emitOpError()
             << "'" << name << "' has " << n << " entries but there are "
             << outChannels << " output channels";
  }
  bool hasClamp = clampMin.has_value() || clampMax.has_value();
  if (act == Activation::Clamp) {
    if (!clampMin || !clampMax)
      return op->emitOpError()
             << "activation 'clamp' needs both 'clamp_min' and 'clamp_max'";
    if (clampMin->convertToDouble() > clampMax->convertToDouble())
      return op->emitOpError()
             << "clamp range is empty: clamp_min ("
             << clampMin->convertToDouble() << ") > clamp_max ("
             << clampMax->convertToDouble() << ")";
  } else if (hasClamp) {
    return op->emitOpError() << "'clamp_min'/'clamp_max' are only allowed "
                                "with activation 'clamp', not '"
                             << stringifyActivation(act) << "'";
  }
  Type resultElement =
      cast<RankedTensorType>(result.getType()).getElementType();
  if (act == Activation::Sign && !isa<FloatType, BinaryType>(resultElement))
    return op->emitOpError() << "activation 'sign' produces +-1: the result "
                                "must be float or !qc.binary, got "
                             << resultElement;
  if (isa<BinaryType>(resultElement) && act != Activation::Sign)
    return op->emitOpError()
           << "a !qc.binary result needs activation 'sign', got '"
           << stringifyActivation(act) << "'";
  return success();
}

/// Weights must be quantized per tensor or along the output-channel axis.
static LogicalResult verifyWeightAxis(Operation *op, Value weight) {
  auto quantized = cast<QuantizedTypeInterface>(
      cast<RankedTensorType>(weight.getType()).getElementType());
  int64_t axis = quantized.getQuantAxis();
  if (axis > 0)
    return op->emitOpError() << "weights must be quantized per tensor or per "
                                "output channel (axis 0), got axis "
                             << axis;
  return success();
}

//===----------------------------------------------------------------------===//
// QuantizeOp / DequantizeOp / ConstantOp
//===----------------------------------------------------------------------===//

/// Shared checks of quantize and dequantize: same shape, matching float type.
static LogicalResult verifyQuantizeCast(Operation *op, Value floatValue,
                                        Value quantizedValue) {
  auto floatType = cast<RankedTensorType>(floatValue.getType());
  auto quantType = cast<RankedTensorType>(quantizedValue.getType());
  if (failed(verifyCompatibleShape(floatType, quantType)))
    return op->emitOpError()
           << "float shape " << formatShape(floatType.getShape())
           << " does not match quantized shape "
           << formatShape(quantType.getShape());
  auto quantized = cast<QuantizedTypeInterface>(quantType.getElementType());
  if (quantized.getExpressedFloatType() != floatType.getElementType())
    return op->emitOpError()
           << "quantized type expresses " << quantized.getExpressedFloatType()
           << " but the float tensor holds " << floatType.getElementType();
  return verifyQuantizedValue(op, quantizedValue, "quantized tensor");
}

LogicalResult QuantizeOp::verify() {
  return verifyQuantizeCast(*this, getInput(), getResult());
}

LogicalResult DequantizeOp::verify() {
  return verifyQuantizeCast(*this, getResult(), getInput());
}

LogicalResult ConstantOp::verify() {
  auto words = dyn_cast<DenseIntElementsAttr>(getValue());
  if (!words || !words.getElementType().isSignlessInteger() ||
      !llvm::is_contained({8u, 16u, 32u, 64u},
                          words.getElementType().getIntOrFloatBitWidth()))
    return emitOpError()
           << "value must be dense i8, i16, i32 or i64 packed words";
  RankedTensorType type = getResult().getType();
  if (!type.hasStaticShape())
    return emitOpError() << "result must have a static shape, got "
                         << formatShape(type.getShape());
  if (type.getRank() == 0)
    return emitOpError() << "result must have rank >= 1 (codes are packed "
                            "along the innermost axis)";
  auto quantized = cast<QuantizedTypeInterface>(type.getElementType());
  unsigned wordBits = words.getElementType().getIntOrFloatBitWidth();
  SmallVector<int64_t> expected =
      getPackedShape(type.getShape(), quantized.getCodeBits(), wordBits);
  if (words.getType().getShape() != ArrayRef<int64_t>(expected))
    return emitOpError() << "packed value has shape "
                         << formatShape(words.getType().getShape()) << " but a "
                         << formatShape(type.getShape()) << " tensor of "
                         << quantized.getCodeBits() << "-bit codes packs into "
                         << formatShape(expected) << " words of " << wordBits
                         << " bits";
  return verifyQuantizedValue(*this, getResult(), "constant");
}

//===----------------------------------------------------------------------===//
// Conv2DOp / DenseOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::verify() {
  if (failed(expectRank(*this, getInput(), 4, "input", "NHWC")) ||
      failed(expectRank(*this, getWeight(), 4, "weight", "OHWI")) ||
      failed(expectRank(*this, getResult(), 4, "result", "NHWC")) ||
      failed(verifyQuantizedValue(*this, getInput(), "input")) ||
      failed(verifyQuantizedValue(*this, getWeight(), "weight")) ||
      failed(verifyQuantizedValue(*this, getResult(), "result")) ||
      failed(verifyWeightAxis(*this, getWeight())))
    return failure();
  ConvAttr conv = getConv();
  int64_t groups = conv.getGroups();
  int64_t channels = dimOf(getInput(), 3);
  int64_t outChannels = dimOf(getWeight(), 0);
  int64_t weightChannels = dimOf(getWeight(), 3);
  if (!ShapedType::isDynamic(channels) && channels % groups != 0)
    return emitOpError() << "input channels (" << channels
                         << ") are not divisible by groups (" << groups << ")";
  if (!ShapedType::isDynamic(outChannels) && outChannels % groups != 0)
    return emitOpError() << "output channels (" << outChannels
                         << ") are not divisible by groups (" << groups << ")";
  if (!ShapedType::isDynamic(channels) &&
      !compatible(weightChannels, channels / groups))
    return emitOpError() << "weight has " << weightChannels
                         << " input channels per group, expected "
                         << channels / groups << " (" << channels
                         << " input channels / " << groups << " groups)";
  if (failed(verifyOutputTransform(*this, getMultiplier(), getBias(),
                                   outChannels, getAct(), getClampMin(),
                                   getClampMax(), getResult())))
    return failure();
  return verifyResultShape(*this, getResult(),
                           convResultShape(conv, getInput(),
                                           dimOf(getWeight(), 1),
                                           dimOf(getWeight(), 2), outChannels));
}

LogicalResult DenseOp::verify() {
  if (failed(expectRank(*this, getInput(), 2, "input", "N x K")) ||
      failed(expectRank(*this, getWeight(), 2, "weight", "M x K")) ||
      failed(expectRank(*this, getResult(), 2, "result", "N x M")) ||
      failed(verifyQuantizedValue(*this, getInput(), "input")) ||
      failed(verifyQuantizedValue(*this, getWeight(), "weight")) ||
      failed(verifyQuantizedValue(*this, getResult(), "result")) ||
      failed(verifyWeightAxis(*this, getWeight())))
    return failure();
  int64_t k = dimOf(getInput(), 1), weightK = dimOf(getWeight(), 1);
  if (!compatible(k, weightK))
    return emitOpError() << "input has " << k
                         << " features but weight rows have " << weightK;
  int64_t outputs = dimOf(getWeight(), 0);
  if (failed(verifyOutputTransform(*this, getMultiplier(), getBias(), outputs,
                                   getAct(), getClampMin(), getClampMax(),
                                   getResult())))
    return failure();
  return verifyResultShape(*this, getResult(), {dimOf(getInput(), 0), outputs});
}

//===----------------------------------------------------------------------===//
// BitpackOp / BitunpackOp
//===----------------------------------------------------------------------===//

/// Shared shape check of bitpack and bitunpack.
static LogicalResult verifyPackedPair(Operation *op, RankedTensorType unpacked,
                                      RankedTensorType packed) {
  if (unpacked.getRank() == 0)
    return op->emitOpError() << "cannot pack a rank-0 tensor";
  unsigned wordBits = packed.getElementTypeBitWidth();
  SmallVector<int64_t> expected =
      getPackedShape(unpacked.getShape(), /*codeBits=*/1, wordBits);
  bool ok = packed.getRank() == unpacked.getRank();
  for (int64_t i = 0; ok && i < packed.getRank(); ++i)
    ok = compatible(packed.getDimSize(i), expected[i]);
  if (!ok)
    return op->emitOpError()
           << formatShape(unpacked.getShape()) << " signs pack into "
           << formatShape(expected) << " words of " << wordBits << " bits, not "
           << formatShape(packed.getShape());
  if (auto binary = dyn_cast<BinaryType>(unpacked.getElementType()))
    if (binary.getAxis() >= unpacked.getRank())
      return op->emitOpError()
             << "binary tensor is quantized along axis " << binary.getAxis()
             << ", out of range for rank " << unpacked.getRank();
  return success();
}

LogicalResult BitpackOp::verify() {
  if (getNonzero() && !isa<FloatType>(getInput().getType().getElementType()))
    return emitOpError() << "a nonzero mask is taken of float values, not of "
                         << getInput().getType().getElementType();
  return verifyPackedPair(*this, getInput().getType(), getResult().getType());
}

LogicalResult BitunpackOp::verify() {
  return verifyPackedPair(*this, getResult().getType(), getInput().getType());
}

LogicalResult BitplanePackOp::verify() {
  RankedTensorType input = getInput().getType(), packed = getType();
  if (input.getRank() == 0)
    return emitOpError() << "cannot pack a rank-0 tensor";
  if (packed.getRank() != input.getRank() + 1)
    return emitOpError() << "result must have one leading plane dimension "
                            "more than the input (rank "
                         << input.getRank() + 1 << "), got rank "
                         << packed.getRank();
  int64_t planes = packed.getDimSize(0);
  if (ShapedType::isDynamic(planes) || planes < 1 || planes > 8)
    return emitOpError() << "must produce 1 to 8 bit-planes, got " << planes;
  unsigned wordBits = packed.getElementTypeBitWidth();
  SmallVector<int64_t> expected =
      getPackedShape(input.getShape(), /*codeBits=*/1, wordBits);
  for (int64_t i = 0; i < input.getRank(); ++i)
    if (!compatible(packed.getDimSize(i + 1), expected[i]))
      return emitOpError() << formatShape(input.getShape())
                           << " codes pack into planes x "
                           << formatShape(expected) << " words of " << wordBits
                           << " bits, not " << formatShape(packed.getShape());
  return success();
}

//===----------------------------------------------------------------------===//
// Kernel ops
//===----------------------------------------------------------------------===//

/// Bits needed to hold every integer in [-bound, bound] as a signed value.
static unsigned signedBitsFor(double bound) {
  return static_cast<unsigned>(std::ceil(std::log2(bound + 1.0))) + 1;
}

/// Checks that the accumulator type can hold `bound` (the largest possible
/// |accumulator|), so that no kernel can overflow silently.
static LogicalResult verifyAccumulatorBound(Operation *op, Value result,
                                            double bound, StringRef why) {
  auto type = cast<RankedTensorType>(result.getType());
  unsigned width = type.getElementTypeBitWidth();
  unsigned needed = signedBitsFor(bound);
  if (width < needed)
    return op->emitOpError() << "accumulator type " << type.getElementType()
                             << " can overflow: " << why << " can reach "
                             << static_cast<uint64_t>(bound) << ", which needs "
                             << needed << " bits";
  return success();
}

/// Shape checks shared by the kernel ops. `planes` is the number of leading
/// bit-plane dimensions of the input and of the weights (0 or 1). Returns
/// the number of multiply-accumulates per output (window size times depth)
/// through `macsPerOutput`.
static LogicalResult verifyKernelShapes(Operation *op, Value input,
                                        ArrayRef<Value> weights, Value result,
                                        std::optional<ConvAttr> conv,
                                        int64_t depth, unsigned inputPlanes,
                                        unsigned weightPlanes, bool packed,
                                        double &macsPerOutput) {
  unsigned baseRank = conv ? 4 : 2;
  StringRef layout = conv ? "NHWC" : "N x K";
  StringRef weightLayout = conv ? "OHWI" : "M x K";
  if (failed(expectRank(
          op, input, baseRank + inputPlanes, "input",
          inputPlanes ? (conv ? "planes x NHWC" : "planes x N x K") : layout)))
    return failure();
  for (Value w : weights)
    if (failed(expectRank(op, w, baseRank + weightPlanes, "weight",
                          weightPlanes
                              ? (conv ? "planes x OHWI" : "planes x M x K")
                              : weightLayout)))
      return failure();
  if (weights.size() == 2 && weights[0].getType() != weights[1].getType())
    return op->emitOpError() << "positive and negative weight planes must "
                                "have the same type";
  if (depth < 1)
    return op->emitOpError() << "depth must be positive, got " << depth;

  auto inShape = cast<RankedTensorType>(input.getType()).getShape();
  auto wShape = cast<RankedTensorType>(weights[0].getType()).getShape();
  auto in = inShape.drop_front(inputPlanes);
  auto w = wShape.drop_front(weightPlanes);

  int64_t expectedInner = depth;
  if (packed) {
    auto inElem = cast<RankedTensorType>(input.getType()).getElementType();
    auto wElem = cast<RankedTensorType>(weights[0].getType()).getElementType();
    if (inElem != wElem)
      return op->emitOpError() << "input and weight words must have the same "
                                  "width, got "
                               << inElem << " and " << wElem;
    expectedInner = llvm::divideCeil(depth, inElem.getIntOrFloatBitWidth());
  }
  if (!compatible(in.back(), expectedInner) ||
      !compatible(w.back(), expectedInner))
    return op->emitOpError()
           << "depth " << depth << " needs an innermost extent of "
           << expectedInner << (packed ? " words" : "") << ", got " << in.back()
           << " (input) and " << w.back() << " (weight)";

  SmallVector<int64_t> expected;
  if (conv) {
    if (conv->getGroups() != 1)
      return op->emitOpError() << "kernel ops take one packed group; split the "
                               << conv->getGroups() << " groups first";
    macsPerOutput = static_cast<double>(depth) * w[1] * w[2];
    expected = {in[0], conv->getOutputSize(0, in[1], w[1]),
                conv->getOutputSize(1, in[2], w[2]), w[0]};
  } else {
    macsPerOutput = static_cast<double>(depth);
    expected = {in[0], w[0]};
  }
  return verifyResultShape(op, result, expected);
}

/// Checks the plane count of a bit-plane operand against its encoding.
static LogicalResult verifyPlanes(Operation *op, Value value,
                                  BitEncoding encoding, StringRef what,
                                  unsigned &bits) {
  int64_t planes = dimOf(value, 0);
  if (ShapedType::isDynamic(planes) || planes < 1 || planes > 8)
    return op->emitOpError()
           << what << " must have 1 to 8 bit-planes, got " << planes;
  if (encoding == BitEncoding::Sign && planes != 1)
    return op->emitOpError() << what << " with 'sign' encoding has one plane, "
                             << "got " << planes;
  bits = planes;
  return success();
}

/// Largest magnitude of a value with `bits` planes in `encoding`.
static double maxMagnitude(BitEncoding encoding, unsigned bits) {
  switch (encoding) {
  case BitEncoding::Sign:
    return 1;
  case BitEncoding::Unsigned:
    return std::ldexp(1.0, bits) - 1;
  case BitEncoding::TwosComplement:
    return std::ldexp(1.0, bits - 1);
  }
  return 0;
}

LogicalResult XnorPopcountOp::verify() {
  double macs = 0;
  if (failed(verifyKernelShapes(*this, getInput(), {getWeight()}, getResult(),
                                getConv(), getDepthAttr().getInt(), 0, 0, true,
                                macs)))
    return failure();
  int64_t padValue = getPadValueAttr().getInt();
  if (padValue != 0 && padValue != 1)
    return emitOpError() << "pad_value must be 0 (zero-padding) or 1 "
                            "(one-padding), got "
                         << padValue;
  if (Value mask = getMask()) {
    if (mask.getType() != getInput().getType())
      return emitOpError() << "mask type " << mask.getType()
                           << " must match the input type "
                           << getInput().getType();
    if (padValue != 0)
      return emitOpError() << "with a mask, padded positions are zeros; "
                              "pad_value must be 0, got "
                           << padValue;
  }
  return verifyAccumulatorBound(*this, getResult(), macs,
                                "a +-1 dot product of this length");
}

LogicalResult BitserialPopcountOp::verify() {
  unsigned aBits = 0, wBits = 0;
  double macs = 0;
  if (failed(verifyPlanes(*this, getInput(), getInputEncoding(), "input",
                          aBits)) ||
      failed(verifyPlanes(*this, getWeight(), getWeightEncoding(), "weight",
                          wBits)) ||
      failed(verifyKernelShapes(*this, getInput(), {getWeight()}, getResult(),
                                getConv(), getDepthAttr().getInt(), 1, 1, true,
                                macs)))
    return failure();
  double bound = macs * maxMagnitude(getInputEncoding(), aBits) *
                 maxMagnitude(getWeightEncoding(), wBits);
  return verifyAccumulatorBound(*this, getResult(), bound,
                                "a bit-serial dot product of this length");
}

LogicalResult TernaryPopcountOp::verify() {
  unsigned aBits = 0;
  double macs = 0;
  if (failed(verifyPlanes(*this, getInput(), getInputEncoding(), "input",
                          aBits)) ||
      failed(verifyKernelShapes(
          *this, getInput(), {getPositive(), getNegative()}, getResult(),
          getConv(), getDepthAttr().getInt(), 1, 0, true, macs)))
    return failure();
  return verifyAccumulatorBound(*this, getResult(),
                                macs * maxMagnitude(getInputEncoding(), aBits),
                                "a ternary dot product of this length");
}

LogicalResult ShiftAccumulateOp::verify() {
  int64_t emin = getEminAttr().getInt(), emax = getEmaxAttr().getInt();
  if (emin > emax)
    return emitOpError() << "exponent range is empty: emin (" << emin
                         << ") > emax (" << emax << ")";
  if (emax - emin > 126 || PowerOfTwoType::bitsForRange(emin, emax) > 8)
    return emitOpError() << "exponent range [" << emin << ", " << emax
                         << "] needs more than 8 code bits";
  double macs = 0;
  auto inputType = cast<RankedTensorType>(getInput().getType());
  int64_t depth =
      inputType.getShape().empty() ? 0 : inputType.getShape().back();
  if (ShapedType::isDynamic(depth))
    return emitOpError() << "the reduction extent must be static";
  if (failed(verifyKernelShapes(*this, getInput(), {getWeight()}, getResult(),
                                getConv(), depth, 0, 0, false, macs)))
    return failure();
  double inputMax = std::ldexp(1.0, inputType.getElementTypeBitWidth() - 1);
  double bound = macs * inputMax * std::ldexp(1.0, emax - emin);
  return verifyAccumulatorBound(*this, getResult(), bound,
                                "a shift-accumulate of this length");
}

LogicalResult CodebookAccumulateOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  int64_t depth =
      inputType.getShape().empty() ? 0 : inputType.getShape().back();
  if (ShapedType::isDynamic(depth))
    return emitOpError() << "the reduction extent must be static";
  double macs = 0;
  if (failed(verifyKernelShapes(*this, getInput(), {getIndices()}, getResult(),
                                getConv(), depth, 0, 0, false, macs)))
    return failure();
  auto centroids = getCentroids().getType();
  int64_t outputs = dimOf(getIndices(), 0);
  if (centroids.getRank() == 2) {
    if (!compatible(centroids.getDimSize(0), outputs))
      return emitOpError() << "per-output centroid table has "
                           << centroids.getDimSize(0) << " rows for " << outputs
                           << " outputs";
  } else if (centroids.getRank() != 1) {
    return emitOpError() << "centroids must be a [k] or [outputs, k] table, "
                            "got rank "
                         << centroids.getRank();
  }
  int64_t k = centroids.getShape().back();
  unsigned indexBits =
      cast<RankedTensorType>(getIndices().getType()).getElementTypeBitWidth();
  if (!ShapedType::isDynamic(k) && indexBits < 64 &&
      k > (int64_t(1) << indexBits))
    return emitOpError() << k << " centroids cannot all be addressed by "
                         << indexBits << "-bit indices";
  return success();
}

LogicalResult MultiThresholdOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto thresholds = cast<RankedTensorType>(getThresholds().getType());
  if (inputType.getRank() < 1)
    return emitOpError() << "input must have rank >= 1 (channels innermost)";
  if (thresholds.getRank() != 2)
    return emitOpError() << "thresholds must be a [channels, T] or [1, T] "
                            "table, got rank "
                         << thresholds.getRank();
  int64_t rows = thresholds.getDimSize(0);
  int64_t channels = inputType.getShape().back();
  if (rows != 1 && !compatible(rows, channels))
    return emitOpError() << "threshold table has " << rows
                         << " rows, expected 1 or one per channel (" << channels
                         << ")";
  if (failed(verifyCompatibleShape(inputType, getResult().getType())))
    return emitOpError() << "result shape "
                         << formatShape(getResult().getType().getShape())
                         << " must match input shape "
                         << formatShape(inputType.getShape());
  if (!std::isfinite(getOutScale().convertToDouble()) ||
      !std::isfinite(getOutBias().convertToDouble()))
    return emitOpError() << "out_scale and out_bias must be finite";
  return success();
}

//===----------------------------------------------------------------------===//
// ThresholdPackOp
//===----------------------------------------------------------------------===//

LogicalResult ThresholdPackOp::verify() {
  RankedTensorType inputType = getInput().getType();
  RankedTensorType thresholds = getThresholds().getType();
  if (thresholds.getRank() != 2)
    return emitOpError() << "thresholds must be a [channels, T] or [1, T] "
                            "table, got rank "
                         << thresholds.getRank();
  int64_t count = thresholds.getDimSize(1);
  if (count != 1 && count != 2)
    return emitOpError() << "expects 1 threshold (binary levels) or 2 "
                            "(ternary levels) per channel, got "
                         << count;
  if (getNonzero() && count != 2)
    return emitOpError() << "a nonzero mask needs two thresholds (ternary "
                            "levels); binary levels are never 0";
  int64_t rows = thresholds.getDimSize(0);
  if (inputType.getRank() >= 1 && rows != 1 &&
      !compatible(rows, inputType.getShape().back()))
    return emitOpError() << "threshold table has " << rows
                         << " rows, expected 1 or one per channel ("
                         << inputType.getShape().back() << ")";
  return verifyPackedPair(*this, inputType, getResult().getType());
}

//===----------------------------------------------------------------------===//
// PackedMaxPool2dOp
//===----------------------------------------------------------------------===//

LogicalResult PackedMaxPool2dOp::verify() {
  auto inputType = cast<RankedTensorType>(getInput().getType());
  auto resultType = cast<RankedTensorType>(getResult().getType());
  if (failed(expectRank(*this, getInput(), 4, "input", "N x H x W x words")) ||
      failed(
          expectRank(*this, getResult(), 4, "result", "N x OH x OW x words")))
    return failure();
  if (inputType.getElementType() != resultType.getElementType())
    return emitOpError() << "result words " << resultType.getElementType()
                         << " differ from input words "
                         << inputType.getElementType();
  ArrayRef<int64_t> kernel = getKernel(), stride = getStride(), pad = getPad();
  if (kernel.size() != 2 || stride.size() != 2 || pad.size() != 4)
    return emitOpError() << "expects 2 kernel, 2 stride and 4 pad entries, "
                            "got "
                         << kernel.size() << ", " << stride.size() << " and "
                         << pad.size();
  for (int d = 0; d < 2; ++d) {
    if (kernel[d] < 1 || stride[d] < 1)
      return emitOpError() << "kernel and stride must be positive, got kernel "
                           << formatShape(kernel) << " and stride "
                           << formatShape(stride);
    for (int side = 0; side < 2; ++side) {
      int64_t p = pad[2 * d + side];
      if (p < 0 || p >= kernel[d])
        return emitOpError() << "pad " << p << " must be in [0, " << kernel[d]
                             << ") so that every window holds an element";
    }
  }
  SmallVector<int64_t> expected{inputType.getDimSize(0), 0, 0,
                                inputType.getDimSize(3)};
  for (int d = 0; d < 2; ++d) {
    int64_t extent = inputType.getDimSize(d + 1);
    if (ShapedType::isDynamic(extent)) {
      expected[d + 1] = ShapedType::kDynamic;
      continue;
    }
    int64_t padded = extent + pad[2 * d] + pad[2 * d + 1];
    if (padded < kernel[d])
      return emitOpError() << "padded input extent " << padded
                           << " is smaller than the kernel " << kernel[d];
    expected[d + 1] = (padded - kernel[d]) / stride[d] + 1;
  }
  return verifyResultShape(*this, getResult(), expected);
}
