//===- Quantizers.cpp - Float values to quantized types and codes ---------===//
//
// Each scheme's parameters from the float weights (TWN thresholds, INQ
// exponent ranges, k-means codebooks, uniform scales and zero points,
// DoReFa levels), grid recognition for auto, and the activation types from a
// calibrated range.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/Utils/Quantizers.h"
#include "dialects/QC/QCPacking.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>

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

} // namespace

QuantizedTypeInterface
mlir::qc::recognizeWeightGrid(DenseFPElementsAttr weights,
                              bool channelsOnAxis0) {
  auto floatType = cast<FloatType>(weights.getElementType());
  return cast_or_null<QuantizedTypeInterface>(
      recognizeGrid(weights.getContext(), floatType, splitChannels(weights, 0),
                    channelsOnAxis0));
}

std::optional<QuantizedWeights>
mlir::qc::quantizeWeights(DenseFPElementsAttr weights, SchemeSpec spec,
                          bool channelsOnAxis0, bool perChannel) {
  MLIRContext *ctx = weights.getContext();
  auto f = cast<FloatType>(weights.getElementType());
  bool perChannelHere = perChannel && channelsOnAxis0;
  WeightData data = splitChannels(weights, 0);
  Type type;
  switch (spec.scheme) {
  case QuantScheme::None:
  case QuantScheme::Threshold:
    llvm_unreachable("not a weight quantizer");
  case QuantScheme::Auto:
    // Recognition: only weights already on a grid are quantized, to
    // exactly their values.
    type = recognizeGrid(ctx, f, data, channelsOnAxis0);
    if (!type)
      return std::nullopt;
    break;
  case QuantScheme::Binary:
    type = binaryType(ctx, f, data, perChannelHere);
    break;
  case QuantScheme::Ternary:
    type = ternaryType(ctx, f, data, perChannelHere);
    break;
  case QuantScheme::PowerOfTwo:
    type = powerOfTwoType(ctx, f, data, spec.bits);
    break;
  case QuantScheme::Codebook:
    type = codebookType(ctx, f, data, spec.bits);
    break;
  case QuantScheme::UInt:
    type = asymmetricType(ctx, f, data, spec.bits, perChannelHere);
    break;
  case QuantScheme::DoReFa:
    // The codes come from the DoReFa levels, not from the float weights.
    std::tie(type, weights) = dorefaType(ctx, f, weights, spec.bits);
    break;
  case QuantScheme::Int:
    type = uniformType(ctx, f, data, spec.bits, perChannelHere);
    break;
  }
  auto quantized = cast<QuantizedTypeInterface>(type);
  return QuantizedWeights{
      quantized,
      quantizeValues(quantized, weights, weights.getType().getShape())};
}

quant::UniformQuantizedType
mlir::qc::getUniformActivationType(FloatType floatType, double lo, double hi,
                                   unsigned bits) {
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

BinaryType mlir::qc::getBinaryActivationType(FloatType floatType,
                                             double meanAbs) {
  MLIRContext *ctx = floatType.getContext();
  return BinaryType::get(
      ctx, floatType,
      DenseF64ArrayAttr::get(ctx, {meanAbs > 0 ? meanAbs : 1.0}), -1);
}

/// A 400-bit row takes 25 16-bit words rather than 13 32-bit words (416
/// bits), a 120-bit row 15 bytes.
IntegerType mlir::qc::getStorageWordType(MLIRContext *ctx,
                                         ArrayRef<int64_t> shape,
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

DenseIntElementsAttr mlir::qc::packStoredCodes(ArrayRef<uint64_t> codes,
                                               ArrayRef<int64_t> shape,
                                               QuantizedTypeInterface type) {
  unsigned bits = type.getCodeBits();
  return packCodes(codes, shape, bits,
                   getStorageWordType(type.getContext(), shape, bits));
}
