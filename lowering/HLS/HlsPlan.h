//===- HlsPlan.h - The streaming stages the HLS printer prints ---*- C++
//-*-===//
//
// What the printer needs of each layer of a function qc-hls-prepare has
// annotated, read without changing the IR: geometry and folding, lane
// widths, the weights' bits, the integer thresholds and levels. The
// stream formats follow from them:
//   - activation lanes are 1 bit (1 = -1) or 2 bits (bit 0 = non-zero,
//     bit 1 = negative), as qc's binary and ternary codes, or, between
//     integer layers, the next layer's unsigned activation codes;
//   - sum lanes are the layer's accumulator width, two's complement;
//   - the network's output lanes hold the last layer's levels (or sums)
//     as two's complement integers (integer layers: q - z of the output's
//     quantization);
//   - lane i of a word is at bits [(i + 1) * L - 1 : i * L], and words are
//     padded to a multiple of 8 bits.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_HLS_HLSPLAN_H
#define QC_LOWERING_HLS_HLSPLAN_H

#include "passes/Analysis/HlsLayers.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace mlir {
namespace qc {

struct HlsLayerPlan {
  HlsLayer geom;
  std::string name;
  /// Zero padding [top, bottom, left, right] of a convolution.
  int64_t pad[4] = {0, 0, 0, 0};
  /// Unpadded input height and width of a convolution.
  int64_t rawH = 1, rawW = 1;
  int64_t accBits = 0, sourceBits = 1, inputBits = 1;
  /// Max-pool window and stride (0: none) and the pooled output size.
  int64_t poolH = 0, poolW = 0, poolSH = 1, poolSW = 1;
  int64_t pooledH = 1, pooledW = 1;
  /// Thresholds [mh][count] (empty: the sums are the output) and the level
  /// of each count.
  int64_t thresholdCount = 0;
  std::vector<int64_t> thresholds, levels;
  /// Weight bits [mh][mw], 1 = -1, columns in (ky, kx, c) order.
  std::vector<uint8_t> weights;
  /// Integer layers (ternary, bit-serial uniform): lanes are unsigned
  /// activation codes, the weights integers [mh][mw] (`values`) stored in
  /// ROM lanes of `weightLaneBits` (ternary: bit 0 non-zero, bit 1
  /// negative; else two's complement), padded lanes hold `padCode`, and
  /// thresholds are `thresholdBits` wide.
  bool integer = false;
  std::vector<int64_t> values;
  int64_t weightLaneBits = 1, padCode = 0, thresholdBits = 0;
  /// Bits per lane of what the layer writes: the next layer's source lanes,
  /// or the output's integers.
  int64_t outLaneBits = 1;
  bool last = false;

  bool hasPool() const { return poolH > 0; }
  bool hasThresholds() const { return thresholdCount > 0; }
  /// Output pixels per image after pooling (1 for dense layers) and
  /// elements per image written.
  int64_t getOutPixels() const { return geom.isConv ? pooledH * pooledW : 1; }
  int64_t getOutElements() const { return getOutPixels() * geom.mh; }
  /// Input elements per image as the previous stage writes them.
  int64_t getInElements() const {
    return geom.isConv ? rawH * rawW * geom.channels : geom.mw;
  }
};

struct HlsPlan {
  std::string top;
  std::vector<HlsLayerPlan> layers;
  /// The values the input may hold (the first layer's quantization).
  std::vector<int64_t> inputLevels;
  /// Shapes of the function's input and output without the batch.
  std::vector<int64_t> inputShape, outputShape;
  /// Integer layers: input codes roundeven(x / inputScale) + inputOffset,
  /// output values r * outputScale (f32).
  bool integer = false;
  float inputScale = 1, outputScale = 1;
  int64_t inputOffset = 0;
};

/// Reads the plan of the prepared function in `module`; fails with an
/// error when it was not prepared.
LogicalResult buildHlsPlan(ModuleOp module, HlsPlan &plan);

/// Bits of a two's complement integer holding every value in [lo, hi].
int64_t getSignedBits(int64_t lo, int64_t hi);

/// `bits` rounded up to a multiple of 8 (stream words).
inline int64_t getWordBits(int64_t bits) { return (bits + 7) / 8 * 8; }

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_HLS_HLSPLAN_H
