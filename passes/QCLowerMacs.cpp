//===- QCLowerMacs.cpp - Quantized MACs to kernel-level qc ops ------------===//
//
// Implements qc-lower-macs: convolutions and dense layers whose weights are
// binary and whose inputs are binary or ternary activations become
// bitpack + xnor_popcount on packed words, followed by the float output
// transform acc * alpha_w * alpha_a + bias.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"
#include "passes/Passes.h"
#include "passes/QCLowerMacs.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
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

/// The packed binary weight that `weight` reads: dequantize(qc.constant),
/// possibly through a constant transpose that keeps the output channels
/// first (QONNX exports OIHW weights that the importer transposes).
std::optional<PackedBinaryWeight> matchBinaryWeight(Value weight) {
  SmallVector<int64_t> perms;
  if (auto transpose = weight.getDefiningOp<tosa::TransposeOp>()) {
    if (failed(transpose.getConstantPerms(perms)) || perms.empty() ||
        perms[0] != 0)
      return std::nullopt;
    weight = transpose.getInput1();
  }
  auto dequantize = weight.getDefiningOp<DequantizeOp>();
  if (!dequantize)
    return std::nullopt;
  auto constant = dequantize.getInput().getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto binary =
      dyn_cast<BinaryType>(constant.getType().getElementType());
  auto words = dyn_cast<DenseIntElementsAttr>(constant.getValue());
  if (!binary || !words || binary.getAxis() > 0)
    return std::nullopt;
  if (!perms.empty()) {
    ArrayRef<int64_t> shape = constant.getType().getShape();
    SmallVector<int64_t> permuted;
    for (int64_t p : perms)
      permuted.push_back(shape[p]);
    words = packCodes(permuteCodes(unpackCodes(words, shape, 1), shape, perms),
                      permuted, 1, cast<IntegerType>(words.getElementType()));
  }
  ArrayRef<double> alpha = binary.getAlpha().asArrayRef();
  return PackedBinaryWeight{words, SmallVector<double>(alpha)};
}

/// Emits `acc * scale[o] + bias[o]` in float over the innermost axis, with
/// scale[o] = alpha_w[o] * alpha_a.
Value emitOutputTransform(RewriterBase &rewriter, Location loc, Value acc,
                          RankedTensorType resultType,
                          const PackedBinaryWeight &weight, double alphaA,
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
    double alphaW = weight.alpha.size() == 1 ? weight.alpha[0] : weight.alpha[o];
    APFloat scale(alphaW * alphaA);
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

/// tosa.conv2d (NHWC, OHWI) with binary weights and binary/ternary inputs.
LogicalResult lowerBinaryConv(tosa::Conv2DOp op, RewriterBase &rewriter) {
  std::optional<PackedBinaryWeight> weight = matchBinaryWeight(op.getWeight());
  if (!weight)
    return rewriter.notifyMatchFailure(op, "weight is not packed binary");
  std::optional<ActivationGrid> grid = findActivationGrid(op.getInput());
  if (!grid)
    return rewriter.notifyMatchFailure(
        op, "input is not a binary or ternary activation");
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  auto resultType = cast<RankedTensorType>(op.getType());
  int64_t depth = inputType.getShape().back();
  if (ShapedType::isDynamic(depth) || !isa<FloatType>(inputType.getElementType()))
    return rewriter.notifyMatchFailure(op, "channel count must be static");

  Location loc = op.getLoc();
  Type wordType = weight->words.getElementType();
  auto [signs, mask] =
      emitPackedInput(rewriter, loc, op.getInput(), *grid, wordType);
  Value packedWeight =
      rewriter.create<arith::ConstantOp>(loc, weight->words);
  auto conv = ConvAttr::get(rewriter.getContext(), op.getStride(), op.getPad(),
                            op.getDilation(), /*groups=*/1);
  auto accType = resultType.clone(rewriter.getI32Type());
  Value acc = rewriter.create<XnorPopcountOp>(
      loc, accType, signs, packedWeight, mask,
      rewriter.getI64IntegerAttr(depth), conv,
      rewriter.getI64IntegerAttr(0));
  rewriter.replaceOp(op, emitOutputTransform(rewriter, loc, acc, resultType,
                                             *weight, grid->alpha,
                                             op.getBias()));
  return success();
}

/// tosa.fully_connected (weights O x K) with binary weights and binary or
/// ternary inputs.
LogicalResult lowerBinaryDense(tosa::FullyConnectedOp op,
                               RewriterBase &rewriter) {
  std::optional<PackedBinaryWeight> weight = matchBinaryWeight(op.getWeight());
  if (!weight)
    return rewriter.notifyMatchFailure(op, "weight is not packed binary");
  std::optional<ActivationGrid> grid = findActivationGrid(op.getInput());
  if (!grid)
    return rewriter.notifyMatchFailure(
        op, "input is not a binary or ternary activation");
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  auto resultType = cast<RankedTensorType>(op.getType());
  int64_t depth = inputType.getShape().back();
  if (ShapedType::isDynamic(depth) || !isa<FloatType>(inputType.getElementType()))
    return rewriter.notifyMatchFailure(op, "feature count must be static");

  Location loc = op.getLoc();
  Type wordType = weight->words.getElementType();
  auto [signs, mask] =
      emitPackedInput(rewriter, loc, op.getInput(), *grid, wordType);
  Value packedWeight =
      rewriter.create<arith::ConstantOp>(loc, weight->words);
  auto accType = resultType.clone(rewriter.getI32Type());
  Value acc = rewriter.create<XnorPopcountOp>(
      loc, accType, signs, packedWeight, mask,
      rewriter.getI64IntegerAttr(depth), /*conv=*/ConvAttr(),
      rewriter.getI64IntegerAttr(0));
  rewriter.replaceOp(op, emitOutputTransform(rewriter, loc, acc, resultType,
                                             *weight, grid->alpha,
                                             op.getBias()));
  return success();
}

/// The layer's input and weight, when it is a layer qc-lower-macs handles.
std::optional<std::pair<Value, Value>> getLayerOperands(Operation *layer) {
  if (auto conv = dyn_cast<tosa::Conv2DOp>(layer))
    return std::pair{conv.getInput(), conv.getWeight()};
  if (auto dense = dyn_cast<tosa::FullyConnectedOp>(layer))
    return std::pair{dense.getInput(), dense.getWeight()};
  return std::nullopt;
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
      if (auto conv = dyn_cast<tosa::Conv2DOp>(op))
        (void)lowerBinaryConv(conv, rewriter);
      else
        (void)lowerBinaryDense(cast<tosa::FullyConnectedOp>(op), rewriter);
    }
  }
};

} // namespace

std::optional<MacKernel> mlir::qc::getMacKernel(Operation *layer) {
  std::optional<std::pair<Value, Value>> operands = getLayerOperands(layer);
  if (!operands || !matchBinaryWeight(operands->second))
    return std::nullopt;
  auto depth = cast<RankedTensorType>(operands->first.getType()).getShape();
  if (depth.empty() || ShapedType::isDynamic(depth.back()))
    return std::nullopt;
  std::optional<ActivationGrid> grid = findActivationGrid(operands->first);
  if (!grid)
    return std::nullopt;
  return MacKernel{grid->hasZero ? "masked xnor-popcount" : "xnor-popcount"};
}

Type mlir::qc::getActivationQuantType(Value input) {
  DequantizeOp dequantize = findDequantize(input);
  return dequantize ? dequantize.getInput().getType().getElementType()
                    : Type();
}
