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

LogicalResult mlir::qc::addCEntryPoint(ModuleOp module, StringRef name,
                                       const CEntryShape &shape) {
  std::string symbol = getCEntryPointName(name);
  auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(kEntryPointName);
  if (!callee || callee.isExternal())
    return module.emitError() << "no lowered '" << kEntryPointName
                              << "' to wrap in a C entry point";
  if (module.lookupSymbol(symbol))
    return module.emitError() << "the model already defines a symbol '"
                              << symbol << "'; choose another library name";
  MLIRContext *context = module.getContext();
  OpBuilder builder(context);
  auto ptrType = LLVM::LLVMPointerType::get(context);
  Type i1 = builder.getI1Type(), i32 = builder.getI32Type(),
       i64 = builder.getI64Type();
  // A memref spreads into two pointers, the offset, the sizes and the
  // strides.
  SmallVector<Type> descriptorTypes;
  for (size_t rank : {shape.input.size(), shape.output.size()}) {
    descriptorTypes.append({ptrType, ptrType});
    descriptorTypes.append(1 + 2 * rank, i64);
  }
  if (callee.getFunctionType().getParams() != ArrayRef(descriptorTypes))
    return callee.emitError()
           << "does not take an input and an output memref descriptor of "
           << "ranks " << shape.input.size() << " and " << shape.output.size();

  builder.setInsertionPointToEnd(module.getBody());
  Location loc = callee.getLoc();
  auto function = builder.create<LLVM::LLVMFuncOp>(
      loc, symbol, LLVM::LLVMFunctionType::get(i32, {ptrType, ptrType, i32}));
  Block *entry = function.addEntryBlock(builder);
  Block *reject = function.addBlock();
  Block *run = function.addBlock();
  Value input = entry->getArgument(0), output = entry->getArgument(1),
        batch = entry->getArgument(2);

  auto constant = [&](Type type, int64_t value) -> Value {
    return builder.create<LLVM::ConstantOp>(
        loc, type, builder.getIntegerAttr(type, value));
  };
  builder.setInsertionPointToStart(entry);
  Value null = builder.create<LLVM::ZeroOp>(loc, ptrType);
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
  builder.create<LLVM::CallOp>(loc, callee, operands);
  auto *dialect = context->getOrLoadDialect<QCDialect>();
  if (!dialect->getRuntimeCallsAttrHelper().getAttr(module)) {
    builder.create<LLVM::ReturnOp>(loc, constant(i32, 0));
    return success();
  }
  // A ukernel that failed wrote nothing and recorded its status for this
  // thread: report it as -2 (and clear it for the next call).
  auto takeStatus = module.lookupSymbol<LLVM::LLVMFuncOp>(kTakeStatusCall);
  if (!takeStatus) {
    OpBuilder moduleBuilder(module.getBodyRegion());
    moduleBuilder.setInsertionPointToStart(module.getBody());
    takeStatus = moduleBuilder.create<LLVM::LLVMFuncOp>(
        loc, kTakeStatusCall, LLVM::LLVMFunctionType::get(i32, {}));
  }
  Value status = builder.create<LLVM::CallOp>(loc, takeStatus, ValueRange())
                     .getResult();
  Value failed = builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::ne,
                                              status, constant(i32, 0));
  builder.create<LLVM::ReturnOp>(
      loc, builder.create<LLVM::SelectOp>(loc, failed, constant(i32, -2),
                                          constant(i32, 0)));
  return success();
}

/// Floats per item: the product of all dimensions but the batch.
static int64_t getItemSize(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape.drop_front())
    n *= d;
  return n;
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
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return text;
}
