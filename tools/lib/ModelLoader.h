//===- ModelLoader.h - Loading a model file for the drivers -----*- C++ -*-===//
//
// What qc-run and qcc share before compiling: read a model file (ONNX is
// imported, anything else parsed as MLIR text or bytecode) and pick the
// function that is the model.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_LIB_MODELLOADER_H
#define QC_TOOLS_LIB_MODELLOADER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace mlir {
namespace qc {

/// Loads `path`: `.onnx` files through the ONNX importer, others as MLIR.
/// Returns null after reporting the error.
OwningOpRef<ModuleOp> loadModelFile(StringRef path, MLIRContext *context);

/// The model function: `name` if given, else the only public function with
/// a body. Returns null after emitting an error on the module.
func::FuncOp findModelFunction(ModuleOp module, StringRef name);

} // namespace qc
} // namespace mlir

#endif // QC_TOOLS_LIB_MODELLOADER_H
