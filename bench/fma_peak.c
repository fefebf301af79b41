/* fma_peak.c - One core's fp32 multiply-accumulate peak, measured.
 *
 * Runs 12 independent chains of vector fused multiply-adds held in
 * registers (vectors of 16 floats, built with -march=native
 * -ffp-contract=fast: 512-bit FMAs where the CPU has AVX-512) and prints
 * the best rate of 7 runs in G MAC/s, as JSON. bench/layers.sh divides
 * kernel rates by it. */
#include "peak_common.h"

#include <stdio.h>

typedef float v16 __attribute__((vector_size(64)));

int main(void) {
  enum { ITERATIONS = 50000000 };
  double best = 0;
  for (int run = 0; run < 7; ++run) {
    v16 a, b;
    for (int i = 0; i < 16; ++i) {
      a[i] = 0.999999f;
      b[i] = 1e-7f;
    }
    /* Twelve chains in registers: enough to cover the FMA latency of two
       units. */
    v16 c0 = b, c1 = b * 2, c2 = b * 3, c3 = b * 4, c4 = b * 5, c5 = b * 6;
    v16 c6 = b * 7, c7 = b * 8, c8 = b * 9, c9 = b * 10, c10 = b * 11,
        c11 = b * 12;
    double start = now();
    for (long i = 0; i < ITERATIONS; ++i) {
      c0 = c0 * a + b, c1 = c1 * a + b, c2 = c2 * a + b, c3 = c3 * a + b;
      c4 = c4 * a + b, c5 = c5 * a + b, c6 = c6 * a + b, c7 = c7 * a + b;
      c8 = c8 * a + b, c9 = c9 * a + b, c10 = c10 * a + b, c11 = c11 * a + b;
      __asm__ volatile("" : "+v"(c0), "+v"(c1), "+v"(c2), "+v"(c3), "+v"(c4),
                       "+v"(c5), "+v"(c6), "+v"(c7), "+v"(c8), "+v"(c9),
                       "+v"(c10), "+v"(c11));
    }
    double seconds = now() - start;
    v16 sum = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
    double rate = (double)ITERATIONS * 12 * 16 / seconds / 1e9;
    if (rate > best)
      best = rate;
    if (sum[0] == 12345.0f) /* keeps the chains alive */
      printf("%f\n", sum[0]);
  }
  printf("{\"gmacs\":%.1f}\n", best);
  return 0;
}
