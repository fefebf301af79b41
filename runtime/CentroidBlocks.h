//===- CentroidBlocks.h - Centroid convolution block kernels ----*- C++ -*-===//
//
// What the centroid convolution's driver (CentroidConv.cpp) shares with its
// block kernels (CentroidBlocks.cpp): the plan of a call, the runs of lanes
// it splits into blocks, the blocks' sizes and the entry points the driver
// picks its route from: a block and a transposition for AVX-512, for AVX2
// (without FMA) and for baseline x86-64, all bit-exact to one another.
// Internal to the centroid kernels.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_CENTROIDBLOCKS_H
#define QC_RUNTIME_CENTROIDBLOCKS_H

#include <cstdint>

namespace mlir {
namespace qc {
namespace centroid {

/// Vectors of 16 pixels a block keeps in flight at most.
constexpr int kMaxVectors = 8;
constexpr int64_t kMaxLanes = 16 * kMaxVectors;

/// What every block of a call shares.
struct Plan {
  /// Offsets into the planar scratch (the compiler's, or rewritten for the
  /// stride phases) or dense column indices.
  const int32_t *positions;
  const int32_t *starts;
  const float *centroids;
  int64_t k;
  bool intInput;
  bool accumulate;
};

/// A run of lanes: lane q reads base[q + positions[i] * scale] and belongs
/// to the output element at out + (q / rowLanes) * rowStride + (q %
/// rowLanes) * laneStride if q % rowLanes < validLanes (else it is
/// dropped).
struct Run {
  /// 32-bit elements, float or int32_t.
  const void *base;
  int64_t scale;
  int64_t lanes;
  float *out;
  int64_t rowLanes, validLanes, rowStride, laneStride;
};

/// The lanes [q0, q0 + 16 * vectors) of `run`, filters [f0, f1).
using BlockFn = void (*)(const Plan &plan, const Run &run, int64_t q0,
                         int vectors, int64_t f0, int64_t f1);
/// dst[c * dstRowStride + r] = src[r * srcRowStride + c] for 32-bit
/// elements, r < rows, c < cols.
using TransposeFn = void (*)(const void *src, int64_t srcRowStride,
                             int64_t rows, int64_t cols, void *dst,
                             int64_t dstRowStride);

/// The AVX-512 block: tiles of filters computed in registers, transposed and
/// stored pixel by pixel. Requires AVX512F, BW, DQ and VL.
void runBlock512(const Plan &p, const Run &r, int64_t q0, int vectors,
                 int64_t f0, int64_t f1);
/// The AVX-512 transposition, 16 x 16 elements at a time in registers.
/// Requires AVX512F, BW, DQ and VL.
void transpose512(const void *src, int64_t srcRowStride, int64_t rows,
                  int64_t cols, void *dst, int64_t dstRowStride);

/// The block as plain loops compiled for AVX2 (without FMA). Requires AVX2.
void runBlockPortableAvx2(const Plan &p, const Run &r, int64_t q0, int vectors,
                          int64_t f0, int64_t f1);
/// The block as plain loops compiled for baseline x86-64.
void runBlockPortableBaseline(const Plan &p, const Run &r, int64_t q0,
                              int vectors, int64_t f0, int64_t f1);

/// The transposition as plain loops compiled for AVX2. Requires AVX2.
void transposeAvx2(const void *src, int64_t srcRowStride, int64_t rows,
                   int64_t cols, void *dst, int64_t dstRowStride);
/// The transposition as plain loops compiled for baseline x86-64.
void transposeBaseline(const void *src, int64_t srcRowStride, int64_t rows,
                       int64_t cols, void *dst, int64_t dstRowStride);

} // namespace centroid
} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_CENTROIDBLOCKS_H
