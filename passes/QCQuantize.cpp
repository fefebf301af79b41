//===- QCQuantize.cpp - Post-training weight quantization -----------------===//
//
// Implements qc-quantize: computes each layer's quantized weight type from
// its constant weights (XNOR-Net binary, TWN ternary, INQ power-of-two,
// k-means codebook, symmetric or asymmetric uniform, DoReFa) and stores the
// weight as a packed `qc.constant` that the layer reads through
// `qc.dequantize`; quantizes layer inputs from their calibrated ranges
// (uniform, FINN-style thresholds or binary); and checks that each scheme
// can apply to the layer that a per-layer config gives it to.
//
//===----------------------------------------------------------------------===//

#include "passes/QCQuantize.h"
#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cmath>

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCQUANTIZE
#include "passes/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;
using namespace mlir::qc;

namespace {

/// A layer's constant weights, split by output channel.
struct WeightData {
  RankedTensorType type;
  int64_t axis;                          // output-channel axis
  std::vector<std::vector<double>> rows; // one per output channel
};

WeightData splitChannels(DenseFPElementsAttr attr, int64_t axis) {
  WeightData data{cast<RankedTensorType>(attr.getType()), axis, {}};
  ArrayRef<int64_t> shape = data.type.getShape();
  data.rows.resize(shape[axis]);
  int64_t i = 0;
  for (const APFloat &v : attr.getValues<APFloat>())
    data.rows[getIndexAlongAxis(i++, shape, axis)].push_back(
        v.convertToDouble());
  return data;
}

double meanAbs(ArrayRef<double> values) {
  double sum = 0;
  for (double v : values)
    sum += std::fabs(v);
  return values.empty() ? 0 : sum / values.size();
}

double maxAbs(ArrayRef<double> values) {
  double m = 0;
  for (double v : values)
    m = std::max(m, std::fabs(v));
  return m;
}

/// Groups of values that share one parameter set: each channel, or all.
std::vector<std::vector<double>> groups(const WeightData &data,
                                        bool perChannel) {
  if (perChannel)
    return data.rows;
  std::vector<double> all;
  for (const auto &row : data.rows)
    all.insert(all.end(), row.begin(), row.end());
  return {all};
}

Type binaryType(MLIRContext *ctx, FloatType f, const WeightData &data,
                bool perChannel) {
  SmallVector<double> alpha;
  for (const auto &g : groups(data, perChannel))
    alpha.push_back(meanAbs(g));
  return BinaryType::get(ctx, f, DenseF64ArrayAttr::get(ctx, alpha),
                         perChannel ? data.axis : -1);
}

Type ternaryType(MLIRContext *ctx, FloatType f, const WeightData &data,
                 bool perChannel) {
  SmallVector<double> alpha, delta;
  for (const auto &g : groups(data, perChannel)) {
    double d = 0.7 * meanAbs(g);
    double sum = 0;
    int64_t count = 0;
    for (double v : g)
      if (std::fabs(v) > d) {
        sum += std::fabs(v);
        ++count;
      }
    delta.push_back(d);
    alpha.push_back(count ? sum / count : 0.0);
  }
  auto a = DenseF64ArrayAttr::get(ctx, alpha);
  return TernaryType::get(ctx, f, a, a, DenseF64ArrayAttr::get(ctx, delta),
                          perChannel ? data.axis : -1);
}

/// INQ: the largest exponent covers max |w| (rounded as 4/3 max |w|), and
/// bits - 1 magnitude bits give 2^(bits-1) - 1 exponents below it plus zero.
/// One scale of 1 per tensor; the range is per layer.
Type powerOfTwoType(MLIRContext *ctx, FloatType f, const WeightData &data,
                    unsigned bits) {
  double m = 0;
  for (const auto &row : data.rows)
    m = std::max(m, maxAbs(row));
  int64_t emax =
      m > 0 ? static_cast<int64_t>(std::floor(std::log2(m * 4.0 / 3.0))) : 0;
  emax = std::clamp<int64_t>(emax, -120, 120);
  int64_t levels = (int64_t(1) << (bits - 1)) - 1;
  int64_t emin = std::max<int64_t>(emax - levels + 1, -126);
  return PowerOfTwoType::get(ctx, f, DenseF64ArrayAttr::get(ctx, {1.0}), emin,
                             emax, -1);
}

/// Deterministic 1-D k-means: quantile initialization, Lloyd iterations
/// until no assignment changes. Returns sorted, distinct centroids.
SmallVector<double> kmeans(std::vector<double> values, int64_t k) {
  std::sort(values.begin(), values.end());
  int64_t n = values.size();
  SmallVector<double> centroids;
  for (int64_t i = 0; i < k && n > 0; ++i)
    centroids.push_back(
        values[std::min<int64_t>((2 * i + 1) * n / (2 * k), n - 1)]);
  centroids.erase(std::unique(centroids.begin(), centroids.end()),
                  centroids.end());
  std::vector<int64_t> assignment(n, -1);
  for (int iteration = 0; iteration < 1000; ++iteration) {
    bool changed = false;
    SmallVector<double> sum(centroids.size(), 0.0);
    SmallVector<int64_t> count(centroids.size(), 0);
    for (int64_t i = 0; i < n; ++i) {
      // Sorted centroids: the nearest is found at the first midpoint above.
      int64_t c = 0;
      while (c + 1 < (int64_t)centroids.size() &&
             values[i] > 0.5 * (centroids[c] + centroids[c + 1]))
        ++c;
      changed |= assignment[i] != c;
      assignment[i] = c;
      sum[c] += values[i];
      ++count[c];
    }
    if (!changed)
      break;
    for (size_t c = 0; c < centroids.size(); ++c)
      if (count[c])
        centroids[c] = sum[c] / count[c];
    std::sort(centroids.begin(), centroids.end());
  }
  centroids.erase(std::unique(centroids.begin(), centroids.end()),
                  centroids.end());
  if (centroids.empty())
    centroids.push_back(0.0);
  return centroids;
}

Type codebookType(MLIRContext *ctx, FloatType f, const WeightData &data,
                  unsigned bits) {
  std::vector<double> all;
  for (const auto &row : data.rows)
    all.insert(all.end(), row.begin(), row.end());
  SmallVector<double> centroids = kmeans(all, int64_t(1) << bits);
  auto table =
      RankedTensorType::get({(int64_t)centroids.size()}, Float64Type::get(ctx));
  return CodebookType::get(ctx, f, bits,
                           cast<DenseFPElementsAttr>(DenseElementsAttr::get(
                               table, ArrayRef(centroids))),
                           -1);
}

/// Symmetric narrow-range signed uniform: q in [-(2^(b-1)-1), 2^(b-1)-1].
Type uniformType(MLIRContext *ctx, FloatType f, const WeightData &data,
                 unsigned bits, bool perChannel) {
  int64_t qmax = (int64_t(1) << (bits - 1)) - 1;
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  for (const auto &g : groups(data, perChannel)) {
    double m = maxAbs(g);
    scales.push_back(m > 0 ? m / qmax : 1.0); // an all-zero group stays 0
    zeroPoints.push_back(0);
  }
  auto storage = IntegerType::get(ctx, std::max(bits, 2u));
  unsigned flags = quant::QuantizationFlags::Signed;
  if (!perChannel)
    return quant::UniformQuantizedType::get(flags, storage, f, scales[0], 0,
                                            -qmax, qmax);
  return quant::UniformQuantizedPerAxisType::get(
      flags, storage, f, scales, zeroPoints, data.axis, -qmax, qmax);
}

/// Asymmetric (affine) uniform: unsigned codes q in [0, 2^b - 1] and a zero
/// point per group. The range [min(w, 0), max(w, 0)] always holds 0, so that
/// 0 is exactly the code z: scale = (hi - lo) / (2^b - 1) and z =
/// roundeven(-lo / scale). An all-zero group gets scale 1 and z = 0.
Type asymmetricType(MLIRContext *ctx, FloatType f, const WeightData &data,
                    unsigned bits, bool perChannel) {
  int64_t qmax = (int64_t(1) << bits) - 1;
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  for (const auto &g : groups(data, perChannel)) {
    double lo = 0, hi = 0;
    for (double v : g) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    double scale = hi > lo ? (hi - lo) / qmax : 1.0;
    scales.push_back(scale);
    zeroPoints.push_back(std::clamp<int64_t>(
        static_cast<int64_t>(std::nearbyint(-lo / scale)), 0, qmax));
  }
  auto storage = IntegerType::get(ctx, bits);
  if (!perChannel)
    return quant::UniformQuantizedType::get(0, storage, f, scales[0],
                                            zeroPoints[0], 0, qmax);
  return quant::UniformQuantizedPerAxisType::get(
      0, storage, f, scales, zeroPoints, data.axis, 0, qmax);
}

/// DoReFa-Net k-bit weights, per layer:
///   w_q = 2 quantize_k(tanh(w) / (2 max |tanh(w)|) + 1/2) - 1,
///   quantize_k(x) = roundeven((2^k - 1) x) / (2^k - 1)
/// (round half to even, as torch.round and tf.round). With n = 2^k - 1 the
/// levels are the odd multiples m / n, m in {-n, -n + 2, ..., n}. They are
/// scaled by the least-squares factor a = sum(w w_q) / sum(w_q^2), which is
/// DoReFa's and XNOR-Net's mean |w| for k = 1, so that post-training
/// quantization keeps the weights' magnitude. The type is the signed
/// narrow-range (k+1)-bit uniform with scale a / n, whose code m stands for
/// m a / n: every DoReFa level exactly, with integer codes that the integer
/// kernels of qc-lower-macs take. Returns the type and the values to store
/// (w_q a, as f64 so that the codes are exact). An all-zero layer stays 0.
std::pair<Type, DenseFPElementsAttr> dorefaType(MLIRContext *ctx, FloatType f,
                                                DenseFPElementsAttr weights,
                                                unsigned bits) {
  int64_t n = (int64_t(1) << bits) - 1;
  SmallVector<double> w, levels;
  double m = 0;
  for (const APFloat &v : weights.getValues<APFloat>()) {
    w.push_back(v.convertToDouble());
    m = std::max(m, std::fabs(std::tanh(w.back())));
  }
  double dot = 0, norm = 0;
  for (double v : w) {
    double level = 0;
    if (m > 0) {
      double x = std::tanh(v) / (2 * m) + 0.5;
      double j = std::nearbyint(n * x);
      level = (2 * j - n) / n;
    }
    levels.push_back(level);
    dot += v * level;
    norm += level * level;
  }
  double a = norm > 0 && dot > 0 ? dot / norm : 0;
  SmallVector<double> values;
  for (double level : levels)
    values.push_back(level * a);
  auto storage = IntegerType::get(ctx, bits + 1);
  Type type = quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed,
                                               storage, f, a > 0 ? a / n : 1.0,
                                               0, -n, n);
  auto valuesType = RankedTensorType::get(weights.getType().getShape(),
                                          Float64Type::get(ctx));
  return {type, cast<DenseFPElementsAttr>(
                    DenseElementsAttr::get(valuesType, ArrayRef(values)))};
}

/// True when a and b agree within `kGridTolerance` relative to `scale`.
constexpr double kGridTolerance = 1e-6;
bool near(double a, double b, double scale) {
  return std::fabs(a - b) <= kGridTolerance * std::max(scale, 1e-30);
}

/// Recognizes weights that already lie on a quantization grid (as QAT
/// exports them) and returns the qc type that represents exactly those
/// values, trying binary, ternary, power-of-two, uniform and codebook in
/// that order; null when the weights are on no grid.
Type recognizeGrid(MLIRContext *ctx, FloatType f, const WeightData &data,
                   bool allowPerChannel) {
  int64_t axis = allowPerChannel ? data.axis : -1;
  auto perGroup = groups(data, allowPerChannel);

  // Binary: every |w| of a channel equals that channel's alpha.
  SmallVector<double> alpha;
  bool binary = true;
  for (const auto &g : perGroup) {
    double a = maxAbs(g);
    for (double v : g)
      binary &= near(std::fabs(v), a, a);
    alpha.push_back(a);
  }
  if (binary)
    return BinaryType::get(ctx, f, DenseF64ArrayAttr::get(ctx, alpha), axis);

  // Ternary: values in {-an, 0, +ap} per channel.
  SmallVector<double> alphaN, alphaP, delta;
  bool ternary = true;
  for (const auto &g : perGroup) {
    double an = 0, ap = 0;
    for (double v : g)
      (v < 0 ? an : ap) = std::max(v < 0 ? an : ap, std::fabs(v));
    double scale = std::max(an, ap);
    for (double v : g)
      ternary &= near(v, 0, scale) || near(v, ap, scale) || near(v, -an, scale);
    alphaN.push_back(an);
    alphaP.push_back(ap);
    double smallest = an > 0 && ap > 0 ? std::min(an, ap) : std::max(an, ap);
    delta.push_back(smallest / 2);
  }
  if (ternary)
    return TernaryType::get(ctx, f, DenseF64ArrayAttr::get(ctx, alphaN),
                            DenseF64ArrayAttr::get(ctx, alphaP),
                            DenseF64ArrayAttr::get(ctx, delta), axis);

  // Power of two: every non-zero |w| is an exact power of two.
  int64_t emin = 1000, emax = -1000;
  bool pot = true;
  for (const auto &row : data.rows)
    for (double v : row) {
      if (v == 0)
        continue;
      int e;
      double mantissa = std::frexp(std::fabs(v), &e);
      pot &= mantissa == 0.5;
      emin = std::min<int64_t>(emin, e - 1);
      emax = std::max<int64_t>(emax, e - 1);
    }
  if (pot && emin <= emax && emin >= -126 && emax <= 127 &&
      PowerOfTwoType::bitsForRange(emin, emax) <= 8)
    return PowerOfTwoType::get(ctx, f, DenseF64ArrayAttr::get(ctx, {1.0}), emin,
                               emax, -1);

  // Uniform: every w of a channel is an integer multiple of
  // max |w| / qmax for some qmax up to 127 (symmetric, zero point 0).
  SmallVector<double> scales;
  int64_t widest = 1;
  bool uniform = true;
  for (const auto &g : perGroup) {
    double m = maxAbs(g);
    int64_t found = 0;
    for (int64_t qmax = 1; qmax <= 127 && !found && m > 0; ++qmax) {
      double s = m / qmax;
      bool fits = true;
      for (double v : g)
        fits &= near(v / s, std::nearbyint(v / s), qmax);
      if (fits)
        found = qmax;
    }
    if (m > 0 && !found) {
      uniform = false;
      break;
    }
    scales.push_back(m > 0 ? m / found : 1.0);
    widest = std::max(widest, found);
  }
  if (uniform) {
    unsigned bits = llvm::Log2_64_Ceil(2 * widest + 1);
    bits = std::max(bits, 2u);
    int64_t qmax = (int64_t(1) << (bits - 1)) - 1;
    auto storage = IntegerType::get(ctx, bits);
    unsigned flags = quant::QuantizationFlags::Signed;
    if (axis < 0)
      return quant::UniformQuantizedType::get(flags, storage, f, scales[0], 0,
                                              -qmax, qmax);
    SmallVector<int64_t> zeros(scales.size(), 0);
    return quant::UniformQuantizedPerAxisType::get(flags, storage, f, scales,
                                                   zeros, axis, -qmax, qmax);
  }

  // Codebook: at most 256 distinct values in the layer, and few enough that
  // indices plus table take less room than the floats.
  SmallVector<double> values;
  for (const auto &row : data.rows)
    values.append(row.begin(), row.end());
  size_t count = values.size();
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  if (values.size() <= 256 && values.size() * 4 <= count) {
    unsigned bits = std::max(1u, llvm::Log2_64_Ceil(values.size()));
    auto table =
        RankedTensorType::get({(int64_t)values.size()}, Float64Type::get(ctx));
    return CodebookType::get(ctx, f, bits,
                             cast<DenseFPElementsAttr>(DenseElementsAttr::get(
                                 table, ArrayRef(values))),
                             -1);
  }
  return nullptr;
}

/// True when `value` is a constant splat of `expected`.
bool isSplat(Value value, double expected) {
  DenseFPElementsAttr attr;
  return matchPattern(value, m_Constant(&attr)) && attr.isSplat() &&
         attr.getSplatValue<APFloat>().convertToDouble() == expected;
}

/// The input of a Sign as the importer writes it,
///   select(x > 0, 1, select(0 > x, -1, 0)),
/// or null.
Value matchSign(tosa::SelectOp select) {
  auto positive = select.getPred().getDefiningOp<tosa::GreaterOp>();
  auto inner = select.getOnFalse().getDefiningOp<tosa::SelectOp>();
  if (!positive || !inner || !isSplat(select.getOnTrue(), 1.0) ||
      !isSplat(positive.getInput2(), 0.0))
    return {};
  Value x = positive.getInput1();
  auto negative = inner.getPred().getDefiningOp<tosa::GreaterOp>();
  if (!negative || negative.getInput2() != x ||
      !isSplat(negative.getInput1(), 0.0) ||
      !isSplat(inner.getOnTrue(), -1.0) || !isSplat(inner.getOnFalse(), 0.0))
    return {};
  if (x.getType() != select.getType())
    return {};
  return x;
}

/// Replaces each Sign by quantize/dequantize through the ternary type with
/// alpha 1 and delta 0, which rounds exactly as Sign does.
void recognizeSignActivations(func::FuncOp func) {
  SmallVector<std::pair<tosa::SelectOp, Value>> signs;
  func.walk([&](tosa::SelectOp select) {
    if (Value x = matchSign(select))
      signs.push_back({select, x});
  });
  for (auto [select, x] : signs) {
    auto type = cast<RankedTensorType>(x.getType());
    auto floatType = dyn_cast<FloatType>(type.getElementType());
    if (!floatType)
      continue;
    MLIRContext *ctx = func.getContext();
    auto one = DenseF64ArrayAttr::get(ctx, {1.0});
    auto ternary = TernaryType::get(ctx, floatType, one, one,
                                    DenseF64ArrayAttr::get(ctx, {0.0}), -1);
    OpBuilder builder(select);
    Value quantized =
        builder.create<QuantizeOp>(select.getLoc(), type.clone(ternary), x);
    select.replaceAllUsesWith(
        builder.create<DequantizeOp>(select.getLoc(), type, quantized)
            .getResult());
  }
}

/// The uniform activation type for a calibrated range [lo, hi]: unsigned
/// levels on [0, hi] for non-negative activations (after ReLU), else signed
/// symmetric narrow ones on [-c, c], c = max(-lo, hi). An all-zero range
/// gets scale 1.
quant::UniformQuantizedType getActivationType(FloatType floatType, double lo,
                                              double hi, unsigned bits) {
  MLIRContext *ctx = floatType.getContext();
  if (lo >= 0) {
    int64_t qmax = (int64_t(1) << bits) - 1;
    return quant::UniformQuantizedType::get(0, IntegerType::get(ctx, bits),
                                            floatType, hi > 0 ? hi / qmax : 1.0,
                                            0, 0, qmax);
  }
  int64_t qmax = (int64_t(1) << (bits - 1)) - 1;
  double clip = std::max(-lo, hi);
  return quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed,
      IntegerType::get(ctx, std::max(bits, 2u)), floatType,
      clip > 0 ? clip / qmax : 1.0, 0, -qmax, qmax);
}

/// FINN-style thresholds onto the levels of `type` (zero point 0, levels
/// i s for i = qmin..qmax): a `qc.multi_threshold` with one shared table of
/// the midpoints (i + 1/2) s, i = qmin..qmax - 1, out_scale s and out_bias
/// qmin s. The count of thresholds x reaches (x >= t) is i - qmin, so the
/// result is the uniform quantizer's clamp(round(x / s)) s except exactly
/// on a midpoint, which rounds up here and to even there.
Value buildThresholds(OpBuilder &builder, Location loc, Value input,
                      quant::UniformQuantizedType type) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto floatType = cast<FloatType>(inputType.getElementType());
  double scale = type.getScale();
  int64_t qmin = type.getStorageTypeMin(), qmax = type.getStorageTypeMax();
  SmallVector<APFloat> thresholds;
  for (int64_t i = qmin; i < qmax; ++i) {
    APFloat t((i + 0.5) * scale);
    bool lost;
    t.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &lost);
    thresholds.push_back(t);
  }
  auto tableType =
      RankedTensorType::get({1, (int64_t)thresholds.size()}, floatType);
  Value table = builder.create<tosa::ConstOp>(
      loc, tableType, DenseElementsAttr::get(tableType, thresholds));
  return builder.create<MultiThresholdOp>(
      loc, inputType, input, table, builder.getF64FloatAttr(scale),
      builder.getF64FloatAttr(qmin * scale));
}

/// The layer's ONNX node name, or its op name and position when it has
/// none (hand-written IR).
std::string describeLayer(Operation *op) {
  std::string name = getLayerName(op->getLoc());
  if (!name.empty())
    return name;
  std::string text;
  llvm::raw_string_ostream os(text);
  os << op->getName() << " at " << op->getLoc();
  return text;
}

/// The word (8, 16 or 32 bits) that wastes the fewest tail bits on one
/// innermost row of `shape` in `codeBits`-bit codes, the widest of those
/// that tie: a 400-bit row takes 25 16-bit words rather than 13 32-bit
/// words (416 bits), a 120-bit row 15 bytes.
IntegerType getStorageWordType(MLIRContext *ctx, ArrayRef<int64_t> shape,
                               unsigned codeBits) {
  int64_t rowBits = (shape.empty() ? 1 : shape.back()) * codeBits;
  int64_t best = 32, bestWaste = -1;
  for (int64_t width : {32, 16, 8}) {
    int64_t waste = llvm::divideCeil(rowBits, width) * width - rowBits;
    if (bestWaste < 0 || waste < bestWaste) {
      best = width;
      bestWaste = waste;
    }
  }
  return IntegerType::get(ctx, best);
}

/// Stores each `qc.quantize` of a float constant (a QONNX or QDQ weight
/// quantizer) as the packed `qc.constant` of its codes.
void packQuantizedConstants(func::FuncOp func) {
  SmallVector<QuantizeOp> quantizes;
  func.walk([&](QuantizeOp op) {
    if (op.getType().hasStaticShape() &&
        matchPattern(op.getInput(), m_Constant()))
      quantizes.push_back(op);
  });
  for (QuantizeOp op : quantizes) {
    DenseFPElementsAttr values;
    if (!matchPattern(op.getInput(), m_Constant(&values)))
      continue;
    auto type = cast<QuantizedTypeInterface>(op.getType().getElementType());
    if (type.getCodeBits() > 32)
      continue;
    ArrayRef<int64_t> shape = op.getType().getShape();
    OpBuilder builder(op);
    DenseIntElementsAttr words = packCodes(
        quantizeValues(type, values, shape), shape, type.getCodeBits(),
        getStorageWordType(op.getContext(), shape, type.getCodeBits()));
    op.replaceAllUsesWith(
        builder.create<ConstantOp>(op.getLoc(), op.getType(), words)
            .getResult());
    op.erase();
  }
}

/// The weight-scheme and activation-scheme option values.
constexpr StringLiteral kWeightSchemes[] = {"none",    "auto",       "binary",
                                            "ternary", "pot",        "codebook",
                                            "uniform", "asymmetric", "dorefa"};
constexpr StringLiteral kActivationSchemes[] = {"none", "uniform", "threshold",
                                                "binary"};

struct QCQuantizePass : public qc::impl::QCQuantizeBase<QCQuantizePass> {
  using QCQuantizeBase::QCQuantizeBase;

  /// Checks the options; emits an error naming the bad one.
  LogicalResult verifyOptions(func::FuncOp func) {
    std::string scheme = weightScheme;
    unsigned bits = weightBits;
    auto bad = [&](StringRef why) {
      return func.emitError() << "qc-quantize: " << why;
    };
    auto bitsIn = [&](StringRef what, unsigned value, unsigned lo,
                      unsigned hi) -> LogicalResult {
      if (value >= lo && value <= hi)
        return success();
      return bad((what + " in " + Twine(lo) + ".." + Twine(hi) + ", got " +
                  Twine(value))
                     .str());
    };
    if (!llvm::is_contained(kWeightSchemes, scheme)) {
      if (llvm::is_contained(kActivationSchemes, scheme))
        return bad("weight-scheme '" + scheme +
                   "' is an activation scheme; weights take " +
                   llvm::join(ArrayRef(kWeightSchemes), ", "));
      return bad("unknown weight-scheme '" + scheme + "' (" +
                 llvm::join(ArrayRef(kWeightSchemes), ", ") + ")");
    }
    if (scheme == "binary" && bits != 1)
      return bad("binary weights take weight-bits=1, got " +
                 std::to_string(bits));
    if (scheme == "ternary" && bits != 2)
      return bad("ternary weights take weight-bits=2, got " +
                 std::to_string(bits));
    if ((scheme == "pot" || scheme == "uniform" || scheme == "asymmetric") &&
        failed(bitsIn(scheme + " weights take weight-bits", bits, 2, 8)))
      return failure();
    if (scheme == "codebook" &&
        failed(bitsIn("codebook weights take weight-bits", bits, 1, 8)))
      return failure();
    // k-bit DoReFa levels need k + 1 bits of signed codes (at most 8).
    if (scheme == "dorefa" &&
        failed(bitsIn("dorefa weights take weight-bits", bits, 1, 7)))
      return failure();
    std::string activations = activationScheme;
    if (!llvm::is_contained(kActivationSchemes, activations)) {
      if (llvm::is_contained(kWeightSchemes, activations))
        return bad("activation-scheme '" + activations +
                   "' is a weight scheme; activations, computed at run time, "
                   "take " +
                   llvm::join(ArrayRef(kActivationSchemes), ", "));
      return bad("unknown activation-scheme '" + activations + "' (" +
                 llvm::join(ArrayRef(kActivationSchemes), ", ") + ")");
    }
    if ((activations == "uniform" || activations == "threshold") &&
        failed(bitsIn(activations + " activations take activation-bits",
                      activationBits, 2, 8)))
      return failure();
    return success();
  }

  /// Quantizes the constant weight (operand `operand`) of `op` as `spec`
  /// says. Weights that are not float constants, or that `auto` finds on
  /// no grid, stay as they are; a non-finite weight is an error, as no
  /// scheme has a finite scale for it.
  LogicalResult quantizeWeights(Operation *op, unsigned operand,
                                SchemeSpec spec) {
    if (spec.scheme == "none")
      return success();
    DenseFPElementsAttr weights;
    if (!matchPattern(op->getOperand(operand), m_Constant(&weights)))
      return success();
    auto floatType = dyn_cast<FloatType>(weights.getElementType());
    if (!floatType)
      return success();
    for (auto [i, v] : llvm::enumerate(weights.getValues<APFloat>()))
      if (!v.isFinite())
        return op->emitError()
               << "qc-quantize: layer '" << describeLayer(op) << "': weight "
               << i << " is not finite (" << v.convertToDouble()
               << "); cannot quantize it to " << spec.scheme << " weights";
    MLIRContext *ctx = &getContext();
    // Depthwise weights are HWCM; their output channels are not one axis.
    int64_t axis = isa<tosa::DepthwiseConv2DOp>(op) ? -1 : 0;
    bool perChannelHere = perChannel && axis == 0;
    WeightData data = splitChannels(weights, 0);
    Type qtype;
    if (spec.scheme == "auto") {
      // Recognition: only weights already on a grid are quantized, to
      // exactly their values.
      qtype = recognizeGrid(ctx, floatType, data, axis == 0);
      if (!qtype)
        return success();
    } else if (spec.scheme == "binary")
      qtype = binaryType(ctx, floatType, data, perChannelHere);
    else if (spec.scheme == "ternary")
      qtype = ternaryType(ctx, floatType, data, perChannelHere);
    else if (spec.scheme == "pot")
      qtype = powerOfTwoType(ctx, floatType, data, spec.bits);
    else if (spec.scheme == "codebook")
      qtype = codebookType(ctx, floatType, data, spec.bits);
    else if (spec.scheme == "asymmetric")
      qtype = asymmetricType(ctx, floatType, data, spec.bits, perChannelHere);
    else if (spec.scheme == "dorefa")
      std::tie(qtype, weights) = dorefaType(ctx, floatType, weights, spec.bits);
    else
      qtype = uniformType(ctx, floatType, data, spec.bits, perChannelHere);

    // The weights are stored as packed codes; the layer reads their values
    // through dequantize until MACs are rewritten.
    OpBuilder builder(op);
    Location loc = op->getLoc();
    auto wType = cast<RankedTensorType>(op->getOperand(operand).getType());
    auto quantized = cast<QuantizedTypeInterface>(qtype);
    SmallVector<uint64_t> codes =
        quantizeValues(quantized, weights, wType.getShape());
    DenseIntElementsAttr words = packCodes(
        codes, wType.getShape(), quantized.getCodeBits(),
        getStorageWordType(ctx, wType.getShape(), quantized.getCodeBits()));
    auto packed = builder.create<ConstantOp>(loc, wType.clone(qtype), words);
    op->setOperand(operand, builder.create<DequantizeOp>(loc, wType, packed));
    return success();
  }

  /// Quantizes the input activations (operand 0) of `op` as `spec` says,
  /// from the calibrated range in its `qc.input_range` attribute.
  LogicalResult quantizeActivations(Operation *op, SchemeSpec spec) {
    if (spec.scheme == "none")
      return success();
    Value input = op->getOperand(0);
    auto type = dyn_cast<RankedTensorType>(input.getType());
    auto floatType =
        type ? dyn_cast<FloatType>(type.getElementType()) : FloatType();
    // Inputs the model already quantizes (QDQ, QONNX, Sign) keep their type.
    if (!floatType || input.getDefiningOp<DequantizeOp>())
      return success();
    auto range = op->getAttrOfType<DenseF64ArrayAttr>(QCDialect::InputRangeAttrHelper::getNameStr());
    if (!range || range.size() != 3)
      return op->emitError()
             << "qc-quantize: layer '" << describeLayer(op)
             << "' has no calibrated input range (qc.input_range) for its "
             << spec.scheme << " activations; calibrate the model first "
             << "(qc-run/qcc --calib-idx-images or --calib-npy)";
    double lo = range[0], hi = range[1], meanAbs = range[2];
    if (!std::isfinite(lo) || !std::isfinite(hi) || !std::isfinite(meanAbs) ||
        lo > hi || meanAbs < 0)
      return op->emitError()
             << "qc-quantize: layer '" << describeLayer(op)
             << "' has an invalid calibrated input range (qc.input_range = ["
             << lo << ", " << hi << "], mean |x| " << meanAbs
             << "): expected finite lo <= hi and mean |x| >= 0";
    MLIRContext *ctx = &getContext();
    OpBuilder builder(op);
    Type qtype;
    if (spec.scheme == "binary") {
      // XNOR-Net: sign(x) scaled by the mean |x| seen in calibration.
      qtype = BinaryType::get(
          ctx, floatType,
          DenseF64ArrayAttr::get(ctx, {meanAbs > 0 ? meanAbs : 1.0}), -1);
    } else {
      auto uniform = getActivationType(floatType, lo, hi, spec.bits);
      // Thresholds compute the levels; the quantize that follows is exact
      // (its input lies on the grid) and records the grid, so that the
      // layer's integer kernels and the report see k-bit codes.
      if (spec.scheme == "threshold")
        input = buildThresholds(builder, op->getLoc(), input, uniform);
      qtype = uniform;
    }
    Value quantized =
        builder.create<QuantizeOp>(op->getLoc(), type.clone(qtype), input);
    op->setOperand(0,
                   builder.create<DequantizeOp>(op->getLoc(), type, quantized));
    return success();
  }

  /// Reads the --quant-config file: per layer (by ONNX node name), a weight
  /// and/or an activation spec. Emits an error naming what is wrong: the
  /// layer, its op and why the spec cannot apply.
  LogicalResult
  loadConfig(func::FuncOp func, ArrayRef<Operation *> layers,
             llvm::StringMap<std::pair<std::optional<SchemeSpec>,
                                       std::optional<SchemeSpec>>> &config) {
    auto bad = [&](const Twine &why) {
      return func.emitError() << "qc-quantize: " << configPath << ": " << why;
    };
    auto buffer = llvm::MemoryBuffer::getFile(configPath);
    if (!buffer)
      return bad("cannot read: " + buffer.getError().message());
    llvm::Expected<llvm::json::Value> json =
        llvm::json::parse((*buffer)->getBuffer());
    if (!json)
      return bad("not valid JSON: " + llvm::toString(json.takeError()));
    const llvm::json::Object *root = json->getAsObject();
    const llvm::json::Object *entries =
        root ? root->getObject("layers") : nullptr;
    if (!entries)
      return bad("expected an object with a \"layers\" object, keyed by "
                 "ONNX node name");
    llvm::StringMap<Operation *> known;
    std::string names;
    for (Operation *op : layers) {
      std::string name = getLayerName(op->getLoc());
      known[name] = op;
      names += (names.empty() ? "" : ", ") + name;
    }
    // Sorted, so that the first error is the same on every run.
    SmallVector<StringRef> keys;
    for (const auto &entry : *entries)
      keys.push_back(entry.first);
    llvm::sort(keys);
    for (StringRef key : keys) {
      Operation *op = known.lookup(key);
      if (!op) {
        // Another op of that name: say what it is.
        Operation *other = nullptr;
        func.walk([&](Operation *candidate) {
          if (!other && getLayerName(candidate->getLoc()) == key)
            other = candidate;
        });
        if (other)
          return bad(
              "layer '" + key + "' is a " + other->getName().getStringRef() +
              ", not a conv or dense layer of the model (layers: " + names +
              ")");
        return bad("layer '" + key +
                   "' is not a conv or dense layer of the model (layers: " +
                   names + ")");
      }
      std::string layer =
          ("layer '" + key + "' (" + op->getName().getStringRef() + ")").str();
      const llvm::json::Object *fields = entries->getObject(key);
      if (!fields)
        return bad(layer + ": expected an object with \"weights\" and/or "
                           "\"activations\"");
      auto &[weights, activations] = config[key];
      for (const auto &field : *fields) {
        std::optional<StringRef> value = field.second.getAsString();
        std::string error;
        if (field.first == "weights") {
          SchemeSpec spec;
          if (!value)
            return bad(layer + ": \"weights\" must be a string");
          if (!parseWeightSpec(*value, spec, error))
            return bad(layer + ": " +
                       (error.empty() ? "unknown weights '" + value->str() +
                                            "' (" + kWeightSpecs + ")"
                                      : error));
          if (failed(checkWeightsTakeScheme(op, spec, *value, error)))
            return bad(layer + ": " + error);
          weights = spec;
        } else if (field.first == "activations") {
          SchemeSpec spec;
          if (!value)
            return bad(layer + ": \"activations\" must be a string");
          if (!parseActivationSpec(*value, spec, error))
            return bad(layer + ": " + error);
          activations = spec;
        } else {
          return bad(layer + ": unknown key '" + field.first.str() +
                     "' (weights, activations)");
        }
      }
    }
    return success();
  }

  /// Fails with `error` set when the weight of `op` cannot take `spec`: only
  /// a float constant can be quantized; `auto` also accepts a weight that
  /// the model already quantizes (it keeps it).
  static LogicalResult checkWeightsTakeScheme(Operation *op,
                                              const SchemeSpec &spec,
                                              StringRef text,
                                              std::string &error) {
    Value weight = op->getOperand(1);
    DenseFPElementsAttr values;
    if (spec.scheme == "none" || matchPattern(weight, m_Constant(&values)))
      return success();
    bool quantized = weight.getDefiningOp<DequantizeOp>() != nullptr;
    if (quantized && spec.scheme == "auto")
      return success();
    std::string why =
        quantized ? "already quantized in the model (a qc.dequantize); use "
                    "none or auto to keep it"
        : matchPattern(weight, m_Constant())
            ? "a constant of a non-float type; only float weights are "
              "quantized"
            : "not a constant (it is computed at run time); only constant "
              "weights are quantized";
    error = ("weights '" + text + "' cannot apply: its weight is " + why).str();
    return failure();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (failed(verifyOptions(func)))
      return signalPassFailure();
    if (recognizeSign)
      recognizeSignActivations(func);
    packQuantizedConstants(func);
    // Conv and dense layers in order; those whose multiply-accumulates use a
    // constant weight take the options, the others only what the config
    // names.
    SmallVector<Operation *> layers, constantLayers;
    func.walk([&](Operation *op) {
      if (!isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::FullyConnectedOp>(
              op))
        return;
      layers.push_back(op);
      if (matchPattern(op->getOperand(1), m_Constant()))
        constantLayers.push_back(op);
    });
    llvm::StringMap<
        std::pair<std::optional<SchemeSpec>, std::optional<SchemeSpec>>>
        config;
    if (!configPath.empty() && failed(loadConfig(func, layers, config)))
      return signalPassFailure();

    for (Operation *op : layers) {
      SchemeSpec weights{"none", 0}, activations{"none", 0};
      const auto *position = llvm::find(constantLayers, op);
      if (position != constantLayers.end()) {
        weights = SchemeSpec{weightScheme, weightBits};
        activations = SchemeSpec{activationScheme, activationBits};
        // First and last layers stay 8-bit unless asked otherwise; `auto`
        // only recognizes what is there, so the policy does not apply to it.
        bool edge = position == constantLayers.begin() ||
                    position + 1 == constantLayers.end();
        if (edge && !quantizeFirstLast) {
          if (weights.scheme != "auto" && weights.scheme != "none")
            weights = SchemeSpec{"uniform", 8};
          if (activations.scheme != "none")
            activations = SchemeSpec{"uniform", 8};
        }
      }
      auto it = config.find(getLayerName(op->getLoc()));
      if (it != config.end()) {
        if (it->second.first)
          weights = *it->second.first;
        if (it->second.second)
          activations = *it->second.second;
      }
      if (failed(quantizeActivations(op, activations)))
        return signalPassFailure();
      if (failed(quantizeWeights(op, 1, weights)))
        return signalPassFailure();
    }
  }
};

} // namespace

/// Parses "<prefix><k>" with k in [lo, hi]; 0 when `spec` does not start
/// with `prefix`, -1 (with `error` set) when k is bad.
static int parseBits(llvm::StringRef spec, llvm::StringRef prefix, unsigned lo,
                     unsigned hi, unsigned &bits, std::string &error) {
  if (!spec.starts_with(prefix))
    return 0;
  if (spec.drop_front(prefix.size()).getAsInteger(10, bits) || bits < lo ||
      bits > hi) {
    error = ("'" + spec + "': " + prefix + "<k> takes k in " +
             std::to_string(lo) + ".." + std::to_string(hi))
                .str();
    return -1;
  }
  return 1;
}

/// Specs that name a weight scheme but not an activation one, and the
/// other way round, for an error that says why.
static bool isWeightOnlySpec(llvm::StringRef spec) {
  return spec == "auto" || spec == "ternary" || spec.starts_with("uint") ||
         spec.starts_with("pot") || spec.starts_with("dorefa") ||
         spec.starts_with("codebook");
}
static bool isActivationOnlySpec(llvm::StringRef spec) {
  return spec == "float" || spec.starts_with("threshold");
}

bool mlir::qc::parseWeightSpec(llvm::StringRef spec, SchemeSpec &result,
                               std::string &error) {
  unsigned bits = 0;
  if (spec == "none" || spec == "auto" || spec == "binary" ||
      spec == "ternary") {
    result.scheme = spec.str();
    result.bits = spec == "binary" ? 1 : spec == "ternary" ? 2 : 8;
    return true;
  }
  // DoReFa's k-bit levels take k + 1 bits of signed codes, at most 8.
  for (auto [prefix, scheme, lo, hi] :
       {std::tuple{"int", "uniform", 2u, 8u},
        std::tuple{"uint", "asymmetric", 2u, 8u},
        std::tuple{"pot", "pot", 2u, 8u},
        std::tuple{"dorefa", "dorefa", 1u, 7u},
        std::tuple{"codebook", "codebook", 1u, 256u}}) {
    int parsed = parseBits(spec, prefix, lo, hi, bits, error);
    if (parsed < 0)
      return false;
    if (parsed == 0)
      continue;
    result.scheme = scheme;
    result.bits = bits;
    if (result.scheme == "codebook") {
      // codebook<k> names the number of centroids, a power of two.
      if (!llvm::isPowerOf2_32(bits) || bits < 2) {
        error = ("'" + spec + "': codebook<k> takes k = 2, 4, ..., 256").str();
        return false;
      }
      result.bits = llvm::Log2_32(bits);
    }
    return true;
  }
  // An unknown spec leaves `error` empty for the caller to phrase.
  error.clear();
  if (isActivationOnlySpec(spec))
    error =
        ("'" + spec + "' is an activation spec; weights take " + kWeightSpecs)
            .str();
  return false;
}

bool mlir::qc::parseActivationSpec(llvm::StringRef spec, SchemeSpec &result,
                                   std::string &error) {
  if (spec == "none" || spec == "float") {
    result = SchemeSpec{"none", 32};
    return true;
  }
  if (spec == "binary") {
    result = SchemeSpec{"binary", 1};
    return true;
  }
  unsigned bits = 0;
  for (auto [prefix, scheme] :
       {std::pair{"int", "uniform"}, std::pair{"threshold", "threshold"}}) {
    int parsed = parseBits(spec, prefix, 2, 8, bits, error);
    if (parsed < 0)
      return false;
    if (parsed > 0) {
      result = SchemeSpec{scheme, bits};
      return true;
    }
  }
  if (isWeightOnlySpec(spec))
    error = ("'" + spec +
             "' is a weight spec: activations are computed at run time and "
             "take " +
             kActivationSpecs)
                .str();
  else
    error =
        ("unknown activation spec '" + spec + "' (" + kActivationSpecs + ")")
            .str();
  return false;
}
