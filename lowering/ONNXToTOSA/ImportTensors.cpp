//===- ImportTensors.cpp - ONNX tensors and element types ---------------===//
//
// Converts ONNX TensorProtos (raw data or typed fields, every element type
// the importer supports) into DenseElementsAttrs, and ONNX element types into
// MLIR types. Every dimension and element count read from the file is
// bounded before anything is allocated.
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

/// Elements a single tensor may hold; larger dims are reported rather than
/// allocated.
static constexpr int64_t kMaxElements = int64_t(1) << 32;

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

std::string onnx_import::getDataTypeName(int32_t dataType) {
  if (onnx::TensorProto_DataType_IsValid(dataType))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(dataType));
  return "data type " + std::to_string(dataType);
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
           << getDataTypeName(tensor.data_type());
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
           << getDataTypeName(tensor.data_type());
    return failure();
  }
}
