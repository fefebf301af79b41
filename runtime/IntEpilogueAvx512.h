//===- IntEpilogueAvx512.h - Fused output stages on 16 sums -----*- C++ -*-===//
//
// IntEpilogue.h's stages applied to a vector of 16 int32 sums with AVX-512
// F instructions, for the store of the integer and binary convolutions'
// register tiles. The functions carry AVX-512 F as their target and are
// always inlined, so that callers compiled for a superset (VNNI, VPOPCNTDQ)
// take them as their own code. Internal to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_INTEPILOGUEAVX512_H
#define QC_RUNTIME_INTEPILOGUEAVX512_H

#include "runtime/IntEpilogue.h"

#include <immintrin.h>

#define QC_EPILOGUE_AVX512                                                     \
  __attribute__((target("avx512f"), always_inline)) inline

namespace mlir {
namespace qc {

/// The scale and shift of an epilogue for 16 filters, loaded once per
/// vector of filters of a tile.
struct EpilogueVectors {
  __m512 scale, shift;
};

/// The scale and shift of epilogue `e` for filters first to first + 15
/// (lanes in `mask`; the others zero).
QC_EPILOGUE_AVX512 EpilogueVectors loadEpilogue16(const IntEpilogue &e,
                                                  int64_t first,
                                                  __mmask16 mask) {
  return {e.scaleStride ? _mm512_maskz_loadu_ps(mask, e.scale + first)
                        : _mm512_set1_ps(e.scale[0]),
          e.shiftStride ? _mm512_maskz_loadu_ps(mask, e.shift + first)
                        : _mm512_set1_ps(e.shift[0])};
}

/// What epilogue `e` (not kSums) stores for 16 sums `sums` with their
/// filters' scale and shift `vectors`: applyIntEpilogue in vectors. The max
/// and min return their second operand on equal zeros, which is IEEE's
/// answer for the +0 of relu; for the requantization's bounds the sign of a
/// zero does not reach the integer stored.
QC_EPILOGUE_AVX512 __m512i applyEpilogue16(const IntEpilogue &e, __m512i sums,
                                           const EpilogueVectors &vectors) {
  const __m512 scale = vectors.scale, shift = vectors.shift;
  __m512 x =
      _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(sums), scale), shift);
  if (e.relu)
    x = _mm512_max_ps(x, _mm512_setzero_ps());
  if (e.kind == IntEpilogue::kDequantize)
    return _mm512_castps_si512(x);
  constexpr int kEven = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
  const __m512 divisor = _mm512_set1_ps(e.divisor);
  x = _mm512_roundscale_ps(_mm512_div_ps(x, divisor), kEven);
  x = _mm512_add_ps(x, _mm512_set1_ps(e.zeroPoint));
  x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(e.lo)),
                    _mm512_set1_ps(e.hi));
  if (e.roundTrip)
    x = _mm512_roundscale_ps(_mm512_div_ps(_mm512_mul_ps(x, divisor), divisor),
                             kEven);
  return _mm512_cvttps_epi32(x);
}

} // namespace qc
} // namespace mlir

#undef QC_EPILOGUE_AVX512

#endif // QC_RUNTIME_INTEPILOGUEAVX512_H
