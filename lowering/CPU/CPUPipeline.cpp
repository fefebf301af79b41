//===- CPUPipeline.cpp - Lowering qc programs to native CPU code ----------===//
//
// Builds the pass pipeline from tensors to the LLVM dialect and the entry
// point that lets a caller run a model on its own buffers.
//
//===----------------------------------------------------------------------===//

#include "lowering/CPU/CPUPipeline.h"
#include "dialects/QC/QCDialect.h"
#include "lowering/Passes.h"
#include "passes/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/TosaToArith/TosaToArith.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/TosaToTensor/TosaToTensor.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/Extensions/InlinerExtension.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::qc;

void mlir::qc::registerCPUPipelineDialects(DialectRegistry &registry) {
  registerQCDialect(registry);
  registry.insert<affine::AffineDialect, arith::ArithDialect,
                  bufferization::BufferizationDialect, cf::ControlFlowDialect,
                  func::FuncDialect, linalg::LinalgDialect, LLVM::LLVMDialect,
                  math::MathDialect, memref::MemRefDialect, scf::SCFDialect,
                  tensor::TensorDialect, tosa::TosaDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  func::registerInlinerExtension(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerConvertFuncToLLVMInterface(registry);
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  registerConvertMathToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
  index::registerConvertIndexToLLVMInterface(registry);
}

WorkspaceSize mlir::qc::getWorkspaceSize(ModuleOp module) {
  WorkspaceSize size;
  auto *dialect = module.getContext()->getOrLoadDialect<QCDialect>();
  DictionaryAttr plan = dialect->getBufferPlanAttrHelper().getAttr(module);
  if (!plan)
    return size;
  if (auto bytes = plan.getAs<IntegerAttr>("bytes_per_unit"))
    size.perItem = bytes.getInt();
  if (auto slots = plan.getAs<IntegerAttr>("slots"))
    size.slack = kWorkspaceAlignment * slots.getInt();
  return size;
}

LogicalResult mlir::qc::addBufferEntryPoint(ModuleOp module,
                                            func::FuncOp model) {
  FunctionType type = model.getFunctionType();
  SmallVector<Type> bufferTypes;
  for (auto [kind, types] : {std::pair{"argument", type.getInputs()},
                             std::pair{"result", type.getResults()}}) {
    for (auto [i, t] : llvm::enumerate(types)) {
      auto tensor = dyn_cast<RankedTensorType>(t);
      if (!tensor)
        return model.emitError()
               << "model " << kind << " #" << i
               << " must be a ranked tensor to be passed in a buffer, got "
               << t;
      bufferTypes.push_back(
          MemRefType::get(tensor.getShape(), tensor.getElementType()));
    }
  }
  // The caller's scratch memory, where qc-plan-buffers places the buffers.
  bufferTypes.push_back(MemRefType::get(
      {ShapedType::kDynamic}, IntegerType::get(module.getContext(), 8)));
  if (module.lookupSymbol(kEntryPointName))
    return model.emitError()
           << "the module already defines '" << kEntryPointName << "'";

  OpBuilder builder(module.getBodyRegion());
  builder.setInsertionPointToEnd(module.getBody());
  Location loc = model.getLoc();
  auto entry = builder.create<func::FuncOp>(
      loc, kEntryPointName, builder.getFunctionType(bufferTypes, {}));
  entry->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                 builder.getUnitAttr());
  auto *dialect = module.getContext()->getOrLoadDialect<QCDialect>();
  entry.setArgAttr(bufferTypes.size() - 1,
                   dialect->getWorkspaceAttrHelper().getName(),
                   builder.getUnitAttr());
  Block *body = entry.addEntryBlock();
  builder.setInsertionPointToStart(body);

  unsigned numInputs = type.getNumInputs();
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < numInputs; ++i)
    inputs.push_back(builder.create<bufferization::ToTensorOp>(
        loc, type.getInput(i), body->getArgument(i), /*restrict=*/true,
        /*writable=*/false));
  auto call = builder.create<func::CallOp>(loc, model, inputs);
  for (auto [i, result] : llvm::enumerate(call.getResults())) {
    auto store = builder.create<bufferization::MaterializeInDestinationOp>(
        loc, result, body->getArgument(numInputs + i));
    store.setRestrict(true);
    store.setWritable(true);
  }
  builder.create<func::ReturnOp>(loc);
  model.setPrivate();
  return success();
}

void mlir::qc::buildCPULoweringPipeline(OpPassManager &pm,
                                        const CPUPipelineOptions &options) {
  pm.addPass(createQCVerifyInput());
  // Model functions are private after addBufferEntryPoint: inline them into
  // the entry point so that results are computed in place.
  pm.addPass(createInlinerPass());
  pm.addPass(createSymbolDCEPass());

  pm.addNestedPass<func::FuncOp>(createQCSinkTransposes());

  // --quant none: quantized tensors take their float reference values.
  pm.addPass(createConvertQCToLinalg());

  TosaToLinalgOptions tosaOptions;
  tosa::addTosaToLinalgPasses(pm, tosaOptions, TosaToLinalgNamedOptions(),
                              /*validationOptions=*/std::nullopt);
  pm.addNestedPass<func::FuncOp>(tosa::createTosaToArith());
  pm.addNestedPass<func::FuncOp>(createQCBufferizeWideConcats());
  pm.addNestedPass<func::FuncOp>(tosa::createTosaToTensor());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createQCLinalgElementwiseFusion());
  pm.addPass(createCSEPass());
  pm.addNestedPass<func::FuncOp>(createQCGeneralizePad());
  pm.addNestedPass<func::FuncOp>(createQCUnshareDestinations());

  bufferization::OneShotBufferizationOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  bufferization.setFunctionBoundaryTypeConversion(
      bufferization::LayoutMapOption::IdentityLayoutMap);
  // Copies become linalg.copy (plain loops) rather than memref.copy, whose
  // strided form calls into MLIR's runner-utils library at run time.
  bufferization.memCpyFn = [](OpBuilder &b, Location loc, Value from,
                              Value to) {
    b.create<linalg::CopyOp>(loc, from, to);
    return success();
  };
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  bufferization::BufferDeallocationPipelineOptions deallocation;
  bufferization::buildBufferDeallocationPipeline(pm, deallocation);

  // The plain reference path (no ukernels) keeps its copies and scalar
  // loops throughout.
  if (options.ukernels) {
    pm.addPass(createConvertQCToRuntimeCalls());
    // Border fills first: they are what moves when a copy is elided.
    pm.addNestedPass<func::FuncOp>(createQCShrinkPadFills());
    pm.addNestedPass<func::FuncOp>(createQCElideCopies());
  }
  pm.addPass(createQCPlanBuffers());
  if (options.ukernels) {
    pm.addNestedPass<func::FuncOp>(createQCVectorizeElementwise());
    pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass());
  }
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createQCOutlineLoopNests());
  pm.addPass(createQCOutlineSegments());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  // After math-to-libm, which unrolls vector math it has no vector form of
  // (tanh, ...) into vector.extract / insert.
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

namespace {
struct CPUPipelineCLOptions : public PassPipelineOptions<CPUPipelineCLOptions> {
  Option<bool> ukernels{*this, "ukernels",
                        llvm::cl::desc("Call the runtime's ukernels for the "
                                       "layers they serve"),
                        llvm::cl::init(true)};
};
} // namespace

void mlir::qc::registerCPULoweringPipeline() {
  PassPipelineRegistration<CPUPipelineCLOptions>(
      "qc-cpu-pipeline",
      "Lower func + TOSA/linalg on tensors to the LLVM dialect for the CPU",
      [](OpPassManager &pm, const CPUPipelineCLOptions &cl) {
        CPUPipelineOptions options;
        options.ukernels = cl.ukernels;
        buildCPULoweringPipeline(pm, options);
      });
}
