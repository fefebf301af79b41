//===- QCQuantize.h - What the files of qc-quantize share -------*- C++ -*-===//
//
// qc-quantize is one pass spread over files by job (the pass and weight
// quantization, QCQuantizeActivations, QCQuantizeRecognition); this header
// holds what they share. The schemes themselves are in
// dialects/QC/Utils/QuantSchemes.h, their math in Quantizers.h.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_QCQUANTIZE_H
#define QC_PASSES_QCQUANTIZE_H

#include "mlir/IR/Operation.h"

#include <string>

namespace mlir {
namespace qc {

/// How qc-quantize's errors name a layer: its ONNX node name, or its op name
/// and position when it has none (hand-written IR).
std::string describeLayer(Operation *op);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_QCQUANTIZE_H
