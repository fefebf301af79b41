//===- JITModel.h - A model compiled to native code in-process --*- C++ -*-===//
//
// Compiles a model function through the CPU pipeline with MLIR's
// ExecutionEngine (LLVM ORC JIT, tuned for the host CPU) and runs it on host
// tensors, optionally splitting the batch over threads.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_CPU_JITMODEL_H
#define QC_LOWERING_CPU_JITMODEL_H

#include "lowering/CPU/CPUPipeline.h"
#include "runtime/HostTensor.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace qc {

/// Element type and shape of one model argument or result; dynamic
/// dimensions are -1.
struct TensorSpec {
  DType type;
  std::vector<int64_t> shape;
};

/// A model function compiled for the host CPU.
class JITModel {
public:
  /// Lowers `module` (consumed) to LLVM with the model function `name` as
  /// entry and JIT-compiles it. `dumpPipeline`/`printIRAfterAll` mirror
  /// mlir-opt's debugging options. Errors are reported as diagnostics on
  /// the module's context.
  static FailureOr<std::unique_ptr<JITModel>>
  compile(ModuleOp module, StringRef name, bool printIRAfterAll = false,
          bool dumpPipeline = false,
          const CPUPipelineOptions &pipelineOptions = {});

  const std::vector<TensorSpec> &getInputs() const { return inputs; }
  const std::vector<TensorSpec> &getOutputs() const { return outputs; }

  /// Runs the model. Input shapes must match the model's (dynamic dims
  /// free); outputs are allocated here. A dynamic output dimension must be
  /// the batch dimension (0) and takes the batch of the first input. With
  /// `threads` > 1 the batch is split into that many slices run in
  /// parallel. Each slice's buffers live in a workspace the model keeps
  /// from call to call, so calls are serialized. Returns false with `error`
  /// set on a mismatch.
  bool run(const std::vector<HostTensor> &args,
           std::vector<HostTensor> &results, unsigned threads,
           std::string &error) const;

  /// The one batch the model's shapes allow (qc.required_batch), if any.
  std::optional<int64_t> getRequiredBatch() const { return requiredBatch; }

private:
  JITModel() = default;
  std::optional<int64_t> requiredBatch;
  std::string requiredBatchNode;
  std::unique_ptr<ExecutionEngine> engine;
  void (*entry)(void **) = nullptr;
  std::vector<TensorSpec> inputs, outputs;
  /// Workspace bytes a slice needs.
  WorkspaceSize workspace;
  /// One workspace per slice, grown on demand, 64-byte aligned.
  mutable std::vector<std::unique_ptr<uint8_t[]>> workspaces;
  mutable std::vector<int64_t> workspaceSizes;
  mutable std::mutex runMutex;
};

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_CPU_JITMODEL_H
