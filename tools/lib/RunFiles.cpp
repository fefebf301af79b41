//===- RunFiles.cpp - The files one tool run reads and writes -------------===//
//
// Compares output paths with a run's inputs by file identity where both
// exist and by absolute, dot-free path otherwise; stages pass-written
// outputs in temporary files beside them.
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

void mlir::qc::appendQuantOutputs(const QuantSpec &spec,
                                  llvm::SmallVectorImpl<std::string> &outputs) {
  for (const std::string *path :
       {&spec.paretoSvg, &spec.paretoJson, &spec.mixedConfigOut})
    if (!path->empty())
      outputs.push_back(*path);
}

StagedOutputs::~StagedOutputs() {
  for (const auto &file : files)
    llvm::sys::fs::remove(file.first);
}

bool StagedOutputs::stage(std::string &path, std::string &error) {
  if (path.empty())
    return true;
  if (llvm::sys::fs::is_directory(path)) {
    error = "'" + path + "' is a directory; a file is written there";
    return false;
  }
  llvm::SmallString<256> temporary;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(
          path + ".partial-%%%%%%", temporary)) {
    error = "cannot write '" + path + "': " + ec.message();
    return false;
  }
  files.push_back({std::string(temporary), path});
  path = std::string(temporary);
  return true;
}

bool StagedOutputs::commit(std::string &error) {
  for (auto &file : files) {
    if (std::error_code ec = llvm::sys::fs::rename(file.first, file.second)) {
      error = "cannot move '" + file.first + "' to '" + file.second +
              "': " + ec.message();
      return false;
    }
    file.first.clear();
  }
  files.clear();
  return true;
}

bool mlir::qc::stageQuantOutputs(QuantSpec &spec, StagedOutputs &outputs,
                                 std::string &error) {
  return outputs.stage(spec.paretoSvg, error) &&
         outputs.stage(spec.paretoJson, error) &&
         outputs.stage(spec.mixedConfigOut, error);
}
