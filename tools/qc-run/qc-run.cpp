//===- qc-run.cpp - Compile a model and run it on the host CPU ------------===//
//
// qc-run MODEL.{onnx,mlir} [--quant SPEC] [options]: imports or parses the
// model, compiles it through the qc pipeline to native code for this CPU
// (LLVM ORC JIT via MLIR's ExecutionEngine) and runs it either on .npy
// tensors (--input/--output) or on an IDX image set with labels, printing
// accuracy and latency.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCDialect.h"
#include "lowering/CPU/CPUPipeline.h"
#include "lowering/CPU/JITModel.h"
#include "tools/lib/CompileDriver.h"
#include "tools/lib/Explain.h"
#include "tools/lib/ModelLoader.h"
#include "tools/lib/ModelReport.h"
#include "tools/lib/RunFiles.h"
#include "tools/lib/TensorIO.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("qc-run options");
static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.onnx|model.mlir>"),
                                      cl::cat(category));
static cl::list<std::string> inputPaths("input",
                                        cl::desc("Input tensor (.npy), one "
                                                 "per model argument"),
                                        cl::cat(category));
static cl::list<std::string> outputPaths("output",
                                         cl::desc("Where to write each model "
                                                  "result (.npy)"),
                                         cl::cat(category));
static cl::opt<std::string> idxImages("idx-images",
                                      cl::desc("IDX image file (raw or .gz)"),
                                      cl::cat(category));
static cl::opt<std::string> idxLabels("idx-labels",
                                      cl::desc("IDX label file (raw or .gz)"),
                                      cl::cat(category));
static cl::opt<int64_t> limit("limit", cl::init(0),
                              cl::desc("Use only the first N images"),
                              cl::cat(category));
static cl::opt<int64_t> batchSize("batch", cl::init(100),
                                  cl::desc("Images per model call"),
                                  cl::cat(category));
static cl::opt<float> mean("mean", cl::init(0.0f),
                           cl::desc("Subtract from [0,1] pixels"),
                           cl::cat(category));
static cl::opt<float> stddev("std", cl::init(1.0f),
                             cl::desc("Divide [0,1] pixels by this after "
                                      "subtracting --mean"),
                             cl::cat(category));
// libLLVM registers a hidden option named "threads" of its own, so qc-run
// takes --threads out of argv before LLVM's parser sees it.
static unsigned threads = 1;
static cl::extrahelp threadsHelp(
    "\n  --threads=<N>   Threads to split each batch over (default 1)\n");

/// Removes --threads N / --threads=N (one or two dashes) from the arguments
/// and stores its value; false on a malformed value.
static bool extractThreads(std::vector<char *> &args, std::string &error) {
  for (size_t i = 1; i < args.size(); ++i) {
    llvm::StringRef arg(args[i]);
    if (!arg.consume_front("--") && !arg.consume_front("-"))
      continue;
    if (!arg.consume_front("threads"))
      continue;
    llvm::StringRef value;
    size_t consumed = 1;
    if (arg.consume_front("="))
      value = arg;
    else if (arg.empty() && i + 1 < args.size())
      value = args[i + 1], consumed = 2;
    else if (!arg.empty())
      continue; // some other option that starts with "threads"
    if (value.getAsInteger(10, threads) || threads < 1) {
      error = "--threads takes a positive integer, got '" + value.str() + "'";
      return false;
    }
    args.erase(args.begin() + i, args.begin() + i + consumed);
    --i;
  }
  return true;
}
static cl::opt<std::string> entryName("entry", cl::init(""),
                                      cl::desc("Model function (default: the "
                                               "only public function)"),
                                      cl::cat(category));
static cl::opt<std::string> reportPath(
    "report", cl::init(""),
    cl::desc("Write the per-layer report (as qcc's report.json) here"),
    cl::cat(category));
static cl::opt<bool> ukernels(
    "ukernels", cl::init(true),
    cl::desc("Call the runtime's ukernels for the layers they serve (false: "
             "every layer runs as generated loops, the plain reference path)"),
    cl::cat(category));
static cl::opt<bool> printIRAfterAll("print-ir-after-all", cl::init(false),
                                     cl::desc("Print the IR after every pass"),
                                     cl::cat(category));
static cl::opt<bool> dumpPipeline("dump-pipeline", cl::init(false),
                                  cl::desc("Print the pass pipeline"),
                                  cl::cat(category));

/// Prints `message` as an error and returns the failing exit code.
static int fail(const llvm::Twine &message) {
  llvm::errs() << "qc-run: error: " << message << "\n";
  return 1;
}

/// Median of `values` (which it sorts).
static double median(std::vector<double> &values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

/// Runs the model on .npy inputs and writes .npy outputs.
static int runTensors(const qc::JITModel &model) {
  if (inputPaths.size() != model.getInputs().size())
    return fail("the model takes " + llvm::Twine(model.getInputs().size()) +
                " inputs; got " + llvm::Twine(inputPaths.size()) +
                " --input files");
  if (outputPaths.size() > model.getOutputs().size())
    return fail("the model has " + llvm::Twine(model.getOutputs().size()) +
                " results; got " + llvm::Twine(outputPaths.size()) +
                " --output files");
  std::vector<qc::HostTensor> args(inputPaths.size()), results;
  std::string error;
  for (size_t i = 0; i < inputPaths.size(); ++i)
    if (!qc::readNpy(inputPaths[i], args[i], error))
      return fail(error);
  if (!model.run(args, results, threads, error))
    return fail(error);
  for (size_t i = 0; i < outputPaths.size(); ++i)
    if (!qc::writeNpy(outputPaths[i], results[i], error))
      return fail(error);
  return 0;
}

/// Classifies an IDX image set and reports accuracy and latency.
static int runIdx(const qc::JITModel &model) {
  if (idxLabels.empty())
    return fail("--idx-images needs --idx-labels");
  if (batchSize < 1)
    return fail("--batch must be at least 1, got " + llvm::Twine(batchSize));
  if (!(stddev > 0.0f) || !std::isfinite(stddev) || !std::isfinite(mean))
    return fail("--std must be positive and --mean finite");
  qc::HostTensor images, labels;
  std::string error;
  if (!qc::readIdx(idxImages, images, error, limit) ||
      !qc::readIdx(idxLabels, labels, error, limit))
    return fail(error);
  if (images.shape.size() != 3)
    return fail(idxImages + ": expected N x H x W images, got " +
                images.formatShape());
  if (labels.shape.size() != 1 || labels.shape[0] != images.shape[0])
    return fail(idxLabels + ": expected " + llvm::Twine(images.shape[0]) +
                " labels, got " + labels.formatShape());
  if (model.getInputs().size() != 1 || model.getOutputs().empty())
    return fail("an image classifier takes one input and returns logits");

  // The input layout follows the model: N x 1 x H x W, N x H x W x 1,
  // N x H x W or N x (H * W).
  const qc::TensorSpec &spec = model.getInputs()[0];
  int64_t n = images.shape[0], h = images.shape[1], w = images.shape[2];
  std::vector<int64_t> imageShape(spec.shape.begin() + 1, spec.shape.end());
  int64_t perImage = 1;
  for (int64_t d : imageShape)
    perImage *= d;
  if (spec.type != qc::DType::F32 || spec.shape.empty() || perImage != h * w)
    return fail("model input " + llvm::Twine(spec.shape.size()) +
                "-D must be float with " + llvm::Twine(h * w) +
                " values per image to take " + llvm::Twine(h) + "x" +
                llvm::Twine(w) + " images");
  if (spec.shape[0] >= 0 && spec.shape[0] != batchSize && n > 0) {
    llvm::errs() << "qc-run: note: the model has a fixed batch of "
                 << spec.shape[0] << "; using it as --batch\n";
    batchSize = spec.shape[0];
  }

  int64_t correct = 0, done = 0;
  std::vector<double> batchMs;
  for (int64_t begin = 0; begin < n; begin += batchSize) {
    int64_t count = std::min<int64_t>(batchSize, n - begin);
    if (spec.shape[0] >= 0 && count != spec.shape[0])
      break; // a fixed-batch model cannot take the last partial batch
    std::vector<int64_t> shape = imageShape;
    shape.insert(shape.begin(), count);
    std::vector<qc::HostTensor> args{qc::HostTensor(qc::DType::F32, shape)};
    float *pixels = args[0].data<float>();
    const uint8_t *raw = images.data<uint8_t>() + begin * h * w;
    for (int64_t i = 0; i < count * h * w; ++i)
      pixels[i] = (raw[i] / 255.0f - mean) / stddev;
    std::vector<qc::HostTensor> results;
    auto start = std::chrono::steady_clock::now();
    if (!model.run(args, results, threads, error))
      return fail(error);
    auto stop = std::chrono::steady_clock::now();
    batchMs.push_back(
        std::chrono::duration<double, std::milli>(stop - start).count());
    const qc::HostTensor &logits = results[0];
    if (logits.type != qc::DType::F32 || logits.shape.size() != 2 ||
        logits.shape[0] != count)
      return fail("the model's first result must be N x classes float "
                  "logits, got " +
                  logits.formatShape());
    int64_t classes = logits.shape[1];
    for (int64_t i = 0; i < count; ++i) {
      int64_t label = labels.data<uint8_t>()[begin + i];
      if (label >= classes)
        return fail(idxLabels + ": label " + llvm::Twine(label) + " of image " +
                    llvm::Twine(begin + i) + " is not one of the model's " +
                    llvm::Twine(classes) + " classes");
      const float *row = logits.data<float>() + i * classes;
      int64_t best = std::max_element(row, row + classes) - row;
      correct += best == label;
    }
    done += count;
  }
  if (done == 0)
    return fail("no images were classified");
  std::vector<double> perBatch = batchMs;
  double medianBatch = median(perBatch);
  llvm::outs() << llvm::format("accuracy: %.4f (%lld/%lld)\n",
                               double(correct) / done, (long long)correct,
                               (long long)done);
  llvm::outs() << llvm::format(
      "latency: median %.3f ms per batch of %lld, %.4f ms per image "
      "(%zu batches, %u thread%s)\n",
      medianBatch, (long long)batchSize, medianBatch / batchSize,
      batchMs.size(), (unsigned)threads, threads == 1 ? "" : "s");
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  qc::registerQuantCLOptions(category);
  qc::registerExplainCLOption(category);
  cl::HideUnrelatedOptions(category);
  std::vector<char *> args(argv, argv + argc);
  std::string threadsError;
  if (!extractThreads(args, threadsError))
    return fail(threadsError);
  cl::ParseCommandLineOptions(static_cast<int>(args.size()), args.data(),
                              "qc-run: compile a model for this CPU and run "
                              "it\n");
  std::string specError;
  std::optional<qc::QuantSpec> spec = qc::getQuantSpecFromCLOptions(specError);
  if (!spec)
    return fail(specError);
  bool tensorMode = !inputPaths.empty() || !outputPaths.empty();
  if (tensorMode == !idxImages.empty())
    return fail("give either --input/--output .npy files or --idx-images/"
                "--idx-labels");
  if (limit < 0)
    return fail("--limit must be 0 (all images) or positive, got " +
                llvm::Twine(limit));
  SmallVector<qc::NamedPath> runInputs{{"the model", modelPath}};
  for (auto [i, path] : llvm::enumerate(inputPaths))
    runInputs.push_back({"--input #" + std::to_string(i), path});
  runInputs.push_back({"--idx-images", idxImages});
  runInputs.push_back({"--idx-labels", idxLabels});
  qc::appendQuantInputs(*spec, runInputs);
  SmallVector<std::string> runOutputs(outputPaths.begin(), outputPaths.end());
  if (!reportPath.empty())
    runOutputs.push_back(reportPath);
  qc::appendQuantOutputs(*spec, runOutputs);
  for (auto [i, output] : llvm::enumerate(runOutputs)) {
    if (std::optional<std::string> input = qc::findInputAt(output, runInputs))
      return fail("output '" + output + "' would overwrite " + *input +
                  " of this run");
    for (size_t j = 0; j < i; ++j)
      if (qc::findInputAt(output, {{"", runOutputs[j]}}))
        return fail("output '" + output + "' is given twice");
  }
  // --quant mixed's reports are written beside their places and moved
  // there only when the whole run succeeds.
  qc::StagedOutputs staged;
  std::string stageError;
  if (!qc::stageQuantOutputs(*spec, staged, stageError))
    return fail(stageError);

  DialectRegistry registry;
  qc::registerCPUPipelineDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  OwningOpRef<ModuleOp> module = qc::loadModelFile(modelPath, &context);
  if (!module)
    return 1;
  func::FuncOp entry = qc::findModelFunction(*module, entryName);
  if (!entry)
    return 1;
  std::string quantizeError;
  // The report describes the quantized model; it is written only once the
  // whole run has succeeded.
  std::optional<llvm::json::Object> report;
  auto describe = [&](func::FuncOp quantized) -> LogicalResult {
    qc::explainIfRequested(quantized, *spec);
    if (reportPath.empty())
      return success();
    report = qc::buildModelReport(quantized, *spec);
    (*report)["source"] = llvm::sys::path::filename(modelPath).str();
    (*report)["quant"] = spec->name;
    return success();
  };
  if (failed(qc::quantizeModel(*module, entry, *spec, mean, stddev, describe,
                               quantizeError)))
    return quantizeError.empty() ? 1 : fail(quantizeError);
  qc::CPUPipelineOptions pipelineOptions;
  pipelineOptions.ukernels = ukernels;
  auto model =
      qc::JITModel::compile(*module, entry.getSymName(), printIRAfterAll,
                            dumpPipeline, pipelineOptions);
  if (failed(model))
    return 1;
  qc::explainRuntimeCallsIfRequested(*module);
  if (report) {
    qc::addRuntimeCalls(*report, *module);
    qc::addMemoryPlan(*report, *module);
  }
  if (int status = idxImages.empty() ? runTensors(**model) : runIdx(**model))
    return status;
  std::string reportError;
  if (report && !qc::writeModelReport(*report, reportPath, reportError))
    return fail(reportError);
  if (!staged.commit(reportError))
    return fail(reportError);
  return 0;
}
