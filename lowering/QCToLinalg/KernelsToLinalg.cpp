//===- KernelsToLinalg.cpp - qc integer kernel ops to linalg --------------===//
//
// Lowers the kernel ops that replace multiplies by cheap operations on
// integer or packed operands:
//   qc.bitplane_pack       integer codes -> one packed word tensor per bit
//   qc.bitserial_popcount  sum_ij s_i s_j 2^(i+j) popcount(a_i & w_j)
//   qc.ternary_popcount    sum_i s_i 2^i (popcount(a_i & pos) -
//                          popcount(a_i & neg))
//   qc.shift_accumulate    sum of +-(x << m) over power-of-two codes
//   qc.codebook_accumulate per-centroid sums of the inputs, then one
//                          multiply per centroid
//   qc.threshold_pack      integer sums -> packed signs of their levels
// The popcount kernels put the output channels innermost over transposed
// weights, as the XNOR kernel does, so that one activation word meets a
// contiguous row of weight words and LLVM vectorizes across channels.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCOps.h"
#include "lowering/QCToLinalg/LinalgBuilders.h"
#include "lowering/QCToLinalg/QCToLinalg.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::builders;

namespace {

//===----------------------------------------------------------------------===//
// Bit-plane packing
//===----------------------------------------------------------------------===//

/// qc.bitplane_pack -> an or-reduction over (plane, outer..., word, bit) of
/// ((code >> plane) & 1) << bit, with the innermost axis padded with code 0
/// to whole words so that the tail bits come out 0 (emitBitPacking).
struct BitplanePackToLinalg : public OpConversionPattern<BitplanePackOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BitplanePackOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto codeType = cast<IntegerType>(
        cast<RankedTensorType>(input.getType()).getElementType());
    auto wordType = cast<IntegerType>(op.getType().getElementType());
    Value packed = emitBitPacking(
        rewriter, loc, input, wordType, constantI(rewriter, loc, codeType, 0),
        op.getType().getDimSize(0),
        [&](OpBuilder &b, Location l, Value code, Value planeIndex) {
          Value plane = b.create<arith::IndexCastUIOp>(l, codeType, planeIndex);
          Value bit = b.create<arith::AndIOp>(
              l, b.create<arith::ShRUIOp>(l, code, plane),
              constantI(b, l, codeType, 1));
          return b.create<arith::TruncIOp>(l, b.getI1Type(), bit).getResult();
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, packed, op.getType()));
    return success();
  }
};

/// qc.threshold_pack -> the or-reduction of emitBitPacking, each bit from
/// the level of its sum: x >= t compared per threshold of the channel's row
/// (row 0 when shared). The tail is padded with 0, and the bits of the
/// channels it adds are masked off (the table has no rows for them).
struct ThresholdPackToLinalg : public OpConversionPattern<ThresholdPackOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ThresholdPackOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto sumType = cast<IntegerType>(inputType.getElementType());
    auto wordType = cast<IntegerType>(op.getType().getElementType());
    Value table = adaptor.getThresholds();
    auto tableType = cast<RankedTensorType>(table.getType());
    int64_t rank = inputType.getRank();
    int64_t count = tableType.getDimSize(1);
    bool shared = tableType.getDimSize(0) == 1;
    bool nonzero = op.getNonzero();
    Value channels = rewriter.create<tensor::DimOp>(loc, input, rank - 1);
    Type i32 = rewriter.getI32Type();
    Value packed = emitBitPacking(
        rewriter, loc, input, wordType, constantI(rewriter, loc, sumType, 0),
        /*planes=*/0, [&](OpBuilder &b, Location l, Value x, Value) {
          auto index = [&](int64_t v) {
            return b.create<arith::ConstantIndexOp>(l, v).getResult();
          };
          Value channel = b.create<arith::AddIOp>(
              l,
              b.create<arith::MulIOp>(l, b.create<linalg::IndexOp>(l, rank - 1),
                                      index(wordType.getWidth())),
              b.create<linalg::IndexOp>(l, rank));
          Value valid = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::ult,
                                                channel, channels);
          // Tail channels read the last row; their bits are masked off.
          Value row = shared
                          ? index(0)
                          : b.create<arith::MinUIOp>(
                                l, channel,
                                b.create<arith::SubIOp>(l, channels, index(1)));
          Value wide = sumType.getWidth() < 32
                           ? b.create<arith::ExtSIOp>(l, i32, x).getResult()
                           : x;
          auto reaches = [&](int64_t t) {
            Value threshold = b.create<tensor::ExtractOp>(
                l, table, ValueRange{row, index(t)});
            return b.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge, wide,
                                           threshold);
          };
          Value first = reaches(0);
          Value second = count == 2 ? reaches(1).getResult() : Value();
          Value bit;
          if (nonzero) // levels 0 and 2: both or neither threshold reached
            bit = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, first,
                                          second);
          else // level 0: no threshold reached
            bit = b.create<arith::XOrIOp>(
                l, second ? b.create<arith::OrIOp>(l, first, second) : first,
                b.create<arith::ConstantIntOp>(l, 1, 1));
          return b.create<arith::AndIOp>(l, bit, valid).getResult();
        });
    // 32-bit words of i16/i32 sums are the runtime's threshold packing
    // (convert-qc-to-runtime-calls).
    if (auto generic = packed.getDefiningOp<linalg::GenericOp>();
        generic && wordType.getWidth() == 32)
      generic->setAttr(kThresholdPackKernelAttr,
                       rewriter.getStringAttr(nonzero ? "nonzero" : "sign"));
    rewriter.replaceOp(op, castTo(rewriter, loc, packed, op.getType()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Dot-product kernels over (window x) innermost elements
//===----------------------------------------------------------------------===//

/// Plane `index` of a tensor with a leading plane dimension.
Value extractPlane(OpBuilder &b, Location loc, Value planes, int64_t index) {
  auto type = cast<RankedTensorType>(planes.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
  offsets[0] = b.getIndexAttr(index);
  SmallVector<OpFoldResult> sizes{b.getIndexAttr(1)};
  for (int64_t d = 1; d < rank; ++d)
    sizes.push_back(tensor::getMixedSize(b, loc, planes, d));
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  auto sliceType = RankedTensorType::get(type.getShape().drop_front(),
                                         type.getElementType());
  return b.create<tensor::ExtractSliceOp>(loc, sliceType, planes, offsets,
                                          sizes, strides);
}

/// Replaces the kernel op `op` by one linalg.generic that reduces
/// `body(activation elements, weight elements, acc)` over the innermost axis
/// (and, with `conv`, the KH x KW window) into an accumulator of the op's
/// result type that starts at 0. Every activation operand has the layer
/// input's layout (N x K or NHWC, zero-padded here: code 0, or zero words),
/// every weight operand M x K or OHWI; the convolution loops are (n, oh, ow,
/// kh, kw, k, o), output channels innermost over weights transposed to KH x
/// KW x K x O, so that one activation element meets a contiguous row of
/// weights.
template <typename BodyFn>
LogicalResult
replaceWithWindowReduction(ConversionPatternRewriter &rewriter, Operation *op,
                           std::optional<ConvAttr> conv,
                           SmallVector<Value> activations,
                           SmallVector<Value> weights, BodyFn body) {
  Location loc = op->getLoc();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  auto accType = cast<IntegerType>(resultType.getElementType());
  MLIRContext *context = rewriter.getContext();
  auto dim = [&](unsigned d) { return getAffineDimExpr(d, context); };
  auto inputType = cast<RankedTensorType>(activations[0].getType());
  auto weightType = cast<RankedTensorType>(weights[0].getType());
  SmallVector<OpFoldResult> sizes;
  SmallVector<AffineMap> maps;
  SmallVector<utils::IteratorType> iterators;
  if (!conv) {
    sizes = {tensor::getMixedSize(rewriter, loc, activations[0], 0),
             tensor::getMixedSize(rewriter, loc, weights[0], 0)};
    maps.append(activations.size(), mapOf(context, 3, {dim(0), dim(2)}));
    maps.append(weights.size(), mapOf(context, 3, {dim(1), dim(2)}));
    maps.push_back(mapOf(context, 3, {dim(0), dim(1)}));
    iterators = {utils::IteratorType::parallel, utils::IteratorType::parallel,
                 utils::IteratorType::reduction};
  } else {
    int64_t h = inputType.getDimSize(1), w = inputType.getDimSize(2);
    int64_t kh = weightType.getDimSize(1), kw = weightType.getDimSize(2);
    if (ShapedType::isDynamic(h) || ShapedType::isDynamic(w) ||
        ShapedType::isDynamic(kh) || ShapedType::isDynamic(kw))
      return op->emitOpError()
             << "lowering to linalg needs static input H and W and kernel "
                "KH and KW, got input "
             << inputType << " and weight " << weightType;
    ArrayRef<int64_t> strides = conv->getStrides();
    ArrayRef<int64_t> dilation = conv->getDilation();
    for (Value &a : activations)
      a = padSpatial(
          rewriter, loc, a, conv->getPad(),
          constantI(rewriter, loc,
                    cast<RankedTensorType>(a.getType()).getElementType(), 0));
    for (Value &w : weights) {
      SmallVector<OpFoldResult> transposedSizes;
      for (int64_t d : {1, 2, 3, 0})
        transposedSizes.push_back(tensor::getMixedSize(rewriter, loc, w, d));
      Value init = rewriter.create<tensor::EmptyOp>(
          loc, transposedSizes, weightType.getElementType());
      w = rewriter
              .create<linalg::TransposeOp>(loc, w, init,
                                           ArrayRef<int64_t>{1, 2, 3, 0})
              .getResult()[0];
    }
    sizes = {tensor::getMixedSize(rewriter, loc, activations[0], 0),
             rewriter.getIndexAttr(conv->getOutputSize(0, h, kh)),
             rewriter.getIndexAttr(conv->getOutputSize(1, w, kw)),
             tensor::getMixedSize(rewriter, loc, weights[0], 3)};
    maps.append(activations.size(),
                mapOf(context, 7,
                      {dim(0), dim(1) * strides[0] + dim(3) * dilation[0],
                       dim(2) * strides[1] + dim(4) * dilation[1], dim(5)}));
    maps.append(weights.size(),
                mapOf(context, 7, {dim(3), dim(4), dim(5), dim(6)}));
    maps.push_back(mapOf(context, 7, {dim(0), dim(1), dim(2), dim(6)}));
    iterators.assign(3, utils::IteratorType::parallel);
    iterators.append(3, utils::IteratorType::reduction);
    iterators.push_back(utils::IteratorType::parallel);
  }
  Value init =
      filledTensor(rewriter, loc, sizes, constantI(rewriter, loc, accType, 0));
  SmallVector<Value> inputs(activations);
  inputs.append(weights);
  size_t numActivations = activations.size();
  auto generic = rewriter.create<linalg::GenericOp>(
      loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value acc =
            body(b, l, args.take_front(numActivations),
                 args.slice(numActivations, args.size() - 1 - numActivations),
                 args.back());
        b.create<linalg::YieldOp>(l, acc);
      });
  rewriter.replaceOp(op,
                     castTo(rewriter, loc, generic.getResult(0), resultType));
  return success();
}

/// The signed weight of plane `i` of `planes` in `encoding`: 2^i, negated
/// for the top plane of a two's-complement operand.
int64_t planeWeight(BitEncoding encoding, int64_t i, int64_t planes) {
  int64_t weight = int64_t(1) << i;
  return encoding == BitEncoding::TwosComplement && i == planes - 1 ? -weight
                                                                    : weight;
}

Value mulByConstant(OpBuilder &b, Location loc, Value v, int64_t c) {
  if (c == 1)
    return v;
  return b.create<arith::MulIOp>(loc, v, constantI(b, loc, v.getType(), c));
}

/// Splits a tensor with a leading plane dimension into its planes.
SmallVector<Value> splitPlanes(OpBuilder &b, Location loc, Value planes) {
  SmallVector<Value> result;
  int64_t count = cast<RankedTensorType>(planes.getType()).getDimSize(0);
  for (int64_t i = 0; i < count; ++i)
    result.push_back(extractPlane(b, loc, planes, i));
  return result;
}

/// qc.bitserial_popcount -> a window reduction whose body adds, for each
/// activation plane i and weight plane j, s_i s_j 2^(i+j) popcount(a_i &
/// w_j); a `sign` weight (bit 1 = -1) contributes s_i 2^i (popcount(a_i) -
/// 2 popcount(a_i & w)) instead. Padded words are 0: code 0.
struct BitserialPopcountToLinalg
    : public OpConversionPattern<BitserialPopcountOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BitserialPopcountOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    BitEncoding inputEncoding = op.getInputEncoding();
    BitEncoding weightEncoding = op.getWeightEncoding();
    if (inputEncoding == BitEncoding::Sign)
      return op.emitOpError()
             << "lowering takes unsigned or two's-complement activations; "
                "sign activations with sign weights are qc.xnor_popcount";
    Location loc = op.getLoc();
    SmallVector<Value> a = splitPlanes(rewriter, loc, adaptor.getInput());
    SmallVector<Value> w = splitPlanes(rewriter, loc, adaptor.getWeight());
    auto accType = cast<IntegerType>(op.getType().getElementType());
    int64_t aPlanes = a.size(), wPlanes = w.size();
    return replaceWithWindowReduction(
        rewriter, op, op.getConv(), a, w,
        [&](OpBuilder &b, Location l, ValueRange as, ValueRange ws, Value sum) {
          for (int64_t i = 0; i < aPlanes; ++i) {
            int64_t si = planeWeight(inputEncoding, i, aPlanes);
            if (weightEncoding == BitEncoding::Sign) {
              Value all = popcount(b, l, as[i], accType);
              Value negative = popcount(
                  b, l, b.create<arith::AndIOp>(l, as[i], ws[0]), accType);
              sum =
                  b.create<arith::AddIOp>(l, sum, mulByConstant(b, l, all, si));
              sum = b.create<arith::SubIOp>(
                  l, sum, mulByConstant(b, l, negative, 2 * si));
              continue;
            }
            for (int64_t j = 0; j < wPlanes; ++j) {
              int64_t coefficient =
                  si * planeWeight(weightEncoding, j, wPlanes);
              Value both = popcount(
                  b, l, b.create<arith::AndIOp>(l, as[i], ws[j]), accType);
              sum = b.create<arith::AddIOp>(
                  l, sum, mulByConstant(b, l, both, coefficient));
            }
          }
          return sum;
        });
  }
};

/// qc.ternary_popcount -> a window reduction whose body adds, for each
/// activation plane i, s_i 2^i (popcount(a_i & pos) - popcount(a_i & neg)).
/// Zero weights are in neither mask and add nothing.
struct TernaryPopcountToLinalg : public OpConversionPattern<TernaryPopcountOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TernaryPopcountOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    BitEncoding encoding = op.getInputEncoding();
    if (encoding == BitEncoding::Sign)
      return op.emitOpError()
             << "lowering takes unsigned or two's-complement activations";
    Location loc = op.getLoc();
    SmallVector<Value> a = splitPlanes(rewriter, loc, adaptor.getInput());
    auto accType = cast<IntegerType>(op.getType().getElementType());
    int64_t planes = a.size();
    return replaceWithWindowReduction(
        rewriter, op, op.getConv(), a,
        {adaptor.getPositive(), adaptor.getNegative()},
        [&](OpBuilder &b, Location l, ValueRange as, ValueRange ws, Value sum) {
          for (int64_t i = 0; i < planes; ++i) {
            int64_t si = planeWeight(encoding, i, planes);
            Value plus = popcount(
                b, l, b.create<arith::AndIOp>(l, as[i], ws[0]), accType);
            Value minus = popcount(
                b, l, b.create<arith::AndIOp>(l, as[i], ws[1]), accType);
            Value difference = b.create<arith::SubIOp>(l, plus, minus);
            sum = b.create<arith::AddIOp>(l, sum,
                                          mulByConstant(b, l, difference, si));
          }
          return sum;
        });
  }
};

/// qc.shift_accumulate -> a window reduction whose body adds
/// +-(x << min(m - 1, emax - emin)) for a weight code of sign s and
/// magnitude m != 0, and nothing for m = 0. Padded inputs are 0.
struct ShiftAccumulateToLinalg : public OpConversionPattern<ShiftAccumulateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ShiftAccumulateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto accType = cast<IntegerType>(op.getType().getElementType());
    Value input = adaptor.getInput();
    auto inputElement = cast<IntegerType>(
        cast<RankedTensorType>(input.getType()).getElementType());
    auto codeElement = cast<IntegerType>(
        cast<RankedTensorType>(adaptor.getWeight().getType()).getElementType());
    int64_t emin = op.getEmin(), emax = op.getEmax();
    unsigned bits = PowerOfTwoType::bitsForRange(emin, emax);
    return replaceWithWindowReduction(
        rewriter, op, op.getConv(), {input}, {adaptor.getWeight()},
        [&](OpBuilder &b, Location l, ValueRange xs, ValueRange ws, Value sum) {
          Value x = xs[0];
          if (inputElement.getWidth() < accType.getWidth())
            x = b.create<arith::ExtSIOp>(l, accType, x);
          Value code = ws[0];
          if (codeElement.getWidth() < accType.getWidth())
            code = b.create<arith::ExtUIOp>(l, accType, code);
          else if (codeElement.getWidth() > accType.getWidth())
            code = b.create<arith::TruncIOp>(l, accType, code);
          Value magnitude = b.create<arith::AndIOp>(
              l, code,
              constantI(b, l, accType, (int64_t(1) << (bits - 1)) - 1));
          Value negative = b.create<arith::CmpIOp>(
              l, arith::CmpIPredicate::ne,
              b.create<arith::AndIOp>(
                  l, code, constantI(b, l, accType, int64_t(1) << (bits - 1))),
              constantI(b, l, accType, 0));
          Value shift = b.create<arith::MinSIOp>(
              l,
              b.create<arith::SubIOp>(l, magnitude,
                                      constantI(b, l, accType, 1)),
              constantI(b, l, accType, emax - emin));
          Value zero = constantI(b, l, accType, 0);
          Value isZero = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq,
                                                 magnitude, zero);
          Value shifted = b.create<arith::ShLIOp>(
              l, x, b.create<arith::MaxSIOp>(l, shift, zero));
          Value value = b.create<arith::SelectOp>(
              l, negative, b.create<arith::SubIOp>(l, zero, shifted), shifted);
          value = b.create<arith::SelectOp>(l, isZero, zero, value);
          return b.create<arith::AddIOp>(l, sum, value).getResult();
        });
  }
};

//===----------------------------------------------------------------------===//
// Per-centroid accumulation
//===----------------------------------------------------------------------===//

/// The gather tables of a constant codebook layer. For output o and
/// centroid k, positions[starts[o][k] .. starts[o][k + 1]) are the offsets,
/// into the flattened (padded) input, of the window elements whose index is
/// k, relative to the window's first element. Centroids equal to 0 get no
/// positions: their inputs cost nothing.
struct CentroidTables {
  SmallVector<int32_t> positions;
  SmallVector<int32_t> starts;  // outputs x (k + 1)
  SmallVector<float> centroids; // outputs x k
  int64_t k = 0;
};

CentroidTables buildCentroidTables(DenseIntElementsAttr indices,
                                   DenseFPElementsAttr centroids,
                                   ArrayRef<int64_t> inputStrides,
                                   ArrayRef<int64_t> dilation) {
  auto shape = cast<ShapedType>(indices.getType()).getShape();
  auto tableShape = cast<ShapedType>(centroids.getType()).getShape();
  CentroidTables tables;
  tables.k = tableShape.back();
  bool perOutput = tableShape.size() == 2;
  SmallVector<float> table(centroids.getValues<float>());
  SmallVector<int64_t> idx;
  for (const APInt &v : indices.getValues<APInt>())
    idx.push_back(static_cast<int64_t>(v.getZExtValue()));
  int64_t outputs = shape[0];
  int64_t window = idx.size() / outputs;
  for (int64_t o = 0; o < outputs; ++o) {
    SmallVector<SmallVector<int32_t>> buckets(tables.k);
    for (int64_t p = 0; p < window; ++p) {
      int64_t code = idx[o * window + p];
      float value = table[(perOutput ? o * tables.k : 0) + code];
      if (value == 0.0f)
        continue;
      // Offset of element p of the window: (kh, kw, c) for a convolution,
      // with the input laid out as padded H x W x C; p itself when dense.
      int64_t offset = p;
      if (!inputStrides.empty()) {
        int64_t c = p % shape[3], kw = (p / shape[3]) % shape[2],
                kh = p / (shape[3] * shape[2]);
        offset = kh * dilation[0] * inputStrides[0] +
                 kw * dilation[1] * inputStrides[1] + c;
      }
      buckets[code].push_back(static_cast<int32_t>(offset));
    }
    for (int64_t c = 0; c < tables.k; ++c) {
      tables.starts.push_back(tables.positions.size());
      tables.positions.append(buckets[c]);
      tables.centroids.push_back(table[(perOutput ? o * tables.k : 0) + c]);
    }
    tables.starts.push_back(tables.positions.size());
  }
  return tables;
}

template <typename T>
Value constantTable(OpBuilder &b, Location loc, ArrayRef<T> values,
                    Type element) {
  auto type =
      RankedTensorType::get({static_cast<int64_t>(values.size())}, element);
  return b.create<arith::ConstantOp>(loc, DenseElementsAttr::get(type, values));
}

/// qc.codebook_accumulate -> a linalg.generic over the outputs whose body
/// sums, per centroid, the inputs at that centroid's positions (a loop
/// over a compile-time gather table) and multiplies each sum once by the
/// centroid. Integer inputs are summed exactly in i32.
struct CodebookAccumulateToLinalg
    : public OpConversionPattern<CodebookAccumulateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CodebookAccumulateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    DenseIntElementsAttr indices;
    DenseFPElementsAttr centroids;
    if (!matchPattern(adaptor.getIndices(), m_Constant(&indices)) ||
        !matchPattern(adaptor.getCentroids(), m_Constant(&centroids)))
      return op.emitOpError()
             << "lowering needs constant indices and centroids (the gather "
                "tables are built at compile time)";
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type element = inputType.getElementType();
    bool isFloat = isa<FloatType>(element);
    Type sumType = isFloat ? element : rewriter.getI32Type();
    std::optional<ConvAttr> conv = op.getConv();

    // Flatten the (padded) input to N x elements-per-image.
    SmallVector<int64_t> inputStrides, dilation, strides;
    int64_t oh = 1, ow = 1;
    if (conv) {
      auto idxShape = cast<ShapedType>(indices.getType()).getShape();
      int64_t h = inputType.getDimSize(1), w = inputType.getDimSize(2);
      int64_t c = inputType.getDimSize(3);
      if (ShapedType::isDynamic(h) || ShapedType::isDynamic(w) ||
          ShapedType::isDynamic(c))
        return op.emitOpError() << "lowering needs static input H, W and C, "
                                   "got "
                                << inputType;
      oh = conv->getOutputSize(0, h, idxShape[1]);
      ow = conv->getOutputSize(1, w, idxShape[2]);
      ArrayRef<int64_t> pad = conv->getPad();
      Value zero = isFloat ? constantF(rewriter, loc, element, 0.0)
                           : constantI(rewriter, loc, element, 0);
      input = padSpatial(rewriter, loc, input, pad, zero);
      int64_t wp = w + pad[2] + pad[3];
      int64_t hp = h + pad[0] + pad[1];
      inputStrides = {wp * c, c};
      dilation = SmallVector<int64_t>(conv->getDilation());
      strides = SmallVector<int64_t>(conv->getStrides());
      auto flatType = RankedTensorType::get(
          {inputType.getDimSize(0), hp * wp * c}, element);
      input = rewriter.create<tensor::CollapseShapeOp>(
          loc, flatType, input, ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
    }
    CentroidTables tables =
        buildCentroidTables(indices, centroids, inputStrides, dilation);
    Type i32 = rewriter.getI32Type();
    Value positions =
        constantTable<int32_t>(rewriter, loc, tables.positions, i32);
    Value starts = constantTable<int32_t>(rewriter, loc, tables.starts, i32);
    Value values = constantTable<float>(rewriter, loc, tables.centroids,
                                        rewriter.getF32Type());

    auto resultType = op.getType();
    int64_t rank = resultType.getRank();
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d < rank; ++d)
      sizes.push_back(d == 0 ? tensor::getMixedSize(rewriter, loc, input, 0)
                             : rewriter.getIndexAttr(resultType.getDimSize(d)));
    if (conv) {
      sizes[1] = rewriter.getIndexAttr(oh);
      sizes[2] = rewriter.getIndexAttr(ow);
    }
    Value init =
        rewriter.create<tensor::EmptyOp>(loc, sizes, rewriter.getF32Type());
    int64_t k = tables.k;
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{init.getType()}, ValueRange{}, ValueRange{init},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank)},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          auto index = [&](int64_t v) {
            return b.create<arith::ConstantIndexOp>(l, v).getResult();
          };
          Value n = b.create<linalg::IndexOp>(l, 0);
          Value o = b.create<linalg::IndexOp>(l, rank - 1);
          // Offset of the window's first element in the flattened image.
          Value base = index(0);
          if (conv) {
            Value row =
                b.create<arith::MulIOp>(l, b.create<linalg::IndexOp>(l, 1),
                                        index(strides[0] * inputStrides[0]));
            Value col =
                b.create<arith::MulIOp>(l, b.create<linalg::IndexOp>(l, 2),
                                        index(strides[1] * inputStrides[1]));
            base = b.create<arith::AddIOp>(l, row, col);
          }
          Value first = b.create<arith::MulIOp>(l, o, index(k));
          auto loadIndex = [&](Value table, Value at) -> Value {
            Value v = b.create<tensor::ExtractOp>(l, table, ValueRange{at});
            return b.create<arith::IndexCastOp>(l, b.getIndexType(), v);
          };
          auto perCentroid = b.create<scf::ForOp>(
              l, index(0), index(k), index(1),
              ValueRange{constantF(b, l, b.getF32Type(), 0.0)},
              [&](OpBuilder &nb, Location nl, Value c, ValueRange acc) {
                Value slot = nb.create<arith::AddIOp>(
                    nl, nb.create<arith::AddIOp>(nl, first, o), c);
                Value begin = loadIndex(starts, slot);
                Value end = loadIndex(
                    starts, nb.create<arith::AddIOp>(nl, slot, index(1)));
                Value zero = isFloat ? constantF(nb, nl, sumType, 0.0)
                                     : constantI(nb, nl, sumType, 0);
                auto sum = nb.create<scf::ForOp>(
                    nl, begin, end, index(1), ValueRange{zero},
                    [&](OpBuilder &ib, Location il, Value t,
                        ValueRange partial) {
                      Value offset = ib.create<arith::AddIOp>(
                          il, base, loadIndex(positions, t));
                      Value x = ib.create<tensor::ExtractOp>(
                          il, input, ValueRange{n, offset});
                      if (!isFloat && x.getType() != sumType)
                        x = ib.create<arith::ExtSIOp>(il, sumType, x);
                      Value next =
                          isFloat ? ib.create<arith::AddFOp>(il, partial[0], x)
                                        .getResult()
                                  : ib.create<arith::AddIOp>(il, partial[0], x)
                                        .getResult();
                      ib.create<scf::YieldOp>(il, next);
                    });
                Value s = sum.getResult(0);
                if (!isFloat)
                  s = nb.create<arith::SIToFPOp>(nl, nb.getF32Type(), s);
                else if (sumType != nb.getF32Type())
                  s = nb.create<arith::ExtFOp>(nl, nb.getF32Type(), s);
                Value centroid = nb.create<tensor::ExtractOp>(
                    nl, values,
                    ValueRange{nb.create<arith::SubIOp>(nl, slot, o)});
                Value term = nb.create<arith::MulFOp>(nl, centroid, s);
                nb.create<scf::YieldOp>(
                    nl, ValueRange{nb.create<arith::AddFOp>(nl, acc[0], term)});
              });
          b.create<linalg::YieldOp>(l, perCentroid.getResult(0));
        });
    // f32 and i32 inputs are the runtime's per-centroid kernel
    // (convert-qc-to-runtime-calls), given the same tables.
    if (element.isF32() || element.isInteger(32)) {
      auto attrOf = [](Value table) {
        return cast<arith::ConstantOp>(table.getDefiningOp()).getValue();
      };
      SmallVector<NamedAttribute> info = {
          rewriter.getNamedAttr("positions", attrOf(positions)),
          rewriter.getNamedAttr("starts", attrOf(starts)),
          rewriter.getNamedAttr("centroids", attrOf(values)),
          rewriter.getNamedAttr("count", rewriter.getI64IntegerAttr(k))};
      if (conv) {
        auto idxShape = cast<ShapedType>(indices.getType()).getShape();
        int64_t c = inputType.getDimSize(3);
        info.push_back(rewriter.getNamedAttr(
            "window",
            rewriter.getDenseI64ArrayAttr({idxShape[1], idxShape[2]})));
        info.push_back(rewriter.getNamedAttr(
            "strides", rewriter.getDenseI64ArrayAttr(strides)));
        info.push_back(rewriter.getNamedAttr(
            "dilations", rewriter.getDenseI64ArrayAttr(dilation)));
        // The padded input's H, W and C (input is N x (Hp * Wp * C) here).
        int64_t flat = cast<RankedTensorType>(input.getType()).getDimSize(1);
        info.push_back(rewriter.getNamedAttr(
            "padded", rewriter.getDenseI64ArrayAttr(
                          {flat / inputStrides[0], inputStrides[0] / c, c})));
      }
      generic->setAttr(kCentroidKernelAttr, rewriter.getDictionaryAttr(info));
    }
    rewriter.replaceOp(
        op, castTo(rewriter, loc, generic.getResult(0), op.getType()));
    return success();
  }
};

} // namespace

void mlir::qc::populateQCKernelsToLinalgPatterns(TypeConverter &converter,
                                                 RewritePatternSet &patterns) {
  patterns.add<BitplanePackToLinalg, BitserialPopcountToLinalg,
               TernaryPopcountToLinalg, ShiftAccumulateToLinalg,
               CodebookAccumulateToLinalg, ThresholdPackToLinalg>(
      converter, patterns.getContext());
}
