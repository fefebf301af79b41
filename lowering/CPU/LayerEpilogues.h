//===- LayerEpilogues.h - What surrounds a layer after bufferization -*- C++
//-*-===//
//
// Matchers for the ops around a convolution or dense layer after
// bufferization that its ukernel can take over: the fill of its output with
// a bias, zeros or another constant before it, the bias added after it, the
// ReLU or clamp after that, and an integer or binary layer's output stage
// after it. convert-qc-to-runtime-calls folds what they find into the
// ukernel call. "Before" and "after" mean the nearest op in the block that
// may touch memory: views, casts, constants, global reads and allocations in
// between are skipped, and nothing else may lie between.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_CPU_LAYEREPILOGUES_H
#define QC_LOWERING_CPU_LAYEREPILOGUES_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir {
namespace qc {

/// The `linalg.generic` right before `layer` that fills `out` with a rank-1
/// f32 vector of `channels` values broadcast along the last dimension;
/// `bias` receives the vector.
linalg::GenericOp findBiasInit(Operation *layer, Value out, int64_t channels,
                               Value &bias);

/// The op before `layer` that sets `out` to zeros (integer 0 or +0.0): a
/// zero fill (a `linalg.fill`, or a generic without inputs yielding the
/// constant) right before it, or further up when `out` is an allocation
/// that nothing uses in between, or a `linalg.copy` right before it from a
/// buffer that such a fill wrote with nothing touching that buffer in
/// between (bufferization copies a fill's result when two layers start
/// from it).
Operation *findZeroInit(Operation *layer, Value out);

/// The `linalg.generic` right after `layer` that adds to `out` a bias of
/// `channels` values along its last dimensions (a [C] or [C][1] memref, for
/// an output [..][C] or [..][C][1]), in place or into another buffer of
/// its type; `bias` receives the bias and `target` the buffer written.
linalg::GenericOp findBiasAdd(Operation *layer, Value out, int64_t channels,
                              Value &bias, Value &target);

/// The `linalg.generic` right after `after` that reads `source` whole and
/// writes `target` (itself, or another buffer of the same shape) with
/// arith.maximumf / arith.minimumf by constants (ReLU, clamp; NaN-propagating,
/// as the ukernels' clamp); `lo` and `hi` receive its bounds. With
/// `inPlaceOnly`, `target` must be `source`.
linalg::GenericOp findClamp(Operation *after, Value source, bool inPlaceOnly,
                            float &lo, float &hi, Value &target);

/// The op before `layer` that fills `out` with an integer constant (the
/// constant part of a binary layer's sums), found as findZeroInit finds
/// zeros; `value` receives the constant.
Operation *findConstantInit(Operation *layer, Value out, int64_t &value);

/// The output stage of an integer layer that the fused integer and binary
/// convolution calls take over (RuntimeCalls.h, runtime/IntEpilogue.h): the
/// generic right after the layer that reads its i32 or i16 sums, with
/// per-channel scale and shift vectors or alone, and computes, in this
/// order, sitofp, mulf by the scale and addf of the shift (with the
/// vectors), optionally maximumf with +0 (ReLU), and then either yields the
/// f32 value (dequantization) or requantizes it: divf by a constant
/// divisor, roundeven, addf of a zero point, maximumf and minimumf by
/// bounds, optionally mulf and divf by the divisor again and roundeven (the
/// fake-quantization round trip), and fptosi to i32.
struct IntegerOutputStage {
  linalg::GenericOp generic;
  /// The generic's scale and shift inputs ([C], or [1]..[1][C]); null for
  /// a stage without them, which is the same as a scale of 1 and a shift
  /// of 0 (float(s) * 1 + 0 is float(s), which is never -0).
  Value scale, shift;
  bool relu = false, requantize = false, roundTrip = false;
  float divisor = 1.0f, zeroPoint = 0.0f, lo = 0.0f, hi = 0.0f;
};

/// The output stage after `layer` that reads all of its NHWC (or [N][C])
/// sums `sums` (`channels` channels) and nothing else reads; false when the
/// ops after the layer are not exactly such a stage.
bool findIntegerOutputStage(Operation *layer, Value sums, int64_t channels,
                            IntegerOutputStage &stage);

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_CPU_LAYEREPILOGUES_H
