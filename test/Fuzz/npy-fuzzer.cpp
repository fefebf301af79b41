//===- npy-fuzzer.cpp - Fuzz the .npy reader ------------------------------===//
//
// libFuzzer target: the input is the content of a .npy file given to
// readNpy (qc-run --input, calibration data). A file that reads must hold
// exactly the bytes its shape and dtype call for.
//
//===----------------------------------------------------------------------===//

#include "test/Fuzz/FuzzSupport.h"

#include "tools/lib/TensorIO.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::qc::fuzz::MemoryFile file(
      llvm::StringRef(reinterpret_cast<const char *>(data), size));
  if (!file.valid())
    return 0;
  mlir::qc::HostTensor tensor;
  std::string error;
  if (!mlir::qc::readNpy(file.getPath(), tensor, error))
    return 0;
  // The reader promises a tensor whose bytes match its shape.
  int64_t elements = 1;
  for (int64_t d : tensor.shape)
    elements *= d;
  if (tensor.bytes.size() !=
      static_cast<size_t>(elements) * mlir::qc::getDTypeSize(tensor.type)) {
    std::fprintf(stderr, "readNpy: %zu bytes for %lld elements\n",
                 tensor.bytes.size(), static_cast<long long>(elements));
    std::abort();
  }
  return 0;
}
