//===- QCLowerMacs.cpp - Quantized MACs to kernel-level qc ops ------------===//
//
// Implements qc-lower-macs. Convolutions and dense layers whose weights are
// binary and whose inputs are binary or ternary activations become
// bitpack + xnor_popcount on packed words. Layers with uniform k-bit
// activations become bit-serial AND-popcounts (binary or low-bit uniform
// weights), ternary masked popcounts, shift-adds (power-of-two weights),
// per-centroid accumulation (codebook and asymmetric ternary weights) or an
// integer MAC on the activation codes; float activations with few weight
// levels (codebook, ternary, power of two, binary) become per-centroid
// accumulation. All end in the float output transform
// acc * unit_w * scale_a + bias.
//
//===----------------------------------------------------------------------===//

#include "passes/QCLowerMacs.h"
#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"
#include "dialects/QC/Utils/TensorBuilders.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/bit.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCLOWERMACS
#include "passes/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;
using namespace mlir::qc;

namespace {

/// Activations a popcount kernel can take: values in {-alpha, +alpha}
/// (binary) or {-alpha, 0, +alpha} (ternary, which needs a mask plane).
struct ActivationGrid {
  double alpha;
  bool hasZero;
};

/// The qc.dequantize whose values `value` holds, seen through ops that
/// only move or select values. A max-pool selects an input element only
/// when every window holds one (pad < kernel); a window of padding alone
/// yields -inf, which is on no grid.
DequantizeOp findDequantize(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto pool = dyn_cast<tosa::MaxPool2dOp>(def)) {
      ArrayRef<int64_t> kernel = pool.getKernel(), pad = pool.getPad();
      for (int64_t i = 0; i < 4; ++i)
        if (pad[i] >= kernel[i / 2])
          return nullptr;
    }
    if (isa<tosa::TransposeOp, tosa::ReshapeOp, tosa::MaxPool2dOp>(def)) {
      value = def->getOperand(0);
      continue;
    }
    return dyn_cast<DequantizeOp>(def);
  }
  return nullptr;
}

/// The grid that the float values of `value` lie on, when they come from a
/// per-tensor binary or symmetric ternary `qc.dequantize`.
std::optional<ActivationGrid> findActivationGrid(Value value) {
  DequantizeOp dequantize = findDequantize(value);
  if (!dequantize)
    return std::nullopt;
  Type element = dequantize.getInput().getType().getElementType();
  if (auto binary = dyn_cast<BinaryType>(element)) {
    ArrayRef<double> alpha = binary.getAlpha().asArrayRef();
    if (alpha.size() == 1 && alpha[0] > 0)
      return ActivationGrid{alpha[0], false};
  }
  if (auto ternary = dyn_cast<TernaryType>(element)) {
    ArrayRef<double> alphaP = ternary.getAlphaP().asArrayRef();
    ArrayRef<double> alphaN = ternary.getAlphaN().asArrayRef();
    if (alphaP.size() == 1 && alphaN.size() == 1 && alphaP[0] > 0 &&
        alphaP[0] == alphaN[0])
      return ActivationGrid{alphaP[0], true};
  }
  return std::nullopt;
}

/// A binary weight stored packed: its sign words and per-channel alphas.
struct PackedBinaryWeight {
  DenseIntElementsAttr words;
  SmallVector<double> alpha; // one per output channel, or one
};

/// Codes of a row-major tensor of `shape` permuted as tosa.transpose does.
SmallVector<uint64_t> permuteCodes(ArrayRef<uint64_t> codes,
                                   ArrayRef<int64_t> shape,
                                   ArrayRef<int64_t> perms) {
  int64_t rank = shape.size();
  SmallVector<int64_t> strides(rank, 1), outShape(rank);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  for (int64_t d = 0; d < rank; ++d)
    outShape[d] = shape[perms[d]];
  SmallVector<uint64_t> result(codes.size());
  SmallVector<int64_t> index(rank, 0); // index into the result
  for (uint64_t &out : result) {
    int64_t source = 0;
    for (int64_t d = 0; d < rank; ++d)
      source += index[d] * strides[perms[d]];
    out = codes[source];
    for (int64_t d = rank - 1; d >= 0 && ++index[d] == outShape[d]; --d)
      index[d] = 0;
  }
  return result;
}

/// The packed constant a layer's weight reads through qc.dequantize,
/// possibly through a constant transpose that keeps the output channels
/// first (QONNX exports OIHW weights that the importer transposes).
struct StoredWeight {
  ConstantOp constant;
  SmallVector<int64_t> perms; // empty: no transpose
};

std::optional<StoredWeight> matchStoredWeight(Value weight) {
  StoredWeight stored;
  if (auto transpose = weight.getDefiningOp<tosa::TransposeOp>()) {
    if (failed(transpose.getConstantPerms(stored.perms)) ||
        stored.perms.empty() || stored.perms[0] != 0)
      return std::nullopt;
    weight = transpose.getInput1();
  }
  auto dequantize = weight.getDefiningOp<DequantizeOp>();
  if (!dequantize)
    return std::nullopt;
  stored.constant = dequantize.getInput().getDefiningOp<ConstantOp>();
  if (!stored.constant ||
      !isa<DenseIntElementsAttr>(stored.constant.getValue()) ||
      !stored.constant.getType().hasStaticShape())
    return std::nullopt;
  auto quantized =
      cast<QuantizedTypeInterface>(stored.constant.getType().getElementType());
  // Per-channel parameters must follow the output channels.
  if (quantized.getQuantAxis() > 0)
    return std::nullopt;
  return stored;
}

/// The weight's codes in the layer's layout (after the transpose), and
/// that layout's shape.
SmallVector<uint64_t> getLayerCodes(StoredWeight stored,
                                    SmallVector<int64_t> &shape) {
  auto type = stored.constant.getType();
  auto quantized = cast<QuantizedTypeInterface>(type.getElementType());
  SmallVector<uint64_t> codes =
      unpackCodes(cast<DenseIntElementsAttr>(stored.constant.getValue()),
                  type.getShape(), quantized.getCodeBits());
  shape.assign(type.getShape().begin(), type.getShape().end());
  if (stored.perms.empty())
    return codes;
  SmallVector<int64_t> permuted;
  for (int64_t p : stored.perms)
    permuted.push_back(shape[p]);
  codes = permuteCodes(codes, shape, stored.perms);
  shape = permuted;
  return codes;
}

/// Codes of at most 8 bits as an i8 tensor of `shape` (power-of-two codes,
/// centroid indices), as the kernels read them.
DenseIntElementsAttr getCodesAttr(MLIRContext *ctx, ArrayRef<uint64_t> codes,
                                  ArrayRef<int64_t> shape) {
  SmallVector<APInt> ints;
  for (uint64_t code : codes)
    ints.push_back(APInt(8, code));
  return DenseIntElementsAttr::get(
      RankedTensorType::get(shape, IntegerType::get(ctx, 8)), ints);
}

/// The packed binary weight that `weight` reads, repacked along the
/// layer's innermost axis when it is read through a transpose.
std::optional<PackedBinaryWeight> matchBinaryWeight(Value weight) {
  std::optional<StoredWeight> stored = matchStoredWeight(weight);
  if (!stored)
    return std::nullopt;
  auto binary =
      dyn_cast<BinaryType>(stored->constant.getType().getElementType());
  if (!binary)
    return std::nullopt;
  auto words = cast<DenseIntElementsAttr>(stored->constant.getValue());
  if (!stored->perms.empty()) {
    SmallVector<int64_t> shape;
    SmallVector<uint64_t> codes = getLayerCodes(*stored, shape);
    words =
        packCodes(codes, shape, 1, cast<IntegerType>(words.getElementType()));
  }
  ArrayRef<double> alpha = binary.getAlpha().asArrayRef();
  return PackedBinaryWeight{words, SmallVector<double>(alpha)};
}

/// A weight whose values are an integer tensor times one unit per output
/// channel: uniform codes (minus zero point) times the scale, +-1 times
/// alpha (binary), {-1, 0, 1} times alpha (symmetric ternary), and
/// +-2^(e - emin) times scale * 2^emin (power of two).
struct IntegerWeight {
  DenseIntElementsAttr values; // i8, or i32 when the values need it
  SmallVector<double> unit;    // one per output channel
  int64_t maxAbs;
  SmallVector<uint64_t> codes; // the stored codes, in the layer's layout
  Type type;                   // the quantized element type
};

std::optional<IntegerWeight> matchIntegerWeight(Value weight) {
  std::optional<StoredWeight> stored = matchStoredWeight(weight);
  if (!stored)
    return std::nullopt;
  Type element = stored->constant.getType().getElementType();
  auto quantized = cast<QuantizedTypeInterface>(element);
  int64_t channels = stored->constant.getType().getDimSize(0);
  auto param = [&](ArrayRef<double> values, int64_t c) {
    return values.size() == 1 ? values[0] : values[c];
  };
  // The unit of channel c, or 0 when the type has no integer form.
  std::function<double(int64_t)> unitOf;
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(element)) {
    unitOf = [=](int64_t) { return uniform.getScale(); };
  } else if (auto axis =
                 dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
    unitOf = [=](int64_t c) { return axis.getScales()[c]; };
  } else if (auto binary = dyn_cast<BinaryType>(element)) {
    unitOf = [=](int64_t c) {
      return param(binary.getAlpha().asArrayRef(), c);
    };
  } else if (auto ternary = dyn_cast<TernaryType>(element)) {
    unitOf = [=](int64_t c) {
      double p = param(ternary.getAlphaP().asArrayRef(), c);
      return p == param(ternary.getAlphaN().asArrayRef(), c) ? p : 0.0;
    };
  } else if (auto pot = dyn_cast<PowerOfTwoType>(element)) {
    unitOf = [=](int64_t c) {
      return std::ldexp(param(pot.getScale().asArrayRef(), c), pot.getEmin());
    };
  } else {
    return std::nullopt;
  }

  SmallVector<int64_t> shape;
  SmallVector<uint64_t> codes = getLayerCodes(*stored, shape);
  int64_t perChannel = codes.size() / channels;
  SmallVector<double> units;
  SmallVector<int64_t> values;
  int64_t maxAbs = 0;
  for (int64_t c = 0; c < channels; ++c) {
    double unit = unitOf(c);
    if (!(unit > 0) && unit != 0)
      return std::nullopt;
    bool allZero = true;
    for (int64_t i = 0; i < perChannel; ++i) {
      double v = quantized.dequantizeCode(codes[c * perChannel + i], c);
      allZero &= v == 0;
    }
    if (unit == 0 && !allZero)
      return std::nullopt; // asymmetric ternary: no single unit
    if (unit == 0)
      unit = 1;
    units.push_back(unit);
    for (int64_t i = 0; i < perChannel; ++i) {
      double q = quantized.dequantizeCode(codes[c * perChannel + i], c) / unit;
      double r = std::nearbyint(q);
      if (std::fabs(q - r) > 1e-6 * std::max(1.0, std::fabs(r)) ||
          std::fabs(r) > (1 << 24))
        return std::nullopt;
      values.push_back(static_cast<int64_t>(r));
      maxAbs = std::max<int64_t>(maxAbs, std::llabs(values.back()));
    }
  }
  MLIRContext *ctx = weight.getContext();
  auto intType = IntegerType::get(ctx, maxAbs <= 127 ? 8 : 32);
  SmallVector<APInt> ints;
  for (int64_t v : values)
    ints.push_back(APInt(intType.getWidth(), v, /*isSigned=*/true));
  auto type = RankedTensorType::get(shape, intType);
  return IntegerWeight{DenseIntElementsAttr::get(type, ints), units, maxAbs,
                       std::move(codes), element};
}

/// Emits `acc * scale[o] + bias[o]` in float over the innermost axis, with
/// scale[o] = alpha_w[o] * alpha_a.
Value emitOutputTransform(RewriterBase &rewriter, Location loc, Value acc,
                          RankedTensorType resultType, ArrayRef<double> alphaW,
                          double alphaA, Value bias) {
  int64_t rank = resultType.getRank();
  int64_t outputs = resultType.getShape().back();
  auto floatType = cast<FloatType>(resultType.getElementType());
  Value floats = acc;
  if (acc.getType() != resultType)
    floats = rewriter.create<tosa::CastOp>(loc, resultType, acc);

  SmallVector<int64_t> channelShape(rank, 1);
  channelShape.back() = outputs;
  auto channelType = RankedTensorType::get(channelShape, floatType);
  SmallVector<APFloat> scales;
  for (int64_t o = 0; o < outputs; ++o) {
    APFloat scale((alphaW.size() == 1 ? alphaW[0] : alphaW[o]) * alphaA);
    bool lost;
    scale.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &lost);
    scales.push_back(scale);
  }
  Value scale = rewriter.create<tosa::ConstOp>(
      loc, channelType, DenseElementsAttr::get(channelType, scales));
  Value scaled = rewriter.create<tosa::MulOp>(loc, resultType, floats, scale,
                                              rewriter.getI8IntegerAttr(0));
  Value channelBias = rewriter.create<tosa::ReshapeOp>(
      loc, channelType, bias, rewriter.getDenseI64ArrayAttr(channelShape));
  return rewriter.create<tosa::AddOp>(loc, resultType, scaled, channelBias);
}

/// Packs the input's signs (and its non-zero mask for ternary activations)
/// into words of the weight's width.
std::pair<Value, Value> emitPackedInput(RewriterBase &rewriter, Location loc,
                                        Value input, const ActivationGrid &grid,
                                        Type wordType) {
  auto type = cast<RankedTensorType>(input.getType());
  auto packedType = RankedTensorType::get(
      getPackedShape(type.getShape(), 1, wordType.getIntOrFloatBitWidth()),
      wordType);
  Value signs = rewriter.create<BitpackOp>(loc, packedType, input);
  Value mask;
  if (grid.hasZero)
    mask = rewriter.create<BitpackOp>(loc, packedType, input,
                                      /*nonzero=*/rewriter.getUnitAttr());
  return {signs, mask};
}

/// The operands of a layer qc-lower-macs handles: tosa.conv2d (NHWC input,
/// OHWI weight) or tosa.fully_connected (O x K weight).
struct Layer {
  Value input, weight, bias;
  ConvAttr conv; // null for a dense layer
};

std::optional<Layer> getLayer(Operation *op) {
  if (auto conv = dyn_cast<tosa::Conv2DOp>(op))
    return Layer{conv.getInput(), conv.getWeight(), conv.getBias(),
                 ConvAttr::get(op->getContext(), conv.getStride(),
                               conv.getPad(), conv.getDilation(),
                               /*groups=*/1)};
  if (auto dense = dyn_cast<tosa::FullyConnectedOp>(op))
    return Layer{dense.getInput(), dense.getWeight(), dense.getBias(), {}};
  return std::nullopt;
}

/// The unpacked length of the layer input's innermost axis, when the input
/// is float with a static innermost extent (what both kernels need).
std::optional<int64_t> getInputDepth(const Layer &layer) {
  auto type = cast<RankedTensorType>(layer.input.getType());
  if (!isa<FloatType>(type.getElementType()) || type.getRank() == 0 ||
      ShapedType::isDynamic(type.getShape().back()))
    return std::nullopt;
  return type.getShape().back();
}

/// True when the layer is dense, or a convolution whose input H and W and
/// kernel KH and KW are static: the kernels' loops and output extents need
/// them (other layers stay on the reference path).
bool hasStaticWindow(const Layer &layer) {
  if (!layer.conv)
    return true;
  auto input = cast<RankedTensorType>(layer.input.getType());
  auto weight = cast<RankedTensorType>(layer.weight.getType());
  return input.getRank() == 4 && weight.getRank() == 4 &&
         !input.isDynamicDim(1) && !input.isDynamicDim(2) &&
         !weight.isDynamicDim(1) && !weight.isDynamicDim(2);
}

/// The narrowest accumulator, 16 or 32 bits, that holds every |acc| <=
/// `bound` (the bound the kernel op's verifier computes), or 0 when
/// neither does and the kernel must not be used.
unsigned getAccumulatorBits(double bound) {
  if (bound < std::ldexp(1.0, 15))
    return 16;
  return bound < std::ldexp(1.0, 31) ? 32 : 0;
}

/// Everything the rewrite of a layer needs, or nullopt when it has no
/// popcount kernel.
struct BinaryLayer {
  Layer layer;
  PackedBinaryWeight weight;
  ActivationGrid grid;
  int64_t depth;
  unsigned accBits; // |acc| <= K = depth x KH x KW
};

std::optional<BinaryLayer> matchBinaryLayer(Operation *op) {
  std::optional<Layer> layer = getLayer(op);
  if (!layer)
    return std::nullopt;
  std::optional<int64_t> depth = getInputDepth(*layer);
  std::optional<PackedBinaryWeight> weight = matchBinaryWeight(layer->weight);
  std::optional<ActivationGrid> grid = findActivationGrid(layer->input);
  if (!depth || !weight || !grid || !hasStaticWindow(*layer))
    return std::nullopt;
  double products = *depth;
  if (layer->conv) {
    auto shape = weight->words.getType().getShape();
    products *= shape[1] * shape[2];
  }
  unsigned accBits = getAccumulatorBits(products);
  if (!accBits)
    return std::nullopt;
  return BinaryLayer{*layer, *weight, *grid, *depth, accBits};
}

/// Replaces `op` by bitpack + xnor_popcount + the output transform.
void lowerBinaryLayer(Operation *op, const BinaryLayer &binary,
                      RewriterBase &rewriter) {
  Location loc = op->getLoc();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Type wordType = binary.weight.words.getElementType();
  auto [signs, mask] =
      emitPackedInput(rewriter, loc, binary.layer.input, binary.grid, wordType);
  Value packedWeight =
      rewriter.create<arith::ConstantOp>(loc, binary.weight.words);
  Value acc = rewriter.create<XnorPopcountOp>(
      loc, resultType.clone(rewriter.getIntegerType(binary.accBits)), signs,
      packedWeight, mask, rewriter.getI64IntegerAttr(binary.depth),
      binary.layer.conv,
      /*pad_value=*/rewriter.getI64IntegerAttr(0));
  rewriter.replaceOp(op,
                     emitOutputTransform(rewriter, loc, acc, resultType,
                                         binary.weight.alpha, binary.grid.alpha,
                                         binary.layer.bias));
}

/// The kernel a layer with uniform activations and integer weights takes.
enum class IntegerKernel { Mac, Bitserial, Ternary, Shift };

/// A layer with per-tensor uniform activations and a weight with an integer
/// form. Its kernel works on the activation codes: relative to the zero
/// point (c - z) for the integer MAC and shift-add, or as unsigned codes
/// u = c - qmin in bit-planes for the popcount kernels, where the real 0
/// (and the padding) is the code u0 = z - qmin.
struct IntegerLayer {
  Layer layer;
  IntegerWeight weight;
  double scaleA;
  IntegerKernel kernel;
  int64_t zeroCode;     // u0
  unsigned planesA = 0; // bit-planes of u
  unsigned planesW = 0; // bit-planes of the weights (bit-serial)
  unsigned shiftInputBits = 0;
  /// Accumulator width: the narrowest of 16 and 32 bits that holds the
  /// kernel's bound (as its verifier computes it).
  unsigned accBits = 32;
};

std::optional<IntegerLayer> matchIntegerLayer(Operation *op,
                                              int64_t bitserialMaxBits) {
  std::optional<Layer> layer = getLayer(op);
  if (!layer)
    return std::nullopt;
  DequantizeOp dequantize = findDequantize(layer->input);
  if (!dequantize)
    return std::nullopt;
  auto activation = dyn_cast<quant::UniformQuantizedType>(
      dequantize.getInput().getType().getElementType());
  if (!activation || !getInputDepth(*layer) || !hasStaticWindow(*layer))
    return std::nullopt;
  std::optional<IntegerWeight> weight = matchIntegerWeight(layer->weight);
  if (!weight)
    return std::nullopt;
  // The i32 accumulator must hold K * max|x - z| * max|w| (K: the products
  // per output).
  int64_t qmin = activation.getStorageTypeMin(),
          qmax = activation.getStorageTypeMax(),
          zero = activation.getZeroPoint();
  int64_t maxA = std::max(std::abs(qmin - zero), std::abs(qmax - zero));
  auto weightShape =
      cast<RankedTensorType>(weight->values.getType()).getShape();
  double products = 1;
  for (int64_t d : weightShape.drop_front())
    products *= d;
  if (products * maxA * weight->maxAbs >= std::ldexp(1.0, 31))
    return std::nullopt;

  IntegerLayer integer{*layer, *weight, activation.getScale(),
                       IntegerKernel::Mac, zero - qmin};

  integer.planesA = llvm::bit_width(static_cast<uint64_t>(qmax - qmin));
  double maxU = std::ldexp(1.0, integer.planesA) - 1;
  // The largest |accumulator| of the chosen kernel, as its verifier bounds
  // it; a kernel whose bound needs more than 32 bits is not taken.
  double bound = products * maxA * weight->maxAbs;
  auto fits = [](double b) { return getAccumulatorBits(b) != 0; };
  if (isa<TernaryType>(weight->type) && integer.planesA <= 8 &&
      fits(products * maxU)) {
    integer.kernel = IntegerKernel::Ternary;
    bound = products * maxU;
  } else if (auto pot = dyn_cast<PowerOfTwoType>(weight->type)) {
    unsigned bits = maxA <= 127 ? 8 : 16;
    double shiftBound =
        products * std::ldexp(1.0, bits - 1 + pot.getEmax() - pot.getEmin());
    if (maxA <= 32767 && fits(shiftBound)) {
      integer.kernel = IntegerKernel::Shift;
      integer.shiftInputBits = bits;
      bound = shiftBound;
    }
  } else if (!isa<TernaryType>(weight->type)) {
    // Binary weights take one sign plane; others two's-complement planes.
    bool sign = isa<BinaryType>(weight->type);
    // Two's complement of [-maxAbs, maxAbs].
    integer.planesW =
        sign ? 1 : llvm::bit_width(static_cast<uint64_t>(weight->maxAbs)) + 1;
    double serialBound =
        products * maxU * (sign ? 1.0 : std::ldexp(1.0, integer.planesW - 1));
    if (integer.planesA <= 8 && integer.planesW <= 8 &&
        integer.planesA * integer.planesW <=
            static_cast<unsigned>(bitserialMaxBits) &&
        fits(serialBound)) {
      integer.kernel = IntegerKernel::Bitserial;
      bound = serialBound;
    }
  }
  // The integer MAC keeps i32, the width of its codes.
  if (integer.kernel != IntegerKernel::Mac)
    integer.accBits = getAccumulatorBits(bound);
  return integer;
}

StringRef getKernelName(IntegerKernel kernel) {
  switch (kernel) {
  case IntegerKernel::Mac:
    return "integer MAC";
  case IntegerKernel::Bitserial:
    return "bit-serial AND-popcount";
  case IntegerKernel::Ternary:
    return "ternary masked popcount";
  case IntegerKernel::Shift:
    return "shift-add (power-of-two weights)";
  }
  return "";
}

/// The dynamic extents of `value`, a tensor of `type`.
SmallVector<Value> getDynamicSizes(OpBuilder &b, Location loc, Value value,
                                   RankedTensorType type) {
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      sizes.push_back(b.create<tensor::DimOp>(loc, value, d));
  return sizes;
}

/// The integer codes relative to the zero point, roundeven(x / s), plus
/// `offset`, of the float values `input` holds on a uniform grid of step
/// `scale` (exact, as the values lie on the grid), as a tensor of
/// `codeType`.
Value emitActivationCodes(OpBuilder &b, Location loc, Value input, double scale,
                          IntegerType codeType, int64_t offset = 0) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto codesType = inputType.clone(codeType);
  Value empty = b.create<tensor::EmptyOp>(
      loc, codesType, getDynamicSizes(b, loc, input, inputType));
  Value step = b.create<arith::ConstantOp>(
      loc, b.getFloatAttr(inputType.getElementType(), scale));
  auto identity = b.getMultiDimIdentityMap(inputType.getRank());
  SmallVector<utils::IteratorType> parallel(inputType.getRank(),
                                            utils::IteratorType::parallel);
  return b
      .create<linalg::GenericOp>(
          loc, codesType, input, empty, ArrayRef<AffineMap>{identity, identity},
          parallel,
          [&](OpBuilder &nb, Location l, ValueRange args) {
            Value q = nb.create<arith::DivFOp>(l, args[0], step);
            q = nb.create<math::RoundEvenOp>(l, q);
            Value code = nb.create<arith::FPToSIOp>(l, codeType, q);
            if (offset != 0)
              code = nb.create<arith::AddIOp>(
                  l, code,
                  nb.create<arith::ConstantOp>(
                      l, nb.getIntegerAttr(codeType, offset)));
            nb.create<linalg::YieldOp>(l, ValueRange{code});
          })
      .getResult(0);
}

/// The narrowest word that holds `depth` bits, at least 8 and at most 32.
IntegerType getWordType(MLIRContext *ctx, int64_t depth) {
  return IntegerType::get(ctx, depth <= 8 ? 8 : depth <= 16 ? 16 : 32);
}

/// Packs `planes` bit-planes of integer `values` (row-major over `shape`):
/// plane j holds bit j of the two's-complement value, or, when `sign`, one
/// plane of v < 0 (bit 1 = -1).
DenseIntElementsAttr packPlanes(ArrayRef<int64_t> values,
                                ArrayRef<int64_t> shape, unsigned planes,
                                bool sign, IntegerType wordType) {
  SmallVector<APInt> words;
  SmallVector<int64_t> packedShape;
  for (unsigned j = 0; j < planes; ++j) {
    SmallVector<uint64_t> bits;
    for (int64_t v : values)
      bits.push_back(sign ? v < 0 : (static_cast<uint64_t>(v) >> j) & 1);
    DenseIntElementsAttr plane = packCodes(bits, shape, 1, wordType);
    packedShape.assign(plane.getType().getShape().begin(),
                       plane.getType().getShape().end());
    llvm::append_range(words, plane.getValues<APInt>());
  }
  packedShape.insert(packedShape.begin(), planes);
  return DenseIntElementsAttr::get(RankedTensorType::get(packedShape, wordType),
                                   words);
}

/// Unsigned activation codes u = roundeven(x / s) + u0 in bit-planes, the
/// convolution's padding filled with u0 (the real 0) before packing.
Value emitActivationPlanes(RewriterBase &rewriter, Location loc,
                           const IntegerLayer &integer, IntegerType wordType) {
  IntegerType i32 = rewriter.getI32Type();
  Value codes = emitActivationCodes(rewriter, loc, integer.layer.input,
                                    integer.scaleA, i32, integer.zeroCode);
  if (ConvAttr conv = integer.layer.conv)
    codes = builders::padSpatial(
        rewriter, loc, codes, conv.getPad(),
        rewriter.create<arith::ConstantOp>(
            loc, rewriter.getI32IntegerAttr(integer.zeroCode)));
  auto codesType = cast<RankedTensorType>(codes.getType());
  SmallVector<int64_t> shape{integer.planesA};
  llvm::append_range(
      shape, getPackedShape(codesType.getShape(), 1, wordType.getWidth()));
  return rewriter.create<BitplanePackOp>(
      loc, RankedTensorType::get(shape, wordType), codes);
}

/// `acc - u0 * sum of the window's weights` per output channel: the
/// popcount kernels read unsigned codes u = (c - z) + u0.
Value emitZeroCodeCorrection(RewriterBase &rewriter, Location loc, Value acc,
                             const IntegerLayer &integer) {
  if (integer.zeroCode == 0)
    return acc;
  auto accType = cast<RankedTensorType>(acc.getType());
  auto values = integer.weight.values;
  int64_t outputs = values.getType().getDimSize(0);
  int64_t window = values.getNumElements() / outputs;
  SmallVector<int64_t> sums(outputs, 0);
  int64_t i = 0;
  for (const APInt &v : values.getValues<APInt>())
    sums[i++ / window] += integer.zeroCode * v.getSExtValue();
  unsigned width = accType.getElementTypeBitWidth();
  SmallVector<APInt> corrections;
  for (int64_t sum : sums)
    corrections.push_back(APInt(width, sum, /*isSigned=*/true));
  SmallVector<int64_t> channelShape(accType.getRank(), 1);
  channelShape.back() = outputs;
  auto channelType =
      RankedTensorType::get(channelShape, accType.getElementType());
  Value correction = rewriter.create<tosa::ConstOp>(
      loc, channelType, DenseElementsAttr::get(channelType, corrections));
  return rewriter.create<tosa::SubOp>(loc, accType, acc, correction);
}

/// Replaces `op` by its integer kernel on the activation codes and the
/// output transform acc * s * unit[o] + bias:
///   integer MAC: c - z, zero-padded, an integer linalg.conv_2d_nhwc_fhwc or
///                linalg.matmul_transpose_b against the integer weights;
///   bit-serial:  planes of u against two's-complement (or sign) weight
///                planes, qc.bitserial_popcount;
///   ternary:     planes of u against the weights' +1 and -1 masks,
///                qc.ternary_popcount;
///   shift-add:   c - z against the power-of-two codes, qc.shift_accumulate.
void lowerIntegerLayer(Operation *op, const IntegerLayer &integer,
                       RewriterBase &rewriter) {
  Location loc = op->getLoc();
  MLIRContext *ctx = rewriter.getContext();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Value input = integer.layer.input;
  IntegerType i32 = rewriter.getI32Type();
  auto accType = resultType.clone(rewriter.getIntegerType(integer.accBits));
  ConvAttr conv = integer.layer.conv;
  // The popcount kernels read inputs padded here.
  ConvAttr unpadded = conv ? ConvAttr::get(ctx, conv.getStrides(), {0, 0, 0, 0},
                                           conv.getDilation(), /*groups=*/1)
                           : ConvAttr();
  auto weightShape = integer.weight.values.getType().getShape();
  SmallVector<int64_t> values;
  for (const APInt &v : integer.weight.values.getValues<APInt>())
    values.push_back(v.getSExtValue());
  int64_t depth = weightShape.back();
  IntegerType wordType = getWordType(ctx, depth);

  Value acc;
  switch (integer.kernel) {
  case IntegerKernel::Bitserial: {
    Value planes = emitActivationPlanes(rewriter, loc, integer, wordType);
    bool sign = isa<BinaryType>(integer.weight.type);
    Value weights = rewriter.create<arith::ConstantOp>(
        loc, packPlanes(values, weightShape, integer.planesW, sign, wordType));
    acc = rewriter.create<BitserialPopcountOp>(
        loc, accType, planes, weights, rewriter.getI64IntegerAttr(depth),
        BitEncodingAttr::get(ctx, BitEncoding::Unsigned),
        BitEncodingAttr::get(ctx, sign ? BitEncoding::Sign
                                       : BitEncoding::TwosComplement),
        unpadded);
    acc = emitZeroCodeCorrection(rewriter, loc, acc, integer);
    break;
  }
  case IntegerKernel::Ternary: {
    Value planes = emitActivationPlanes(rewriter, loc, integer, wordType);
    SmallVector<int64_t> positive, negative;
    for (int64_t v : values) {
      positive.push_back(v > 0);
      negative.push_back(v < 0);
    }
    auto mask = [&](ArrayRef<int64_t> bits) {
      DenseIntElementsAttr packed =
          packPlanes(bits, weightShape, 1, /*sign=*/false, wordType);
      auto shape = packed.getType().getShape().drop_front();
      return rewriter.create<arith::ConstantOp>(
          loc, packed.reshape(RankedTensorType::get(shape, wordType)));
    };
    acc = rewriter.create<TernaryPopcountOp>(
        loc, accType, planes, mask(positive), mask(negative),
        rewriter.getI64IntegerAttr(depth),
        BitEncodingAttr::get(ctx, BitEncoding::Unsigned), unpadded);
    acc = emitZeroCodeCorrection(rewriter, loc, acc, integer);
    break;
  }
  case IntegerKernel::Shift: {
    auto pot = cast<PowerOfTwoType>(integer.weight.type);
    Value codes =
        emitActivationCodes(rewriter, loc, input, integer.scaleA,
                            rewriter.getIntegerType(integer.shiftInputBits));
    Value weights = rewriter.create<arith::ConstantOp>(
        loc, getCodesAttr(ctx, integer.weight.codes, weightShape));
    acc = rewriter.create<ShiftAccumulateOp>(
        loc, accType, codes, weights, rewriter.getI64IntegerAttr(pot.getEmin()),
        rewriter.getI64IntegerAttr(pot.getEmax()), conv);
    break;
  }
  case IntegerKernel::Mac: {
    Value codes =
        emitActivationCodes(rewriter, loc, input, integer.scaleA, i32);
    Value zero =
        rewriter.create<arith::ConstantOp>(loc, rewriter.getI32IntegerAttr(0));
    Value weights =
        rewriter.create<arith::ConstantOp>(loc, integer.weight.values);
    Value init = rewriter.create<tensor::EmptyOp>(
        loc, accType,
        ShapedType::isDynamic(accType.getDimSize(0))
            ? SmallVector<Value>{rewriter.create<tensor::DimOp>(loc, input, 0)}
            : SmallVector<Value>{});
    init = rewriter.create<linalg::FillOp>(loc, zero, init).getResult(0);
    if (conv) {
      // Zero padding: the grid value 0.0 is the code c = z.
      codes = builders::padSpatial(rewriter, loc, codes, conv.getPad(), zero);
      acc = rewriter
                .create<linalg::Conv2DNhwcFhwcOp>(
                    loc, TypeRange{accType}, ValueRange{codes, weights},
                    ValueRange{init},
                    rewriter.getI64TensorAttr(conv.getStrides()),
                    rewriter.getI64TensorAttr(conv.getDilation()))
                .getResult(0);
    } else {
      acc = rewriter
                .create<linalg::MatmulTransposeBOp>(loc, TypeRange{accType},
                                                    ValueRange{codes, weights},
                                                    ValueRange{init})
                .getResult(0);
    }
    break;
  }
  }
  rewriter.replaceOp(op,
                     emitOutputTransform(rewriter, loc, acc, resultType,
                                         integer.weight.unit, integer.scaleA,
                                         integer.layer.bias));
}

/// A weight with few distinct values per output channel, as centroid
/// indices (the stored codes, in the layer's layout) into one table row of
/// values per output channel: codebook weights, and for float activations
/// also binary, ternary and power-of-two weights, whose levels are
/// accumulated the same way.
struct CentroidWeight {
  DenseIntElementsAttr indices;
  DenseFPElementsAttr centroids; // outputs x k
  std::string kind;
};

std::optional<CentroidWeight> matchCentroidWeight(Value weight,
                                                  bool floatActivations) {
  std::optional<StoredWeight> stored = matchStoredWeight(weight);
  if (!stored)
    return std::nullopt;
  Type element = stored->constant.getType().getElementType();
  auto quantized = cast<QuantizedTypeInterface>(element);
  int64_t k;
  std::string kind;
  if (auto codebook = dyn_cast<CodebookType>(element)) {
    k = codebook.getNumCentroids();
    kind = "per-centroid accumulation";
  } else if ((floatActivations &&
              isa<BinaryType, TernaryType, PowerOfTwoType>(element)) ||
             (isa<TernaryType>(element) &&
              !cast<TernaryType>(element).isSymmetric())) {
    // Asymmetric ternary weights (TTQ) have no single unit per channel:
    // they keep two accumulators, Wp * sum(x at +) - Wn * sum(x at -).
    k = int64_t(1) << quantized.getCodeBits();
    kind = isa<PowerOfTwoType>(element)
               ? "per-level accumulation (power-of-two weights)"
           : isa<BinaryType>(element)
               ? "add/subtract (binary weights)"
               : "add/subtract (ternary weights, zeros skipped)";
  } else {
    return std::nullopt;
  }
  SmallVector<int64_t> shape;
  SmallVector<uint64_t> codes = getLayerCodes(*stored, shape);
  int64_t outputs = shape[0];
  MLIRContext *ctx = weight.getContext();
  SmallVector<float> table;
  for (int64_t o = 0; o < outputs; ++o)
    for (int64_t c = 0; c < k; ++c)
      table.push_back(static_cast<float>(quantized.dequantizeCode(c, o)));
  auto tableType = RankedTensorType::get({outputs, k}, Float32Type::get(ctx));
  return CentroidWeight{getCodesAttr(ctx, codes, shape),
                        cast<DenseFPElementsAttr>(DenseElementsAttr::get(
                            tableType, ArrayRef<float>(table))),
                        kind};
}

/// A layer whose weight is a centroid table: its input is float, or lies on
/// a per-tensor uniform grid (then the codes c - z are summed exactly).
struct CentroidLayer {
  Layer layer;
  CentroidWeight weight;
  std::optional<double> scaleA; // uniform activations
};

std::optional<CentroidLayer> matchCentroidLayer(Operation *op) {
  std::optional<Layer> layer = getLayer(op);
  if (!layer || !getInputDepth(*layer) || !hasStaticWindow(*layer))
    return std::nullopt;
  std::optional<double> scaleA;
  if (DequantizeOp dequantize = findDequantize(layer->input)) {
    auto activation = dyn_cast<quant::UniformQuantizedType>(
        dequantize.getInput().getType().getElementType());
    // Binary and ternary activations go to the popcount kernels.
    if (!activation)
      return std::nullopt;
    scaleA = activation.getScale();
  }
  std::optional<CentroidWeight> weight =
      matchCentroidWeight(layer->weight, /*floatActivations=*/!scaleA);
  if (!weight)
    return std::nullopt;
  return CentroidLayer{*layer, *weight, scaleA};
}

/// Replaces `op` by qc.codebook_accumulate over the input (or its codes)
/// and the output transform acc * s_a + bias.
void lowerCentroidLayer(Operation *op, const CentroidLayer &centroid,
                        RewriterBase &rewriter) {
  Location loc = op->getLoc();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Value input = centroid.layer.input;
  if (centroid.scaleA)
    input = emitActivationCodes(rewriter, loc, input, *centroid.scaleA,
                                rewriter.getI32Type());
  Value indices =
      rewriter.create<arith::ConstantOp>(loc, centroid.weight.indices);
  Value table =
      rewriter.create<arith::ConstantOp>(loc, centroid.weight.centroids);
  Value acc = rewriter.create<CodebookAccumulateOp>(
      loc, resultType.clone(rewriter.getF32Type()), input, indices, table,
      centroid.layer.conv);
  rewriter.replaceOp(op,
                     emitOutputTransform(rewriter, loc, acc, resultType, {1.0},
                                         centroid.scaleA.value_or(1.0),
                                         centroid.layer.bias));
}

struct QCLowerMacsPass : public qc::impl::QCLowerMacsBase<QCLowerMacsPass> {
  using QCLowerMacsBase::QCLowerMacsBase;

  void runOnOperation() override {
    // A plain walk, not the greedy driver: folding would turn the packed
    // weights (dequantize of qc.constant) back into float constants.
    SmallVector<Operation *> layers;
    getOperation().walk([&](Operation *op) {
      if (isa<tosa::Conv2DOp, tosa::FullyConnectedOp>(op))
        layers.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : layers) {
      rewriter.setInsertionPoint(op);
      if (std::optional<BinaryLayer> binary = matchBinaryLayer(op))
        lowerBinaryLayer(op, *binary, rewriter);
      else if (std::optional<IntegerLayer> integer =
                   matchIntegerLayer(op, bitserialMaxBits))
        lowerIntegerLayer(op, *integer, rewriter);
      else if (std::optional<CentroidLayer> centroid = matchCentroidLayer(op))
        lowerCentroidLayer(op, *centroid, rewriter);
    }
  }
};

} // namespace

std::optional<MacKernel> mlir::qc::getMacKernel(Operation *layer,
                                                int64_t bitserialMaxBits) {
  auto bytes = [](DenseIntElementsAttr values) {
    return values.getNumElements() *
           static_cast<int64_t>(
               values.getElementType().getIntOrFloatBitWidth() / 8);
  };
  if (std::optional<BinaryLayer> binary = matchBinaryLayer(layer))
    return MacKernel{binary->grid.hasZero ? "masked xnor-popcount"
                                          : "xnor-popcount",
                     bytes(binary->weight.words)};
  if (std::optional<IntegerLayer> integer =
          matchIntegerLayer(layer, bitserialMaxBits)) {
    int64_t weightBytes = bytes(integer->weight.values);
    ArrayRef<int64_t> shape = integer->weight.values.getType().getShape();
    // One bit-plane as the popcount kernels pack it.
    unsigned wordBits =
        getWordType(layer->getContext(), shape.back()).getWidth();
    int64_t planeBytes = wordBits / 8;
    for (int64_t d : getPackedShape(shape, 1, wordBits))
      planeBytes *= d;
    if (integer->kernel == IntegerKernel::Bitserial)
      weightBytes = integer->planesW * planeBytes;
    else if (integer->kernel == IntegerKernel::Ternary)
      weightBytes = 2 * planeBytes;
    else if (integer->kernel == IntegerKernel::Shift)
      weightBytes = integer->weight.values.getNumElements();
    return MacKernel{getKernelName(integer->kernel).str(), weightBytes};
  }
  if (std::optional<CentroidLayer> centroid = matchCentroidLayer(layer))
    return MacKernel{centroid->weight.kind,
                     bytes(centroid->weight.indices) +
                         4 * centroid->weight.centroids.getNumElements()};
  return std::nullopt;
}

Type mlir::qc::getActivationQuantType(Value input) {
  DequantizeOp dequantize = findDequantize(input);
  return dequantize ? dequantize.getInput().getType().getElementType() : Type();
}
