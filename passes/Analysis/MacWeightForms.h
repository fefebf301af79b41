//===- MacWeightForms.h - The forms a layer's weight can take ---*- C++ -*-===//
//
// Part of the kernel selection (MacKernelSelection.h): how a conv or dense
// layer's weight is stored, and the form each kernel family reads it in,
// each with the reason it cannot have that form. Also the wording the
// reasons share for types and numbers.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_ANALYSIS_MACWEIGHTFORMS_H
#define QC_PASSES_ANALYSIS_MACWEIGHTFORMS_H

#include "dialects/QC/QCOps.h"
#include "passes/Analysis/MacKernelSelection.h"

#include <string>

namespace mlir {
namespace qc {

/// The packed constant a layer's weight reads through qc.dequantize,
/// possibly through a constant transpose that keeps the output channels
/// first (QONNX exports OIHW weights that the importer transposes).
struct StoredWeight {
  ConstantOp constant;
  SmallVector<int64_t> perms; // empty: no transpose
};

/// The stored form of the layer weight `weight`, or why it has none: a
/// float constant (with the most distinct values an output channel holds),
/// a computed value, a transpose that moves the output channels, or
/// per-channel parameters along another axis.
MatchResult<StoredWeight> matchStoredWeight(Value weight);

/// The quantized element type of the stored weight.
Type getStoredType(StoredWeight stored);

/// The packed binary weight of `stored`, repacked along the layer's
/// innermost axis when it is read through a transpose; nullopt when the
/// weight is not binary.
std::optional<PackedBinaryWeight> getPackedBinaryWeight(StoredWeight stored);

/// The integer form of `stored` (integer values times one unit per output
/// channel), or why it has none: "not mine" for types without one (codebook,
/// asymmetric ternary), a decisive reason for values off the integers.
MatchResult<IntegerWeight> getIntegerWeight(StoredWeight stored);

/// The centroid form of `stored`: codebook and asymmetric ternary weights,
/// and with `floatActivations` also binary, ternary and power-of-two ones.
MatchResult<CentroidWeight> getCentroidWeight(StoredWeight stored,
                                              bool floatActivations);

/// The scheme of a weight or activation element type, in words: "binary",
/// "8-bit uniform (per channel)", "float", ...
std::string describeScheme(Type element);

/// `value` in the shortest of %g's forms: 2, 0.25, 1e-05.
std::string formatNumber(double value);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_ANALYSIS_MACWEIGHTFORMS_H
