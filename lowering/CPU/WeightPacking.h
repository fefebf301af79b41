//===- WeightPacking.h - Constant weights in the ukernels' layouts -*- C++
//-*-===//
//
// The layouts convert-qc-to-runtime-calls packs a layer's constant weights
// into at compile time (runtime/RuntimeCalls.h states what each kernel
// takes): float weights in panels of 32 filters, [Fp/32][KH][KW][C][32];
// int8 weights as [KH][KW][C][Fp] for the Halide kernel and
// [Fp/32][KH][KW][C/4][32][4] for u8 x s8 dot products, with each filter's
// sum. Filters are zero-padded to Fp, a multiple of kPackedChannelMultiple.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_CPU_WEIGHTPACKING_H
#define QC_LOWERING_CPU_WEIGHTPACKING_H

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir {
namespace qc {

/// `count` filters rounded up to the packed channel multiple.
int64_t padChannels(int64_t count);

/// Where weight (filter o, row y, column x, channel i) of a layer of `f`
/// filters, KH x KW taps and C channels comes from in `weights`.
using WeightSource =
    llvm::function_ref<int64_t(int64_t o, int64_t y, int64_t x, int64_t i)>;

/// The layer's weights in the kernel's layout: float panels, or the int8
/// Halide layout when `integer`.
DenseElementsAttr packLayerWeights(DenseElementsAttr weights, bool integer,
                                   int64_t f, int64_t kh, int64_t kw, int64_t c,
                                   WeightSource source);

/// The int8 weights in the dot-product layout.
DenseElementsAttr packDotWeights(DenseElementsAttr weights, int64_t f,
                                 int64_t kh, int64_t kw, int64_t c,
                                 WeightSource source);

/// Each filter's sum of int8 weights (i32 [Fp], zero past the f filters).
DenseElementsAttr getFilterSums(DenseElementsAttr weights, int64_t f,
                                int64_t kh, int64_t kw, int64_t c,
                                WeightSource source);

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_CPU_WEIGHTPACKING_H
