//===- QCLowerMacs.cpp - Quantized MACs to kernel-level qc ops ------------===//
//
// Implements qc-lower-macs. Convolutions and dense layers whose weights are
// binary and whose inputs are binary or ternary activations become
// bitpack + xnor_popcount on packed words; layers with uniform k-bit
// activations and weights with an integer form (uniform, binary, symmetric
// ternary, power of two) become integer linalg convolutions or matrix
// products on the activation codes. Both end in the float output transform
// acc * unit_w * scale_a + bias.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"
#include "passes/Passes.h"
#include "passes/QCLowerMacs.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

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
/// only move or select values.
DequantizeOp findDequantize(Value value) {
  while (Operation *def = value.getDefiningOp()) {
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
    words = packCodes(codes, shape, 1,
                      cast<IntegerType>(words.getElementType()));
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
  StringRef kind;
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
  StringRef kind;
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(element)) {
    unitOf = [=](int64_t) { return uniform.getScale(); };
    kind = "integer MAC";
  } else if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
    unitOf = [=](int64_t c) { return axis.getScales()[c]; };
    kind = "integer MAC";
  } else if (auto binary = dyn_cast<BinaryType>(element)) {
    unitOf = [=](int64_t c) { return param(binary.getAlpha().asArrayRef(), c); };
    kind = "integer add/subtract (binary weights)";
  } else if (auto ternary = dyn_cast<TernaryType>(element)) {
    unitOf = [=](int64_t c) {
      double p = param(ternary.getAlphaP().asArrayRef(), c);
      return p == param(ternary.getAlphaN().asArrayRef(), c) ? p : 0.0;
    };
    kind = "integer add/subtract (ternary weights)";
  } else if (auto pot = dyn_cast<PowerOfTwoType>(element)) {
    unitOf = [=](int64_t c) {
      return std::ldexp(param(pot.getScale().asArrayRef(), c), pot.getEmin());
    };
    kind = "integer shift-add (power-of-two weights)";
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
                       kind};
}

/// Emits `acc * scale[o] + bias[o]` in float over the innermost axis, with
/// scale[o] = alpha_w[o] * alpha_a.
Value emitOutputTransform(RewriterBase &rewriter, Location loc, Value acc,
                          RankedTensorType resultType,
                          ArrayRef<double> alphaW, double alphaA,
                          Value bias) {
  int64_t rank = resultType.getRank();
  int64_t outputs = resultType.getShape().back();
  auto floatType = cast<FloatType>(resultType.getElementType());
  Value floats = rewriter.create<tosa::CastOp>(loc, resultType, acc);

  SmallVector<int64_t> channelShape(rank, 1);
  channelShape.back() = outputs;
  auto channelType = RankedTensorType::get(channelShape, floatType);
  SmallVector<APFloat> scales;
  for (int64_t o = 0; o < outputs; ++o) {
    APFloat scale((alphaW.size() == 1 ? alphaW[0] : alphaW[o]) * alphaA);
    bool lost;
    scale.convert(floatType.getFloatSemantics(),
                  APFloat::rmNearestTiesToEven, &lost);
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
std::pair<Value, Value> emitPackedInput(RewriterBase &rewriter,
                                        Location loc, Value input,
                                        const ActivationGrid &grid,
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

/// Everything the rewrite of a layer needs, or nullopt when it has no
/// popcount kernel.
struct BinaryLayer {
  Layer layer;
  PackedBinaryWeight weight;
  ActivationGrid grid;
  int64_t depth;
};

std::optional<BinaryLayer> matchBinaryLayer(Operation *op) {
  std::optional<Layer> layer = getLayer(op);
  if (!layer)
    return std::nullopt;
  std::optional<int64_t> depth = getInputDepth(*layer);
  std::optional<PackedBinaryWeight> weight = matchBinaryWeight(layer->weight);
  std::optional<ActivationGrid> grid = findActivationGrid(layer->input);
  if (!depth || !weight || !grid)
    return std::nullopt;
  return BinaryLayer{*layer, *weight, *grid, *depth};
}

/// Replaces `op` by bitpack + xnor_popcount + the output transform.
void lowerBinaryLayer(Operation *op, const BinaryLayer &binary,
                      RewriterBase &rewriter) {
  Location loc = op->getLoc();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Type wordType = binary.weight.words.getElementType();
  auto [signs, mask] = emitPackedInput(rewriter, loc, binary.layer.input,
                                       binary.grid, wordType);
  Value packedWeight =
      rewriter.create<arith::ConstantOp>(loc, binary.weight.words);
  Value acc = rewriter.create<XnorPopcountOp>(
      loc, resultType.clone(rewriter.getI32Type()), signs, packedWeight, mask,
      rewriter.getI64IntegerAttr(binary.depth), binary.layer.conv,
      /*pad_value=*/rewriter.getI64IntegerAttr(0));
  rewriter.replaceOp(op, emitOutputTransform(rewriter, loc, acc, resultType,
                                             binary.weight.alpha,
                                             binary.grid.alpha,
                                             binary.layer.bias));
}

/// A layer with per-tensor uniform activations and a weight with an integer
/// form: an integer convolution or matrix product of the activation codes
/// (minus zero point) with the integer weights.
struct IntegerLayer {
  Layer layer;
  IntegerWeight weight;
  double scaleA;
};

std::optional<IntegerLayer> matchIntegerLayer(Operation *op) {
  std::optional<Layer> layer = getLayer(op);
  if (!layer)
    return std::nullopt;
  DequantizeOp dequantize = findDequantize(layer->input);
  if (!dequantize)
    return std::nullopt;
  auto activation = dyn_cast<quant::UniformQuantizedType>(
      dequantize.getInput().getType().getElementType());
  if (!activation || !getInputDepth(*layer))
    return std::nullopt;
  std::optional<IntegerWeight> weight = matchIntegerWeight(layer->weight);
  if (!weight)
    return std::nullopt;
  // The i32 accumulator must hold K * max|x - z| * max|w| (K: the products
  // per output).
  int64_t maxA = std::max(
      std::abs(activation.getStorageTypeMin() - activation.getZeroPoint()),
      std::abs(activation.getStorageTypeMax() - activation.getZeroPoint()));
  auto weightShape = cast<RankedTensorType>(weight->values.getType()).getShape();
  double products = 1;
  for (int64_t d : weightShape.drop_front())
    products *= d;
  if (products * maxA * weight->maxAbs >= std::ldexp(1.0, 31))
    return std::nullopt;
  return IntegerLayer{*layer, *weight, activation.getScale()};
}

/// Replaces `op` by: activation codes c - z = roundeven(x / s) (exact, as
/// x lies on the grid), an integer linalg convolution or matrix product
/// with zero padding, and the output transform.
void lowerIntegerLayer(Operation *op, const IntegerLayer &integer,
                       RewriterBase &rewriter) {
  Location loc = op->getLoc();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Value input = integer.layer.input;
  auto inputType = cast<RankedTensorType>(input.getType());
  Type i32 = rewriter.getI32Type();
  auto dynamicSizes = [&](Value value, RankedTensorType type) {
    SmallVector<Value> sizes;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        sizes.push_back(rewriter.create<tensor::DimOp>(loc, value, d));
    return sizes;
  };

  // Codes relative to the zero point.
  auto codesType = inputType.clone(i32);
  Value empty = rewriter.create<tensor::EmptyOp>(
      loc, codesType, dynamicSizes(input, inputType));
  Value scale = rewriter.create<arith::ConstantOp>(
      loc, rewriter.getFloatAttr(inputType.getElementType(), integer.scaleA));
  auto identity = rewriter.getMultiDimIdentityMap(inputType.getRank());
  SmallVector<utils::IteratorType> parallel(inputType.getRank(),
                                            utils::IteratorType::parallel);
  Value codes =
      rewriter
          .create<linalg::GenericOp>(
              loc, codesType, input, empty,
              ArrayRef<AffineMap>{identity, identity}, parallel,
              [&](OpBuilder &b, Location l, ValueRange args) {
                Value q = b.create<arith::DivFOp>(l, args[0], scale);
                q = b.create<math::RoundEvenOp>(l, q);
                b.create<linalg::YieldOp>(
                    l, ValueRange{b.create<arith::FPToSIOp>(l, i32, q)});
              })
          .getResult(0);

  Value weights = rewriter.create<arith::ConstantOp>(loc, integer.weight.values);
  auto accType = resultType.clone(i32);
  Value zero = rewriter.create<arith::ConstantOp>(loc, rewriter.getI32IntegerAttr(0));
  Value init = rewriter.create<tensor::EmptyOp>(
      loc, accType,
      ShapedType::isDynamic(accType.getDimSize(0))
          ? SmallVector<Value>{rewriter.create<tensor::DimOp>(loc, input, 0)}
          : SmallVector<Value>{});
  init = rewriter.create<linalg::FillOp>(loc, zero, init).getResult(0);
  Value acc;
  if (ConvAttr conv = integer.layer.conv) {
    ArrayRef<int64_t> pad = conv.getPad();
    if (llvm::any_of(pad, [](int64_t p) { return p != 0; })) {
      // Zero padding: the grid value 0.0 is the code c = z.
      SmallVector<int64_t> low{0, pad[0], pad[2], 0},
          high{0, pad[1], pad[3], 0};
      SmallVector<int64_t> paddedShape(codesType.getShape());
      for (int d = 1; d <= 2; ++d)
        if (!ShapedType::isDynamic(paddedShape[d]))
          paddedShape[d] += low[d] + high[d];
      codes = rewriter.create<tensor::PadOp>(
          loc, codesType.clone(paddedShape), codes,
          getAsIndexOpFoldResult(rewriter.getContext(), low),
          getAsIndexOpFoldResult(rewriter.getContext(), high), zero);
    }
    acc = rewriter
              .create<linalg::Conv2DNhwcFhwcOp>(
                  loc, TypeRange{accType}, ValueRange{codes, weights},
                  ValueRange{init}, rewriter.getI64TensorAttr(conv.getStrides()),
                  rewriter.getI64TensorAttr(conv.getDilation()))
              .getResult(0);
  } else {
    acc = rewriter
              .create<linalg::MatmulTransposeBOp>(
                  loc, TypeRange{accType}, ValueRange{codes, weights},
                  ValueRange{init})
              .getResult(0);
  }
  rewriter.replaceOp(op, emitOutputTransform(rewriter, loc, acc, resultType,
                                             integer.weight.unit,
                                             integer.scaleA,
                                             integer.layer.bias));
}

struct QCLowerMacsPass : public qc::impl::QCLowerMacsBase<QCLowerMacsPass> {
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
      else if (std::optional<IntegerLayer> integer = matchIntegerLayer(op))
        lowerIntegerLayer(op, *integer, rewriter);
    }
  }
};

} // namespace

std::optional<MacKernel> mlir::qc::getMacKernel(Operation *layer) {
  auto bytes = [](DenseIntElementsAttr values) {
    return values.getNumElements() *
           static_cast<int64_t>(values.getElementType().getIntOrFloatBitWidth() /
                                8);
  };
  if (std::optional<BinaryLayer> binary = matchBinaryLayer(layer))
    return MacKernel{binary->grid.hasZero ? "masked xnor-popcount"
                                          : "xnor-popcount",
                     bytes(binary->weight.words)};
  if (std::optional<IntegerLayer> integer = matchIntegerLayer(layer))
    return MacKernel{integer->weight.kind.str(), bytes(integer->weight.values)};
  return std::nullopt;
}

Type mlir::qc::getActivationQuantType(Value input) {
  DequantizeOp dequantize = findDequantize(input);
  return dequantize ? dequantize.getInput().getType().getElementType()
                    : Type();
}
