//===- RunFiles.cpp - The files one tool run reads and writes -------------===//
//
// Compares output paths with a run's inputs by file identity where both
// exist and by absolute, dot-free path otherwise.
//
//===----------------------------------------------------------------------===//

#include "tools/lib/RunFiles.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::qc;

void mlir::qc::appendQuantInputs(const QuantSpec &spec,
                                 llvm::SmallVectorImpl<NamedPath> &inputs) {
  if (!spec.calibIdxImages.empty())
    inputs.push_back({"--calib-idx-images", spec.calibIdxImages});
  if (!spec.calibNpy.empty())
    inputs.push_back({"--calib-npy", spec.calibNpy});
  if (!spec.configPath.empty())
    inputs.push_back({"--quant-config", spec.configPath});
}

/// `path` made absolute with `.` and `..` removed.
static llvm::SmallString<256> normalize(llvm::StringRef path) {
  llvm::SmallString<256> result(path);
  (void)llvm::sys::fs::make_absolute(result);
  llvm::sys::path::remove_dots(result, /*remove_dot_dot=*/true);
  return result;
}

std::optional<std::string>
mlir::qc::findInputAt(llvm::StringRef output,
                      llvm::ArrayRef<NamedPath> inputs) {
  for (const NamedPath &input : inputs) {
    if (input.path.empty())
      continue;
    bool same = false;
    if (llvm::sys::fs::exists(output) && llvm::sys::fs::exists(input.path))
      same = !llvm::sys::fs::equivalent(output, input.path, same) && same;
    else
      same = normalize(output) == normalize(input.path);
    if (same)
      return input.what + " '" + input.path + "'";
  }
  return std::nullopt;
}
