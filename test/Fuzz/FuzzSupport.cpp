//===- FuzzSupport.cpp - What qc's fuzz targets share ---------------------===//
//
// The silent context, the qc pass pipelines and the importer run the fuzz
// targets share, and the memfd-backed file the .npy / IDX targets hand to
// readers that open a path.
//
//===----------------------------------------------------------------------===//

#include "test/Fuzz/FuzzSupport.h"

#include "lowering/CPU/CPUPipeline.h"
#include "lowering/ONNXToTOSA/ONNXImporter.h"
#include "lowering/Passes.h"
#include "passes/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace mlir::qc;

/// The registry every context is made from; filled once.
static DialectRegistry &getRegistry() {
  static DialectRegistry registry;
  return registry;
}

/// The pipelines, one per weight scheme family, so that the fuzzed IR meets
/// every quantizer and the kernels qc-lower-macs builds for them. Each ends
/// with the conversion out of qc, whose patterns see whatever the passes
/// before left behind.
static const char *const kPipelines[] = {
    "func.func(qc-quantize{weight-scheme=auto},qc-lower-macs,qc-fuse),"
    "convert-qc-to-linalg",
    "func.func(qc-fuse{fold-bn-into-weights=true},qc-quantize{weight-scheme="
    "uniform weight-bits=4 quantize-first-last=true},qc-lower-macs,qc-fuse),"
    "convert-qc-to-linalg",
    "func.func(qc-generalize-pad,qc-quantize{weight-scheme=binary "
    "activation-scheme=binary quantize-first-last=true},qc-lower-macs,"
    "qc-fuse),convert-qc-to-linalg",
    "func.func(qc-quantize{weight-scheme=ternary per-channel=false},"
    "qc-lower-macs{bitserial-max-bits=8},qc-fuse),convert-qc-to-linalg",
};

void fuzz::registerEverything() {
  DialectRegistry &registry = getRegistry();
  registerCPUPipelineDialects(registry);
  registerImportONNXDialects(registry);
  registerQCPasses();
  registerQCConversionPasses();
  // A pipeline that does not parse is a defect of this file, not of the
  // input: stop before fuzzing anything.
  for (const char *pipeline : kPipelines) {
    MLIRContext context(registry);
    PassManager pm(&context);
    std::string error;
    llvm::raw_string_ostream os(error);
    if (failed(parsePassPipeline(pipeline, pm, os))) {
      std::fprintf(stderr, "qc fuzz: bad pipeline '%s': %s\n", pipeline,
                   error.c_str());
      std::abort();
    }
  }
}

std::unique_ptr<MLIRContext> fuzz::makeSilentContext() {
  auto context = std::make_unique<MLIRContext>(
      getRegistry(), MLIRContext::Threading::DISABLED);
  context->getDiagEngine().registerHandler(
      [](Diagnostic &) { return success(); });
  return context;
}

unsigned fuzz::getNumPipelines() { return std::size(kPipelines); }

void fuzz::runPipeline(ModuleOp module, unsigned index) {
  PassManager pm(module->getName());
  std::string error;
  llvm::raw_string_ostream os(error);
  if (failed(parsePassPipeline(kPipelines[index % getNumPipelines()], pm, os)))
    return;
  (void)pm.run(module);
}

void fuzz::importONNX(llvm::StringRef bytes, bool compile, unsigned pipeline) {
  std::unique_ptr<MLIRContext> context = makeSilentContext();
  OwningOpRef<ModuleOp> module =
      importONNXModel(bytes, "fuzz.onnx", context.get());
  if (module && compile)
    runPipeline(*module, pipeline);
}

fuzz::MemoryFile::MemoryFile(llvm::StringRef bytes) {
  fd = ::memfd_create("qc-fuzz", 0);
  if (fd < 0)
    return;
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0) {
      ::close(fd);
      fd = -1;
      return;
    }
    written += static_cast<size_t>(n);
  }
  path = "/proc/self/fd/" + std::to_string(fd);
}

fuzz::MemoryFile::~MemoryFile() {
  if (fd >= 0)
    ::close(fd);
}
