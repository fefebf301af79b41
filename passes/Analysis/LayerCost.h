//===- LayerCost.h - MACs, BOPs and bytes of a layer ------------*- C++ -*-===//
//
// What a layer that multiplies and accumulates costs, from its op's shapes
// and the types its weight is stored in and its input lies on: MACs and
// bit operations per image, parameters, and the bytes its weights, biases
// and quantization parameters take. report.json is built from it, and a
// precision search can weigh layers with it.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_ANALYSIS_LAYERCOST_H
#define QC_PASSES_ANALYSIS_LAYERCOST_H

#include "mlir/IR/Operation.h"

#include <cstdint>
#include <optional>

namespace mlir {
namespace qc {

/// The cost of one layer. Dynamic dimensions count as 1, so MACs are per
/// image for a model with a dynamic batch.
struct LayerCost {
  /// The op's short name: conv2d, depthwise_conv2d, fully_connected, matmul.
  StringRef op;
  Value input, weight, bias, output;
  int64_t macs = 0;
  /// Bit operations: macs x weightBits x activationBits.
  int64_t bops = 0;
  /// Elements of the constant weight and bias (0 when not constant).
  int64_t weightParams = 0, biasParams = 0;
  /// Bytes as stored: the packed codes of a quantized weight (or its
  /// floats), the bias, and the float parameters that decode the weight's
  /// codes (alpha, scales and zero points, centroids).
  int64_t weightBytes = 0, biasBytes = 0, quantParamBytes = 0;
  /// Bits of one stored weight (its code width, or the float width) and of
  /// one activation entering the layer.
  int64_t weightBits = 0, activationBits = 0;

  int64_t getParams() const { return weightParams + biasParams; }
  int64_t getStoredBytes() const {
    return weightBytes + biasBytes + quantParamBytes;
  }
};

/// The cost of `op` when it carries multiply-accumulates (tosa.conv2d,
/// depthwise_conv2d, fully_connected, matmul), else nullopt.
std::optional<LayerCost> getLayerCost(Operation *op);

/// The constant a weight or bias is stored as: the value itself, or the
/// packed quantized constant behind a `qc.dequantize` (seen through the
/// transpose that turns OIHW weights into OHWI); null when not constant.
Value getStoredConstant(Value value);

/// Bytes of the parameters that decode codes of the quantized element type
/// `element`, each a float32: alpha (binary), alpha_p and alpha_n
/// (ternary), the scale (power of two), the centroids (codebook), the scale
/// and zero point (uniform), per tensor or per channel; 0 for other types.
int64_t countQuantParamBytes(Type element);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_ANALYSIS_LAYERCOST_H
