//===- ConvF32Test.cpp - Tests of the fp32 convolution ukernel --*- C++ -*-===//
//
// Calls the runtime's C ABI (`qc_rt_conv2d_f32`, `qc_rt_matmul_f32`) the way
// compiled code does, with memref descriptors, and checks the results
// against a brute-force convolution in double precision on random shapes
// with tails: odd channel counts, widths that are not a multiple of the
// register tile, stride 2, dilation, 1x1 and 5x5 kernels, batch 1 and 7,
// and an output that starts from a bias (the kernel accumulates into it).
// The instruction-set caps of XnorGemmTest.cpp apply to this file too (one
// test binary).
//
//===----------------------------------------------------------------------===//

#include "runtime/CpuFeatures.h"
#include "runtime/RuntimeCalls.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

template <typename T> struct IntDesc2 {
  T *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
};
template <typename T> struct IntDesc4 {
  T *allocated, *aligned;
  int64_t offset, sizes[4], strides[4];
};

/// The dot-product weights [Fp/32][KH][KW][CB][32][4] and the filter sums.
struct DotDesc {
  int8_t *allocated, *aligned;
  int64_t offset, sizes[6], strides[6];
};
struct IntDesc1 {
  int32_t *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
};

extern "C" {
/// Float weights in 32-filter panels, [P][KH][KW][C][32].
struct Desc5 {
  float *allocated, *aligned;
  int64_t offset, sizes[5], strides[5];
};
struct Desc4 {
  float *allocated, *aligned;
  int64_t offset, sizes[4], strides[4];
};
struct Desc2 {
  float *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
};
struct Desc1 {
  float *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
};
int32_t _mlir_ciface_qc_rt_conv2d_f32(Desc4 *, Desc5 *, Desc1 *, Desc4 *,
                                      int64_t, int64_t, int64_t, int64_t,
                                      int64_t, float, float);
int32_t _mlir_ciface_qc_rt_matmul_f32(Desc2 *, Desc5 *, Desc1 *, Desc2 *,
                                      int64_t, float, float);
int32_t _mlir_ciface_qc_rt_matmul_i32_i8(IntDesc2<int32_t> *,
                                         IntDesc4<int8_t> *,
                                         IntDesc2<int32_t> *, int64_t);
int32_t _mlir_ciface_qc_rt_conv2d_i32_i8_requant(
    IntDesc4<int32_t> *, IntDesc4<int8_t> *, DotDesc *, IntDesc1 *,
    IntDesc4<int32_t> *, int64_t, int64_t, int64_t, int64_t, Desc1 *, Desc1 *,
    int64_t, float, float, float, float, int64_t);
int32_t _mlir_ciface_qc_rt_conv2d_i32_i8_dequant(IntDesc4<int32_t> *,
                                                 IntDesc4<int8_t> *, DotDesc *,
                                                 IntDesc1 *, Desc4 *, int64_t,
                                                 int64_t, int64_t, int64_t,
                                                 Desc1 *, Desc1 *, int64_t);
int32_t _mlir_ciface_qc_rt_conv2d_i32_i8(IntDesc4<int32_t> *,
                                         IntDesc4<int8_t> *, DotDesc *,
                                         IntDesc1 *, IntDesc4<int32_t> *,
                                         int64_t, int64_t, int64_t, int64_t,
                                         int64_t);
}

namespace {

using mlir::qc::kPackedChannelMultiple;

Desc4 describe(std::vector<float> &data, int64_t d0, int64_t d1, int64_t d2,
               int64_t d3) {
  return {data.data(),
          data.data(),
          0,
          {d0, d1, d2, d3},
          {d1 * d2 * d3, d2 * d3, d3, 1}};
}

struct ConvCase {
  int64_t batch, inH, inW, c, f, kh, kw, stride, dilation;
};

/// FHWC weights packed as the integer kernels take them: [KH][KW][C][Fp], the
/// padded channels zero.
template <typename T>
std::vector<T> packWeights(const std::vector<T> &weights, const ConvCase &k,
                           int64_t fp) {
  std::vector<T> packed(k.kh * k.kw * k.c * fp, T(0));
  for (int64_t f = 0; f < k.f; ++f)
    for (int64_t y = 0; y < k.kh; ++y)
      for (int64_t x = 0; x < k.kw; ++x)
        for (int64_t c = 0; c < k.c; ++c)
          packed[((y * k.kw + x) * k.c + c) * fp + f] =
              weights[((f * k.kh + y) * k.kw + x) * k.c + c];
  return packed;
}

/// FHWC float weights in the kernels' panels of 32 filters,
/// [Fp/32][KH][KW][C][32], the padded filters zero.
std::vector<float> packPanels(const std::vector<float> &weights,
                              const ConvCase &k, int64_t fp) {
  const int64_t panel = 32;
  std::vector<float> packed(k.kh * k.kw * k.c * fp, 0.0f);
  for (int64_t f = 0; f < k.f; ++f)
    for (int64_t y = 0; y < k.kh; ++y)
      for (int64_t x = 0; x < k.kw; ++x)
        for (int64_t c = 0; c < k.c; ++c)
          packed[((((f / panel) * k.kh + y) * k.kw + x) * k.c + c) * panel +
                 f % panel] = weights[((f * k.kh + y) * k.kw + x) * k.c + c];
  return packed;
}

/// A descriptor of panels [P][KH][KW][C][width] (width 32 but in the test
/// of a refused one).
Desc5 describePanels(std::vector<float> &data, int64_t kh, int64_t kw,
                     int64_t c, int64_t width = 32) {
  int64_t panels = int64_t(data.size()) / (kh * kw * c * width);
  return {data.data(),
          data.data(),
          0,
          {panels, kh, kw, c, width},
          {kh * kw * c * width, kw * c * width, c * width, width, 1}};
}

/// How the output transform is exercised: the bias preloaded into the
/// output (accumulate) or passed as a vector, with or without a clamp.
struct Transform {
  bool accumulate;
  float lo, hi;
};
constexpr float kInf = std::numeric_limits<float>::infinity();
const Transform kTransforms[] = {
    {true, -kInf, kInf}, // linalg's semantics: out += conv
    {false, 0.0f, kInf}, // bias + ReLU
    {false, -0.5f, 0.5f} // bias + clamp
};

Desc1 describeVector(std::vector<float> &data) {
  return {data.data(), data.data(), 0, {int64_t(data.size())}, {1}};
}

/// The reference's output transform, NaN passing through as
/// arith.maximumf/minimumf pass it.
double clampLike(double x, const Transform &t) {
  return std::isnan(x) ? x : std::min<double>(std::max<double>(x, t.lo), t.hi);
}

std::vector<float> random(size_t n, std::mt19937 &rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float &x : v)
    x = dist(rng);
  return v;
}

/// Checks the float convolution of case `k` under transform `t`; with
/// `outPad`, the output is the interior of a buffer with that many pixels of
/// border on each side, which must stay untouched.
void checkConv(const ConvCase &k, const Transform &t, std::mt19937 &rng,
               int64_t outPad = 0) {
  int64_t outH = (k.inH - k.dilation * (k.kh - 1) - 1) / k.stride + 1;
  int64_t outW = (k.inW - k.dilation * (k.kw - 1) - 1) / k.stride + 1;
  int64_t fp = (k.f + kPackedChannelMultiple - 1) / kPackedChannelMultiple *
               kPackedChannelMultiple;
  std::vector<float> input = random(k.batch * k.inH * k.inW * k.c, rng);
  std::vector<float> weights = random(k.f * k.kh * k.kw * k.c, rng); // FHWC
  std::vector<float> bias = random(k.f, rng);
  std::vector<float> packed = packPanels(weights, k, fp);
  // Accumulating: the bias is in the output and the bias vector is one
  // zero; else the output starts as garbage that must not be read.
  int64_t bufH = outH + 2 * outPad, bufW = outW + 2 * outPad;
  std::vector<float> out(k.batch * bufH * bufW * k.f, 1e30f);
  std::vector<float> biasArg = t.accumulate ? std::vector<float>{0.0f} : bias;
  auto at = [&](int64_t n, int64_t y, int64_t x, int64_t f) -> float & {
    return out[((n * bufH + y + outPad) * bufW + x + outPad) * k.f + f];
  };
  if (t.accumulate)
    for (int64_t n = 0; n < k.batch; ++n)
      for (int64_t y = 0; y < outH; ++y)
        for (int64_t x = 0; x < outW; ++x)
          for (int64_t f = 0; f < k.f; ++f)
            at(n, y, x, f) = bias[f];

  Desc4 in = describe(input, k.batch, k.inH, k.inW, k.c);
  Desc5 w = describePanels(packed, k.kh, k.kw, k.c);
  Desc1 b = describeVector(biasArg);
  Desc4 o = describe(out, k.batch, bufH, bufW, k.f);
  o.offset = (outPad * bufW + outPad) * k.f;
  o.sizes[1] = outH;
  o.sizes[2] = outW;
  ASSERT_EQ(_mlir_ciface_qc_rt_conv2d_f32(&in, &w, &b, &o, k.stride, k.stride,
                                          k.dilation, k.dilation, t.accumulate,
                                          t.lo, t.hi),
            0);

  for (int64_t n = 0; n < k.batch; ++n)
    for (int64_t oy = 0; oy < outH; ++oy)
      for (int64_t ox = 0; ox < outW; ++ox)
        for (int64_t f = 0; f < k.f; ++f) {
          double sum = bias[f], magnitude = std::fabs(bias[f]);
          for (int64_t y = 0; y < k.kh; ++y)
            for (int64_t x = 0; x < k.kw; ++x)
              for (int64_t c = 0; c < k.c; ++c) {
                int64_t iy = oy * k.stride + y * k.dilation;
                int64_t ix = ox * k.stride + x * k.dilation;
                double term =
                    double(input[((n * k.inH + iy) * k.inW + ix) * k.c + c]) *
                    weights[((f * k.kh + y) * k.kw + x) * k.c + c];
                sum += term;
                magnitude += std::fabs(term);
              }
          float got = at(n, oy, ox, f);
          ASSERT_NEAR(got, clampLike(sum, t), 1e-5 * (1 + magnitude))
              << "n " << n << " y " << oy << " x " << ox << " f " << f;
        }
  // The border around a padded output's interior is not written.
  for (int64_t n = 0; n < k.batch; ++n)
    for (int64_t y = -outPad; y < outH + outPad; ++y)
      for (int64_t x = -outPad; x < outW + outPad; ++x)
        if (y < 0 || y >= outH || x < 0 || x >= outW)
          for (int64_t f = 0; f < k.f; ++f)
            ASSERT_EQ(at(n, y, x, f), 1e30f)
                << "border n " << n << " y " << y << " x " << x;
}

TEST(ConvF32, ShapesWithTails) {
  std::mt19937 rng(7);
  const ConvCase cases[] = {
      {1, 32, 32, 1, 6, 5, 5, 1, 1},  // LeNet's first layer
      {7, 14, 14, 6, 16, 5, 5, 1, 1}, // LeNet's second, batch 7
      {2, 9, 11, 3, 33, 3, 3, 2, 1},  // odd C and F, stride 2
      {1, 13, 10, 5, 7, 3, 3, 1, 2},  // dilation 2
      {3, 7, 7, 64, 40, 1, 1, 1, 1},  // 1x1, F not a multiple of 32
      {1, 5, 23, 17, 64, 3, 2, 1, 1}, // non-square kernel, wide row
      // Weights over 64 K floats take the other loop order and two-row
      // tiles (odd output heights: 7 x 5 here, then stride 2).
      {2, 9, 7, 96, 97, 3, 3, 1, 1},
      {1, 16, 16, 80, 100, 3, 3, 2, 1},
      // One channel and at most 8 filters: pixel tiles of 32 (41 = 32 +
      // 9 columns here, dilation 2), and 3 filters at stride 2 (filter
      // tiles again).
      {2, 9, 45, 1, 8, 3, 3, 1, 2},
      {1, 11, 40, 1, 3, 3, 3, 2, 1},
  };
  for (const ConvCase &k : cases)
    for (const Transform &t : kTransforms)
      checkConv(k, t, rng);
}

// Outputs into the interior of a padded buffer (rows with gaps): 1x1 layers
// of stride 1 run as one row of pixels across the image's rows, and must
// still put each pixel in its row; a 3x3 layer for comparison.
TEST(ConvF32, PaddedOutputs) {
  std::mt19937 rng(13);
  const ConvCase cases[] = {
      {3, 7, 7, 64, 40, 1, 1, 1, 1},   // 49 pixels: tiles cross rows
      {1, 14, 14, 24, 96, 1, 1, 1, 1}, // MobileNet's expansion, 196 pixels
      {2, 5, 9, 17, 33, 1, 1, 2, 1},   // stride 2: row by row
      {1, 9, 11, 8, 32, 3, 3, 1, 1},
      {3, 20, 20, 1, 5, 5, 5, 1, 1}, // pixel tiles
  };
  for (const ConvCase &k : cases)
    for (const Transform &t : kTransforms)
      checkConv(k, t, rng, /*outPad=*/1);
}

TEST(ConvF32, MatmulWithOutputTransform) {
  std::mt19937 rng(11);
  // The last: rows split into chunks of columns.
  for (auto [m, kdim, n] : {std::tuple<int64_t, int64_t, int64_t>{1, 400, 120},
                            {7, 84, 10},
                            {64, 33, 65},
                            {250, 20, 40}})
    for (const Transform &t : kTransforms) {
      int64_t np = (n + kPackedChannelMultiple - 1) / kPackedChannelMultiple *
                   kPackedChannelMultiple;
      std::vector<float> x = random(m * kdim, rng), w = random(kdim * n, rng);
      std::vector<float> bias = random(n, rng);
      std::vector<float> packed(kdim * np, 0.0f), out(m * n, 1e30f);
      for (int64_t k = 0; k < kdim; ++k)
        for (int64_t j = 0; j < n; ++j)
          packed[((j / 32) * kdim + k) * 32 + j % 32] = w[k * n + j];
      std::vector<float> biasArg =
          t.accumulate ? std::vector<float>{0.0f} : bias;
      if (t.accumulate)
        for (int64_t i = 0; i < m * n; ++i)
          out[i] = bias[i % n];
      Desc2 xd{x.data(), x.data(), 0, {m, kdim}, {kdim, 1}};
      Desc5 wd = describePanels(packed, 1, 1, kdim);
      Desc1 bd = describeVector(biasArg);
      Desc2 od{out.data(), out.data(), 0, {m, n}, {n, 1}};
      ASSERT_EQ(_mlir_ciface_qc_rt_matmul_f32(&xd, &wd, &bd, &od, t.accumulate,
                                              t.lo, t.hi),
                0);
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
          double sum = bias[j], magnitude = std::fabs(bias[j]);
          for (int64_t k = 0; k < kdim; ++k) {
            sum += double(x[i * kdim + k]) * w[k * n + j];
            magnitude += std::fabs(double(x[i * kdim + k]) * w[k * n + j]);
          }
          ASSERT_NEAR(out[i * n + j], clampLike(sum, t),
                      1e-5 * (1 + magnitude));
        }
    }
}

// A NaN in the input reaches the outputs it feeds through the clamp (as
// arith.maximumf propagates it), and only those.
TEST(ConvF32, NaNPassesTheClamp) {
  // One filter (one-vector tiles) and 33 (two-vector tiles), filter 0 the
  // one checked.
  for (int64_t filters : {1, 33}) {
    int64_t fp = filters <= 32 ? 32 : 64;
    std::vector<float> input(1 * 3 * 3 * 2, 1.0f), packed(1 * 1 * 2 * fp, 0.0f);
    input[(1 * 3 + 1) * 2] = std::numeric_limits<float>::quiet_NaN();
    for (int c = 0; c < 2; ++c)
      packed[c * 32] = -1.0f; // filter 0: -(x0 + x1), below the ReLU
    std::vector<float> bias{0.0f}, out(1 * 3 * 3 * filters, 7.0f);
    Desc4 in = describe(input, 1, 3, 3, 2);
    Desc5 w = describePanels(packed, 1, 1, 2);
    Desc1 b = describeVector(bias);
    Desc4 o = describe(out, 1, 3, 3, filters);
    ASSERT_EQ(_mlir_ciface_qc_rt_conv2d_f32(&in, &w, &b, &o, 1, 1, 1, 1, 0,
                                            0.0f, kInf),
              0);
    for (int i = 0; i < 9; ++i) {
      if (i == 4)
        EXPECT_TRUE(std::isnan(out[i * filters])) << out[i * filters];
      else
        EXPECT_EQ(out[i * filters], 0.0f) << "pixel " << i;
    }
  }
}

template <typename T>
IntDesc4<T> describeInt(std::vector<T> &data, int64_t d0, int64_t d1,
                        int64_t d2, int64_t d3) {
  return {data.data(),
          data.data(),
          0,
          {d0, d1, d2, d3},
          {d1 * d2 * d3, d2 * d3, d3, 1}};
}

/// FHWC int8 weights in the dot-product layout [Fp/32][KH][KW][CB][32][4]
/// (RuntimeCalls.h), and each filter's sum.
struct DotWeights {
  std::vector<int8_t> packed;
  std::vector<int32_t> sums;
  int64_t blocks;
};
DotWeights packForDot(const std::vector<int8_t> &weights, const ConvCase &k,
                      int64_t fp) {
  DotWeights dot;
  dot.blocks = (k.c + 3) / 4;
  dot.packed.assign(k.kh * k.kw * dot.blocks * fp * 4, 0);
  dot.sums.assign(fp, 0);
  for (int64_t f = 0; f < k.f; ++f)
    for (int64_t y = 0; y < k.kh; ++y)
      for (int64_t x = 0; x < k.kw; ++x)
        for (int64_t c = 0; c < k.c; ++c) {
          int8_t w = weights[((f * k.kh + y) * k.kw + x) * k.c + c];
          dot.packed
              [(((((f / 32) * k.kh + y) * k.kw + x) * dot.blocks + c / 4) * 32 +
                f % 32) *
                   4 +
               c % 4] = w;
          dot.sums[f] += w;
        }
  return dot;
}

/// IEEE maximum and minimum, as arith.maximumf / minimumf: -0 below +0.
float ieeeMax(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return NAN;
  return a == b ? (std::signbit(a) ? b : a) : (a > b ? a : b);
}
float ieeeMin(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return NAN;
  return a == b ? (std::signbit(a) ? a : b) : (a < b ? a : b);
}

/// What the dequantizing generic computes for sum `s`: sitofp, mulf, addf
/// (each rounded: no fused multiply-add), then maximumf with +0.
float dequantizeLike(int32_t s, float scale, float shift, bool relu) {
#ifdef __clang__
#pragma clang fp contract(off)
#endif
  volatile float product = static_cast<float>(s) * scale;
  float x = product + shift;
  return relu ? ieeeMax(x, 0.0f) : x;
}

/// What the requantizing generic computes from the dequantized `x`: divf,
/// roundeven, addf, maximumf, minimumf, [mulf, divf, roundeven], fptosi.
int32_t requantizeLike(float x, float divisor, float zeroPoint, float lo,
                       float hi, bool roundTrip) {
  float q = std::nearbyint(x / divisor) + zeroPoint;
  q = ieeeMin(ieeeMax(q, lo), hi);
  if (roundTrip) {
    volatile float up = q * divisor;
    q = std::nearbyint(up / divisor);
  }
  return static_cast<int32_t>(q);
}

/// Input value ranges: u8 and s8 activations, a span of 256 away from zero,
/// and values whose sums wrap (rows the dot-product route cannot narrow).
const std::pair<int32_t, int32_t> kInputRanges[] = {
    {0, 255}, {-128, 127}, {1000, 1255}, {-(1 << 30), 1 << 30}};

// The integer kernel, by whichever route this CPU and the cap allow (u8 x s8
// dot products on AVX512-VNNI, else the Halide kernel): int32 activations,
// int8 weights, int32 accumulation into the output's initial values,
// bit-exact against int64 arithmetic wrapped to 32 bits.
TEST(ConvI32I8, ExactOnShapesWithTails) {
  std::mt19937 rng(13);
  const ConvCase cases[] = {
      {1, 30, 30, 1, 32, 3, 3, 1, 1},  // VGG's first layer
      {3, 9, 11, 5, 33, 3, 3, 2, 1},   // odd C and F, stride 2
      {2, 13, 10, 64, 7, 3, 3, 1, 2},  // dilation 2
      {7, 5, 23, 17, 64, 1, 2, 1, 1},  // batch 7, non-square kernel
      {2, 9, 7, 96, 97, 3, 3, 1, 1},   // large weights, 7 x 5 output
      {1, 16, 16, 32, 70, 3, 3, 1, 1}, // 14 columns, three filter tiles
      {1, 3, 30, 1024, 8, 3, 3, 1, 1}, // rows too wide for the stack buffer
      {8, 12, 10, 32, 40, 3, 3, 1, 2}, // blocks of 4 rows, dilation 2
      {16, 11, 9, 8, 33, 3, 3, 2, 1},  // blocks of 4 + 1 rows, stride 2
  };
  for (auto [lowIn, highIn] : kInputRanges) {
    std::uniform_int_distribution<int32_t> in(lowIn, highIn);
    std::uniform_int_distribution<int32_t> w8(-128, 127);
    for (const ConvCase &k : cases) {
      int64_t outH = (k.inH - k.dilation * (k.kh - 1) - 1) / k.stride + 1;
      int64_t outW = (k.inW - k.dilation * (k.kw - 1) - 1) / k.stride + 1;
      int64_t fp = (k.f + kPackedChannelMultiple - 1) / kPackedChannelMultiple *
                   kPackedChannelMultiple;
      std::vector<int32_t> input(k.batch * k.inH * k.inW * k.c);
      for (int32_t &v : input)
        v = in(rng);
      std::vector<int8_t> weights(k.f * k.kh * k.kw * k.c); // FHWC
      for (int8_t &v : weights)
        v = static_cast<int8_t>(w8(rng));
      std::vector<int8_t> packed = packWeights(weights, k, fp);
      DotWeights dot = packForDot(weights, k, fp);
      std::vector<int32_t> out(k.batch * outH * outW * k.f);
      for (int32_t &v : out)
        v = in(rng);
      std::vector<int32_t> initial = out;
      IntDesc4<int32_t> id = describeInt(input, k.batch, k.inH, k.inW, k.c);
      IntDesc4<int8_t> wd = describeInt(packed, k.kh, k.kw, k.c, fp);
      DotDesc dd{dot.packed.data(),
                 dot.packed.data(),
                 0,
                 {fp / 32, k.kh, k.kw, dot.blocks, 32, 4},
                 {k.kh * k.kw * dot.blocks * 128, k.kw * dot.blocks * 128,
                  dot.blocks * 128, 128, 4, 1}};
      IntDesc1 sd{dot.sums.data(), dot.sums.data(), 0, {fp}, {1}};
      // Accumulating into the output (the first, third, ... case) or
      // overwriting it.
      bool accumulate = (&k - cases) % 2 == 0;
      IntDesc4<int32_t> od = describeInt(out, k.batch, outH, outW, k.f);
      ASSERT_EQ(_mlir_ciface_qc_rt_conv2d_i32_i8(&id, &wd, &dd, &sd, &od,
                                                 k.stride, k.stride, k.dilation,
                                                 k.dilation, accumulate),
                0);
      std::vector<int32_t> sums(out.size());
      for (int64_t n = 0; n < k.batch; ++n)
        for (int64_t oy = 0; oy < outH; ++oy)
          for (int64_t ox = 0; ox < outW; ++ox)
            for (int64_t f = 0; f < k.f; ++f) {
              int64_t at = ((n * outH + oy) * outW + ox) * k.f + f;
              uint32_t sum =
                  accumulate ? static_cast<uint32_t>(initial[at]) : 0;
              uint32_t conv = 0;
              for (int64_t y = 0; y < k.kh; ++y)
                for (int64_t x = 0; x < k.kw; ++x)
                  for (int64_t c = 0; c < k.c; ++c) {
                    int64_t iy = oy * k.stride + y * k.dilation;
                    int64_t ix = ox * k.stride + x * k.dilation;
                    conv += static_cast<uint32_t>(
                        input[((n * k.inH + iy) * k.inW + ix) * k.c + c] *
                        int64_t(
                            weights[((f * k.kh + y) * k.kw + x) * k.c + c]));
                  }
              sums[at] = static_cast<int32_t>(conv);
              ASSERT_EQ(out[at], static_cast<int32_t>(sum + conv))
                  << "inputs " << lowIn << ".." << highIn << ", C " << k.c
                  << ": n " << n << " y " << oy << " x " << ox << " f " << f;
            }
      // The fused output stages on the same sums: requantized codes
      // (with and without ReLU and the round trip) and dequantized values,
      // bit for bit what the generics' float operations give.
      std::uniform_real_distribution<float> unit(0.5f, 1.5f);
      std::vector<float> scale(k.f), shift(k.f);
      for (int64_t f = 0; f < k.f; ++f) {
        scale[f] = unit(rng) * (highIn > 1000 ? 1e-6f : 1e-2f);
        shift[f] = unit(rng) - 1.0f;
      }
      Desc1 scaled = describeVector(scale), shifted = describeVector(shift);
      bool relu = (&k - cases) % 3 != 0, roundTrip = (&k - cases) % 2 == 1;
      const float divisor = 0.0625f, zeroPoint = 3.0f, lo = -128.0f,
                  hi = 127.0f;
      std::vector<int32_t> codes(out.size(), 0x7fffffff);
      IntDesc4<int32_t> cd = describeInt(codes, k.batch, outH, outW, k.f);
      ASSERT_EQ(_mlir_ciface_qc_rt_conv2d_i32_i8_requant(
                    &id, &wd, &dd, &sd, &cd, k.stride, k.stride, k.dilation,
                    k.dilation, &scaled, &shifted, relu, divisor, zeroPoint, lo,
                    hi, roundTrip),
                0);
      std::vector<float> values(out.size(), 1e30f);
      Desc4 vd = describe(values, k.batch, outH, outW, k.f);
      ASSERT_EQ(_mlir_ciface_qc_rt_conv2d_i32_i8_dequant(
                    &id, &wd, &dd, &sd, &vd, k.stride, k.stride, k.dilation,
                    k.dilation, &scaled, &shifted, relu),
                0);
      for (size_t at = 0; at < sums.size(); ++at) {
        int64_t f = static_cast<int64_t>(at % k.f);
        float x = dequantizeLike(sums[at], scale[f], shift[f], relu);
        ASSERT_EQ(std::memcmp(&values[at], &x, sizeof x), 0)
            << "dequantized " << values[at] << " != " << x << " at " << at;
        ASSERT_EQ(codes[at],
                  requantizeLike(x, divisor, zeroPoint, lo, hi, roundTrip))
            << "requantized at " << at << " of sum " << sums[at];
      }
    }
  }
}

// The level the runtime dispatches on agrees with the compiler runtime's own
// CPU detection, lowered to the test's cap.
TEST(ConvI32I8, IsaLevelFollowsTheCpuAndTheCap) {
  __builtin_cpu_init();
  int32_t expected = mlir::qc::kIsaBaseline;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    expected = mlir::qc::kIsaAvx2;
  if (expected == mlir::qc::kIsaAvx2 && __builtin_cpu_supports("avx512f") &&
      __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    expected = mlir::qc::kIsaAvx512;
  if (expected == mlir::qc::kIsaAvx512 && __builtin_cpu_supports("avx512vnni"))
    expected = mlir::qc::kIsaAvx512Vnni;
  const char *cap = std::getenv("QC_TEST_UKERNEL_ISA");
  std::string name = cap ? cap : "native";
  if (name == "avx2")
    expected = std::min(expected, int32_t(mlir::qc::kIsaAvx2));
  else if (name == "x86-64")
    expected = mlir::qc::kIsaBaseline;
  EXPECT_EQ(qc_rt_isa_level(), expected);
}

// The integer dense layer: x [M][K] int32 times packed int8 weights,
// accumulated into int32, exact with wrapping.
TEST(ConvI32I8, MatmulExact) {
  std::mt19937 rng(17);
  std::uniform_int_distribution<int32_t> in(0, 255), w8(-128, 127);
  for (auto [m, kdim, n] : {std::tuple<int64_t, int64_t, int64_t>{1, 400, 120},
                            {7, 84, 10},
                            {64, 33, 65},
                            {64, 3136, 10}}) {
    int64_t np = (n + kPackedChannelMultiple - 1) / kPackedChannelMultiple *
                 kPackedChannelMultiple;
    std::vector<int32_t> x(m * kdim), out(m * n);
    std::vector<int8_t> w(kdim * n), packed(kdim * np, 0);
    for (int32_t &v : x)
      v = in(rng);
    for (int8_t &v : w)
      v = static_cast<int8_t>(w8(rng));
    for (int32_t &v : out)
      v = w8(rng);
    std::vector<int32_t> initial = out;
    for (int64_t k = 0; k < kdim; ++k)
      for (int64_t j = 0; j < n; ++j)
        packed[k * np + j] = w[k * n + j];
    IntDesc2<int32_t> xd{x.data(), x.data(), 0, {m, kdim}, {kdim, 1}};
    IntDesc4<int8_t> wd = describeInt(packed, 1, 1, kdim, np);
    IntDesc2<int32_t> od{out.data(), out.data(), 0, {m, n}, {n, 1}};
    bool accumulate = m != 7; // the batch of 7 overwrites the output
    ASSERT_EQ(_mlir_ciface_qc_rt_matmul_i32_i8(&xd, &wd, &od, accumulate), 0);
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        int64_t sum = accumulate ? initial[i * n + j] : 0;
        for (int64_t k = 0; k < kdim; ++k)
          sum += int64_t(x[i * kdim + k]) * w[k * n + j];
        ASSERT_EQ(out[i * n + j], static_cast<int32_t>(sum));
      }
  }
}

// A failed call writes nothing and records its status for the thread, which
// the model's entry point takes after the model ran.
TEST(ConvF32, RejectsUnpaddedWeights) {
  std::mt19937 rng(3);
  std::vector<float> input = random(1 * 4 * 4 * 2, rng);
  std::vector<float> packed = random(1 * 1 * 2 * 8, rng); // panels of 8
  std::vector<float> out(1 * 4 * 4 * 8, 0.0f);
  Desc4 in = describe(input, 1, 4, 4, 2);
  Desc5 w = describePanels(packed, 1, 1, 2, 8);
  Desc4 o = describe(out, 1, 4, 4, 8);
  std::vector<float> bias{0.0f};
  Desc1 b = describeVector(bias);
  EXPECT_EQ(mlir::qc::qc_rt_take_status(), 0);
  int32_t status = _mlir_ciface_qc_rt_conv2d_f32(&in, &w, &b, &o, 1, 1, 1, 1, 1,
                                                 -kInf, kInf);
  EXPECT_NE(status, 0);
  for (float v : out)
    EXPECT_EQ(v, 0.0f);
  // The failure is kept for the entry point, once.
  EXPECT_EQ(mlir::qc::qc_rt_take_status(), status);
  EXPECT_EQ(mlir::qc::qc_rt_take_status(), 0);
}

} // namespace
