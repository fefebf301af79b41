//===- ConvU8S8.cpp - int8 convolution on u8 x s8 dot products ------------===//
//
// Implements ConvU8S8.h with AVX512-VNNI intrinsics. Written by hand rather
// than as a Halide generator because the activations arrive in int32
// containers: each output row narrows the input rows it reads to u8 with an
// offset chosen from their values at run time (their minimum), adds the
// offset's term back through the per-filter weight sums, and takes an exact
// int32 route when the values do not fit in 8 bits. That data-dependent
// choice per row is control flow a Halide pipeline does not express.
//
// Per task (a block of up to 4 output rows, or a group of its filters when
// blocks are few): the input rows the block reads are narrowed into a stack
// buffer [rows][W][CB * 4] once, then register tiles of up to 12 columns x
// 32 filters (24 accumulators; 24 columns x 16 filters for layers of at
// most 16) broadcast four input channels and multiply them with 16 filters
// x 4 channels of weights per vpdpbusd. Where the CPU has AMX-INT8 and the
// OS grants it (qc_rt_amx_usable), the narrowed rows feed tiles of 16
// pixels x 16 filters instead (ConvAmx.h); both routes store their sums
// through the same code (prepareStore / storeVector).
//
//===----------------------------------------------------------------------===//

#include "runtime/ConvU8S8.h"

#include "runtime/AmxSupport.h"
#include "runtime/ConvAmx.h"
#include "runtime/CpuFeatures.h"
#include "runtime/IntEpilogueAvx512.h"
#include "runtime/RuntimeCalls.h"

#include <array>
#include <immintrin.h>
#include <stdint.h>
#include <string.h>
#include <utility>

#define QC_TARGET_VNNI                                                         \
  __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vnni")))

using namespace mlir::qc;

namespace {

/// The narrowed rows of one task live on the stack; larger rows are left
/// to the caller's fallback.
constexpr int64_t kMaxRowBytes = 64 * 1024;
/// Filters per register tile (two 16-lane vectors).
constexpr int64_t kTileFilters = 32;
/// Tasks wanted at least; rows are split by filters below this.
constexpr int64_t kMinTasks = 16;
/// Output rows per task at most.
constexpr int64_t kMaxTaskRows = 4;

/// The weights of filter f (and the rest of its panel from f on) at tap
/// (ky, kx), block 0: panels [Fp/32][KH][KW][CB][32][4].
inline const int8_t *getPanelTap(const ConvU8S8Problem &p, int64_t f,
                                 int64_t ky, int64_t kx) {
  int64_t panel = f / kTileFilters, lane = f % kTileFilters;
  return p.weights +
         ((panel * p.g.kernelH + ky) * p.g.kernelW + kx) * p.blocks *
             kTileFilters * 4 +
         lane * 4;
}

/// How a tile stores its sums of filters `first` to first + 15: the
/// narrowed-away term offset * sums[f], the lanes of filters that exist
/// and, for a fused epilogue, its scale and shift. Shared by the VNNI and
/// AMX routes, so that both store the same bits.
struct VectorStore {
  int64_t first;
  __mmask16 mask;
  __m512i term;
  bool fused;
  EpilogueVectors vectors;
};

/// Sets `store` up for filters first to first + 15; false when none of
/// them exists.
QC_TARGET_VNNI inline bool prepareStore(const ConvU8S8Problem &p, int64_t first,
                                        int32_t offset, VectorStore &store) {
  int64_t lanes = p.g.outSizes[3] - first < 16 ? p.g.outSizes[3] - first : 16;
  if (lanes <= 0)
    return false;
  store.first = first;
  store.mask = static_cast<__mmask16>((1u << lanes) - 1);
  store.term = _mm512_mullo_epi32(_mm512_set1_epi32(offset),
                                  _mm512_loadu_si512(p.sums + first));
  store.fused = p.epilogue.kind != IntEpilogue::kSums;
  if (store.fused)
    store.vectors = loadEpilogue16(p.epilogue, first, store.mask);
  else
    store.vectors.scale = store.vectors.shift = _mm512_setzero_ps();
  return true;
}

/// Stores one pixel's 16 sums `acc` at `pixel` (its output at filter 0):
/// adds the term, then applies the epilogue, or adds the initial output
/// when accumulating.
QC_TARGET_VNNI inline void storeVector(const ConvU8S8Problem &p,
                                       const VectorStore &store, __m512i acc,
                                       int32_t *pixel) {
  int32_t *o = pixel + store.first;
  __m512i sum = _mm512_add_epi32(acc, store.term);
  if (store.fused)
    sum = applyEpilogue16(p.epilogue, sum, store.vectors);
  else if (p.g.accumulate)
    sum = _mm512_add_epi32(_mm512_maskz_loadu_epi32(store.mask, o), sum);
  _mm512_mask_storeu_epi32(o, store.mask, sum);
}

/// One register tile: `columns` output pixels from x0 on, filters f0 to
/// f0 + 31, added to `out` (the output at (n, y, x0, 0)). `rows` points at
/// the narrowed input row y * strideH (the taps' rows follow dilationH rows
/// apart), `offset` is the value subtracted from them.
template <int Columns, int Vectors>
QC_TARGET_VNNI void runTile(const ConvU8S8Problem &p, const uint8_t *rows,
                            int64_t x0, int64_t f0, int32_t offset,
                            int32_t *out) {
  const int64_t blockBytes = 4, c4 = p.blocks * blockBytes;
  const int64_t rowBytes = p.g.inSizes[2] * c4;
  const int64_t columnStep = p.g.strideW * c4;
  const int64_t blockStride = kTileFilters * blockBytes;
  __m512i acc[Columns][Vectors];
  for (int r = 0; r < Columns; ++r)
    for (int v = 0; v < Vectors; ++v)
      acc[r][v] = _mm512_setzero_si512();
  for (int64_t ky = 0; ky < p.g.kernelH; ++ky) {
    const uint8_t *row = rows + ky * p.g.dilationH * rowBytes;
    for (int64_t kx = 0; kx < p.g.kernelW; ++kx) {
      const uint8_t *x = row + (x0 * p.g.strideW + kx * p.g.dilationW) * c4;
      const int8_t *w = getPanelTap(p, f0, ky, kx);
      for (int64_t b = 0; b < p.blocks; ++b) {
        __m512i wv[Vectors];
        for (int v = 0; v < Vectors; ++v)
          wv[v] = _mm512_loadu_si512(w + b * blockStride + 64 * v);
        const uint8_t *xb = x + b * blockBytes;
        for (int r = 0; r < Columns; ++r) {
          int32_t four;
          memcpy(&four, xb + r * columnStep, sizeof four);
          __m512i in = _mm512_set1_epi32(four);
          for (int v = 0; v < Vectors; ++v)
            acc[r][v] = _mm512_dpbusd_epi32(acc[r][v], in, wv[v]);
        }
      }
    }
  }
  for (int v = 0; v < Vectors; ++v) {
    VectorStore store;
    if (!prepareStore(p, f0 + 16 * v, offset, store))
      break;
    for (int r = 0; r < Columns; ++r)
      storeVector(p, store, acc[r][v], out + r * p.g.outStrides[2]);
  }
}

/// The AMX route's store (AmxStoreFn): `pixels` rows of 32 sums stored as
/// runTile stores its accumulators.
QC_TARGET_VNNI void storeAmxSums(const ConvU8S8Problem &p, const int32_t *sums,
                                 int64_t pixels, int64_t f0, int32_t offset,
                                 int32_t *out) {
  for (int v = 0; v < 2; ++v) {
    VectorStore store;
    if (!prepareStore(p, f0 + 16 * v, offset, store))
      break;
    for (int64_t r = 0; r < pixels; ++r)
      storeVector(p, store,
                  _mm512_loadu_si512(sums + r * kTileFilters + 16 * v),
                  out + r * p.g.outStrides[2]);
  }
}

using TileFn = void (*)(const ConvU8S8Problem &, const uint8_t *, int64_t,
                        int64_t, int32_t, int32_t *);

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

/// Filters [f0, f1) of output row (n, y) in plain int32 arithmetic (wrapping
/// as the VNNI route does), for rows whose values span more than 8 bits.
void runExactRow(const ConvU8S8Problem &p, int64_t n, int64_t y, int64_t f0,
                 int64_t f1, int32_t *outRow) {
  const int64_t channels = p.g.inSizes[3];
  const int64_t blockStride = kTileFilters * 4;
  for (int64_t x = 0; x < p.g.outSizes[2]; ++x)
    for (int64_t f = f0; f < f1; ++f) {
      uint32_t sum = 0;
      for (int64_t ky = 0; ky < p.g.kernelH; ++ky)
        for (int64_t kx = 0; kx < p.g.kernelW; ++kx) {
          const int32_t *in =
              p.input + n * p.g.inStrides[0] +
              (y * p.g.strideH + ky * p.g.dilationH) * p.g.inStrides[1] +
              (x * p.g.strideW + kx * p.g.dilationW) * p.g.inStrides[2];
          const int8_t *w = getPanelTap(p, f, ky, kx);
          for (int64_t c = 0; c < channels; ++c)
            sum += static_cast<uint32_t>(int64_t(in[c]) *
                                         w[(c / 4) * blockStride + c % 4]);
        }
      int32_t *o = outRow + x * p.g.outStrides[2] + f;
      if (p.epilogue.kind != IntEpilogue::kSums)
        *o = applyIntEpilogue(p.epilogue, static_cast<int32_t>(sum), f);
      else
        *o = static_cast<int32_t>(
            (p.g.accumulate ? static_cast<uint32_t>(*o) : 0) + sum);
    }
}

struct Tasks {
  const ConvU8S8Problem *problem;
  /// Output rows per task, blocks of them per image, filter groups per
  /// block, and tiles of kTileFilters per group.
  int64_t rowsPerTask, blocksPerImage, groups, tilesPerGroup;
  /// kVnni, or an AMX route after the narrowing.
  ConvU8S8Route route;
};

/// Input rows that `outputRows` consecutive output rows read.
int64_t getInputRows(const ConvU8S8Problem &p, int64_t outputRows) {
  return (outputRows - 1) * p.g.strideH + (p.g.kernelH - 1) * p.g.dilationH + 1;
}

/// Task `index`: filter group index % groups of a block of output rows.
/// The input rows the block reads are narrowed once for all its rows.
QC_TARGET_VNNI int32_t runTask(void *closure, int32_t index) {
  const Tasks &tasks = *static_cast<const Tasks *>(closure);
  const ConvU8S8Problem &p = *tasks.problem;
  int64_t group = index % tasks.groups, block = index / tasks.groups;
  int64_t n = block / tasks.blocksPerImage;
  int64_t y0 = block % tasks.blocksPerImage * tasks.rowsPerTask;
  int64_t y1 = y0 + tasks.rowsPerTask < p.g.outSizes[1] ? y0 + tasks.rowsPerTask
                                                        : p.g.outSizes[1];
  const int64_t width = p.g.inSizes[2], channels = p.g.inSizes[3];
  const int64_t c4 = p.blocks * 4;
  int64_t f0 = group * tasks.tilesPerGroup * kTileFilters;
  int64_t f1 = f0 + tasks.tilesPerGroup * kTileFilters;
  if (f1 > p.g.outSizes[3])
    f1 = p.g.outSizes[3];
  const int64_t inputRows = getInputRows(p, y1 - y0);
  const int32_t *firstRow =
      p.input + n * p.g.inStrides[0] + y0 * p.g.strideH * p.g.inStrides[1];
  auto inRow = [&](int64_t r) { return firstRow + r * p.g.inStrides[1]; };

  // Rows whose pixels are contiguous and whose channels fill whole blocks
  // are flat arrays on both sides.
  const bool flat = p.g.inStrides[2] == channels && channels == c4;
  // Otherwise pixels of at most 16 channels go one masked vector each (the
  // first layers: 1 or 3 channels; LeNet-5's second: 6).
  const bool perPixel = !flat && channels <= 16;
  const __mmask16 pixelMask =
      perPixel ? static_cast<__mmask16>((1u << channels) - 1) : 0;
  int32_t lo = INT32_MAX, hi = INT32_MIN;
  if (flat) {
    const int64_t count = width * channels;
    __m512i vlo = _mm512_set1_epi32(INT32_MAX),
            vhi = _mm512_set1_epi32(INT32_MIN);
    for (int64_t r = 0; r < inputRows; ++r) {
      const int32_t *src = inRow(r);
      int64_t i = 0;
      for (; i + 16 <= count; i += 16) {
        __m512i v = _mm512_loadu_si512(src + i);
        vlo = _mm512_min_epi32(vlo, v);
        vhi = _mm512_max_epi32(vhi, v);
      }
      __mmask16 tail = static_cast<__mmask16>((1u << (count - i)) - 1);
      __m512i v = _mm512_maskz_loadu_epi32(tail, src + i);
      vlo = _mm512_mask_min_epi32(vlo, tail, vlo, v);
      vhi = _mm512_mask_max_epi32(vhi, tail, vhi, v);
    }
    lo = _mm512_reduce_min_epi32(vlo);
    hi = _mm512_reduce_max_epi32(vhi);
  } else if (perPixel) {
    __m512i vlo = _mm512_set1_epi32(INT32_MAX),
            vhi = _mm512_set1_epi32(INT32_MIN);
    for (int64_t r = 0; r < inputRows; ++r)
      for (int64_t x = 0; x < width; ++x) {
        __m512i v = _mm512_maskz_loadu_epi32(pixelMask,
                                             inRow(r) + x * p.g.inStrides[2]);
        vlo = _mm512_mask_min_epi32(vlo, pixelMask, vlo, v);
        vhi = _mm512_mask_max_epi32(vhi, pixelMask, vhi, v);
      }
    lo = _mm512_reduce_min_epi32(vlo);
    hi = _mm512_reduce_max_epi32(vhi);
  } else {
    for (int64_t r = 0; r < inputRows; ++r)
      for (int64_t x = 0; x < width; ++x) {
        const int32_t *px = inRow(r) + x * p.g.inStrides[2];
        for (int64_t c = 0; c < channels; ++c) {
          lo = px[c] < lo ? px[c] : lo;
          hi = px[c] > hi ? px[c] : hi;
        }
      }
  }
  if (int64_t(hi) - lo > 255) {
    for (int64_t y = y0; y < y1; ++y)
      runExactRow(p, n, y, f0, f1,
                  p.output + n * p.g.outStrides[0] + y * p.g.outStrides[1]);
    return 0;
  }
  alignas(64) uint8_t rows[kMaxRowBytes];
  const int64_t rowBytes = width * c4;
  if (flat) {
    const __m512i base = _mm512_set1_epi32(lo);
    for (int64_t r = 0; r < inputRows; ++r) {
      const int32_t *src = inRow(r);
      uint8_t *q = rows + r * rowBytes;
      int64_t i = 0;
      for (; i + 16 <= rowBytes; i += 16)
        _mm_storeu_si128(reinterpret_cast<__m128i *>(q + i),
                         _mm512_cvtepi32_epi8(_mm512_sub_epi32(
                             _mm512_loadu_si512(src + i), base)));
      for (; i < rowBytes; ++i)
        q[i] = static_cast<uint8_t>(src[i] - lo);
    }
  } else if (perPixel) {
    // The channels narrowed, the block's padding channels zero.
    const __m512i base = _mm512_set1_epi32(lo);
    const __mmask16 blockMask = static_cast<__mmask16>((1u << c4) - 1);
    for (int64_t r = 0; r < inputRows; ++r)
      for (int64_t x = 0; x < width; ++x) {
        __m512i v = _mm512_maskz_loadu_epi32(pixelMask,
                                             inRow(r) + x * p.g.inStrides[2]);
        _mm_mask_storeu_epi8(
            rows + r * rowBytes + x * c4, blockMask,
            _mm512_cvtepi32_epi8(_mm512_maskz_sub_epi32(pixelMask, v, base)));
      }
  } else {
    for (int64_t r = 0; r < inputRows; ++r)
      for (int64_t x = 0; x < width; ++x) {
        const int32_t *px = inRow(r) + x * p.g.inStrides[2];
        uint8_t *q = rows + r * rowBytes + x * c4;
        for (int64_t c = 0; c < channels; ++c)
          q[c] = static_cast<uint8_t>(px[c] - lo);
        for (int64_t c = channels; c < c4; ++c)
          q[c] = 0;
      }
  }
  if (tasks.route != ConvU8S8Route::kVnni) {
    runAmxRows({&p, rows, n, y0, y1, f0, f1, lo, storeAmxSums}, tasks.route);
    return 0;
  }
  // Tiles of equal width: 14 columns as 7 + 7 rather than 12 + 2, whose
  // second tile would load two weight vectors per four dot products.
  const bool narrow = p.g.outSizes[3] <= 16;
  const int64_t maxColumns = narrow ? 24 : 12;
  const TileFn *tileFns = narrow ? kNarrowTiles.data() : kWideTiles.data();
  const int64_t tiles = (p.g.outSizes[2] + maxColumns - 1) / maxColumns;
  const int64_t columns = (p.g.outSizes[2] + tiles - 1) / tiles;
  // Panel by panel, so that a panel's weights stay in cache over the rows.
  for (int64_t f = f0; f < f1; f += kTileFilters)
    for (int64_t y = y0; y < y1; ++y) {
      const uint8_t *taps = rows + (y - y0) * p.g.strideH * rowBytes;
      int32_t *outRow =
          p.output + n * p.g.outStrides[0] + y * p.g.outStrides[1];
      for (int64_t x0 = 0; x0 < p.g.outSizes[2]; x0 += columns) {
        int64_t end =
            x0 + columns < p.g.outSizes[2] ? x0 + columns : p.g.outSizes[2];
        tileFns[end - x0 - 1](p, taps, x0, f, lo,
                              outRow + x0 * p.g.outStrides[2]);
      }
    }
  return 0;
}

} // namespace

namespace mlir {
namespace qc {

bool canRunConvU8S8(const ConvU8S8Problem &p) {
  if (qc_rt_isa_level() < kIsaAvx512Vnni || !isDirectConvGeometry(p.g))
    return false;
  if (p.blocks * 4 < p.g.inSizes[3] || p.blocks * 4 - p.g.inSizes[3] >= 4 ||
      p.paddedFilters % kTileFilters || p.g.outSizes[3] > p.paddedFilters)
    return false;
  if (getInputRows(p, 1) * p.g.inSizes[2] * p.blocks * 4 > kMaxRowBytes)
    return false;
  int64_t rows = p.g.outSizes[0] * p.g.outSizes[1];
  return rows * (p.paddedFilters / kTileFilters) <= INT32_MAX;
}

void convU8S8(const ConvU8S8Problem &p) {
  convU8S8WithRoute(p, qc_rt_amx_usable() ? ConvU8S8Route::kAmx
                                          : ConvU8S8Route::kVnni);
}

void convU8S8WithRoute(const ConvU8S8Problem &p, ConvU8S8Route route) {
  // The tile instructions fault where the CPU or the OS lacks them.
  if (route == ConvU8S8Route::kAmx && !qc_rt_amx_usable())
    route = ConvU8S8Route::kVnni;
  // Blocks of up to kMaxTaskRows output rows share their narrowed input
  // rows (a 3x3 layer narrows each input row 1.5 times instead of 3), as
  // long as every block fits the stack buffer and there are tasks enough.
  const int64_t rowBytes = p.g.inSizes[2] * p.blocks * 4;
  int64_t rowsPerTask = kMaxTaskRows;
  while (
      rowsPerTask > 1 &&
      (getInputRows(p, rowsPerTask) * rowBytes > kMaxRowBytes ||
       p.g.outSizes[0] * ((p.g.outSizes[1] + rowsPerTask - 1) / rowsPerTask) <
           kMinTasks))
    --rowsPerTask;
  int64_t blocksPerImage = (p.g.outSizes[1] + rowsPerTask - 1) / rowsPerTask;
  int64_t blocks = p.g.outSizes[0] * blocksPerImage;
  int64_t tiles = (p.g.outSizes[3] + kTileFilters - 1) / kTileFilters;
  int64_t groups = 1;
  if (blocks < kMinTasks) {
    groups = (kMinTasks + blocks - 1) / blocks;
    groups = groups < tiles ? groups : tiles;
  }
  int64_t tilesPerGroup = (tiles + groups - 1) / groups;
  groups = (tiles + tilesPerGroup - 1) / tilesPerGroup;
  Tasks tasks{&p, rowsPerTask, blocksPerImage, groups, tilesPerGroup, route};
  qc_rt_parallel_for(static_cast<int32_t>(blocks * groups), runTask, &tasks);
}

} // namespace qc
} // namespace mlir
