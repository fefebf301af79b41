//===- PoolAvx512.cpp - fp32 max and sum pooling for AVX-512 --------------===//
//
// Implements PoolAvx512.h with intrinsics: each output pixel's channels go
// in 16-lane vectors, the last one masked, so that layers with fewer than
// 16 channels (LeNet-5's 6) stay vectorized; the Halide pooling kernel
// computes such a tail with scalar code, and its max pooling was 29% of
// LeNet-5's time. Tasks are images, or blocks of output rows when the batch
// is small.
//
//===----------------------------------------------------------------------===//

#include "runtime/PoolAvx512.h"

#include "runtime/CpuFeatures.h"
#include "runtime/RuntimeCalls.h"

#include <immintrin.h>
#include <stdint.h>

#define QC_TARGET_AVX512                                                       \
  __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))

using namespace mlir::qc;

namespace {

/// Tasks wanted at least.
constexpr int64_t kMinTasks = 16;

struct Tasks {
  const PoolF32Problem *problem;
  /// Output rows per task and blocks of them per image.
  int64_t rowsPerTask, blocksPerImage;
};

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

int32_t runTask(void *closure, int32_t index) {
  const Tasks &t = *static_cast<const Tasks *>(closure);
  const PoolF32Problem &p = *t.problem;
  int64_t n = index / t.blocksPerImage;
  int64_t y0 = index % t.blocksPerImage * t.rowsPerTask;
  int64_t y1 = y0 + t.rowsPerTask < p.g.outSizes[1] ? y0 + t.rowsPerTask
                                                    : p.g.outSizes[1];
  for (int64_t y = y0; y < y1; ++y)
    poolRow(p, n, y);
  return 0;
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
  int64_t images = p.g.outSizes[0], rows = p.g.outSizes[1];
  // Whole images per task when there are images enough.
  int64_t blocks = images >= kMinTasks ? 1 : (kMinTasks + images - 1) / images;
  blocks = blocks < rows ? blocks : rows;
  int64_t rowsPerTask = (rows + blocks - 1) / blocks;
  blocks = (rows + rowsPerTask - 1) / rowsPerTask;
  Tasks tasks{&p, rowsPerTask, blocks};
  qc_rt_parallel_for(static_cast<int32_t>(images * blocks), runTask, &tasks);
}

} // namespace qc
} // namespace mlir
