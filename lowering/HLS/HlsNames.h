//===- HlsNames.h - Attributes and names of the HLS back end ----*- C++ -*-===//
//
// The attributes qc-hls-prepare records for the HLS printer (on each
// layer's kernel op of the FPGA function, and on the function), and the
// C identifiers it derives from ONNX node names.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_HLS_HLSNAMES_H
#define QC_LOWERING_HLS_HLSNAMES_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir {
namespace qc {

/// On the layer: its C name (string).
constexpr const char kHlsNameAttr[] = "qc.hls.name";
/// Accumulator bits (i64), from the weights' bound.
constexpr const char kHlsAccBitsAttr[] = "qc.hls.acc_bits";
/// Bits per lane of the stream the previous stage writes (1: a sign bit;
/// 2: a non-zero bit and a sign bit) and of what the layer's
/// matrix-vector unit reads (2 also when a zero-padded border needs it).
constexpr const char kHlsSourceBitsAttr[] = "qc.hls.source_bits";
constexpr const char kHlsInputBitsAttr[] = "qc.hls.input_bits";
/// Max-pool after the sums: [KH, KW, SH, SW].
constexpr const char kHlsPoolAttr[] = "qc.hls.pool";
/// Integer thresholds [MH x T] (i64) and the level of each count 0..T.
constexpr const char kHlsThresholdsAttr[] = "qc.hls.thresholds";
constexpr const char kHlsLevelsAttr[] = "qc.hls.levels";
/// Set when the dense weights' columns were put in the stream's order.
constexpr const char kHlsReorderedAttr[] = "qc.hls.reordered";
/// On an integer layer (qc.ternary_popcount, qc.bitserial_popcount): its
/// weights as integers [MH x MW] (i8) in the stream's column order, the
/// border's zero padding [top, bottom, left, right] of a convolution and
/// the code its padded lanes hold (the real 0), and the width of its
/// thresholds.
constexpr const char kHlsWeightsAttr[] = "qc.hls.weights";
constexpr const char kHlsPadAttr[] = "qc.hls.pad";
constexpr const char kHlsPadCodeAttr[] = "qc.hls.pad_code";
constexpr const char kHlsThresholdBitsAttr[] = "qc.hls.threshold_bits";
/// On the function: the top function's C name, and the values its input
/// may hold.
constexpr const char kHlsTopAttr[] = "qc.hls.top";
constexpr const char kHlsInputLevelsAttr[] = "qc.hls.input_levels";
/// On the function of integer layers: the input's codes are
/// roundeven(x / input_scale) + input_offset (f32, as the CPU path computes
/// them), and each output integer r stands for r * output_scale (f32).
constexpr const char kHlsInputScaleAttr[] = "qc.hls.input_scale";
constexpr const char kHlsInputOffsetAttr[] = "qc.hls.input_offset";
constexpr const char kHlsOutputScaleAttr[] = "qc.hls.output_scale";

/// The function qc-hls-partition outlines the FPGA part of a model into.
constexpr const char kHlsFpgaFunction[] = "qc_fpga";

/// `name` as a C identifier: letters, digits and '_' kept, every other
/// run of characters one '_', no leading digit or '_', never empty.
inline std::string makeCIdentifier(llvm::StringRef name) {
  std::string id;
  for (char c : name) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9');
    if (word)
      id += c;
    else if (!id.empty() && id.back() != '_')
      id += '_';
  }
  while (!id.empty() && id.back() == '_')
    id.pop_back();
  if (id.empty() || (id[0] >= '0' && id[0] <= '9'))
    id = "layer_" + id;
  return id;
}

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_HLS_HLSNAMES_H
