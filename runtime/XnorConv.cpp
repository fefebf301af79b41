//===- XnorConv.cpp - Binary convolution on packed sign words -------------===//
//
// Implements XnorConv.h. The AVX-512 route is written with intrinsics
// rather than as a Halide generator because it needs VPOPCNTDQ, which
// Halide 14 neither targets nor detects (it would emulate the popcount),
// and a ternary-logic op for m & (a ^ w). Register tiles of up to 12
// output pixels x 32 output channels (24 accumulators) take one input word
// (and mask word) per pixel, broadcast, against two vectors of 16 weight
// words per tap and word. Other CPUs run portable loops over the output
// channels, compiled for AVX2 and for baseline x86-64 (the compiler's
// vector popcount there is a table lookup). A fused output stage is applied
// where each route stores its sums: in vectors by the tiles
// (IntEpilogueAvx512.h), per channel by the portable loops.
//
//===----------------------------------------------------------------------===//

#include "runtime/XnorConv.h"

#include "runtime/CpuFeatures.h"
#include "runtime/IntEpilogueAvx512.h"
#include "runtime/RowTasks.h"

#include <array>
#include <immintrin.h>
#include <stdint.h>
#include <utility>

#define QC_TARGET_POPCNT512                                                    \
  __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,"                  \
                        "avx512vpopcntdq")))

using namespace mlir::qc;

namespace {

/// Output channels per register tile (two 16-lane vectors).
constexpr int64_t kTileChannels = 32;
/// Output channels one call of the portable route keeps sums for.
constexpr int64_t kMaxChannels = 4096;

/// The input word of output pixel (n, y, x) at tap (ky, kx), word 0.
inline int64_t getInputOffset(const ConvGeometry &g, int64_t n, int64_t y,
                              int64_t x, int64_t ky, int64_t kx) {
  return n * g.inStrides[0] +
         (y * g.strideH + ky * g.dilationH) * g.inStrides[1] +
         (x * g.strideW + kx * g.dilationW) * g.inStrides[2];
}

/// out += base - 2 * mismatches for `count` channels of one pixel, in the
/// output's width (wrapping); with a fused epilogue, out = what it stores
/// for init + base - 2 * mismatches (wrapped to the sums' width).
inline void addToOutput(const XnorConvProblem &p, int64_t offset,
                        const int32_t *mismatches, int32_t base,
                        int64_t count) {
  if (p.epilogue.kind != IntEpilogue::kSums) {
    int32_t *out = static_cast<int32_t *>(p.output) + offset;
    for (int64_t o = 0; o < count; ++o) {
      uint32_t sum = static_cast<uint32_t>(p.init) +
                     static_cast<uint32_t>(base) -
                     2u * static_cast<uint32_t>(mismatches[o]);
      int32_t value = p.wide ? static_cast<int32_t>(sum)
                             : static_cast<int16_t>(static_cast<uint16_t>(sum));
      out[o] = applyIntEpilogue(p.epilogue, value, o);
    }
    return;
  }
  if (p.wide) {
    int32_t *out = static_cast<int32_t *>(p.output) + offset;
    for (int64_t o = 0; o < count; ++o)
      out[o] = static_cast<int32_t>(static_cast<uint32_t>(out[o]) +
                                    static_cast<uint32_t>(base) -
                                    2u * static_cast<uint32_t>(mismatches[o]));
    return;
  }
  int16_t *out = static_cast<int16_t *>(p.output) + offset;
  for (int64_t o = 0; o < count; ++o)
    out[o] = static_cast<int16_t>(static_cast<uint16_t>(
        static_cast<uint32_t>(out[o]) + static_cast<uint32_t>(base) -
        2u * static_cast<uint32_t>(mismatches[o])));
}

/// The store of a fused tile: `columns` pixels from x0 on of output row
/// (n, y), output channels f0 to f0 + 31 (those that exist), from the
/// tile's int32 sums `sums` [columns][32] (int16 sums in their low halves,
/// sign-extended here), through the problem's epilogue.
QC_TARGET_POPCNT512 __attribute__((noinline)) void
storeFusedSums(const XnorConvProblem &p, const int32_t *sums, int columns,
               int64_t n, int64_t y, int64_t x0, int64_t f0) {
  const ConvGeometry &g = p.g;
  const int64_t lanes = g.outSizes[3] - f0;
  int32_t *out = static_cast<int32_t *>(p.output) + n * g.outStrides[0] +
                 y * g.outStrides[1] + x0 * g.outStrides[2] + f0;
  for (int v = 0; v < 2 && 16 * v < lanes; ++v) {
    const __mmask16 mask = getLaneMask(lanes, v);
    const EpilogueVectors vectors =
        loadEpilogue16(p.epilogue, f0 + 16 * v, mask);
    for (int c = 0; c < columns; ++c) {
      __m512i sum = _mm512_load_si512(sums + c * kTileChannels + 16 * v);
      if (!p.wide)
        sum = _mm512_srai_epi32(_mm512_slli_epi32(sum, 16), 16);
      _mm512_mask_storeu_epi32(out + c * g.outStrides[2] + 16 * v, mask,
                               applyEpilogue16(p.epilogue, sum, vectors));
    }
  }
}

/// One register tile: `Columns` pixels from x0 on, output channels f0 to
/// f0 + 31 (the last tile masked), of output row (n, y), with or without the
/// zero mask. The loop over a word's pixels walks one pointer (the mask word
/// at a fixed distance from the input word) and broadcasts both words
/// straight from memory, so that the accumulators stay in registers.
/// `Fused` tiles hand their sums to storeFusedSums through a buffer on the
/// stack: with the epilogue's code in the tile, the compiler kept the
/// accumulators in memory.
template <int Columns, bool HasMask, bool Fused>
QC_TARGET_POPCNT512 void runTile(const XnorConvProblem &p, int64_t n, int64_t y,
                                 int64_t x0, int64_t f0,
                                 const int32_t *present) {
  const ConvGeometry &g = p.g;
  const int64_t words = g.inSizes[3], channels = g.outSizes[3];
  __m512i acc[Columns][2];
  for (int c = 0; c < Columns; ++c)
    acc[c][0] = acc[c][1] = _mm512_setzero_si512();
  const int64_t lanes =
      channels - f0 < kTileChannels ? channels - f0 : kTileChannels;
  const __mmask16 mask0 = getLaneMask(lanes, 0), mask1 = getLaneMask(lanes, 1);
  const int64_t step = g.strideW * g.inStrides[2];
  // Words from the input word to its mask word (the mask has the input's
  // layout).
  const intptr_t maskDistance = HasMask
                                    ? reinterpret_cast<intptr_t>(p.mask) -
                                          reinterpret_cast<intptr_t>(p.input)
                                    : 0;
  for (int64_t ky = 0; ky < g.kernelH; ++ky)
    for (int64_t kx = 0; kx < g.kernelW; ++kx) {
      const uint32_t *w =
          p.weights + ((ky * g.kernelW + kx) * words) * channels + f0;
      const uint32_t *first = p.input + getInputOffset(g, n, y, x0, ky, kx);
      for (int64_t word = 0; word < words; ++word, w += channels) {
        __m512i w0 = _mm512_maskz_loadu_epi32(mask0, w);
        __m512i w1 = _mm512_maskz_loadu_epi32(mask1, w + 16);
        const uint32_t *in = first + word;
        for (int c = 0; c < Columns; ++c, in += step) {
          __m512i a = _mm512_set1_epi32(static_cast<int32_t>(*in));
          if (HasMask) {
            const auto *m = reinterpret_cast<const uint32_t *>(
                reinterpret_cast<intptr_t>(in) + maskDistance);
            __m512i mv = _mm512_set1_epi32(static_cast<int32_t>(*m));
            // m & (a ^ w): truth table 0x28 over (a, w, m).
            acc[c][0] = _mm512_add_epi32(
                acc[c][0], _mm512_popcnt_epi32(
                               _mm512_ternarylogic_epi32(a, w0, mv, 0x28)));
            acc[c][1] = _mm512_add_epi32(
                acc[c][1], _mm512_popcnt_epi32(
                               _mm512_ternarylogic_epi32(a, w1, mv, 0x28)));
          } else {
            acc[c][0] = _mm512_add_epi32(
                acc[c][0], _mm512_popcnt_epi32(_mm512_xor_si512(a, w0)));
            acc[c][1] = _mm512_add_epi32(
                acc[c][1], _mm512_popcnt_epi32(_mm512_xor_si512(a, w1)));
          }
        }
      }
    }
  // A fused epilogue's sums: init + present - 2 * mismatches.
  if constexpr (Fused) {
    alignas(64) int32_t sums[Columns * kTileChannels];
    for (int c = 0; c < Columns; ++c) {
      __m512i base = _mm512_set1_epi32(
          static_cast<int32_t>(static_cast<uint32_t>(HasMask ? present[c] : 0) +
                               static_cast<uint32_t>(p.init)));
      for (int v = 0; v < 2; ++v)
        _mm512_store_si512(
            sums + c * kTileChannels + 16 * v,
            _mm512_sub_epi32(base, _mm512_slli_epi32(acc[c][v], 1)));
    }
    storeFusedSums(p, sums, Columns, n, y, x0, f0);
    return;
  }
  // out += present - 2 * mismatches, in vectors: in int32 lanes, or
  // truncated to int16 (the same sums modulo 2^16 as adding in int16).
  for (int c = 0; c < Columns; ++c) {
    int64_t offset = n * g.outStrides[0] + y * g.outStrides[1] +
                     (x0 + c) * g.outStrides[2] + f0;
    __m512i base = _mm512_set1_epi32(HasMask ? present[c] : 0);
    __m512i terms[2] = {
        _mm512_sub_epi32(base, _mm512_slli_epi32(acc[c][0], 1)),
        _mm512_sub_epi32(base, _mm512_slli_epi32(acc[c][1], 1))};
    const __mmask16 masks[2] = {mask0, mask1};
    for (int v = 0; v < 2; ++v) {
      if (p.wide) {
        int32_t *out = static_cast<int32_t *>(p.output) + offset + 16 * v;
        __m512i old = _mm512_maskz_loadu_epi32(masks[v], out);
        _mm512_mask_storeu_epi32(out, masks[v],
                                 _mm512_add_epi32(old, terms[v]));
      } else {
        int16_t *out = static_cast<int16_t *>(p.output) + offset + 16 * v;
        __m256i old = _mm256_maskz_loadu_epi16(masks[v], out);
        _mm256_mask_storeu_epi16(
            out, masks[v],
            _mm256_add_epi16(old, _mm512_cvtepi32_epi16(terms[v])));
      }
    }
  }
}

using TileFn = void (*)(const XnorConvProblem &, int64_t, int64_t, int64_t,
                        int64_t, const int32_t *);
template <bool HasMask, bool Fused, size_t... Columns>
constexpr std::array<TileFn, sizeof...(Columns)>
makeTiles(std::index_sequence<Columns...>) {
  return {&runTile<int(Columns) + 1, HasMask, Fused>...};
}
constexpr int kMaxColumns = 8;
/// Tiles of 1 to kMaxColumns pixels, by [mask][fused epilogue].
constexpr std::array<TileFn, kMaxColumns> kTiles[2][2] = {
    {makeTiles<false, false>(std::make_index_sequence<kMaxColumns>()),
     makeTiles<false, true>(std::make_index_sequence<kMaxColumns>())},
    {makeTiles<true, false>(std::make_index_sequence<kMaxColumns>()),
     makeTiles<true, true>(std::make_index_sequence<kMaxColumns>())}};

/// Output pixels whose mask counts one block of rows keeps (16 KiB).
constexpr int64_t kMaxCountedPixels = 4096;

/// present[(y - y0) * (x1 - x0) + x - x0] = the mask's bits over the
/// window of output pixel (n, y, x), for rows y0 to y1 and columns x0 to
/// x1. Counted once per block of rows rather than in each register tile
/// (where, on the 32/64-channel layers of small networks, the scalar count
/// took longer than the tile's vector loop): per output row and kernel row,
/// the bits of each input pixel of that input row are counted once (into
/// `pixelBits`, one entry per input column, or per pixel of the window's
/// columns when the input row is wider than `pixelCapacity`), then added
/// up tap by tap along the row, 16 pixels per vector at unit stride.
QC_TARGET_POPCNT512 void countMaskBits(const XnorConvProblem &p, int64_t n,
                                       int64_t y0, int64_t y1, int64_t x0,
                                       int64_t x1, int32_t *present,
                                       int32_t *pixelBits,
                                       int64_t pixelCapacity) {
  const ConvGeometry &g = p.g;
  const int64_t columns = x1 - x0, words = g.inSizes[3];
  const int64_t pixelStride = g.inStrides[2];
  // The input columns the windows of columns x0 to x1 read.
  const int64_t firstColumn = x0 * g.strideW;
  const int64_t lastColumn =
      (x1 - 1) * g.strideW + (g.kernelW - 1) * g.dilationW + 1;
  const bool perPixel = lastColumn - firstColumn <= pixelCapacity;
  for (int64_t i = 0; i < (y1 - y0) * columns; ++i)
    present[i] = 0;
  for (int64_t y = y0; y < y1; ++y) {
    int32_t *row = present + (y - y0) * columns;
    for (int64_t ky = 0; ky < g.kernelH; ++ky) {
      const uint32_t *m = p.mask + getInputOffset(g, n, y, 0, ky, 0);
      if (!perPixel) {
        for (int64_t kx = 0; kx < g.kernelW; ++kx)
          for (int64_t x = 0; x < columns; ++x) {
            const uint32_t *at =
                m + ((x0 + x) * g.strideW + kx * g.dilationW) * pixelStride;
            for (int64_t word = 0; word < words; ++word)
              row[x] += __builtin_popcount(at[word]);
          }
        continue;
      }
      if (words == 1)
        for (int64_t c = firstColumn; c < lastColumn; ++c)
          pixelBits[c - firstColumn] = __builtin_popcount(m[c * pixelStride]);
      else
        for (int64_t c = firstColumn; c < lastColumn; ++c) {
          int32_t bits = 0;
          for (int64_t word = 0; word < words; ++word)
            bits += __builtin_popcount(m[c * pixelStride + word]);
          pixelBits[c - firstColumn] = bits;
        }
      for (int64_t kx = 0; kx < g.kernelW; ++kx) {
        const int32_t *bits = pixelBits + kx * g.dilationW;
        for (int64_t x = 0; x < columns; ++x)
          row[x] += bits[x * g.strideW];
      }
    }
  }
}

/// countMaskBits for whole rows at unit strides, with a row pitch of the
/// input's width: each input pixel's bits are counted once for the block
/// (`pixelBits`, rows b0 to b1 + (KH - 1) * dilationH, then zeros past the
/// last row), and each tap adds them in one loop over the block, where the
/// tap's input pixel sits at a fixed distance from the output pixel's
/// position. Columns past the output's width receive sums that are not
/// read. Few, long loops: the small images of small networks have rows of
/// 14 or 28 pixels, too short for a loop per row and tap to pay.
QC_TARGET_POPCNT512 void countMaskBitsFlat(const XnorConvProblem &p, int64_t n,
                                           int64_t b0, int64_t b1,
                                           int32_t *present,
                                           int32_t *pixelBits) {
  const ConvGeometry &g = p.g;
  const int64_t inWidth = g.inSizes[2], words = g.inSizes[3];
  const int64_t inRows = b1 - b0 + (g.kernelH - 1) * g.dilationH;
  const int64_t slack = (g.kernelW - 1) * g.dilationW;
  for (int64_t r = 0; r < inRows; ++r) {
    const uint32_t *m = p.mask + n * g.inStrides[0] + (b0 + r) * g.inStrides[1];
    int32_t *bits = pixelBits + r * inWidth;
    if (words == 1 && g.inStrides[2] == 1)
      for (int64_t c = 0; c < inWidth; ++c)
        bits[c] = __builtin_popcount(m[c]);
    else
      for (int64_t c = 0; c < inWidth; ++c) {
        int32_t count = 0;
        for (int64_t word = 0; word < words; ++word)
          count += __builtin_popcount(m[c * g.inStrides[2] + word]);
        bits[c] = count;
      }
  }
  for (int64_t i = 0; i < slack; ++i)
    pixelBits[inRows * inWidth + i] = 0;
  const int64_t total = (b1 - b0) * inWidth;
  for (int64_t i = 0; i < total; ++i)
    present[i] = 0;
  for (int64_t ky = 0; ky < g.kernelH; ++ky)
    for (int64_t kx = 0; kx < g.kernelW; ++kx) {
      const int32_t *bits =
          pixelBits + ky * g.dilationH * inWidth + kx * g.dilationW;
      for (int64_t i = 0; i < total; ++i)
        present[i] += bits[i];
    }
}

QC_TARGET_POPCNT512 void runRowsPopcnt512(const void *problem, int64_t n,
                                          int64_t y0, int64_t y1) {
  const XnorConvProblem &p = *static_cast<const XnorConvProblem *>(problem);
  const int64_t width = p.g.outSizes[2];
  // Tiles of equal width (14 columns as 7 + 7).
  const int64_t tiles = (width + kMaxColumns - 1) / kMaxColumns;
  const int64_t columns = (width + tiles - 1) / tiles;
  const bool hasMask = p.mask != nullptr;
  const std::array<TileFn, kMaxColumns> &tileFns =
      kTiles[hasMask][p.epilogue.kind != IntEpilogue::kSums];
  // Rows in blocks whose mask counts fit the buffers: at unit strides
  // counted for whole blocks with the input's row pitch, else per row of
  // output pixels; a row wider than the buffers has each tile's columns
  // counted before the tile.
  alignas(64) int32_t present[kMaxCountedPixels];
  alignas(64) int32_t pixelBits[kMaxCountedPixels];
  const ConvGeometry &g = p.g;
  const int64_t inWidth = g.inSizes[2];
  const int64_t haloRows = (g.kernelH - 1) * g.dilationH;
  const int64_t slack = (g.kernelW - 1) * g.dilationW;
  const bool flat = g.strideH == 1 && g.strideW == 1 &&
                    (1 + haloRows) * inWidth + slack <= kMaxCountedPixels;
  const bool wideRows = !flat && width > kMaxCountedPixels;
  const int64_t pitch = flat ? inWidth : width;
  const int64_t blockRows =
      flat ? (kMaxCountedPixels - slack) / inWidth - haloRows
           : (wideRows ? 1 : kMaxCountedPixels / width);
  for (int64_t b0 = y0; b0 < y1; b0 += blockRows) {
    const int64_t b1 = b0 + blockRows < y1 ? b0 + blockRows : y1;
    if (hasMask && flat)
      countMaskBitsFlat(p, n, b0, b1, present, pixelBits);
    else if (hasMask && !wideRows)
      countMaskBits(p, n, b0, b1, 0, width, present, pixelBits,
                    kMaxCountedPixels);
    for (int64_t f0 = 0; f0 < g.outSizes[3]; f0 += kTileChannels)
      for (int64_t y = b0; y < b1; ++y)
        for (int64_t x0 = 0; x0 < width; x0 += columns) {
          const int64_t end = x0 + columns < width ? x0 + columns : width;
          const int32_t *counts = present + (y - b0) * pitch + x0;
          if (hasMask && wideRows) {
            countMaskBits(p, n, y, y + 1, x0, end, present, pixelBits,
                          kMaxCountedPixels);
            counts = present;
          }
          tileFns[end - x0 - 1](p, n, y, x0, f0, counts);
        }
  }
}

/// The portable route: per output pixel, the mismatches of every output
/// channel in a loop the compiler vectorizes.
inline __attribute__((always_inline)) void
runRowsPortable(const void *problem, int64_t n, int64_t y0, int64_t y1) {
  const XnorConvProblem &p = *static_cast<const XnorConvProblem *>(problem);
  const ConvGeometry &g = p.g;
  const int64_t words = g.inSizes[3], channels = g.outSizes[3];
  int32_t mismatches[kMaxChannels];
  for (int64_t y = y0; y < y1; ++y)
    for (int64_t x = 0; x < g.outSizes[2]; ++x) {
      for (int64_t o = 0; o < channels; ++o)
        mismatches[o] = 0;
      int32_t present = 0;
      for (int64_t ky = 0; ky < g.kernelH; ++ky)
        for (int64_t kx = 0; kx < g.kernelW; ++kx) {
          int64_t at = getInputOffset(g, n, y, x, ky, kx);
          const uint32_t *w =
              p.weights + (ky * g.kernelW + kx) * words * channels;
          for (int64_t word = 0; word < words; ++word, w += channels) {
            uint32_t a = p.input[at + word];
            uint32_t m = p.mask ? p.mask[at + word] : ~0u;
            present += __builtin_popcount(m);
            for (int64_t o = 0; o < channels; ++o)
              mismatches[o] += __builtin_popcount(m & (a ^ w[o]));
          }
        }
      addToOutput(
          p, n * g.outStrides[0] + y * g.outStrides[1] + x * g.outStrides[2],
          mismatches, p.mask ? present : 0, channels);
    }
}

__attribute__((target("avx2"))) void runRowsAvx2(const void *problem, int64_t n,
                                                 int64_t y0, int64_t y1) {
  runRowsPortable(problem, n, y0, y1);
}

void runRowsBaseline(const void *problem, int64_t n, int64_t y0, int64_t y1) {
  runRowsPortable(problem, n, y0, y1);
}

} // namespace

namespace mlir {
namespace qc {

bool canRunXnorConv(const XnorConvProblem &p) {
  if (!isDirectConvGeometry(p.g) ||
      p.g.accumulate != (p.epilogue.kind == IntEpilogue::kSums) || !p.input ||
      !p.weights || !p.output)
    return false;
  return p.g.outSizes[3] <= kMaxChannels &&
         p.g.outSizes[0] * p.g.outSizes[1] <= INT32_MAX;
}

void xnorConv(const XnorConvProblem &p) {
  RowBlockFn run = runRowsBaseline;
  if (qc_rt_isa_level() >= kIsaAvx512 && qc_rt_has_vpopcntdq())
    run = runRowsPopcnt512;
  else if (qc_rt_isa_level() >= kIsaAvx2)
    run = runRowsAvx2;
  forEachRowBlock(p.g.outSizes[0], p.g.outSizes[1], run, &p);
}

} // namespace qc
} // namespace mlir
