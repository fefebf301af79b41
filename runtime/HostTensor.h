//===- HostTensor.h - Tensors in host memory --------------------*- C++ -*-===//
//
// A dense, row-major tensor in host memory: what the JIT-compiled model reads
// and writes, and what tools/lib/TensorIO.h loads from and saves to files.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_HOSTTENSOR_H
#define QC_RUNTIME_HOSTTENSOR_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
namespace qc {

/// Element types a host tensor can hold.
enum class DType { F32, I8, U8, I32, I64 };

/// Size in bytes of one element of `type`.
size_t getDTypeSize(DType type);
/// numpy-style name of `type` ("float32", "int8", ...).
const char *getDTypeName(DType type);

/// `shape` as "2x3x4" ("scalar" when empty).
std::string formatShape(const std::vector<int64_t> &shape);

/// A dense row-major tensor owning its bytes.
struct HostTensor {
  DType type = DType::F32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;

  HostTensor() = default;
  HostTensor(DType type, std::vector<int64_t> shape);

  int64_t getNumElements() const;
  template <typename T> T *data() { return reinterpret_cast<T *>(bytes.data()); }
  template <typename T> const T *data() const {
    return reinterpret_cast<const T *>(bytes.data());
  }
  /// The shape as "2x3x4".
  std::string formatShape() const;
};

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_HOSTTENSOR_H
