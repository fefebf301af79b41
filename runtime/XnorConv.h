//===- XnorConv.h - Binary convolution on packed sign words -----*- C++ -*-===//
//
// The runtime's binary (XNOR-popcount) convolution over channel-packed sign
// words, the kernel behind qc.xnor_popcount's conv form: activations and
// weights hold one bit per channel (1 = -1), 32 channels per word, and an
// optional mask of the activations' layout marks zeros (mask bit 0), as in
// ternary-input layers. Its store can apply the layer's output stage
// (IntEpilogue.h) instead of writing the sums. Internal to the runtime;
// compiled code reaches it through qc_rt_xnor_conv2d_i16 / _i32 and their
// _dequant / _requant forms.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_XNORCONV_H
#define QC_RUNTIME_XNORCONV_H

#include "runtime/ConvGeometry.h"
#include "runtime/IntEpilogue.h"

#include <cstdint>

namespace mlir {
namespace qc {

/// out[n][y][x][o] += sum over (ky, kx, word) of
///   mask ? popcount(m) - 2 * popcount(m & (a ^ w)) : -2 * popcount(a ^ w)
/// with a = input[n][y * strideH + ky * dilationH][x * strideW + kx *
/// dilationW][word] (m the mask's word there) and w = weights[ky][kx][word]
/// [o], dense [KH][KW][words][O]; wrapping in the sums' type (int16 or
/// int32, as `wide` says). The geometry's sizes are in words for the input
/// (its last dimension) and in channels for the output.
///
/// With an epilogue of kind kSums, the output holds the sums: `accumulate`
/// must be set, and the output's initial values are the part of each sum
/// that does not depend on the activations. With any other kind, each sum
/// starts at `init` instead, and the output (not accumulated into) receives
/// what the epilogue stores for the sum, wrapped to the sums' type first:
/// f32 values or int32 codes, 32 bits per element.
struct XnorConvProblem {
  ConvGeometry g;
  const uint32_t *input;
  /// Null without a mask.
  const uint32_t *mask;
  const uint32_t *weights;
  /// The sums (int16_t or int32_t elements, as `wide` says), or 32-bit
  /// elements with a fused epilogue.
  void *output;
  bool wide;
  IntEpilogue epilogue;
  /// The sums' constant part with a fused epilogue.
  int32_t init;
};

/// Whether xnorConv serves `problem`: a direct geometry, unit word and
/// channel strides, outputs of at most 4096 channels, and accumulation
/// exactly when there is no fused epilogue.
bool canRunXnorConv(const XnorConvProblem &problem);

/// Runs the convolution on the thread pool, with AVX-512 VPOPCNTDQ where
/// the CPU has it (and the instruction-set cap allows AVX-512), else
/// portable code. Requires canRunXnorConv.
void xnorConv(const XnorConvProblem &problem);

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_XNORCONV_H
