//===- ONNXImporter.cpp - ONNX model to MLIR ------------------------------===//
//
// The driver of the ONNX importer: parses the ModelProto with libonnx's
// protobuf classes, checks the graph (every unsupported node and dangling
// name is reported in one run), binds graph inputs and initializers, imports
// the nodes in order through the per-op-group importers and returns the
// verified module. Also holds the node state the op groups read (inputs,
// attributes, outputs) and the `--import-onnx` translation registration.
// Tensor conversion is in ImportTensors.cpp, the building blocks and their
// constant folding in GraphBuilders.cpp.
//
//===----------------------------------------------------------------------===//

#include "lowering/ONNXToTOSA/ONNXImporter.h"
#include "lowering/ONNXToTOSA/GraphImporter.h"

#include "dialects/QC/QCDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/QuantOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/SourceMgr.h"

#include <climits>
#include <cstring>

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::onnx_import;

/// The newest opset of the default domain the importer knows (ONNX 1.16).
/// Newer opsets may change an op's semantics, so they are rejected rather
/// than imported under older rules.
static constexpr int64_t kNewestDefaultOpset = 21;
/// Custom domains (QONNX, FINN) have versioned their ops up to 1 so far.
static constexpr int64_t kNewestCustomOpset = 1;

/// Elements a single tensor may hold; larger dims are reported rather than
/// allocated.

//===----------------------------------------------------------------------===//
// GraphImporter: construction and the node being imported
//===----------------------------------------------------------------------===//

GraphImporter::GraphImporter(MLIRContext *context, StringRef filename,
                             const onnx::ModelProto &model)
    : context(context), filename(filename.str()), model(model),
      builder(context), loc(FileLineColLoc::get(context, filename, 0, 0)) {}

int64_t GraphImporter::getOpsetFor(StringRef domain) const {
  for (const onnx::OperatorSetIdProto &opset : model.opset_import()) {
    if (isDefaultDomain(domain) ? isDefaultDomain(opset.domain())
                                : opset.domain() == domain)
      return opset.version();
  }
  return 0;
}

Location GraphImporter::getNodeLoc(const onnx::NodeProto &nodeProto,
                                   int index) {
  std::string name = nodeProto.name();
  if (name.empty())
    name = nodeProto.op_type() + "#" + std::to_string(index);
  return NameLoc::get(StringAttr::get(context, name),
                      FileLineColLoc::get(context, filename, 0, 0));
}

InFlightDiagnostic GraphImporter::emitNodeError() {
  InFlightDiagnostic diag = emitError(loc);
  diag << "node '" << node->name() << "' (" << node->op_type() << "): ";
  return diag;
}

bool GraphImporter::hasInput(unsigned index) const {
  return index < static_cast<unsigned>(node->input_size()) &&
         !node->input(index).empty();
}

DenseElementsAttr GraphImporter::lookupConstant(StringRef name) {
  auto it = constants.find(name);
  if (it != constants.end())
    return it->second;
  auto init = initializers.find(name);
  if (init == initializers.end())
    return {};
  FailureOr<DenseElementsAttr> converted = convertTensor(*init->second);
  if (failed(converted))
    return {};
  constants[name] = *converted;
  return *converted;
}

DenseElementsAttr GraphImporter::getConstantInput(unsigned index) {
  if (!hasInput(index))
    return {};
  return lookupConstant(node->input(index));
}

FailureOr<Value> GraphImporter::getInput(unsigned index) {
  if (!hasInput(index)) {
    emitNodeError() << "missing required input #" << index;
    return failure();
  }
  const std::string &name = node->input(index);
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  bool isConstant = constants.count(name) || initializers.count(name);
  if (DenseElementsAttr value = lookupConstant(name))
    return createConstant(value);
  if (shapeValues.count(name)) {
    emitNodeError() << "input '" << name
                    << "' is a shape computed from dynamic extents; only "
                       "Reshape, Gather, Squeeze, Unsqueeze, Concat and Cast "
                       "accept it";
    return failure();
  }
  // An initializer that failed to convert has been reported already.
  if (!isConstant)
    emitNodeError() << "input '" << name << "' is not defined";
  return failure();
}

RankedTensorType GraphImporter::getInputType(unsigned index) {
  if (!hasInput(index))
    return {};
  const std::string &name = node->input(index);
  auto it = values.find(name);
  if (it != values.end())
    return dyn_cast<RankedTensorType>(it->second.getType());
  if (DenseElementsAttr value = lookupConstant(name))
    return cast<RankedTensorType>(value.getType());
  return {};
}

std::optional<GraphImporter::SymbolicShape>
GraphImporter::getShapeInput(unsigned index) {
  if (!hasInput(index))
    return std::nullopt;
  auto it = shapeValues.find(node->input(index));
  if (it != shapeValues.end())
    return it->second;
  DenseElementsAttr value = getConstantInput(index);
  if (!value || value.getType().getRank() > 1 ||
      !isa<IntegerType>(value.getElementType()))
    return std::nullopt;
  SymbolicShape shape;
  shape.isScalar = value.getType().getRank() == 0;
  for (const APInt &v : value.getValues<APInt>()) {
    ShapeElement element;
    element.value = value.getElementType().isUnsignedInteger()
                        ? static_cast<int64_t>(v.getZExtValue())
                        : v.getSExtValue();
    shape.elements.push_back(element);
  }
  return shape;
}

void GraphImporter::setShapeOutput(unsigned index, SymbolicShape shape) {
  if (index >= static_cast<unsigned>(node->output_size()) ||
      node->output(index).empty())
    return;
  if (llvm::all_of(shape.elements,
                   [](const ShapeElement &e) { return e.isKnown(); })) {
    SmallVector<int64_t> known;
    for (const ShapeElement &e : shape.elements)
      known.push_back(e.value);
    SmallVector<int64_t> dims;
    if (!shape.isScalar)
      dims.push_back(known.size());
    setConstantOutput(index,
                      DenseElementsAttr::get(
                          RankedTensorType::get(dims, builder.getI64Type()),
                          ArrayRef<int64_t>(known)));
    return;
  }
  shapeValues[node->output(index)] = std::move(shape);
}

void GraphImporter::setOutput(unsigned index, Value value) {
  if (index >= static_cast<unsigned>(node->output_size()) ||
      node->output(index).empty())
    return;
  if (auto constOp = value.getDefiningOp<tosa::ConstOp>()) {
    if (auto dense = dyn_cast<DenseElementsAttr>(constOp.getValue())) {
      setConstantOutput(index, dense);
      if (constOp->use_empty())
        constOp->erase();
      return;
    }
  }
  values[node->output(index)] = value;
}

void GraphImporter::setConstantOutput(unsigned index, DenseElementsAttr value) {
  if (index >= static_cast<unsigned>(node->output_size()) ||
      node->output(index).empty())
    return;
  constants[node->output(index)] = value;
}

unsigned GraphImporter::getNumUsedOutputs() const {
  return llvm::count_if(node->output(),
                        [](const std::string &name) { return !name.empty(); });
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *GraphImporter::findAttr(StringRef name) const {
  for (const onnx::AttributeProto &attr : node->attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

/// Whether `attr` is of `type`; old exporters leave `type` unset, so the
/// presence of the matching field counts too.
static bool attrIs(const onnx::AttributeProto &attr,
                   onnx::AttributeProto::AttributeType type) {
  if (attr.type() == type)
    return true;
  if (attr.type() != onnx::AttributeProto::UNDEFINED)
    return false;
  switch (type) {
  case onnx::AttributeProto::INT:
    return attr.has_i();
  case onnx::AttributeProto::FLOAT:
    return attr.has_f();
  case onnx::AttributeProto::STRING:
    return attr.has_s();
  case onnx::AttributeProto::INTS:
    return attr.ints_size() > 0;
  case onnx::AttributeProto::FLOATS:
    return attr.floats_size() > 0;
  case onnx::AttributeProto::TENSOR:
    return attr.has_t();
  default:
    return false;
  }
}

int64_t GraphImporter::getIntAttr(StringRef name, int64_t defaultValue) {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return defaultValue;
  if (!attrIs(*attr, onnx::AttributeProto::INT)) {
    emitNodeError() << "attribute '" << name << "' must be an integer";
    attrError = true;
    return defaultValue;
  }
  return attr->i();
}

bool GraphImporter::getBoolAttr(StringRef name, bool defaultValue) {
  int64_t value = getIntAttr(name, defaultValue ? 1 : 0);
  if (value != 0 && value != 1 && !attrError) {
    emitNodeError() << "attribute '" << name << "' must be 0 or 1, got "
                    << value;
    attrError = true;
  }
  return value == 1;
}

float GraphImporter::getFloatAttr(StringRef name, float defaultValue) {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return defaultValue;
  if (!attrIs(*attr, onnx::AttributeProto::FLOAT)) {
    emitNodeError() << "attribute '" << name << "' must be a float";
    attrError = true;
    return defaultValue;
  }
  return attr->f();
}

std::string GraphImporter::getStringAttr(StringRef name,
                                         StringRef defaultValue) {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return defaultValue.str();
  if (!attrIs(*attr, onnx::AttributeProto::STRING)) {
    emitNodeError() << "attribute '" << name << "' must be a string";
    attrError = true;
    return defaultValue.str();
  }
  return attr->s();
}

std::optional<SmallVector<int64_t>> GraphImporter::getIntsAttr(StringRef name) {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return std::nullopt;
  if (!attrIs(*attr, onnx::AttributeProto::INTS)) {
    emitNodeError() << "attribute '" << name << "' must be a list of integers";
    attrError = true;
    return std::nullopt;
  }
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

std::optional<SmallVector<float>> GraphImporter::getFloatsAttr(StringRef name) {
  const onnx::AttributeProto *attr = findAttr(name);
  if (!attr)
    return std::nullopt;
  if (!attrIs(*attr, onnx::AttributeProto::FLOATS)) {
    emitNodeError() << "attribute '" << name << "' must be a list of floats";
    attrError = true;
    return std::nullopt;
  }
  return SmallVector<float>(attr->floats().begin(), attr->floats().end());
}

//===----------------------------------------------------------------------===//
// Graph import
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::checkGraph() {
  const onnx::GraphProto &graph = model.graph();
  bool ok = true;
  llvm::StringSet<> defined;
  for (const onnx::ValueInfoProto &input : graph.input())
    defined.insert(input.name());
  for (const onnx::TensorProto &init : graph.initializer())
    defined.insert(init.name());
  for (const onnx::SparseTensorProto &init : graph.sparse_initializer()) {
    emitError(loc) << "sparse initializer '" << init.values().name()
                   << "' is not supported";
    ok = false;
  }
  for (const onnx::OperatorSetIdProto &opset : model.opset_import()) {
    StringRef domain = opset.domain().empty() ? StringRef("ai.onnx")
                                              : StringRef(opset.domain());
    // Domains the importer has no ops of only need a valid version; their
    // nodes are reported as unsupported.
    int64_t newest = isDefaultDomain(opset.domain()) ? kNewestDefaultOpset
                     : isQONNXDomain(opset.domain()) ? kNewestCustomOpset
                                                     : INT64_MAX;
    if (opset.version() < 1 || opset.version() > newest) {
      InFlightDiagnostic diag = emitError(loc);
      diag << "the model imports opset " << opset.version() << " of domain '"
           << domain << "'";
      if (newest != INT64_MAX)
        diag << "; this importer knows opsets 1 to " << newest;
      ok = false;
    }
  }
  for (auto [index, nodeProto] : llvm::enumerate(graph.node())) {
    Location nodeLoc = getNodeLoc(nodeProto, index);
    StringRef domain =
        nodeProto.domain().empty() ? "ai.onnx" : StringRef(nodeProto.domain());
    if (!findHandler(nodeProto)) {
      emitError(nodeLoc) << "unsupported ONNX op '" << nodeProto.op_type()
                         << "' (domain '" << domain << "', opset "
                         << getOpsetFor(nodeProto.domain()) << ") in node '"
                         << nodeProto.name() << "'";
      ok = false;
    } else if (failed(checkNodeSignature(nodeProto, nodeLoc))) {
      ok = false;
    } else if (isDefaultDomain(nodeProto.domain()) && defaultOpset == 0) {
      emitError(nodeLoc) << "node '" << nodeProto.name() << "' ("
                         << nodeProto.op_type()
                         << "): the model imports no opset of the default "
                            "ONNX domain";
      ok = false;
    }
    for (const std::string &input : nodeProto.input()) {
      if (input.empty() || defined.contains(input))
        continue;
      emitError(nodeLoc) << "node '" << nodeProto.name() << "' ("
                         << nodeProto.op_type() << ") uses '" << input
                         << "', which is not a graph input, an initializer "
                            "or the output of an earlier node";
      ok = false;
    }
    for (const std::string &output : nodeProto.output())
      if (!output.empty())
        defined.insert(output);
  }
  for (const onnx::ValueInfoProto &output : graph.output()) {
    if (defined.contains(output.name()))
      continue;
    emitError(loc) << "graph output '" << output.name()
                   << "' is not produced by any node";
    ok = false;
  }
  return success(ok);
}

FailureOr<RankedTensorType>
GraphImporter::convertValueInfo(const onnx::ValueInfoProto &info) {
  Location infoLoc = NameLoc::get(StringAttr::get(context, info.name()), loc);
  if (!info.type().has_tensor_type()) {
    emitError(infoLoc) << "graph input '" << info.name() << "' is not a tensor";
    return failure();
  }
  const onnx::TypeProto::Tensor &tensorType = info.type().tensor_type();
  Type elementType = convertDataType(context, tensorType.elem_type());
  if (!elementType) {
    emitError(infoLoc) << "graph input '" << info.name()
                       << "' has unsupported element type "
                       << getDataTypeName(tensorType.elem_type());
    return failure();
  }
  if (!tensorType.has_shape()) {
    emitError(infoLoc) << "graph input '" << info.name()
                       << "' has no shape; the importer needs the rank";
    return failure();
  }
  SmallVector<int64_t> shape;
  for (const onnx::TensorShapeProto::Dimension &dim :
       tensorType.shape().dim()) {
    if (dim.has_dim_value() && dim.dim_value() > 0)
      shape.push_back(dim.dim_value());
    else if (dim.has_dim_value() && dim.dim_value() <= 0) {
      emitError(infoLoc) << "graph input '" << info.name()
                         << "' has an empty or negative extent "
                         << dim.dim_value()
                         << "; zero-sized tensors are not supported";
      return failure();
    } else
      shape.push_back(ShapedType::kDynamic);
  }
  return RankedTensorType::get(shape, elementType);
}

LogicalResult
GraphImporter::checkDeclaredOutput(const onnx::ValueInfoProto &output,
                                   Value value) {
  if (!output.type().has_tensor_type())
    return success();
  Location outputLoc =
      NameLoc::get(StringAttr::get(context, output.name()), loc);
  auto type = cast<RankedTensorType>(value.getType());
  const onnx::TypeProto::Tensor &declared = output.type().tensor_type();
  if (declared.elem_type() != onnx::TensorProto::UNDEFINED) {
    Type element = convertDataType(context, declared.elem_type());
    if (element != type.getElementType()) {
      std::string computed;
      llvm::raw_string_ostream os(computed);
      os << type.getElementType();
      emitError(outputLoc) << "graph output '" << output.name()
                           << "' is declared "
                           << getDataTypeName(declared.elem_type())
                           << " but the graph computes " << computed;
      return failure();
    }
  }
  if (!declared.has_shape())
    return success();
  const auto &dims = declared.shape().dim();
  bool mismatch = dims.size() != type.getRank();
  for (int i = 0; !mismatch && i < dims.size(); ++i) {
    int64_t extent = type.getDimSize(i);
    if (dims[i].has_dim_value() && !ShapedType::isDynamic(extent) &&
        dims[i].dim_value() != extent)
      mismatch = true;
  }
  if (mismatch) {
    std::string declaredShape = "[";
    for (int i = 0; i < dims.size(); ++i)
      declaredShape += (i ? ", " : "") +
                       (dims[i].has_dim_value()
                            ? std::to_string(dims[i].dim_value())
                            : std::string("?"));
    emitError(outputLoc) << "graph output '" << output.name()
                         << "' is declared with shape " << declaredShape
                         << "] but the graph computes "
                         << formatShape(type.getShape());
    return failure();
  }
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::import() {
  const onnx::GraphProto &graph = model.graph();
  defaultOpset = getOpsetFor("");
  for (const onnx::TensorProto &init : graph.initializer())
    initializers[init.name()] = &init;
  if (failed(checkGraph()))
    return {};

  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  if (!graph.name().empty())
    (*module)->setAttr("onnx.graph_name", builder.getStringAttr(graph.name()));

  // Graph inputs that are initializers are overridable defaults: they stay
  // constants, as in ONNX runtimes that do not override them.
  SmallVector<Type> argTypes;
  SmallVector<const onnx::ValueInfoProto *> args;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializers.count(input.name()))
      continue;
    FailureOr<RankedTensorType> type = convertValueInfo(input);
    if (failed(type))
      return {};
    argTypes.push_back(*type);
    args.push_back(&input);
  }

  builder.setInsertionPointToEnd(module->getBody());
  auto func = builder.create<func::FuncOp>(
      loc, "main", builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [index, info] : llvm::enumerate(args)) {
    BlockArgument arg = body->getArgument(index);
    arg.setLoc(NameLoc::get(StringAttr::get(context, info->name()), loc));
    func.setArgAttr(index, "onnx.name", builder.getStringAttr(info->name()));
    values[info->name()] = arg;
  }

  builder.setInsertionPointToEnd(body);
  for (auto [index, nodeProto] : llvm::enumerate(graph.node())) {
    node = &nodeProto;
    loc = getNodeLoc(nodeProto, index);
    attrError = false;
    Handler handler = findHandler(nodeProto);
    if (failed((this->*handler)()) || attrError)
      return {};
  }

  loc = FileLineColLoc::get(context, filename, 0, 0);
  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    Value value;
    auto it = values.find(output.name());
    if (it != values.end())
      value = it->second;
    else if (DenseElementsAttr constant = lookupConstant(output.name()))
      value = createConstant(constant);
    else
      return {};
    if (failed(checkDeclaredOutput(output, value)))
      return {};
    results.push_back(value);
    resultTypes.push_back(value.getType());
  }
  builder.create<func::ReturnOp>(loc, results);
  func.setType(builder.getFunctionType(argTypes, resultTypes));
  for (auto [index, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(index, "onnx.name",
                       builder.getStringAttr(output.name()));
  if (requiredBatch) {
    auto *dialect = context->getLoadedDialect<QCDialect>();
    dialect->getRequiredBatchAttrHelper().setAttr(
        func, builder.getI64IntegerAttr(*requiredBatch));
    dialect->getRequiredBatchNodeAttrHelper().setAttr(
        func, builder.getStringAttr(requiredBatchNode));
  }

  if (failed(verify(*module)))
    return {};
  return module;
}

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

void mlir::qc::registerImportONNXDialects(DialectRegistry &registry) {
  registry.insert<func::FuncDialect, tosa::TosaDialect, arith::ArithDialect,
                  tensor::TensorDialect, quant::QuantizationDialect>();
  registerQCDialect(registry);
}

OwningOpRef<ModuleOp> mlir::qc::importONNXModel(StringRef bytes,
                                                StringRef filename,
                                                MLIRContext *context) {
  DialectRegistry registry;
  registerImportONNXDialects(registry);
  context->appendDialectRegistry(registry);
  context->loadDialect<func::FuncDialect, tosa::TosaDialect,
                       arith::ArithDialect, tensor::TensorDialect,
                       quant::QuantizationDialect, QCDialect>();

  Location fileLoc = FileLineColLoc::get(context, filename, 0, 0);
  if (bytes.empty()) {
    emitError(fileLoc) << "not a valid ONNX ModelProto: the file is empty";
    return {};
  }
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    emitError(fileLoc) << "ONNX file is larger than 2 GiB; protobuf cannot "
                          "parse it (use external data, which the importer "
                          "does not support either)";
    return {};
  }
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    emitError(fileLoc) << "not a valid ONNX ModelProto: protobuf parsing "
                          "failed (truncated or corrupt file?)";
    return {};
  }
  if (model.ir_version() <= 0 || !model.has_graph()) {
    emitError(fileLoc) << "not a valid ONNX ModelProto: "
                       << (model.ir_version() <= 0 ? "no ir_version"
                                                   : "no graph");
    return {};
  }
  GraphImporter importer(context, filename, model);
  return importer.import();
}

void mlir::qc::registerImportONNXTranslation() {
  TranslateToMLIRRegistration registration(
      "import-onnx", "Import an ONNX model (func + TOSA, qc for quantized ops)",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        OwningOpRef<ModuleOp> module = importONNXModel(
            buffer->getBuffer(), buffer->getBufferIdentifier(), context);
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registerImportONNXDialects(registry); });
}
