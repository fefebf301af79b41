//===- ModelReport.h - Per-layer report of a model --------------*- C++ -*-===//
//
// Walks a tensor-level model (TOSA and qc ops) and describes each layer that
// multiplies and accumulates: op, shapes, MACs per image, parameter count and
// weight bytes, as the JSON that `qcc` writes to report.json.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_LIB_MODELREPORT_H
#define QC_TOOLS_LIB_MODELREPORT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/JSON.h"

namespace mlir {
namespace qc {

/// Builds the report of the tensor-level, quantized `model`. Dynamic
/// dimensions count as 1, so MACs are per image for a model with a dynamic
/// batch. `lowerMacs` says whether qc-lower-macs will rewrite the layers
/// (the `kernel` field).
llvm::json::Object buildModelReport(func::FuncOp model, bool lowerMacs);

/// Writes `report` as indented JSON to `path` atomically (a temporary file
/// renamed into place). Returns false with `error` set on failure.
bool writeModelReport(const llvm::json::Object &report, StringRef path,
                      std::string &error);

} // namespace qc
} // namespace mlir

#endif // QC_TOOLS_LIB_MODELREPORT_H
