//===- CentroidConv.h - Per-centroid accumulation convolution ---*- C++ -*-===//
//
// The runtime's codebook ("centroid") convolution and dense layer: each
// filter's weights are indices into k centroids, and instead of multiplying
// every input by its weight the kernel sums, per centroid, the inputs at the
// window positions that use it (the centroid's bucket) and multiplies each
// sum once. The compiler builds the buckets; the kernel is bit-exact to the
// plain loop over buckets written out below, float rounding included (no
// fused multiply-add, every lane adding in the reference's order). Internal
// to the runtime; the C ABI wraps it.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_CENTROIDCONV_H
#define QC_RUNTIME_CENTROIDCONV_H

#include "runtime/ConvGeometry.h"

#include <cstdint>

namespace mlir {
namespace qc {

/// The compiler's tables of a layer with O filters and k centroids each.
/// Bucket (o, j), of filter o and centroid j, is positions[starts[o * k + j]]
/// to positions[starts[o * k + j + 1] - 1], in ascending window order; the
/// buckets of centroids whose value is 0 may be left empty (they add
/// nothing, as the reference loop's 0 * 0 does).
struct CentroidTables {
  /// Convolutions: planar offsets relative to the window's origin,
  /// c * Hp * Wp + kh * dilationH * Wp + kw * dilationW for the input's
  /// (padded) height Hp and width Wp, so the tables are made for one input
  /// size. Dense layers: the input column k.
  const int32_t *positions;
  /// O * k + 1 non-decreasing entries from 0.
  const int32_t *starts;
  /// O * k values, filter-major: centroids[o * k + j].
  const float *centroids;
  /// k, at least 1.
  int64_t count;
};

/// out[n][y][x][o] = [out[n][y][x][o] +] acc, where
///   acc = 0; for j in 0..k-1: s = 0; for each offset p of bucket (o, j):
///     s = s + in(n, y, x, p); acc = acc + centroids[o * k + j] * s
/// with in(n, y, x, p) the input element of channel c at row y * strideH +
/// kh * dilationH and column x * strideW + kw * dilationW for the (c, kh,
/// kw) that p encodes. Float inputs sum in float; int32 inputs in int32,
/// wrapping, and each sum is converted to float (round to nearest) before
/// the multiply. Every multiply and add rounds on its own. The input is
/// NHWC and already padded; the geometry's sizes and strides are in
/// elements (views of larger buffers are fine), `g.accumulate` adds the
/// output's initial values (old + acc).
struct CentroidConvProblem {
  ConvGeometry g;
  /// float, or int32_t when intInput.
  const void *input;
  float *output;
  CentroidTables tables;
  bool intInput;
};

/// Whether centroidConv serves `problem`: a direct geometry (ConvGeometry.h)
/// of fewer than 2^31 input elements per image, starts that rise from 0 and
/// offsets inside the window's span (at most (C - 1) * Hp * Wp + (KH - 1) *
/// dilationH * Wp + (KW - 1) * dilationW). Reads every table entry once.
bool canRunCentroidConv(const CentroidConvProblem &problem);

/// Runs the convolution, on the thread pool when it is large enough, with
/// AVX-512 where the CPU has it and the instruction-set cap allows it, else
/// portable loops (the same results to the bit). Requires
/// canRunCentroidConv. Returns false, having written nothing, when its
/// scratch memory cannot be allocated or when, with a stride above 1, an
/// offset does not decode to a window position of the geometry.
bool centroidConv(const CentroidConvProblem &problem);

/// centroidConv with the instruction-set level lowered to `level` (never
/// raised above qc_rt_isa_level()): lets tests compare the routes.
bool centroidConvAtLevel(const CentroidConvProblem &problem, int32_t level);

/// out[r][o] = [out[r][o] +] acc, with acc as for CentroidConvProblem and
/// in(r, p) = input[r][p]: a dense layer x [rows][depth] times codebook
/// weights, batch rows in the vector lanes.
struct CentroidDenseProblem {
  /// float, or int32_t when intInput; rows of `depth` unit-stride elements.
  const void *input;
  int64_t rows, depth, inRowStride;
  /// [rows][filters], rows `outRowStride` elements apart.
  float *output;
  int64_t filters, outRowStride;
  CentroidTables tables;
  bool intInput;
  bool accumulate;
};

/// Whether centroidDense serves `problem`: positive sizes (fewer than 2^27
/// rows), non-negative strides, output rows that do not overlap, starts that
/// rise from 0 and positions below `depth`. Reads every table entry once.
bool canRunCentroidDense(const CentroidDenseProblem &problem);

/// Runs the dense layer like centroidConv (the same routes and result
/// guarantee). Requires canRunCentroidDense; returns false, having written
/// nothing, when its scratch memory cannot be allocated.
bool centroidDense(const CentroidDenseProblem &problem);

/// centroidDense at an instruction-set level of at most `level`.
bool centroidDenseAtLevel(const CentroidDenseProblem &problem, int32_t level);

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_CENTROIDCONV_H
