//===- CentroidBlocks.cpp - Centroid convolution block kernels ------------===//
//
// The blocks of CentroidConv.cpp's convolution and dense layer, and the
// transpositions that make their planar input (CentroidBlocks.h).
//
// A block of up to 8 vectors (128 pixels) takes every filter in turn: per
// centroid, it sums over the bucket's offsets in registers, then computes
// acc = acc + c * s with the product hidden from the compiler (an empty
// asm) so that it can never be contracted into a fused multiply-add,
// whatever -ffp-contract says. Blocks of one or two vectors would wait on
// the adds' latency, so they sum four or two buckets at once instead, each
// in its own registers. Tiles of 32 filters x the block's pixels are
// transposed in registers and stored pixel by pixel. CPUs without AVX-512
// (or capped below it) run the same algorithm as plain loops, compiled for
// AVX2 (without FMA) and for baseline x86-64.
//
//===----------------------------------------------------------------------===//

#include "runtime/CentroidBlocks.h"

#include "runtime/ConvGeometry.h"

#include <array>
#include <immintrin.h>
#include <stdint.h>
#include <string.h>
#include <type_traits>
#include <utility>

#define QC_TARGET_AVX512                                                       \
  __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))
#define QC_ALWAYS_INLINE inline __attribute__((always_inline))

namespace mlir {
namespace qc {
namespace centroid {
namespace {

/// Filters per output tile (the tile is transposed before it is stored).
constexpr int64_t kTileFilters = 32;

bool isFinite(float value) {
  uint32_t bits;
  memcpy(&bits, &value, sizeof bits);
  return (bits & 0x7f800000u) != 0x7f800000u;
}

/// An empty bucket adds c * 0 = +-0 to an accumulator that is never -0 (it
/// starts at +0, and only -0 + -0 gives -0), which changes nothing unless c
/// is infinite or NaN.
bool canSkip(int32_t begin, int32_t end, float centroid) {
  return begin == end && isFinite(centroid);
}

/// The output element of each lane of a block, null for dropped lanes.
void mapLanes(const Run &r, int64_t q0, int64_t width, float **outs) {
  int64_t row = q0 / r.rowLanes, col = q0 % r.rowLanes;
  for (int64_t l = 0; l < width; ++l) {
    outs[l] = q0 + l < r.lanes && col < r.validLanes
                  ? r.out + row * r.rowStride + col * r.laneStride
                  : nullptr;
    if (++col == r.rowLanes) {
      col = 0;
      ++row;
    }
  }
}

//===----------------------------------------------------------------------===//
// AVX-512
//===----------------------------------------------------------------------===//

/// Makes `value` opaque to the optimizer, so that a product cannot be fused
/// with the addition that consumes it.
QC_TARGET_AVX512 QC_ALWAYS_INLINE void hide(__m512 &value) {
  __asm__("" : "+v"(value));
}

/// Transposes 16 rows of 16 elements in registers.
QC_TARGET_AVX512 QC_ALWAYS_INLINE void transpose16(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 8; ++i) {
    t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
  }
  // r[4i + m], 128-bit lane L: column 4L + m of rows 4i to 4i + 3.
  for (int i = 0; i < 4; ++i) {
    r[4 * i] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
    r[4 * i + 1] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0xee);
    r[4 * i + 2] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
    r[4 * i + 3] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xee);
  }
  for (int m = 0; m < 4; ++m) {
    __m512 u0 = _mm512_shuffle_f32x4(r[m], r[4 + m], 0x88);
    __m512 u1 = _mm512_shuffle_f32x4(r[m], r[4 + m], 0xdd);
    __m512 v0 = _mm512_shuffle_f32x4(r[8 + m], r[12 + m], 0x88);
    __m512 v1 = _mm512_shuffle_f32x4(r[8 + m], r[12 + m], 0xdd);
    t[m] = _mm512_shuffle_f32x4(u0, v0, 0x88);
    t[8 + m] = _mm512_shuffle_f32x4(u0, v0, 0xdd);
    t[4 + m] = _mm512_shuffle_f32x4(u1, v1, 0x88);
    t[12 + m] = _mm512_shuffle_f32x4(u1, v1, 0xdd);
  }
  for (int i = 0; i < 16; ++i)
    r[i] = t[i];
}

} // namespace

QC_TARGET_AVX512 void transpose512(const void *src, int64_t srcRowStride,
                                   int64_t rows, int64_t cols, void *dst,
                                   int64_t dstRowStride) {
  const auto *s = static_cast<const char *>(src);
  auto *d = static_cast<char *>(dst);
  if (cols == 1) {
    for (int64_t r = 0; r < rows; ++r)
      memcpy(d + r * 4, s + r * srcRowStride * 4, 4);
    return;
  }
  for (int64_t r0 = 0; r0 < rows; r0 += 16) {
    const int64_t height = rows - r0 < 16 ? rows - r0 : 16;
    const __mmask16 rowMask = getLaneMask(height, 0);
    for (int64_t c0 = 0; c0 < cols; c0 += 16) {
      const int64_t width = cols - c0 < 16 ? cols - c0 : 16;
      const __mmask16 colMask = getLaneMask(width, 0);
      __m512 v[16];
      for (int i = 0; i < 16; ++i)
        v[i] = i < height ? _mm512_maskz_loadu_ps(
                                colMask, s + ((r0 + i) * srcRowStride + c0) * 4)
                          : _mm512_setzero_ps();
      transpose16(v);
      for (int i = 0; i < width; ++i)
        _mm512_mask_storeu_ps(d + ((c0 + i) * dstRowStride + r0) * 4, rowMask,
                              v[i]);
    }
  }
}

namespace {

template <bool Int> using Vector = std::conditional_t<Int, __m512i, __m512>;
template <bool Int> using Element = std::conditional_t<Int, int32_t, float>;

/// Sums chains F to F + N - 1 (each a bucket, with its own registers) in
/// lockstep for as many offsets as the shortest of them has left.
template <int F, int N, int V, int Q, bool Int>
QC_TARGET_AVX512 QC_ALWAYS_INLINE void
addInLockstep(const Element<Int> *in, int64_t scale, const int32_t *(&at)[Q],
              const int32_t *const (&end)[Q], Vector<Int> (&s)[Q][V]) {
  int64_t steps = end[F] - at[F];
  for (int q = F + 1; q < F + N; ++q)
    steps = end[q] - at[q] < steps ? end[q] - at[q] : steps;
  for (int64_t t = 0; t < steps; ++t)
    for (int q = F; q < F + N; ++q) {
      const Element<Int> *x = in + at[q][t] * scale;
      for (int v = 0; v < V; ++v)
        if constexpr (Int)
          s[q][v] = _mm512_add_epi32(s[q][v], _mm512_loadu_si512(x + 16 * v));
        else
          s[q][v] = _mm512_add_ps(s[q][v], _mm512_loadu_ps(x + 16 * v));
    }
  for (int q = F; q < F + N; ++q)
    at[q] += steps;
}

/// computeTile512's narrow blocks (see there).
template <int V, int Q, bool Int>
QC_TARGET_AVX512 QC_ALWAYS_INLINE void
computeTileNarrow512(const Plan &p, const Element<Int> *in, int64_t scale,
                     int64_t f0, int64_t f1, float *tile) {
  __m512 acc[V];
  for (int v = 0; v < V; ++v)
    acc[v] = _mm512_setzero_ps();
  // The filter acc holds, and the next bucket (o, j) to take.
  int64_t filter = f0, o = f0, j = 0;
  for (;;) {
    int64_t owner[Q];
    float centroid[Q];
    const int32_t *at[Q], *end[Q];
    int count = 0;
    for (; o < f1 && count < Q; j = j + 1 < p.k ? j + 1 : 0, o += j == 0) {
      const int32_t *starts = p.starts + o * p.k;
      const float c = p.centroids[o * p.k + j];
      if (canSkip(starts[j], starts[j + 1], c))
        continue;
      owner[count] = o;
      centroid[count] = c;
      at[count] = p.positions + starts[j];
      end[count++] = p.positions + starts[j + 1];
    }
    if (count == 0)
      break;
    for (int q = count; q < Q; ++q)
      at[q] = end[q] = p.positions;
    Vector<Int> s[Q][V];
    for (int q = 0; q < Q; ++q)
      for (int v = 0; v < V; ++v)
        if constexpr (Int)
          s[q][v] = _mm512_setzero_si512();
        else
          s[q][v] = _mm512_setzero_ps();
    if constexpr (Q == 4) {
      addInLockstep<0, 4, V, Q, Int>(in, scale, at, end, s);
      addInLockstep<0, 2, V, Q, Int>(in, scale, at, end, s);
      addInLockstep<2, 2, V, Q, Int>(in, scale, at, end, s);
      addInLockstep<2, 1, V, Q, Int>(in, scale, at, end, s);
      addInLockstep<3, 1, V, Q, Int>(in, scale, at, end, s);
    } else {
      addInLockstep<0, 2, V, Q, Int>(in, scale, at, end, s);
    }
    addInLockstep<0, 1, V, Q, Int>(in, scale, at, end, s);
    addInLockstep<1, 1, V, Q, Int>(in, scale, at, end, s);
    for (int q = 0; q < count; ++q) {
      for (; filter < owner[q]; ++filter)
        for (int v = 0; v < V; ++v) {
          _mm512_store_ps(tile + (filter - f0) * 16 * V + 16 * v, acc[v]);
          acc[v] = _mm512_setzero_ps();
        }
      const __m512 c = _mm512_set1_ps(centroid[q]);
      for (int v = 0; v < V; ++v) {
        __m512 sum;
        if constexpr (Int)
          sum = _mm512_cvtepi32_ps(s[q][v]);
        else
          sum = s[q][v];
        __m512 product = _mm512_mul_ps(c, sum);
        hide(product);
        acc[v] = _mm512_add_ps(acc[v], product);
      }
    }
  }
  for (; filter < f1; ++filter)
    for (int v = 0; v < V; ++v) {
      _mm512_store_ps(tile + (filter - f0) * 16 * V + 16 * v, acc[v]);
      acc[v] = _mm512_setzero_ps();
    }
}

/// acc for filters [f0, f1) over V vectors of lanes from `base`, into
/// tile[f - f0][16 V]. Narrow blocks sum Q = 4 / V buckets at once (the
/// next ones that add something, of one filter or of the next ones), each
/// in its own registers and its own order, so that the adds do not wait on
/// each other: all Q in lockstep, then pairs, then one by one. The sums
/// then go into their filters' acc in bucket order.
template <int V, bool Int>
QC_TARGET_AVX512 void computeTile512(const Plan &p, const void *base,
                                     int64_t scale, int64_t f0, int64_t f1,
                                     float *tile) {
  constexpr int Q = V == 1 ? 4 : V == 2 ? 2 : 1;
  const auto *in = static_cast<const Element<Int> *>(base);
  if constexpr (Q == 1) {
    // Enough independent vectors: one bucket at a time.
    for (int64_t o = f0; o < f1; ++o) {
      __m512 acc[V];
      for (int v = 0; v < V; ++v)
        acc[v] = _mm512_setzero_ps();
      const int32_t *starts = p.starts + o * p.k;
      const float *centroids = p.centroids + o * p.k;
      for (int64_t j = 0; j < p.k; ++j) {
        const float c = centroids[j];
        if (canSkip(starts[j], starts[j + 1], c))
          continue;
        const int32_t *at[1] = {p.positions + starts[j]};
        const int32_t *const end[1] = {p.positions + starts[j + 1]};
        Vector<Int> s[1][V];
        for (int v = 0; v < V; ++v)
          if constexpr (Int)
            s[0][v] = _mm512_setzero_si512();
          else
            s[0][v] = _mm512_setzero_ps();
        addInLockstep<0, 1, V, 1, Int>(in, scale, at, end, s);
        const __m512 cv = _mm512_set1_ps(c);
        for (int v = 0; v < V; ++v) {
          __m512 sum;
          if constexpr (Int)
            sum = _mm512_cvtepi32_ps(s[0][v]);
          else
            sum = s[0][v];
          __m512 product = _mm512_mul_ps(cv, sum);
          hide(product);
          acc[v] = _mm512_add_ps(acc[v], product);
        }
      }
      float *row = tile + (o - f0) * 16 * V;
      for (int v = 0; v < V; ++v)
        _mm512_store_ps(row + 16 * v, acc[v]);
    }
  } else {
    computeTileNarrow512<V, Q, Int>(p, in, scale, f0, f1, tile);
  }
}
using TileFn = void (*)(const Plan &, const void *, int64_t, int64_t, int64_t,
                        float *);
template <bool Int, size_t... Vectors>
constexpr std::array<TileFn, sizeof...(Vectors)>
makeTiles(std::index_sequence<Vectors...>) {
  return {&computeTile512<int(Vectors) + 1, Int>...};
}
/// By [int input][vectors - 1].
constexpr std::array<TileFn, kMaxVectors> kTiles512[2] = {
    makeTiles<false>(std::make_index_sequence<kMaxVectors>()),
    makeTiles<true>(std::make_index_sequence<kMaxVectors>())};

} // namespace

QC_TARGET_AVX512 void runBlock512(const Plan &p, const Run &r, int64_t q0,
                                  int vectors, int64_t f0, int64_t f1) {
  const int64_t width = 16 * int64_t(vectors);
  alignas(64) float tile[kTileFilters * kMaxLanes];
  alignas(64) float pixels[kMaxLanes * kTileFilters];
  float *outs[kMaxLanes];
  mapLanes(r, q0, width, outs);
  const void *base = static_cast<const char *>(r.base) + q0 * 4;
  const TileFn compute = kTiles512[p.intInput][vectors - 1];
  for (int64_t t0 = f0; t0 < f1; t0 += kTileFilters) {
    const int64_t t1 = f1 - t0 < kTileFilters ? f1 : t0 + kTileFilters;
    compute(p, base, r.scale, t0, t1, tile);
    transpose512(tile, width, t1 - t0, width, pixels, kTileFilters);
    const __mmask16 mask0 = getLaneMask(t1 - t0, 0),
                    mask1 = getLaneMask(t1 - t0, 1);
    for (int64_t l = 0; l < width; ++l) {
      if (!outs[l])
        continue;
      float *out = outs[l] + t0;
      __m512 v0 = _mm512_load_ps(pixels + l * kTileFilters);
      __m512 v1 = _mm512_load_ps(pixels + l * kTileFilters + 16);
      if (p.accumulate) {
        v0 = _mm512_add_ps(_mm512_maskz_loadu_ps(mask0, out), v0);
        v1 = _mm512_add_ps(_mm512_maskz_loadu_ps(mask1, out + 16), v1);
      }
      _mm512_mask_storeu_ps(out, mask0, v0);
      if (mask1)
        _mm512_mask_storeu_ps(out + 16, mask1, v1);
    }
  }
}

//===----------------------------------------------------------------------===//
// Portable loops
//===----------------------------------------------------------------------===//

namespace {

QC_ALWAYS_INLINE void transposePortable(const void *src, int64_t srcRowStride,
                                        int64_t rows, int64_t cols, void *dst,
                                        int64_t dstRowStride) {
  const auto *s = static_cast<const char *>(src);
  auto *d = static_cast<char *>(dst);
  for (int64_t c = 0; c < cols; ++c)
    for (int64_t r = 0; r < rows; ++r)
      memcpy(d + (c * dstRowStride + r) * 4, s + (r * srcRowStride + c) * 4, 4);
}

/// The AVX-512 block's algorithm over arrays of V * 16 lanes (the lane
/// loops have constant trip counts, so the compiler vectorizes them and can
/// keep the sums in registers), storing each filter's lanes directly.
template <int V>
QC_ALWAYS_INLINE void runBlockPortable(const Plan &p, const Run &r, int64_t q0,
                                       int64_t f0, int64_t f1) {
  constexpr int64_t kWidth = 16 * V;
  float acc[kWidth], sums[kWidth];
  alignas(64) float products[kWidth];
  uint32_t words[kWidth];
  float *outs[kWidth];
  mapLanes(r, q0, kWidth, outs);
  const float *floats = static_cast<const float *>(r.base) + q0;
  const uint32_t *ints = static_cast<const uint32_t *>(r.base) + q0;
  for (int64_t o = f0; o < f1; ++o) {
    for (int64_t l = 0; l < kWidth; ++l)
      acc[l] = 0.0f;
    const int32_t *starts = p.starts + o * p.k;
    const float *centroids = p.centroids + o * p.k;
    for (int64_t j = 0; j < p.k; ++j) {
      const float c = centroids[j];
      if (canSkip(starts[j], starts[j + 1], c))
        continue;
      if (p.intInput) {
        for (int64_t l = 0; l < kWidth; ++l)
          words[l] = 0;
        for (int32_t i = starts[j]; i < starts[j + 1]; ++i) {
          const uint32_t *x = ints + p.positions[i] * r.scale;
          for (int64_t l = 0; l < kWidth; ++l)
            words[l] += x[l];
        }
        for (int64_t l = 0; l < kWidth; ++l)
          sums[l] = static_cast<float>(static_cast<int32_t>(words[l]));
      } else {
        for (int64_t l = 0; l < kWidth; ++l)
          sums[l] = 0.0f;
        for (int32_t i = starts[j]; i < starts[j + 1]; ++i) {
          const float *x = floats + p.positions[i] * r.scale;
          for (int64_t l = 0; l < kWidth; ++l)
            sums[l] = sums[l] + x[l];
        }
      }
      for (int64_t l = 0; l < kWidth; ++l)
        products[l] = c * sums[l];
      // The products go through memory: no fused multiply-add.
      __asm__ volatile("" : : "r"(products) : "memory");
      for (int64_t l = 0; l < kWidth; ++l)
        acc[l] = acc[l] + products[l];
    }
    for (int64_t l = 0; l < kWidth; ++l)
      if (float *out = outs[l])
        out[o] = p.accumulate ? out[o] + acc[l] : acc[l];
  }
}

template <int V>
__attribute__((target("avx2"))) void
runBlockAvx2(const Plan &p, const Run &r, int64_t q0, int64_t f0, int64_t f1) {
  runBlockPortable<V>(p, r, q0, f0, f1);
}

template <int V>
void runBlockBaseline(const Plan &p, const Run &r, int64_t q0, int64_t f0,
                      int64_t f1) {
  runBlockPortable<V>(p, r, q0, f0, f1);
}

using PortableFn = void (*)(const Plan &, const Run &, int64_t, int64_t,
                            int64_t);
template <bool Avx2, size_t... Vectors>
constexpr std::array<PortableFn, sizeof...(Vectors)>
makePortableBlocks(std::index_sequence<Vectors...>) {
  if constexpr (Avx2)
    return {&runBlockAvx2<int(Vectors) + 1>...};
  else
    return {&runBlockBaseline<int(Vectors) + 1>...};
}
/// By [AVX2][vectors - 1].
constexpr std::array<PortableFn, kMaxVectors> kPortableBlocks[2] = {
    makePortableBlocks<false>(std::make_index_sequence<kMaxVectors>()),
    makePortableBlocks<true>(std::make_index_sequence<kMaxVectors>())};

} // namespace

void runBlockPortableAvx2(const Plan &p, const Run &r, int64_t q0, int vectors,
                          int64_t f0, int64_t f1) {
  kPortableBlocks[1][vectors - 1](p, r, q0, f0, f1);
}

void runBlockPortableBaseline(const Plan &p, const Run &r, int64_t q0,
                              int vectors, int64_t f0, int64_t f1) {
  kPortableBlocks[0][vectors - 1](p, r, q0, f0, f1);
}

__attribute__((target("avx2"))) void
transposeAvx2(const void *src, int64_t srcRowStride, int64_t rows, int64_t cols,
              void *dst, int64_t dstRowStride) {
  transposePortable(src, srcRowStride, rows, cols, dst, dstRowStride);
}

void transposeBaseline(const void *src, int64_t srcRowStride, int64_t rows,
                       int64_t cols, void *dst, int64_t dstRowStride) {
  transposePortable(src, srcRowStride, rows, cols, dst, dstRowStride);
}

} // namespace centroid
} // namespace qc
} // namespace mlir
