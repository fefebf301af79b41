//===- HlsPrepare.cpp - Make a kernel-level function ready to print as HLS
//-===//
//
// The qc-hls-prepare pass (see lowering/Passes.td). It recognizes the
// streaming chain of binary layers in a kernel-level function, checks it
// (every error names the layer or op), and records on each qc.xnor_popcount
// what the printer needs: a C name, the accumulator width from the
// weights' bound, the input lanes' width, the pooling window, the integer
// thresholds and the values they produce. Dense layers whose input the
// model reorders (the NCHW flatten after a convolution) get their weight
// columns permuted into the stream's order, so that no layer of the FPGA
// reorders data. A chain of integer layers (ternary, bit-serial uniform)
// is prepared by HlsPrepareInteger.cpp. Printing then changes nothing.
//
//===----------------------------------------------------------------------===//

#include "lowering/HLS/HlsIntegerStage.h"
#include "lowering/HLS/HlsNames.h"
#include "lowering/HLS/HlsUtils.h"
#include "lowering/Passes.h"
#include "passes/Analysis/HlsLayers.h"

#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"
#include "dialects/QC/QCTypes.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <numeric>

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCHLSPREPARE
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;
using namespace mlir::qc;

namespace {

/// Where each element of `value` comes from in `source`'s row-major order,
/// through the transposes and reshapes between them (the batch, dimension
/// 0, stays put; quantize and dequantize keep the order).
FailureOr<SmallVector<int64_t>> traceOrder(Value value, Value source) {
  SmallVector<Operation *> chain;
  for (Value v = value; v != source;) {
    Operation *op = v.getDefiningOp();
    if (!op ||
        !isa<tosa::TransposeOp, tosa::ReshapeOp, QuantizeOp, DequantizeOp>(op))
      return failure();
    chain.push_back(op);
    v = op->getOperand(0);
  }
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<int64_t> shape(type.getShape().drop_front());
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  SmallVector<int64_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  for (Operation *op : llvm::reverse(chain)) {
    auto result = cast<RankedTensorType>(op->getResult(0).getType());
    SmallVector<int64_t> newShape(result.getShape().drop_front());
    if (auto transpose = dyn_cast<tosa::TransposeOp>(op)) {
      SmallVector<int64_t> perms;
      if (failed(transpose.getConstantPerms(perms)) || perms.empty() ||
          perms[0] != 0)
        return failure();
      // Element at new index (i_1..i_r) is old (j) with j[perms[k]] = i_k.
      SmallVector<int64_t> next(count);
      SmallVector<int64_t> oldStrides(shape.size(), 1);
      for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
        oldStrides[d] = oldStrides[d + 1] * shape[d + 1];
      for (int64_t k = 0; k < count; ++k) {
        int64_t rest = k, old = 0;
        for (int64_t d = int64_t(newShape.size()) - 1; d >= 0; --d) {
          old += (rest % newShape[d]) * oldStrides[perms[d + 1] - 1];
          rest /= newShape[d];
        }
        next[k] = order[old];
      }
      order = std::move(next);
    }
    shape = newShape;
  }
  return order;
}

/// The C name of each layer: its ONNX node name made an identifier, made
/// unique in program order.
std::string makeUniqueName(StringRef name, llvm::StringSet<> &used) {
  std::string base = makeCIdentifier(name), unique = base;
  for (int i = 2; !used.insert(unique).second; ++i)
    unique = base + "_" + std::to_string(i);
  return unique;
}

struct QCHlsPreparePass : public qc::impl::QCHlsPrepareBase<QCHlsPreparePass> {
  using QCHlsPrepareBase::QCHlsPrepareBase;

  /// The values the chain after `layer` produces for the next one, and
  /// the op whose result carries them (the thresholds, or the last
  /// dequantize of their quantize-dequantize pair); null when the layer's
  /// output is the function's result.
  LogicalResult prepareOutput(const HlsLayer &layer, Builder &b,
                              Value &carrier) {
    Operation *op = layer.op;
    auto fail = [&](Operation *at, const Twine &why) {
      return at->emitError("HLS layer '") << layer.name << "': " << why;
    };
    const int64_t bound = layer.mw;
    auto toInteger = [&](int64_t t) {
      return t > bound ? bound + 1 : t < -bound ? -bound : t;
    };
    // The form qc-fuse packs: an integer max-pool and qc.threshold_pack.
    Value sums = op->getResult(0);
    tosa::MaxPool2dOp intPool;
    if (sums.hasOneUse())
      intPool = dyn_cast<tosa::MaxPool2dOp>(*sums.getUsers().begin());
    Value pooled = intPool ? intPool.getResult() : sums;
    if (!pooled.use_empty() &&
        llvm::all_of(pooled.getUsers(), [](Operation *user) {
          return isa<ThresholdPackOp>(user);
        })) {
      auto first = cast<ThresholdPackOp>(*pooled.getUsers().begin());
      DenseIntElementsAttr table;
      if (!matchPattern(first.getThresholds(), m_Constant(&table)) ||
          llvm::any_of(pooled.getUsers(), [&](Operation *user) {
            return cast<ThresholdPackOp>(user).getThresholds() !=
                   first.getThresholds();
          }))
        return fail(first, "its packed thresholds must be one constant");
      if (intPool) {
        if (llvm::any_of(intPool.getPad(), [](int64_t p) { return p != 0; }))
          return fail(intPool, "a max-pool with padding is not supported");
        ArrayRef<int64_t> k = intPool.getKernel(), st = intPool.getStride();
        op->setAttr(kHlsPoolAttr,
                    b.getDenseI64ArrayAttr({k[0], k[1], st[0], st[1]}));
      }
      auto tableType = cast<ShapedType>(table.getType());
      int64_t rows = tableType.getDimSize(0), count = tableType.getDimSize(1);
      SmallVector<int64_t> values(
          llvm::map_range(table.getValues<APInt>(),
                          [](const APInt &v) { return v.getSExtValue(); }));
      SmallVector<int64_t> integer;
      for (int64_t r = 0; r < layer.mh; ++r)
        for (int64_t t = 0; t < count; ++t)
          integer.push_back(toInteger(values[(rows == 1 ? 0 : r) * count + t]));
      op->setAttr(kHlsThresholdsAttr,
                  DenseElementsAttr::get(
                      RankedTensorType::get({layer.mh, count}, b.getI64Type()),
                      ArrayRef<int64_t>(integer)));
      SmallVector<int64_t> levels = count == 1 ? SmallVector<int64_t>{-1, 1}
                                               : SmallVector<int64_t>{-1, 0, 1};
      op->setAttr(kHlsLevelsAttr, b.getDenseI64ArrayAttr(levels));
      carrier = pooled;
      return success();
    }
    if (!op->getResult(0).hasOneUse())
      return fail(op, "its sums must have one user (a cast to float)");
    auto castOp = dyn_cast<tosa::CastOp>(*op->getResult(0).getUsers().begin());
    if (!castOp || !getElementTypeOrSelf(castOp.getType()).isF32())
      return fail(op, "its sums must be cast to f32");
    Value value = castOp.getResult();
    if (value.hasOneUse())
      if (auto pool = dyn_cast<tosa::MaxPool2dOp>(*value.getUsers().begin())) {
        if (llvm::any_of(pool.getPad(), [](int64_t p) { return p != 0; }))
          return fail(pool, "a max-pool with padding is not supported");
        ArrayRef<int64_t> k = pool.getKernel(), s = pool.getStride();
        op->setAttr(kHlsPoolAttr,
                    b.getDenseI64ArrayAttr({k[0], k[1], s[0], s[1]}));
        value = pool.getResult();
      }
    carrier = value;
    if (!value.hasOneUse())
      return fail(op, "its output must have one user");
    Operation *user = *value.getUsers().begin();
    if (isa<func::ReturnOp>(user))
      return success(); // the sums are the output
    auto thresholds = dyn_cast<MultiThresholdOp>(user);
    if (!thresholds)
      return fail(user, "expected thresholds (qc.multi_threshold) or the "
                        "function's result after the sums, found '" +
                            user->getName().getStringRef() + "'");
    DenseElementsAttr table;
    if (!matchPattern(thresholds.getThresholds(), m_Constant(&table)) ||
        !isa<FloatType>(table.getElementType()))
      return fail(thresholds, "thresholds must be a float constant");
    auto tableType = cast<RankedTensorType>(table.getType());
    int64_t rows = tableType.getDimSize(0), count = tableType.getDimSize(1);
    if (rows != 1 && rows != layer.mh)
      return fail(thresholds, "expected 1 or " + Twine(layer.mh) +
                                  " rows of thresholds, got " + Twine(rows));
    // Integer thresholds on the exact sums: x >= t iff x >= ceil(t); a
    // threshold above every sum (or NaN) is never reached, one below every
    // sum always is.
    SmallVector<int64_t> integer;
    SmallVector<double> values(
        llvm::map_range(table.getValues<APFloat>(),
                        [](const APFloat &v) { return v.convertToDouble(); }));
    for (int64_t r = 0; r < layer.mh; ++r)
      for (int64_t t = 0; t < count; ++t) {
        double v = values[(rows == 1 ? 0 : r) * count + t];
        int64_t level = std::isnan(v) || v > double(bound) ? bound + 1
                        : v < -double(bound)               ? -bound
                                             : int64_t(std::ceil(v));
        integer.push_back(level);
      }
    auto intType = RankedTensorType::get({layer.mh, count}, b.getI64Type());
    op->setAttr(kHlsThresholdsAttr,
                DenseElementsAttr::get(intType, ArrayRef<int64_t>(integer)));
    SmallVector<int64_t> levels;
    double scale = thresholds.getOutScale().convertToDouble();
    double bias = thresholds.getOutBias().convertToDouble();
    for (int64_t c = 0; c <= count; ++c) {
      double level = c * scale + bias;
      if (level != std::round(level) || std::abs(level) > 1 << 30)
        return fail(
            thresholds,
            "its levels must be integers (count * " +
                llvm::formatv("{0}", llvm::format("%g", scale)).str() + " + " +
                llvm::formatv("{0}", llvm::format("%g", bias)).str() + ")");
      levels.push_back(int64_t(level));
    }
    op->setAttr(kHlsLevelsAttr, b.getDenseI64ArrayAttr(levels));
    carrier = thresholds.getResult();
    // A quantize-dequantize pair that keeps every level is the identity.
    Value next = carrier;
    if (next.hasOneUse())
      if (auto q = dyn_cast<QuantizeOp>(*next.getUsers().begin()))
        if (q->hasOneUse())
          if (auto dq = dyn_cast<DequantizeOp>(*q->getUsers().begin())) {
            SmallVector<int64_t> kept = getKeptLevels(q.getType());
            if (llvm::any_of(levels, [&](int64_t v) {
                  return !llvm::is_contained(kept, v);
                }))
              return fail(q, "its quantization changes the thresholds' "
                             "levels");
            carrier = dq.getResult();
          }
    return success();
  }

  /// Records the lane widths of `layer`, whose inputs take `levels`: one
  /// sign bit, or a non-zero and a sign bit when a value (source lanes) or
  /// a zero-padded border (the window's lanes) can be 0.
  LogicalResult setInputBits(HlsLayer &layer, ArrayRef<int64_t> levels,
                             Builder &b) {
    auto xnor = cast<XnorPopcountOp>(layer.op);
    auto fail = [&](const Twine &why) {
      return xnor.emitError("HLS layer '") << layer.name << "': " << why;
    };
    if (layer.isConv &&
        xnor.getConvAttr().getDilation() != ArrayRef<int64_t>{1, 1})
      return fail("dilated convolutions are not supported");
    bool zeros = llvm::is_contained(levels, 0);
    bool padded = layer.isConv &&
                  llvm::any_of(xnor.getConvAttr().getPad(),
                               [](int64_t p) { return p != 0; }) &&
                  xnor.getPadValue() == 0;
    if (zeros && !xnor.getMask())
      return fail("inputs that can be 0 need a non-zero mask");
    if (padded && !xnor.getMask())
      return fail("zero padding without a non-zero mask is not supported "
                  "(the CPU path corrects the border)");
    layer.op->setAttr(kHlsSourceBitsAttr, b.getI64IntegerAttr(zeros ? 2 : 1));
    layer.op->setAttr(kHlsInputBitsAttr,
                      b.getI64IntegerAttr(zeros || padded ? 2 : 1));
    return success();
  }

  /// Checks how `layer` reads its input: sign (and non-zero) words packed
  /// from values that `producer`'s carrier holds (or the function's
  /// argument for the first layer), through a quantize-dequantize pair
  /// that keeps them and transposes a dense layer's weights can absorb.
  LogicalResult prepareInput(HlsLayer &layer, Value source,
                             ArrayRef<int64_t> sourceValues, Builder &b) {
    auto xnor = cast<XnorPopcountOp>(layer.op);
    auto fail = [&](Operation *at, const Twine &why) {
      return at->emitError("HLS layer '") << layer.name << "': " << why;
    };
    // Words qc-fuse packed straight from the previous layer's sums.
    if (auto packed = xnor.getInput().getDefiningOp<ThresholdPackOp>()) {
      auto mask = xnor.getMask()
                      ? xnor.getMask().getDefiningOp<ThresholdPackOp>()
                      : ThresholdPackOp();
      if (packed.getNonzero() || packed.getInput() != source ||
          (xnor.getMask() &&
           (!mask || !mask.getNonzero() || mask.getInput() != source ||
            mask.getThresholds() != packed.getThresholds())))
        return fail(xnor, "its packed input must be the previous layer's "
                          "signs (and non-zero mask) of its sums");
      return setInputBits(layer, sourceValues, b);
    }
    auto signs = xnor.getInput().getDefiningOp<BitpackOp>();
    if (!signs || signs.getNonzero())
      return fail(xnor, "its input must be qc.bitpack of the signs");
    Value values = signs.getInput();
    if (Value mask = xnor.getMask()) {
      auto nonzero = mask.getDefiningOp<BitpackOp>();
      if (!nonzero || !nonzero.getNonzero() || nonzero.getInput() != values)
        return fail(xnor, "its mask must be qc.bitpack {nonzero} of the "
                          "values its signs come from");
    }
    // Through the reorders to the dequantize of the values.
    Value v = values;
    while (Operation *def = v.getDefiningOp()) {
      if (!isa<tosa::TransposeOp, tosa::ReshapeOp>(def))
        break;
      v = def->getOperand(0);
    }
    // The values are the source's (the previous layer's carrier, which may
    // end in its quantize-dequantize) or a quantize-dequantize of it.
    auto keptBy = [](Value x) -> SmallVector<int64_t> {
      if (auto dq = x.getDefiningOp<DequantizeOp>())
        if (auto q = dq.getInput().getDefiningOp<QuantizeOp>())
          return getKeptLevels(q.getType());
      return {};
    };
    SmallVector<int64_t> kept = keptBy(v);
    // Before the pair, more transposes and reshapes may lead to the source.
    Value producer = v;
    if (!kept.empty()) {
      producer = v.getDefiningOp<DequantizeOp>()
                     .getInput()
                     .getDefiningOp<QuantizeOp>()
                     .getInput();
      while (producer != source) {
        Operation *def = producer.getDefiningOp();
        if (!def || !isa<tosa::TransposeOp, tosa::ReshapeOp>(def))
          break;
        producer = def->getOperand(0);
      }
    }
    bool fromSource = v == source || producer == source;
    if (fromSource && v != source)
      v = source;
    if (!fromSource) {
      // Name what computes the values instead: typically a float layer
      // that has to stay on the host.
      Operation *def = producer.getDefiningOp();
      std::string what =
          def ? "'" + def->getName().getStringRef().str() + "'" +
                    (getLayerName(def->getLoc()).empty()
                         ? ""
                         : " of '" + getLayerName(def->getLoc()) + "'")
              : "the function's argument";
      return fail(xnor, "its input must come from the previous binary "
                        "layer's thresholds (or the function's argument) "
                        "through a binary or ternary quantize-dequantize of "
                        "scale 1 and transposes; it comes from " +
                            what +
                            ", which the FPGA kernel cannot compute (qcc "
                            "--target hls does not split a model between "
                            "host and FPGA yet)");
    }
    // The argument of a function qc-hls-partition outlined holds the
    // levels it recorded.
    if (kept.empty() && isa<BlockArgument>(v))
      if (auto levels =
              layer.op->getParentOfType<func::FuncOp>()
                  ->getAttrOfType<DenseI64ArrayAttr>(kHlsInputLevelsAttr))
        kept.assign(levels.asArrayRef().begin(), levels.asArrayRef().end());
    // Levels of -1, 0 and +1 need no quantization to be packed.
    if (kept.empty() && !sourceValues.empty() &&
        llvm::all_of(sourceValues,
                     [](int64_t level) { return level >= -1 && level <= 1; }))
      kept.assign(sourceValues.begin(), sourceValues.end());
    if (kept.empty())
      return fail(xnor, "its input needs a binary or ternary "
                        "quantize-dequantize of scale 1");
    for (int64_t level : sourceValues)
      if (!llvm::is_contained(kept, level))
        return fail(xnor, "the previous layer's level " + Twine(level) +
                              " is not kept by its input's quantization");
    ArrayRef<int64_t> levels = sourceValues.empty() ? kept : sourceValues;
    if (failed(setInputBits(layer, levels, b)))
      return failure();
    if (sourceValues.empty())
      layer.op->getParentOfType<func::FuncOp>()->setAttr(
          kHlsInputLevelsAttr, b.getDenseI64ArrayAttr(kept));

    FailureOr<SmallVector<int64_t>> order = traceOrder(values, v);
    if (failed(order))
      return fail(xnor, "only transposes and reshapes may reorder its "
                        "input");
    bool identity = llvm::all_of(llvm::enumerate(*order), [](auto entry) {
      return int64_t(entry.index()) == entry.value();
    });
    if (identity)
      return success();
    if (layer.isConv)
      return fail(xnor, "a convolution's input must arrive in NHWC order");
    // Dense: column k of the weights reads source element order[k], so the
    // stream's element p meets column k with order[k] = p.
    DenseIntElementsAttr words;
    if (!matchPattern(xnor.getWeight(), m_Constant(&words)))
      return fail(xnor, "its weights must be a constant");
    SmallVector<int64_t> shape = {layer.mh, layer.mw};
    SmallVector<uint64_t> bits = unpackCodes(words, shape, 1);
    SmallVector<uint64_t> permuted(bits.size());
    for (int64_t m = 0; m < layer.mh; ++m)
      for (int64_t k = 0; k < layer.mw; ++k)
        permuted[m * layer.mw + (*order)[k]] = bits[m * layer.mw + k];
    auto wordType = cast<IntegerType>(words.getElementType());
    DenseIntElementsAttr packed = packCodes(permuted, shape, 1, wordType);
    OpBuilder builder(xnor);
    Value constant = builder.create<arith::ConstantOp>(xnor.getLoc(), packed);
    xnor.getWeightMutable().assign(constant);
    layer.op->setAttr(kHlsReorderedAttr, b.getUnitAttr());
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<func::FuncOp> found = findHlsFunction(module, "qc-hls-prepare");
    if (failed(found))
      return signalPassFailure();
    func::FuncOp func = *found;
    if (func.getNumArguments() != 1 || func.getNumResults() != 1) {
      func.emitError("qc-hls-prepare: the FPGA function must take one "
                     "tensor and return one");
      return signalPassFailure();
    }
    SmallVector<HlsLayer> layers;
    if (failed(collectHlsLayers(func, layers)))
      return signalPassFailure();
    Builder b(&getContext());
    llvm::StringSet<> used;
    Value source = func.getArgument(0);
    SmallVector<int64_t> sourceValues;
    // Binary layers, or integer ones (ternary and uniform weights on
    // unsigned activation codes, HlsPrepareInteger.cpp); not both.
    auto isInteger = [](const HlsLayer &layer) {
      return layer.kind == "ternary" || layer.kind == "bitserial";
    };
    bool integer = !layers.empty() && isInteger(layers.front());
    for (HlsLayer &layer : layers) {
      if (layer.kind != "xnor" && !isInteger(layer)) {
        layer.op->emitError("HLS layer '")
            << layer.name << "': " << layer.kind
            << " layers are not supported by the HLS back end yet (binary, "
               "ternary and bit-serial uniform layers are)";
        return signalPassFailure();
      }
      if (isInteger(layer) != integer) {
        layer.op->emitError("HLS layer '")
            << layer.name << "': binary and integer layers in one FPGA "
            << "part are not supported yet";
        return signalPassFailure();
      }
      layer.op->setAttr(kHlsNameAttr,
                        b.getStringAttr(makeUniqueName(layer.name, used)));
      if (integer)
        continue;
      layer.op->setAttr(kHlsAccBitsAttr,
                        b.getI64IntegerAttr(getHlsAccumulatorBits(layer)));
      Value carrier;
      if (failed(prepareInput(layer, source, sourceValues, b)) ||
          failed(prepareOutput(layer, b, carrier)))
        return signalPassFailure();
      source = carrier;
      sourceValues.clear();
      if (auto levels =
              layer.op->getAttrOfType<DenseI64ArrayAttr>(kHlsLevelsAttr))
        sourceValues.assign(levels.asArrayRef().begin(),
                            levels.asArrayRef().end());
    }
    if (layers.empty()) {
      func.emitError("qc-hls-prepare: no layer for the FPGA");
      return signalPassFailure();
    }
    if (integer) {
      if (failed(prepareHlsIntegerChain(func, layers, b)))
        return signalPassFailure();
      func->setAttr(kHlsTopAttr, b.getStringAttr(makeCIdentifier(topName)));
      return;
    }
    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    if (ret.getOperand(0) != source) {
      layers.back().op->emitError("HLS layer '")
          << layers.back().name
          << "': its output must be the function's result";
      return signalPassFailure();
    }
    func->setAttr(kHlsTopAttr, b.getStringAttr(makeCIdentifier(topName)));
  }
};

} // namespace
