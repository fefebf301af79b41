//===- EmitHLS.cpp - HLS C++ from a prepared kernel-level function --------===//
//
// Implements EmitHLS.h's entry points on top of HlsPlan and HlsPrinter, and
// registers qc-translate's --emit-hls.
//
//===----------------------------------------------------------------------===//

#include "lowering/HLS/EmitHLS.h"
#include "lowering/HLS/EmitHLSPrinter.h"

#include "dialects/QC/QCDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"

using namespace mlir;
using namespace mlir::qc;

namespace {

std::string printToString(const HlsPlan &plan, bool header) {
  std::string text;
  llvm::raw_string_ostream raw(text);
  raw_indented_ostream os(raw);
  HlsPrinter printer(plan, os);
  if (header)
    printer.printHeader();
  else
    printer.printKernel();
  return text;
}

} // namespace

LogicalResult mlir::qc::emitHLS(ModuleOp module, llvm::raw_ostream &os) {
  HlsPlan plan;
  if (failed(buildHlsPlan(module, plan)))
    return failure();
  os << printToString(plan, /*header=*/true) << "\n"
     << printToString(plan, /*header=*/false);
  return success();
}

LogicalResult mlir::qc::emitHLSProject(ModuleOp module,
                                       const HlsProjectOptions &options,
                                       std::vector<HlsFile> &files) {
  HlsPlan plan;
  if (failed(buildHlsPlan(module, plan)))
    return failure();
  files.push_back({"src/" + plan.top + ".h", printToString(plan, true)});
  files.push_back({"src/" + plan.top + ".cpp", printToString(plan, false)});
  files.push_back({"shim/ap_int.h", options.apIntHeader});
  files.push_back({"shim/hls_stream.h", options.hlsStreamHeader});
  emitTestbenchFiles(plan, options, files);
  return success();
}

void mlir::qc::registerEmitHLSTranslation() {
  TranslateFromMLIRRegistration registration(
      "emit-hls",
      "Print a function prepared by qc-hls-fold and qc-hls-prepare as HLS "
      "C++ (the kernel's header, then its source)",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("--emit-hls expects a module");
        return emitHLS(module, os);
      },
      [](DialectRegistry &registry) {
        // Integer layers' codes are linalg.generic / tensor.pad ops.
        registry.insert<arith::ArithDialect, func::FuncDialect,
                        linalg::LinalgDialect, math::MathDialect,
                        tensor::TensorDialect, tosa::TosaDialect>();
        registerQCDialect(registry);
      });
}
