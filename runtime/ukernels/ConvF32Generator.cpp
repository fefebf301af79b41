//===- ConvF32Generator.cpp - fp32 direct convolution ukernel ---*- C++ -*-===//
//
// Halide generator for `qc_conv2d_f32`, the CPU ukernel behind float
// convolutions and dense layers (a dense layer is a 1x1 convolution over a
// 1 x M image). It runs at build time only; the library it emits is what qc
// links.
//
// The convolution is direct: no im2col buffer. Each register tile holds two
// vectors of output channels for seven output columns (six on AVX2); the
// reduction runs over input channels and taps innermost, broadcasting one
// input value per column and loading one weight vector per channel vector.
// Weights come packed at compile time as [KH][KW][C][Fp], output channels
// innermost and padded with zeros to Fp, a multiple of kChannelPad, so that a
// tile's weight loads are one contiguous run and never need a bound check.
//
// The output transform is fused: out = clamp(bias + init + conv(input,
// weights), lo, hi), the clamp being the layer's ReLU or clamp (a NaN passes
// through it, as through arith.maximumf). `init` is read only when
// `accumulate` is set, and is then normally the output buffer itself (linalg's
// convolution semantics, for an output whose initial value could not be
// folded into `bias`). Each output element's `init` value is read before that
// element is written and no other element reads it, so passing the same
// memory as `init` and `out` is safe.
//
//===----------------------------------------------------------------------===//

#include "runtime/ukernels/GeneratorUtils.h"

namespace {

using namespace Halide;

/// Output channels of the packed weights are padded to a multiple of this:
/// the widest register tile (two AVX-512 vectors of floats).
constexpr int kChannelPad = 32;

/// Output columns per register tile: 7 with 32 vector registers (AVX-512:
/// 14 accumulators, and 7 divides the 7, 14, 28, 56 and 112-wide maps of
/// common CNNs, so edge tiles waste nothing), 6 with 16 (AVX2: 12
/// accumulators, two weight vectors and a broadcast fit).
int getTileColumns(int vectorFloats) { return vectorFloats >= 16 ? 7 : 6; }

/// Column tiles per task of the thread pool when weights are small: enough
/// work to amortize handing it out.
constexpr int kTilesPerTask = 8;

/// Packed weights of at most this many floats (256 KB, in L2) are reused
/// across channel tiles of one column tile; larger ones sweep the image
/// per channel tile.
constexpr int kSmallWeights = 64 * 1024;

/// Computes out(f, x, y, n) = clamp(bias(f) + [accumulate] init(f, x, y, n)
/// + sum over (c, kx, ky) of weights(f, c, kx, ky) * input(c, x * sx + kx *
/// dx, y * sy + ky * dy, n), lo, hi).
///
/// Buffers are indexed innermost dimension first (Halide's convention): in C
/// terms `input` is NHWC, `weights` is [KH][KW][C][Fp], `init` and `out` are
/// NHWC with F output channels, `bias` has F values (or one, for every
/// channel). The input must already hold any padding: it must cover every
/// tap of every output. A violated requirement makes the call return a
/// nonzero halide_error_code_t without writing `out`.
///
/// The same generator emits the integer kernel (`qc_conv2d_i32_i8`, buffer
/// types set by generator parameters): int32 input (quantized values held
/// in int32, as the reference path keeps them), int8 weights, int32 `init`
/// and `out`, products and sums in int32 (wrapping as the linalg op's
/// arith.muli/addi do), so it is bit-exact; `bias`, `lo` and `hi` are
/// ignored there and `accumulate` must be set.
class ConvF32Generator : public Generator<ConvF32Generator> {
public:
  Input<Buffer<>> input{"input", 4};
  Input<Buffer<>> weights{"weights", 4};
  Input<Buffer<float>> bias{"bias", 1};
  Input<Buffer<>> init{"init", 4};
  Input<bool> accumulate{"accumulate"};
  Input<int32_t> strideX{"stride_x"};
  Input<int32_t> strideY{"stride_y"};
  Input<int32_t> dilationX{"dilation_x"};
  Input<int32_t> dilationY{"dilation_y"};
  Input<float> lo{"lo"};
  Input<float> hi{"hi"};
  Output<Buffer<>> out{"out", 4};

  void generate() {
    bool integer = input.type().is_int();
    Type acc = integer ? Int(32) : Float(32);
    // `init` has the output's shape; its extents define the output's.
    Expr numC = input.dim(0).extent();
    Expr numF = init.dim(0).extent();
    Expr outW = init.dim(1).extent();
    Expr inW = input.dim(1).extent();

    for (int d = 0; d < 4; ++d) {
      input.dim(d).set_min(0);
      weights.dim(d).set_min(0);
      init.dim(d).set_min(0);
    }
    bias.dim(0).set_min(0);
    input.dim(0).set_stride(1);
    weights.dim(0).set_stride(1);
    init.dim(0).set_stride(1);
    weights.dim(1).set_extent(numC);

    checked() = require(
        strideX >= 1 && strideY >= 1 && dilationX >= 1 && dilationY >= 1 &&
            weights.dim(0).extent() % kChannelPad == 0 &&
            weights.dim(0).extent() >= numF &&
            (bias.dim(0).extent() == 1 || bias.dim(0).extent() >= numF),
        0,
        "qc_conv2d: strides and dilations must be >= 1 "
        "and the packed weights must have a multiple of 32 "
        "channels, at least",
        numF, "; got", weights.dim(0).extent());

    // Register tiles may overhang the last columns and channels. The packed
    // weights cover the channel overhang (zeros); the input column and the
    // initial value are clamped so that their discarded loads stay in
    // bounds.
    Expr lastX = outW - 1;
    Expr lastF = numF - 1;
    Expr initial =
        integer ? cast(acc, 0) : Expr(bias(min(f, bias.dim(0).extent() - 1)));
    start(f, x, y, n) =
        select(accumulate, initial + init(min(f, lastF), min(x, lastX), y, n),
               initial) +
        cast(acc, checked());

    r = RDom(0, numC, 0, weights.dim(2).extent(), 0, weights.dim(3).extent(),
             "r");
    Expr column = min(x, lastX) * strideX + r.y * dilationX;
    Expr row = y * strideY + r.z * dilationY;
    // The same sum three times, one per tiling (see schedule()).
    for (Func *sum : {&sumNarrow, &sumByTile, &sumByChannels}) {
      (*sum)(f, x, y, n) = start(f, x, y, n);
      (*sum)(f, x, y, n) += cast(acc, weights(f, r.x, r.y, r.z)) *
                            input(r.x, min(column, inW - 1), row, n);
    }
    smallWeights = weights.dim(0).extent() * weights.dim(1).extent() *
                       weights.dim(2).extent() * weights.dim(3).extent() <=
                   kSmallWeights;
    narrow = numF <= natural_vector_size<float>();
    channelsBy4 = numC % 4 == 0;
    Expr value = select(
        narrow, sumNarrow(f, x, y, n),
        select(smallWeights, sumByTile(f, x, y, n), sumByChannels(f, x, y, n)));
    out(f, x, y, n) = integer ? value : qc::clampKeepingNaN(value, lo, hi);

    out.dim(0).set_stride(1);
    for (int d = 0; d < 4; ++d)
      out.dim(d).set_min(0).set_extent(init.dim(d).extent());
  }

  void schedule() {
    const int vec = natural_vector_size<float>();
    const int tileF = 2 * vec;
    const int tileX = getTileColumns(vec);
    Var fo("fo"), fi("fi"), xo("xo"), xi("xi"), fv("fv");

    checked.compute_root();
    // GuardWithIf keeps the output exact for any F and width (even below a
    // tile): edge tiles store only their valid columns and lanes.
    // (A Stage is a handle: its copies schedule the same definition.)
    auto tile = [&](Stage stage, int channels, int columns) -> Stage {
      stage.split(f, fo, fi, channels, TailStrategy::GuardWithIf)
          .split(x, xo, xi, columns, TailStrategy::GuardWithIf)
          .vectorize(fi, vec)
          .unroll(xi);
      return stage;
    };
    // Three tilings, each specialized again on `accumulate` so that a bias
    // alone drops the loads of `init`, and each splitting its work across
    // the thread pool. No tile may be computed twice (ShiftInwards): with
    // `accumulate` its output is its input.
    // - At most one vector of output channels (LeNet's 6 and 16, a dense
    //   layer's 10): tiles of one vector and twice the columns, instead of
    //   two vectors mostly of padding.
    // - Weights that fit in cache: every channel tile of a column tile in
    //   turn, the input columns staying in L1 while the weights come from
    //   L2; column tiles of all rows and images go to the pool,
    //   kTilesPerTask to a task (a dense layer is a single row).
    // - Larger weights (ResNet's 3x3x512x512 is 9 MB) would then be streamed
    //   from memory for every column tile: instead each channel tile sweeps
    //   the whole image, its weight panel staying in cache; channel tiles go
    //   to the pool.
    Var row("row"), task("task");
    for (auto [condition, channels, columns] :
         {std::tuple{narrow, vec, 2 * tileX}, {smallWeights, tileF, tileX}}) {
      Stage stage = out.specialize(condition);
      tile(stage, channels, columns)
          .reorder(fi, xi, fo, xo, y, n)
          .fuse(xo, y, row)
          .fuse(row, n, task)
          .parallel(task, kTilesPerTask, TailStrategy::GuardWithIf);
      stage.specialize(accumulate);
    }
    tile(out, tileF, tileX).reorder(fi, xi, xo, y, fo, n).parallel(fo);
    out.specialize(accumulate);

    // A full tile is computed even at the edges so that its loops have
    // constant extents and stay in registers.
    for (auto [sum, at, channels, columns] :
         {std::tuple{&sumNarrow, fo, vec, 2 * tileX},
          {&sumByTile, fo, tileF, tileX},
          {&sumByChannels, xo, tileF, tileX}}) {
      sum->compute_at(out, at)
          .bound_extent(f, channels)
          .bound_extent(x, columns)
          .vectorize(f, vec)
          .unroll(x);
      Stage update = sum->update();
      update.reorder(f, x, r.x, r.y, r.z)
          .split(f, f, fv, vec)
          .vectorize(fv)
          .unroll(f)
          .unroll(x);
      // Four input channels per iteration when they divide evenly: the
      // loop and address work is shared by four times the FMAs.
      RVar rxo("rxo"), rxi("rxi");
      update.specialize(channelsBy4)
          .split(r.x, rxo, rxi, 4, TailStrategy::GuardWithIf)
          .unroll(rxi);
    }
  }

private:
  Var f{"f"}, x{"x"}, y{"y"}, n{"n"};
  /// Runs over input channels and taps.
  RDom r;
  Func checked{"checked"};
  Func start{"start"};
  Func sumNarrow{"sum_narrow"}, sumByTile{"sum_by_tile"},
      sumByChannels{"sum_by_channels"};
  /// Whether the output channels fit in one vector, and whether the packed
  /// weights fit in cache (kSmallWeights).
  Expr narrow, smallWeights;
  /// Whether the input channels are a multiple of 4.
  Expr channelsBy4;
};

} // namespace

HALIDE_REGISTER_GENERATOR(ConvF32Generator, qc_conv2d_f32)
