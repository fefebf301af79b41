//===- MacWeightForms.cpp - The forms a layer's weight can take -----------===//
//
// Reads a layer's weight the way the kernels need it: the packed qc.constant
// behind its qc.dequantize (through a transpose that keeps the output
// channels first), and from it the packed sign words, the integer tensor
// with one unit per output channel, or the centroid indices and table.
// When a weight has none of these, the reason names what it is instead.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/MacWeightForms.h"
#include "dialects/QC/QCPacking.h"

#include "mlir/Dialect/Quant/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <set>

using namespace mlir;
using namespace mlir::qc;

std::string mlir::qc::describeScheme(Type element) {
  if (isa<BinaryType>(element))
    return "binary";
  if (auto ternary = dyn_cast<TernaryType>(element))
    return ternary.isSymmetric() ? "ternary" : "asymmetric ternary";
  if (isa<PowerOfTwoType>(element))
    return "power-of-two";
  if (isa<CodebookType>(element))
    return "codebook";
  if (auto uniform = dyn_cast<quant::QuantizedType>(element))
    return llvm::formatv("{0}-bit uniform{1}",
                         uniform.getStorageTypeIntegralWidth(),
                         isa<quant::UniformQuantizedPerAxisType>(element)
                             ? " (per channel)"
                             : "")
        .str();
  if (isa<FloatType>(element))
    return "float";
  std::string text;
  llvm::raw_string_ostream os(text);
  element.print(os);
  return text;
}

std::string mlir::qc::formatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

namespace {

/// The most distinct values any slice along `axis` of `values` holds: what
/// a grid would have to give one output channel.
int64_t countDistinctPerChannel(DenseFPElementsAttr values, int64_t axis) {
  ArrayRef<int64_t> shape = values.getType().getShape();
  int64_t channels = shape.empty() ? 1 : shape[axis];
  int64_t stride = 1;
  for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
    stride *= shape[d];
  std::vector<std::set<double>> distinct(std::max<int64_t>(channels, 1));
  int64_t i = 0;
  for (const APFloat &v : values.getValues<APFloat>()) {
    int64_t channel = channels ? (i / stride) % channels : 0;
    distinct[channel].insert(v.convertToDouble());
    ++i;
  }
  size_t most = 0;
  for (const std::set<double> &set : distinct)
    most = std::max(most, set.size());
  return most;
}

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

/// The weight's codes in the layer's layout (after the transpose), and
/// that layout's shape.
SmallVector<uint64_t> getLayerCodes(StoredWeight stored,
                                    SmallVector<int64_t> &shape) {
  auto type = stored.constant.getType();
  auto quantized = cast<QuantizedTypeInterface>(type.getElementType());
  SmallVector<uint64_t> codes =
      unpackCodes(cast<DenseIntElementsAttr>(stored.constant.getValue()),
                  type.getShape(), quantized.getCodeBits());
  shape.assign(type.getShape().begin(), type.getShape().end());
  if (stored.perms.empty())
    return codes;
  SmallVector<int64_t> permuted;
  for (int64_t p : stored.perms)
    permuted.push_back(shape[p]);
  codes = permuteCodes(codes, shape, stored.perms);
  shape = permuted;
  return codes;
}

} // namespace

MatchResult<StoredWeight> mlir::qc::matchStoredWeight(Value weight) {
  using Result = MatchResult<StoredWeight>;
  StoredWeight stored;
  tosa::TransposeOp transpose = weight.getDefiningOp<tosa::TransposeOp>();
  if (transpose) {
    if (failed(transpose.getConstantPerms(stored.perms)) ||
        stored.perms.empty())
      return Result::fails("weight is read through a transpose whose "
                           "permutation is not constant");
    weight = transpose.getInput1();
  }
  DenseFPElementsAttr floats;
  if (matchPattern(weight, m_Constant(&floats)))
    return Result::fails(llvm::formatv(
        "weight is float: no grid recognized ({0} distinct values per "
        "channel)",
        countDistinctPerChannel(floats,
                                stored.perms.empty() ? 0 : stored.perms[0])));
  if (transpose && stored.perms[0] != 0)
    return Result::fails(llvm::formatv(
        "weight is read through a transpose that moves the "
        "output channels (perms [{0:$[, ]}])",
        llvm::make_range(stored.perms.begin(), stored.perms.end())));
  auto dequantize = weight.getDefiningOp<DequantizeOp>();
  if (!dequantize) {
    if (Operation *def = weight.getDefiningOp())
      return Result::fails("weight is not a quantized constant (it is "
                           "computed by '" +
                           def->getName().getStringRef() + "')");
    return Result::fails(
        "weight is not a quantized constant (it is a function argument)");
  }
  stored.constant = dequantize.getInput().getDefiningOp<ConstantOp>();
  if (!stored.constant ||
      !isa<DenseIntElementsAttr>(stored.constant.getValue()))
    return Result::fails("weight is dequantized from a value that is not a "
                         "qc.constant");
  if (!stored.constant.getType().hasStaticShape())
    return Result::fails("weight shape is not static");
  auto quantized =
      cast<QuantizedTypeInterface>(stored.constant.getType().getElementType());
  // Per-channel parameters must follow the output channels.
  if (quantized.getQuantAxis() > 0)
    return Result::fails(llvm::formatv(
        "weight's per-channel parameters run along axis {0}, not the output "
        "channels (axis 0)",
        quantized.getQuantAxis()));
  return stored;
}

/// The element type of the stored weight.
Type mlir::qc::getStoredType(StoredWeight stored) {
  return stored.constant.getType().getElementType();
}

/// The packed binary weight of `stored`, repacked along the layer's
/// innermost axis when it is read through a transpose.
std::optional<PackedBinaryWeight>
mlir::qc::getPackedBinaryWeight(StoredWeight stored) {
  auto binary = dyn_cast<BinaryType>(getStoredType(stored));
  if (!binary)
    return std::nullopt;
  auto words = cast<DenseIntElementsAttr>(stored.constant.getValue());
  if (!stored.perms.empty()) {
    SmallVector<int64_t> shape;
    SmallVector<uint64_t> codes = getLayerCodes(stored, shape);
    words =
        packCodes(codes, shape, 1, cast<IntegerType>(words.getElementType()));
  }
  ArrayRef<double> alpha = binary.getAlpha().asArrayRef();
  return PackedBinaryWeight{words, SmallVector<double>(alpha)};
}

MatchResult<IntegerWeight> mlir::qc::getIntegerWeight(StoredWeight stored) {
  using Result = MatchResult<IntegerWeight>;
  Type element = getStoredType(stored);
  auto quantized = cast<QuantizedTypeInterface>(element);
  int64_t channels = stored.constant.getType().getDimSize(0);
  auto param = [&](ArrayRef<double> values, int64_t c) {
    return values.size() == 1 ? values[0] : values[c];
  };
  // The unit of channel c, or 0 when the type has no integer form.
  std::function<double(int64_t)> unitOf;
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(element)) {
    unitOf = [=](int64_t) { return uniform.getScale(); };
  } else if (auto axis =
                 dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
    unitOf = [=](int64_t c) { return axis.getScales()[c]; };
  } else if (auto binary = dyn_cast<BinaryType>(element)) {
    unitOf = [=](int64_t c) {
      return param(binary.getAlpha().asArrayRef(), c);
    };
  } else if (auto ternary = dyn_cast<TernaryType>(element)) {
    unitOf = [=](int64_t c) {
      double p = param(ternary.getAlphaP().asArrayRef(), c);
      return p == param(ternary.getAlphaN().asArrayRef(), c) ? p : 0.0;
    };
  } else if (auto pot = dyn_cast<PowerOfTwoType>(element)) {
    unitOf = [=](int64_t c) {
      return std::ldexp(param(pot.getScale().asArrayRef(), c), pot.getEmin());
    };
  } else {
    return Result::notMine(describeScheme(element) +
                           " weights have no integer form");
  }

  SmallVector<int64_t> shape;
  SmallVector<uint64_t> codes = getLayerCodes(stored, shape);
  int64_t perChannel = codes.size() / channels;
  SmallVector<double> units;
  SmallVector<int64_t> values;
  int64_t maxAbs = 0;
  for (int64_t c = 0; c < channels; ++c) {
    double unit = unitOf(c);
    if (!(unit > 0) && unit != 0)
      return Result::fails(llvm::formatv(
          "weight unit of output channel {0} is not positive ({1})", c,
          formatNumber(unit)));
    bool allZero = true;
    for (int64_t i = 0; i < perChannel; ++i) {
      double v = quantized.dequantizeCode(codes[c * perChannel + i], c);
      allZero &= v == 0;
    }
    if (unit == 0 && !allZero)
      return Result::notMine(llvm::formatv(
          "asymmetric ternary weights have no single unit per channel "
          "(output channel {0})",
          c));
    if (unit == 0)
      unit = 1;
    units.push_back(unit);
    for (int64_t i = 0; i < perChannel; ++i) {
      double q = quantized.dequantizeCode(codes[c * perChannel + i], c) / unit;
      double r = std::nearbyint(q);
      if (std::fabs(q - r) > 1e-6 * std::max(1.0, std::fabs(r)))
        return Result::fails(llvm::formatv(
            "weight {0} of output channel {1} is {2} units, not an integer", i,
            c, formatNumber(q)));
      if (std::fabs(r) > (1 << 24))
        return Result::fails(llvm::formatv(
            "weight {0} of output channel {1} is {2} units, beyond the 2^24 "
            "an integer kernel takes",
            i, c, formatNumber(r)));
      values.push_back(static_cast<int64_t>(r));
      maxAbs = std::max<int64_t>(maxAbs, std::llabs(values.back()));
    }
  }
  MLIRContext *ctx = element.getContext();
  auto intType = IntegerType::get(ctx, maxAbs <= 127 ? 8 : 32);
  SmallVector<APInt> ints;
  for (int64_t v : values)
    ints.push_back(APInt(intType.getWidth(), v, /*isSigned=*/true));
  auto type = RankedTensorType::get(shape, intType);
  return IntegerWeight{DenseIntElementsAttr::get(type, ints), units, maxAbs,
                       std::move(codes), element};
}

/// The centroid form of `stored`: codebook and asymmetric ternary weights,
/// and with float activations also binary, ternary and power-of-two ones.
MatchResult<CentroidWeight> mlir::qc::getCentroidWeight(StoredWeight stored,
                                                        bool floatActivations) {
  using Result = MatchResult<CentroidWeight>;
  Type element = getStoredType(stored);
  auto quantized = cast<QuantizedTypeInterface>(element);
  int64_t k;
  KernelKind kind;
  if (auto codebook = dyn_cast<CodebookType>(element)) {
    k = codebook.getNumCentroids();
    kind = KernelKind::CodebookAccumulate;
  } else if ((floatActivations &&
              isa<BinaryType, TernaryType, PowerOfTwoType>(element)) ||
             (isa<TernaryType>(element) &&
              !cast<TernaryType>(element).isSymmetric())) {
    // Asymmetric ternary weights (TTQ) have no single unit per channel:
    // they keep two accumulators, Wp * sum(x at +) - Wn * sum(x at -).
    k = int64_t(1) << quantized.getCodeBits();
    kind = isa<PowerOfTwoType>(element) ? KernelKind::PowerOfTwoLevelAccumulate
           : isa<BinaryType>(element)   ? KernelKind::BinaryAddSubtract
                                        : KernelKind::TernaryAddSubtract;
  } else if (floatActivations) {
    return Result::fails(
        "float activations with " + describeScheme(element) +
        " weights: too many weight levels (a kernel on float activations "
        "needs codebook, binary, ternary or power-of-two weights)");
  } else {
    return Result::fails(
        "uniform activations take per-centroid accumulation only with "
        "codebook or asymmetric ternary weights, not " +
        describeScheme(element));
  }
  SmallVector<int64_t> shape;
  SmallVector<uint64_t> codes = getLayerCodes(stored, shape);
  int64_t outputs = shape[0];
  MLIRContext *ctx = element.getContext();
  SmallVector<float> table;
  for (int64_t o = 0; o < outputs; ++o)
    for (int64_t c = 0; c < k; ++c)
      table.push_back(static_cast<float>(quantized.dequantizeCode(c, o)));
  auto tableType = RankedTensorType::get({outputs, k}, Float32Type::get(ctx));
  return CentroidWeight{getCodesAttr(ctx, codes, shape),
                        cast<DenseFPElementsAttr>(DenseElementsAttr::get(
                            tableType, ArrayRef<float>(table))),
                        kind};
}
