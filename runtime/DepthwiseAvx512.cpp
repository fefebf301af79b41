//===- DepthwiseAvx512.cpp - fp32 depthwise convolution, AVX-512 ----------===//
//
// Implements DepthwiseAvx512.h with intrinsics: register tiles of 8 output
// columns x one 16-channel vector (the last masked), each tap's weight
// vector shared by the tile's 8 columns, the output transform applied at
// the store. Tasks as RowTasks.h splits them.
//
// Why intrinsics rather than a Halide schedule: the Halide kernel
// (ukernels/DepthwiseF32Generator.cpp, 1 vector x 4 columns) took 17% of
// MobileNet-v2's time at about 9 G MAC/s and this one 14% at about 12 (its
// wider tiles were not tried in the Halide schedule). The Halide kernel
// stays the fallback below AVX-512.
//
//===----------------------------------------------------------------------===//

#include "runtime/DepthwiseAvx512.h"

#include "runtime/CpuFeatures.h"
#include "runtime/RowTasks.h"

#include <array>
#include <immintrin.h>
#include <stdint.h>
#include <utility>

#define QC_TARGET_AVX512                                                       \
  __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma")))

using namespace mlir::qc;

namespace {

/// Columns per register tile at most.
constexpr int kTileColumns = 8;

/// `Columns` output pixels of row (n, y) from x0 on, channels c to c + 15
/// (`mask` of them valid).
template <int Columns>
QC_TARGET_AVX512 void runTile(const DepthwiseF32Problem &p, int64_t n,
                              int64_t y, int64_t x0, int64_t c,
                              __mmask16 mask) {
  const ConvGeometry &g = p.g;
  const int64_t columnStep = g.strideW * g.inStrides[2];
  __m512 acc[Columns];
  for (int r = 0; r < Columns; ++r)
    acc[r] = _mm512_setzero_ps();
  for (int64_t ky = 0; ky < g.kernelH; ++ky) {
    const float *row = p.input + n * g.inStrides[0] +
                       (y * g.strideH + ky * g.dilationH) * g.inStrides[1] +
                       x0 * columnStep + c;
    for (int64_t kx = 0; kx < g.kernelW; ++kx) {
      __m512 w =
          _mm512_maskz_loadu_ps(mask, p.weights + ky * p.weightStrides[0] +
                                          kx * p.weightStrides[1] + c);
      const float *tap = row + kx * g.dilationW * g.inStrides[2];
      for (int r = 0; r < Columns; ++r)
        acc[r] = _mm512_fmadd_ps(
            _mm512_maskz_loadu_ps(mask, tap + r * columnStep), w, acc[r]);
    }
  }
  // clamp(bias + [out] + acc): max/min return their second operand when
  // either is NaN, so a NaN passes as it passes arith.maximumf.
  const __m512 lo = _mm512_set1_ps(p.lo), hi = _mm512_set1_ps(p.hi);
  const __m512 bias = p.broadcastBias ? _mm512_set1_ps(p.bias[0])
                                      : _mm512_maskz_loadu_ps(mask, p.bias + c);
  float *o = p.output + n * g.outStrides[0] + y * g.outStrides[1] +
             x0 * g.outStrides[2] + c;
  for (int r = 0; r < Columns; ++r) {
    float *at = o + r * g.outStrides[2];
    __m512 sum = bias;
    if (g.accumulate)
      sum = _mm512_add_ps(sum, _mm512_maskz_loadu_ps(mask, at));
    sum = _mm512_add_ps(sum, acc[r]);
    _mm512_mask_storeu_ps(at, mask, _mm512_min_ps(hi, _mm512_max_ps(lo, sum)));
  }
}

using TileFn = void (*)(const DepthwiseF32Problem &, int64_t, int64_t, int64_t,
                        int64_t, __mmask16);
template <size_t... Columns>
constexpr std::array<TileFn, sizeof...(Columns)>
makeTiles(std::index_sequence<Columns...>) {
  return {&runTile<int(Columns) + 1>...};
}
/// Tiles of 1 to kTileColumns columns.
constexpr auto kTiles = makeTiles(std::make_index_sequence<kTileColumns>());

/// Output rows [y0, y1) of image n.
void depthwiseRows(const void *problem, int64_t n, int64_t y0, int64_t y1) {
  const DepthwiseF32Problem &p =
      *static_cast<const DepthwiseF32Problem *>(problem);
  const int64_t channels = p.g.outSizes[3], width = p.g.outSizes[2];
  for (int64_t y = y0; y < y1; ++y)
    for (int64_t c = 0; c < channels; c += 16) {
      int64_t lanes = channels - c < 16 ? channels - c : 16;
      __mmask16 mask = static_cast<__mmask16>((1u << lanes) - 1);
      for (int64_t x0 = 0; x0 < width; x0 += kTileColumns) {
        int64_t count = width - x0 < kTileColumns ? width - x0 : kTileColumns;
        kTiles[count - 1](p, n, y, x0, c, mask);
      }
    }
}

} // namespace

namespace mlir {
namespace qc {

bool canRunDepthwiseF32Avx512(const DepthwiseF32Problem &p) {
  return qc_rt_isa_level() >= kIsaAvx512 && isDirectConvGeometry(p.g) &&
         p.g.inSizes[3] == p.g.outSizes[3] && p.weightStrides[0] >= 0 &&
         p.weightStrides[1] >= 0 &&
         p.g.outSizes[0] * p.g.outSizes[1] <= INT32_MAX;
}

void depthwiseF32Avx512(const DepthwiseF32Problem &p) {
  forEachRowBlock(p.g.outSizes[0], p.g.outSizes[1], depthwiseRows, &p);
}

} // namespace qc
} // namespace mlir
