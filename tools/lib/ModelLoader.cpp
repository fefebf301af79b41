//===- ModelLoader.cpp - Loading a model file for the drivers -------------===//
//
// Implements ModelLoader.h.
//
//===----------------------------------------------------------------------===//

#include "tools/lib/ModelLoader.h"
#include "lowering/ONNXToTOSA/ONNXImporter.h"

#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

OwningOpRef<ModuleOp> mlir::qc::loadModelFile(StringRef path,
                                              MLIRContext *context) {
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &error);
  if (!file) {
    emitError(UnknownLoc::get(context)) << error;
    return nullptr;
  }
  if (path.ends_with(".onnx"))
    return importONNXModel(file->getBuffer(), path, context);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  return parseSourceFile<ModuleOp>(sourceMgr, context);
}

func::FuncOp mlir::qc::findModelFunction(ModuleOp module, StringRef name) {
  if (!name.empty()) {
    auto named = module.lookupSymbol<func::FuncOp>(name);
    if (!named || named.isExternal())
      module.emitError() << "no function '" << name << "' with a body";
    return named && !named.isExternal() ? named : func::FuncOp();
  }
  func::FuncOp found;
  for (auto f : module.getOps<func::FuncOp>()) {
    if (f.isPrivate() || f.isExternal())
      continue;
    if (found) {
      module.emitError() << "the module has several public functions ('"
                         << found.getSymName() << "', '" << f.getSymName()
                         << "', ...); name the model function";
      return nullptr;
    }
    found = f;
  }
  if (!found)
    module.emitError() << "the module has no public function with a body";
  return found;
}
