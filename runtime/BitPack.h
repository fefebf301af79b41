//===- BitPack.h - Float signs packed into words ----------------*- C++ -*-===//
//
// qc.bitpack's kernel for f32 values and 32-bit words: bit t of word j is
// element 32 j + t's sign (x < 0) or, for the mask plane, whether it is
// neither zero nor NaN; ordered compares, so NaN gives 0 in both. Internal
// to the runtime; compiled code reaches it through qc_rt_bitpack_f32.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_BITPACK_H
#define QC_RUNTIME_BITPACK_H

#include <cstdint>

namespace mlir {
namespace qc {

/// words[j] |= the bits of values[32 j .. 32 j + 31], j < count, on the
/// thread pool: AVX-512 compares to masks where the CPU has them, portable
/// loops otherwise.
void bitPackF32(const float *values, uint32_t *words, int64_t count,
                bool nonzero);

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_BITPACK_H
