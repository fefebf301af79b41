//===- HostTensor.h - Tensors in host memory and their file formats -*- C++ -*-===//
//
// A dense, row-major tensor in host memory, and the two data formats qc's
// tools read and write: numpy .npy files (float32, int8, uint8, int32,
// int64; little-endian, C order) and MNIST-style IDX files, raw or gzipped.
// Nothing here needs Python.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_IO_HOSTTENSOR_H
#define QC_RUNTIME_IO_HOSTTENSOR_H

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

/// Reads a .npy file. On failure returns false and sets `error` to a message
/// that names the file and what is wrong with it.
bool readNpy(const std::string &path, HostTensor &tensor, std::string &error);

/// Writes a .npy file (format 1.0) atomically: the data goes to a temporary
/// file that is renamed over `path` only when complete.
bool writeNpy(const std::string &path, const HostTensor &tensor,
              std::string &error);

/// Reads an IDX file (MNIST format), raw or gzip-compressed: unsigned-byte
/// data with any number of dimensions. `limit` > 0 keeps only the first
/// `limit` items along the first dimension.
bool readIdx(const std::string &path, HostTensor &tensor, std::string &error,
             int64_t limit = 0);

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_IO_HOSTTENSOR_H
