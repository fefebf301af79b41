//===- CPUPipeline.h - Lowering qc programs to native CPU code --*- C++ -*-===//
//
// The CPU path of qc: a model function over tensors (TOSA, linalg, tensor,
// arith) gets an entry point with caller-provided buffers, is lowered to the
// LLVM dialect, and is either JIT-compiled for the host (qc-run) or emitted
// as an object file (qcc).
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_CPU_CPUPIPELINE_H
#define QC_LOWERING_CPU_CPUPIPELINE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/LogicalResult.h"

namespace mlir {
class DialectRegistry;
namespace qc {

/// Name of the entry point added by `addBufferEntryPoint`.
inline constexpr llvm::StringLiteral kEntryPointName = "qc_entry";

/// Alignment in bytes of the buffers qc-plan-buffers places in an arena (and
/// of their offsets), as bufferization aligns its allocations; a workspace
/// needs this much slack per arena slot beyond its per-item bytes.
inline constexpr int64_t kWorkspaceAlignment = 64;

/// The scratch memory a lowered module's entry point uses for a slice of n
/// items: perItem * n + slack bytes (from its qc.buffer_plan; both 0 without
/// one). A shorter workspace only makes the entry point allocate.
struct WorkspaceSize {
  int64_t perItem = 0, slack = 0;
};
WorkspaceSize getWorkspaceSize(ModuleOp module);

/// Registers every dialect and translation interface the CPU path needs.
void registerCPUPipelineDialects(DialectRegistry &registry);

/// Adds `qc_entry(inputs..., outputs..., workspace)` taking one memref per
/// argument and per result of `model`, which computes the model and writes
/// its results into the output buffers. The last argument, a `memref<?xi8>`
/// marked `qc.workspace`, is scratch memory the model's buffers are placed
/// in when it is large enough (see qc-plan-buffers; it may have size 0).
/// `model` is made private so that the pipeline inlines it. Fails (with a
/// diagnostic) when an argument or result is not a ranked tensor.
LogicalResult addBufferEntryPoint(ModuleOp module, func::FuncOp model);

/// Adds the passes that lower func + TOSA/linalg/tensor/arith on tensors to
/// the LLVM dialect.
/// Options of the CPU lowering pipeline.
struct CPUPipelineOptions {
  /// Call the runtime's ukernels for the layers they serve
  /// (convert-qc-to-runtime-calls); false keeps every layer on linalg loops,
  /// the plain reference path.
  bool ukernels = true;
  /// LLVM's optimization level for the JIT (0-3). Models run many times
  /// take 3; a build run once (calibration) takes 1, which compiles in
  /// about half the time.
  unsigned llvmOptLevel = 3;
};

void buildCPULoweringPipeline(OpPassManager &pm,
                              const CPUPipelineOptions &options = {});

/// Registers the pipeline with the pass registry as `qc-cpu-pipeline`, so
/// that `qc-opt` can run and print it.
void registerCPULoweringPipeline();

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_CPU_CPUPIPELINE_H
