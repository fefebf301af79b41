//===- Calibration.h - Activation ranges from calibration data --*- C++ -*-===//
//
// Runs a float model on calibration data and records, on each conv and
// dense layer, the clip range of its input activations, which qc-quantize
// turns into k-bit activation types.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_CPU_CALIBRATION_H
#define QC_LOWERING_CPU_CALIBRATION_H

#include "runtime/io/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>

namespace mlir {
namespace qc {

/// How a layer's clip range is chosen from the values it saw.
enum class CalibrationMethod {
  Max,        ///< the observed minimum and maximum
  Percentile, ///< the given percentile of |x| (or of x when x >= 0)
  MSE,        ///< the clip that minimizes the k-bit quantization error
};

struct CalibrationOptions {
  CalibrationMethod method = CalibrationMethod::Max;
  double percentile = 99.99;
  /// Activation bits, for the MSE method.
  unsigned bits = 8;
};

/// Parses max, percentile or mse.
std::optional<CalibrationMethod> parseCalibrationMethod(StringRef name);

/// The attribute qc-quantize reads: array<f64: lo, hi, mean |x|>.
inline constexpr StringLiteral kInputRangeAttrName = "qc.input_range";

/// Runs `model` (in `module`, left unchanged apart from the attributes) on
/// `images`, its one input batched along dimension 0, and sets
/// `qc.input_range` on every tosa.conv2d, tosa.depthwise_conv2d and
/// tosa.fully_connected of it. Fails with `error` set on an empty set or on
/// NaN or infinite values in the data or in an activation.
LogicalResult calibrateModel(ModuleOp module, func::FuncOp model,
                             const HostTensor &images,
                             const CalibrationOptions &options,
                             std::string &error);

struct QuantSpec;

/// Loads the calibration data `spec` names (--calib-idx-images, scaled to
/// [0, 1] then (x - mean) / std and laid out as the model input, or
/// --calib-npy), the first `spec.calibCount` images, and runs
/// calibrateModel with the spec's method. Does nothing when the spec names
/// no calibration data.
LogicalResult calibrateForSpec(ModuleOp module, func::FuncOp model,
                               const QuantSpec &spec, float mean, float std,
                               std::string &error);

/// What qc-run and qcc do to a loaded model before lowering it: calibrate
/// (when `spec` names calibration data), run the quantization pipeline, call
/// `describe` on the quantized tensor-level model (reports are built there,
/// before MACs are rewritten), then run the MAC-lowering pipeline. Pipeline
/// failures are reported as diagnostics; a calibration failure also sets
/// `error`.
LogicalResult quantizeModel(ModuleOp module, func::FuncOp model,
                            const QuantSpec &spec, float mean, float std,
                            function_ref<LogicalResult(func::FuncOp)> describe,
                            std::string &error);

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_CPU_CALIBRATION_H
