//===- ModelReport.h - Per-layer report of a model --------------*- C++ -*-===//
//
// Walks a tensor-level model (TOSA and qc ops) and describes each layer that
// multiplies and accumulates: op, shapes, MACs per image, parameter count,
// weight bytes and the kernel it runs on (or why none), as the JSON that
// `qcc` writes to report.json.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_LIB_MODELREPORT_H
#define QC_TOOLS_LIB_MODELREPORT_H

#include "passes/Analysis/MacKernelSelection.h"
#include "tools/lib/QuantOptions.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/JSON.h"

namespace mlir {
namespace qc {

/// Why qc-lower-macs does not run on a model compiled as `spec` says
/// (--quant none, --lower-macs=false), or "" when it does.
std::string getMacLoweringOffReason(const QuantSpec &spec);

/// The kernel `layer`'s multiply-accumulates run on in a model compiled as
/// `spec` says, or why they stay on the float reference path; `choice`
/// receives why the kernel picker took it over the layer's other routes.
MatchResult<MacKernel> getLayerKernel(Operation *layer, const QuantSpec &spec,
                                      std::string *choice = nullptr);

/// Builds the report of the tensor-level, quantized `model`. Dynamic
/// dimensions count as 1, so MACs are per image for a model with a dynamic
/// batch. The `kernel` field says what qc-lower-macs makes of each layer
/// when `spec` runs it, and `kernel_reason` why a layer takes no kernel.
llvm::json::Object buildModelReport(func::FuncOp model, const QuantSpec &spec);

/// The layers of the lowered `module` that call runtime ukernels
/// (`qc.runtime_calls`), in IR order, as (layer, function) pairs.
SmallVector<std::pair<std::string, std::string>>
getRuntimeCalls(ModuleOp module);

/// Adds `runtime_calls` to `report`: `[{"layer": ..., "call": ...}]` for the
/// lowered `module`.
void addRuntimeCalls(llvm::json::Object &report, ModuleOp module);

/// Adds `memory` to `report`: the buffer plan of the lowered module
/// (qc.buffer_plan), with the scratch bytes per image that a context's
/// workspace holds and what the buffers would take without reuse.
void addMemoryPlan(llvm::json::Object &report, ModuleOp module);

/// Writes `report` as indented JSON to `path` atomically (a temporary file
/// renamed into place). Returns false with `error` set on failure.
bool writeModelReport(const llvm::json::Object &report, StringRef path,
                      std::string &error);

} // namespace qc
} // namespace mlir

#endif // QC_TOOLS_LIB_MODELREPORT_H
