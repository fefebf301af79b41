//===- BitCalls.cpp - The C ABI of the low-bit kernels --------------------===//
//
// The entry points compiled code calls for binary layers and the packed
// activations between them -- the XNOR convolution (its sums, or with the
// layer's output stage fused into its store), the bit packing of
// float values, the threshold packing of integer sums and the max-pool of
// i16 sums -- and for codebook layers, the per-centroid accumulation. Each
// checks the descriptors it gets against what its kernel reads and records
// an error instead of running on a layout it does not serve.
//
//===----------------------------------------------------------------------===//

#include "runtime/BitPack.h"
#include "runtime/CallDescriptors.h"
#include "runtime/CentroidConv.h"
#include "runtime/PackedActivations.h"
#include "runtime/XnorConv.h"

#include "HalideRuntime.h"

#include <cstdint>
#include <type_traits>

using namespace mlir::qc;

namespace {

/// The binary convolution calls: checks the descriptors (dense weights of
/// the input's words, a mask of the input's shape and strides) and runs
/// xnorConv, or records an error. `wide` says whether the sums are int32
/// (else int16); `out` holds them, or with a fused `epilogue` (starting
/// the sums at `init`) receives its 32-bit values.
template <typename T>
int32_t runXnorConv(MemRef<int32_t, 4> *input, MemRef<int32_t, 4> *mask,
                    MemRef<int32_t, 4> *weights, MemRef<T, 4> *out,
                    int64_t strideH, int64_t strideW, int64_t dilationH,
                    int64_t dilationW, int64_t hasMask, bool wide,
                    const IntEpilogue &epilogue = IntEpilogue(),
                    int64_t init = 0) {
  const MemRef<int32_t, 4> &w = *weights;
  int64_t words = input->sizes[3], channels = out->sizes[3];
  bool denseWeights = w.sizes[2] == words && w.sizes[3] == channels &&
                      w.strides[3] == 1 && w.strides[2] == channels &&
                      w.strides[1] == words * channels &&
                      w.strides[0] == w.sizes[1] * words * channels;
  bool maskMatches = true;
  for (int d = 0; d < 4 && hasMask; ++d)
    maskMatches = maskMatches && mask->sizes[d] == input->sizes[d] &&
                  mask->strides[d] == input->strides[d];
  if (!denseWeights || !maskMatches)
    return recordCallStatus(halide_error_code_bad_dimensions);
  const bool fused = epilogue.kind != IntEpilogue::kSums;
  if (fused && (init < INT32_MIN || init > INT32_MAX))
    return recordCallStatus(halide_error_code_bad_dimensions);
  XnorConvProblem problem{};
  problem.g = getGeometry(*input, *out, strideH, strideW, dilationH, dilationW,
                          /*accumulate=*/!fused);
  problem.g.kernelH = w.sizes[0];
  problem.g.kernelW = w.sizes[1];
  problem.input =
      reinterpret_cast<const uint32_t *>(input->aligned + input->offset);
  problem.mask =
      hasMask ? reinterpret_cast<const uint32_t *>(mask->aligned + mask->offset)
              : nullptr;
  problem.weights = reinterpret_cast<const uint32_t *>(w.aligned + w.offset);
  problem.output = out->aligned + out->offset;
  problem.wide = wide;
  problem.epilogue = epilogue;
  problem.init = static_cast<int32_t>(init);
  if (!canRunXnorConv(problem))
    return recordCallStatus(halide_error_code_bad_dimensions);
  xnorConv(problem);
  return 0;
}

/// The threshold packing calls: sums [N][H][W][words][32] (channels
/// contiguous), the table [2][words * 32] (lo, then hi) and the words
/// [N][H][W][words].
template <typename T>
int32_t runThresholdPack(MemRef<T, 5> *sums, MemRef<int32_t, 2> *table,
                         MemRef<int32_t, 4> *words, int64_t nonzero) {
  int64_t channels = 32 * sums->sizes[3];
  bool matches = sums->sizes[4] == 32 && sums->strides[4] == 1 &&
                 sums->strides[3] == 32 && table->sizes[0] == 2 &&
                 table->sizes[1] == channels && table->strides[1] == 1;
  for (int d = 0; d < 4; ++d)
    matches = matches && words->sizes[d] == sums->sizes[d];
  ThresholdPackProblem problem{};
  for (int d = 0; d < 4; ++d) {
    problem.sizes[d] = words->sizes[d];
    problem.sumStrides[d] = d == 3 ? 1 : sums->strides[d];
    problem.wordStrides[d] = words->strides[d];
  }
  if (words->sizes[3] == 1)
    problem.wordStrides[3] = 1;
  problem.sums = sums->aligned + sums->offset;
  problem.wide = sizeof(T) == sizeof(int32_t);
  problem.lo = table->aligned + table->offset;
  problem.hi = problem.lo + table->strides[0];
  problem.words = reinterpret_cast<uint32_t *>(words->aligned + words->offset);
  problem.nonzero = nonzero != 0;
  if (!matches || !canRunThresholdPack(problem))
    return recordCallStatus(halide_error_code_bad_dimensions);
  thresholdPack(problem);
  return 0;
}

/// The tables of the per-centroid calls, checked to be contiguous.
bool getCentroidTables(MemRef<int32_t, 1> *positions,
                       MemRef<int32_t, 1> *starts, MemRef<float, 1> *values,
                       int64_t count, CentroidTables &tables) {
  if (count < 1 || (positions->sizes[0] > 1 && positions->strides[0] != 1) ||
      (starts->sizes[0] > 1 && starts->strides[0] != 1) ||
      (values->sizes[0] > 1 && values->strides[0] != 1) ||
      starts->sizes[0] != values->sizes[0] + 1 || values->sizes[0] % count != 0)
    return false;
  tables.positions = positions->aligned + positions->offset;
  tables.starts = starts->aligned + starts->offset;
  tables.centroids = values->aligned + values->offset;
  tables.count = count;
  return true;
}

/// The per-centroid convolution calls: input NHWC (already padded), the
/// tables (planar offsets), the output NHWC, then the window.
template <typename T>
int32_t runCentroidConv(MemRef<T, 4> *input, MemRef<int32_t, 1> *positions,
                        MemRef<int32_t, 1> *starts, MemRef<float, 1> *values,
                        MemRef<float, 4> *out, int64_t strideH, int64_t strideW,
                        int64_t dilationH, int64_t dilationW, int64_t kernelH,
                        int64_t kernelW, int64_t count) {
  CentroidConvProblem problem{};
  problem.g = getGeometry(*input, *out, strideH, strideW, dilationH, dilationW,
                          /*accumulate=*/0);
  problem.g.kernelH = kernelH;
  problem.g.kernelW = kernelW;
  problem.input = input->aligned + input->offset;
  problem.output = out->aligned + out->offset;
  problem.intInput = std::is_integral<T>::value;
  if (!getCentroidTables(positions, starts, values, count, problem.tables) ||
      values->sizes[0] != count * out->sizes[3] || !canRunCentroidConv(problem))
    return recordCallStatus(halide_error_code_bad_dimensions);
  if (!centroidConv(problem))
    return recordCallStatus(halide_error_code_out_of_memory);
  return 0;
}

/// The per-centroid dense calls: input [rows][depth], the tables (column
/// indices), the output [rows][filters].
template <typename T>
int32_t runCentroidDense(MemRef<T, 2> *input, MemRef<int32_t, 1> *positions,
                         MemRef<int32_t, 1> *starts, MemRef<float, 1> *values,
                         MemRef<float, 2> *out, int64_t count) {
  CentroidDenseProblem problem{};
  problem.input = input->aligned + input->offset;
  problem.rows = input->sizes[0];
  problem.depth = input->sizes[1];
  problem.inRowStride = input->strides[0];
  problem.output = out->aligned + out->offset;
  problem.filters = out->sizes[1];
  problem.outRowStride = out->strides[0];
  problem.intInput = std::is_integral<T>::value;
  if (!getCentroidTables(positions, starts, values, count, problem.tables) ||
      values->sizes[0] != count * out->sizes[1] ||
      out->sizes[0] != input->sizes[0] ||
      (input->sizes[1] > 1 && input->strides[1] != 1) ||
      (out->sizes[1] > 1 && out->strides[1] != 1) ||
      !canRunCentroidDense(problem))
    return recordCallStatus(halide_error_code_bad_dimensions);
  if (!centroidDense(problem))
    return recordCallStatus(halide_error_code_out_of_memory);
  return 0;
}

} // namespace

extern "C" {

int32_t _mlir_ciface_qc_rt_xnor_conv2d_i16(
    MemRef<int32_t, 4> *input, MemRef<int32_t, 4> *mask,
    MemRef<int32_t, 4> *weights, MemRef<int16_t, 4> *out, int64_t strideH,
    int64_t strideW, int64_t dilationH, int64_t dilationW, int64_t hasMask) {
  return runXnorConv(input, mask, weights, out, strideH, strideW, dilationH,
                     dilationW, hasMask, /*wide=*/false);
}

int32_t _mlir_ciface_qc_rt_xnor_conv2d_i32(
    MemRef<int32_t, 4> *input, MemRef<int32_t, 4> *mask,
    MemRef<int32_t, 4> *weights, MemRef<int32_t, 4> *out, int64_t strideH,
    int64_t strideW, int64_t dilationH, int64_t dilationW, int64_t hasMask) {
  return runXnorConv(input, mask, weights, out, strideH, strideW, dilationH,
                     dilationW, hasMask, /*wide=*/true);
}

int32_t _mlir_ciface_qc_rt_xnor_conv2d_i16_dequant(
    MemRef<int32_t, 4> *input, MemRef<int32_t, 4> *mask,
    MemRef<int32_t, 4> *weights, MemRef<float, 4> *out, int64_t strideH,
    int64_t strideW, int64_t dilationH, int64_t dilationW, int64_t hasMask,
    int64_t init, MemRef<float, 1> *scale, MemRef<float, 1> *shift,
    int64_t relu) {
  IntEpilogue e;
  e.kind = IntEpilogue::kDequantize;
  if (!setScaleShift(e, *scale, *shift, out->sizes[3], relu))
    return recordCallStatus(halide_error_code_bad_dimensions);
  return runXnorConv(input, mask, weights, out, strideH, strideW, dilationH,
                     dilationW, hasMask, /*wide=*/false, e, init);
}

int32_t _mlir_ciface_qc_rt_xnor_conv2d_i32_dequant(
    MemRef<int32_t, 4> *input, MemRef<int32_t, 4> *mask,
    MemRef<int32_t, 4> *weights, MemRef<float, 4> *out, int64_t strideH,
    int64_t strideW, int64_t dilationH, int64_t dilationW, int64_t hasMask,
    int64_t init, MemRef<float, 1> *scale, MemRef<float, 1> *shift,
    int64_t relu) {
  IntEpilogue e;
  e.kind = IntEpilogue::kDequantize;
  if (!setScaleShift(e, *scale, *shift, out->sizes[3], relu))
    return recordCallStatus(halide_error_code_bad_dimensions);
  return runXnorConv(input, mask, weights, out, strideH, strideW, dilationH,
                     dilationW, hasMask, /*wide=*/true, e, init);
}

int32_t _mlir_ciface_qc_rt_xnor_conv2d_i16_requant(
    MemRef<int32_t, 4> *input, MemRef<int32_t, 4> *mask,
    MemRef<int32_t, 4> *weights, MemRef<int32_t, 4> *out, int64_t strideH,
    int64_t strideW, int64_t dilationH, int64_t dilationW, int64_t hasMask,
    int64_t init, MemRef<float, 1> *scale, MemRef<float, 1> *shift,
    int64_t relu, float divisor, float zeroPoint, float lo, float hi,
    int64_t roundTrip) {
  IntEpilogue e = getRequantizeEpilogue(divisor, zeroPoint, lo, hi, roundTrip);
  if (!setScaleShift(e, *scale, *shift, out->sizes[3], relu))
    return recordCallStatus(halide_error_code_bad_dimensions);
  return runXnorConv(input, mask, weights, out, strideH, strideW, dilationH,
                     dilationW, hasMask, /*wide=*/false, e, init);
}

int32_t _mlir_ciface_qc_rt_xnor_conv2d_i32_requant(
    MemRef<int32_t, 4> *input, MemRef<int32_t, 4> *mask,
    MemRef<int32_t, 4> *weights, MemRef<int32_t, 4> *out, int64_t strideH,
    int64_t strideW, int64_t dilationH, int64_t dilationW, int64_t hasMask,
    int64_t init, MemRef<float, 1> *scale, MemRef<float, 1> *shift,
    int64_t relu, float divisor, float zeroPoint, float lo, float hi,
    int64_t roundTrip) {
  IntEpilogue e = getRequantizeEpilogue(divisor, zeroPoint, lo, hi, roundTrip);
  if (!setScaleShift(e, *scale, *shift, out->sizes[3], relu))
    return recordCallStatus(halide_error_code_bad_dimensions);
  return runXnorConv(input, mask, weights, out, strideH, strideW, dilationH,
                     dilationW, hasMask, /*wide=*/true, e, init);
}

int32_t _mlir_ciface_qc_rt_bitpack_f32(MemRef<float, 1> *values,
                                       MemRef<int32_t, 1> *words,
                                       int64_t nonzero) {
  int64_t count = words->sizes[0];
  if (values->sizes[0] != 32 * count || (count > 1 && words->strides[0] != 1) ||
      (values->sizes[0] > 1 && values->strides[0] != 1))
    return recordCallStatus(halide_error_code_bad_dimensions);
  bitPackF32(values->aligned + values->offset,
             reinterpret_cast<uint32_t *>(words->aligned + words->offset),
             count, nonzero != 0);
  return 0;
}

int32_t _mlir_ciface_qc_rt_threshold_pack_i16(MemRef<int16_t, 5> *sums,
                                              MemRef<int32_t, 2> *table,
                                              MemRef<int32_t, 4> *words,
                                              int64_t nonzero) {
  return runThresholdPack(sums, table, words, nonzero);
}

int32_t _mlir_ciface_qc_rt_threshold_pack_i32(MemRef<int32_t, 5> *sums,
                                              MemRef<int32_t, 2> *table,
                                              MemRef<int32_t, 4> *words,
                                              int64_t nonzero) {
  return runThresholdPack(sums, table, words, nonzero);
}

int32_t _mlir_ciface_qc_rt_max_pool2d_i16(MemRef<int16_t, 4> *input,
                                          MemRef<int16_t, 4> *out,
                                          int64_t windowH, int64_t windowW,
                                          int64_t strideH, int64_t strideW,
                                          int64_t dilationH,
                                          int64_t dilationW) {
  PoolI16Problem problem{};
  problem.g = getGeometry(*input, *out, strideH, strideW, dilationH, dilationW,
                          /*accumulate=*/1);
  problem.g.kernelH = windowH;
  problem.g.kernelW = windowW;
  problem.input = input->aligned + input->offset;
  problem.output = out->aligned + out->offset;
  if (!canRunPoolI16(problem))
    return recordCallStatus(halide_error_code_bad_dimensions);
  poolI16(problem);
  return 0;
}

int32_t _mlir_ciface_qc_rt_centroid_conv2d_f32(
    MemRef<float, 4> *input, MemRef<int32_t, 1> *positions,
    MemRef<int32_t, 1> *starts, MemRef<float, 1> *values, MemRef<float, 4> *out,
    int64_t strideH, int64_t strideW, int64_t dilationH, int64_t dilationW,
    int64_t kernelH, int64_t kernelW, int64_t count) {
  return runCentroidConv(input, positions, starts, values, out, strideH,
                         strideW, dilationH, dilationW, kernelH, kernelW,
                         count);
}

int32_t _mlir_ciface_qc_rt_centroid_conv2d_i32(
    MemRef<int32_t, 4> *input, MemRef<int32_t, 1> *positions,
    MemRef<int32_t, 1> *starts, MemRef<float, 1> *values, MemRef<float, 4> *out,
    int64_t strideH, int64_t strideW, int64_t dilationH, int64_t dilationW,
    int64_t kernelH, int64_t kernelW, int64_t count) {
  return runCentroidConv(input, positions, starts, values, out, strideH,
                         strideW, dilationH, dilationW, kernelH, kernelW,
                         count);
}

int32_t _mlir_ciface_qc_rt_centroid_dense_f32(MemRef<float, 2> *input,
                                              MemRef<int32_t, 1> *positions,
                                              MemRef<int32_t, 1> *starts,
                                              MemRef<float, 1> *values,
                                              MemRef<float, 2> *out,
                                              int64_t count) {
  return runCentroidDense(input, positions, starts, values, out, count);
}

int32_t _mlir_ciface_qc_rt_centroid_dense_i32(MemRef<int32_t, 2> *input,
                                              MemRef<int32_t, 1> *positions,
                                              MemRef<int32_t, 1> *starts,
                                              MemRef<float, 1> *values,
                                              MemRef<float, 2> *out,
                                              int64_t count) {
  return runCentroidDense(input, positions, starts, values, out, count);
}

} // extern "C"
