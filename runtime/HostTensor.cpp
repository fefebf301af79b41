//===- HostTensor.cpp - Tensors in host memory ----------------------------===//
//
// Element sizes and names, and the shape helpers of HostTensor.
//
//===----------------------------------------------------------------------===//

#include "runtime/HostTensor.h"

using namespace mlir::qc;

size_t mlir::qc::getDTypeSize(DType type) {
  switch (type) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::I8:
  case DType::U8:
    return 1;
  case DType::I64:
    return 8;
  }
  return 0;
}

const char *mlir::qc::getDTypeName(DType type) {
  switch (type) {
  case DType::F32:
    return "float32";
  case DType::I8:
    return "int8";
  case DType::U8:
    return "uint8";
  case DType::I32:
    return "int32";
  case DType::I64:
    return "int64";
  }
  return "?";
}

HostTensor::HostTensor(DType type, std::vector<int64_t> shape)
    : type(type), shape(std::move(shape)) {
  bytes.resize(getNumElements() * getDTypeSize(type));
}

int64_t HostTensor::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string mlir::qc::formatShape(const std::vector<int64_t> &shape) {
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? "x" : "") + std::to_string(shape[i]);
  return text.empty() ? "scalar" : text;
}

std::string HostTensor::formatShape() const {
  return mlir::qc::formatShape(shape);
}

