//===- HlsPrepareInteger.cpp - qc-hls-prepare for integer layers ----------===//
//
// The part of qc-hls-prepare (HlsPrepare.cpp) for a chain of integer
// layers: ternary weights (qc.ternary_popcount: a sign and a non-zero plane)
// and uniform k-bit weights (qc.bitserial_popcount) on unsigned activation
// codes u. On the FPGA both are integer MACs of the weights with the codes:
// the sums are the CPU kernel's before its zero-code correction. Each
// layer's float output stage, up to the next layer's codes, becomes integer
// thresholds on those sums: for every sum a channel can reach (the bounds
// follow from its weights), the stage is evaluated as the CPU computes it,
// and threshold j is the least sum whose code is at least j. The stage must
// never decrease with the sum; then the count of reached thresholds is the
// code, and a max-pool on the sums is a max-pool on the codes.
//
//===----------------------------------------------------------------------===//

#include "lowering/HLS/HlsIntegerStage.h"
#include "lowering/HLS/HlsNames.h"
#include "lowering/HLS/HlsPlan.h"

#include "dialects/QC/QCPacking.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qc;

namespace {

/// The most sums a layer's thresholds may be tabulated over.
constexpr int64_t kMaxTabulatedSums = int64_t(1) << 27;

InFlightDiagnostic layerError(const HlsLayer &layer, Operation *at) {
  return at->emitError("HLS layer '") << layer.name << "': ";
}

/// The weights of `layer` as integers [MH][MW], columns in (ky, kx, c)
/// order.
FailureOr<SmallVector<int64_t>> readWeights(const HlsLayer &layer) {
  SmallVector<int64_t> shape = {layer.mh, layer.mw};
  if (layer.isConv)
    shape = {layer.mh, layer.kernelH, layer.kernelW, layer.channels};
  auto unpack = [&](Value value, int64_t planes,
                    SmallVector<uint64_t> &bits) -> LogicalResult {
    DenseIntElementsAttr words;
    if (!matchPattern(value, m_Constant(&words)))
      return layerError(layer, layer.op) << "its weights must be constants";
    SmallVector<int64_t> full = shape;
    if (planes > 0)
      full.insert(full.begin(), planes);
    bits = unpackCodes(words, full, 1);
    return success();
  };
  const int64_t count = layer.mh * layer.mw;
  SmallVector<int64_t> weights(count, 0);
  if (auto ternary = dyn_cast<TernaryPopcountOp>(layer.op)) {
    SmallVector<uint64_t> positive, negative;
    if (failed(unpack(ternary.getPositive(), 0, positive)) ||
        failed(unpack(ternary.getNegative(), 0, negative)))
      return failure();
    for (int64_t i = 0; i < count; ++i) {
      if (positive[i] && negative[i])
        return layerError(layer, layer.op)
               << "weight " << i << " is in both the positive and the "
               << "negative plane";
      weights[i] = int64_t(positive[i]) - int64_t(negative[i]);
    }
    return weights;
  }
  auto serial = cast<BitserialPopcountOp>(layer.op);
  int64_t planes = layer.weightBits;
  SmallVector<uint64_t> bits;
  if (failed(unpack(serial.getWeight(), planes, bits)))
    return failure();
  BitEncoding encoding = serial.getWeightEncoding();
  for (int64_t i = 0; i < count; ++i) {
    if (encoding == BitEncoding::Sign) {
      weights[i] = bits[i] ? -1 : 1;
      continue;
    }
    int64_t value = 0;
    for (int64_t j = 0; j < planes; ++j)
      if (bits[j * count + i])
        value += (encoding == BitEncoding::TwosComplement && j == planes - 1)
                     ? -(int64_t(1) << j)
                     : int64_t(1) << j;
    weights[i] = value;
  }
  if (llvm::any_of(weights, [](int64_t w) { return w < -128 || w > 127; }))
    return layerError(layer, layer.op)
           << "weights beyond 8-bit two's complement are not supported";
  return weights;
}

/// Records the thresholds of `layer` from its output stage.
LogicalResult setThresholds(const HlsLayer &layer, const HlsIntegerStage &stage,
                            ArrayRef<int64_t> weights, int64_t maxCode,
                            Builder &b, int64_t &accBits) {
  SmallVector<int64_t> lo(layer.mh, 0), hi(layer.mh, 0);
  int64_t tabulated = 0, accLo = 0, accHi = 0;
  for (int64_t m = 0; m < layer.mh; ++m) {
    for (int64_t k = 0; k < layer.mw; ++k) {
      int64_t w = weights[m * layer.mw + k];
      (w < 0 ? lo[m] : hi[m]) += w * maxCode;
    }
    tabulated += hi[m] - lo[m] + 1;
    accLo = std::min(accLo, lo[m]);
    accHi = std::max(accHi, hi[m]);
  }
  // Every partial sum of a channel lies in its bounds, so neither the
  // accumulator nor a tile's dot product can wrap.
  accBits = getSignedBits(accLo, accHi);
  if (tabulated > kMaxTabulatedSums)
    return layerError(layer, layer.op)
           << "its sums span " << tabulated
           << " values, too many to find its thresholds";
  const int64_t count = stage.levelHi - stage.levelLo;
  SmallVector<int64_t> thresholds;
  int64_t thrLo = 0, thrHi = 0;
  for (int64_t m = 0; m < layer.mh; ++m) {
    SmallVector<int64_t> row(count, hi[m] + 1);
    int64_t reached = 0, previous = stage.levelLo;
    for (int64_t sum = lo[m]; sum <= hi[m]; ++sum) {
      int64_t level = stage.evaluate(m, sum);
      if (level < stage.levelLo || level > stage.levelHi)
        return layerError(layer, layer.op)
               << "output channel " << m << " gives the code " << level
               << " for the sum " << sum << ", outside the next layer's "
               << stage.levelLo << ".." << stage.levelHi;
      if (level < previous)
        return layerError(layer, layer.op)
               << "output channel " << m << ": its output decreases as its "
               << "sum grows (at " << sum
               << "); only non-decreasing output stages become thresholds";
      previous = level;
      for (; reached < level - stage.levelLo; ++reached)
        row[reached] = sum;
    }
    for (int64_t t : row) {
      thresholds.push_back(t);
      thrLo = std::min(thrLo, t);
      thrHi = std::max(thrHi, t);
    }
  }
  Operation *op = layer.op;
  op->setAttr(kHlsThresholdsAttr,
              DenseElementsAttr::get(
                  RankedTensorType::get({layer.mh, count}, b.getI64Type()),
                  ArrayRef<int64_t>(thresholds)));
  SmallVector<int64_t> levels;
  for (int64_t c = stage.levelLo; c <= stage.levelHi; ++c)
    levels.push_back(c);
  op->setAttr(kHlsLevelsAttr, b.getDenseI64ArrayAttr(levels));
  op->setAttr(kHlsThresholdBitsAttr,
              b.getI64IntegerAttr(getSignedBits(thrLo, thrHi)));
  return success();
}

} // namespace

LogicalResult mlir::qc::prepareHlsIntegerChain(func::FuncOp func,
                                               ArrayRef<HlsLayer> layers,
                                               Builder &b) {
  std::optional<HlsIntegerStage> previous;
  for (const HlsLayer &layer : layers) {
    Operation *op = layer.op;
    std::string why;
    FailureOr<HlsCodes> codes = matchHlsCodes(op->getOperand(0), why);
    if (failed(codes))
      return layerError(layer, op) << why;
    auto encoding = op->getAttrOfType<BitEncodingAttr>("input_encoding");
    if (!encoding || encoding.getValue() != BitEncoding::Unsigned)
      return layerError(layer, op) << "its activation codes must be unsigned";
    if (layer.isConv) {
      auto conv = op->getAttrOfType<ConvAttr>("conv");
      if (conv.getDilation() != ArrayRef<int64_t>{1, 1})
        return layerError(layer, op)
               << "dilated convolutions are not supported";
    } else if (llvm::any_of(codes->pad, [](int64_t p) { return p != 0; })) {
      return layerError(layer, op) << "a dense layer's codes cannot be padded";
    }
    SmallVector<int64_t> order;
    if (!previous) {
      if (codes->values != func.getArgument(0)) {
        Operation *def = codes->values.getDefiningOp();
        return layerError(layer, op)
               << "its codes must be computed from the function's argument, "
                  "not from '"
               << (def ? def->getName().getStringRef() : "a block argument")
               << "'";
      }
      func->setAttr(kHlsInputScaleAttr, b.getF32FloatAttr(codes->scale));
      func->setAttr(kHlsInputOffsetAttr, b.getI64IntegerAttr(codes->offset));
    } else {
      if (!previous->next ||
          previous->next->pack.getResult() != op->getOperand(0))
        return layerError(layer, op)
               << "its codes must be computed from the previous layer's "
                  "output";
      order = previous->order;
    }

    FailureOr<SmallVector<int64_t>> weights = readWeights(layer);
    if (failed(weights))
      return failure();
    // Dense: column k reads the codes' element k, which the stream
    // delivers as element order[k].
    if (!order.empty() &&
        !llvm::equal(order, llvm::seq<int64_t>(0, int64_t(order.size())))) {
      if (layer.isConv)
        return layerError(layer, op)
               << "a convolution's input must arrive in NHWC order";
      if (int64_t(order.size()) != layer.mw)
        return layerError(layer, op) << "its input does not match its width";
      SmallVector<int64_t> permuted(weights->size());
      for (int64_t m = 0; m < layer.mh; ++m)
        for (int64_t k = 0; k < layer.mw; ++k)
          permuted[m * layer.mw + order[k]] = (*weights)[m * layer.mw + k];
      *weights = std::move(permuted);
      op->setAttr(kHlsReorderedAttr, b.getUnitAttr());
    }

    FailureOr<HlsIntegerStage> stage = analyzeHlsIntegerStage(op, layer.name);
    if (failed(stage))
      return failure();
    int64_t accBits = 0;
    const int64_t maxCode = (int64_t(1) << codes->planes) - 1;
    if (failed(setThresholds(layer, *stage, *weights, maxCode, b, accBits)))
      return failure();
    op->setAttr(kHlsAccBitsAttr, b.getI64IntegerAttr(accBits));
    op->setAttr(kHlsSourceBitsAttr, b.getI64IntegerAttr(codes->planes));
    op->setAttr(kHlsInputBitsAttr, b.getI64IntegerAttr(codes->planes));
    op->setAttr(kHlsWeightsAttr, DenseElementsAttr::get(
                                     RankedTensorType::get({layer.mh, layer.mw},
                                                           b.getIntegerType(8)),
                                     ArrayRef<int8_t>(SmallVector<int8_t>(
                                         weights->begin(), weights->end()))));
    op->setAttr(kHlsPadAttr, b.getDenseI64ArrayAttr(codes->pad));
    op->setAttr(kHlsPadCodeAttr, b.getI64IntegerAttr(codes->padCode));
    if (stage->pool) {
      ArrayRef<int64_t> k = stage->pool.getKernel(),
                        s = stage->pool.getStride();
      op->setAttr(kHlsPoolAttr,
                  b.getDenseI64ArrayAttr({k[0], k[1], s[0], s[1]}));
    }
    previous = std::move(*stage);
  }
  const HlsLayer &last = layers.back();
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  if (previous->next || ret.getOperand(0) != previous->result)
    return layerError(last, last.op)
           << "its dequantized output must be the function's result";
  if (!llvm::equal(previous->order,
                   llvm::seq<int64_t>(0, int64_t(previous->order.size()))))
    return layerError(last, last.op)
           << "its output must not be reordered before the function's result";
  func->setAttr(kHlsOutputScaleAttr, b.getF32FloatAttr(previous->outputScale));
  return success();
}
