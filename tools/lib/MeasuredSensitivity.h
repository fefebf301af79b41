//===- MeasuredSensitivity.h - Per-layer loss measured on data --*- C++ -*-===//
//
// `--sensitivity measured` of --quant mixed: quantizes one layer at a time
// to each candidate weight spec, runs the model through the JIT CPU path on
// calibration images and records the mean KL divergence of its output from
// the float model's as the layer's `qc.sensitivity`, which
// qc-mixed-precision reads with sensitivity=attr. The pass itself stays
// pure; the measurements live in the IR.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_LIB_MEASUREDSENSITIVITY_H
#define QC_TOOLS_LIB_MEASUREDSENSITIVITY_H

#include "runtime/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlir {
namespace qc {

/// For each conv and dense layer of `model` (in `module`) with a constant
/// float weight and each weight spec of `choices`, the mean over `images`
/// (the model input with a batch dimension) of KL(softmax(float logits) ||
/// softmax(logits with only that layer quantized)), written as the layer's
/// `qc.sensitivity` dictionary (spec -> KL; `none` is 0). A spec the layer
/// cannot take gets no entry. Fails with `error` set when the float model
/// cannot be compiled or run, or its first result is not N x classes.
LogicalResult measureSensitivities(ModuleOp module, func::FuncOp model,
                                   const HostTensor &images,
                                   ArrayRef<std::string> choices,
                                   std::string &error);

} // namespace qc
} // namespace mlir

#endif // QC_TOOLS_LIB_MEASUREDSENSITIVITY_H
