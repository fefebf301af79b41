//===- CallDescriptors.h - What the C ABI's entry points share --*- C++ -*-===//
//
// The memref descriptors compiled code passes to the runtime's entry points,
// the convolution geometry they describe, the fused output stages they
// pass, the per-thread status a failed call records, and the entry points
// of the bit-level kernels
// and codebook kernels (BitCalls.cpp), which RuntimeCalls.cpp lists for the
// JIT. Internal to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_CALLDESCRIPTORS_H
#define QC_RUNTIME_CALLDESCRIPTORS_H

#include "runtime/ConvGeometry.h"
#include "runtime/IntEpilogue.h"

#include <cstdint>

namespace mlir {
namespace qc {

/// An MLIR ranked memref descriptor.
template <typename T, int Rank> struct MemRef {
  T *allocated;
  T *aligned;
  int64_t offset;
  int64_t sizes[Rank];
  int64_t strides[Rank];
};

/// The geometry of a convolution from its NHWC descriptors and scalars (the
/// kernel's extents are set by the caller, from its weights).
template <typename In, typename Out>
ConvGeometry getGeometry(const MemRef<In, 4> &input, const MemRef<Out, 4> &out,
                         int64_t strideH, int64_t strideW, int64_t dilationH,
                         int64_t dilationW, int64_t accumulate) {
  ConvGeometry g{};
  for (int d = 0; d < 4; ++d) {
    g.inSizes[d] = input.sizes[d];
    g.inStrides[d] = input.strides[d];
    g.outSizes[d] = out.sizes[d];
    g.outStrides[d] = out.strides[d];
  }
  g.strideH = strideH;
  g.strideW = strideW;
  g.dilationH = dilationH;
  g.dilationW = dilationW;
  g.accumulate = accumulate != 0;
  return g;
}

/// Sets the scale and shift of fused epilogue `e` from a call's vectors
/// (one value each, or one per filter at unit stride) and its relu flag;
/// false when the vectors are neither.
inline bool setScaleShift(IntEpilogue &e, const MemRef<float, 1> &scale,
                          const MemRef<float, 1> &shift, int64_t filters,
                          int64_t relu) {
  auto fits = [&](const MemRef<float, 1> &v) {
    return v.sizes[0] == 1 || (v.sizes[0] >= filters && v.strides[0] == 1);
  };
  if (!fits(scale) || !fits(shift))
    return false;
  e.scale = scale.aligned + scale.offset;
  e.shift = shift.aligned + shift.offset;
  e.scaleStride = scale.sizes[0] == 1 ? 0 : 1;
  e.shiftStride = shift.sizes[0] == 1 ? 0 : 1;
  e.relu = relu != 0;
  return true;
}

/// A requantizing epilogue from a _requant call's scalars (its scale and
/// shift still to set).
inline IntEpilogue getRequantizeEpilogue(float divisor, float zeroPoint,
                                         float lo, float hi,
                                         int64_t roundTrip) {
  IntEpilogue e;
  e.kind = IntEpilogue::kRequantize;
  e.divisor = divisor;
  e.zeroPoint = zeroPoint;
  e.lo = lo;
  e.hi = hi;
  e.roundTrip = roundTrip != 0;
  return e;
}

/// Records `status` as the calling thread's first failure (see
/// kTakeStatusCall) when it is one; returns it.
int32_t recordCallStatus(int32_t status);

} // namespace qc
} // namespace mlir

// The bit-level kernels' entry points (RuntimeCalls.h documents each call).
extern "C" {
int32_t _mlir_ciface_qc_rt_xnor_conv2d_i16(
    mlir::qc::MemRef<int32_t, 4> *input, mlir::qc::MemRef<int32_t, 4> *mask,
    mlir::qc::MemRef<int32_t, 4> *weights, mlir::qc::MemRef<int16_t, 4> *out,
    int64_t strideH, int64_t strideW, int64_t dilationH, int64_t dilationW,
    int64_t hasMask);
int32_t _mlir_ciface_qc_rt_xnor_conv2d_i32(
    mlir::qc::MemRef<int32_t, 4> *input, mlir::qc::MemRef<int32_t, 4> *mask,
    mlir::qc::MemRef<int32_t, 4> *weights, mlir::qc::MemRef<int32_t, 4> *out,
    int64_t strideH, int64_t strideW, int64_t dilationH, int64_t dilationW,
    int64_t hasMask);
int32_t _mlir_ciface_qc_rt_xnor_conv2d_i16_dequant(
    mlir::qc::MemRef<int32_t, 4> *input, mlir::qc::MemRef<int32_t, 4> *mask,
    mlir::qc::MemRef<int32_t, 4> *weights, mlir::qc::MemRef<float, 4> *out,
    int64_t strideH, int64_t strideW, int64_t dilationH, int64_t dilationW,
    int64_t hasMask, int64_t init, mlir::qc::MemRef<float, 1> *scale,
    mlir::qc::MemRef<float, 1> *shift, int64_t relu);
int32_t _mlir_ciface_qc_rt_xnor_conv2d_i32_dequant(
    mlir::qc::MemRef<int32_t, 4> *input, mlir::qc::MemRef<int32_t, 4> *mask,
    mlir::qc::MemRef<int32_t, 4> *weights, mlir::qc::MemRef<float, 4> *out,
    int64_t strideH, int64_t strideW, int64_t dilationH, int64_t dilationW,
    int64_t hasMask, int64_t init, mlir::qc::MemRef<float, 1> *scale,
    mlir::qc::MemRef<float, 1> *shift, int64_t relu);
int32_t _mlir_ciface_qc_rt_xnor_conv2d_i16_requant(
    mlir::qc::MemRef<int32_t, 4> *input, mlir::qc::MemRef<int32_t, 4> *mask,
    mlir::qc::MemRef<int32_t, 4> *weights, mlir::qc::MemRef<int32_t, 4> *out,
    int64_t strideH, int64_t strideW, int64_t dilationH, int64_t dilationW,
    int64_t hasMask, int64_t init, mlir::qc::MemRef<float, 1> *scale,
    mlir::qc::MemRef<float, 1> *shift, int64_t relu, float divisor,
    float zeroPoint, float lo, float hi, int64_t roundTrip);
int32_t _mlir_ciface_qc_rt_xnor_conv2d_i32_requant(
    mlir::qc::MemRef<int32_t, 4> *input, mlir::qc::MemRef<int32_t, 4> *mask,
    mlir::qc::MemRef<int32_t, 4> *weights, mlir::qc::MemRef<int32_t, 4> *out,
    int64_t strideH, int64_t strideW, int64_t dilationH, int64_t dilationW,
    int64_t hasMask, int64_t init, mlir::qc::MemRef<float, 1> *scale,
    mlir::qc::MemRef<float, 1> *shift, int64_t relu, float divisor,
    float zeroPoint, float lo, float hi, int64_t roundTrip);
int32_t _mlir_ciface_qc_rt_bitpack_f32(mlir::qc::MemRef<float, 1> *values,
                                       mlir::qc::MemRef<int32_t, 1> *words,
                                       int64_t nonzero);
int32_t _mlir_ciface_qc_rt_threshold_pack_i16(
    mlir::qc::MemRef<int16_t, 5> *sums, mlir::qc::MemRef<int32_t, 2> *table,
    mlir::qc::MemRef<int32_t, 4> *words, int64_t nonzero);
int32_t _mlir_ciface_qc_rt_threshold_pack_i32(
    mlir::qc::MemRef<int32_t, 5> *sums, mlir::qc::MemRef<int32_t, 2> *table,
    mlir::qc::MemRef<int32_t, 4> *words, int64_t nonzero);
int32_t _mlir_ciface_qc_rt_centroid_conv2d_f32(
    mlir::qc::MemRef<float, 4> *input, mlir::qc::MemRef<int32_t, 1> *positions,
    mlir::qc::MemRef<int32_t, 1> *starts, mlir::qc::MemRef<float, 1> *values,
    mlir::qc::MemRef<float, 4> *out, int64_t strideH, int64_t strideW,
    int64_t dilationH, int64_t dilationW, int64_t kernelH, int64_t kernelW,
    int64_t count);
int32_t _mlir_ciface_qc_rt_centroid_conv2d_i32(
    mlir::qc::MemRef<int32_t, 4> *input,
    mlir::qc::MemRef<int32_t, 1> *positions,
    mlir::qc::MemRef<int32_t, 1> *starts, mlir::qc::MemRef<float, 1> *values,
    mlir::qc::MemRef<float, 4> *out, int64_t strideH, int64_t strideW,
    int64_t dilationH, int64_t dilationW, int64_t kernelH, int64_t kernelW,
    int64_t count);
int32_t _mlir_ciface_qc_rt_centroid_dense_f32(
    mlir::qc::MemRef<float, 2> *input, mlir::qc::MemRef<int32_t, 1> *positions,
    mlir::qc::MemRef<int32_t, 1> *starts, mlir::qc::MemRef<float, 1> *values,
    mlir::qc::MemRef<float, 2> *out, int64_t count);
int32_t _mlir_ciface_qc_rt_centroid_dense_i32(
    mlir::qc::MemRef<int32_t, 2> *input,
    mlir::qc::MemRef<int32_t, 1> *positions,
    mlir::qc::MemRef<int32_t, 1> *starts, mlir::qc::MemRef<float, 1> *values,
    mlir::qc::MemRef<float, 2> *out, int64_t count);
int32_t _mlir_ciface_qc_rt_max_pool2d_i16(mlir::qc::MemRef<int16_t, 4> *input,
                                          mlir::qc::MemRef<int16_t, 4> *out,
                                          int64_t windowH, int64_t windowW,
                                          int64_t strideH, int64_t strideW,
                                          int64_t dilationH, int64_t dilationW);
}

#endif // QC_RUNTIME_CALLDESCRIPTORS_H
