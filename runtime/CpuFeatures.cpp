//===- CpuFeatures.cpp - Run-time instruction-set levels ------------------===//
//
// Implements CpuFeatures.h with CPUID leaves 1 and 7 and XGETBV: a feature
// counts only when the CPU has it and the OS saves the registers it uses.
// The Halide ukernels' generated wrappers ask halide_can_use_target_features
// which variant to run; qc answers in their place from the same bits and
// cap (installed before the first kernel call, see RuntimeCalls.cpp).
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

/// Leaf 1, ECX.
constexpr uint32_t kFma = 1u << 12, kSse41 = 1u << 19, kPopcnt = 1u << 23,
                   kOsxsave = 1u << 27, kAvx = 1u << 28, kF16c = 1u << 29;
/// Leaf 7, EBX.
constexpr uint32_t kBmi1 = 1u << 3, kAvx2 = 1u << 5, kBmi2 = 1u << 8,
                   kAvx512F = 1u << 16, kAvx512Dq = 1u << 17,
                   kAvx512Ifma = 1u << 21, kAvx512Cd = 1u << 28,
                   kAvx512Bw = 1u << 30, kAvx512Vl = 1u << 31;
/// Leaf 7, ECX.
constexpr uint32_t kAvx512Vbmi = 1u << 1, kAvx512Vbmi2 = 1u << 6,
                   kGfni = 1u << 8, kAvx512Vnni = 1u << 11,
                   kAvx512Bitalg = 1u << 12, kAvx512Vpopcntdq = 1u << 14;
/// XCR0: SSE and AVX state; opmask, upper ZMM halves and ZMM16-31.
constexpr uint64_t kYmmState = 0x6, kZmmState = 0xe0;

uint64_t readXcr0() {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t(hi) << 32) | lo;
}

CpuidBits readCpuidBits() {
  CpuidBits bits;
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d))
    return bits;
  bits.leaf1Ecx = c;
  if (c & kOsxsave)
    bits.xcr0 = readXcr0();
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
    bits.leaf7Ebx = b;
    bits.leaf7Ecx = c;
    bits.leaf7Edx = d;
  }
  return bits;
}

bool hasAll(uint32_t word, uint32_t mask) { return (word & mask) == mask; }

/// AVX (and the OS saving YMM state), which the AVX2 level and F16C need.
bool hasAvxState(const CpuidBits &bits) {
  return hasAll(bits.leaf1Ecx, kOsxsave | kAvx) &&
         (bits.xcr0 & kYmmState) == kYmmState;
}

/// AVX-512 F, CD, BW, DQ and VL with the OS saving the ZMM state: what
/// Halide's avx512 and avx512_skylake features compile for.
bool hasAvx512State(const CpuidBits &bits) {
  return hasAvxState(bits) && (bits.xcr0 & kZmmState) == kZmmState &&
         hasAll(bits.leaf7Ebx,
                kAvx512F | kAvx512Cd | kAvx512Bw | kAvx512Dq | kAvx512Vl);
}

/// Whether the x86 feature `feature` of Halide may run on `bits` at
/// `level`; -1 when it is not an x86 instruction-set feature.
int canUseFeature(const CpuidBits &bits, int32_t level, int feature) {
  switch (feature) {
  case halide_target_feature_sse41:
    return level >= kIsaAvx2 && (bits.leaf1Ecx & kSse41) != 0;
  case halide_target_feature_avx:
    return level >= kIsaAvx2 && hasAvxState(bits);
  case halide_target_feature_f16c:
    return level >= kIsaAvx2 && hasAvxState(bits) &&
           (bits.leaf1Ecx & kF16c) != 0;
  case halide_target_feature_fma:
    return level >= kIsaAvx2 && hasAvxState(bits) &&
           (bits.leaf1Ecx & kFma) != 0;
  case halide_target_feature_avx2:
    // LLVM's AVX2 CPU model (haswell) also uses POPCNT, BMI1 and BMI2.
    return level >= kIsaAvx2 && hasAvxState(bits) &&
           (bits.leaf1Ecx & kPopcnt) != 0 &&
           hasAll(bits.leaf7Ebx, kAvx2 | kBmi1 | kBmi2);
  case halide_target_feature_avx512:
  case halide_target_feature_avx512_skylake:
    return level >= kIsaAvx512 && hasAvx512State(bits);
  case halide_target_feature_avx512_cannonlake:
    return level >= kIsaAvx512 && hasAvx512State(bits) &&
           (bits.leaf7Ebx & kAvx512Ifma) != 0 &&
           (bits.leaf7Ecx & kAvx512Vbmi) != 0;
  case halide_target_feature_avx512_sapphirerapids:
    // LLVM's sapphirerapids model also enables AVX512-BF16/FP16, AVX-VNNI
    // and AMX; the variants contain none of their instructions (checked on
    // the built objects), so Ice Lake and Zen 4 qualify.
    return level >= kIsaAvx512Vnni && hasAvx512State(bits) &&
           (bits.leaf7Ebx & kAvx512Ifma) != 0 &&
           hasAll(bits.leaf7Ecx, kAvx512Vbmi | kAvx512Vbmi2 | kGfni |
                                     kAvx512Vnni | kAvx512Bitalg |
                                     kAvx512Vpopcntdq);
  case halide_target_feature_avx512_knl:
  case halide_target_feature_fma4:
  case halide_target_feature_vsx:
  case halide_target_feature_power_arch_2_07:
    return 0;
  default:
    return -1;
  }
}

/// The CPUID words, read once: in a virtual machine each CPUID traps to the
/// hypervisor, which cost 14% of the binary VGG-small's time when it was
/// read per call. Plain atomics because the runtime links no C++ library
/// (no guarded statics); racing first readers store the same values.
std::atomic<bool> bitsRead{false};
std::atomic<uint32_t> leaf1Ecx{0}, leaf7Ebx{0}, leaf7Ecx{0}, leaf7Edx{0};
std::atomic<uint64_t> xcr0{0};
/// Detected level, cap (-1: none) and whether QC_ISA_CAP was read.
std::atomic<int32_t> detected{-1};
std::atomic<int32_t> cap{-1};
std::atomic<bool> environmentRead{false};

int32_t getCappedLevel();

int qcCanUseTargetFeatures(int count, const uint64_t *features) {
  return canRunHalideVariant(getCpuidBits(), getCappedLevel(), count, features);
}

/// QC_ISA_CAP, once; an unknown value is ignored (no cap). Also installs
/// qc's answer to Halide's variant check, before any kernel asks it.
void readEnvironment() {
  // A plain load first: this runs on every kernel call.
  if (environmentRead.load() || environmentRead.exchange(true))
    return;
  halide_set_custom_can_use_target_features(qcCanUseTargetFeatures);
  const char *value = getenv("QC_ISA_CAP");
  if (!value)
    return;
  const char *names[] = {"x86-64", "avx2", "avx512", "avx512-vnni"};
  for (int32_t level = 0; level < 4; ++level)
    if (strcmp(value, names[level]) == 0)
      cap.store(level);
}

int32_t getCappedLevel() {
  int32_t level = detected.load();
  if (level < 0) {
    level = getIsaLevel(getCpuidBits());
    detected.store(level);
  }
  int32_t limit = cap.load();
  return limit >= 0 && limit < level ? limit : level;
}

} // namespace

namespace mlir {
namespace qc {

CpuidBits getCpuidBits() {
  CpuidBits bits;
  if (!bitsRead.load()) {
    bits = readCpuidBits();
    leaf1Ecx.store(bits.leaf1Ecx);
    leaf7Ebx.store(bits.leaf7Ebx);
    leaf7Ecx.store(bits.leaf7Ecx);
    leaf7Edx.store(bits.leaf7Edx);
    xcr0.store(bits.xcr0);
    bitsRead.store(true);
    return bits;
  }
  bits.leaf1Ecx = leaf1Ecx.load();
  bits.leaf7Ebx = leaf7Ebx.load();
  bits.leaf7Ecx = leaf7Ecx.load();
  bits.leaf7Edx = leaf7Edx.load();
  bits.xcr0 = xcr0.load();
  return bits;
}

int32_t getIsaLevel(const CpuidBits &bits) {
  if (!hasAvxState(bits) || (bits.leaf1Ecx & kFma) == 0 ||
      (bits.leaf7Ebx & kAvx2) == 0)
    return kIsaBaseline;
  uint32_t avx512 = kAvx512F | kAvx512Dq | kAvx512Bw | kAvx512Vl;
  if (!hasAll(bits.leaf7Ebx, avx512) || (bits.xcr0 & kZmmState) != kZmmState)
    return kIsaAvx2;
  return (bits.leaf7Ecx & kAvx512Vnni) ? kIsaAvx512Vnni : kIsaAvx512;
}

bool canRunHalideVariant(const CpuidBits &bits, int32_t level, int count,
                         const uint64_t *features) {
  for (int word = 0; word < count; ++word)
    for (int bit = 0; bit < 64; ++bit)
      if ((features[word] >> bit) & 1)
        if (canUseFeature(bits, level, word * 64 + bit) == 0)
          return false;
  return true;
}

} // namespace qc
} // namespace mlir

extern "C" {

int32_t qc_rt_isa_level(void) {
  readEnvironment();
  return getCappedLevel();
}

bool qc_rt_has_vpopcntdq(void) {
  return qc_rt_isa_level() >= kIsaAvx512 &&
         (getCpuidBits().leaf7Ecx & kAvx512Vpopcntdq) != 0;
}

void qc_rt_cap_isa_level(int32_t level) {
  readEnvironment(); // installs the variant check; the explicit cap wins
  cap.store(level < 0 ? -1 : level);
}

} // extern "C"
