//===- Calibration.h - Activation ranges from calibration data --*- C++ -*-===//
//
// Runs a float model on calibration data and records, on each conv and
// dense layer, the clip range of its input activations, which qc-quantize
// turns into k-bit activation types.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_LIB_CALIBRATION_H
#define QC_TOOLS_LIB_CALIBRATION_H

#include "dialects/QC/QCDialect.h"
#include "runtime/HostTensor.h"

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

/// The attribute qc-quantize reads: array<f64: lo, hi, mean |x|>, declared
/// by the dialect (QCDialect::InputRangeAttrHelper).
inline constexpr StringLiteral kInputRangeAttrName =
    QCDialect::InputRangeAttrHelper::getNameStr();

/// Runs `model` (in `module`, left unchanged apart from the attributes) on
/// `images`, its one input batched along dimension 0, and sets
/// `qc.input_range` on every tosa.conv2d, tosa.depthwise_conv2d and
/// tosa.fully_connected of it. Fails with `error` set on an empty set or on
/// NaN or infinite values in the data or in an activation.
LogicalResult calibrateModel(ModuleOp module, func::FuncOp model,
                             const HostTensor &images,
                             const CalibrationOptions &options,
                             std::string &error);

} // namespace qc
} // namespace mlir

#endif // QC_TOOLS_LIB_CALIBRATION_H
