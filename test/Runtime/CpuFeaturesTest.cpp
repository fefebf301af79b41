//===- CpuFeaturesTest.cpp - Tests of the run-time ISA choices ------------===//
//
// The levels and Halide's variant check of runtime/CpuFeatures.cpp on the
// CPUID words of CPU kinds this machine is not: a check keyed on the wrong
// bits would send an Ice Lake (VPOPCNTDQ without AVX512-BF16) to the
// emulated popcount, or a Skylake-X (no VPOPCNTDQ) to a variant it cannot
// run. The words below are each kind's documented feature bits.
//
//===----------------------------------------------------------------------===//

#include "runtime/CpuFeatures.h"

#include "HalideRuntime.h"

#include <gtest/gtest.h>

using namespace mlir::qc;

namespace {

/// Leaf 1 ECX of an AVX2 CPU: FMA, SSE4.1, POPCNT, OSXSAVE, AVX, F16C.
constexpr uint32_t kLeaf1Avx2 =
    (1u << 12) | (1u << 19) | (1u << 23) | (1u << 27) | (1u << 28) | (1u << 29);
/// Leaf 7 EBX: BMI1, AVX2, BMI2; then AVX-512 F, DQ, CD, BW, VL; IFMA.
constexpr uint32_t kEbxAvx2 = (1u << 3) | (1u << 5) | (1u << 8);
constexpr uint32_t kEbxSkylake =
    kEbxAvx2 | (1u << 16) | (1u << 17) | (1u << 28) | (1u << 30) | (1u << 31);
constexpr uint32_t kEbxIfma = 1u << 21;
/// Leaf 7 ECX: VBMI, VBMI2, GFNI, VNNI, BITALG, VPOPCNTDQ.
constexpr uint32_t kEcxIceLake =
    (1u << 1) | (1u << 6) | (1u << 8) | (1u << 11) | (1u << 12) | (1u << 14);
/// XCR0 with the SSE/AVX and the AVX-512 state saved.
constexpr uint64_t kXcr0Avx = 0x7, kXcr0Avx512 = 0xe7;

CpuidBits makeBits(uint32_t ebx, uint32_t ecx, uint64_t xcr0) {
  CpuidBits bits;
  bits.leaf1Ecx = kLeaf1Avx2;
  bits.leaf7Ebx = ebx;
  bits.leaf7Ecx = ecx;
  bits.xcr0 = xcr0;
  return bits;
}

/// The feature words of a Halide target with `features`.
struct Variant {
  uint64_t words[(halide_target_feature_end + 63) / 64] = {};
  Variant(std::initializer_list<halide_target_feature_t> features) {
    for (halide_target_feature_t f : features)
      words[f / 64] |= uint64_t(1) << (f % 64);
  }
  bool runsOn(const CpuidBits &bits, int32_t level) const {
    return canRunHalideVariant(bits, level, sizeof words / sizeof words[0],
                               words);
  }
};

/// The three variants every ukernel is compiled for (runtime/ukernels).
const Variant kAvx512Variant{halide_target_feature_sse41,
                             halide_target_feature_avx,
                             halide_target_feature_f16c,
                             halide_target_feature_fma,
                             halide_target_feature_avx2,
                             halide_target_feature_avx512,
                             halide_target_feature_avx512_skylake,
                             halide_target_feature_avx512_cannonlake,
                             halide_target_feature_avx512_sapphirerapids,
                             halide_target_feature_no_runtime};
const Variant kAvx2Variant{
    halide_target_feature_sse41, halide_target_feature_avx,
    halide_target_feature_f16c,  halide_target_feature_fma,
    halide_target_feature_avx2,  halide_target_feature_no_runtime};
const Variant kBaselineVariant{halide_target_feature_no_runtime};

TEST(CpuFeatures, IceLakeRunsThePopcountVariant) {
  // No AVX512-BF16 and no AVX-VNNI: Halide 14's own check refuses it.
  CpuidBits iceLake =
      makeBits(kEbxSkylake | kEbxIfma, kEcxIceLake, kXcr0Avx512);
  EXPECT_EQ(getIsaLevel(iceLake), kIsaAvx512Vnni);
  EXPECT_TRUE(kAvx512Variant.runsOn(iceLake, kIsaAvx512Vnni));
  // Capped, it falls to the AVX2 variant.
  EXPECT_FALSE(kAvx512Variant.runsOn(iceLake, kIsaAvx512));
  EXPECT_TRUE(kAvx2Variant.runsOn(iceLake, kIsaAvx512));
  EXPECT_FALSE(kAvx2Variant.runsOn(iceLake, kIsaBaseline));
  EXPECT_TRUE(kBaselineVariant.runsOn(iceLake, kIsaBaseline));
}

TEST(CpuFeatures, SkylakeTakesTheAvx2Variant) {
  // AVX-512 without VNNI, IFMA or VPOPCNTDQ.
  CpuidBits skylake = makeBits(kEbxSkylake, 0, kXcr0Avx512);
  EXPECT_EQ(getIsaLevel(skylake), kIsaAvx512);
  EXPECT_FALSE(kAvx512Variant.runsOn(skylake, kIsaAvx512));
  EXPECT_TRUE(kAvx2Variant.runsOn(skylake, kIsaAvx512));
  // Each missing bit of the popcount variant refuses it on its own.
  for (uint32_t bit :
       {1u << 1, 1u << 6, 1u << 8, 1u << 11, 1u << 12, 1u << 14}) {
    CpuidBits bits =
        makeBits(kEbxSkylake | kEbxIfma, kEcxIceLake & ~bit, kXcr0Avx512);
    EXPECT_FALSE(kAvx512Variant.runsOn(bits, kIsaAvx512Vnni)) << bit;
  }
}

TEST(CpuFeatures, OsStateAndAvx2Bits) {
  // The OS not saving the ZMM state makes an AVX-512 CPU an AVX2 one.
  CpuidBits noZmm = makeBits(kEbxSkylake | kEbxIfma, kEcxIceLake, kXcr0Avx);
  EXPECT_EQ(getIsaLevel(noZmm), kIsaAvx2);
  EXPECT_FALSE(kAvx512Variant.runsOn(noZmm, kIsaAvx512Vnni));
  EXPECT_TRUE(kAvx2Variant.runsOn(noZmm, kIsaAvx2));
  // AVX2 without BMI2 (LLVM's haswell model uses shlx/sarx).
  CpuidBits noBmi2 = makeBits(kEbxAvx2 & ~(1u << 8), 0, kXcr0Avx);
  EXPECT_FALSE(kAvx2Variant.runsOn(noBmi2, kIsaAvx2));
  // No OSXSAVE: baseline only.
  CpuidBits old = makeBits(kEbxAvx2, 0, 0);
  old.leaf1Ecx &= ~(1u << 27);
  EXPECT_EQ(getIsaLevel(old), kIsaBaseline);
  EXPECT_FALSE(kAvx2Variant.runsOn(old, kIsaAvx2));
  EXPECT_TRUE(kBaselineVariant.runsOn(old, kIsaBaseline));
}

TEST(CpuFeatures, HostAgreesWithItsBits) {
  // This machine's level is what its own bits say, and Halide asks qc:
  // the installed check answers as canRunHalideVariant does at the level
  // in force (capped by QC_TEST_UKERNEL_ISA's runs too).
  CpuidBits host = getCpuidBits();
  int32_t level = qc_rt_isa_level();
  EXPECT_LE(level, getIsaLevel(host));
  EXPECT_EQ(halide_can_use_target_features(sizeof kAvx512Variant.words /
                                               sizeof(uint64_t),
                                           kAvx512Variant.words) != 0,
            kAvx512Variant.runsOn(host, level));
  EXPECT_EQ(qc_rt_has_vpopcntdq(),
            level >= kIsaAvx512 && ((host.leaf7Ecx >> 14) & 1) != 0);
}

} // namespace
