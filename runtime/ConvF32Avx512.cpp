//===- ConvF32Avx512.cpp - fp32 convolution microkernel for AVX-512 -------===//
//
// Implements ConvF32Avx512.h with intrinsics, in the structure of the
// microkernels of onnxruntime's MLAS and IREE: a register tile of 12 output
// columns x 32 filters (24 accumulators; 24 columns x 16 filters for layers
// of at most 16) takes, per input channel of each tap, the panel's weight
// vectors and one broadcast input per column, and stays in registers until
// its output transform. Each task sweeps its rows with one 32-filter panel
// at a time, so that the panel (a contiguous stream: 9 x 512 x 32 floats is
// 590 KB) stays in L2 while the rows pass.
//
// Why intrinsics rather than a Halide schedule: the Halide 14 kernel
// (ukernels/ConvF32Generator.cpp), tuned over several schedules, reached
// 53-80% of the FMA peak on VGG's and ResNet-18's layers and this kernel
// 84-95% (bench/layers.py); giving the generator the panel layout (a fifth
// weight dimension) was not tried. The Halide kernel stays the portable
// fallback below AVX-512, called once per panel.
//
// Tasks are (image, group of panels, block of work units), a unit being one
// output row or, for rows wider than kChunkColumns (a dense layer is one
// row of M pixels), a chunk of one; blocks shrink until there are tasks
// enough for the pool.
//
//===----------------------------------------------------------------------===//

#include "runtime/ConvF32Avx512.h"

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

/// Filters per weight panel.
constexpr int64_t kPanel = 32;
/// Columns per unit of work at most.
constexpr int64_t kChunkColumns = 96;
/// Tasks wanted at least.
constexpr int64_t kMinTasks = 16;

/// One register tile: `Columns` output pixels of row (n, y) from x0 on, and
/// `Vectors` x 16 filters of panel `panel`, stored with
/// the output transform.
template <int Columns, int Vectors>
QC_TARGET_AVX512 void runTile(const ConvF32Problem &p, int64_t n, int64_t y,
                              int64_t x0, int64_t panel) {
  const int64_t channels = p.g.inSizes[3];
  const int64_t columnStep = p.g.strideW * p.g.inStrides[2];
  const float *panelWeights =
      p.weights + panel * p.g.kernelH * p.g.kernelW * channels * kPanel;
  __m512 acc[Columns][Vectors];
  for (int r = 0; r < Columns; ++r)
    for (int v = 0; v < Vectors; ++v)
      acc[r][v] = _mm512_setzero_ps();
  for (int64_t ky = 0; ky < p.g.kernelH; ++ky) {
    const float *row =
        p.input + n * p.g.inStrides[0] +
        (y * p.g.strideH + ky * p.g.dilationH) * p.g.inStrides[1];
    for (int64_t kx = 0; kx < p.g.kernelW; ++kx) {
      const float *x =
          row + (x0 * p.g.strideW + kx * p.g.dilationW) * p.g.inStrides[2];
      const float *w =
          panelWeights + (ky * p.g.kernelW + kx) * channels * kPanel;
      for (int64_t c = 0; c < channels; ++c) {
        __m512 wv[Vectors];
        for (int v = 0; v < Vectors; ++v)
          wv[v] = _mm512_loadu_ps(w + c * kPanel + 16 * v);
        for (int r = 0; r < Columns; ++r) {
          __m512 in = _mm512_set1_ps(x[r * columnStep + c]);
          for (int v = 0; v < Vectors; ++v)
            acc[r][v] = _mm512_fmadd_ps(in, wv[v], acc[r][v]);
        }
      }
    }
  }
  // clamp(bias + [out] + acc): max/min return their second operand when
  // either is NaN, so a NaN sum passes as it passes arith.maximumf.
  const int64_t filters = p.g.outSizes[3];
  const __m512 lo = _mm512_set1_ps(p.lo), hi = _mm512_set1_ps(p.hi);
  // Where column r of the tile goes: along the row, or, for a flattened
  // layer, at its pixel of the real output rows.
  float *columnOut[Columns];
  for (int r = 0; r < Columns; ++r) {
    int64_t outY = y, outX = x0 + r;
    if (p.rowWidth > 0) {
      outY = outX / p.rowWidth;
      outX %= p.rowWidth;
    }
    columnOut[r] = p.output + n * p.g.outStrides[0] + outY * p.rowStride +
                   outX * p.g.outStrides[2];
  }
  for (int v = 0; v < Vectors; ++v) {
    int64_t first = panel * kPanel + 16 * v;
    int64_t lanes = filters - first < 16 ? filters - first : 16;
    if (lanes <= 0)
      break;
    __mmask16 mask = static_cast<__mmask16>((1u << lanes) - 1);
    __m512 bias = p.broadcastBias ? _mm512_set1_ps(p.bias[0])
                                  : _mm512_maskz_loadu_ps(mask, p.bias + first);
    for (int r = 0; r < Columns; ++r) {
      float *o = columnOut[r] + first;
      __m512 sum = bias;
      if (p.g.accumulate)
        sum = _mm512_add_ps(sum, _mm512_maskz_loadu_ps(mask, o));
      sum = _mm512_add_ps(sum, acc[r][v]);
      sum = _mm512_min_ps(hi, _mm512_max_ps(lo, sum));
      _mm512_mask_storeu_ps(o, mask, sum);
    }
  }
}

/// Filters of a single-channel layer at most for which pixel tiles beat
/// filter tiles (these use F of 16 lanes).
constexpr int64_t kMaxPixelTileFilters = 8;

/// A pixel tile of a single-channel layer of stride 1 along W: output pixels
/// x0 .. x0 + 31 of row (n, y) (masked past `xEnd`) in two vectors, one
/// accumulator pair per filter, so that every lane does useful work (a
/// filter tile of such a layer uses F of 16 lanes: 6 in LeNet-5's first
/// layer). The input row is one contiguous load per tap; the tile is
/// transposed to NHWC through a small buffer at the store. The sums add the
/// taps in the filter tile's order, so both tiles give the same values.
template <int Filters>
QC_TARGET_AVX512 void runPixelTile(const ConvF32Problem &p, int64_t n,
                                   int64_t y, int64_t x0, int64_t xEnd) {
  constexpr int64_t filters = Filters;
  const int64_t count = xEnd - x0 < 32 ? xEnd - x0 : 32;
  const __mmask16 mask0 = getLaneMask(count, 0), mask1 = getLaneMask(count, 1);
  __m512 acc[Filters][2];
  for (int64_t f = 0; f < filters; ++f)
    acc[f][0] = acc[f][1] = _mm512_setzero_ps();
  for (int64_t ky = 0; ky < p.g.kernelH; ++ky) {
    const float *row =
        p.input + n * p.g.inStrides[0] +
        (y * p.g.strideH + ky * p.g.dilationH) * p.g.inStrides[1];
    for (int64_t kx = 0; kx < p.g.kernelW; ++kx) {
      const float *x = row + (x0 + kx * p.g.dilationW) * p.g.inStrides[2];
      __m512 in0 = _mm512_maskz_loadu_ps(mask0, x);
      __m512 in1 = _mm512_maskz_loadu_ps(mask1, x + 16);
      // Panel 0, tap (ky, kx), channel 0: the layer's filters.
      const float *w = p.weights + (ky * p.g.kernelW + kx) * kPanel;
      for (int64_t f = 0; f < filters; ++f) {
        __m512 wf = _mm512_set1_ps(w[f]);
        acc[f][0] = _mm512_fmadd_ps(in0, wf, acc[f][0]);
        acc[f][1] = _mm512_fmadd_ps(in1, wf, acc[f][1]);
      }
    }
  }
  alignas(64) float sums[Filters][32];
  for (int64_t f = 0; f < filters; ++f) {
    _mm512_store_ps(sums[f], acc[f][0]);
    _mm512_store_ps(sums[f] + 16, acc[f][1]);
  }
  float *outRow = p.output + n * p.g.outStrides[0] + y * p.g.outStrides[1];
  for (int64_t i = 0; i < count; ++i) {
    float *o = outRow + (x0 + i) * p.g.outStrides[2];
    for (int64_t f = 0; f < filters; ++f) {
      // As the filter tile's store: clamp(bias + [out] + sum), a NaN
      // passing the clamp.
      float sum = p.broadcastBias ? p.bias[0] : p.bias[f];
      if (p.g.accumulate)
        sum += o[f];
      sum += sums[f][i];
      sum = p.lo > sum ? p.lo : sum;
      o[f] = p.hi < sum ? p.hi : sum;
    }
  }
}

using TileFn = void (*)(const ConvF32Problem &, int64_t, int64_t, int64_t,
                        int64_t);
/// runPixelTile<1> to runPixelTile<sizeof...(Filters)>.
template <size_t... Filters>
constexpr std::array<TileFn, sizeof...(Filters)>
makePixelTiles(std::index_sequence<Filters...>) {
  return {&runPixelTile<int(Filters) + 1>...};
}
constexpr auto kPixelTiles =
    makePixelTiles(std::make_index_sequence<kMaxPixelTileFilters>());
/// runTile<1, Vectors> to runTile<sizeof...(Columns), Vectors>.
template <int Vectors, size_t... Columns>
constexpr std::array<TileFn, sizeof...(Columns)>
makeTiles(std::index_sequence<Columns...>) {
  return {&runTile<int(Columns) + 1, Vectors>...};
}
/// Tiles of 1 to 12 columns of 32 filters, and of 1 to 24 columns of 16
/// filters (for layers of at most 16).
constexpr auto kWideTiles = makeTiles<2>(std::make_index_sequence<12>());
constexpr auto kNarrowTiles = makeTiles<1>(std::make_index_sequence<24>());

struct Tasks {
  const ConvF32Problem *problem;
  /// Column chunks per row, work units per block, blocks per image, panel
  /// groups and panels per group.
  int64_t chunks, unitsPerBlock, blocks, groups, panelsPerGroup;
};

/// Task `index`: block, panel group and image, innermost first.
int32_t runTask(void *closure, int32_t index) {
  const Tasks &t = *static_cast<const Tasks *>(closure);
  const ConvF32Problem &p = *t.problem;
  int64_t block = index % t.blocks;
  int64_t group = index / t.blocks % t.groups;
  int64_t n = index / t.blocks / t.groups;
  int64_t units = p.g.outSizes[1] * t.chunks;
  int64_t u0 = block * t.unitsPerBlock;
  int64_t u1 = u0 + t.unitsPerBlock < units ? u0 + t.unitsPerBlock : units;
  int64_t filters = p.g.outSizes[3];
  bool narrow = filters <= 16;
  int64_t maxColumns = narrow ? 24 : 12;
  int64_t firstPanel = group * t.panelsPerGroup;
  for (int64_t panel = firstPanel;
       panel < firstPanel + t.panelsPerGroup && panel * kPanel < filters;
       ++panel)
    for (int64_t u = u0; u < u1; ++u) {
      int64_t y = u / t.chunks, chunk = u % t.chunks;
      int64_t xBegin = chunk * kChunkColumns;
      int64_t xEnd = xBegin + kChunkColumns < p.g.outSizes[2]
                         ? xBegin + kChunkColumns
                         : p.g.outSizes[2];
      if (p.pixelTiles) {
        for (int64_t x0 = xBegin; x0 < xEnd; x0 += 32)
          kPixelTiles[filters - 1](p, n, y, x0, xEnd);
        continue;
      }
      // Tiles of equal width: 14 columns as 7 + 7 rather than 12 + 2.
      int64_t width = xEnd - xBegin;
      int64_t tiles = (width + maxColumns - 1) / maxColumns;
      int64_t columns = (width + tiles - 1) / tiles;
      for (int64_t x0 = xBegin; x0 < xEnd; x0 += columns) {
        int64_t count = (x0 + columns < xEnd ? x0 + columns : xEnd) - x0;
        if (narrow)
          kNarrowTiles[count - 1](p, n, y, x0, panel);
        else
          kWideTiles[count - 1](p, n, y, x0, panel);
      }
    }
  return 0;
}

} // namespace

namespace mlir {
namespace qc {

bool canRunConvF32Avx512(const ConvF32Problem &p) {
  if (qc_rt_isa_level() < kIsaAvx512 || !isDirectConvGeometry(p.g) ||
      p.g.outSizes[3] > p.panels * kPanel)
    return false;
  int64_t chunks = (p.g.outSizes[2] + kChunkColumns - 1) / kChunkColumns;
  return p.g.outSizes[0] * p.g.outSizes[1] * chunks * p.panels <= INT32_MAX;
}

void convF32Avx512(const ConvF32Problem &original) {
  ConvF32Problem p = original;
  p.rowStride = p.g.outStrides[1];
  // A 1x1 layer of stride 1 whose input rows follow one another is one row
  // of H x W pixels, cut into full tiles; its outputs still go to their
  // rows, which may have gaps (the interior of a padded buffer).
  const ConvGeometry &g = original.g;
  if (g.kernelH == 1 && g.kernelW == 1 && g.strideH == 1 && g.strideW == 1 &&
      g.outSizes[1] > 1 && g.inSizes[1] == g.outSizes[1] &&
      g.inSizes[2] == g.outSizes[2] &&
      g.inStrides[1] == g.inSizes[2] * g.inStrides[2]) {
    p.rowWidth = g.outSizes[2];
    p.g.inSizes[2] = p.g.outSizes[2] = g.outSizes[1] * g.outSizes[2];
    p.g.inSizes[1] = p.g.outSizes[1] = 1;
  }
  p.pixelTiles = g.inSizes[3] == 1 && g.inStrides[2] == 1 &&
                 g.outSizes[3] <= kMaxPixelTileFilters && g.strideW == 1 &&
                 p.rowWidth == 0;
  int64_t chunks = (p.g.outSizes[2] + kChunkColumns - 1) / kChunkColumns;
  int64_t units = p.g.outSizes[1] * chunks;
  int64_t images = p.g.outSizes[0];
  int64_t panels = (p.g.outSizes[3] + kPanel - 1) / kPanel;
  // Whole images per task when there are images enough; else panels split
  // into groups, then the units into blocks.
  int64_t groups = 1, blocks = 1;
  if (images < kMinTasks) {
    groups = (kMinTasks + images - 1) / images;
    groups = groups < panels ? groups : panels;
    int64_t tasks = images * groups;
    if (tasks < kMinTasks) {
      blocks = (kMinTasks + tasks - 1) / tasks;
      blocks = blocks < units ? blocks : units;
    }
  }
  int64_t panelsPerGroup = (panels + groups - 1) / groups;
  groups = (panels + panelsPerGroup - 1) / panelsPerGroup;
  int64_t unitsPerBlock = (units + blocks - 1) / blocks;
  blocks = (units + unitsPerBlock - 1) / unitsPerBlock;
  Tasks tasks{&p, chunks, unitsPerBlock, blocks, groups, panelsPerGroup};
  qc_rt_parallel_for(static_cast<int32_t>(images * groups * blocks), runTask,
                     &tasks);
}

} // namespace qc
} // namespace mlir
