//===- DepthwiseF32Generator.cpp - fp32 depthwise convolution ukernel -----===//
//
// Halide generator for `qc_depthwise_conv2d_f32`, the CPU ukernel behind
// float depthwise convolutions (one filter per channel, multiplier 1, as in
// MobileNet). It runs at build time only; the library it emits is what qc
// links.
//
// Channels are innermost (NHWC) and vectorized: each output vector sums the
// taps of one output pixel over a vector of channels. The output transform
// is fused as in qc_conv2d_f32: out = clamp(bias + [accumulate] init +
// depthwise(input, weights), lo, hi), a NaN passing the clamp.
//
//===----------------------------------------------------------------------===//

#include "runtime/ukernels/GeneratorUtils.h"

namespace {

using namespace Halide;

/// Output columns per register tile.
constexpr int kTileColumns = 4;

/// Computes out(c, x, y, n) = clamp(bias(c) + [accumulate] init(c, x, y, n)
/// + sum over (kx, ky) of weights(c, kx, ky) * input(c, x * sx + kx * dx,
/// y * sy + ky * dy, n), lo, hi). Buffers are indexed innermost dimension
/// first: `input`, `init` and `out` are NHWC, `weights` is [KH][KW][C],
/// `bias` has C values (or one for every channel). The input must already
/// hold any padding. A violated requirement makes the call return a nonzero
/// halide_error_code_t without writing `out`.
class DepthwiseF32Generator : public Generator<DepthwiseF32Generator> {
public:
  Input<Buffer<float>> input{"input", 4};
  Input<Buffer<float>> weights{"weights", 3};
  Input<Buffer<float>> bias{"bias", 1};
  Input<Buffer<float>> init{"init", 4};
  Input<bool> accumulate{"accumulate"};
  Input<int32_t> strideX{"stride_x"};
  Input<int32_t> strideY{"stride_y"};
  Input<int32_t> dilationX{"dilation_x"};
  Input<int32_t> dilationY{"dilation_y"};
  Input<float> lo{"lo"};
  Input<float> hi{"hi"};
  Output<Buffer<float>> out{"out", 4};

  void generate() {
    Expr numC = init.dim(0).extent();
    for (int d = 0; d < 4; ++d) {
      input.dim(d).set_min(0);
      init.dim(d).set_min(0);
    }
    for (int d = 0; d < 3; ++d)
      weights.dim(d).set_min(0);
    bias.dim(0).set_min(0);
    input.dim(0).set_stride(1);
    init.dim(0).set_stride(1);
    weights.dim(0).set_stride(1);

    checked() = require(
        strideX >= 1 && strideY >= 1 && dilationX >= 1 && dilationY >= 1 &&
            input.dim(0).extent() == numC && weights.dim(0).extent() == numC &&
            (bias.dim(0).extent() == 1 || bias.dim(0).extent() >= numC),
        0,
        "qc_depthwise_conv2d_f32: strides and dilations must be >= 1 and the "
        "input, weights and output must have the same channels, got",
        input.dim(0).extent(), weights.dim(0).extent(), numC);

    // A register vector may overhang the last channels; its discarded lanes
    // read the last channel (clamped; Halide splits off the steady state,
    // where the clamp is a no-op).
    Expr channel = clamp(likely(c), 0, numC - 1);
    // Register tiles may overhang the last columns too: their discarded
    // columns read the last one.
    Expr column = min(x, init.dim(1).extent() - 1);
    Expr initial = bias(min(channel, bias.dim(0).extent() - 1));
    r = RDom(0, weights.dim(1).extent(), 0, weights.dim(2).extent(), "r");
    sum(c, x, y, n) =
        select(accumulate, initial + init(channel, column, y, n), initial) +
        checked();
    sum(c, x, y, n) += weights(channel, r.x, r.y) *
                       input(channel, column * strideX + r.x * dilationX,
                             y * strideY + r.y * dilationY, n);
    Expr value = sum(c, x, y, n);
    out(c, x, y, n) = qc::clampKeepingNaN(value, lo, hi);
    out.dim(0).set_stride(1);
    for (int d = 0; d < 4; ++d)
      out.dim(d).set_min(0).set_extent(init.dim(d).extent());
  }

  void schedule() {
    const int vec = natural_vector_size<float>();
    Var co("co"), ci("ci"), xo("xo"), xi("xi"), yn("yn");
    checked.compute_root();
    // GuardWithIf keeps the output exact for any channel count and width:
    // edge tiles store only their valid lanes and columns. A tile is one
    // vector of channels for kTileColumns columns, so that each weight
    // vector loaded serves that many FMAs. Rows of all images split over
    // the thread pool.
    out.split(c, co, ci, vec, TailStrategy::GuardWithIf)
        .split(x, xo, xi, kTileColumns, TailStrategy::GuardWithIf)
        .reorder(ci, xi, co, xo, y, n)
        .vectorize(ci)
        .unroll(xi)
        .fuse(y, n, yn)
        .parallel(yn);
    out.specialize(accumulate);
    sum.compute_at(out, co)
        .bound_extent(c, vec)
        .bound_extent(x, kTileColumns)
        .vectorize(c)
        .unroll(x);
    sum.update().reorder(c, x, r.x, r.y).vectorize(c).unroll(x);
  }

private:
  Var c{"c"}, x{"x"}, y{"y"}, n{"n"};
  RDom r;
  Func checked{"checked"};
  Func sum{"sum"};
};

} // namespace

HALIDE_REGISTER_GENERATOR(DepthwiseF32Generator, qc_depthwise_conv2d_f32)
