//===- RuntimeCalls.h - The C ABI compiled models call ----------*- C++ -*-===//
//
// The functions that code compiled by qc calls at run time (the ukernels
// behind convert-qc-to-runtime-calls), by name and address. The names are
// the contract between that conversion, which declares them, and this
// library, which defines them; the JIT binds them by address, and qcc links
// the library into each shared library it builds.
//
// Every function takes MLIR memref descriptors by pointer (the
// `llvm.emit_c_interface` convention, hence the `_mlir_ciface_` prefix of
// the symbols) and returns 0 on success or a Halide error code; on an error
// it writes nothing and records the code for the calling thread, which the
// model's entry point takes with `qc_rt_take_status` after the model ran
// (generated code does not branch on each call's result).
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_RUNTIMECALLS_H
#define QC_RUNTIME_RUNTIMECALLS_H

#include <cstdint>

namespace mlir {
namespace qc {

/// out = clamp(bias + [accumulate] out + conv2d(input, weights), lo, hi):
/// NHWC input (already padded), weights packed in panels of 32 filters as
/// [Fp/32][KH][KW][C][32] (Fp: see kPackedChannelMultiple), bias of F values
/// (or one for all channels), NHWC output; a NaN passes the clamp. CPUs
/// with AVX-512 run ConvF32Avx512.h's microkernel, others the Halide kernel
/// once per panel. Arguments after the buffers: stride and
/// dilation along H and W, accumulate (i64, nonzero: add the output's
/// initial value), lo and hi (f32; -inf and +inf for no clamp).
inline constexpr const char *kConv2DF32Call = "qc_rt_conv2d_f32";
/// out = clamp(bias + [accumulate] out + x * w, lo, hi): x [M][K], w packed
/// as [Np/32][1][1][K][32], bias of N values (or one), out [M][N]; then
/// accumulate, lo and hi as for kConv2DF32Call.
inline constexpr const char *kMatmulF32Call = "qc_rt_matmul_f32";
/// out = [out +] conv2d(input, weights) in int32 (wrapping): NHWC int32 input
/// (quantized values, already padded), the int8 weights twice -- packed as
/// [KH][KW][C][Fp], and for u8 x s8 dot products in panels of 32 filters as
/// [Fp/32][KH][KW][CB][32][4] with their per-filter sums (i32 [Fp]; see
/// ConvU8S8.h) -- and the NHWC int32 output. Then stride and dilation along H
/// and W, and accumulate (i64, zero: the output's initial values are ignored).
/// CPUs with AVX512-VNNI take the dot-product form, others the first.
inline constexpr const char *kConv2DI32I8Call = "qc_rt_conv2d_i32_i8";
/// The integer convolution of kConv2DI32I8Call with its output stage fused
/// (IntEpilogue.h): the same first nine arguments (the output
/// f32 for _dequant, the int32 codes for _requant; never accumulated into),
/// then the scale and shift vectors (f32, one value or one per filter) and
/// relu (i64); _requant then takes divisor, zero point, lo and hi (f32) and
/// whether the codes make the round trip through divisor (i64).
inline constexpr const char *kConv2DI32I8DequantCall =
    "qc_rt_conv2d_i32_i8_dequant";
inline constexpr const char *kConv2DI32I8RequantCall =
    "qc_rt_conv2d_i32_i8_requant";
/// out += binary convolution (XnorConv.h): NHWC input words (i32, 32
/// channels' sign bits each, already padded), the mask words (the input's
/// layout; ignored, and may be the input again, when hasMask is zero), the
/// weights' words [KH][KW][words][O] and the NHWC output (i16 for the _i16
/// call, i32 for _i32), holding the sums' constant part; then stride and
/// dilation along H and W, and hasMask (i64). Each output adds, over its
/// window's words, popcount(m) - 2 * popcount(m & (a ^ w)) with a mask and
/// -2 * popcount(a ^ w) without, wrapping in the output's type.
inline constexpr const char *kXnorConv2DI16Call = "qc_rt_xnor_conv2d_i16";
inline constexpr const char *kXnorConv2DI32Call = "qc_rt_xnor_conv2d_i32";
/// The binary convolution with its output stage fused (IntEpilogue.h), on
/// i16 or i32 sums (wrapping as the plain calls' outputs do): the same first
/// nine arguments, the output f32 for _dequant and the int32 codes for
/// _requant (never accumulated into); then init (i64: the sums' constant
/// part, which the plain calls find in their output), and the stage's
/// arguments as for kConv2DI32I8DequantCall / kConv2DI32I8RequantCall.
inline constexpr const char *kXnorConv2DI16DequantCall =
    "qc_rt_xnor_conv2d_i16_dequant";
inline constexpr const char *kXnorConv2DI32DequantCall =
    "qc_rt_xnor_conv2d_i32_dequant";
inline constexpr const char *kXnorConv2DI16RequantCall =
    "qc_rt_xnor_conv2d_i16_requant";
inline constexpr const char *kXnorConv2DI32RequantCall =
    "qc_rt_xnor_conv2d_i32_requant";
/// words |= qc.bitpack of values (BitPack.h): f32 values [32 n] and i32
/// words [n], both contiguous, then nonzero (i64: the mask plane, not the
/// signs).
inline constexpr const char *kBitPackF32Call = "qc_rt_bitpack_f32";
/// words |= qc.threshold_pack of sums (PackedActivations.h): the sums
/// [N][H][W][words][32] (i16 for _i16, i32 for _i32; channels contiguous,
/// the tail padded), the table [2][words * 32] i32 of each channel's lowest
/// and highest threshold (INT32_MIN and INT32_MAX for the tail), the words
/// [N][H][W][words] i32; then nonzero (i64: the mask plane, not the signs).
inline constexpr const char *kThresholdPackI16Call = "qc_rt_threshold_pack_i16";
inline constexpr const char *kThresholdPackI32Call = "qc_rt_threshold_pack_i32";
/// out = [out +] x * w in int32 (wrapping): x [M][K] int32, w int8 packed
/// as [1][1][K][Np], out [M][N] int32, then accumulate as for
/// kConv2DI32I8Call.
inline constexpr const char *kMatmulI32I8Call = "qc_rt_matmul_i32_i8";
/// out = clamp(bias + [accumulate] out + depthwise(input, weights), lo,
/// hi): NHWC input (already padded), weights [KH][KW][C][1] (multiplier 1),
/// bias of C values (or one), NHWC output. Arguments after the buffers as
/// for kConv2DF32Call.
inline constexpr const char *kDepthwiseConv2DF32Call =
    "qc_rt_depthwise_conv2d_f32";
/// out = max(out, window max of input): NHWC input (already padded) and
/// output. Extra arguments: window, stride and dilation along H and W.
inline constexpr const char *kMaxPool2DF32Call = "qc_rt_max_pool2d_f32";
/// The same on i16 values (binary layers' sums before their thresholds).
inline constexpr const char *kMaxPool2DI16Call = "qc_rt_max_pool2d_i16";
/// out = the per-centroid accumulation of qc.codebook_accumulate
/// (CentroidConv.h): input NHWC (already padded; f32 for _f32, int32 codes
/// for _i32), the compile-time tables -- positions (i32, planar offsets
/// c * Hp * Wp + kh * dilationH * Wp + kw * dilationW of each bucket's
/// window elements), starts (i32, O * k + 1) and centroids (f32, O * k) --
/// and the NHWC f32 output; then stride and dilation along H and W, the
/// window KH and KW, and k (all i64).
inline constexpr const char *kCentroidConv2DF32Call =
    "qc_rt_centroid_conv2d_f32";
inline constexpr const char *kCentroidConv2DI32Call =
    "qc_rt_centroid_conv2d_i32";
/// The dense form: input [N][K], the tables (positions are columns), the
/// output [N][O] f32, then k.
inline constexpr const char *kCentroidDenseF32Call = "qc_rt_centroid_dense_f32";
inline constexpr const char *kCentroidDenseI32Call = "qc_rt_centroid_dense_i32";
/// out = out + window sum of input (average pooling's sums; TOSA divides
/// them afterwards): arguments as for kMaxPool2DF32Call.
inline constexpr const char *kSumPool2DF32Call = "qc_rt_sum_pool2d_f32";

/// Returns the first nonzero status of a ukernel call on this thread since
/// the last call, and clears it.
inline constexpr const char *kTakeStatusCall = "qc_rt_take_status";

/// The context API of qcc's libraries forwards to these (ModelContext.h).
inline constexpr const char *kContextCreateCall = "qc_rt_context_create";
inline constexpr const char *kContextRunCall = "qc_rt_context_run";
inline constexpr const char *kContextDestroyCall = "qc_rt_context_destroy";

/// Output channels of packed weights are zero-padded to a multiple of this.
inline constexpr int64_t kPackedChannelMultiple = 32;

/// A runtime function the JIT must be able to resolve.
struct RuntimeSymbol {
  /// The linker-level name (`_mlir_ciface_` + the call's name).
  const char *name;
  void *address;
};

/// The status function (kTakeStatusCall) itself, for hosts that link this
/// library.
extern "C" int32_t qc_rt_take_status(void);

/// The one thread pool of the process is Halide's: ukernels split their
/// loops over it, and hosts run batch slices on it (qc_rt_parallel_for), so
/// that nested parallelism never runs more threads than the pool has.
/// Sets the pool's size (at least 1; the last call wins).
extern "C" void qc_rt_set_threads(int32_t threads);
/// Runs task(closure, i) for i in [0, count) on the pool, the calling
/// thread taking part; returns the first nonzero result, else 0.
extern "C" int32_t
qc_rt_parallel_for(int32_t count, int32_t (*task)(void *closure, int32_t index),
                   void *closure);

/// Every runtime function, in a fixed order; `count` receives their number.
const RuntimeSymbol *getRuntimeSymbols(int64_t &count);

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_RUNTIMECALLS_H
