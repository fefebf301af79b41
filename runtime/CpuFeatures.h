//===- CpuFeatures.h - Run-time instruction-set levels ----------*- C++ -*-===//
//
// The instruction-set level the runtime's hand-written kernels may use, from
// CPUID feature bits and the OS's XGETBV state (never from a CPU name), and
// a cap that forces a lower level: tests use it to run the fallbacks on
// machines that would always pick the top level, and users can set
// QC_ISA_CAP (x86-64, avx2, avx512, avx512-vnni) to do the same. The
// Halide ukernels' choice of variant goes through the same bits and cap.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_CPUFEATURES_H
#define QC_RUNTIME_CPUFEATURES_H

#include <cstdint>

namespace mlir {
namespace qc {

/// Ordered: each level includes the ones below it.
enum IsaLevel : int32_t {
  /// x86-64 (SSE2).
  kIsaBaseline = 0,
  /// AVX2 and FMA.
  kIsaAvx2 = 1,
  /// AVX-512 F, BW, DQ and VL, with the OS saving the ZMM state.
  kIsaAvx512 = 2,
  /// kIsaAvx512 plus AVX512-VNNI (vpdpbusd).
  kIsaAvx512Vnni = 3,
};

/// The CPUID words and the OS state (XCR0) the runtime's choices read:
/// leaf 1 ECX, leaf 7 (sub-leaf 0) EBX, ECX and EDX.
struct CpuidBits {
  uint32_t leaf1Ecx = 0, leaf7Ebx = 0, leaf7Ecx = 0, leaf7Edx = 0;
  uint64_t xcr0 = 0;
};

/// This CPU's bits, read once.
CpuidBits getCpuidBits();

/// The level `bits` support (no cap).
int32_t getIsaLevel(const CpuidBits &bits);

/// Whether a Halide variant compiled for the `count` feature words at
/// `features` may run on a CPU with `bits` at `level` (the capped level):
/// qc's replacement of Halide's own check, which keys its AVX-512 levels on
/// features the kernels never use (Halide 14 runs its Sapphire Rapids
/// variant, the only one with a vector popcount, only with AVX-VNNI and
/// AVX512-BF16, so an Ice Lake with VPOPCNTDQ would take an emulated
/// popcount). Each Halide feature maps to the CPUID bits of the
/// instructions its variants contain (test/Runtime/halide-variants.test
/// checks the objects for the others); feature bits that are not x86
/// instruction sets (no_runtime, say) are accepted.
bool canRunHalideVariant(const CpuidBits &bits, int32_t level, int count,
                         const uint64_t *features);

} // namespace qc
} // namespace mlir

extern "C" {
/// The level this CPU and OS support, lowered to the cap if one is set.
int32_t qc_rt_isa_level(void);
/// Whether the CPU has AVX512-VPOPCNTDQ (vector popcount) and the level,
/// capped, is AVX-512 or above. Not a level of its own: CPUs with VNNI may
/// lack it and ones without VNNI have it.
bool qc_rt_has_vpopcntdq(void);
/// Caps the level (a negative value removes the cap). Set it before the
/// first kernel call: the Halide ukernels choose their variant once.
void qc_rt_cap_isa_level(int32_t level);
}

#endif // QC_RUNTIME_CPUFEATURES_H
