//===- PackedActivationsTest.cpp - Tests of the packed-activation calls ---===//
//
// Calls `qc_rt_threshold_pack_i16/_i32` and `qc_rt_max_pool2d_i16` as
// compiled code does and checks them against brute force: sums of 1 to 3
// words of channels (the last word's tail given the thresholds that make its
// bits 0), pixels and rows further apart than their channels (views of
// padded buffers), words written into the interior of a padded buffer whose
// border must stay as it was, equal, crossed and unreachable thresholds,
// both planes, i16 and i32 sums, batch 1 and 7; pooling with 2x2 and 3x3
// windows, stride 2, dilation 2, channel counts below, at and above the
// 32-lane vector, and an output that already holds values (the call folds
// them into the max). CMake runs every test at each instruction-set cap.
//
//===----------------------------------------------------------------------===//

#include "gtest/gtest.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace {
template <typename T, int Rank> struct Desc {
  T *allocated, *aligned;
  int64_t offset, sizes[Rank], strides[Rank];
};
} // namespace

extern "C" {
int32_t _mlir_ciface_qc_rt_threshold_pack_i16(Desc<int16_t, 5> *,
                                              Desc<int32_t, 2> *,
                                              Desc<int32_t, 4> *, int64_t);
int32_t _mlir_ciface_qc_rt_threshold_pack_i32(Desc<int32_t, 5> *,
                                              Desc<int32_t, 2> *,
                                              Desc<int32_t, 4> *, int64_t);
int32_t _mlir_ciface_qc_rt_max_pool2d_i16(Desc<int16_t, 4> *,
                                          Desc<int16_t, 4> *, int64_t, int64_t,
                                          int64_t, int64_t, int64_t, int64_t);
}

namespace {

struct PackCase {
  int64_t n, h, w, words, channels; // channels <= 32 * words
  bool nonzero;
};

template <typename T> void checkThresholdPack(const PackCase &c, bool wide) {
  std::mt19937 random(static_cast<uint32_t>(c.n * 131 + c.h * 17 + c.w * 7 +
                                            c.words + c.channels + wide));
  const int64_t padded = 32 * c.words;
  // Pixels 8 elements apart beyond their channels, rows 3 pixels more.
  const int64_t pixel = padded + 8, row = (c.w + 3) * pixel,
                image = c.h * row + 5;
  std::vector<T> sums(c.n * image);
  std::uniform_int_distribution<int> value(-40, 40);
  for (T &s : sums)
    s = static_cast<T>(value(random));
  // Thresholds: a few special rows, the rest random (and sometimes crossed:
  // the table holds each channel's lowest and highest).
  std::vector<int32_t> table(2 * padded);
  for (int64_t ch = 0; ch < padded; ++ch) {
    int32_t lo = value(random), hi = value(random);
    if (lo > hi)
      std::swap(lo, hi);
    if (ch % 11 == 3)
      hi = lo; // no zero level
    if (ch % 13 == 5)
      lo = std::numeric_limits<int32_t>::min(); // never -1
    if (ch % 17 == 7)
      hi = std::numeric_limits<int32_t>::max(); // never +1
    if (ch >= c.channels) {
      lo = std::numeric_limits<int32_t>::min();
      hi = std::numeric_limits<int32_t>::max();
    }
    table[ch] = lo;
    table[padded + ch] = hi;
  }
  // Words into the interior of a buffer with a border of 1 pixel.
  const int64_t outW = c.w + 2, outH = c.h + 2;
  const uint32_t border = 0xdeadbeefu;
  std::vector<int32_t> out(c.n * outH * outW * c.words,
                           static_cast<int32_t>(border));
  for (int64_t n = 0; n < c.n; ++n)
    for (int64_t y = 0; y < c.h; ++y)
      for (int64_t x = 0; x < c.w; ++x)
        for (int64_t j = 0; j < c.words; ++j)
          out[((n * outH + y + 1) * outW + x + 1) * c.words + j] = 0;
  std::vector<int32_t> expected = out;
  for (int64_t n = 0; n < c.n; ++n)
    for (int64_t y = 0; y < c.h; ++y)
      for (int64_t x = 0; x < c.w; ++x)
        for (int64_t j = 0; j < c.words; ++j) {
          uint32_t bits = 0;
          for (int b = 0; b < 32; ++b) {
            int64_t ch = 32 * j + b;
            int32_t s = sums[n * image + y * row + x * pixel + ch];
            bool bit = s < table[ch] || (c.nonzero && s >= table[padded + ch]);
            bits |= static_cast<uint32_t>(bit) << b;
          }
          expected[((n * outH + y + 1) * outW + x + 1) * c.words + j] =
              static_cast<int32_t>(bits);
        }
  Desc<T, 5> s{sums.data(),
               sums.data(),
               0,
               {c.n, c.h, c.w, c.words, 32},
               {image, row, pixel, 32, 1}};
  Desc<int32_t, 2> t{table.data(), table.data(), 0, {2, padded}, {padded, 1}};
  Desc<int32_t, 4> o{out.data(),
                     out.data(),
                     (outW + 1) * c.words,
                     {c.n, c.h, c.w, c.words},
                     {outH * outW * c.words, outW * c.words, c.words, 1}};
  int32_t status;
  if constexpr (sizeof(T) == 2)
    status = _mlir_ciface_qc_rt_threshold_pack_i16(&s, &t, &o, c.nonzero);
  else
    status = _mlir_ciface_qc_rt_threshold_pack_i32(&s, &t, &o, c.nonzero);
  ASSERT_EQ(status, 0);
  for (size_t i = 0; i < out.size(); ++i)
    ASSERT_EQ(static_cast<uint32_t>(out[i]), static_cast<uint32_t>(expected[i]))
        << "element " << i << (wide ? " (i32 sums)" : " (i16 sums)");
}

TEST(ThresholdPack, MatchesBruteForce) {
  const PackCase cases[] = {{1, 1, 1, 1, 32, false}, {1, 3, 5, 1, 7, true},
                            {7, 2, 3, 2, 64, true},  {2, 5, 4, 3, 70, false},
                            {1, 4, 9, 2, 40, true},  {7, 1, 2, 3, 96, true}};
  for (const PackCase &c : cases) {
    checkThresholdPack<int16_t>(c, false);
    checkThresholdPack<int32_t>(c, true);
  }
}

TEST(ThresholdPack, RejectsSplitChannels) {
  std::vector<int16_t> sums(64);
  std::vector<int32_t> table(64), out(2);
  // Channels of a word not contiguous.
  Desc<int16_t, 5> s{
      sums.data(), sums.data(), 0, {1, 1, 1, 1, 32}, {64, 64, 64, 32, 2}};
  Desc<int32_t, 2> t{table.data(), table.data(), 0, {2, 32}, {32, 1}};
  Desc<int32_t, 4> o{out.data(), out.data(), 0, {1, 1, 1, 1}, {1, 1, 1, 1}};
  EXPECT_NE(_mlir_ciface_qc_rt_threshold_pack_i16(&s, &t, &o, 0), 0);
  // A table of the wrong width.
  s.strides[4] = 1;
  t.sizes[1] = 64;
  EXPECT_NE(_mlir_ciface_qc_rt_threshold_pack_i16(&s, &t, &o, 0), 0);
}

struct PoolCase {
  int64_t n, h, w, c, kernel, stride, dilation;
};

TEST(MaxPoolI16, MatchesBruteForce) {
  const PoolCase cases[] = {{1, 4, 4, 6, 2, 2, 1},
                            {7, 6, 5, 32, 2, 2, 1},
                            {2, 7, 7, 40, 3, 2, 1},
                            {1, 9, 8, 70, 3, 1, 2},
                            {7, 5, 9, 1, 2, 1, 1}};
  std::mt19937 random(5);
  std::uniform_int_distribution<int> value(-32768, 32767);
  for (const PoolCase &p : cases) {
    const int64_t span = (p.kernel - 1) * p.dilation;
    const int64_t oh = (p.h - span - 1) / p.stride + 1,
                  ow = (p.w - span - 1) / p.stride + 1;
    std::vector<int16_t> in(p.n * p.h * p.w * p.c), out(p.n * oh * ow * p.c);
    for (int16_t &v : in)
      v = static_cast<int16_t>(value(random));
    for (int16_t &v : out)
      v = static_cast<int16_t>(value(random) / 2);
    std::vector<int16_t> expected = out;
    for (int64_t n = 0; n < p.n; ++n)
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t x = 0; x < ow; ++x)
          for (int64_t ch = 0; ch < p.c; ++ch) {
            int16_t &m = expected[((n * oh + y) * ow + x) * p.c + ch];
            for (int64_t ky = 0; ky < p.kernel; ++ky)
              for (int64_t kx = 0; kx < p.kernel; ++kx)
                m = std::max(
                    m, in[((n * p.h + y * p.stride + ky * p.dilation) * p.w +
                           x * p.stride + kx * p.dilation) *
                              p.c +
                          ch]);
          }
    Desc<int16_t, 4> i{in.data(),
                       in.data(),
                       0,
                       {p.n, p.h, p.w, p.c},
                       {p.h * p.w * p.c, p.w * p.c, p.c, 1}};
    Desc<int16_t, 4> o{out.data(),
                       out.data(),
                       0,
                       {p.n, oh, ow, p.c},
                       {oh * ow * p.c, ow * p.c, p.c, 1}};
    ASSERT_EQ(_mlir_ciface_qc_rt_max_pool2d_i16(&i, &o, p.kernel, p.kernel,
                                                p.stride, p.stride, p.dilation,
                                                p.dilation),
              0);
    EXPECT_EQ(out, expected) << "case " << p.n << "x" << p.h << "x" << p.w
                             << "x" << p.c << " k" << p.kernel;
  }
}

} // namespace
