//===- PoolF32Test.cpp - Tests of the fp32 pooling ukernels -----*- C++ -*-===//
//
// Calls `qc_rt_max_pool2d_f32` and `qc_rt_sum_pool2d_f32` as compiled code
// does and checks them against a brute-force max and a double-precision sum
// on random shapes: channel counts below, at and above the vector width,
// 2x2/2 and 3x3/2 windows, dilation, batch 1 and 7, and an output that
// already holds values (the kernels fold them into the max or the sum).
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
struct PoolDesc4 {
  float *allocated, *aligned;
  int64_t offset, sizes[4], strides[4];
};
int32_t _mlir_ciface_qc_rt_max_pool2d_f32(PoolDesc4 *, PoolDesc4 *, int64_t,
                                          int64_t, int64_t, int64_t, int64_t,
                                          int64_t);
int32_t _mlir_ciface_qc_rt_sum_pool2d_f32(PoolDesc4 *, PoolDesc4 *, int64_t,
                                          int64_t, int64_t, int64_t, int64_t,
                                          int64_t);
}

namespace {

PoolDesc4 describe(std::vector<float> &data, int64_t n, int64_t h, int64_t w,
                   int64_t c) {
  return {data.data(), data.data(), 0, {n, h, w, c}, {h * w * c, w * c, c, 1}};
}

/// Runs the max (or, with `sum`, the sum) pooling ukernel on every case
/// and compares it with a brute-force reference.
void checkPooling(bool sum) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  struct Case {
    int64_t n, h, w, c, k, stride, dilation;
  };
  for (const Case &t :
       {Case{1, 28, 28, 6, 2, 2, 1}, Case{7, 10, 10, 16, 2, 2, 1},
        Case{2, 9, 11, 33, 3, 2, 1}, Case{1, 9, 9, 5, 2, 1, 2}}) {
    int64_t oh = (t.h - t.dilation * (t.k - 1) - 1) / t.stride + 1;
    int64_t ow = (t.w - t.dilation * (t.k - 1) - 1) / t.stride + 1;
    std::vector<float> input(t.n * t.h * t.w * t.c), out(t.n * oh * ow * t.c);
    for (float &v : input)
      v = dist(rng);
    // Start from values that sometimes win, as a bias would.
    for (float &v : out)
      v = dist(rng) * 0.5f + 0.5f;
    std::vector<float> start = out;
    PoolDesc4 in = describe(input, t.n, t.h, t.w, t.c);
    PoolDesc4 o = describe(out, t.n, oh, ow, t.c);
    auto *kernel = sum ? _mlir_ciface_qc_rt_sum_pool2d_f32
                       : _mlir_ciface_qc_rt_max_pool2d_f32;
    ASSERT_EQ(
        kernel(&in, &o, t.k, t.k, t.stride, t.stride, t.dilation, t.dilation),
        0);
    for (int64_t n = 0; n < t.n; ++n)
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t x = 0; x < ow; ++x)
          for (int64_t c = 0; c < t.c; ++c) {
            int64_t index = ((n * oh + y) * ow + x) * t.c + c;
            float expected = start[index];
            double total = start[index];
            for (int64_t ky = 0; ky < t.k; ++ky)
              for (int64_t kx = 0; kx < t.k; ++kx) {
                float v =
                    input[((n * t.h + y * t.stride + ky * t.dilation) * t.w +
                           x * t.stride + kx * t.dilation) *
                              t.c +
                          c];
                expected = std::max(expected, v);
                total += v;
              }
            if (sum)
              ASSERT_NEAR(out[index], total, 1e-5)
                  << "n " << n << " y " << y << " x " << x << " c " << c;
            else
              ASSERT_EQ(out[index], expected)
                  << "n " << n << " y " << y << " x " << x << " c " << c;
          }
  }
}

TEST(PoolF32, MaxMatchesBruteForce) { checkPooling(/*sum=*/false); }

TEST(PoolF32, SumMatchesBruteForce) { checkPooling(/*sum=*/true); }

// A NaN in a window makes its maximum NaN, as arith.maximumf does, whether
// it comes first or after a larger value; the other windows are untouched.
TEST(PoolF32, MaxPropagatesNaN) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> input(1 * 4 * 4 * 3, 0.0f);
  for (size_t i = 0; i < input.size(); ++i)
    input[i] = float(i % 7);
  input[(0 * 4 + 0) * 3 + 0] = nan; // first tap of window (0, 0)
  input[(3 * 4 + 3) * 3 + 2] = nan; // last tap of window (1, 1)
  std::vector<float> out(1 * 2 * 2 * 3, -1e30f);
  PoolDesc4 in = describe(input, 1, 4, 4, 3);
  PoolDesc4 o = describe(out, 1, 2, 2, 3);
  ASSERT_EQ(_mlir_ciface_qc_rt_max_pool2d_f32(&in, &o, 2, 2, 2, 2, 1, 1), 0);
  for (int64_t i = 0; i < 12; ++i) {
    bool expectNaN = i == 0 || i == 11;
    EXPECT_EQ(std::isnan(out[i]), expectNaN)
        << "element " << i << " " << out[i];
  }
}

} // namespace
