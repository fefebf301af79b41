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
  std::optional<PackedBinaryWeight> weight = matchBinaryWeight(layer->weight);
  std::optional<ActivationGrid> grid = findActivationGrid(layer->input);
  auto inputType = cast<RankedTensorType>(layer->input.getType());
  if (!weight || !grid || !isa<FloatType>(inputType.getElementType()) ||
      inputType.getRank() == 0 ||
      ShapedType::isDynamic(inputType.getShape().back()))
    return std::nullopt;
  return BinaryLayer{*layer, *weight, *grid, inputType.getShape().back()};
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
                                             binary.weight, binary.grid.alpha,
                                             binary.layer.bias));
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
      if (std::optional<BinaryLayer> binary = matchBinaryLayer(op)) {
        rewriter.setInsertionPoint(op);
        lowerBinaryLayer(op, *binary, rewriter);
      }
    }
  }
};

} // namespace

std::optional<MacKernel> mlir::qc::getMacKernel(Operation *layer) {
  std::optional<BinaryLayer> binary = matchBinaryLayer(layer);
  if (!binary)
    return std::nullopt;
  return MacKernel{binary->grid.hasZero ? "masked xnor-popcount"
                                        : "xnor-popcount"};
}

Type mlir::qc::getActivationQuantType(Value input) {
  DequantizeOp dequantize = findDequantize(input);
  return dequantize ? dequantize.getInput().getType().getElementType()
                    : Type();
}
