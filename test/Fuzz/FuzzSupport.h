//===- FuzzSupport.h - What qc's fuzz targets share -------------*- C++ -*-===//
//
// The pieces several fuzz targets need: an MLIR context that keeps every
// diagnostic to itself (invalid input is the normal case when fuzzing, and
// printing each error would drown libFuzzer's output), the qc pass
// pipelines the IR targets run, the importer run, and an in-memory file for
// the readers that take a path.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TEST_FUZZ_FUZZSUPPORT_H
#define QC_TEST_FUZZ_FUZZSUPPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>

namespace mlir {
namespace qc {
namespace fuzz {

/// Every dialect the importer produces and the qc pipelines create, and the
/// qc passes; call once before anything else (LLVMFuzzerInitialize).
void registerEverything();

/// A fresh single-threaded context with every dialect of registerEverything
/// available and a handler that swallows all diagnostics. One context per
/// input keeps inputs independent and memory bounded (a context never frees
/// the types and attributes it uniques).
std::unique_ptr<MLIRContext> makeSilentContext();

/// The number of qc pass pipelines runPipeline knows.
unsigned getNumPipelines();

/// Runs qc pipeline `index` (modulo getNumPipelines): qc-quantize with one
/// of several weight schemes, qc-lower-macs, qc-fuse, then
/// convert-qc-to-linalg. Failures are reported as diagnostics only.
void runPipeline(ModuleOp module, unsigned index);

/// Imports `bytes` as a serialized ONNX model; when that succeeds and
/// `compile` is set, runs pipeline `pipeline` on the result.
void importONNX(llvm::StringRef bytes, bool compile, unsigned pipeline);

/// A file that lives in memory (memfd) for the readers that open a path;
/// nothing touches the disk, so many fuzzing jobs can run side by side.
class MemoryFile {
public:
  /// Creates the file holding `bytes`; `valid` tells whether that worked.
  explicit MemoryFile(llvm::StringRef bytes);
  ~MemoryFile();
  MemoryFile(const MemoryFile &) = delete;
  MemoryFile &operator=(const MemoryFile &) = delete;

  bool valid() const { return fd >= 0; }
  /// A path that opens the file ("/proc/self/fd/N").
  const std::string &getPath() const { return path; }

private:
  int fd = -1;
  std::string path;
};

} // namespace fuzz
} // namespace qc
} // namespace mlir

#endif // QC_TEST_FUZZ_FUZZSUPPORT_H
