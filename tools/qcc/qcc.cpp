//===- qcc.cpp - Ahead-of-time compiler driver ----------------------------===//
//
// qcc MODEL [--quant SPEC] --target cpu -o DIR: compiles a model through the
// qc pipeline to a shared library with a documented C entry point, a header
// and a per-layer report.json. Everything is written to a scratch directory
// first and moved into DIR only when complete, so a failure never leaves a
// half-written output.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCDialect.h"
#include "lowering/CPU/CPUPipeline.h"
#include "tools/lib/CompileDriver.h"
#include "tools/lib/Explain.h"
#include "tools/lib/ModelLoader.h"
#include "tools/lib/ModelReport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("qcc options");
static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.onnx|model.mlir>"),
                                      cl::cat(category));
static cl::opt<std::string> outputDir("o", cl::Required,
                                      cl::desc("Output directory"),
                                      cl::value_desc("dir"), cl::cat(category));
static cl::opt<std::string> target("target", cl::init("cpu"),
                                   cl::desc("Target (cpu)"), cl::cat(category));
static cl::opt<std::string> libName("name", cl::init("model"),
                                    cl::desc("Base name of the library and "
                                             "header (lib<name>.so, <name>.h)"),
                                    cl::cat(category));
static cl::opt<std::string> cpu("mcpu", cl::init("native"),
                                cl::desc("CPU to compile for (native: this "
                                         "machine's CPU and features)"),
                                cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "qcc: error: " << message << "\n";
  return 1;
}

/// Writes `text` to `path`.
static LogicalResult writeText(StringRef path, StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return failure();
  os << text;
  return success(!os.has_error());
}

/// The model's one float input and output, each with the batch first.
struct EntryShape {
  SmallVector<int64_t> input, output;
  bool dynamicBatch;
};

static FailureOr<EntryShape> getEntryShape(func::FuncOp model) {
  FunctionType type = model.getFunctionType();
  if (type.getNumInputs() != 1 || type.getNumResults() != 1) {
    model.emitError() << "qcc's C entry point takes one input and one "
                         "output; the model has "
                      << type.getNumInputs() << " and "
                      << type.getNumResults();
    return failure();
  }
  auto in = dyn_cast<RankedTensorType>(type.getInput(0));
  auto out = dyn_cast<RankedTensorType>(type.getResult(0));
  if (!in || !out || !in.getElementType().isF32() ||
      !out.getElementType().isF32() || in.getRank() < 1 || out.getRank() < 1) {
    model.emitError() << "qcc's C entry point passes float tensors with a "
                         "batch dimension; the model maps "
                      << type.getInput(0) << " to " << type.getResult(0);
    return failure();
  }
  for (auto shaped : {in, out})
    for (int64_t d : shaped.getShape().drop_front())
      if (ShapedType::isDynamic(d)) {
        model.emitError() << "only the batch dimension may be dynamic, got "
                          << shaped;
        return failure();
      }
  if (in.isDynamicDim(0) != out.isDynamicDim(0) ||
      (!in.isDynamicDim(0) && in.getDimSize(0) != out.getDimSize(0))) {
    model.emitError() << "input and output must share the batch dimension";
    return failure();
  }
  return EntryShape{SmallVector<int64_t>(in.getShape()),
                    SmallVector<int64_t>(out.getShape()), in.isDynamicDim(0)};
}

/// Product of all dimensions but the batch.
static int64_t perItem(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape.drop_front())
    n *= d;
  return n;
}

static std::string makeHeader(const EntryShape &shape) {
  std::string guard = "QC_" + llvm::StringRef(libName).upper() + "_H";
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "/* " << libName << ".h - generated by qcc from " <<
      llvm::sys::path::filename(modelPath) << ". */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "/* Floats per item of the input and of the output (the batch\n"
     << "   dimension excluded). */\n"
     << "#define QC_MODEL_INPUT_SIZE " << perItem(shape.input) << "\n"
     << "#define QC_MODEL_OUTPUT_SIZE " << perItem(shape.output) << "\n"
     << "/* Items per call: 0 when the batch is free, else the fixed batch. */\n"
     << "#define QC_MODEL_BATCH "
     << (shape.dynamicBatch ? 0 : shape.input[0]) << "\n\n"
     << "/* Runs the model on `batch` items. `input` holds batch *\n"
     << "   QC_MODEL_INPUT_SIZE floats, row-major with shape (batch";
  for (int64_t d : ArrayRef(shape.input).drop_front())
    os << ", " << d;
  os << "), and\n   `output` receives batch * QC_MODEL_OUTPUT_SIZE floats, "
        "shape (batch";
  for (int64_t d : ArrayRef(shape.output).drop_front())
    os << ", " << d;
  os << ").\n   Returns 0 on success, -1 on a null pointer or a batch the "
        "model cannot\n   take. Safe to call from several threads at once. */\n"
     << "int qc_model_run(const float *input, float *output, int batch);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return text;
}

static std::string makeEntrySource(const EntryShape &shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  auto descriptor = [&](StringRef name, ArrayRef<int64_t> dims) {
    os << "typedef struct {\n  void *allocated, *aligned;\n  int64_t offset;\n"
       << "  int64_t sizes[" << dims.size() << "], strides[" << dims.size()
       << "];\n} " << name << ";\n";
  };
  os << "/* Generated by qcc: the C entry point around the compiled model. */\n"
     << "#include <stdint.h>\n#include \"" << libName << ".h\"\n\n";
  descriptor("qc_input_t", shape.input);
  descriptor("qc_output_t", shape.output);
  os << "void _mlir_ciface_" << qc::kEntryPointName
     << "(qc_input_t *, qc_output_t *);\n\n";
  auto fill = [&](StringRef var, StringRef pointer, ArrayRef<int64_t> dims) {
    os << "  " << var << ".allocated = " << var << ".aligned = (void *)"
       << pointer << ";\n  " << var << ".offset = 0;\n  " << var
       << ".sizes[0] = batch;\n";
    int64_t stride = 1;
    for (int64_t i = dims.size() - 1; i >= 0; --i) {
      if (i > 0)
        os << "  " << var << ".sizes[" << i << "] = " << dims[i] << ";\n";
      os << "  " << var << ".strides[" << i << "] = " << stride << ";\n";
      stride *= i > 0 ? dims[i] : 1;
    }
  };
  os << "int qc_model_run(const float *input, float *output, int batch) {\n"
     << "  qc_input_t in;\n  qc_output_t out;\n"
     << "  if (!input || !output || batch < 1)\n    return -1;\n";
  if (!shape.dynamicBatch)
    os << "  if (batch != QC_MODEL_BATCH)\n    return -1;\n";
  fill("in", "input", shape.input);
  fill("out", "output", shape.output);
  os << "  _mlir_ciface_" << qc::kEntryPointName << "(&in, &out);\n"
     << "  return 0;\n}\n";
  return text;
}

/// Lowers the module to an object file for the host (or --mcpu) CPU.
static LogicalResult emitObject(ModuleOp module, StringRef path) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  std::string triple = llvm::sys::getProcessTriple();
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return module.emitError() << "no LLVM target for " << triple << ": "
                              << error;
  std::string cpuName = cpu == "native" ? llvm::sys::getHostCPUName().str()
                                        : cpu.getValue();
  std::string features;
  if (cpu == "native") {
    llvm::SubtargetFeatures subtarget;
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      subtarget.AddFeature(feature.first(), feature.second);
    features = subtarget.getString();
  }
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(
      llvmTarget->createTargetMachine(triple, cpuName, features, options,
                                      llvm::Reloc::PIC_, std::nullopt,
                                      llvm::CodeGenOptLevel::Aggressive));
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "qc_model");
  if (!llvmModule)
    return module.emitError() << "translation to LLVM IR failed";
  llvmModule->setDataLayout(machine->createDataLayout());
  llvmModule->setTargetTriple(triple);
  auto optimize = makeOptimizingTransformer(3, 0, machine.get());
  if (llvm::Error err = optimize(llvmModule.get()))
    return module.emitError() << "LLVM optimization failed: "
                              << llvm::toString(std::move(err));
  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return module.emitError() << "cannot write " << path << ": "
                              << ec.message();
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, out.os(), nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return module.emitError() << "the target cannot emit object files";
  codegen.run(*llvmModule);
  out.keep();
  return success();
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  qc::registerQuantCLOptions(category);
  qc::registerExplainCLOption(category);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "qcc: compile a model ahead of time\n");
  if (target != "cpu")
    return fail("unknown --target '" + target + "'; this build supports: cpu");
  std::string specError;
  std::optional<qc::QuantSpec> spec = qc::getQuantSpecFromCLOptions(specError);
  if (!spec)
    return fail(specError);
  if (!llvm::all_of(libName.getValue(), [](char c) {
        return llvm::isAlnum(c) || c == '_';
      }) || libName.empty())
    return fail("--name must be a C identifier, got '" + libName + "'");

  DialectRegistry registry;
  qc::registerCPUPipelineDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  OwningOpRef<ModuleOp> module = qc::loadModelFile(modelPath, &context);
  if (!module)
    return 1;
  func::FuncOp model = qc::findModelFunction(*module, "");
  if (!model)
    return 1;
  // The report describes the quantized tensor-level model, before its
  // MACs are rewritten and it is lowered.
  FailureOr<EntryShape> shape;
  llvm::json::Object report;
  auto describe = [&](func::FuncOp quantized) -> LogicalResult {
    shape = getEntryShape(quantized);
    qc::explainIfRequested(quantized, *spec);
    report = qc::buildModelReport(quantized, *spec);
    report["source"] = llvm::sys::path::filename(modelPath).str();
    report["quant"] = spec->name;
    return success(succeeded(shape));
  };
  std::string quantizeError;
  if (failed(qc::quantizeModel(*module, model, *spec, 0.0f, 1.0f, describe,
                               quantizeError)))
    return quantizeError.empty() ? 1 : fail(quantizeError);
  if (failed(qc::addBufferEntryPoint(*module, model)))
    return 1;
  PassManager pm(&context);
  qc::buildCPULoweringPipeline(pm);
  if (failed(pm.run(*module)))
    return 1;

  // Build everything in a scratch directory beside the output.
  SmallString<128> scratch;
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory(
          outputDir + ".qcc-partial", scratch))
    return fail("cannot create a scratch directory next to '" + outputDir +
                "': " + ec.message());
  auto cleanup = llvm::make_scope_exit(
      [&] { llvm::sys::fs::remove_directories(scratch); });
  auto inScratch = [&](StringRef name) {
    SmallString<128> path(scratch);
    llvm::sys::path::append(path, name);
    return std::string(path);
  };
  std::string header = libName + ".h", library = "lib" + libName + ".so";
  if (failed(emitObject(*module, inScratch("model.o"))))
    return 1;
  if (failed(writeText(inScratch(header), makeHeader(*shape))) ||
      failed(writeText(inScratch("entry.c"), makeEntrySource(*shape))))
    return fail("cannot write into " + scratch);
  std::string reportError;
  if (!qc::writeModelReport(report, inScratch("report.json"), reportError))
    return fail(reportError);

  auto linker = llvm::sys::findProgramByName("clang-19");
  if (!linker)
    linker = llvm::sys::findProgramByName("cc");
  if (!linker)
    return fail("no C compiler (clang-19 or cc) found to link the library");
  std::string entry = inScratch("entry.c"), object = inScratch("model.o"),
              output = inScratch(library), include = "-I" + std::string(scratch);
  SmallVector<StringRef> args{*linker, "-shared", "-fPIC", "-O2",
                              include.c_str(), entry, object, "-lm", "-o",
                              output};
  std::string linkError;
  if (llvm::sys::ExecuteAndWait(*linker, args, std::nullopt, {}, 0, 0,
                                &linkError) != 0)
    return fail("linking " + library + " failed" +
                (linkError.empty() ? "" : ": " + linkError));

  if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
    return fail("cannot create '" + outputDir + "': " + ec.message());
  for (StringRef name : {StringRef(library), StringRef(header),
                         StringRef("report.json")}) {
    SmallString<128> destination(outputDir.getValue());
    llvm::sys::path::append(destination, name);
    if (std::error_code ec = llvm::sys::fs::rename(inScratch(name), destination))
      return fail("cannot move " + name + " into '" + outputDir +
                  "': " + ec.message());
  }
  llvm::outs() << "qcc: wrote " << outputDir << "/{" << library << ", "
               << header << ", report.json}\n";
  return 0;
}
