//===- FuzzReplayMain.cpp - Run a fuzz target over files ------------------===//
//
// The main() of fuzz targets built without libFuzzer (the QC_SANITIZE
// build): every file named on the command line, and every file under a
// directory named there, is passed once to LLVMFuzzerTestOneInput, in
// sorted order. With the sanitizers on, this replays a corpus the way
// `fuzzer -runs=0 corpus/` does, without needing libFuzzer. Arguments that
// start with '-' are libFuzzer flags and are ignored.
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int *argc,
                                                          char ***argv);

/// libFuzzer's byte mutator, which custom mutators fall back on. A replay
/// never mutates, but the targets that define a custom mutator still need
/// the symbol: leave the input as it is.
extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize) {
  return size;
}

/// Appends `path` if it is a file, or every regular file below it if it is
/// a directory.
static bool collect(const std::string &path, std::vector<std::string> &files) {
  bool isDirectory = false;
  if (llvm::sys::fs::is_directory(path, isDirectory)) {
    std::fprintf(stderr, "replay: %s: no such file or directory\n",
                 path.c_str());
    return false;
  }
  if (!isDirectory) {
    files.push_back(path);
    return true;
  }
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(path, ec), end;
       it != end && !ec; it.increment(ec)) {
    if (it->type() == llvm::sys::fs::file_type::regular_file)
      files.push_back(it->path());
  }
  if (ec) {
    std::fprintf(stderr, "replay: %s: %s\n", path.c_str(),
                 ec.message().c_str());
    return false;
  }
  return true;
}

int main(int argc, char **argv) {
  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i)
    if (argv[i][0] != '-' && !collect(argv[i], files))
      return 1;
  std::sort(files.begin(), files.end());
  for (const std::string &file : files) {
    auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer) {
      std::fprintf(stderr, "replay: %s: %s\n", file.c_str(),
                   buffer.getError().message().c_str());
      return 1;
    }
    // A copy the size of the input, so that reads past its end are caught.
    std::vector<uint8_t> bytes((*buffer)->getBufferStart(),
                               (*buffer)->getBufferEnd());
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  }
  std::printf("replay: %zu inputs, no crash\n", files.size());
  return 0;
}
