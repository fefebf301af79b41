//===- QCLowerMacs.h - What qc-lower-macs makes of a layer ------*- C++ -*-===//
//
// The decision qc-lower-macs takes for each layer, for tools that describe a
// model (reports) before the rewrite.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_QCLOWERMACS_H
#define QC_PASSES_QCLOWERMACS_H

#include "mlir/IR/Operation.h"

#include <cstdint>

#include <optional>
#include <string>

namespace mlir {
namespace qc {

/// The kernel a layer's multiply-accumulates become.
struct MacKernel {
  std::string name;
  /// Bytes of the weights as the kernel reads them (packed sign words, or
  /// integer values).
  int64_t weightBytes;
};

/// The kernel qc-lower-macs rewrites `layer` (a tosa.conv2d or
/// tosa.fully_connected) into, or nullopt when the layer stays on the float
/// reference path. `bitserialMaxBits` is qc-lower-macs' option of that name.
std::optional<MacKernel> getMacKernel(Operation *layer,
                                      int64_t bitserialMaxBits = 5);

/// The quantized element type whose values `input` holds (a qc.dequantize
/// seen through transposes, reshapes and max-pools whose windows all hold
/// an element: a window of padding alone gives -inf, which is on no grid),
/// or null.
Type getActivationQuantType(Value input);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_QCLOWERMACS_H
