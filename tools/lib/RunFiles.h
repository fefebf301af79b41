//===- RunFiles.h - The files one tool run reads and writes -----*- C++ -*-===//
//
// The tools write their outputs only after a run succeeds, and never over a
// file the same run reads: `qc-run --report x.npy --input x.npy` would
// otherwise destroy the input before reading it. These helpers name a run's
// inputs and find an output that would overwrite one.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_LIB_RUNFILES_H
#define QC_TOOLS_LIB_RUNFILES_H

#include "tools/lib/QuantOptions.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir {
namespace qc {

/// An input file of a run, with what it is for ("the model", "--input #1").
struct NamedPath {
  std::string what;
  std::string path;
};

/// Appends the files `spec` reads (calibration data, --quant-config).
void appendQuantInputs(const QuantSpec &spec,
                       llvm::SmallVectorImpl<NamedPath> &inputs);

/// What the input of `inputs` that `output` names is for, when writing
/// `output` would overwrite it (the same file, or the same absolute path for
/// a file that does not exist yet); nullopt otherwise.
std::optional<std::string> findInputAt(llvm::StringRef output,
                                       llvm::ArrayRef<NamedPath> inputs);

} // namespace qc
} // namespace mlir

#endif // QC_TOOLS_LIB_RUNFILES_H
