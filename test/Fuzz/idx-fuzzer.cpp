//===- idx-fuzzer.cpp - Fuzz the IDX reader -------------------------------===//
//
// libFuzzer target: the input is the content of an IDX file (raw or
// gzipped) given to readIdx (qc-run --idx-images/--idx-labels), read whole
// and with a limit on the first dimension.
//
//===----------------------------------------------------------------------===//

#include "test/Fuzz/FuzzSupport.h"

#include "tools/lib/TensorIO.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

/// Aborts when a tensor readIdx accepted does not hold one byte per element
/// or has more than `limit` (> 0) items.
static void checkTensor(const mlir::qc::HostTensor &tensor, int64_t limit) {
  int64_t elements = 1;
  for (int64_t d : tensor.shape)
    elements *= d;
  bool ok = !tensor.shape.empty() &&
            tensor.bytes.size() == static_cast<size_t>(elements) &&
            (limit <= 0 || tensor.shape[0] <= limit);
  if (!ok) {
    std::fprintf(stderr, "readIdx: %zu bytes for %lld elements (limit %lld)\n",
                 tensor.bytes.size(), static_cast<long long>(elements),
                 static_cast<long long>(limit));
    std::abort();
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::qc::fuzz::MemoryFile file(
      llvm::StringRef(reinterpret_cast<const char *>(data), size));
  if (!file.valid())
    return 0;
  for (int64_t limit : {int64_t(0), int64_t(2)}) {
    mlir::qc::HostTensor tensor;
    std::string error;
    if (mlir::qc::readIdx(file.getPath(), tensor, error, limit))
      checkTensor(tensor, limit);
  }
  return 0;
}
