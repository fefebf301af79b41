//===- QCQuantize.cpp - Post-training weight quantization -----------------===//
//
// Implements qc-quantize: computes each layer's quantized weight type from
// its constant weights (XNOR-Net binary, TWN ternary, INQ power-of-two,
// k-means codebook, symmetric uniform) and stores the weight as a packed
// `qc.constant` that the layer reads through `qc.dequantize`.
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
    std::string activations = activationScheme;
    if (activations != "none" && activations != "uniform" &&
        activations != "binary")
      return bad("unknown activation-scheme '" + activations +
                 "' (none, uniform, binary)");
    if (activations == "uniform" && (activationBits < 2 || activationBits > 8))
      return bad("uniform activations take activation-bits in 2..8, got " +
                 std::to_string(activationBits));
    if (scheme != "binary" && scheme != "ternary" && scheme != "pot" &&
        scheme != "codebook" && scheme != "uniform" && scheme != "auto")
      return bad("unknown weight-scheme '" + scheme +
                 "' (auto, binary, ternary, pot, codebook, uniform)");
    return success();
  }

  /// Quantizes the constant weight (operand `operand`) of `op` as `spec`
  /// says. Weights that are not float constants, or that `auto` finds on
  /// no grid, stay as they are.
  void quantizeWeights(Operation *op, unsigned operand, SchemeSpec spec) {
    if (spec.scheme == "none")
      return;
    DenseFPElementsAttr weights;
    if (!matchPattern(op->getOperand(operand), m_Constant(&weights)))
      return;
    auto floatType = dyn_cast<FloatType>(weights.getElementType());
    if (!floatType)
      return;
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
        return;
    } else if (spec.scheme == "binary")
      qtype = binaryType(ctx, floatType, data, perChannelHere);
    else if (spec.scheme == "ternary")
      qtype = ternaryType(ctx, floatType, data, perChannelHere);
    else if (spec.scheme == "pot")
      qtype = powerOfTwoType(ctx, floatType, data, spec.bits);
    else if (spec.scheme == "codebook")
      qtype = codebookType(ctx, floatType, data, spec.bits);
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
    auto range = op->getAttrOfType<DenseF64ArrayAttr>("qc.input_range");
    if (!range || range.size() != 3)
      return op->emitError()
             << "qc-quantize: layer '" << describeLayer(op)
             << "' has no calibrated input range (qc.input_range) for its "
             << spec.scheme << " activations; calibrate the model first "
             << "(qc-run/qcc --calib-idx-images or --calib-npy)";
    double lo = range[0], hi = range[1], meanAbs = range[2];
    MLIRContext *ctx = &getContext();
    Type qtype;
    if (spec.scheme == "binary") {
      // XNOR-Net: sign(x) scaled by the mean |x| seen in calibration.
      qtype = BinaryType::get(
          ctx, floatType,
          DenseF64ArrayAttr::get(ctx, {meanAbs > 0 ? meanAbs : 1.0}), -1);
    } else if (lo >= 0) {
      // Non-negative activations (after ReLU): unsigned levels on [0, hi].
      int64_t qmax = (int64_t(1) << spec.bits) - 1;
      qtype = quant::UniformQuantizedType::get(
          0, IntegerType::get(ctx, spec.bits), floatType,
          hi > 0 ? hi / qmax : 1.0, 0, 0, qmax);
    } else {
      // Signed symmetric narrow range on [-c, c].
      int64_t qmax = (int64_t(1) << (spec.bits - 1)) - 1;
      double clip = std::max(-lo, hi);
      qtype = quant::UniformQuantizedType::get(
          quant::QuantizationFlags::Signed,
          IntegerType::get(ctx, std::max(spec.bits, 2u)), floatType,
          clip > 0 ? clip / qmax : 1.0, 0, -qmax, qmax);
    }
    OpBuilder builder(op);
    Value quantized =
        builder.create<QuantizeOp>(op->getLoc(), type.clone(qtype), input);
    op->setOperand(0,
                   builder.create<DequantizeOp>(op->getLoc(), type, quantized));
    return success();
  }

  /// Reads the --quant-config file: per layer (by ONNX node name), a weight
  /// and/or an activation spec. Emits an error naming what is wrong.
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
    llvm::StringSet<> known;
    std::string names;
    for (Operation *op : layers) {
      std::string name = getLayerName(op->getLoc());
      known.insert(name);
      names += (names.empty() ? "" : ", ") + name;
    }
    // Sorted, so that the first error is the same on every run.
    SmallVector<StringRef> keys;
    for (const auto &entry : *entries)
      keys.push_back(entry.first);
    llvm::sort(keys);
    for (StringRef key : keys) {
      if (!known.contains(key))
        return bad("layer '" + key +
                   "' is not a conv or dense layer of the model (layers: " +
                   names + ")");
      const llvm::json::Object *layer = entries->getObject(key);
      if (!layer)
        return bad("layer '" + key +
                   "': expected an object with \"weights\" "
                   "and/or \"activations\"");
      auto &[weights, activations] = config[key];
      for (const auto &field : *layer) {
        std::optional<StringRef> value = field.second.getAsString();
        std::string error;
        if (field.first == "weights") {
          SchemeSpec spec;
          if (!value || !parseWeightSpec(*value, spec, error))
            return bad("layer '" + key + "': " +
                       (error.empty() ? "weights must be one of none, auto, "
                                        "int<k>, binary, ternary, pot<k>, "
                                        "codebook<k>"
                                      : error));
          weights = spec;
        } else if (field.first == "activations") {
          SchemeSpec spec;
          if (!value || !parseActivationSpec(*value, spec, error))
            return bad(
                "layer '" + key + "': " +
                (error.empty() ? "activations must be a string" : error));
          activations = spec;
        } else {
          return bad("layer '" + key + "': unknown key '" + field.first.str() +
                     "' (weights, activations)");
        }
      }
    }
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (failed(verifyOptions(func)))
      return signalPassFailure();
    if (recognizeSign)
      recognizeSignActivations(func);
    packQuantizedConstants(func);
    // Layers whose multiply-accumulates use a constant weight, in order.
    SmallVector<Operation *> layers;
    func.walk([&](Operation *op) {
      if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::FullyConnectedOp>(
              op) &&
          matchPattern(op->getOperand(1), m_Constant()))
        layers.push_back(op);
    });
    llvm::StringMap<
        std::pair<std::optional<SchemeSpec>, std::optional<SchemeSpec>>>
        config;
    if (!configPath.empty() && failed(loadConfig(func, layers, config)))
      return signalPassFailure();

    for (auto [index, op] : llvm::enumerate(layers)) {
      SchemeSpec weights{weightScheme, weightBits};
      SchemeSpec activations{activationScheme, activationBits};
      // First and last layers stay 8-bit unless asked otherwise; `auto`
      // only recognizes what is there, so the policy does not apply to it.
      bool edge = index == 0 || index + 1 == layers.size();
      if (edge && !quantizeFirstLast) {
        if (weights.scheme != "auto" && weights.scheme != "none")
          weights = SchemeSpec{"uniform", 8};
        if (activations.scheme != "none")
          activations = SchemeSpec{"uniform", 8};
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
      quantizeWeights(op, 1, weights);
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

bool mlir::qc::parseWeightSpec(llvm::StringRef spec, SchemeSpec &result,
                               std::string &error) {
  unsigned bits = 0;
  if (spec == "none" || spec == "auto" || spec == "binary" ||
      spec == "ternary") {
    result.scheme = spec.str();
    result.bits = spec == "binary" ? 1 : spec == "ternary" ? 2 : 8;
    return true;
  }
  for (auto [prefix, scheme, hi] :
       {std::tuple{"int", "uniform", 8u}, std::tuple{"pot", "pot", 8u},
        std::tuple{"codebook", "codebook", 256u}}) {
    int parsed =
        parseBits(spec, prefix, scheme == llvm::StringRef("codebook") ? 1 : 2,
                  hi, bits, error);
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
  error.clear();
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
  int parsed = parseBits(spec, "int", 2, 8, bits, error);
  if (parsed > 0) {
    result = SchemeSpec{"uniform", bits};
    return true;
  }
  if (parsed == 0)
    error =
        ("unknown activation spec '" + spec + "' (none, binary, int<k>)").str();
  return false;
}
