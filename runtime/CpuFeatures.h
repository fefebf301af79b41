//===- CpuFeatures.h - Run-time instruction-set levels ----------*- C++ -*-===//
//
// The instruction-set level the runtime's hand-written kernels may use, from
// CPUID feature bits and the OS's XGETBV state (never from a CPU name), and
// a cap that forces a lower level: tests use it to run the fallbacks on
// machines that would always pick the top level, and users can set
// QC_ISA_CAP (x86-64, avx2, avx512, avx512-vnni) to do the same. The cap
// applies to the Halide ukernels' variant choice too.
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
