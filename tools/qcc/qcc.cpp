//===- qcc.cpp - Ahead-of-time compiler driver ----------------------------===//
//
// qcc MODEL [--quant SPEC] --target cpu [--name NAME] -o DIR: compiles a
// model through the qc pipeline to a shared library lib<NAME>.so that exports
// nothing but the C entry points (NAME_run and the context API NAME_create,
// NAME_run_context, NAME_destroy), a header NAME.h and a per-layer
// report.json. Everything is written to a scratch directory first and moved
// into DIR only when complete, so a failure never leaves a half-written
// output.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCDialect.h"
#include "lowering/CPU/CPUPipeline.h"
#include "lowering/CPU/ModelABI.h"
#include "lowering/CPU/ObjectEmitter.h"
#include "tools/lib/CompileDriver.h"
#include "tools/lib/Explain.h"
#include "tools/lib/ModelLoader.h"
#include "tools/lib/ModelReport.h"
#include "tools/lib/RunFiles.h"
#include "tools/qcc/HlsTarget.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Target/TargetMachine.h"

#include "RuntimeArchives.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("qcc options");
static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.onnx|model.mlir>"),
                                      cl::cat(category));
static cl::opt<std::string> outputDir("o", cl::Required,
                                      cl::desc("Output directory"),
                                      cl::value_desc("dir"), cl::cat(category));
static cl::opt<bool> ukernels(
    "ukernels", cl::init(true),
    cl::desc("Call the runtime's ukernels for the layers they serve (false: "
             "every layer is generated loops, the plain reference path)"),
    cl::cat(category));
static cl::opt<std::string>
    target("target", cl::init("cpu"),
           cl::desc("Target: cpu (a shared library) or hls (an HLS C++ "
                    "project for FPGAs)"),
           cl::cat(category));
static cl::opt<std::string>
    folding("folding",
            cl::desc("--target hls: JSON file of per-layer PE and SIMD by "
                     "ONNX node name ({\"layers\": {NAME: {\"pe\": P, "
                     "\"simd\": S}}})"),
            cl::cat(category));
static cl::opt<double>
    targetFps("target-fps", cl::init(0.0),
              cl::desc("--target hls: images per second every layer must "
                       "reach at --clock-mhz (0: no target)"),
              cl::cat(category));
static cl::opt<double>
    clockMhz("clock-mhz", cl::init(100.0),
             cl::desc("--target hls: clock of the estimates and run_hls.tcl"),
             cl::cat(category));
static cl::opt<int64_t>
    lutBudget("lut-budget", cl::init(0),
              cl::desc("--target hls: estimated LUTs the layers may use (0: "
                       "no budget)"),
              cl::cat(category));
static cl::opt<std::string>
    tbInputs("tb-inputs",
             cl::desc("--target hls: input values (.npy) for the testbench; "
                      "qc's CPU path computes its golden outputs"),
             cl::cat(category));
static cl::opt<std::string>
    fpgaPart("part", cl::init("xczu3eg-sbva484-1-e"),
             cl::desc("--target hls: FPGA part for run_hls.tcl"),
             cl::cat(category));
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

/// The version script that keeps every symbol of the library local but
/// `entry`. The object file exports nothing else already; the script also
/// covers what the linker and the C runtime's start files add.
static std::string makeVersionScript(ArrayRef<std::string> exported) {
  std::string script = "{\n  global:\n";
  for (const std::string &name : exported)
    script += "    " + name + ";\n";
  return script + "  local:\n    *;\n};\n";
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  qc::registerQuantCLOptions(category);
  qc::registerExplainCLOption(category);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "qcc: compile a model ahead of time\n");
  if (target != "cpu" && target != "hls")
    return fail("unknown --target '" + target +
                "'; this build supports: cpu, hls");
  std::string specError;
  std::optional<qc::QuantSpec> spec = qc::getQuantSpecFromCLOptions(specError);
  if (!spec)
    return fail(specError);
  if (!qc::isCIdentifier(libName))
    return fail("--name must be a C identifier (letters, digits and '_', not "
                "starting with a digit): it names lib<name>.so, <name>.h and "
                "<name>_run; got '" +
                libName + "'");
  SmallVector<qc::NamedPath> inputPaths{{"the model", modelPath}};
  qc::appendQuantInputs(*spec, inputPaths);
  // --quant mixed's reports: never over an input or each other, written
  // beside their places and moved there only when the library is.
  SmallVector<std::string> quantOutputs;
  qc::appendQuantOutputs(*spec, quantOutputs);
  for (auto [i, output] : llvm::enumerate(quantOutputs)) {
    if (std::optional<std::string> input = qc::findInputAt(output, inputPaths))
      return fail("output '" + output + "' would overwrite " + *input +
                  " of this run");
    for (size_t j = 0; j < i; ++j)
      if (qc::findInputAt(output, {{"", quantOutputs[j]}}))
        return fail("output '" + output + "' is given twice");
  }
  qc::StagedOutputs staged;
  std::string stageError;
  if (!qc::stageQuantOutputs(*spec, staged, stageError))
    return fail(stageError);
  std::string targetError;
  std::optional<qc::CPUTarget> cpuTarget =
      qc::resolveCPUTarget(cpu, targetError);
  if (!cpuTarget)
    return fail(targetError);
  std::unique_ptr<llvm::TargetMachine> machine =
      qc::createTargetMachine(*cpuTarget, targetError);
  if (!machine)
    return fail(targetError);
  // The scratch directory goes beside the output, so that moving the
  // results into place is a rename on one file system.
  SmallString<128> outputPath(outputDir.getValue());
  if (std::error_code ec = llvm::sys::fs::make_absolute(outputPath))
    return fail("cannot resolve '" + outputDir + "': " + ec.message());

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
  FailureOr<qc::CEntryShape> shape;
  llvm::json::Object report;
  auto describe = [&](func::FuncOp quantized) -> LogicalResult {
    shape = qc::getCEntryShape(quantized);
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
  if (target == "hls") {
    qc::HlsTargetOptions hls;
    hls.outputDir = outputDir;
    hls.modelPath = modelPath;
    hls.folding = folding;
    hls.targetFps = targetFps;
    hls.clockMhz = clockMhz;
    hls.lutBudget = lutBudget;
    hls.inputsPath = tbInputs;
    hls.part = fpgaPart;
    if (int status = qc::writeHlsProject(*module, model, hls))
      return status;
    return staged.commit(stageError) ? 0 : fail(stageError);
  }
  if (failed(qc::addBufferEntryPoint(*module, model)))
    return 1;
  PassManager pm(&context);
  qc::CPUPipelineOptions pipelineOptions;
  pipelineOptions.ukernels = ukernels;
  qc::buildCPULoweringPipeline(pm, pipelineOptions);
  if (failed(pm.run(*module)) ||
      failed(qc::addCEntryPoint(*module, libName, *shape)))
    return 1;
  qc::explainRuntimeCallsIfRequested(*module);
  qc::addRuntimeCalls(report, *module);
  qc::addMemoryPlan(report, *module);

  // Build everything in a scratch directory beside the output.
  SmallString<128> scratch;
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory(
          outputPath + ".qcc-partial", scratch))
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
  std::vector<std::string> exported = qc::getCExportedNames(libName);
  if (failed(qc::emitObjectFile(*module, *machine, exported,
                                inScratch("model.o"))))
    return 1;
  if (failed(writeText(inScratch(header),
                       qc::makeCHeader(libName,
                                       llvm::sys::path::filename(modelPath),
                                       *shape))) ||
      failed(writeText(inScratch("exports.map"), makeVersionScript(exported))))
    return fail("cannot write into " + scratch);
  std::string reportError;
  if (!qc::writeModelReport(report, inScratch("report.json"), reportError))
    return fail(reportError);

  auto linker = llvm::sys::findProgramByName("clang-19");
  if (!linker)
    linker = llvm::sys::findProgramByName("cc");
  if (!linker)
    return fail("no C compiler (clang-19 or cc) found to link the library");
  // --exclude-libs keeps what static libraries (libgcc) bring in local too;
  // -z defs makes a symbol that libc and libm do not provide a link error
  // here rather than a load error in the user's program.
  std::string object = inScratch("model.o"), output = inScratch(library),
              soname = "-Wl,-soname," + library,
              versionScript =
                  "-Wl,--version-script=" + inScratch("exports.map");
  SmallVector<StringRef> args{
      *linker,       "-shared", soname, versionScript, "-Wl,--exclude-libs,ALL",
      "-Wl,-z,defs", object};
  // The ukernels the model calls, linked in statically and kept local by
  // --exclude-libs; only the members the object needs are pulled in.
  for (const char *archive : kRuntimeArchives)
    args.push_back(archive);
  args.append({"-lpthread", "-lm", "-o", output});
  std::string linkError;
  if (llvm::sys::ExecuteAndWait(*linker, args, std::nullopt, {}, 0, 0,
                                &linkError) != 0)
    return fail("linking " + library + " failed" +
                (linkError.empty() ? "" : ": " + linkError));

  if (std::error_code ec = llvm::sys::fs::create_directories(outputPath))
    return fail("cannot create '" + outputDir + "': " + ec.message());
  // Every destination is checked before the first is replaced, so that a
  // failure leaves the output directory as it was.
  SmallVector<StringRef, 3> names{library, header, "report.json"};
  for (StringRef name : names) {
    SmallString<128> destination(outputPath);
    llvm::sys::path::append(destination, name);
    if (llvm::sys::fs::is_directory(destination))
      return fail("'" + destination +
                  "' is a directory; qcc writes a file "
                  "there");
    if (std::optional<std::string> input =
            qc::findInputAt(destination, inputPaths))
      return fail("'" + destination + "' would overwrite " + *input +
                  " of this run");
  }
  for (StringRef name : names) {
    SmallString<128> destination(outputPath);
    llvm::sys::path::append(destination, name);
    if (std::error_code ec =
            llvm::sys::fs::rename(inScratch(name), destination))
      return fail("cannot move " + name + " into '" + outputDir +
                  "': " + ec.message());
  }
  if (!staged.commit(stageError))
    return fail(stageError);
  llvm::outs() << "qcc: wrote " << outputDir << "/{" << library << ", "
               << header << ", report.json}\n";
  return 0;
}
