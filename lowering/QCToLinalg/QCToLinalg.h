//===- QCToLinalg.h - qc quantization to float linalg -----------*- C++ -*-===//
//
// The reference semantics of qc's quantized tensors in float: every
// quantized tensor becomes a tensor of its expressed float type holding the
// values its codes stand for, `qc.quantize` becomes the rounding each type
// defines (fake quantization), `qc.dequantize` the identity, and
// `qc.constant` a float constant. The bit-packed kernels (`qc.bitpack`,
// `qc.xnor_popcount`) lower to integer linalg on tensors.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_QCTOLINALG_QCTOLINALG_H
#define QC_LOWERING_QCTOLINALG_QCTOLINALG_H

#include "mlir/Transforms/DialectConversion.h"

namespace mlir {
namespace qc {

/// Discardable attributes on the linalg.generic that qc.xnor_popcount's
/// conv form on 32-bit words lowers to (loops n, oh, ow, kh, kw, word, o;
/// operands input, weights [KH][KW][words][O], mask if any, output):
/// convert-qc-to-runtime-calls turns it into the runtime's binary
/// convolution. The unit attribute names it; the other two hold the
/// window's strides and dilations (H, W).
inline constexpr llvm::StringLiteral kXnorConvKernelAttr = "qc.xnor_conv2d";
inline constexpr llvm::StringLiteral kXnorConvStridesAttr = "qc.strides";
inline constexpr llvm::StringLiteral kXnorConvDilationsAttr = "qc.dilations";
/// On the linalg.generic that qc.xnor_popcount's dense form on 32-bit words
/// lowers to (loops n, o, word; operands input [N][words], weights
/// [O][words], mask if any, output [N][O]): convert-qc-to-runtime-calls
/// runs it as the binary convolution of a 1 x N image with a 1 x 1 kernel.
inline constexpr llvm::StringLiteral kXnorDenseKernelAttr = "qc.xnor_dense";
/// On the linalg.generic that qc.bitpack of f32 values into 32-bit words
/// lowers to (values [..][words][32], words [..][words]): "sign" or
/// "nonzero" (the mask plane). convert-qc-to-runtime-calls turns it into
/// the runtime's bit packing.
inline constexpr llvm::StringLiteral kBitPackKernelAttr = "qc.bitpack";
/// On the linalg.generic that qc.threshold_pack of i16 or i32 sums into
/// 32-bit words lowers to (sums [..][words][32], words [..][words]; the
/// threshold table [rows][T] read in the body): "sign" or "nonzero".
/// convert-qc-to-runtime-calls turns it into the runtime's threshold
/// packing.
inline constexpr llvm::StringLiteral kThresholdPackKernelAttr =
    "qc.threshold_pack";

/// On the linalg.generic that qc.codebook_accumulate of f32 or i32 inputs
/// lowers to (no inputs; the flattened input, N x (Hp * Wp * C) padded for
/// a convolution or N x K, and the tables read in the body; output NHWC or
/// N x O f32): a dictionary of the tables the body reads (`positions`, NHWC
/// offsets or columns; `starts`; `centroids`), `count` (k) and, for a
/// convolution, `window`, `strides`, `dilations` and `padded` (Hp, Wp, C).
/// convert-qc-to-runtime-calls turns it into the runtime's per-centroid
/// accumulation.
inline constexpr llvm::StringLiteral kCentroidKernelAttr = "qc.centroid";

/// Converts ranked tensors of quantized element types to tensors of their
/// expressed float type; other types are unchanged.
class QuantizedToFloatTypeConverter : public TypeConverter {
public:
  QuantizedToFloatTypeConverter();
};

/// Patterns lowering qc.quantize, qc.dequantize and qc.constant to linalg /
/// arith on float tensors, and qc.bitpack and qc.xnor_popcount to linalg /
/// arith / math on integer tensors.
void populateQCToLinalgReferencePatterns(TypeConverter &converter,
                                         RewritePatternSet &patterns);

/// Patterns lowering the integer kernel ops (qc.bitplane_pack,
/// qc.bitserial_popcount, qc.ternary_popcount, qc.shift_accumulate,
/// qc.codebook_accumulate) to linalg / scf / arith / math on tensors.
void populateQCKernelsToLinalgPatterns(TypeConverter &converter,
                                       RewritePatternSet &patterns);

/// The pattern lowering qc.packed_max_pool2d to an AND-reduction over the
/// window in linalg (part of populateQCToLinalgReferencePatterns).
void populateQCPackedPoolToLinalgPatterns(TypeConverter &converter,
                                          RewritePatternSet &patterns);

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_QCTOLINALG_QCTOLINALG_H
