//===- QCQuantizeRecognition.h - Quantization the model carries -*- C++ -*-===//
//
// The rewrites by which qc-quantize keeps the quantization a trained model
// already holds (ONNX Sign, QONNX and QDQ weight quantizers) before it
// quantizes anything itself.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_QCQUANTIZERECOGNITION_H
#define QC_PASSES_QCQUANTIZERECOGNITION_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir {
namespace qc {

/// Replaces each ONNX Sign as the importer writes it (a pair of
/// `tosa.greater` and `tosa.select`) by quantize/dequantize through the
/// ternary type with alpha 1 and delta 0, which rounds exactly as Sign does,
/// Sign(0) = 0 included.
void recognizeSignActivations(func::FuncOp func);

/// Stores each `qc.quantize` of a float constant (a QONNX or QDQ weight
/// quantizer) as the packed `qc.constant` of its codes.
void packQuantizedConstants(func::FuncOp func);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_QCQUANTIZERECOGNITION_H
