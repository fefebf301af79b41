//===- ONNXImporter.h - ONNX model to MLIR ----------------------*- C++ -*-===//
//
// The public API of qc's ONNX importer: a serialized ONNX ModelProto becomes a
// module holding one `func.func @main` over TOSA on tensors, with qc ops
// where the model is quantized (QDQ, QONNX). Tools call the library entry
// point directly; qc-translate exposes it as `--import-onnx`.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_ONNXTOTOSA_ONNXIMPORTER_H
#define QC_LOWERING_ONNXTOTOSA_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

namespace mlir {
class DialectRegistry;
class MLIRContext;
namespace qc {

/// Registers every dialect that imported IR uses (func, tosa, arith, tensor,
/// quant and qc with its external models).
void registerImportONNXDialects(DialectRegistry &registry);

/// Imports the serialized ONNX model `bytes`. `filename` names the model in
/// diagnostics. The needed dialects are loaded into `context`. Problems with
/// the model (malformed protobuf, unsupported ops, missing tensors) are
/// reported through the context's diagnostic engine, each located at the
/// offending node, and yield a null module; every unsupported node is
/// reported before giving up. The result has been verified.
OwningOpRef<ModuleOp> importONNXModel(llvm::StringRef bytes,
                                      llvm::StringRef filename,
                                      MLIRContext *context);

/// Registers the `--import-onnx` translation (ONNX file to MLIR) with the
/// mlir-translate driver.
void registerImportONNXTranslation();

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_ONNXTOTOSA_ONNXIMPORTER_H
