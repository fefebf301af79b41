//===- QCQuantize.cpp - Post-training weight quantization -----------------===//
//
// Implements qc-quantize: computes each layer's quantized weight type from
// its constant weights (XNOR-Net binary, TWN ternary, INQ power-of-two,
// k-means codebook, symmetric uniform) and stores the weight as a packed
// `qc.constant` that the layer reads through `qc.dequantize`.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

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
  int64_t emax = m > 0 ? static_cast<int64_t>(std::floor(std::log2(m * 4.0 / 3.0)))
                       : 0;
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
    centroids.push_back(values[std::min<int64_t>((2 * i + 1) * n / (2 * k), n - 1)]);
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
  auto table = RankedTensorType::get({(int64_t)centroids.size()},
                                     Float64Type::get(ctx));
  return CodebookType::get(ctx, f, bits,
                           cast<DenseFPElementsAttr>(
                               DenseElementsAttr::get(table, ArrayRef(centroids))),
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

struct QCQuantizePass : public qc::impl::QCQuantizeBase<QCQuantizePass> {
  using QCQuantizeBase::QCQuantizeBase;

  /// Checks the options; emits an error naming the bad one.
  LogicalResult verifyOptions(func::FuncOp func) {
    std::string scheme = weightScheme;
    unsigned bits = weightBits;
    auto bad = [&](StringRef why) {
      return func.emitError() << "qc-quantize: " << why;
    };
    if (scheme == "binary" && bits != 1)
      return bad("binary weights take weight-bits=1, got " +
                 std::to_string(bits));
    if (scheme == "ternary" && bits != 2)
      return bad("ternary weights take weight-bits=2, got " +
                 std::to_string(bits));
    if ((scheme == "pot" || scheme == "uniform") && (bits < 2 || bits > 8))
      return bad(scheme + " weights take weight-bits in 2..8, got " +
                 std::to_string(bits));
    if (scheme == "codebook" && (bits < 1 || bits > 8))
      return bad("codebook weights take weight-bits in 1..8, got " +
                 std::to_string(bits));
    if (scheme != "binary" && scheme != "ternary" && scheme != "pot" &&
        scheme != "codebook" && scheme != "uniform")
      return bad("unknown weight-scheme '" + scheme +
                 "' (binary, ternary, pot, codebook, uniform)");
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (failed(verifyOptions(func)))
      return signalPassFailure();
    // Layers whose multiply-accumulates use a constant weight, in order.
    SmallVector<std::pair<Operation *, unsigned>> layers;
    func.walk([&](Operation *op) {
      unsigned operand;
      if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::FullyConnectedOp>(op))
        operand = 1;
      else
        return;
      if (matchPattern(op->getOperand(operand), m_Constant()))
        layers.push_back({op, operand});
    });
    MLIRContext *ctx = &getContext();
    for (auto [index, layer] : llvm::enumerate(layers)) {
      auto [op, operand] = layer;
      DenseFPElementsAttr weights;
      if (!matchPattern(op->getOperand(operand), m_Constant(&weights)))
        continue;
      auto floatType = dyn_cast<FloatType>(weights.getElementType());
      if (!floatType)
        continue;
      bool edge = index == 0 || index + 1 == layers.size();
      // Depthwise weights are HWCM; their output channels are not one axis.
      int64_t axis = isa<tosa::DepthwiseConv2DOp>(op) ? -1 : 0;
      bool perChannelHere = perChannel && axis == 0;
      WeightData data = splitChannels(weights, 0);
      std::string scheme = weightScheme;
      unsigned bits = weightBits;
      if (edge && !quantizeFirstLast) {
        scheme = "uniform";
        bits = 8;
        perChannelHere = axis == 0;
      }
      Type qtype;
      if (scheme == "binary")
        qtype = binaryType(ctx, floatType, data, perChannelHere);
      else if (scheme == "ternary")
        qtype = ternaryType(ctx, floatType, data, perChannelHere);
      else if (scheme == "pot")
        qtype = powerOfTwoType(ctx, floatType, data, bits);
      else if (scheme == "codebook")
        qtype = codebookType(ctx, floatType, data, bits);
      else
        qtype = uniformType(ctx, floatType, data, bits, perChannelHere);

      // The weights are stored as packed codes; the layer reads their
      // values through dequantize until MACs are rewritten.
      OpBuilder builder(op);
      Location loc = op->getLoc();
      auto wType = cast<RankedTensorType>(op->getOperand(operand).getType());
      auto quantized = cast<QuantizedTypeInterface>(qtype);
      SmallVector<uint64_t> codes =
          quantizeValues(quantized, weights, wType.getShape());
      DenseIntElementsAttr words =
          packCodes(codes, wType.getShape(), quantized.getCodeBits(),
                    builder.getI32Type());
      auto packed =
          builder.create<ConstantOp>(loc, wType.clone(qtype), words);
      op->setOperand(operand,
                     builder.create<DequantizeOp>(loc, wType, packed));
    }
  }
};

} // namespace
