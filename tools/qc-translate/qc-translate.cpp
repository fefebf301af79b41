//===- qc-translate.cpp - qc translation driver ---------------------------===//
//
// The mlir-translate of qc: translations between qc's IR and the formats
// around it (LLVM IR for the CPU path; ONNX import and HLS C++ come with
// their own registrations). Each translation is registered in a function
// called from main.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCDialect.h"
#include "lowering/HLS/EmitHLS.h"
#include "lowering/ONNXToTOSA/ONNXImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

/// MLIR in the LLVM dialect to LLVM IR: the last step of the CPU path.
static void registerToLLVMIRTranslation() {
  mlir::TranslateFromMLIRRegistration registration(
      "mlir-to-llvmir", "Translate MLIR in the LLVM dialect to LLVM IR",
      [](mlir::Operation *op, llvm::raw_ostream &output) {
        llvm::LLVMContext llvmContext;
        std::unique_ptr<llvm::Module> module =
            mlir::translateModuleToLLVMIR(op, llvmContext);
        if (!module)
          return mlir::failure();
        module->print(output, nullptr);
        return mlir::success();
      },
      [](mlir::DialectRegistry &registry) {
        // qc and func are registered so that IR not yet lowered to the LLVM
        // dialect is parsed and then reported precisely, not rejected as
        // unknown syntax.
        registry.insert<mlir::LLVM::LLVMDialect, mlir::func::FuncDialect>();
        mlir::qc::registerQCDialect(registry);
        mlir::registerBuiltinDialectTranslation(registry);
        mlir::registerLLVMDialectTranslation(registry);
      });
}

int main(int argc, char **argv) {
  registerToLLVMIRTranslation();
  mlir::qc::registerImportONNXTranslation();
  mlir::qc::registerEmitHLSTranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "qc translation driver"));
}
