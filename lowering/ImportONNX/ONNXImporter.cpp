//===- ONNXImporter.cpp - ONNX model to MLIR ------------------------------===//
//
// The driver of the ONNX importer: parses the ModelProto with libonnx's
// protobuf classes, checks the graph (every unsupported node and dangling
// name is reported in one run), binds graph inputs and initializers, imports
// the nodes in order through the per-op-group importers and returns the
// verified module. Also holds the building blocks the op groups share and
// the `--import-onnx` translation registration.
//
//===----------------------------------------------------------------------===//

#include "lowering/ImportONNX/ONNXImporter.h"
#include "lowering/ImportONNX/GraphImporter.h"

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

/// Elements a single tensor may hold; larger dims are reported rather than
/// allocated.
static constexpr int64_t kMaxElements = int64_t(1) << 32;

/// The domains QONNX and FINN custom ops are exported under.
static bool isQONNXDomain(StringRef domain) {
  return domain == "qonnx.custom_op.general" ||
         domain == "finn.custom_op.general" || domain == "onnx.brevitas";
}

static bool isDefaultDomain(StringRef domain) {
  return domain.empty() || domain == "ai.onnx";
}

std::string onnx_import::formatShape(ArrayRef<int64_t> shape) {
  std::string result = "[";
  llvm::raw_string_ostream os(result);
  llvm::interleave(
      shape,
      [&](int64_t dim) {
        if (ShapedType::isDynamic(dim))
          os << "?";
        else
          os << dim;
      },
      [&] { os << ", "; });
  os << "]";
  return result;
}

Type onnx_import::convertDataType(MLIRContext *context, int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return Float32Type::get(context);
  case onnx::TensorProto::DOUBLE:
    return Float64Type::get(context);
  case onnx::TensorProto::FLOAT16:
    return Float16Type::get(context);
  case onnx::TensorProto::BFLOAT16:
    return BFloat16Type::get(context);
  case onnx::TensorProto::BOOL:
    return IntegerType::get(context, 1);
  case onnx::TensorProto::INT8:
    return IntegerType::get(context, 8);
  case onnx::TensorProto::INT16:
    return IntegerType::get(context, 16);
  case onnx::TensorProto::INT32:
    return IntegerType::get(context, 32);
  case onnx::TensorProto::INT64:
    return IntegerType::get(context, 64);
  case onnx::TensorProto::UINT8:
    return IntegerType::get(context, 8, IntegerType::Unsigned);
  case onnx::TensorProto::UINT16:
    return IntegerType::get(context, 16, IntegerType::Unsigned);
  case onnx::TensorProto::UINT32:
    return IntegerType::get(context, 32, IntegerType::Unsigned);
  case onnx::TensorProto::UINT64:
    return IntegerType::get(context, 64, IntegerType::Unsigned);
  default:
    return {};
  }
}

static std::string dataTypeName(int32_t dataType) {
  if (onnx::TensorProto_DataType_IsValid(dataType))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(dataType));
  return "data type " + std::to_string(dataType);
}

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
// Tensor conversion
//===----------------------------------------------------------------------===//

/// Builds the attribute from typed field values, one per element.
template <typename T, typename Field>
static DenseElementsAttr fromField(RankedTensorType type, const Field &field) {
  SmallVector<T> data(field.begin(), field.end());
  return DenseElementsAttr::get(type, ArrayRef<T>(data));
}

/// Integer elements stored in `int32_data` (or `int64_data`/`uint64_data`),
/// truncated to the element width as ONNX specifies.
template <typename Field>
static DenseElementsAttr fromIntField(RankedTensorType type,
                                      const Field &field) {
  unsigned width = type.getElementTypeBitWidth();
  bool isSigned = !type.getElementType().isUnsignedInteger();
  SmallVector<APInt> data;
  data.reserve(field.size());
  for (auto v : field)
    data.push_back(
        APInt(64, static_cast<uint64_t>(v), isSigned).sextOrTrunc(width));
  return DenseElementsAttr::get(type, data);
}

FailureOr<DenseElementsAttr>
GraphImporter::convertTensor(const onnx::TensorProto &tensor) {
  auto fail = [&]() -> InFlightDiagnostic {
    if (node)
      return emitNodeError() << "tensor '" << tensor.name() << "' ";
    return emitError(loc) << "tensor '" << tensor.name() << "' ";
  };
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL ||
      tensor.external_data_size() > 0) {
    fail() << "stores its data in an external file, which the importer does "
              "not read; save the model with all tensors inside it "
              "(onnx.save_model(..., save_as_external_data=False))";
    return failure();
  }
  if (tensor.has_segment()) {
    fail() << "is segmented, which is not supported";
    return failure();
  }
  Type elementType = convertDataType(context, tensor.data_type());
  if (!elementType) {
    fail() << "has unsupported element type "
           << dataTypeName(tensor.data_type());
    return failure();
  }
  SmallVector<int64_t> shape;
  int64_t numElements = 1;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0 || dim > kMaxElements || numElements * dim > kMaxElements) {
      fail() << "has an invalid or too large dimension " << dim;
      return failure();
    }
    shape.push_back(dim);
    numElements *= dim;
  }
  auto type = RankedTensorType::get(shape, elementType);
  unsigned bitWidth = elementType.getIntOrFloatBitWidth();

  if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    uint64_t byteWidth = std::max(bitWidth / 8, 1u);
    if (raw.size() != static_cast<uint64_t>(numElements) * byteWidth) {
      fail() << "has " << raw.size() << " bytes of raw data, expected "
             << numElements * byteWidth << " for shape " << formatShape(shape);
      return failure();
    }
    if (bitWidth == 1) {
      SmallVector<bool> bits;
      for (char c : raw)
        bits.push_back(c != 0);
      return DenseElementsAttr::get(type, ArrayRef<bool>(bits));
    }
    // ONNX raw data is little-endian, the layout DenseElementsAttr keeps.
    return DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(raw.data(), raw.size()));
  }

  auto checkCount = [&](int64_t count) -> LogicalResult {
    if (count == numElements)
      return success();
    fail() << "has " << count << " values for " << numElements << " elements";
    return failure();
  };
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT:
    if (failed(checkCount(tensor.float_data_size())))
      return failure();
    return fromField<float>(type, tensor.float_data());
  case onnx::TensorProto::DOUBLE:
    if (failed(checkCount(tensor.double_data_size())))
      return failure();
    return fromField<double>(type, tensor.double_data());
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16: {
    if (failed(checkCount(tensor.int32_data_size())))
      return failure();
    const llvm::fltSemantics &semantics =
        cast<FloatType>(elementType).getFloatSemantics();
    SmallVector<APFloat> data;
    for (int32_t bits : tensor.int32_data())
      data.push_back(
          APFloat(semantics, APInt(16, static_cast<uint16_t>(bits))));
    return DenseElementsAttr::get(type, data);
  }
  case onnx::TensorProto::BOOL: {
    if (failed(checkCount(tensor.int32_data_size())))
      return failure();
    SmallVector<bool> bits;
    for (int32_t v : tensor.int32_data())
      bits.push_back(v != 0);
    return DenseElementsAttr::get(type, ArrayRef<bool>(bits));
  }
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::UINT16:
    if (failed(checkCount(tensor.int32_data_size())))
      return failure();
    return fromIntField(type, tensor.int32_data());
  case onnx::TensorProto::INT64:
    if (failed(checkCount(tensor.int64_data_size())))
      return failure();
    return fromIntField(type, tensor.int64_data());
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    if (failed(checkCount(tensor.uint64_data_size())))
      return failure();
    return fromIntField(type, tensor.uint64_data());
  default:
    fail() << "has unsupported element type "
           << dataTypeName(tensor.data_type());
    return failure();
  }
}

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

Value GraphImporter::createConstant(DenseElementsAttr value) {
  return builder.create<tosa::ConstOp>(loc, value.getType(), value);
}

Value GraphImporter::createSplat(Type elementType, double value, int64_t rank) {
  auto type = RankedTensorType::get(SmallVector<int64_t>(rank, 1), elementType);
  Attribute element;
  if (isa<FloatType>(elementType))
    element = builder.getFloatAttr(elementType, value);
  else
    element = builder.getIntegerAttr(elementType, static_cast<int64_t>(value));
  return createConstant(DenseElementsAttr::get(type, element));
}

DenseElementsAttr onnx_import::getConstValue(Value value) {
  if (auto constOp = value.getDefiningOp<tosa::ConstOp>())
    return dyn_cast<DenseElementsAttr>(constOp.getValue());
  return {};
}

void onnx_import::dropIfUnused(Value value) {
  if (Operation *op = value.getDefiningOp())
    if (op->use_empty())
      op->erase();
}

Value GraphImporter::createReshape(Value input, ArrayRef<int64_t> shape) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto resultType = RankedTensorType::get(shape, inputType.getElementType());
  if (inputType == resultType)
    return input;
  if (DenseElementsAttr value = getConstValue(input)) {
    if (resultType.hasStaticShape()) {
      Value folded = createConstant(value.reshape(resultType));
      dropIfUnused(input);
      return folded;
    }
  }
  SmallVector<int64_t> newShape;
  for (int64_t dim : shape)
    newShape.push_back(ShapedType::isDynamic(dim) ? -1 : dim);
  return builder.create<tosa::ReshapeOp>(
      loc, resultType, input, builder.getDenseI64ArrayAttr(newShape));
}

/// Transposes the raw bytes of a dense constant whose elements are whole
/// bytes wide; null for splats' callers to handle and for i1.
static DenseElementsAttr transposeConstant(DenseElementsAttr value,
                                           ArrayRef<int64_t> perm,
                                           RankedTensorType resultType) {
  if (value.isSplat())
    return value.resizeSplat(resultType);
  unsigned bitWidth = value.getElementType().getIntOrFloatBitWidth();
  if (bitWidth % 8 != 0)
    return {};
  size_t byteWidth = bitWidth / 8;
  ArrayRef<int64_t> inShape = value.getType().getShape();
  int64_t rank = inShape.size();
  SmallVector<int64_t> inStrides(rank, 1);
  for (int64_t i = rank - 2; i >= 0; --i)
    inStrides[i] = inStrides[i + 1] * inShape[i + 1];
  ArrayRef<char> in = value.getRawData();
  std::vector<char> out(in.size());
  int64_t count = value.getNumElements();
  SmallVector<int64_t> index(rank, 0); // index into the result
  ArrayRef<int64_t> outShape = resultType.getShape();
  for (int64_t linear = 0; linear < count; ++linear) {
    int64_t source = 0;
    for (int64_t d = 0; d < rank; ++d)
      source += index[d] * inStrides[perm[d]];
    std::memcpy(out.data() + linear * byteWidth, in.data() + source * byteWidth,
                byteWidth);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < outShape[d])
        break;
      index[d] = 0;
    }
  }
  return DenseElementsAttr::getFromRawBuffer(resultType, out);
}

Value GraphImporter::createTranspose(Value input, ArrayRef<int64_t> perm) {
  auto inputType = cast<RankedTensorType>(input.getType());
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return input;
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(inputType.getDimSize(p));
  auto resultType = RankedTensorType::get(shape, inputType.getElementType());
  if (DenseElementsAttr value = getConstValue(input)) {
    if (DenseElementsAttr folded = transposeConstant(value, perm, resultType)) {
      Value result = createConstant(folded);
      dropIfUnused(input);
      return result;
    }
  }
  SmallVector<int32_t> perms(perm.begin(), perm.end());
  auto permsType = RankedTensorType::get({static_cast<int64_t>(perm.size())},
                                         builder.getI32Type());
  Value permsValue = createConstant(
      DenseElementsAttr::get(permsType, ArrayRef<int32_t>(perms)));
  return builder.create<tosa::TransposeOp>(loc, resultType, input, permsValue);
}

Value GraphImporter::expandRank(Value input, int64_t rank) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getRank() >= rank)
    return input;
  SmallVector<int64_t> shape(rank - type.getRank(), 1);
  llvm::append_range(shape, type.getShape());
  return createReshape(input, shape);
}

Value GraphImporter::createSlice(Value input, int64_t axis, int64_t start,
                                 int64_t size) {
  auto type = cast<RankedTensorType>(input.getType());
  // Slices of constants along the outermost axis (per-group weights and
  // biases) are contiguous and fold.
  if (DenseElementsAttr value = getConstValue(input)) {
    unsigned bitWidth = value.getElementType().getIntOrFloatBitWidth();
    if (axis == 0 && bitWidth % 8 == 0 && type.hasStaticShape()) {
      SmallVector<int64_t> shape(type.getShape());
      shape[0] = size;
      auto resultType = RankedTensorType::get(shape, type.getElementType());
      DenseElementsAttr folded;
      if (value.isSplat()) {
        folded = value.resizeSplat(resultType);
      } else {
        int64_t rowBytes =
            type.getNumElements() / type.getDimSize(0) * (bitWidth / 8);
        ArrayRef<char> raw = value.getRawData();
        folded = DenseElementsAttr::getFromRawBuffer(
            resultType, raw.slice(start * rowBytes, size * rowBytes));
      }
      return createConstant(folded);
    }
  }
  SmallVector<int64_t> starts(type.getRank(), 0);
  SmallVector<int64_t> sizes(type.getShape());
  for (int64_t &dim : sizes)
    if (ShapedType::isDynamic(dim))
      dim = -1;
  starts[axis] = start;
  sizes[axis] = size;
  SmallVector<int64_t> resultShape(type.getShape());
  resultShape[axis] = size;
  return builder.create<tosa::SliceOp>(
      loc, RankedTensorType::get(resultShape, type.getElementType()), input,
      builder.getDenseI64ArrayAttr(starts),
      builder.getDenseI64ArrayAttr(sizes));
}

Value GraphImporter::createClamp(Value input, float lo, float hi) {
  auto clampInt = [](float v) -> int64_t {
    if (v <= static_cast<float>(INT64_MIN))
      return INT64_MIN;
    if (v >= static_cast<float>(INT64_MAX))
      return INT64_MAX;
    return static_cast<int64_t>(v);
  };
  return builder.create<tosa::ClampOp>(
      loc, input.getType(), input, builder.getI64IntegerAttr(clampInt(lo)),
      builder.getI64IntegerAttr(clampInt(hi)), builder.getF32FloatAttr(lo),
      builder.getF32FloatAttr(hi));
}

Value GraphImporter::createMul(Value lhs, Value rhs) {
  // A constant times a scalar constant (Gemm alpha/beta, folded BN) folds.
  DenseElementsAttr lhsValue = getConstValue(lhs);
  DenseElementsAttr rhsValue = getConstValue(rhs);
  if (lhsValue && rhsValue && rhsValue.getNumElements() == 1 &&
      lhsValue.getElementType().isF32() && rhsValue.getElementType().isF32() &&
      lhsValue.getType().getRank() >= rhsValue.getType().getRank()) {
    float factor = rhsValue.getSplatValue<float>();
    SmallVector<float> product;
    for (float v : lhsValue.getValues<float>())
      product.push_back(v * factor);
    Value folded = createConstant(
        DenseElementsAttr::get(lhsValue.getType(), ArrayRef<float>(product)));
    dropIfUnused(lhs);
    dropIfUnused(rhs);
    return folded;
  }
  Value a = lhs, b = rhs;
  FailureOr<RankedTensorType> type =
      prepareBroadcast(a, b, cast<ShapedType>(lhs.getType()).getElementType());
  // Callers only multiply operands whose shapes broadcast.
  return builder.create<tosa::MulOp>(loc, *type, a, b,
                                     builder.getI8IntegerAttr(0));
}

FailureOr<SmallVector<int64_t>>
GraphImporter::broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t a = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t b = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (a == 1)
      result[i] = b;
    else if (b == 1)
      result[i] = a;
    else if (ShapedType::isDynamic(a))
      result[i] = b;
    else if (ShapedType::isDynamic(b) || a == b)
      result[i] = a;
    else {
      emitNodeError() << "shapes " << formatShape(lhs) << " and "
                      << formatShape(rhs) << " do not broadcast";
      return failure();
    }
  }
  return result;
}

FailureOr<RankedTensorType>
GraphImporter::prepareBroadcast(Value &lhs, Value &rhs, Type elementType) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(lhsType.getShape(), rhsType.getShape());
  if (failed(shape))
    return failure();
  int64_t rank = shape->size();
  lhs = expandRank(lhs, rank);
  rhs = expandRank(rhs, rank);
  return RankedTensorType::get(*shape, elementType);
}

LogicalResult GraphImporter::requireFloatTensor(Value value, StringRef what,
                                                ArrayRef<int64_t> ranks) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !isa<FloatType>(type.getElementType())) {
    emitNodeError() << what << " must be a float tensor, got "
                    << value.getType();
    return failure();
  }
  if (!ranks.empty() && !llvm::is_contained(ranks, type.getRank())) {
    InFlightDiagnostic diag = emitNodeError() << what << " must have rank ";
    llvm::interleave(
        ranks, [&](int64_t rank) { diag << rank; }, [&] { diag << " or "; });
    diag << ", got " << value.getType();
    return failure();
  }
  return success();
}

FailureOr<int64_t> GraphImporter::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1)) {
    emitNodeError() << "axis " << axis << " is out of range for rank " << rank;
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Graph import
//===----------------------------------------------------------------------===//

GraphImporter::Handler
GraphImporter::findHandler(const onnx::NodeProto &nodeProto) const {
  StringRef op = nodeProto.op_type();
  if (isQONNXDomain(nodeProto.domain())) {
    return llvm::StringSwitch<Handler>(op)
        .Case("Quant", &GraphImporter::importQONNXQuant)
        .Case("BipolarQuant", &GraphImporter::importBipolarQuant)
        .Case("MultiThreshold", &GraphImporter::importMultiThreshold)
        .Default(nullptr);
  }
  if (!isDefaultDomain(nodeProto.domain()))
    return nullptr;
  return llvm::StringSwitch<Handler>(op)
      .Case("Conv", &GraphImporter::importConv)
      .Case("Gemm", &GraphImporter::importGemm)
      .Case("MatMul", &GraphImporter::importMatMul)
      .Case("MaxPool", &GraphImporter::importMaxPool)
      .Case("AveragePool", &GraphImporter::importAveragePool)
      .Case("GlobalAveragePool", &GraphImporter::importGlobalAveragePool)
      .Case("GlobalMaxPool", &GraphImporter::importGlobalMaxPool)
      .Case("BatchNormalization", &GraphImporter::importBatchNormalization)
      .Case("Relu", &GraphImporter::importRelu)
      .Case("LeakyRelu", &GraphImporter::importLeakyRelu)
      .Case("Clip", &GraphImporter::importClip)
      .Case("Sign", &GraphImporter::importSign)
      .Case("HardSigmoid", &GraphImporter::importHardSigmoid)
      .Case("Sigmoid", &GraphImporter::importSigmoid)
      .Case("Tanh", &GraphImporter::importTanh)
      .Cases("Add", "Sub", "Mul", "Div", &GraphImporter::importBinary)
      .Case("Softmax", &GraphImporter::importSoftmax)
      .Case("Identity", &GraphImporter::importIdentity)
      .Case("Dropout", &GraphImporter::importDropout)
      .Case("Constant", &GraphImporter::importConstant)
      .Case("Flatten", &GraphImporter::importFlatten)
      .Case("Reshape", &GraphImporter::importReshape)
      .Case("Transpose", &GraphImporter::importTranspose)
      .Case("Concat", &GraphImporter::importConcat)
      .Case("Squeeze", &GraphImporter::importSqueeze)
      .Case("Unsqueeze", &GraphImporter::importUnsqueeze)
      .Case("Shape", &GraphImporter::importShape)
      .Case("Gather", &GraphImporter::importGather)
      .Case("Cast", &GraphImporter::importCast)
      .Case("QuantizeLinear", &GraphImporter::importQuantizeLinear)
      .Case("DequantizeLinear", &GraphImporter::importDequantizeLinear)
      .Default(nullptr);
}

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
                       << dataTypeName(tensorType.elem_type());
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
    results.push_back(value);
    resultTypes.push_back(value.getType());
  }
  builder.create<func::ReturnOp>(loc, results);
  func.setType(builder.getFunctionType(argTypes, resultTypes));
  for (auto [index, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(index, "onnx.name",
                       builder.getStringAttr(output.name()));

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
