//===- ModelABI.cpp - How native code calls a compiled model --------------===//
//
// Memref descriptors for the JIT, and the C entry point and header for
// qcc's libraries. The entry point is built in the LLVM dialect after the CPU
// pipeline, so the library needs no C source of its own and its descriptors
// follow the same layout as the JIT's.
//
//===----------------------------------------------------------------------===//

#include "lowering/CPU/ModelABI.h"
#include "dialects/QC/QCDialect.h"
#include "lowering/CPU/CPUPipeline.h"
#include "runtime/RuntimeCalls.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::qc;

SmallVector<int64_t> mlir::qc::getRowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

MemRefDescriptor::MemRefDescriptor(void *data, ArrayRef<int64_t> shape) {
  words.push_back(reinterpret_cast<int64_t>(data));
  words.push_back(reinterpret_cast<int64_t>(data));
  words.push_back(0);
  words.insert(words.end(), shape.begin(), shape.end());
  SmallVector<int64_t> strides = getRowMajorStrides(shape);
  words.insert(words.end(), strides.begin(), strides.end());
}

FailureOr<CEntryShape> mlir::qc::getCEntryShape(func::FuncOp model) {
  FunctionType type = model.getFunctionType();
  if (type.getNumInputs() != 1 || type.getNumResults() != 1) {
    model.emitError() << "the C entry point takes one input and one output; "
                         "the model has "
                      << type.getNumInputs() << " and " << type.getNumResults();
    return failure();
  }
  auto in = dyn_cast<RankedTensorType>(type.getInput(0));
  auto out = dyn_cast<RankedTensorType>(type.getResult(0));
  if (!in || !out || !in.getElementType().isF32() ||
      !out.getElementType().isF32() || in.getRank() < 1 || out.getRank() < 1) {
    model.emitError() << "the C entry point passes float tensors with a "
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
  CEntryShape shape{SmallVector<int64_t>(in.getShape()),
                    SmallVector<int64_t>(out.getShape()), in.isDynamicDim(0)};
  // A model whose shapes fix its dynamic batch runs at that batch only: the
  // entry point then treats it as fixed and refuses any other.
  auto *dialect = model->getContext()->getOrLoadDialect<QCDialect>();
  if (IntegerAttr batch = dialect->getRequiredBatchAttrHelper().getAttr(model);
      batch && shape.dynamicBatch) {
    shape.dynamicBatch = false;
    shape.input[0] = shape.output[0] = batch.getInt();
  }
  return shape;
}

bool mlir::qc::isCIdentifier(StringRef name) {
  return !name.empty() && !llvm::isDigit(name.front()) &&
         llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

std::string mlir::qc::getCEntryPointName(StringRef name) {
  return (name + "_run").str();
}

std::vector<std::string> mlir::qc::getCExportedNames(StringRef name) {
  return {getCEntryPointName(name), (name + "_create").str(),
          (name + "_run_context").str(), (name + "_destroy").str()};
}

/// Floats per item: the product of all dimensions but the batch.
static int64_t getItemSize(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape.drop_front())
    n *= d;
  return n;
}

namespace {
/// Builds the C entry points of one model in the LLVM dialect.
class CEntryBuilder {
public:
  CEntryBuilder(ModuleOp module, const CEntryShape &shape)
      : module(module), shape(shape), builder(module.getContext()),
        ptr(LLVM::LLVMPointerType::get(module.getContext())),
        i1(builder.getI1Type()), i32(builder.getI32Type()),
        i64(builder.getI64Type()) {}

  /// `int32_t invoke(input, output, batch, workspace, workspaceBytes)`: the
  /// argument checks, the call of `qc_entry` and its kernels' status.
  LLVM::LLVMFuncOp buildInvoke(StringRef symbol, LLVM::LLVMFuncOp callee);
  /// A public function `symbol` of `type` that returns what `forward`
  /// computes from its arguments.
  void
  buildForwarder(StringRef symbol, LLVM::LLVMFunctionType type,
                 llvm::function_ref<Value(OpBuilder &, ValueRange)> forward);
  /// The declaration of external function `symbol`.
  LLVM::LLVMFuncOp getDeclaration(StringRef symbol,
                                  LLVM::LLVMFunctionType type);

  Value constant(Type type, int64_t value) {
    return builder.create<LLVM::ConstantOp>(
        module.getLoc(), type, builder.getIntegerAttr(type, value));
  }

  ModuleOp module;
  const CEntryShape &shape;
  OpBuilder builder;
  Type ptr, i1, i32, i64;
};
} // namespace

LLVM::LLVMFuncOp CEntryBuilder::getDeclaration(StringRef symbol,
                                               LLVM::LLVMFunctionType type) {
  if (auto existing = module.lookupSymbol<LLVM::LLVMFuncOp>(symbol))
    return existing;
  OpBuilder moduleBuilder(module.getBodyRegion());
  moduleBuilder.setInsertionPointToStart(module.getBody());
  return moduleBuilder.create<LLVM::LLVMFuncOp>(module.getLoc(), symbol, type);
}

void CEntryBuilder::buildForwarder(
    StringRef symbol, LLVM::LLVMFunctionType type,
    llvm::function_ref<Value(OpBuilder &, ValueRange)> forward) {
  builder.setInsertionPointToEnd(module.getBody());
  auto function =
      builder.create<LLVM::LLVMFuncOp>(module.getLoc(), symbol, type);
  Block *body = function.addEntryBlock(builder);
  builder.setInsertionPointToStart(body);
  Value result = forward(builder, body->getArguments());
  builder.create<LLVM::ReturnOp>(module.getLoc(),
                                 result ? ValueRange(result) : ValueRange());
}

LLVM::LLVMFuncOp CEntryBuilder::buildInvoke(StringRef symbol,
                                            LLVM::LLVMFuncOp callee) {
  Location loc = callee.getLoc();
  builder.setInsertionPointToEnd(module.getBody());
  auto function = builder.create<LLVM::LLVMFuncOp>(
      loc, symbol, LLVM::LLVMFunctionType::get(i32, {ptr, ptr, i32, ptr, i64}),
      LLVM::Linkage::Internal);
  Block *entry = function.addEntryBlock(builder);
  Block *reject = function.addBlock();
  Block *run = function.addBlock();
  Value input = entry->getArgument(0), output = entry->getArgument(1),
        batch = entry->getArgument(2), workspace = entry->getArgument(3),
        workspaceBytes = entry->getArgument(4);

  builder.setInsertionPointToStart(entry);
  Value null = builder.create<LLVM::ZeroOp>(loc, ptr);
  Value badBatch =
      shape.dynamicBatch
          ? builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::slt, batch,
                                         constant(i32, 1))
          : builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne, batch,
                                         constant(i32, shape.input[0]));
  Value bad = builder.create<LLVM::OrOp>(
      loc, i1,
      builder.create<LLVM::OrOp>(
          loc, i1,
          builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, input,
                                       null),
          builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq, output,
                                       null)),
      badBatch);
  builder.create<LLVM::CondBrOp>(loc, bad, reject, run);

  builder.setInsertionPointToStart(reject);
  builder.create<LLVM::ReturnOp>(loc, constant(i32, -1));

  // The spread descriptors of MemRefDescriptor, with the batch as size 0.
  builder.setInsertionPointToStart(run);
  Value items = builder.create<LLVM::SExtOp>(loc, i64, batch);
  SmallVector<Value> operands;
  auto addDescriptor = [&](Value data, ArrayRef<int64_t> dims) {
    operands.append({data, data, constant(i64, 0), items});
    for (int64_t d : dims.drop_front())
      operands.push_back(constant(i64, d));
    for (int64_t s : getRowMajorStrides(dims))
      operands.push_back(constant(i64, s));
  };
  addDescriptor(input, shape.input);
  addDescriptor(output, shape.output);
  operands.append({workspace, workspace, constant(i64, 0), workspaceBytes,
                   constant(i64, 1)});
  builder.create<LLVM::CallOp>(loc, callee, operands);
  auto *dialect = module.getContext()->getOrLoadDialect<QCDialect>();
  if (!dialect->getRuntimeCallsAttrHelper().getAttr(module)) {
    builder.create<LLVM::ReturnOp>(loc, constant(i32, 0));
    return function;
  }
  // A ukernel that failed wrote nothing and recorded its status for this
  // thread: report it as -2 (and clear it for the next call).
  auto takeStatus =
      getDeclaration(kTakeStatusCall, LLVM::LLVMFunctionType::get(i32, {}));
  Value status =
      builder.create<LLVM::CallOp>(loc, takeStatus, ValueRange()).getResult();
  Value failed = builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne,
                                              status, constant(i32, 0));
  builder.create<LLVM::ReturnOp>(
      loc, builder.create<LLVM::SelectOp>(loc, failed, constant(i32, -2),
                                          constant(i32, 0)));
  return function;
}

LogicalResult mlir::qc::addCEntryPoint(ModuleOp module, StringRef name,
                                       const CEntryShape &shape) {
  auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(kEntryPointName);
  if (!callee || callee.isExternal())
    return module.emitError() << "no lowered '" << kEntryPointName
                              << "' to wrap in a C entry point";
  std::vector<std::string> names = getCExportedNames(name);
  std::string invokeName = (name + "_invoke").str();
  for (StringRef symbol : {names[0], names[1], names[2], names[3], invokeName})
    if (module.lookupSymbol(symbol))
      return module.emitError() << "the model already defines a symbol '"
                                << symbol << "'; choose another library name";
  CEntryBuilder b(module, shape);
  Type ptr = b.ptr, i32 = b.i32, i64 = b.i64;
  // A memref spreads into two pointers, the offset, the sizes and the
  // strides; the workspace is the last, of rank 1.
  SmallVector<Type> descriptorTypes;
  for (size_t rank : {shape.input.size(), shape.output.size(), size_t(1)}) {
    descriptorTypes.append({ptr, ptr});
    descriptorTypes.append(1 + 2 * rank, i64);
  }
  if (callee.getFunctionType().getParams() != ArrayRef(descriptorTypes))
    return callee.emitError()
           << "does not take an input and an output memref descriptor of "
           << "ranks " << shape.input.size() << " and " << shape.output.size()
           << " and a workspace";

  LLVM::LLVMFuncOp invoke = b.buildInvoke(invokeName, callee);
  WorkspaceSize workspace = getWorkspaceSize(module);
  Location loc = module.getLoc();
  using FnType = LLVM::LLVMFunctionType;

  b.buildForwarder(names[0], FnType::get(i32, {ptr, ptr, i32}),
                   [&](OpBuilder &builder, ValueRange args) -> Value {
                     Value null = builder.create<LLVM::ZeroOp>(loc, ptr);
                     return builder
                         .create<LLVM::CallOp>(loc, invoke,
                                               ValueRange{args[0], args[1],
                                                          args[2], null,
                                                          b.constant(i64, 0)})
                         .getResult();
                   });
  auto create = b.getDeclaration(kContextCreateCall,
                                 FnType::get(ptr, {i32, i32, i64, i64, i32}));
  b.buildForwarder(
      names[1], FnType::get(ptr, {i32, i32}),
      [&](OpBuilder &builder, ValueRange args) -> Value {
        return builder
            .create<LLVM::CallOp>(
                loc, create,
                ValueRange{
                    args[0], args[1], b.constant(i64, workspace.perItem),
                    b.constant(i64, workspace.slack),
                    b.constant(i32, shape.dynamicBatch ? 0 : shape.input[0])})
            .getResult();
      });
  auto runContext = b.getDeclaration(
      kContextRunCall, FnType::get(i32, {ptr, ptr, ptr, ptr, i32, i64, i64}));
  b.buildForwarder(
      names[2], FnType::get(i32, {ptr, ptr, ptr, i32}),
      [&](OpBuilder &builder, ValueRange args) -> Value {
        Value invokeAddress = builder.create<LLVM::AddressOfOp>(loc, invoke);
        return builder
            .create<LLVM::CallOp>(
                loc, runContext,
                ValueRange{args[0], invokeAddress, args[1], args[2], args[3],
                           b.constant(i64, getItemSize(shape.input)),
                           b.constant(i64, getItemSize(shape.output))})
            .getResult();
      });
  auto destroy = b.getDeclaration(
      kContextDestroyCall,
      FnType::get(LLVM::LLVMVoidType::get(module.getContext()), {ptr}));
  b.buildForwarder(
      names[3],
      FnType::get(LLVM::LLVMVoidType::get(module.getContext()), {ptr}),
      [&](OpBuilder &builder, ValueRange args) -> Value {
        builder.create<LLVM::CallOp>(loc, destroy, args);
        return {};
      });
  return success();
}

std::string mlir::qc::makeCHeader(StringRef name, StringRef source,
                                  const CEntryShape &shape) {
  std::string upper = name.upper();
  std::string guard = "QC_" + upper + "_H", run = getCEntryPointName(name);
  std::string text;
  llvm::raw_string_ostream os(text);
  auto printItemShape = [&](ArrayRef<int64_t> dims) {
    os << "(batch";
    for (int64_t d : dims.drop_front())
      os << ", " << d;
    os << ")";
  };
  os << "/* " << name << ".h - generated by qcc from " << source << ". */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "/* Floats per item of the input and of the output (the batch\n"
     << "   dimension excluded). */\n"
     << "#define " << upper << "_INPUT_SIZE " << getItemSize(shape.input)
     << "\n#define " << upper << "_OUTPUT_SIZE " << getItemSize(shape.output)
     << "\n/* Items per call: 0 when the batch is free, else the fixed batch. "
        "*/\n#define "
     << upper << "_BATCH " << (shape.dynamicBatch ? 0 : shape.input[0])
     << "\n\n/* Runs the model on `batch` items. `input` holds batch *\n   "
     << upper << "_INPUT_SIZE floats, row-major with shape ";
  printItemShape(shape.input);
  os << ",\n   and `output` receives batch * " << upper
     << "_OUTPUT_SIZE floats, shape ";
  printItemShape(shape.output);
  os << ".\n   Returns 0 on success, -1 on a null pointer or a batch the "
        "model cannot\n   take, -2 when a runtime kernel failed (output not "
        "valid). Safe to call\n   from several threads at once. */\n"
     << "int " << run << "(const float *input, float *output, int batch);\n\n"
     << "/* The context API: a context owns the scratch memory of runs of up "
        "to\n   `max_batch` items, allocated once, and runs on `threads` "
        "threads: a batch\n   is split into slices, and the kernels split "
        "layers when there are fewer\n   items than threads. Create returns "
        "NULL on invalid\n   arguments (max_batch or threads below 1, a "
        "max_batch "
        "other than a fixed\n   batch) or when memory runs out. run_context "
        "allocates nothing and returns\n   as "
     << run
     << ", and -1 also on a null context or a batch above max_batch.\n"
        "   A context runs one call at a time; distinct contexts may run "
        "at once. */\n"
     << "typedef struct " << name << "_context " << name << "_context;\n"
     << name << "_context *" << name << "_create(int max_batch, int threads);\n"
     << "int " << name << "_run_context(" << name
     << "_context *context, const float *input,\n    float *output, int "
        "batch);\n"
     << "void " << name << "_destroy(" << name << "_context *context);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return text;
}
