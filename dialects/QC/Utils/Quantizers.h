//===- Quantizers.h - Float values to quantized types and codes -*- C++ -*-===//
//
// The math of each quantization scheme: from a layer's float weights (or an
// activation's calibrated range) to the quantized element type and the
// integer codes that stand for them. Pure functions of their arguments, no
// pass state, so that qc-quantize and any search over per-layer schemes
// compute the same thing.
//
// Weights, per output channel unless per tensor is asked for (pot, codebook
// and dorefa are always per layer):
// - binary: alpha = mean |w| (XNOR-Net);
// - ternary: delta = 0.7 mean |w|, alpha = mean of |w| > delta (TWN);
// - pot: exponents emax = floor(log2(4/3 max |w|)) (INQ) down to
//   emax - (2^(bits-1) - 2), plus zero;
// - codebook: k-means with k = 2^bits, quantile initialization, Lloyd
//   iterations to convergence;
// - int: symmetric narrow-range signed, scale = max |w| / (2^(bits-1) - 1);
// - uint: unsigned codes with a zero point over [min(w, 0), max(w, 0)],
//   scale = range / (2^bits - 1), zero point roundeven(-min / scale);
// - dorefa: DoReFa-Net's tanh-normalized levels times a least-squares scale,
//   as the signed narrow (bits+1)-bit uniform type;
// - auto: the type of the grid the weights already lie on, if any.
// An all-zero channel gets alpha / levels 0 (scale 1, zero point 0).
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECTS_QC_UTILS_QUANTIZERS_H
#define QC_DIALECTS_QC_UTILS_QUANTIZERS_H

#include "dialects/QC/QCTypes.h"
#include "dialects/QC/Utils/QuantSchemes.h"

#include "mlir/Dialect/Quant/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <optional>

namespace mlir {
namespace qc {

/// Quantized weights: their element type and one code per weight, in the
/// row-major order of the float weights.
struct QuantizedWeights {
  QuantizedTypeInterface type;
  SmallVector<uint64_t> codes;
};

/// Quantizes finite float `weights`, whose output channels lie along axis 0
/// when `channelsOnAxis0` (depthwise weights are HWCM: their channels are
/// not one axis), with parameters per output channel when `perChannel` and
/// the scheme has per-channel parameters. `spec` is a weight scheme other
/// than None. Auto ignores `perChannel` (it takes the channels' own grids)
/// and returns nullopt when the weights lie on no grid.
std::optional<QuantizedWeights> quantizeWeights(DenseFPElementsAttr weights,
                                                SchemeSpec spec,
                                                bool channelsOnAxis0,
                                                bool perChannel);

/// The type that represents exactly the values of finite float `weights`
/// already on a quantization grid (as quantization-aware training exports
/// them): binary, ternary (alpha_n != alpha_p allowed, TTQ), power of two,
/// symmetric uniform up to 8 bits, or a codebook of at most 256 values when
/// smaller than the floats, each within 1e-6 relative; null when they are
/// on none. Per output channel along axis 0 when `channelsOnAxis0`.
QuantizedTypeInterface recognizeWeightGrid(DenseFPElementsAttr weights,
                                           bool channelsOnAxis0);

/// The uniform activation type for a calibrated range [lo, hi] (finite, lo
/// <= hi): unsigned levels on [0, hi] for non-negative activations (after
/// ReLU), else signed symmetric narrow ones on [-c, c], c = max(-lo, hi).
/// An all-zero range gets scale 1.
quant::UniformQuantizedType getUniformActivationType(FloatType floatType,
                                                     double lo, double hi,
                                                     unsigned bits);

/// Binary activations: sign scaled by the calibrated mean |x| (XNOR-Net),
/// 1 when that is 0.
BinaryType getBinaryActivationType(FloatType floatType, double meanAbs);

/// The word (8, 16 or 32 bits) that wastes the fewest tail bits on one
/// innermost row of `shape` in `codeBits`-bit codes, the widest of those
/// that tie.
IntegerType getStorageWordType(MLIRContext *ctx, ArrayRef<int64_t> shape,
                               unsigned codeBits);

/// `codes` of `type` (row-major over the static `shape`) packed into the
/// words of getStorageWordType, as a `qc.constant` holds them.
DenseIntElementsAttr packStoredCodes(ArrayRef<uint64_t> codes,
                                     ArrayRef<int64_t> shape,
                                     QuantizedTypeInterface type);

} // namespace qc
} // namespace mlir

#endif // QC_DIALECTS_QC_UTILS_QUANTIZERS_H
