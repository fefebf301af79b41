//===- QCFusePatterns.h - The rewrites of qc-fuse ---------------*- C++ -*-===//
//
// The local rewrites qc-fuse applies besides the threshold fusion: batch
// normalization folded into float weights (before qc-quantize), per-channel
// affine ops folded into a layer's output transform, ReLU moved onto the
// integer accumulator, max-pool of signs as a bitwise op on packed words,
// thresholds packed straight into sign words, and sign-of-sign /
// quantize-of-dequantize cancellation.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_QCFUSEPATTERNS_H
#define QC_PASSES_QCFUSEPATTERNS_H

#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir {
namespace qc {

/// The per-channel f32 values of a constant that broadcasts along `axis` of
/// a tensor of `rank` with `channels` entries on that axis (one value when
/// it is a splat), or nullopt when `value` is not such a constant.
std::optional<SmallVector<float>>
getChannelValues(Value value, int64_t axis, int64_t rank, int64_t channels);

/// A per-channel constant multiply, add or subtract after a float
/// tosa.conv2d, tosa.depthwise_conv2d or tosa.fully_connected with constant
/// weight and bias (a folded batch normalization) folds into them. Changes
/// the weights, so it must run before qc-quantize and not on weights that
/// are already on a quantization grid.
void populateFoldBatchNormIntoWeightsPatterns(RewritePatternSet &patterns);

/// qc.quantize(qc.dequantize(x)) of the same type is x, and the sign of
/// values that already lie on a grid the sign keeps (a sign of a sign) is
/// those values.
void populateCancelQuantizationPatterns(RewritePatternSet &patterns);

/// qc.bitpack of a max-pool of binary values becomes qc.packed_max_pool2d
/// (bitwise AND) of the packed input.
void populatePackedMaxPoolPatterns(RewritePatternSet &patterns);

/// qc.bitpack of thresholds (qc.multi_threshold) of an integer
/// accumulator's cast -- through a max-pool, and a quantize/dequantize pair
/// that keeps the levels' signs -- becomes qc.threshold_pack of the
/// (max-pooled) accumulator: binary and ternary activations stay packed
/// between binary layers (ThresholdPackPatterns.cpp).
void populateThresholdPackPatterns(RewritePatternSet &patterns);

/// Per-channel constant multiplies and adds after a layer's output
/// transform (cast of an integer accumulator, multiply, add) compose into
/// its constants, and a ReLU after an output transform with multiplier 1
/// and bias 0 becomes an integer clamp of the accumulator.
void populateOutputTransformPatterns(RewritePatternSet &patterns);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_QCFUSEPATTERNS_H
