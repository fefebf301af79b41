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

/// A scheme and its bits: weights none, auto, binary, ternary, pot, codebook
/// or uniform; activations none, binary or uniform.
struct SchemeSpec {
  std::string scheme = "none";
  unsigned bits = 8;
};

/// Parses a weight spec: none, auto, int<k> (k in 2..8), binary, ternary,
/// pot<k> (2..8) or codebook<k> (k = 2, 4, ..., 256 centroids). Returns
/// false with `error` set otherwise.
bool parseWeightSpec(llvm::StringRef spec, SchemeSpec &result,
                     std::string &error);

/// Parses an activation spec: none (or float), binary or int<k> (k in
/// 2..8). Returns false with `error` set otherwise.
bool parseActivationSpec(llvm::StringRef spec, SchemeSpec &result,
                         std::string &error);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_QCQUANTIZE_H
