//===- PackedActivations.h - Binary activations between layers --*- C++ -*-===//
//
// The runtime's work between two binary layers when the activations stay
// packed (qc-fuse's packed thresholds): the max-pool of the integer sums
// and their thresholds straight into sign words and mask words. Internal to
// the runtime; compiled code reaches it through qc_rt_max_pool2d_i16 and
// qc_rt_threshold_pack_i16 / _i32.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_PACKEDACTIVATIONS_H
#define QC_RUNTIME_PACKEDACTIVATIONS_H

#include "runtime/ConvGeometry.h"

#include <cstdint>

namespace mlir {
namespace qc {

/// out[n][y][x][c] = max(out[n][y][x][c], the window's max of input), the
/// window as in PoolF32Problem (input already padded).
struct PoolI16Problem {
  ConvGeometry g;
  const int16_t *input;
  int16_t *output;
};

/// Whether poolI16 serves `problem`: a direct geometry of equal channels.
bool canRunPoolI16(const PoolI16Problem &problem);

/// Runs the pooling on the thread pool, with AVX-512 where the CPU has it
/// (and the cap allows), portable loops otherwise.
void poolI16(const PoolI16Problem &problem);

/// words[n][y][x][j] |= bit b for each channel c = 32 j + b whose sum s =
/// sums[n][y][x][c] satisfies s < lo[c] (the sign plane: level 0, -1), or
/// with `nonzero` s < lo[c] or s >= hi[c] (the mask plane: levels 0 and 2,
/// -1 and +1). `sums` holds 32 channels per word (the tail padded), and lo
/// and hi one entry per such channel (the tail's INT32_MIN and INT32_MAX,
/// which give 0 bits). `sizes` are N, H, W and words; strides in elements.
struct ThresholdPackProblem {
  int64_t sizes[4];
  int64_t sumStrides[4];
  int64_t wordStrides[4];
  /// int16_t or int32_t elements, as `wide` says.
  const void *sums;
  bool wide;
  const int32_t *lo, *hi;
  uint32_t *words;
  bool nonzero;
};

/// Whether thresholdPack serves `problem`: positive sizes, unit channel
/// strides.
bool canRunThresholdPack(const ThresholdPackProblem &problem);

/// Runs the packing on the thread pool, AVX-512 compares to masks where
/// the CPU has them, portable loops otherwise.
void thresholdPack(const ThresholdPackProblem &problem);

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_PACKEDACTIVATIONS_H
