//===- ObjectEmitter.h - Native code for a lowered model --------*- C++ -*-===//
//
// Chooses the machine code target (the host CPU and its features, or a CPU
// named with --mcpu), and turns a module lowered to the LLVM dialect into an
// optimized object file whose only visible symbols are the ones asked for.
// qcc emits libraries with it; the JIT takes its host CPU from here.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_CPU_OBJECTEMITTER_H
#define QC_LOWERING_CPU_OBJECTEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <optional>
#include <string>

namespace mlir {
namespace qc {

/// What machine code is generated for: an LLVM target triple, a CPU name
/// and a subtarget feature string (empty: the CPU's own features).
struct CPUTarget {
  std::string triple, cpu, features;
};

/// The machine qc runs on: the process triple, the host CPU's name and the
/// features the host reports. Registers LLVM's code generator for the host,
/// so that target machines for it can be created.
CPUTarget getHostCPUTarget();

/// Resolves a --mcpu value: `native` is getHostCPUTarget(); any other name
/// must be a CPU that LLVM knows for the host's architecture and that can
/// run code for the host's triple. Returns std::nullopt with `error` set
/// (naming the CPU and why it is refused) otherwise.
std::optional<CPUTarget> resolveCPUTarget(StringRef mcpu, std::string &error);

/// Creates a target machine for `target` that generates position-independent
/// code at the highest optimization level. Returns null with `error` set
/// when the target is unavailable.
std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const CPUTarget &target, std::string &error);

/// Translates `module` (in the LLVM dialect) to LLVM IR for `machine`, gives
/// every definition but the functions named in `exported` internal linkage,
/// optimizes at -O3 and writes a relocatable object file to `path`. The
/// exported functions must be defined in the module. Errors are reported as
/// diagnostics on the module; `path` is not left behind on failure.
LogicalResult emitObjectFile(ModuleOp module, llvm::TargetMachine &machine,
                             ArrayRef<std::string> exported, StringRef path);

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_CPU_OBJECTEMITTER_H
