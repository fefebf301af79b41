//===- QCQuantize.h - Quantization spec strings -----------------*- C++ -*-===//
//
// The spelling of weight and activation schemes that --quant, the
// qc-quantize options and --quant-config files share.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_QCQUANTIZE_H
#define QC_PASSES_QCQUANTIZE_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir {
namespace qc {

/// A scheme and its bits: weights none, auto, binary, ternary, pot,
/// codebook, uniform (symmetric), asymmetric or dorefa; activations none,
/// binary, uniform or threshold.
struct SchemeSpec {
  std::string scheme = "none";
  unsigned bits = 8;
};

/// The weight specs, as error messages list them.
inline constexpr const char *kWeightSpecs =
    "none, auto, int<k>, uint<k>, binary, ternary, pot<k>, dorefa<k>, "
    "codebook<k>";

/// The activation specs, as error messages list them.
inline constexpr const char *kActivationSpecs =
    "none, binary, int<k>, threshold<k>";

/// Parses a weight spec: none, auto, int<k> (symmetric uniform, k in 2..8),
/// uint<k> (asymmetric uniform with zero points, 2..8), binary, ternary,
/// pot<k> (2..8), dorefa<k> (1..7) or codebook<k> (k = 2, 4, ..., 256
/// centroids). Otherwise returns false, with `error` saying why, or empty
/// when the spec is no scheme at all (for the caller to phrase).
bool parseWeightSpec(llvm::StringRef spec, SchemeSpec &result,
                     std::string &error);

/// Parses an activation spec: none (or float), binary, int<k> (uniform) or
/// threshold<k> (multi-threshold), k in 2..8. Returns false with `error`
/// set otherwise.
bool parseActivationSpec(llvm::StringRef spec, SchemeSpec &result,
                         std::string &error);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_QCQUANTIZE_H
