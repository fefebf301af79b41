//===- PoolAvx512.cpp - fp32 max and sum pooling for AVX-512 --------------===//
//
// Implements PoolAvx512.h with intrinsics: each output pixel's channels go
// in 16-lane vectors, the last one masked, so that layers with fewer than
// 16 channels (LeNet-5's 6) stay vectorized; the Halide pooling kernel
// computes such a tail with scalar code, and its max pooling was 29% of
// LeNet-5's time. Tasks as RowTasks.h splits them.
//
//===----------------------------------------------------------------------===//

#include "runtime/PoolAvx512.h"

#include "runtime/CpuFeatures.h"
#include "runtime/RowTasks.h"

#include <immintrin.h>
#include <stdint.h>

#define QC_TARGET_AVX512                                                       \
  __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))

using namespace mlir::qc;

namespace {

/// Output row (n, y): every pixel, every channel vector.
QC_TARGET_AVX512 void poolRow(const PoolF32Problem &p, int64_t n, int64_t y) {
  const ConvGeometry &g = p.g;
  const int64_t channels = g.outSizes[3];
  const float *image = p.input + n * g.inStrides[0];
  float *outRow = p.output + n * g.outStrides[0] + y * g.outStrides[1];
  for (int64_t x = 0; x < g.outSizes[2]; ++x) {
    float *o = outRow + x * g.outStrides[2];
    for (int64_t c = 0; c < channels; c += 16) {
      int64_t lanes = channels - c < 16 ? channels - c : 16;
      __mmask16 mask = static_cast<__mmask16>((1u << lanes) - 1);
      __m512 acc = _mm512_maskz_loadu_ps(mask, o + c);
      // Lanes that have seen a NaN, which max_ps would drop.
      __mmask16 nan = _mm512_cmp_ps_mask(acc, acc, _CMP_UNORD_Q);
      for (int64_t ky = 0; ky < g.kernelH; ++ky) {
        const float *row =
            image + (y * g.strideH + ky * g.dilationH) * g.inStrides[1];
        for (int64_t kx = 0; kx < g.kernelW; ++kx) {
          __m512 tap = _mm512_maskz_loadu_ps(
              mask,
              row + (x * g.strideW + kx * g.dilationW) * g.inStrides[2] + c);
          if (p.sum) {
            acc = _mm512_add_ps(acc, tap);
          } else {
            nan |= _mm512_cmp_ps_mask(tap, tap, _CMP_UNORD_Q);
            acc = _mm512_max_ps(acc, tap);
          }
        }
      }
      if (!p.sum)
        acc = _mm512_mask_mov_ps(acc, nan, _mm512_set1_ps(__builtin_nanf("")));
      _mm512_mask_storeu_ps(o + c, mask, acc);
    }
  }
}

/// Output rows [y0, y1) of image n.
void poolRows(const void *problem, int64_t n, int64_t y0, int64_t y1) {
  for (int64_t y = y0; y < y1; ++y)
    poolRow(*static_cast<const PoolF32Problem *>(problem), n, y);
}

} // namespace

namespace mlir {
namespace qc {

bool canRunPoolF32Avx512(const PoolF32Problem &p) {
  return qc_rt_isa_level() >= kIsaAvx512 && isDirectConvGeometry(p.g) &&
         p.g.inSizes[3] == p.g.outSizes[3] &&
         p.g.outSizes[0] * p.g.outSizes[1] <= INT32_MAX;
}

void poolF32Avx512(const PoolF32Problem &p) {
  forEachRowBlock(p.g.outSizes[0], p.g.outSizes[1], poolRows, &p);
}

} // namespace qc
} // namespace mlir
