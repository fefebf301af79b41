//===- MacKernelBuilders.cpp - IR of qc-lower-macs' kernels ---------------===//
//
// The rewrites of qc-lower-macs, one per kernel family. Binary layers pack
// their input's signs (and non-zero mask) into words for qc.xnor_popcount;
// integer layers compute the activation codes exactly (x lies on the grid)
// and feed them, or their bit-planes, to the bit-serial, ternary or
// shift-add kernels or an integer linalg convolution / matmul; centroid
// layers sum inputs per weight level with qc.codebook_accumulate. All end in
// the float output transform acc * unit_w * scale_a + bias.
//
//===----------------------------------------------------------------------===//

#include "passes/MacKernelBuilders.h"
#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"
#include "dialects/QC/Utils/TensorBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::qc;

namespace {

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

} // namespace

/// Replaces `op` by bitpack + xnor_popcount + the output transform.
void mlir::qc::lowerBinaryLayer(Operation *op, const BinaryLayer &binary,
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

/// Replaces `op` by its integer kernel on the activation codes and the
/// output transform acc * s * unit[o] + bias:
///   integer MAC: c - z, zero-padded, an integer linalg.conv_2d_nhwc_fhwc or
///                linalg.matmul_transpose_b against the integer weights;
///   bit-serial:  planes of u against two's-complement (or sign) weight
///                planes, qc.bitserial_popcount;
///   ternary:     planes of u against the weights' +1 and -1 masks,
///                qc.ternary_popcount;
///   shift-add:   c - z against the power-of-two codes, qc.shift_accumulate.
void mlir::qc::lowerIntegerLayer(Operation *op, const IntegerLayer &integer,
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
  case KernelKind::BitserialPopcount: {
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
  case KernelKind::TernaryPopcount: {
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
  case KernelKind::ShiftAccumulate: {
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
  case KernelKind::IntegerMac: {
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
  default:
    llvm_unreachable("matchIntegerLayer picks only integer kernels");
  }
  rewriter.replaceOp(op,
                     emitOutputTransform(rewriter, loc, acc, resultType,
                                         integer.weight.unit, integer.scaleA,
                                         integer.layer.bias));
}

/// Replaces `op` by qc.codebook_accumulate over the input (or its codes)
/// and the output transform acc * s_a + bias.
void mlir::qc::lowerCentroidLayer(Operation *op, const CentroidLayer &centroid,
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
