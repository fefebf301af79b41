//===- HlsIntegerStage.h - Integer layers' codes and stages -----*- C++ -*-===//
//
// What the FPGA back end needs to know of an integer layer
// (qc.ternary_popcount, qc.bitserial_popcount on unsigned activation codes):
// the codes it reads (qc.bitplane_pack of a zero-padded linalg.generic
// computing roundeven(x / s) + u0) and the float chain after its sums (the
// zero-code correction, the cast, the output transform's multiply and add,
// a clamp, a max-pool, transposes and reshapes, the uniform
// quantize-dequantize of the next activations) up to the next layer's
// codes or the function's result. The chain is evaluated on single sums
// with the CPU path's own f32 operations, so that thresholds found from it
// give bit for bit the CPU's codes.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_HLS_HLSINTEGERSTAGE_H
#define QC_LOWERING_HLS_HLSINTEGERSTAGE_H

#include "dialects/QC/QCOps.h"
#include "passes/Analysis/HlsLayers.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace mlir {
namespace qc {

/// The unsigned activation codes an integer layer reads.
struct HlsCodes {
  /// The float values x on the activation grid (the generic's input).
  Value values;
  /// u = roundeven(x / scale) + offset, in f32 as the generic computes it.
  float scale = 1.0f;
  int64_t offset = 0;
  /// Spatial zero padding [top, bottom, left, right] and its code.
  int64_t pad[4] = {0, 0, 0, 0};
  int64_t padCode = 0;
  /// The packed planes and their count.
  BitplanePackOp pack;
  int64_t planes = 0;

  int64_t getCode(float x) const;
};

/// Matches the codes `packed` (a kernel's activation operand) packs; fails
/// with `why` set when it is not qc.bitplane_pack of [tensor.pad of] the
/// codes generic.
FailureOr<HlsCodes> matchHlsCodes(Value packed, std::string &why);

/// The chain after an integer layer's sums, as the CPU computes it.
struct HlsIntegerStage {
  enum class StepKind { AddInt, ClampInt, ToFloat, MulF, AddF, ClampF, Quant };
  struct Step {
    StepKind kind;
    /// Per-channel operand (one entry: every channel).
    SmallVector<double> values;
    double lo = 0, hi = 0;
    /// Quant: scale and zero point (f32), storage range.
    float scale = 1, zero = 0;
  };
  SmallVector<Step> steps;
  /// The max-pool on the way (its input in the sums' NHWC layout).
  tosa::MaxPool2dOp pool;
  /// For element k of what the next layer reads (row-major, no batch), the
  /// element of this layer's pooled NHWC output it is.
  SmallVector<int64_t> order;
  /// The next layer's codes, or (the function's result) the dequantized
  /// values, which stand for the integers q - z times `outputScale`.
  std::optional<HlsCodes> next;
  Value result;
  float outputScale = 1;
  /// The integers the chain produces: codes of the next layer's planes, or
  /// q - z over the storage range.
  int64_t levelLo = 0, levelHi = 0;

  /// The chain's integer for sum `sum` of output channel `channel`.
  int64_t evaluate(int64_t channel, int64_t sum) const;
};

/// Follows the chain after the sums of `kernel` (named `layer` in errors).
/// Fails with an error naming the layer and the op it cannot take.
FailureOr<HlsIntegerStage> analyzeHlsIntegerStage(Operation *kernel,
                                                  StringRef layer);

/// The value an integer layer's FPGA part ends with when nothing after it
/// is on the FPGA (its dequantized next activations); null when the chain
/// is not one qc can take.
Value getHlsIntegerStageEnd(Operation *kernel);

/// qc-hls-prepare for a chain of integer layers (HlsPrepareInteger.cpp):
/// checks that each layer reads the previous one's codes (the first the
/// function's argument) and that the last one's dequantized values are the
/// function's result, and records on each layer its accumulator width from
/// its weights' bounds, its lanes, weights in the stream's order, padding,
/// pooling and integer thresholds, and on the function the input's and
/// output's scales. Fails with an error naming the layer.
LogicalResult prepareHlsIntegerChain(func::FuncOp func,
                                     ArrayRef<HlsLayer> layers, Builder &b);

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_HLS_HLSINTEGERSTAGE_H
