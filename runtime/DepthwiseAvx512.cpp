//===- DepthwiseAvx512.cpp - fp32 depthwise convolution, AVX-512 ----------===//
//
// Implements DepthwiseAvx512.h with intrinsics: register tiles of 8 output
// columns x one 16-channel vector (the last masked), each tap's weight
// vector shared by the tile's 8 columns, the output transform applied at
// the store. Tasks are images, or blocks of output rows when the batch is
// small (batch 1 at 224 x 224).
//
// Why intrinsics rather than a Halide schedule: the Halide kernel
// (ukernels/DepthwiseF32Generator.cpp, 1 vector x 4 columns) took 17% of
// MobileNet-v2's time at about 9 G MAC/s; tiles of 8 columns with masked
// channel tails and the simpler loop nest are easier to keep in registers
// here than through its schedule. The Halide kernel stays the fallback.
//
//===----------------------------------------------------------------------===//

#include "runtime/DepthwiseAvx512.h"

#include "runtime/CpuFeatures.h"
#include "runtime/RuntimeCalls.h"

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
/// Tasks wanted at least.
constexpr int64_t kMinTasks = 16;

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

struct Tasks {
  const DepthwiseF32Problem *problem;
  /// Output rows per task and blocks of them per image.
  int64_t rowsPerTask, blocksPerImage;
};

int32_t runTask(void *closure, int32_t index) {
  const Tasks &t = *static_cast<const Tasks *>(closure);
  const DepthwiseF32Problem &p = *t.problem;
  const ConvGeometry &g = p.g;
  int64_t n = index / t.blocksPerImage;
  int64_t y0 = index % t.blocksPerImage * t.rowsPerTask;
  int64_t y1 =
      y0 + t.rowsPerTask < g.outSizes[1] ? y0 + t.rowsPerTask : g.outSizes[1];
  const int64_t channels = g.outSizes[3], width = g.outSizes[2];
  for (int64_t y = y0; y < y1; ++y)
    for (int64_t c = 0; c < channels; c += 16) {
      int64_t lanes = channels - c < 16 ? channels - c : 16;
      __mmask16 mask = static_cast<__mmask16>((1u << lanes) - 1);
      for (int64_t x0 = 0; x0 < width; x0 += kTileColumns) {
        int64_t count = width - x0 < kTileColumns ? width - x0 : kTileColumns;
        kTiles[count - 1](p, n, y, x0, c, mask);
      }
    }
  return 0;
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
  int64_t images = p.g.outSizes[0], rows = p.g.outSizes[1];
  int64_t blocks = images >= kMinTasks ? 1 : (kMinTasks + images - 1) / images;
  blocks = blocks < rows ? blocks : rows;
  int64_t rowsPerTask = (rows + blocks - 1) / blocks;
  blocks = (rows + rowsPerTask - 1) / rowsPerTask;
  Tasks tasks{&p, rowsPerTask, blocks};
  qc_rt_parallel_for(static_cast<int32_t>(images * blocks), runTask, &tasks);
}

} // namespace qc
} // namespace mlir
