//===- mlir-pipeline-fuzzer.cpp - Fuzz qc-opt's parse, verify, passes -----===//
//
// libFuzzer target: the input is MLIR text, parsed and verified like qc-opt
// does with every qc dialect registered; IR that verifies then runs one of
// the qc pipelines (qc-quantize, qc-lower-macs, qc-fuse,
// convert-qc-to-linalg). The pipeline is picked by the input's length, so
// each input always takes the same one and mutations reach all of them.
//
//===----------------------------------------------------------------------===//

#include "test/Fuzz/FuzzSupport.h"

#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace mlir;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  qc::fuzz::registerEverything();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // MLIR's lexer reads the byte after the buffer to find its end, as files
  // read through llvm::MemoryBuffer end in a NUL; a std::string has one.
  std::string text(reinterpret_cast<const char *>(data), size);
  std::unique_ptr<MLIRContext> context = qc::fuzz::makeSilentContext();
  // Unregistered dialects stay errors, as in qc-opt.
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, ParserConfig(context.get()));
  if (!module || failed(verify(*module)))
    return 0;
  qc::fuzz::runPipeline(*module, static_cast<unsigned>(size));
  return 0;
}
