//===- CpuFeatures.cpp - Run-time instruction-set levels ------------------===//
//
// Implements CpuFeatures.h with CPUID leaves 1 and 7 and XGETBV: a feature
// counts only when the CPU has it and the OS saves the registers it uses.
// Also caps the Halide ukernels' choice of variant (their generated
// wrappers ask halide_can_use_target_features) at the same level.
//
//===----------------------------------------------------------------------===//

#include "runtime/CpuFeatures.h"

#include "HalideRuntime.h"

#include <atomic>
#include <cpuid.h>
#include <stdlib.h>
#include <string.h>

using namespace mlir::qc;

namespace {

/// Bits of CPUID and XCR0 the levels need.
constexpr unsigned kOsxsave = 1u << 27, kAvx = 1u << 28, kFma = 1u << 12;
constexpr unsigned kAvx2 = 1u << 5, kAvx512F = 1u << 16, kAvx512Dq = 1u << 17,
                   kAvx512Bw = 1u << 30, kAvx512Vl = 1u << 31;
constexpr unsigned kAvx512Vnni = 1u << 11;      // leaf 7, ECX
constexpr unsigned kAvx512Vpopcntdq = 1u << 14; // leaf 7, ECX
/// XCR0: SSE and AVX state; opmask, upper ZMM halves and ZMM16-31.
constexpr uint64_t kYmmState = 0x6, kZmmState = 0xe0;

uint64_t readXcr0() {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t(hi) << 32) | lo;
}

int32_t detectLevel() {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d))
    return kIsaBaseline;
  if ((c & kOsxsave) == 0 || (c & kAvx) == 0 || (c & kFma) == 0)
    return kIsaBaseline;
  uint64_t xcr0 = readXcr0();
  if ((xcr0 & kYmmState) != kYmmState)
    return kIsaBaseline;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || (b & kAvx2) == 0)
    return kIsaBaseline;
  unsigned avx512 = kAvx512F | kAvx512Dq | kAvx512Bw | kAvx512Vl;
  if ((b & avx512) != avx512 || (xcr0 & kZmmState) != kZmmState)
    return kIsaAvx2;
  return (c & kAvx512Vnni) ? kIsaAvx512Vnni : kIsaAvx512;
}

/// Detected level, cap (-1: none) and whether QC_ISA_CAP was read; plain
/// atomics because the runtime links no C++ library (no guarded statics).
std::atomic<int32_t> detected{-1};
/// Whether the CPU has AVX512-VPOPCNTDQ: -1 until first asked. CPUID is
/// read once: in a virtual machine each CPUID traps to the hypervisor, which
/// cost 14% of the binary VGG-small's time when it was read per call.
std::atomic<int32_t> vpopcntdq{-1};
std::atomic<int32_t> cap{-1};
std::atomic<bool> environmentRead{false};

/// Halide's features above `level`.
bool isAbove(int count, const uint64_t *features, int32_t level) {
  auto has = [&](halide_target_feature_t f) {
    int word = f / 64;
    return word < count && ((features[word] >> (f % 64)) & 1);
  };
  const halide_target_feature_t avx512[] = {
      halide_target_feature_avx512, halide_target_feature_avx512_knl,
      halide_target_feature_avx512_skylake,
      halide_target_feature_avx512_cannonlake,
      halide_target_feature_avx512_sapphirerapids};
  const halide_target_feature_t avx2[] = {
      halide_target_feature_sse41, halide_target_feature_avx,
      halide_target_feature_f16c, halide_target_feature_fma,
      halide_target_feature_avx2};
  if (level < kIsaAvx512)
    for (halide_target_feature_t f : avx512)
      if (has(f))
        return true;
  if (level < kIsaAvx2)
    for (halide_target_feature_t f : avx2)
      if (has(f))
        return true;
  return false;
}

int cappedCanUseTargetFeatures(int count, const uint64_t *features) {
  int32_t level = cap.load();
  if (level >= 0 && isAbove(count, features, level))
    return 0;
  return halide_default_can_use_target_features(count, features);
}

void setCap(int32_t level) {
  cap.store(level < 0 ? -1 : level);
  halide_set_custom_can_use_target_features(cappedCanUseTargetFeatures);
}

/// QC_ISA_CAP, once; an unknown value is ignored (no cap).
void readEnvironment() {
  // A plain load first: this runs on every kernel call.
  if (environmentRead.load() || environmentRead.exchange(true))
    return;
  const char *value = getenv("QC_ISA_CAP");
  if (!value)
    return;
  const char *names[] = {"x86-64", "avx2", "avx512", "avx512-vnni"};
  for (int32_t level = 0; level < 4; ++level)
    if (strcmp(value, names[level]) == 0)
      setCap(level);
}

} // namespace

extern "C" {

int32_t qc_rt_isa_level(void) {
  readEnvironment();
  int32_t level = detected.load();
  if (level < 0) {
    level = detectLevel();
    detected.store(level);
  }
  int32_t limit = cap.load();
  return limit >= 0 && limit < level ? limit : level;
}

bool qc_rt_has_vpopcntdq(void) {
  if (qc_rt_isa_level() < kIsaAvx512)
    return false;
  int32_t known = vpopcntdq.load();
  if (known < 0) {
    unsigned a, b, c, d;
    known =
        __get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & kAvx512Vpopcntdq) != 0;
    vpopcntdq.store(known);
  }
  return known != 0;
}

void qc_rt_cap_isa_level(int32_t level) {
  environmentRead.store(true); // an explicit cap wins over the environment
  setCap(level);
}

} // extern "C"
