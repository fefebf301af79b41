//===- RunFiles.h - The files one tool run reads and writes -----*- C++ -*-===//
//
// The tools write their outputs only after a run succeeds, and never over a
// file the same run reads: `qc-run --report x.npy --input x.npy` would
// otherwise destroy the input before reading it. These helpers name a run's
// inputs, find an output that would overwrite one, and stage the outputs
// that passes write (--quant mixed's reports) until the run succeeds.
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

/// Appends the files `spec` writes (--quant mixed's Pareto reports and
/// config), as a run's outputs.
void appendQuantOutputs(const QuantSpec &spec,
                        llvm::SmallVectorImpl<std::string> &outputs);

/// Output files that passes write during a run, made atomic: each is
/// written to a temporary file beside it, renamed into place by commit()
/// once the whole run has succeeded; a run that fails leaves no file behind
/// and the old ones as they were.
class StagedOutputs {
public:
  StagedOutputs() = default;
  StagedOutputs(const StagedOutputs &) = delete;
  StagedOutputs &operator=(const StagedOutputs &) = delete;
  /// Removes the temporaries that were not committed.
  ~StagedOutputs();

  /// Replaces `path` (when not empty) by a new temporary file beside it for
  /// the run to write to. False with `error` set when it cannot be created
  /// (a missing directory, no permission).
  bool stage(std::string &path, std::string &error);

  /// Moves every temporary into place. False with `error` set on the first
  /// that cannot be moved.
  bool commit(std::string &error);

private:
  /// (temporary, destination) pairs.
  llvm::SmallVector<std::pair<std::string, std::string>> files;
};

/// Stages the output files of `spec` (appendQuantOutputs) in `outputs`,
/// replacing their paths in `spec` by the temporaries.
bool stageQuantOutputs(QuantSpec &spec, StagedOutputs &outputs,
                       std::string &error);

} // namespace qc
} // namespace mlir

#endif // QC_TOOLS_LIB_RUNFILES_H
