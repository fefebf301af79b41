/* peak_common.h - What the peak microbenchmarks share: a monotonic clock
 * and the check that the CPU and the OS offer an AVX-512 extension. */
#ifndef QC_BENCH_PEAK_COMMON_H
#define QC_BENCH_PEAK_COMMON_H

#include <cpuid.h>
#include <time.h>

static inline double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/* AVX512-F and the CPUID leaf 7 bits `ebx` and `ecx` (the extension), and
 * the OS saving the ZMM state (OSXSAVE, then XCR0's SSE, AVX and AVX-512
 * state bits). */
static inline int hasAvx512Extension(unsigned ebx, unsigned ecx) {
  unsigned a, b, c, d, lo, hi;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)))
    return 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 0xe6) != 0xe6)
    return 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
    return 0;
  return (b & (1u << 16)) && (b & ebx) == ebx && (c & ecx) == ecx;
}

#endif /* QC_BENCH_PEAK_COMMON_H */
