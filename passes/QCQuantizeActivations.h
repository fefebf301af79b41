//===- QCQuantizeActivations.h - Layer input quantization -------*- C++ -*-===//
//
// How qc-quantize quantizes the input activations of one conv or dense
// layer from its calibrated range.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_QCQUANTIZEACTIVATIONS_H
#define QC_PASSES_QCQUANTIZEACTIVATIONS_H

#include "dialects/QC/Utils/QuantSchemes.h"

#include "mlir/IR/Operation.h"

namespace mlir {
namespace qc {

/// Quantizes the input activations (operand 0) of `layer` as `spec` (an
/// activation scheme) says, from the calibrated `qc.input_range = array<f64:
/// lo, hi, mean|x|>` of the layer:
/// - Int: `qc.quantize`/`qc.dequantize` to unsigned levels on [0, hi] (lo
///   >= 0) or signed narrow ones on [-c, c], c = max(-lo, hi);
/// - Threshold: the same levels as a `qc.multi_threshold` with one shared
///   table of the midpoints between levels, (i - 1/2) s for i = 1..2^b - 1
///   with out_scale s (lo >= 0), or (i + 1/2) s for i = -q..q - 1 with
///   out_scale s and out_bias -q s (q = 2^(b-1) - 1); equal to Int except
///   exactly on a midpoint (up here, to even there). Its result is then
///   quantized to the Int type, which is exact and records the grid for
///   qc-lower-macs' integer kernels;
/// - Binary: sign scaled by mean |x|.
/// Inputs already quantized in the model keep their type. A missing, NaN,
/// infinite or empty range is an error at the layer.
LogicalResult quantizeLayerActivations(Operation *layer, SchemeSpec spec);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_QCQUANTIZEACTIVATIONS_H
