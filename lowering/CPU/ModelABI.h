//===- ModelABI.h - How native code calls a compiled model ------*- C++ -*-===//
//
// The two ways into a model lowered by the CPU pipeline, defined in one
// place: the memref descriptors that the buffer entry point (`qc_entry`)
// takes, which the JIT fills in at run time, and the C entry point
// `<name>_run(const float *, float *, int)` with its header, which qcc puts
// in a shared library.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_CPU_MODELABI_H
#define QC_LOWERING_CPU_MODELABI_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <string>
#include <vector>

namespace mlir {
namespace qc {

/// Strides of a dense row-major buffer of `shape`, in elements. A memref
/// descriptor of the pipeline's entry point always carries these: every
/// buffer the caller passes is contiguous.
SmallVector<int64_t> getRowMajorStrides(ArrayRef<int64_t> shape);

/// A ranked memref descriptor as MLIR's LLVM lowering lays it out, one
/// 64-bit word per field: the allocated pointer, the aligned pointer, the
/// offset (in elements), then `rank` sizes and `rank` strides. This is what
/// `_mlir_ciface_qc_entry` takes a pointer to per argument, and what
/// `qc_entry` takes spread over scalar arguments.
struct MemRefDescriptor {
  /// Describes the dense row-major buffer `data` of `shape`.
  MemRefDescriptor(void *data, ArrayRef<int64_t> shape);
  std::vector<int64_t> words;
};

/// Shape of a model that the C entry point can call: one float input and
/// one float output, both with the batch first and no other dynamic
/// dimension.
struct CEntryShape {
  SmallVector<int64_t> input, output;
  /// The batch is free (dimension 0 dynamic) rather than fixed.
  bool dynamicBatch;
};

/// Checks that `model` (a tensor-level function) fits the C entry point and
/// returns its shape; emits a diagnostic on the function otherwise.
FailureOr<CEntryShape> getCEntryShape(func::FuncOp model);

/// Whether `name` is a C identifier (letters, digits, `_`, no leading digit).
bool isCIdentifier(StringRef name);

/// Name of the C entry point of a library called `name`: `<name>_run`.
std::string getCEntryPointName(StringRef name);

/// The public functions of a library called `name`: `<name>_run`,
/// `<name>_create`, `<name>_run_context`, `<name>_destroy`.
std::vector<std::string> getCExportedNames(StringRef name);

/// Adds the C entry points to `module`, which has been lowered to the LLVM
/// dialect by the CPU pipeline and holds `qc_entry`:
/// - `int <name>_run(const float *input, float *output, int batch)` returns
///   -1 on a null pointer, a batch below 1 or, for a fixed batch, any other
///   batch; else it wraps both pointers in dense descriptors of `shape` with
///   `batch` items, calls `qc_entry` (without a workspace: its buffers are
///   allocated once per call) and returns 0, or -2 when a kernel failed;
/// - the context API, which forwards to the runtime's (ModelContext.h) with
///   the buffer plan's workspace size: `<name>_create(max_batch, threads)`,
///   `<name>_run_context(context, input, output, batch)` (no allocation),
///   `<name>_destroy(context)`.
/// Fails with a diagnostic when a name is taken or `qc_entry` does not take
/// the descriptors `shape` implies and a workspace.
LogicalResult addCEntryPoint(ModuleOp module, StringRef name,
                             const CEntryShape &shape);

/// The C header `<name>.h` that declares `<name>_run` and the macros
/// `<NAME>_INPUT_SIZE`, `<NAME>_OUTPUT_SIZE` (floats per item) and
/// `<NAME>_BATCH` (0 for a free batch). `source` names the model file in the
/// header's first comment.
std::string makeCHeader(StringRef name, StringRef source,
                        const CEntryShape &shape);

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_CPU_MODELABI_H
