//===- PackedActivations.cpp - Binary activations between layers ----------===//
//
// Implements PackedActivations.h. The max-pool takes 32 i16 channels per
// AVX-512 vector (the tail masked); the threshold packing widens 32 sums to
// two vectors of i32, compares them with the channels' thresholds and
// stores the two 16-bit compare masks as one word. Both split output rows
// over the pool as RowTasks.h does.
//
//===----------------------------------------------------------------------===//

#include "runtime/PackedActivations.h"

#include "runtime/CpuFeatures.h"
#include "runtime/RowTasks.h"

#include <immintrin.h>
#include <stdint.h>

#define QC_TARGET_AVX512                                                       \
  __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))

using namespace mlir::qc;

namespace {

//===----------------------------------------------------------------------===//
// Max-pool of i16 sums
//===----------------------------------------------------------------------===//

/// Output row (n, y) with AVX-512BW.
QC_TARGET_AVX512 void poolRowAvx512(const PoolI16Problem &p, int64_t n,
                                    int64_t y) {
  const ConvGeometry &g = p.g;
  const int64_t channels = g.outSizes[3];
  const int16_t *image = p.input + n * g.inStrides[0];
  int16_t *outRow = p.output + n * g.outStrides[0] + y * g.outStrides[1];
  for (int64_t x = 0; x < g.outSizes[2]; ++x) {
    int16_t *o = outRow + x * g.outStrides[2];
    for (int64_t c = 0; c < channels; c += 32) {
      int64_t lanes = channels - c < 32 ? channels - c : 32;
      __mmask32 mask =
          lanes == 32 ? ~__mmask32(0) : (__mmask32(1) << lanes) - 1;
      __m512i acc = _mm512_maskz_loadu_epi16(mask, o + c);
      for (int64_t ky = 0; ky < g.kernelH; ++ky) {
        const int16_t *row =
            image + (y * g.strideH + ky * g.dilationH) * g.inStrides[1];
        for (int64_t kx = 0; kx < g.kernelW; ++kx)
          acc = _mm512_max_epi16(
              acc,
              _mm512_maskz_loadu_epi16(
                  mask,
                  row + (x * g.strideW + kx * g.dilationW) * g.inStrides[2] +
                      c));
      }
      _mm512_mask_storeu_epi16(o + c, mask, acc);
    }
  }
}

void poolRowPortable(const PoolI16Problem &p, int64_t n, int64_t y) {
  const ConvGeometry &g = p.g;
  const int16_t *image = p.input + n * g.inStrides[0];
  int16_t *outRow = p.output + n * g.outStrides[0] + y * g.outStrides[1];
  for (int64_t x = 0; x < g.outSizes[2]; ++x) {
    int16_t *o = outRow + x * g.outStrides[2];
    for (int64_t ky = 0; ky < g.kernelH; ++ky) {
      const int16_t *row =
          image + (y * g.strideH + ky * g.dilationH) * g.inStrides[1];
      for (int64_t kx = 0; kx < g.kernelW; ++kx) {
        const int16_t *tap =
            row + (x * g.strideW + kx * g.dilationW) * g.inStrides[2];
        for (int64_t c = 0; c < g.outSizes[3]; ++c)
          o[c] = tap[c] > o[c] ? tap[c] : o[c];
      }
    }
  }
}

template <bool Avx512>
void poolRows(const void *problem, int64_t n, int64_t y0, int64_t y1) {
  const auto &p = *static_cast<const PoolI16Problem *>(problem);
  for (int64_t y = y0; y < y1; ++y)
    Avx512 ? poolRowAvx512(p, n, y) : poolRowPortable(p, n, y);
}

//===----------------------------------------------------------------------===//
// Thresholds into words
//===----------------------------------------------------------------------===//

/// The 32 sums of one word as two vectors of i32.
QC_TARGET_AVX512 inline void loadSums(const ThresholdPackProblem &p,
                                      const void *at, __m512i &low,
                                      __m512i &high) {
  if (p.wide) {
    low = _mm512_loadu_si512(at);
    high = _mm512_loadu_si512(static_cast<const int32_t *>(at) + 16);
    return;
  }
  __m512i packed = _mm512_loadu_si512(at);
  low = _mm512_cvtepi16_epi32(_mm512_castsi512_si256(packed));
  high = _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(packed, 1));
}

/// Output row (n, y) with AVX-512.
template <bool Nonzero>
QC_TARGET_AVX512 void packRowAvx512(const ThresholdPackProblem &p, int64_t n,
                                    int64_t y) {
  const int64_t element = p.wide ? 4 : 2;
  const char *sumRow = static_cast<const char *>(p.sums) +
                       (n * p.sumStrides[0] + y * p.sumStrides[1]) * element;
  uint32_t *wordRow = p.words + n * p.wordStrides[0] + y * p.wordStrides[1];
  for (int64_t x = 0; x < p.sizes[2]; ++x) {
    const char *sums = sumRow + x * p.sumStrides[2] * element;
    uint32_t *words = wordRow + x * p.wordStrides[2];
    for (int64_t j = 0; j < p.sizes[3]; ++j) {
      __m512i low, high;
      loadSums(p, sums + 32 * j * element, low, high);
      const int32_t *lo = p.lo + 32 * j, *hi = p.hi + 32 * j;
      uint32_t bitsLow = _mm512_cmplt_epi32_mask(low, _mm512_loadu_si512(lo));
      uint32_t bitsHigh =
          _mm512_cmplt_epi32_mask(high, _mm512_loadu_si512(lo + 16));
      if (Nonzero) {
        bitsLow |= _mm512_cmpge_epi32_mask(low, _mm512_loadu_si512(hi));
        bitsHigh |= _mm512_cmpge_epi32_mask(high, _mm512_loadu_si512(hi + 16));
      }
      words[j] |= bitsLow | bitsHigh << 16;
    }
  }
}

void packRowPortable(const ThresholdPackProblem &p, int64_t n, int64_t y) {
  for (int64_t x = 0; x < p.sizes[2]; ++x) {
    int64_t base =
        n * p.sumStrides[0] + y * p.sumStrides[1] + x * p.sumStrides[2];
    uint32_t *words = p.words + n * p.wordStrides[0] + y * p.wordStrides[1] +
                      x * p.wordStrides[2];
    for (int64_t j = 0; j < p.sizes[3]; ++j) {
      uint32_t bits = 0;
      for (int b = 0; b < 32; ++b) {
        int64_t c = 32 * j + b;
        int32_t s = p.wide ? static_cast<const int32_t *>(p.sums)[base + c]
                           : static_cast<const int16_t *>(p.sums)[base + c];
        bool bit = s < p.lo[c] || (p.nonzero && s >= p.hi[c]);
        bits |= static_cast<uint32_t>(bit) << b;
      }
      words[j] |= bits;
    }
  }
}

template <int Route>
void packRows(const void *problem, int64_t n, int64_t y0, int64_t y1) {
  const auto &p = *static_cast<const ThresholdPackProblem *>(problem);
  for (int64_t y = y0; y < y1; ++y) {
    if (Route == 0)
      packRowPortable(p, n, y);
    else if (Route == 1)
      packRowAvx512<false>(p, n, y);
    else
      packRowAvx512<true>(p, n, y);
  }
}

} // namespace

namespace mlir {
namespace qc {

bool canRunPoolI16(const PoolI16Problem &p) {
  return isDirectConvGeometry(p.g) && p.g.inSizes[3] == p.g.outSizes[3] &&
         p.g.outSizes[0] * p.g.outSizes[1] <= INT32_MAX;
}

void poolI16(const PoolI16Problem &p) {
  forEachRowBlock(
      p.g.outSizes[0], p.g.outSizes[1],
      qc_rt_isa_level() >= kIsaAvx512 ? poolRows<true> : poolRows<false>, &p);
}

bool canRunThresholdPack(const ThresholdPackProblem &p) {
  for (int d = 0; d < 4; ++d)
    if (p.sizes[d] <= 0 || p.sumStrides[d] < 0 || p.wordStrides[d] < 0)
      return false;
  return p.sumStrides[3] == 1 && p.wordStrides[3] == 1 &&
         p.sizes[0] * p.sizes[1] <= INT32_MAX;
}

void thresholdPack(const ThresholdPackProblem &p) {
  RowBlockFn run = qc_rt_isa_level() < kIsaAvx512 ? packRows<0>
                   : p.nonzero                    ? packRows<2>
                                                  : packRows<1>;
  forEachRowBlock(p.sizes[0], p.sizes[1], run, &p);
}

} // namespace qc
} // namespace mlir
