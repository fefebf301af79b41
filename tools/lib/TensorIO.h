//===- TensorIO.h - .npy and IDX files for the tools ------------*- C++ -*-===//
//
// The two data formats qc's tools read and write: numpy .npy files (float32,
// int8, uint8, int32, int64; little-endian, C order) and MNIST-style IDX
// files, raw or gzipped. Nothing here needs Python.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_LIB_TENSORIO_H
#define QC_TOOLS_LIB_TENSORIO_H

#include "runtime/HostTensor.h"

#include <string>

namespace mlir {
namespace qc {

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

#endif // QC_TOOLS_LIB_TENSORIO_H
