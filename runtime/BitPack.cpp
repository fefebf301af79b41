//===- BitPack.cpp - Float signs packed into words ------------------------===//
//
// Implements BitPack.h. Written with intrinsics rather than as a Halide
// generator: AVX-512's compare-into-mask (two per word) is the whole
// kernel, and Halide 14 has no way to name a vector's predicate as an
// integer. The portable route builds each word from 32 scalar compares.
//
//===----------------------------------------------------------------------===//

#include "runtime/BitPack.h"

#include "runtime/CpuFeatures.h"
#include "runtime/RuntimeCalls.h"

#include <immintrin.h>

using namespace mlir::qc;

namespace {

/// Words per task.
constexpr int64_t kWordsPerTask = 2048;

struct Job {
  const float *values;
  uint32_t *words;
  int64_t count;
  bool nonzero;
};

/// Predicate: _CMP_LT_OQ for signs, _CMP_NEQ_OQ for the mask plane.
template <int Predicate>
__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl"))) void
packAvx512(const Job &job, int64_t begin, int64_t end) {
  const __m512 zero = _mm512_setzero_ps();
  for (int64_t j = begin; j < end; ++j) {
    const float *v = job.values + 32 * j;
    uint32_t lo = _mm512_cmp_ps_mask(_mm512_loadu_ps(v), zero, Predicate);
    uint32_t hi = _mm512_cmp_ps_mask(_mm512_loadu_ps(v + 16), zero, Predicate);
    job.words[j] |= lo | (hi << 16);
  }
}

void packPortable(const Job &job, int64_t begin, int64_t end) {
  for (int64_t j = begin; j < end; ++j) {
    const float *v = job.values + 32 * j;
    uint32_t word = 0;
    for (int t = 0; t < 32; ++t) {
      bool bit = job.nonzero ? (v[t] < 0.0f || v[t] > 0.0f) : v[t] < 0.0f;
      word |= static_cast<uint32_t>(bit) << t;
    }
    job.words[j] |= word;
  }
}

int32_t runTask(void *closure, int32_t index) {
  const Job &job = *static_cast<const Job *>(closure);
  int64_t begin = int64_t(index) * kWordsPerTask;
  int64_t end =
      begin + kWordsPerTask < job.count ? begin + kWordsPerTask : job.count;
  if (qc_rt_isa_level() >= kIsaAvx512 && job.nonzero)
    packAvx512<_CMP_NEQ_OQ>(job, begin, end);
  else if (qc_rt_isa_level() >= kIsaAvx512)
    packAvx512<_CMP_LT_OQ>(job, begin, end);
  else
    packPortable(job, begin, end);
  return 0;
}

} // namespace

namespace mlir {
namespace qc {

void bitPackF32(const float *values, uint32_t *words, int64_t count,
                bool nonzero) {
  Job job{values, words, count, nonzero};
  int64_t tasks = (count + kWordsPerTask - 1) / kWordsPerTask;
  if (tasks == 1) {
    runTask(&job, 0);
    return;
  }
  qc_rt_parallel_for(static_cast<int32_t>(tasks), runTask, &job);
}

} // namespace qc
} // namespace mlir
