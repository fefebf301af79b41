//===- HlsUtils.h - Helpers the FPGA passes share ---------------*- C++ -*-===//
//
// What qc-hls-partition and qc-hls-prepare both ask of a module: the one
// function with quantized kernels, and the values a binary or ternary
// quantization of scale 1 keeps as they are.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_HLS_HLSUTILS_H
#define QC_LOWERING_HLS_HLSUTILS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir {
namespace qc {

/// The one function of `module` with MAC kernels for the FPGA; fails with
/// an error naming `pass` when there is none or more than one.
FailureOr<func::FuncOp> findHlsFunction(ModuleOp module, StringRef pass);

/// The values a quantize-dequantize to `type` (a tensor of qc's binary or
/// ternary type, per tensor, scale 1, ternary threshold below 1) maps to
/// themselves: {-1, 1} or {-1, 0, 1}; empty for any other type.
SmallVector<int64_t> getKeptLevels(Type type);

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_HLS_HLSUTILS_H
