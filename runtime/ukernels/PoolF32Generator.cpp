//===- PoolF32Generator.cpp - fp32 max- and sum-pooling ukernels -*- C++
//-*-===//
//
// Halide generator for `qc_max_pool2d_f32` and `qc_sum_pool2d_f32`, the CPU
// ukernels behind float max pooling and the window sums of average pooling
// (TOSA divides them by the window's size afterwards). It runs at build
// time only; the libraries it emits are what qc links.
//
// Channels are innermost (NHWC) and vectorized; each output reads its
// window directly from the input, which must already hold any padding. As
// with the convolution ukernel, the result folds into the output buffer:
// out = max(init, window max) or init + window sum, where `init` is
// normally the output itself (linalg's pooling starts from the buffer's
// values: -inf or the lowest float, or zero, after its fill). Each element's
// `init` value is read before that element is written and no other element
// reads it, so `init` and `out` may be the same memory.
//
//===----------------------------------------------------------------------===//

#include "runtime/ukernels/GeneratorUtils.h"

namespace {

using namespace Halide;

/// Computes out(c, x, y, n) = max(init(c, x, y, n), max over (kx, ky) of
/// input(c, x * sx + kx * dx, y * sy + ky * dy, n)) for a window of
/// window_w x window_h taps, or with `sum` set init(c, x, y, n) + the sum
/// over the window. Buffers are NHWC, innermost dimension first. A
/// violated requirement makes the call return a nonzero halide_error_code_t
/// without writing `out`.
class PoolF32Generator : public Generator<PoolF32Generator> {
public:
  GeneratorParam<bool> sum{"sum", false};
  Input<Buffer<float>> input{"input", 4};
  Input<Buffer<float>> init{"init", 4};
  Input<int32_t> windowW{"window_w"};
  Input<int32_t> windowH{"window_h"};
  Input<int32_t> strideX{"stride_x"};
  Input<int32_t> strideY{"stride_y"};
  Input<int32_t> dilationX{"dilation_x"};
  Input<int32_t> dilationY{"dilation_y"};
  Output<Buffer<float>> out{"out", 4};

  void generate() {
    for (int d = 0; d < 4; ++d) {
      input.dim(d).set_min(0);
      init.dim(d).set_min(0);
    }
    input.dim(0).set_stride(1);
    init.dim(0).set_stride(1);

    checked() = require(windowW >= 1 && windowH >= 1 && strideX >= 1 &&
                            strideY >= 1 && dilationX >= 1 && dilationY >= 1,
                        0,
                        "qc_pool2d_f32: window, strides and dilations must "
                        "be >= 1");
    // A register vector may overhang the last channels; its discarded lanes
    // read the last channel (clamped; Halide splits off the steady state,
    // where the clamp is a no-op).
    Expr lastC = init.dim(0).extent() - 1;
    Expr channel = clamp(likely(c), 0, lastC);
    r = RDom(0, windowW, 0, windowH, "r");
    pooled(c, x, y, n) = init(channel, x, y, n) + cast<float>(checked());
    Expr tap = input(channel, x * strideX + r.x * dilationX,
                     y * strideY + r.y * dilationY, n);
    if (sum)
      pooled(c, x, y, n) += tap;
    else
      pooled(c, x, y, n) = qc::maxKeepingNaN(pooled(c, x, y, n), tap);
    out(c, x, y, n) = pooled(c, x, y, n);
    out.dim(0).set_stride(1);
    for (int d = 0; d < 4; ++d)
      out.dim(d).set_min(0).set_extent(init.dim(d).extent());
  }

  void schedule() {
    const int vec = natural_vector_size<float>();
    Var co("co"), ci("ci");
    checked.compute_root();
    // GuardWithIf keeps the output exact for any channel count: the last
    // vector stores only its valid lanes.
    out.split(c, co, ci, vec, TailStrategy::GuardWithIf)
        .reorder(ci, co, x, y, n)
        .vectorize(ci);
    pooled.compute_at(out, co).bound_extent(c, vec).vectorize(c);
    pooled.update().vectorize(c);
  }

private:
  Var c{"c"}, x{"x"}, y{"y"}, n{"n"};
  RDom r;
  Func checked{"checked"};
  Func pooled{"pooled"};
};

} // namespace

HALIDE_REGISTER_GENERATOR(PoolF32Generator, qc_pool2d_f32)
