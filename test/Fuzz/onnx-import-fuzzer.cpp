//===- onnx-import-fuzzer.cpp - Fuzz the ONNX importer on raw bytes -------===//
//
// libFuzzer target: the input is handed to importONNXModel as the bytes of
// a model file, exactly as qc-translate --import-onnx and the tools read
// one. Byte-level mutation mostly exercises the protobuf layer and the
// importer's first checks; onnx-proto-fuzzer mutates the parsed model.
//
//===----------------------------------------------------------------------===//

#include "test/Fuzz/FuzzSupport.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  mlir::qc::fuzz::registerEverything();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::qc::fuzz::importONNX(
      llvm::StringRef(reinterpret_cast<const char *>(data), size),
      /*compile=*/false, /*pipeline=*/0);
  return 0;
}
