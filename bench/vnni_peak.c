/* vnni_peak.c - One core's u8 x s8 multiply-accumulate peak, measured.
 *
 * Runs 12 independent chains of AVX512-VNNI dot products (vpdpbusd: 64
 * u8 x s8 multiply-adds into 16 int32 lanes per instruction) held in
 * registers and prints the best rate of 7 runs in G MAC/s, as JSON, or
 * null when the CPU (or the OS) does not offer AVX512-VNNI. bench/layers.py
 * divides the W8A8 layers' rates by it. */
#include "peak_common.h"

#include <immintrin.h>
#include <stdio.h>

__attribute__((target("avx512f,avx512vnni"))) static double measure(void) {
  enum { ITERATIONS = 50000000 };
  double best = 0;
  for (int run = 0; run < 7; ++run) {
    __m512i a = _mm512_set1_epi32(0x01010101), w = _mm512_set1_epi32(0x01ff01ff);
    __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0, c4 = c0,
            c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
    double start = now();
    for (long i = 0; i < ITERATIONS; ++i) {
      c0 = _mm512_dpbusd_epi32(c0, a, w), c1 = _mm512_dpbusd_epi32(c1, a, w);
      c2 = _mm512_dpbusd_epi32(c2, a, w), c3 = _mm512_dpbusd_epi32(c3, a, w);
      c4 = _mm512_dpbusd_epi32(c4, a, w), c5 = _mm512_dpbusd_epi32(c5, a, w);
      c6 = _mm512_dpbusd_epi32(c6, a, w), c7 = _mm512_dpbusd_epi32(c7, a, w);
      c8 = _mm512_dpbusd_epi32(c8, a, w), c9 = _mm512_dpbusd_epi32(c9, a, w);
      c10 = _mm512_dpbusd_epi32(c10, a, w);
      c11 = _mm512_dpbusd_epi32(c11, a, w);
      __asm__ volatile("" : "+v"(c0), "+v"(c1), "+v"(c2), "+v"(c3), "+v"(c4),
                       "+v"(c5), "+v"(c6), "+v"(c7), "+v"(c8), "+v"(c9),
                       "+v"(c10), "+v"(c11));
    }
    double seconds = now() - start;
    __m512i sum = _mm512_add_epi32(
        _mm512_add_epi32(_mm512_add_epi32(c0, c1), _mm512_add_epi32(c2, c3)),
        _mm512_add_epi32(_mm512_add_epi32(c4, c5), _mm512_add_epi32(c6, c7)));
    sum = _mm512_add_epi32(sum, _mm512_add_epi32(_mm512_add_epi32(c8, c9),
                                                 _mm512_add_epi32(c10, c11)));
    double rate = (double)ITERATIONS * 12 * 64 / seconds / 1e9;
    if (rate > best)
      best = rate;
    if (_mm512_reduce_add_epi32(sum) == 12345) /* keeps the chains alive */
      printf("%d\n", _mm512_reduce_add_epi32(sum));
  }
  return best;
}

int main(void) {
  if (!hasAvx512Extension(0, 1u << 11)) {
    printf("{\"gmacs\":null}\n");
    return 0;
  }
  printf("{\"gmacs\":%.1f}\n", measure());
  return 0;
}
