//===- DepthwiseF32Test.cpp - Tests of the depthwise convolution ukernel --===//
//
// Calls the runtime's C ABI (`qc_rt_depthwise_conv2d_f32`) the way compiled
// models do, on random shapes with tails (channel counts that are not a
// multiple of the vector width, stride 2, dilation 2, non-square kernels,
// batch 1 and 7) under each output transform, against a brute-force
// depthwise convolution in double precision.
//
//===----------------------------------------------------------------------===//

#include "runtime/RuntimeCalls.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

extern "C" {
struct DwDesc4 {
  float *allocated, *aligned;
  int64_t offset, sizes[4], strides[4];
};
struct DwDesc1 {
  float *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
};
int32_t _mlir_ciface_qc_rt_depthwise_conv2d_f32(DwDesc4 *, DwDesc4 *,
                                                DwDesc1 *, DwDesc4 *, int64_t,
                                                int64_t, int64_t, int64_t,
                                                int64_t, float, float);
}

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

DwDesc4 describe(std::vector<float> &data, int64_t d0, int64_t d1, int64_t d2,
                 int64_t d3) {
  return {data.data(), data.data(), 0, {d0, d1, d2, d3},
          {d1 * d2 * d3, d2 * d3, d3, 1}};
}

std::vector<float> random(size_t n, std::mt19937 &rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float &x : v)
    x = dist(rng);
  return v;
}

struct Case {
  int64_t batch, inH, inW, c, kh, kw, stride, dilation;
};
struct Transform {
  bool accumulate;
  float lo, hi;
};

void check(const Case &k, const Transform &t, std::mt19937 &rng) {
  int64_t outH = (k.inH - k.dilation * (k.kh - 1) - 1) / k.stride + 1;
  int64_t outW = (k.inW - k.dilation * (k.kw - 1) - 1) / k.stride + 1;
  std::vector<float> input = random(k.batch * k.inH * k.inW * k.c, rng);
  std::vector<float> weights = random(k.kh * k.kw * k.c, rng); // [KH][KW][C]
  std::vector<float> bias = random(k.c, rng);
  std::vector<float> out(k.batch * outH * outW * k.c, 1e30f);
  std::vector<float> biasArg = t.accumulate ? std::vector<float>{0.0f} : bias;
  if (t.accumulate)
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = bias[i % k.c];
  DwDesc4 in = describe(input, k.batch, k.inH, k.inW, k.c);
  DwDesc4 w = describe(weights, k.kh, k.kw, k.c, 1);
  DwDesc1 b{biasArg.data(), biasArg.data(), 0, {int64_t(biasArg.size())}, {1}};
  DwDesc4 o = describe(out, k.batch, outH, outW, k.c);
  ASSERT_EQ(_mlir_ciface_qc_rt_depthwise_conv2d_f32(
                &in, &w, &b, &o, k.stride, k.stride, k.dilation, k.dilation,
                t.accumulate, t.lo, t.hi),
            0);
  for (int64_t n = 0; n < k.batch; ++n)
    for (int64_t oy = 0; oy < outH; ++oy)
      for (int64_t ox = 0; ox < outW; ++ox)
        for (int64_t c = 0; c < k.c; ++c) {
          double sum = bias[c], magnitude = std::fabs(bias[c]);
          for (int64_t y = 0; y < k.kh; ++y)
            for (int64_t x = 0; x < k.kw; ++x) {
              int64_t iy = oy * k.stride + y * k.dilation;
              int64_t ix = ox * k.stride + x * k.dilation;
              double term =
                  double(input[((n * k.inH + iy) * k.inW + ix) * k.c + c]) *
                  weights[(y * k.kw + x) * k.c + c];
              sum += term;
              magnitude += std::fabs(term);
            }
          double expected = std::min<double>(std::max<double>(sum, t.lo), t.hi);
          float got = out[((n * outH + oy) * outW + ox) * k.c + c];
          ASSERT_NEAR(got, expected, 1e-5 * (1 + magnitude))
              << "n " << n << " y " << oy << " x " << ox << " c " << c;
        }
}

TEST(DepthwiseF32, ShapesWithTails) {
  std::mt19937 rng(5);
  const Case cases[] = {
      {1, 10, 10, 32, 3, 3, 1, 1}, // MobileNet-like, one vector
      {7, 9, 8, 19, 3, 3, 2, 1},   // odd channels, stride 2, batch 7
      {1, 11, 13, 3, 3, 2, 1, 2},  // fewer channels than a vector, dilation
      {2, 7, 7, 96, 5, 5, 1, 1},   // 5x5 (EfficientNet)
  };
  const Transform transforms[] = {
      {true, -kInf, kInf}, {false, 0.0f, 6.0f}, {false, -0.25f, 0.25f}};
  for (const Case &k : cases)
    for (const Transform &t : transforms)
      check(k, t, rng);
}

// A multiplier other than 1 is refused, with nothing written.
TEST(DepthwiseF32, RejectsChannelMultiplier) {
  std::mt19937 rng(9);
  std::vector<float> input = random(1 * 4 * 4 * 2, rng);
  std::vector<float> weights = random(1 * 1 * 2 * 2, rng);
  std::vector<float> bias{0.0f}, out(1 * 4 * 4 * 2, 0.0f);
  DwDesc4 in = describe(input, 1, 4, 4, 2);
  DwDesc4 w = describe(weights, 1, 1, 2, 2);
  DwDesc1 b{bias.data(), bias.data(), 0, {1}, {1}};
  DwDesc4 o = describe(out, 1, 4, 4, 2);
  int32_t status = _mlir_ciface_qc_rt_depthwise_conv2d_f32(
      &in, &w, &b, &o, 1, 1, 1, 1, 0, -kInf, kInf);
  EXPECT_NE(status, 0);
  for (float v : out)
    EXPECT_EQ(v, 0.0f);
  EXPECT_EQ(mlir::qc::qc_rt_take_status(), status);
}

} // namespace
