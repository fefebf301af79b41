//===- HlsTarget.h - qcc --target hls ---------------------------*- C++ -*-===//
//
// The HLS target of qcc: an HLS C++ project for the model's FPGA function,
// written atomically (see HlsTarget.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_QCC_HLSTARGET_H
#define QC_TOOLS_QCC_HLSTARGET_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlir {
namespace qc {

struct HlsTargetOptions {
  std::string outputDir, modelPath;
  /// qc-hls-fold's options.
  std::string folding;
  double targetFps = 0, clockMhz = 100;
  int64_t lutBudget = 0;
  /// Input values for the testbench (.npy); empty: no golden data.
  std::string inputsPath;
  std::string topName = "qc_top", part = "xczu3eg-sbva484-1-e";
};

/// Folds, prepares and prints the quantized `model` of `module` as an HLS
/// project in options.outputDir. Returns the process exit code.
int writeHlsProject(ModuleOp module, func::FuncOp model,
                    const HlsTargetOptions &options);

} // namespace qc
} // namespace mlir

#endif // QC_TOOLS_QCC_HLSTARGET_H
