//===- MacKernelBuilders.h - IR of qc-lower-macs' kernels -------*- C++ -*-===//
//
// Builds the kernel-level IR that replaces a layer once
// passes/Analysis/MacKernelSelection.h has chosen its kernel: packing of
// activations and weights, the kernel op and the float output transform.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_MACKERNELBUILDERS_H
#define QC_PASSES_MACKERNELBUILDERS_H

#include "passes/Analysis/MacKernelSelection.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace qc {

/// Replaces `op` by qc.bitpack + qc.xnor_popcount + the output transform.
void lowerBinaryLayer(Operation *op, const BinaryLayer &binary,
                      RewriterBase &rewriter);

/// Replaces `op` by its integer kernel on the activation codes (integer
/// MAC, bit-serial, ternary or shift-add popcount) and the output transform
/// acc * s * unit[o] + bias.
void lowerIntegerLayer(Operation *op, const IntegerLayer &integer,
                       RewriterBase &rewriter);

/// Replaces `op` by qc.codebook_accumulate over the input (or its codes)
/// and the output transform acc * s_a + bias.
void lowerCentroidLayer(Operation *op, const CentroidLayer &centroid,
                        RewriterBase &rewriter);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_MACKERNELBUILDERS_H
