//===- CompileDriver.h - Calibrate, quantize, lower MACs, fuse --*- C++ -*-===//
//
// The sequence qc-run and qcc run on a loaded model before the back end:
// calibration (when asked for), qc-quantize (after qc-fuse's BN folding for
// post-training specs), a report hook on the quantized model, then
// qc-lower-macs, canonicalization and qc-fuse.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_LIB_COMPILEDRIVER_H
#define QC_TOOLS_LIB_COMPILEDRIVER_H

#include "tools/lib/QuantOptions.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <string>

namespace mlir {
namespace qc {

/// Adds the passes that quantize a tensor-level model as `spec` says: for
/// post-training specs (not `auto`, no --quant-config) qc-fuse folds batch
/// normalization into the float weights first; for --quant mixed
/// qc-mixed-precision then chooses each layer's weights; then qc-quantize.
void buildQuantizationPipeline(OpPassManager &pm, const QuantSpec &spec);

/// Adds qc-lower-macs when `spec` quantizes and asks for it. Runs after
/// buildQuantizationPipeline's passes (reports describe the model between
/// the two).
void buildMacLoweringPipeline(OpPassManager &pm, const QuantSpec &spec);

/// Loads the calibration data `spec` names (--calib-idx-images, scaled to
/// [0, 1] then (x - mean) / std and laid out as the model input, or
/// --calib-npy), the first `spec.calibCount` images, and runs
/// calibrateModel with the spec's method. Does nothing when the spec names
/// no calibration data.
LogicalResult calibrateForSpec(ModuleOp module, func::FuncOp model,
                               const QuantSpec &spec, float mean, float std,
                               std::string &error);

/// What qc-run and qcc do to a loaded model before lowering it: calibrate
/// (when `spec` names calibration data), measure the layers' sensitivities
/// for --quant mixed --sensitivity measured, run the quantization pipeline,
/// call `describe` on the quantized tensor-level model (reports are built
/// there, before MACs are rewritten), then run the MAC-lowering pipeline.
/// Pipeline failures are reported as diagnostics; a calibration failure also
/// sets `error`.
LogicalResult quantizeModel(ModuleOp module, func::FuncOp model,
                            const QuantSpec &spec, float mean, float std,
                            function_ref<LogicalResult(func::FuncOp)> describe,
                            std::string &error);

} // namespace qc
} // namespace mlir

#endif // QC_TOOLS_LIB_COMPILEDRIVER_H
