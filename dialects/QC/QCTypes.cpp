//===- QCTypes.cpp - qc quantized element types ---------------------------===//
//
// Verification of the qc quantized types and their scalar quantize /
// dequantize maps, which constant folding, packing and the reference
// execution path all use, so that every part of qc agrees on what a code
// means.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCTypes.h"
#include "dialects/QC/QCDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;

#include "dialects/QC/QCTypeInterfaces.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "dialects/QC/QCTypes.cpp.inc"

void QCDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "dialects/QC/QCTypes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Shared parameter checks
//===----------------------------------------------------------------------===//

/// Checks the axis and that a per-tensor type has exactly one parameter set.
static LogicalResult verifyAxis(function_ref<InFlightDiagnostic()> emitError,
                                int64_t axis, int64_t count, StringRef param) {
  if (axis < -1)
    return emitError() << "quantization axis must be -1 (per tensor) or "
                          "non-negative, got "
                       << axis;
  if (count < 1)
    return emitError() << "'" << param << "' must not be empty";
  if (axis == -1 && count != 1)
    return emitError() << "per-tensor quantization takes exactly one '"
                       << param << "', got " << count;
  return success();
}

/// Checks that every value is finite, and positive (or non-negative when
/// `allowZero`, for magnitudes such as alpha that are 0 in an all-zero
/// channel).
static LogicalResult
verifyScales(function_ref<InFlightDiagnostic()> emitError,
             ArrayRef<double> values, StringRef param, bool allowZero) {
  for (auto [i, v] : llvm::enumerate(values)) {
    if (!std::isfinite(v))
      return emitError() << "'" << param << "' entry " << i
                         << " is not finite (" << v << ")";
    if (v < 0 || (!allowZero && v == 0))
      return emitError() << "'" << param << "' entry " << i << " must be "
                         << (allowZero ? "non-negative" : "positive")
                         << ", got " << v;
  }
  return success();
}

/// Parameter `values[channel]`, or the single per-tensor entry.
static double paramAt(ArrayRef<double> values, int64_t channel) {
  return values.size() == 1 ? values[0] : values[channel];
}

LogicalResult
mlir::qc::verifyQuantizedShape(function_ref<InFlightDiagnostic()> emitError,
                               QuantizedTypeInterface type,
                               ArrayRef<int64_t> shape, StringRef what) {
  int64_t axis = type.getQuantAxis();
  if (axis < 0)
    return success();
  if (axis >= static_cast<int64_t>(shape.size()))
    return emitError() << what << " is quantized along axis " << axis
                       << ", which is out of range for a tensor of rank "
                       << shape.size();
  int64_t extent = shape[axis];
  if (!ShapedType::isDynamic(extent) && extent != type.getNumChannels())
    return emitError() << what << " has " << type.getNumChannels()
                       << " quantization parameter sets along axis " << axis
                       << ", but that axis has size " << extent;
  return success();
}

//===----------------------------------------------------------------------===//
// BinaryType
//===----------------------------------------------------------------------===//

LogicalResult BinaryType::verify(function_ref<InFlightDiagnostic()> emitError,
                                 FloatType expressedType,
                                 DenseF64ArrayAttr alpha, int64_t axis) {
  if (failed(verifyAxis(emitError, axis, alpha.size(), "alpha")))
    return failure();
  return verifyScales(emitError, alpha.asArrayRef(), "alpha",
                      /*allowZero=*/true);
}

FloatType BinaryType::getExpressedFloatType() const {
  return getExpressedType();
}
unsigned BinaryType::getCodeBits() const { return 1; }
int64_t BinaryType::getQuantAxis() const { return getAxis(); }
int64_t BinaryType::getNumChannels() const { return getAlpha().size(); }

uint64_t BinaryType::quantizeToCode(double value, int64_t) const {
  // sign(0) = +1, as in BNN kernels; NaN also maps to +alpha.
  return value < 0 ? 1 : 0;
}

double BinaryType::dequantizeCode(uint64_t code, int64_t channel) const {
  double alpha = paramAt(getAlpha().asArrayRef(), channel);
  return (code & 1) ? -alpha : alpha;
}

//===----------------------------------------------------------------------===//
// TernaryType
//===----------------------------------------------------------------------===//

LogicalResult TernaryType::verify(function_ref<InFlightDiagnostic()> emitError,
                                  FloatType expressedType,
                                  DenseF64ArrayAttr alphaN,
                                  DenseF64ArrayAttr alphaP,
                                  DenseF64ArrayAttr delta, int64_t axis) {
  if (failed(verifyAxis(emitError, axis, alphaN.size(), "alpha_n")))
    return failure();
  if (alphaP.size() != alphaN.size() || delta.size() != alphaN.size())
    return emitError() << "'alpha_n', 'alpha_p' and 'delta' must have the "
                          "same number of entries, got "
                       << alphaN.size() << ", " << alphaP.size() << " and "
                       << delta.size();
  if (failed(verifyScales(emitError, alphaN.asArrayRef(), "alpha_n", true)) ||
      failed(verifyScales(emitError, alphaP.asArrayRef(), "alpha_p", true)) ||
      failed(verifyScales(emitError, delta.asArrayRef(), "delta", true)))
    return failure();
  return success();
}

bool TernaryType::isSymmetric() const {
  return getAlphaN().asArrayRef() == getAlphaP().asArrayRef();
}

FloatType TernaryType::getExpressedFloatType() const {
  return getExpressedType();
}
unsigned TernaryType::getCodeBits() const { return 2; }
int64_t TernaryType::getQuantAxis() const { return getAxis(); }
int64_t TernaryType::getNumChannels() const { return getAlphaN().size(); }

uint64_t TernaryType::quantizeToCode(double value, int64_t channel) const {
  double delta = paramAt(getDelta().asArrayRef(), channel);
  if (value > delta)
    return 1;
  if (value < -delta)
    return 3;
  return 0;
}

double TernaryType::dequantizeCode(uint64_t code, int64_t channel) const {
  if (code == 1)
    return paramAt(getAlphaP().asArrayRef(), channel);
  if (code == 3)
    return -paramAt(getAlphaN().asArrayRef(), channel);
  return 0.0;
}

//===----------------------------------------------------------------------===//
// PowerOfTwoType
//===----------------------------------------------------------------------===//

unsigned PowerOfTwoType::bitsForRange(int64_t emin, int64_t emax) {
  // Magnitude codes 0 (zero) and 1..n for the n exponents, plus a sign bit.
  uint64_t levels = static_cast<uint64_t>(emax - emin) + 2;
  unsigned magnitudeBits = llvm::Log2_64_Ceil(levels);
  return 1 + magnitudeBits;
}

LogicalResult
PowerOfTwoType::verify(function_ref<InFlightDiagnostic()> emitError,
                       FloatType expressedType, DenseF64ArrayAttr scale,
                       int64_t emin, int64_t emax, int64_t axis) {
  if (failed(verifyAxis(emitError, axis, scale.size(), "scale")) ||
      failed(verifyScales(emitError, scale.asArrayRef(), "scale",
                          /*allowZero=*/false)))
    return failure();
  if (emin > emax)
    return emitError() << "exponent range is empty: emin (" << emin
                       << ") > emax (" << emax << ")";
  if (emin < -126 || emax > 127)
    return emitError() << "exponents must lie in [-126, 127], got [" << emin
                       << ", " << emax << "]";
  unsigned bits = bitsForRange(emin, emax);
  if (bits > 8)
    return emitError() << "exponent range [" << emin << ", " << emax
                       << "] needs " << bits
                       << " bits with sign and zero code; at most 8 are "
                          "supported";
  return success();
}

FloatType PowerOfTwoType::getExpressedFloatType() const {
  return getExpressedType();
}
unsigned PowerOfTwoType::getCodeBits() const {
  return bitsForRange(getEmin(), getEmax());
}
int64_t PowerOfTwoType::getQuantAxis() const { return getAxis(); }
int64_t PowerOfTwoType::getNumChannels() const { return getScale().size(); }

uint64_t PowerOfTwoType::quantizeToCode(double value, int64_t channel) const {
  double magnitude = std::fabs(value) / paramAt(getScale().asArrayRef(), channel);
  int64_t emin = getEmin(), emax = getEmax();
  // Nearest level in the linear domain: 0 below half the smallest power,
  // 2^e below 1.5 * 2^e (INQ's rule), saturating at 2^emax.
  if (!(magnitude >= std::ldexp(0.5, emin)))
    return 0;
  int exponent;
  double mantissa = std::frexp(magnitude, &exponent); // magnitude = m * 2^exp
  int64_t e = exponent - 1;                           // 2^e <= magnitude
  if (mantissa >= 0.75)
    ++e;
  e = std::clamp<int64_t>(e, emin, emax);
  uint64_t code = static_cast<uint64_t>(e - emin + 1);
  if (value < 0)
    code |= uint64_t(1) << (getCodeBits() - 1);
  return code;
}

double PowerOfTwoType::dequantizeCode(uint64_t code, int64_t channel) const {
  unsigned bits = getCodeBits();
  uint64_t magnitude = code & ((uint64_t(1) << (bits - 1)) - 1);
  if (magnitude == 0)
    return 0.0;
  int64_t e = std::min<int64_t>(getEmin() + magnitude - 1, getEmax());
  double value =
      std::ldexp(paramAt(getScale().asArrayRef(), channel), static_cast<int>(e));
  return (code >> (bits - 1)) & 1 ? -value : value;
}

//===----------------------------------------------------------------------===//
// CodebookType
//===----------------------------------------------------------------------===//

LogicalResult CodebookType::verify(function_ref<InFlightDiagnostic()> emitError,
                                   FloatType expressedType, unsigned bits,
                                   DenseFPElementsAttr centroids,
                                   int64_t axis) {
  if (bits < 1 || bits > 8)
    return emitError() << "codebook index width must be 1 to 8 bits, got "
                       << bits;
  auto type = centroids.getType();
  int64_t rank = type.getRank();
  if (axis < -1)
    return emitError() << "quantization axis must be -1 (per tensor) or "
                          "non-negative, got "
                       << axis;
  int64_t expectedRank = axis == -1 ? 1 : 2;
  if (rank != expectedRank)
    return emitError() << "'centroids' must be a "
                       << (axis == -1 ? "1-D table [k] per tensor"
                                      : "2-D table [channels, k] per axis")
                       << ", got rank " << rank;
  int64_t k = type.getShape().back();
  if (k < 1)
    return emitError() << "'centroids' must not be empty";
  if (k > (int64_t(1) << bits))
    return emitError() << "codebook has " << k << " centroids, more than 2^"
                       << bits << " = " << (int64_t(1) << bits)
                       << " indices can address";
  SmallVector<double> values;
  for (const APFloat &v : centroids.getValues<APFloat>())
    values.push_back(v.convertToDouble());
  for (auto [i, v] : llvm::enumerate(values))
    if (!std::isfinite(v))
      return emitError() << "centroid " << i << " is not finite (" << v << ")";
  for (int64_t row = 0, rows = values.size() / k; row < rows; ++row)
    for (int64_t i = 1; i < k; ++i)
      if (!(values[row * k + i - 1] < values[row * k + i]))
        return emitError() << "centroids must be sorted strictly ascending"
                           << (rows > 1 ? " in each row" : "") << ": centroid "
                           << i << " (" << values[row * k + i]
                           << ") does not exceed centroid " << i - 1 << " ("
                           << values[row * k + i - 1] << ")"
                           << (rows > 1 ? " in row " + std::to_string(row)
                                        : std::string());
  return success();
}

int64_t CodebookType::getNumCentroids() const {
  return getCentroids().getType().getShape().back();
}

double CodebookType::getCentroid(int64_t channel, int64_t index) const {
  int64_t k = getNumCentroids();
  int64_t row = getAxis() == -1 ? 0 : channel;
  return (*(getCentroids().getValues<APFloat>().begin() + row * k + index))
      .convertToDouble();
}

FloatType CodebookType::getExpressedFloatType() const {
  return getExpressedType();
}
unsigned CodebookType::getCodeBits() const { return getBits(); }
int64_t CodebookType::getQuantAxis() const { return getAxis(); }
int64_t CodebookType::getNumChannels() const {
  return getAxis() == -1 ? 1 : getCentroids().getType().getShape().front();
}

uint64_t CodebookType::quantizeToCode(double value, int64_t channel) const {
  // Nearest centroid; ties go to the lower index.
  int64_t k = getNumCentroids();
  uint64_t best = 0;
  double bestDistance = std::fabs(value - getCentroid(channel, 0));
  for (int64_t i = 1; i < k; ++i) {
    double distance = std::fabs(value - getCentroid(channel, i));
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  }
  return best;
}

double CodebookType::dequantizeCode(uint64_t code, int64_t channel) const {
  int64_t index = std::min<int64_t>(code, getNumCentroids() - 1);
  return getCentroid(channel, index);
}

//===----------------------------------------------------------------------===//
// External models for upstream !quant.uniform
//===----------------------------------------------------------------------===//

namespace {
/// Integer code arithmetic shared by per-tensor and per-axis uniform types:
/// q = clamp(roundeven(x / s) + z, qmin, qmax), stored as a storage-width
/// two's-complement field.
struct UniformCodec {
  quant::QuantizedType type;

  unsigned bits() const { return type.getStorageTypeIntegralWidth(); }

  uint64_t encode(double value, double scale, int64_t zeroPoint) const {
    double q = std::nearbyint(value / scale) + static_cast<double>(zeroPoint);
    double lo = static_cast<double>(type.getStorageTypeMin());
    double hi = static_cast<double>(type.getStorageTypeMax());
    int64_t clamped = static_cast<int64_t>(std::isnan(q) ? zeroPoint
                                                         : std::clamp(q, lo, hi));
    return static_cast<uint64_t>(clamped) & ((uint64_t(1) << bits()) - 1);
  }

  double decode(uint64_t code, double scale, int64_t zeroPoint) const {
    int64_t q = static_cast<int64_t>(code);
    if (type.isSigned() && (code >> (bits() - 1)) & 1)
      q -= int64_t(1) << bits();
    return static_cast<double>(q - zeroPoint) * scale;
  }
};

struct UniformModel
    : public QuantizedTypeInterface::ExternalModel<UniformModel,
                                                   quant::UniformQuantizedType> {
  FloatType getExpressedFloatType(Type type) const {
    return cast<FloatType>(cast<quant::UniformQuantizedType>(type)
                               .getExpressedType());
  }
  unsigned getCodeBits(Type type) const {
    return cast<quant::UniformQuantizedType>(type)
        .getStorageTypeIntegralWidth();
  }
  int64_t getQuantAxis(Type) const { return -1; }
  int64_t getNumChannels(Type) const { return 1; }
  uint64_t quantizeToCode(Type type, double value, int64_t) const {
    auto t = cast<quant::UniformQuantizedType>(type);
    return UniformCodec{t}.encode(value, t.getScale(), t.getZeroPoint());
  }
  double dequantizeCode(Type type, uint64_t code, int64_t) const {
    auto t = cast<quant::UniformQuantizedType>(type);
    return UniformCodec{t}.decode(code, t.getScale(), t.getZeroPoint());
  }
};

struct UniformPerAxisModel
    : public QuantizedTypeInterface::ExternalModel<
          UniformPerAxisModel, quant::UniformQuantizedPerAxisType> {
  FloatType getExpressedFloatType(Type type) const {
    return cast<FloatType>(cast<quant::UniformQuantizedPerAxisType>(type)
                               .getExpressedType());
  }
  unsigned getCodeBits(Type type) const {
    return cast<quant::UniformQuantizedPerAxisType>(type)
        .getStorageTypeIntegralWidth();
  }
  int64_t getQuantAxis(Type type) const {
    return cast<quant::UniformQuantizedPerAxisType>(type)
        .getQuantizedDimension();
  }
  int64_t getNumChannels(Type type) const {
    return cast<quant::UniformQuantizedPerAxisType>(type).getScales().size();
  }
  uint64_t quantizeToCode(Type type, double value, int64_t channel) const {
    auto t = cast<quant::UniformQuantizedPerAxisType>(type);
    return UniformCodec{t}.encode(value, t.getScales()[channel],
                                  t.getZeroPoints()[channel]);
  }
  double dequantizeCode(Type type, uint64_t code, int64_t channel) const {
    auto t = cast<quant::UniformQuantizedPerAxisType>(type);
    return UniformCodec{t}.decode(code, t.getScales()[channel],
                                  t.getZeroPoints()[channel]);
  }
};
} // namespace

void mlir::qc::registerQCDialect(DialectRegistry &registry) {
  registry.insert<QCDialect, quant::QuantizationDialect, arith::ArithDialect>();
  registry.addExtension(+[](MLIRContext *ctx, quant::QuantizationDialect *) {
    quant::UniformQuantizedType::attachInterface<UniformModel>(*ctx);
    quant::UniformQuantizedPerAxisType::attachInterface<UniformPerAxisModel>(
        *ctx);
  });
}
