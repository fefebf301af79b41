//===- ObjectEmitter.cpp - Native code for a lowered model ----------------===//
//
// Target selection checks a --mcpu name before LLVM sees it: LLVM only warns
// about an unknown CPU and then aborts in code generation, where a tool can
// no longer clean up. Emission internalizes everything but the entry points
// before optimizing, so that a library exports nothing else and the
// optimizer may inline and drop the internal functions.
//
//===----------------------------------------------------------------------===//

#include "lowering/CPU/ObjectEmitter.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace mlir;
using namespace mlir::qc;

/// The LLVM target of the host, with its code generator registered.
static const llvm::Target *getNativeTarget(StringRef triple,
                                           std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  return llvm::TargetRegistry::lookupTarget(triple.str(), error);
}

CPUTarget mlir::qc::getHostCPUTarget() {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::SubtargetFeatures features;
  for (auto &feature : llvm::sys::getHostCPUFeatures())
    features.AddFeature(feature.first(), feature.second);
  return CPUTarget{llvm::sys::getProcessTriple(),
                   llvm::sys::getHostCPUName().str(), features.getString()};
}

std::optional<CPUTarget> mlir::qc::resolveCPUTarget(StringRef mcpu,
                                                    std::string &error) {
  if (mcpu == "native")
    return getHostCPUTarget();
  std::string triple = llvm::sys::getProcessTriple();
  const llvm::Target *target = getNativeTarget(triple, error);
  if (!target) {
    error = "no LLVM target for " + triple + ": " + error;
    return std::nullopt;
  }
  // An empty CPU name is the target's generic CPU, which LLVM accepts
  // silently; the named CPU is checked against its processor table.
  std::unique_ptr<llvm::MCSubtargetInfo> generic(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!generic || !generic->isCPUStringValid(mcpu)) {
    error = ("--mcpu '" + mcpu + "' is not a CPU that LLVM knows for " +
             triple + "; qcc compiles for the host's architecture: use " +
             "'native' or a CPU name such as this host's '" +
             llvm::sys::getHostCPUName() + "'")
                .str();
    return std::nullopt;
  }
  llvm::Triple parsed(triple);
  if (parsed.getArch() == llvm::Triple::x86_64) {
    std::unique_ptr<llvm::MCSubtargetInfo> named(
        target->createMCSubtargetInfo(triple, mcpu, ""));
    if (!named->checkFeatures("+64bit")) {
      error = ("--mcpu '" + mcpu + "' cannot run the 64-bit code of " + triple)
                  .str();
      return std::nullopt;
    }
  }
  return CPUTarget{triple, mcpu.str(), ""};
}

std::unique_ptr<llvm::TargetMachine>
mlir::qc::createTargetMachine(const CPUTarget &target, std::string &error) {
  const llvm::Target *llvmTarget = getNativeTarget(target.triple, error);
  if (!llvmTarget) {
    error = "no LLVM target for " + target.triple + ": " + error;
    return nullptr;
  }
  std::unique_ptr<llvm::TargetMachine> machine(llvmTarget->createTargetMachine(
      target.triple, target.cpu, target.features, llvm::TargetOptions(),
      llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    error = "cannot create a target machine for " + target.triple + " (" +
            target.cpu + ")";
  return machine;
}

/// Gives every definition in `module` but the functions in `exported`
/// internal linkage. The `llvm.` globals (constructors, used lists) are
/// markers for LLVM itself and keep theirs.
static LogicalResult internalizeAllBut(llvm::Module &module,
                                       ArrayRef<std::string> exported,
                                       std::string &error) {
  for (const std::string &name : exported) {
    llvm::Function *function = module.getFunction(name);
    if (!function || function->isDeclaration()) {
      error = "the module does not define the entry point '" + name + "'";
      return failure();
    }
  }
  auto hide = [&](llvm::GlobalValue &value) {
    if (value.isDeclaration() || value.hasLocalLinkage() ||
        value.getName().starts_with("llvm.") ||
        llvm::is_contained(exported, value.getName()))
      return;
    value.setLinkage(llvm::GlobalValue::InternalLinkage);
  };
  for (llvm::Function &function : module)
    hide(function);
  for (llvm::GlobalVariable &global : module.globals())
    hide(global);
  for (llvm::GlobalAlias &alias : module.aliases())
    hide(alias);
  return success();
}

LogicalResult mlir::qc::emitObjectFile(ModuleOp module,
                                       llvm::TargetMachine &machine,
                                       ArrayRef<std::string> exported,
                                       StringRef path) {
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "qc_model");
  if (!llvmModule)
    return module.emitError() << "translation to LLVM IR failed";
  llvmModule->setDataLayout(machine.createDataLayout());
  llvmModule->setTargetTriple(machine.getTargetTriple().str());
  std::string error;
  if (failed(internalizeAllBut(*llvmModule, exported, error)))
    return module.emitError() << error;
  auto optimize =
      makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, &machine);
  if (llvm::Error err = optimize(llvmModule.get()))
    return module.emitError()
           << "LLVM optimization failed: " << llvm::toString(std::move(err));

  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return module.emitError()
           << "cannot write " << path << ": " << ec.message();
  llvm::legacy::PassManager codegen;
  if (machine.addPassesToEmitFile(codegen, out.os(), nullptr,
                                  llvm::CodeGenFileType::ObjectFile))
    return module.emitError() << "the target cannot emit object files";
  codegen.run(*llvmModule);
  out.os().flush();
  if (out.os().has_error()) {
    // A stream error left set would abort in the stream's destructor.
    std::error_code writeError = out.os().error();
    out.os().clear_error();
    return module.emitError()
           << "cannot write " << path << ": " << writeError.message();
  }
  out.keep();
  return success();
}
