//===- RuntimeCalls.cpp - The C ABI compiled models call ------------------===//
//
// Adapts MLIR memref descriptors to the Halide ukernels: each descriptor
// becomes a halide_buffer_t over the same memory (dimensions innermost
// first), and the kernel's wrapper picks the instruction set at run time.
//
//===----------------------------------------------------------------------===//

#include "runtime/RuntimeCalls.h"

#include "runtime/CallDescriptors.h"
#include "runtime/ConvF32Avx512.h"
#include "runtime/ConvU8S8.h"
#include "runtime/CpuFeatures.h"
#include "runtime/DepthwiseAvx512.h"
#include "runtime/PoolAvx512.h"
#include "runtime/RowTasks.h"
#include "runtime/ukernels/qc_conv2d_f32.h"
#include "runtime/ukernels/qc_conv2d_i32_i8.h"
#include "runtime/ukernels/qc_depthwise_conv2d_f32.h"
#include "runtime/ukernels/qc_max_pool2d_f32.h"
#include "runtime/ukernels/qc_sum_pool2d_f32.h"

#include "HalideRuntime.h"

#include <atomic>

namespace {

/// Whether qc_rt_set_threads last set a pool of one thread.
std::atomic<bool> poolHasOneThread{false};

using mlir::qc::getGeometry;
using mlir::qc::getRequantizeEpilogue;
using mlir::qc::MemRef;
using mlir::qc::setScaleShift;
template <int Rank> using MemRefF32 = MemRef<float, Rank>;

/// The Halide element type of T.
template <typename T> halide_type_t getHalideType() {
  return halide_type_of<T>();
}

/// A halide_buffer_t over the memory of one descriptor (or a 4-D view of a
/// 2-D one), dimensions innermost first.
struct HalideView {
  halide_dimension_t dims[4];
  halide_buffer_t buffer;

  /// The first `rank` of `extents` and `strides` (innermost first).
  template <typename T>
  HalideView(T *base, const int64_t (&extents)[4], const int64_t (&strides)[4],
             int rank = 4) {
    for (int d = 0; d < 4; ++d)
      dims[d] = halide_dimension_t(0, static_cast<int32_t>(extents[d]),
                                   static_cast<int32_t>(strides[d]));
    buffer = halide_buffer_t();
    buffer.host = reinterpret_cast<uint8_t *>(base);
    buffer.type = getHalideType<T>();
    buffer.dimensions = rank;
    buffer.dim = dims;
  }

  /// A copy points at its own dimensions, never at the original's.
  HalideView(const HalideView &other) : buffer(other.buffer) {
    for (int d = 0; d < 4; ++d)
      dims[d] = other.dims[d];
    buffer.dim = dims;
  }
  HalideView &operator=(const HalideView &) = delete;

  /// A vector.
  static HalideView fromVector(const MemRefF32<1> &m) {
    return HalideView(m.aligned + m.offset, {m.sizes[0], 1, 1, 1},
                      {m.strides[0], 1, 1, 1}, /*rank=*/1);
  }

  /// NHWC as (c, x, y, n).
  template <typename T> static HalideView fromNHWC(const MemRef<T, 4> &m) {
    return HalideView(m.aligned + m.offset,
                      {m.sizes[3], m.sizes[2], m.sizes[1], m.sizes[0]},
                      {m.strides[3], m.strides[2], m.strides[1], m.strides[0]});
  }

  /// A [rows][cols] matrix as the NHWC image (c = cols, x = rows, 1, 1).
  template <typename T> static HalideView fromRows(const MemRef<T, 2> &m) {
    int64_t total = m.sizes[0] * m.strides[0];
    return HalideView(m.aligned + m.offset, {m.sizes[1], m.sizes[0], 1, 1},
                      {m.strides[1], m.strides[0], total, total});
  }
};

/// Sizes past int32 cannot be described to Halide.
bool fitsHalide(const int64_t *values, int count) {
  for (int i = 0; i < count; ++i)
    if (values[i] < 0 || values[i] > INT32_MAX)
      return false;
  return true;
}

template <typename T, int Rank> bool fitsHalide(const MemRef<T, Rank> &m) {
  return fitsHalide(m.sizes, Rank) && fitsHalide(m.strides, Rank);
}

/// Halide's default error handler prints and aborts the process; a failed
/// kernel call must return its error code to the model's caller instead.
void ignoreHalideError(void *, const char *) {}

/// Set once ignoreHalideError (or the host program's own handler) is in
/// place. A plain atomic rather than a function-local static: the library is
/// linked into qcc's shared libraries, which must not need libstdc++.
std::atomic<bool> errorHandlerInstalled{false};

/// Installs ignoreHalideError, unless the host program has already set a
/// handler of its own (a test capturing messages, say).
void installErrorHandler() {
  if (errorHandlerInstalled.exchange(true))
    return;
  // Reads QC_ISA_CAP before any Halide kernel picks its variant.
  (void)qc_rt_isa_level();
  halide_error_handler_t previous = halide_set_error_handler(ignoreHalideError);
  if (previous != nullptr && previous != halide_default_error)
    halide_set_error_handler(previous);
}

/// The first failure of a ukernel call on this thread (0: none). Initial-exec
/// TLS: the general-dynamic model would make qcc's libraries need
/// ld-linux.so for __tls_get_addr; four bytes fit glibc's static TLS surplus
/// even when the library is dlopen'ed.
__attribute__((tls_model("initial-exec"))) thread_local int32_t threadStatus =
    0;

/// Records `status` when it is the thread's first failure; returns it.
int32_t record(int32_t status) {
  if (status != 0 && threadStatus == 0)
    threadStatus = status;
  return status;
}

/// Runs the convolution ukernel, `out` being its own initial value when
/// `accumulate` is set.
int32_t runConv(HalideView in, HalideView weights, HalideView bias,
                HalideView out, int64_t strideW, int64_t strideH,
                int64_t dilationW, int64_t dilationH, int64_t accumulate,
                float lo, float hi) {
  installErrorHandler();
  HalideView init = out;
  return record(qc_conv2d_f32(
      &in.buffer, &weights.buffer, &bias.buffer, &init.buffer, accumulate != 0,
      static_cast<int32_t>(strideW), static_cast<int32_t>(strideH),
      static_cast<int32_t>(dilationW), static_cast<int32_t>(dilationH), lo, hi,
      &out.buffer));
}

} // namespace

int32_t mlir::qc::recordCallStatus(int32_t status) { return record(status); }

bool mlir::qc::isSingleThreadPool() {
  return poolHasOneThread.load(std::memory_order_relaxed);
}

extern "C" {

void qc_rt_set_threads(int32_t threads) {
  halide_set_num_threads(threads < 1 ? 1 : threads);
  poolHasOneThread.store(threads <= 1, std::memory_order_relaxed);
}

int32_t qc_rt_parallel_for(int32_t count,
                           int32_t (*task)(void *closure, int32_t index),
                           void *closure) {
  // One thread (or one task) runs the tasks in order on the caller, without
  // the pool's locks (4% of the binary VGG-small's time on one thread).
  if (count <= 1 || poolHasOneThread.load(std::memory_order_relaxed)) {
    for (int32_t index = 0; index < count; ++index)
      if (int32_t status = task(closure, index))
        return status;
    return 0;
  }
  // Halide's pool calls halide_task_t(user_context, index, closure).
  struct Forward {
    int32_t (*task)(void *, int32_t);
    void *closure;
  } forward{task, closure};
  auto run = [](void *, int index, uint8_t *data) -> int {
    auto *f = reinterpret_cast<Forward *>(data);
    return f->task(f->closure, index);
  };
  return halide_do_par_for(nullptr, run, 0, count,
                           reinterpret_cast<uint8_t *>(&forward));
}

int32_t qc_rt_take_status(void) {
  int32_t status = threadStatus;
  threadStatus = 0;
  return status;
}

/// The float convolution of `problem` (shapes, strides and scalars set) with
/// weights in 32-filter panels ([P][KH][KW][C][32]): the AVX-512
/// microkernel where it serves, else the Halide kernel once per panel, on
/// views of the panel's weights, bias and output channels.
static int32_t runConvF32(mlir::qc::ConvF32Problem &problem,
                          const MemRefF32<5> &w, const MemRefF32<1> &bias,
                          const HalideView &in, const HalideView &out) {
  const int64_t panel = 32;
  bool dense = w.sizes[4] == panel && w.strides[4] == 1 &&
               w.strides[3] == panel && w.strides[2] == w.sizes[3] * panel &&
               w.strides[1] == w.sizes[2] * w.strides[2] &&
               w.strides[0] == w.sizes[1] * w.strides[1];
  int64_t filters = problem.g.outSizes[3];
  bool biasOk = bias.sizes[0] == 1 || bias.sizes[0] >= filters;
  if (!dense || !biasOk || w.sizes[3] != problem.g.inSizes[3] ||
      w.sizes[0] * panel < filters)
    return record(halide_error_code_bad_dimensions);
  problem.weights = w.aligned + w.offset;
  problem.g.kernelH = w.sizes[1];
  problem.g.kernelW = w.sizes[2];
  problem.panels = w.sizes[0];
  problem.bias = bias.aligned + bias.offset;
  problem.broadcastBias = bias.sizes[0] == 1;
  if (bias.strides[0] == 1 && mlir::qc::canRunConvF32Avx512(problem)) {
    mlir::qc::convF32Avx512(problem);
    return 0;
  }
  for (int64_t p = 0; p * panel < filters; ++p) {
    int64_t count = filters - p * panel < panel ? filters - p * panel : panel;
    // (f, c, kx, ky) innermost first, as NHWC is.
    HalideView weights(w.aligned + w.offset + p * w.strides[0],
                       {panel, w.sizes[3], w.sizes[2], w.sizes[1]},
                       {1, w.strides[3], w.strides[2], w.strides[1]});
    HalideView b = HalideView::fromVector(bias);
    if (bias.sizes[0] != 1) {
      b.dims[0].extent = static_cast<int32_t>(count);
      b.buffer.host += p * panel * bias.strides[0] * sizeof(float);
    }
    HalideView slice = out;
    slice.dims[0].extent = static_cast<int32_t>(count);
    slice.buffer.host += p * panel * out.dims[0].stride * sizeof(float);
    const mlir::qc::ConvGeometry &g = problem.g;
    int32_t status =
        runConv(in, weights, b, slice, g.strideW, g.strideH, g.dilationW,
                g.dilationH, g.accumulate, problem.lo, problem.hi);
    if (status != 0)
      return status;
  }
  return 0;
}

int32_t _mlir_ciface_qc_rt_conv2d_f32(MemRefF32<4> *input,
                                      MemRefF32<5> *weights, MemRefF32<1> *bias,
                                      MemRefF32<4> *out, int64_t strideH,
                                      int64_t strideW, int64_t dilationH,
                                      int64_t dilationW, int64_t accumulate,
                                      float lo, float hi) {
  if (!fitsHalide(*input) || !fitsHalide(*weights) || !fitsHalide(*bias) ||
      !fitsHalide(*out))
    return record(halide_error_code_buffer_extents_too_large);
  mlir::qc::ConvF32Problem problem{};
  problem.g = getGeometry(*input, *out, strideH, strideW, dilationH, dilationW,
                          accumulate);
  problem.input = input->aligned + input->offset;
  problem.output = out->aligned + out->offset;
  problem.lo = lo;
  problem.hi = hi;
  return runConvF32(problem, *weights, *bias, HalideView::fromNHWC(*input),
                    HalideView::fromNHWC(*out));
}

int32_t _mlir_ciface_qc_rt_matmul_f32(MemRefF32<2> *x, MemRefF32<5> *weights,
                                      MemRefF32<1> *bias, MemRefF32<2> *out,
                                      int64_t accumulate, float lo, float hi) {
  if (!fitsHalide(*x) || !fitsHalide(*weights) || !fitsHalide(*bias) ||
      !fitsHalide(*out))
    return record(halide_error_code_buffer_extents_too_large);
  // A 1x1 convolution over one row of M pixels.
  mlir::qc::ConvF32Problem problem{};
  const MemRefF32<4> image{x->allocated,
                           x->aligned,
                           x->offset,
                           {1, 1, x->sizes[0], x->sizes[1]},
                           {0, 0, x->strides[0], x->strides[1]}};
  const MemRefF32<4> result{out->allocated,
                            out->aligned,
                            out->offset,
                            {1, 1, out->sizes[0], out->sizes[1]},
                            {0, 0, out->strides[0], out->strides[1]}};
  problem.g = getGeometry(image, result, 1, 1, 1, 1, accumulate);
  problem.input = x->aligned + x->offset;
  problem.output = out->aligned + out->offset;
  problem.lo = lo;
  problem.hi = hi;
  return runConvF32(problem, *weights, *bias, HalideView::fromRows(*x),
                    HalideView::fromRows(*out));
}

/// Runs the Halide integer convolution, accumulating into `out`.
static int32_t runHalideConvI32I8(HalideView in, HalideView weights,
                                  HalideView out, int64_t strideW,
                                  int64_t strideH, int64_t dilationW,
                                  int64_t dilationH, int64_t accumulate) {
  installErrorHandler();
  // The integer kernel ignores the bias and the clamp; one float satisfies
  // its bias argument.
  float unused = 0.0f;
  MemRefF32<1> noBias{&unused, &unused, 0, {1}, {1}};
  HalideView b = HalideView::fromVector(noBias);
  HalideView init = out;
  return record(qc_conv2d_i32_i8(
      &in.buffer, &weights.buffer, &b.buffer, &init.buffer, accumulate != 0,
      static_cast<int32_t>(strideW), static_cast<int32_t>(strideH),
      static_cast<int32_t>(dilationW), static_cast<int32_t>(dilationH), 0.0f,
      0.0f, &out.buffer));
}

/// The integer convolution, each sum stored through `epilogue` (`out` holds
/// f32 values behind its int32 type for a dequantizing one): the
/// dot-product route when the CPU has it and the shapes suit it, else the
/// Halide kernel followed by the epilogue in place.
static int32_t
runIntegerConv(MemRef<int32_t, 4> *input, MemRef<int8_t, 4> *weights,
               MemRef<int8_t, 6> *dotWeights, MemRef<int32_t, 1> *sums,
               MemRef<int32_t, 4> *out, int64_t strideH, int64_t strideW,
               int64_t dilationH, int64_t dilationW, int64_t accumulate,
               const mlir::qc::IntEpilogue &epilogue) {
  // [Fp/32][KH][KW][CB][32][4], dense.
  const MemRef<int8_t, 6> &w = *dotWeights;
  bool dense = w.sizes[5] == 4 && w.sizes[4] == 32 && w.strides[5] == 1 &&
               w.strides[4] == 4 && w.strides[3] == 128 &&
               w.strides[2] == w.sizes[3] * w.strides[3] &&
               w.strides[1] == w.sizes[2] * w.strides[2] &&
               w.strides[0] == w.sizes[1] * w.strides[1] &&
               sums->strides[0] == 1 && sums->sizes[0] == w.sizes[0] * 32;
  if (dense) {
    mlir::qc::ConvU8S8Problem problem{};
    problem.g = getGeometry(*input, *out, strideH, strideW, dilationH,
                            dilationW, accumulate);
    problem.g.kernelH = w.sizes[1];
    problem.g.kernelW = w.sizes[2];
    problem.input = input->aligned + input->offset;
    problem.weights = w.aligned + w.offset;
    problem.blocks = w.sizes[3];
    problem.paddedFilters = w.sizes[0] * 32;
    problem.sums = sums->aligned + sums->offset;
    problem.output = out->aligned + out->offset;
    problem.epilogue = epilogue;
    if (mlir::qc::canRunConvU8S8(problem)) {
      mlir::qc::convU8S8(problem);
      return 0;
    }
  }
  const int64_t scalars[] = {strideH, strideW, dilationH, dilationW};
  if (!fitsHalide(*input) || !fitsHalide(*weights) || !fitsHalide(*out) ||
      !fitsHalide(scalars, 4))
    return record(halide_error_code_buffer_extents_too_large);
  int32_t status = runHalideConvI32I8(
      HalideView::fromNHWC(*input), HalideView::fromNHWC(*weights),
      HalideView::fromNHWC(*out), strideW, strideH, dilationW, dilationH,
      accumulate);
  if (status == 0)
    applyIntEpilogueInPlace(epilogue, out->aligned + out->offset, out->sizes,
                            out->strides);
  return status;
}

int32_t _mlir_ciface_qc_rt_conv2d_i32_i8(
    MemRef<int32_t, 4> *input, MemRef<int8_t, 4> *weights,
    MemRef<int8_t, 6> *dotWeights, MemRef<int32_t, 1> *sums,
    MemRef<int32_t, 4> *out, int64_t strideH, int64_t strideW,
    int64_t dilationH, int64_t dilationW, int64_t accumulate) {
  return runIntegerConv(input, weights, dotWeights, sums, out, strideH, strideW,
                        dilationH, dilationW, accumulate,
                        mlir::qc::IntEpilogue{});
}

int32_t _mlir_ciface_qc_rt_conv2d_i32_i8_dequant(
    MemRef<int32_t, 4> *input, MemRef<int8_t, 4> *weights,
    MemRef<int8_t, 6> *dotWeights, MemRef<int32_t, 1> *sums, MemRefF32<4> *out,
    int64_t strideH, int64_t strideW, int64_t dilationH, int64_t dilationW,
    MemRefF32<1> *scale, MemRefF32<1> *shift, int64_t relu) {
  mlir::qc::IntEpilogue e;
  e.kind = mlir::qc::IntEpilogue::kDequantize;
  if (!setScaleShift(e, *scale, *shift, out->sizes[3], relu))
    return record(halide_error_code_bad_dimensions);
  // The f32 output as the int32 words the kernels store the values' bits in.
  MemRef<int32_t, 4> words{reinterpret_cast<int32_t *>(out->allocated),
                           reinterpret_cast<int32_t *>(out->aligned),
                           out->offset,
                           {},
                           {}};
  for (int d = 0; d < 4; ++d) {
    words.sizes[d] = out->sizes[d];
    words.strides[d] = out->strides[d];
  }
  return runIntegerConv(input, weights, dotWeights, sums, &words, strideH,
                        strideW, dilationH, dilationW, /*accumulate=*/0, e);
}

int32_t _mlir_ciface_qc_rt_conv2d_i32_i8_requant(
    MemRef<int32_t, 4> *input, MemRef<int8_t, 4> *weights,
    MemRef<int8_t, 6> *dotWeights, MemRef<int32_t, 1> *sums,
    MemRef<int32_t, 4> *out, int64_t strideH, int64_t strideW,
    int64_t dilationH, int64_t dilationW, MemRefF32<1> *scale,
    MemRefF32<1> *shift, int64_t relu, float divisor, float zeroPoint, float lo,
    float hi, int64_t roundTrip) {
  mlir::qc::IntEpilogue e =
      getRequantizeEpilogue(divisor, zeroPoint, lo, hi, roundTrip);
  if (!setScaleShift(e, *scale, *shift, out->sizes[3], relu))
    return record(halide_error_code_bad_dimensions);
  return runIntegerConv(input, weights, dotWeights, sums, out, strideH, strideW,
                        dilationH, dilationW, /*accumulate=*/0, e);
}

int32_t _mlir_ciface_qc_rt_matmul_i32_i8(MemRef<int32_t, 2> *x,
                                         MemRef<int8_t, 4> *weights,
                                         MemRef<int32_t, 2> *out,
                                         int64_t accumulate) {
  if (!fitsHalide(*x) || !fitsHalide(*weights) || !fitsHalide(*out))
    return record(halide_error_code_buffer_extents_too_large);
  return runHalideConvI32I8(HalideView::fromRows(*x),
                            HalideView::fromNHWC(*weights),
                            HalideView::fromRows(*out), 1, 1, 1, 1, accumulate);
}

int32_t _mlir_ciface_qc_rt_depthwise_conv2d_f32(
    MemRefF32<4> *input, MemRefF32<4> *weights, MemRefF32<1> *bias,
    MemRefF32<4> *out, int64_t strideH, int64_t strideW, int64_t dilationH,
    int64_t dilationW, int64_t accumulate, float lo, float hi) {
  const int64_t scalars[] = {strideH, strideW, dilationH, dilationW};
  if (!fitsHalide(*input) || !fitsHalide(*weights) || !fitsHalide(*bias) ||
      !fitsHalide(*out) || !fitsHalide(scalars, 4))
    return record(halide_error_code_buffer_extents_too_large);
  // [KH][KW][C][1] is (c, kx, ky) innermost first, the multiplier of 1
  // dropped; any other multiplier is refused.
  if (weights->sizes[3] != 1)
    return record(halide_error_code_bad_dimensions);
  mlir::qc::DepthwiseF32Problem problem{};
  problem.g = getGeometry(*input, *out, strideH, strideW, dilationH, dilationW,
                          accumulate);
  problem.g.kernelH = weights->sizes[0];
  problem.g.kernelW = weights->sizes[1];
  problem.input = input->aligned + input->offset;
  problem.weights = weights->aligned + weights->offset;
  problem.weightStrides[0] = weights->strides[0];
  problem.weightStrides[1] = weights->strides[1];
  problem.bias = bias->aligned + bias->offset;
  problem.broadcastBias = bias->sizes[0] == 1;
  problem.output = out->aligned + out->offset;
  problem.lo = lo;
  problem.hi = hi;
  bool vectorBias = problem.broadcastBias ||
                    (bias->strides[0] == 1 && bias->sizes[0] >= out->sizes[3]);
  if (weights->sizes[2] == input->sizes[3] && weights->strides[2] == 1 &&
      vectorBias && mlir::qc::canRunDepthwiseF32Avx512(problem)) {
    mlir::qc::depthwiseF32Avx512(problem);
    return 0;
  }
  installErrorHandler();
  const MemRefF32<4> &w = *weights;
  HalideView filter(w.aligned + w.offset,
                    {w.sizes[2], w.sizes[1], w.sizes[0], 1},
                    {w.strides[2], w.strides[1], w.strides[0], 1}, /*rank=*/3);
  HalideView in = HalideView::fromNHWC(*input);
  HalideView b = HalideView::fromVector(*bias);
  HalideView result = HalideView::fromNHWC(*out);
  HalideView init = result;
  return record(qc_depthwise_conv2d_f32(
      &in.buffer, &filter.buffer, &b.buffer, &init.buffer, accumulate != 0,
      static_cast<int32_t>(strideW), static_cast<int32_t>(strideH),
      static_cast<int32_t>(dilationW), static_cast<int32_t>(dilationH), lo, hi,
      &result.buffer));
}

/// Runs the pooling: the AVX-512 kernel where it serves, else `kernel` (a
/// Halide pooling ukernel).
static int32_t runPool(decltype(&qc_max_pool2d_f32) kernel, bool sum,
                       MemRefF32<4> *input, MemRefF32<4> *out,
                       const int64_t (&scalars)[6]) {
  mlir::qc::PoolF32Problem problem{};
  problem.g = getGeometry(*input, *out, scalars[2], scalars[3], scalars[4],
                          scalars[5], /*accumulate=*/1);
  problem.g.kernelH = scalars[0];
  problem.g.kernelW = scalars[1];
  problem.input = input->aligned + input->offset;
  problem.output = out->aligned + out->offset;
  problem.sum = sum;
  if (mlir::qc::canRunPoolF32Avx512(problem)) {
    mlir::qc::poolF32Avx512(problem);
    return 0;
  }
  if (!fitsHalide(*input) || !fitsHalide(*out) || !fitsHalide(scalars, 6))
    return record(halide_error_code_buffer_extents_too_large);
  installErrorHandler();
  HalideView in = HalideView::fromNHWC(*input);
  HalideView result = HalideView::fromNHWC(*out);
  HalideView init = result;
  // Scalars are window, stride and dilation along H and W; the kernels
  // take each pair W first.
  return record(
      kernel(&in.buffer, &init.buffer, static_cast<int32_t>(scalars[1]),
             static_cast<int32_t>(scalars[0]), static_cast<int32_t>(scalars[3]),
             static_cast<int32_t>(scalars[2]), static_cast<int32_t>(scalars[5]),
             static_cast<int32_t>(scalars[4]), &result.buffer));
}

int32_t _mlir_ciface_qc_rt_max_pool2d_f32(MemRefF32<4> *input,
                                          MemRefF32<4> *out, int64_t windowH,
                                          int64_t windowW, int64_t strideH,
                                          int64_t strideW, int64_t dilationH,
                                          int64_t dilationW) {
  return runPool(qc_max_pool2d_f32, /*sum=*/false, input, out,
                 {windowH, windowW, strideH, strideW, dilationH, dilationW});
}

int32_t _mlir_ciface_qc_rt_sum_pool2d_f32(MemRefF32<4> *input,
                                          MemRefF32<4> *out, int64_t windowH,
                                          int64_t windowW, int64_t strideH,
                                          int64_t strideW, int64_t dilationH,
                                          int64_t dilationW) {
  return runPool(qc_sum_pool2d_f32, /*sum=*/true, input, out,
                 {windowH, windowW, strideH, strideW, dilationH, dilationW});
}

} // extern "C"

namespace mlir {
namespace qc {

const RuntimeSymbol *getRuntimeSymbols(int64_t &count) {
  static const RuntimeSymbol symbols[] = {
      {"_mlir_ciface_qc_rt_conv2d_f32",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_conv2d_f32)},
      {"_mlir_ciface_qc_rt_matmul_f32",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_matmul_f32)},
      {"_mlir_ciface_qc_rt_conv2d_i32_i8",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_conv2d_i32_i8)},
      {"_mlir_ciface_qc_rt_conv2d_i32_i8_dequant",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_conv2d_i32_i8_dequant)},
      {"_mlir_ciface_qc_rt_conv2d_i32_i8_requant",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_conv2d_i32_i8_requant)},
      {"_mlir_ciface_qc_rt_xnor_conv2d_i16",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_xnor_conv2d_i16)},
      {"_mlir_ciface_qc_rt_xnor_conv2d_i32",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_xnor_conv2d_i32)},
      {"_mlir_ciface_qc_rt_xnor_conv2d_i16_dequant",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_xnor_conv2d_i16_dequant)},
      {"_mlir_ciface_qc_rt_xnor_conv2d_i32_dequant",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_xnor_conv2d_i32_dequant)},
      {"_mlir_ciface_qc_rt_xnor_conv2d_i16_requant",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_xnor_conv2d_i16_requant)},
      {"_mlir_ciface_qc_rt_xnor_conv2d_i32_requant",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_xnor_conv2d_i32_requant)},
      {"_mlir_ciface_qc_rt_bitpack_f32",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_bitpack_f32)},
      {"_mlir_ciface_qc_rt_threshold_pack_i16",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_threshold_pack_i16)},
      {"_mlir_ciface_qc_rt_threshold_pack_i32",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_threshold_pack_i32)},
      {"_mlir_ciface_qc_rt_centroid_conv2d_f32",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_centroid_conv2d_f32)},
      {"_mlir_ciface_qc_rt_centroid_conv2d_i32",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_centroid_conv2d_i32)},
      {"_mlir_ciface_qc_rt_centroid_dense_f32",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_centroid_dense_f32)},
      {"_mlir_ciface_qc_rt_centroid_dense_i32",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_centroid_dense_i32)},
      {"_mlir_ciface_qc_rt_max_pool2d_i16",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_max_pool2d_i16)},
      {"_mlir_ciface_qc_rt_matmul_i32_i8",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_matmul_i32_i8)},
      {"_mlir_ciface_qc_rt_depthwise_conv2d_f32",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_depthwise_conv2d_f32)},
      {"_mlir_ciface_qc_rt_max_pool2d_f32",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_max_pool2d_f32)},
      {"_mlir_ciface_qc_rt_sum_pool2d_f32",
       reinterpret_cast<void *>(&_mlir_ciface_qc_rt_sum_pool2d_f32)},
      {"qc_rt_take_status", reinterpret_cast<void *>(&qc_rt_take_status)},
  };
  count = sizeof(symbols) / sizeof(symbols[0]);
  return symbols;
}

} // namespace qc
} // namespace mlir
