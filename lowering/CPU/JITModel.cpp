//===- JITModel.cpp - A model compiled to native code in-process ----------===//
//
// Runs the CPU pipeline, JIT-compiles the result with the host's CPU name
// and features, and calls the entry point with memref descriptors built
// around host tensors.
//
//===----------------------------------------------------------------------===//

#include "lowering/CPU/JITModel.h"

#include "dialects/QC/QCDialect.h"
#include "lowering/CPU/CPUPipeline.h"
#include "lowering/CPU/ModelABI.h"
#include "lowering/CPU/ObjectEmitter.h"
#include "runtime/ModelContext.h"
#include "runtime/RuntimeCalls.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Module.h"

#include <algorithm>
#include <atomic>

#include <functional>

using namespace mlir;
using namespace mlir::qc;

/// ExecutionEngine adds a packed `_mlir_<f>` wrapper for every function
/// defined in the module; qc calls only the entry point's C interface. The
/// entry point itself takes every field of every memref descriptor as a
/// scalar argument, thousands for a model with many results (calibration
/// returns every layer's input), and instruction selection of the call that
/// passes them grows quadratically with their number. Drop the other
/// wrappers and inline the entry point into its C interface, where the
/// fields are loads from the descriptors.
static void keepOnlyEntryInterface(llvm::Module &llvmModule) {
  std::string interface =
      (llvm::Twine("_mlir_ciface_") + kEntryPointName).str();
  std::string packedInterface = "_mlir_" + interface;
  SmallVector<llvm::Function *> unused;
  for (llvm::Function &function : llvmModule) {
    StringRef name = function.getName();
    if (!function.isDeclaration() && name.starts_with("_mlir_") &&
        !name.starts_with("_mlir_ciface_") && name != packedInterface)
      unused.push_back(&function);
  }
  for (llvm::Function *function : unused)
    if (function->use_empty())
      function->eraseFromParent();
  llvm::Function *entry = llvmModule.getFunction(kEntryPointName);
  llvm::Function *wrapper = llvmModule.getFunction(interface);
  if (!entry || !wrapper || entry->isDeclaration())
    return;
  entry->setLinkage(llvm::GlobalValue::InternalLinkage);
  entry->addFnAttr(llvm::Attribute::AlwaysInline);
}

/// Maps an MLIR element type to a host dtype.
static std::optional<DType> getDType(Type type) {
  if (type.isF32())
    return DType::F32;
  if (type.isInteger(8))
    return DType::I8;
  if (type.isInteger(32))
    return DType::I32;
  if (type.isInteger(64))
    return DType::I64;
  return std::nullopt;
}

static FailureOr<TensorSpec> getSpec(func::FuncOp model, Type type,
                                     StringRef kind, unsigned index) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  std::optional<DType> dtype =
      tensor ? getDType(tensor.getElementType()) : std::nullopt;
  if (!dtype) {
    model.emitError() << "model " << kind << " #" << index << " has type "
                      << type
                      << "; qc-run passes ranked tensors of f32, i8, i32 or "
                         "i64";
    return failure();
  }
  TensorSpec spec{*dtype, {}};
  for (int64_t d : tensor.getShape())
    spec.shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
  return spec;
}

FailureOr<std::unique_ptr<JITModel>>
JITModel::compile(ModuleOp module, StringRef name, bool printIRAfterAll,
                  bool dumpPipeline,
                  const CPUPipelineOptions &pipelineOptions) {
  auto model = module.lookupSymbol<func::FuncOp>(name);
  if (!model || model.isExternal())
    return module.emitError() << "no model function '" << name
                              << "' with a body in the module",
           failure();
  std::unique_ptr<JITModel> result(new JITModel());
  FunctionType type = model.getFunctionType();
  for (auto [i, t] : llvm::enumerate(type.getInputs())) {
    FailureOr<TensorSpec> spec = getSpec(model, t, "argument", i);
    if (failed(spec))
      return failure();
    result->inputs.push_back(*spec);
  }
  for (auto [i, t] : llvm::enumerate(type.getResults())) {
    FailureOr<TensorSpec> spec = getSpec(model, t, "result", i);
    if (failed(spec))
      return failure();
    result->outputs.push_back(*spec);
  }

  auto *dialect = module.getContext()->getOrLoadDialect<QCDialect>();
  if (IntegerAttr batch =
          dialect->getRequiredBatchAttrHelper().getAttr(model)) {
    result->requiredBatch = batch.getInt();
    if (StringAttr node =
            dialect->getRequiredBatchNodeAttrHelper().getAttr(model))
      result->requiredBatchNode = node.str();
  }

  if (failed(addBufferEntryPoint(module, model)))
    return failure();
  PassManager pm(module.getContext());
  buildCPULoweringPipeline(pm, pipelineOptions);
  if (printIRAfterAll) {
    module.getContext()->disableMultithreading();
    pm.enableIRPrinting([](Pass *, Operation *) { return false; },
                        [](Pass *, Operation *) { return true; },
                        /*printModuleScope=*/true,
                        /*printAfterOnlyOnChange=*/false);
  }
  if (dumpPipeline) {
    pm.printAsTextualPipeline(llvm::errs());
    llvm::errs() << "\n";
  }
  if (failed(pm.run(module)))
    return failure();
  result->workspace = getWorkspaceSize(module);

  // ORC's builder keeps the JIT's own code model and TLS settings; the CPU
  // and its features are the host's, as qcc's --mcpu native.
  CPUTarget host = getHostCPUTarget();
  llvm::orc::JITTargetMachineBuilder builder{llvm::Triple(host.triple)};
  builder.setCPU(host.cpu).setFeatures(host.features);
  auto machine = builder.createTargetMachine();
  if (!machine) {
    module.emitError() << "cannot create a target machine for the host: "
                       << llvm::toString(machine.takeError());
    return failure();
  }
  // ExecutionEngineOptions::transformer is a function_ref: the function it
  // refers to must outlive ExecutionEngine::create.
  std::function<llvm::Error(llvm::Module *)> optimize =
      makeOptimizingTransformer(std::min(pipelineOptions.llvmOptLevel, 3u),
                                /*sizeLevel=*/0, machine->get());
  std::function<llvm::Error(llvm::Module *)> transformer =
      [&optimize](llvm::Module *llvmModule) {
        keepOnlyEntryInterface(*llvmModule);
        return optimize(llvmModule);
      };
  ExecutionEngineOptions options;
  options.transformer = transformer;
  options.jitCodeGenOptLevel =
      pipelineOptions.llvmOptLevel >= 3   ? llvm::CodeGenOptLevel::Aggressive
      : pipelineOptions.llvmOptLevel == 2 ? llvm::CodeGenOptLevel::Default
      : pipelineOptions.llvmOptLevel == 1 ? llvm::CodeGenOptLevel::Less
                                          : llvm::CodeGenOptLevel::None;
  auto engine = ExecutionEngine::create(module, options, std::move(*machine));
  if (!engine) {
    module.emitError() << "JIT compilation failed: "
                       << llvm::toString(engine.takeError());
    return failure();
  }
  result->engine = std::move(*engine);
  // The ukernels convert-qc-to-runtime-calls calls are linked into this
  // process; bind them by address (qcc links them into the library instead).
  result->engine->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap map;
    int64_t count = 0;
    const RuntimeSymbol *symbols = getRuntimeSymbols(count);
    for (int64_t i = 0; i < count; ++i)
      map[interner(symbols[i].name)] = {
          llvm::orc::ExecutorAddr::fromPtr(symbols[i].address),
          llvm::JITSymbolFlags::Exported};
    return map;
  });
  auto entry = result->engine->lookupPacked(
      (llvm::Twine("_mlir_ciface_") + kEntryPointName).str());
  if (!entry) {
    module.emitError() << "JIT entry point missing: "
                       << llvm::toString(entry.takeError());
    return failure();
  }
  result->entry = *entry;
  return result;
}

bool JITModel::run(const std::vector<HostTensor> &args,
                   std::vector<HostTensor> &results, unsigned threads,
                   std::string &error) const {
  if (args.size() != inputs.size()) {
    error = "the model takes " + std::to_string(inputs.size()) +
            " inputs, got " + std::to_string(args.size());
    return false;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const TensorSpec &spec = inputs[i];
    bool ok =
        args[i].type == spec.type && args[i].shape.size() == spec.shape.size();
    for (size_t d = 0; ok && d < spec.shape.size(); ++d)
      ok = spec.shape[d] < 0 || spec.shape[d] == args[i].shape[d];
    if (!ok) {
      std::string expected;
      for (size_t d = 0; d < spec.shape.size(); ++d)
        expected += (d ? "x" : "") + (spec.shape[d] < 0
                                          ? std::string("?")
                                          : std::to_string(spec.shape[d]));
      error = "input #" + std::to_string(i) + " must be " + expected + " " +
              getDTypeName(spec.type) + ", got " + args[i].formatShape() + " " +
              getDTypeName(args[i].type);
      return false;
    }
  }
  int64_t batch = args.empty() || args[0].shape.empty() ? 1 : args[0].shape[0];
  // Dynamic output extents are the batch: every input with a dynamic
  // leading dimension must agree on it.
  for (size_t i = 0; i < args.size(); ++i)
    if (!inputs[i].shape.empty() && inputs[i].shape[0] < 0 &&
        args[i].shape[0] != batch) {
      error = "input #" + std::to_string(i) + " has batch " +
              std::to_string(args[i].shape[0]) + " but input #0 has " +
              std::to_string(batch) + "; inputs must share the batch size";
      return false;
    }
  // The generated code was compiled for this batch only; any other would
  // read and write past its buffers.
  if (requiredBatch && batch != *requiredBatch) {
    error = "the model only runs at batch " + std::to_string(*requiredBatch) +
            " (node '" + requiredBatchNode +
            "' fixes it: a shape in the model depends on the batch), got " +
            "batch " + std::to_string(batch);
    return false;
  }
  results.clear();
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::vector<int64_t> shape = outputs[i].shape;
    for (size_t d = 0; d < shape.size(); ++d) {
      if (shape[d] >= 0)
        continue;
      if (d != 0) {
        error = "output #" + std::to_string(i) + " has a dynamic dimension " +
                std::to_string(d) + "; only the batch dimension may be dynamic";
        return false;
      }
      shape[d] = batch;
    }
    results.emplace_back(outputs[i].type, shape);
  }

  // Slices of the batch are independent when every dynamic dimension is the
  // batch dimension of every input and output.
  bool sliceable = batch > 1 && !requiredBatch;
  for (const TensorSpec &spec : inputs)
    sliceable &= !spec.shape.empty() && spec.shape[0] < 0;
  for (const TensorSpec &spec : outputs)
    sliceable &= !spec.shape.empty() && spec.shape[0] < 0;
  unsigned parts = sliceable ? std::min<int64_t>(threads, batch) : 1;
  // Each part runs in calls of a few items whose buffers fit in L2.
  int64_t itemsPerCall =
      sliceable ? qc_rt_items_per_call(workspace.perItem) : batch;

  // Workspaces persist across calls: no allocation (and no page faults on
  // fresh memory) in steady state.
  std::lock_guard<std::mutex> lock(runMutex);
  if (workspaces.size() < parts) {
    workspaces.resize(parts);
    workspaceSizes.resize(parts, 0);
  }
  auto getWorkspace = [&](unsigned part, int64_t items) {
    int64_t bytes = workspace.perItem * items + workspace.slack;
    if (workspaceSizes[part] < bytes) {
      workspaces[part].reset(new uint8_t[bytes + kWorkspaceAlignment]);
      workspaceSizes[part] = bytes;
    }
    auto address = reinterpret_cast<uintptr_t>(workspaces[part].get());
    address = (address + kWorkspaceAlignment - 1) &
              ~uintptr_t(kWorkspaceAlignment - 1);
    return MemRefDescriptor(reinterpret_cast<void *>(address), {bytes});
  };

  std::atomic<int32_t> kernelStatus{0};
  auto runCall = [&](unsigned part, int64_t begin, int64_t end) {
    std::vector<MemRefDescriptor> descriptors;
    auto addTensor = [&](const HostTensor &t, bool sliced) {
      std::vector<int64_t> shape = t.shape;
      auto *base = const_cast<uint8_t *>(t.bytes.data());
      // Only batched tensors are sliced (every one has a leading batch
      // dimension then); scalars and fixed shapes are passed whole.
      if (sliced && !shape.empty()) {
        size_t rowBytes = t.bytes.size() / std::max<int64_t>(shape[0], 1);
        shape[0] = end - begin;
        base += begin * rowBytes;
      }
      descriptors.emplace_back(base, shape);
    };
    for (const HostTensor &t : args)
      addTensor(t, sliceable);
    for (HostTensor &t : results)
      addTensor(t, sliceable);
    descriptors.push_back(getWorkspace(part, end - begin));
    std::vector<void *> pointers;
    for (MemRefDescriptor &d : descriptors)
      pointers.push_back(d.words.data());
    std::vector<void *> packed;
    for (void *&p : pointers)
      packed.push_back(&p);
    entry(packed.data());
    // A ukernel that failed recorded its status on this thread.
    if (int32_t status = qc_rt_take_status())
      kernelStatus.store(status);
  };
  auto runSlice = [&](unsigned part, int64_t begin, int64_t end) {
    for (int64_t first = begin; first < end; first += itemsPerCall)
      runCall(part, first, std::min(end, first + itemsPerCall));
  };

  auto checkKernels = [&] {
    if (int32_t status = kernelStatus.load()) {
      error = "a runtime kernel failed (Halide error code " +
              std::to_string(status) + "); the outputs are not valid";
      return false;
    }
    return true;
  };
  // Slices run on the process's one pool, which the ukernels' parallel
  // loops share: a batch too small to split still uses every thread.
  qc_rt_set_threads(threads);
  if (parts == 1) {
    runSlice(0, 0, batch);
    return checkKernels();
  }
  std::function<void(unsigned)> slice = [&](unsigned p) {
    runSlice(p, batch * p / parts, batch * (p + 1) / parts);
  };
  qc_rt_parallel_for(
      parts,
      [](void *closure, int32_t p) -> int32_t {
        (*static_cast<std::function<void(unsigned)> *>(closure))(p);
        return 0;
      },
      &slice);
  return checkKernels();
}
