/* popcount_peak.c - One core's binary multiply-accumulate roofline, measured.
 *
 * Runs 12 independent chains of the XNOR-popcount inner step on 512-bit
 * words held in registers: x = a ^ w, c += popcount(x) (vpxorq, vpopcntq,
 * vpaddq), 512 binary MACs per step, and prints the best rate of 7 runs in
 * G binary MAC/s as JSON, or null when the CPU (or the OS) does not offer
 * AVX512-VPOPCNTDQ. bench/bit_layers.py divides the binary layers' rates by
 * it. */
#include "peak_common.h"

#include <immintrin.h>
#include <stdio.h>

#define STEP(c, w) c = _mm512_add_epi64(c, _mm512_popcnt_epi64(_mm512_xor_si512(a, w)))

__attribute__((target("avx512f,avx512vpopcntdq"))) static double measure(void) {
  enum { ITERATIONS = 50000000 };
  double best = 0;
  for (int run = 0; run < 7; ++run) {
    __m512i a = _mm512_set1_epi64(0x0123456789abcdefLL);
    /* Twelve distinct weights: no two chains share an xor. */
    __m512i w[12];
    for (int i = 0; i < 12; ++i)
      w[i] = _mm512_set1_epi64(0x1111LL << i);
    __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0, c4 = c0,
            c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
    double start = now();
    for (long i = 0; i < ITERATIONS; ++i) {
      STEP(c0, w[0]), STEP(c1, w[1]), STEP(c2, w[2]), STEP(c3, w[3]);
      STEP(c4, w[4]), STEP(c5, w[5]), STEP(c6, w[6]), STEP(c7, w[7]);
      STEP(c8, w[8]), STEP(c9, w[9]), STEP(c10, w[10]), STEP(c11, w[11]);
      __asm__ volatile("" : "+v"(c0), "+v"(c1), "+v"(c2), "+v"(c3), "+v"(c4),
                       "+v"(c5), "+v"(c6), "+v"(c7), "+v"(c8), "+v"(c9),
                       "+v"(c10), "+v"(c11), "+v"(a));
    }
    double seconds = now() - start;
    __m512i sum = _mm512_add_epi64(
        _mm512_add_epi64(_mm512_add_epi64(c0, c1), _mm512_add_epi64(c2, c3)),
        _mm512_add_epi64(_mm512_add_epi64(c4, c5), _mm512_add_epi64(c6, c7)));
    sum = _mm512_add_epi64(sum, _mm512_add_epi64(_mm512_add_epi64(c8, c9),
                                                 _mm512_add_epi64(c10, c11)));
    double rate = (double)ITERATIONS * 12 * 512 / seconds / 1e9;
    if (rate > best)
      best = rate;
    if (_mm512_reduce_add_epi64(sum) == 12345) /* keeps the chains alive */
      printf("%lld\n", (long long)_mm512_reduce_add_epi64(sum));
  }
  return best;
}

int main(void) {
  if (!hasAvx512Extension(0, 1u << 14)) {
    printf("{\"gmacs\":null}\n");
    return 0;
  }
  printf("{\"gmacs\":%.1f}\n", measure());
  return 0;
}
