//===- CentroidConvTest.cpp - Tests of the codebook convolution -*- C++ -*-===//
//
// Checks centroidConv and centroidDense (CentroidConv.h) bit for bit
// against a plain loop over the buckets, written here from the layer's
// window positions (kh, kw, c) rather than from the kernel's offsets. Shapes
// with tails: output widths 1, 7, 17 and 33, channels 1, 3, 6 and 16, k = 2,
// 3, 4 and 16 with zero centroids and empty buckets, 3x3 and 5x5 windows,
// strides 2 and 3, dilation 2, batch 1 and 7, float and int32 inputs (the
// int32 sums wrapping), inputs and outputs as views into larger buffers,
// calls large enough to go to the thread pool and batches whose planar
// copies do not fit the scratch budget at once. Values chosen so that a
// fused multiply-add would round differently show that none is used.
//
// Every case runs at each instruction-set level up to the CPU's, lowered to
// QC_TEST_UKERNEL_ISA (CMake registers the tests once per cap), and through
// the default dispatch.
//
//===----------------------------------------------------------------------===//

#include "runtime/CentroidConv.h"

#include "runtime/CpuFeatures.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace mlir::qc;

namespace {

/// The levels to compare: the CPU's (as capped) and the ones below it that
/// have a route of their own, lowered to QC_TEST_UKERNEL_ISA.
std::vector<int32_t> getLevels() {
  int32_t top = qc_rt_isa_level();
  const char *cap = std::getenv("QC_TEST_UKERNEL_ISA");
  std::string name = cap ? cap : "native";
  if (name == "avx2")
    top = top < kIsaAvx2 ? top : int32_t(kIsaAvx2);
  else if (name == "x86-64")
    top = kIsaBaseline;
  std::vector<int32_t> levels;
  for (int32_t level : {kIsaBaseline, kIsaAvx2, kIsaAvx512})
    if (level <= top)
      levels.push_back(level);
  return levels;
}

/// x * y then + z, each rounded (what the kernel must compute).
float mulThenAdd(float x, float y, float z) {
#ifdef __clang__
#pragma clang fp contract(off)
#endif
  volatile float product = x * y;
  return z + product;
}

/// A codebook layer as the compiler sees it: per filter, the centroid
/// index of every window position (kh, kw, c), and the centroids.
struct Layer {
  int64_t filters, kh, kw, channels, k;
  /// [O][KH][KW][C].
  std::vector<int32_t> index;
  /// [O][k].
  std::vector<float> centroids;

  /// Window position p = (kh * KW + kw) * C + c of the buckets, the
  /// compiler's order; buckets of zero centroids empty.
  std::vector<std::vector<int64_t>> buckets() const {
    std::vector<std::vector<int64_t>> result(filters * k);
    const int64_t window = kh * kw * channels;
    for (int64_t o = 0; o < filters; ++o)
      for (int64_t p = 0; p < window; ++p) {
        int32_t j = index[o * window + p];
        if (centroids[o * k + j] != 0.0f)
          result[o * k + j].push_back(p);
      }
    return result;
  }
};

Layer makeLayer(std::mt19937 &rng, int64_t filters, int64_t kh, int64_t kw,
                int64_t channels, int64_t k) {
  Layer layer{filters, kh, kw, channels, k, {}, {}};
  std::uniform_int_distribution<int32_t> pick(0, static_cast<int32_t>(k - 1));
  layer.index.resize(filters * kh * kw * channels);
  for (int32_t &j : layer.index)
    j = pick(rng);
  std::normal_distribution<float> normal(0.0f, 0.7f);
  layer.centroids.resize(filters * k);
  for (int64_t o = 0; o < filters; ++o)
    for (int64_t j = 0; j < k; ++j) {
      // Ternary-like codebooks {-a, 0, +a} for k = 3, else a zero now and
      // then.
      float a = std::fabs(normal(rng)) + 0.05f;
      float c = k == 3 ? (j == 0   ? -a
                          : j == 1 ? 0.0f
                                   : a)
                       : (rng() % 5 == 0 ? 0.0f : normal(rng));
      layer.centroids[o * k + j] = c;
    }
  return layer;
}

/// The kernel's tables for `layer`, with the offset of window position p.
template <typename OffsetFn>
void makeTables(const Layer &layer, OffsetFn offset,
                std::vector<int32_t> &positions, std::vector<int32_t> &starts) {
  positions.clear();
  starts.assign(1, 0);
  for (const std::vector<int64_t> &bucket : layer.buckets()) {
    for (int64_t p : bucket)
      positions.push_back(static_cast<int32_t>(offset(p)));
    starts.push_back(static_cast<int32_t>(positions.size()));
  }
}

/// The reference loop for one output element, `in(p)` the input at window
/// position p. Float sums in float, int32 sums wrapping in int32.
template <typename T, typename InputFn>
float referenceElement(const Layer &layer,
                       const std::vector<std::vector<int64_t>> &buckets,
                       int64_t o, InputFn in) {
  float acc = 0.0f;
  for (int64_t j = 0; j < layer.k; ++j) {
    float sum;
    if constexpr (std::is_same_v<T, float>) {
      float s = 0.0f;
      for (int64_t p : buckets[o * layer.k + j])
        s = s + in(p);
      sum = s;
    } else {
      uint32_t s = 0;
      for (int64_t p : buckets[o * layer.k + j])
        s += static_cast<uint32_t>(in(p));
      sum = static_cast<float>(static_cast<int32_t>(s));
    }
    acc = mulThenAdd(layer.centroids[o * layer.k + j], sum, acc);
  }
  return acc;
}

template <typename T> T randomInput(std::mt19937 &rng, bool wide) {
  if constexpr (std::is_same_v<T, float>) {
    std::normal_distribution<float> normal(0.0f, 1.0f);
    float v = normal(rng);
    return rng() % 9 == 0 ? 0.0f
           : wide         ? std::ldexp(v, int(rng() % 40) - 20)
                          : v;
  } else {
    // Wide values make the sums wrap.
    return wide ? static_cast<int32_t>(rng())
                : static_cast<int32_t>(rng() % 256) - 128;
  }
}

/// The first differing float of two buffers, for the failure message.
std::string describeMismatch(const std::vector<float> &got,
                             const std::vector<float> &want) {
  for (size_t i = 0; i < got.size(); ++i)
    if (std::memcmp(&got[i], &want[i], sizeof(float)) != 0)
      return "element " + std::to_string(i) + ": got " +
             std::to_string(got[i]) + ", want " + std::to_string(want[i]);
  return "no mismatch";
}

struct ConvCase {
  int64_t batch, outH, outW, channels, filters, kh, kw, strideH, strideW,
      dilation, k;
};

template <typename T> void checkConvCases(uint32_t seed, bool wide) {
  std::mt19937 rng(seed);
  const ConvCase cases[] = {
      {1, 10, 10, 6, 16, 5, 5, 1, 1, 1, 3},  // LeNet-5's conv2, ternary
      {1, 5, 7, 3, 5, 3, 3, 1, 1, 1, 4},     // a partial vector
      {7, 3, 17, 1, 33, 3, 3, 1, 1, 1, 2},   // batch 7, two filter tiles
      {2, 4, 33, 16, 7, 3, 3, 2, 2, 1, 16},  // stride 2, many empty buckets
      {1, 6, 1, 6, 3, 5, 5, 1, 1, 2, 3},     // one column, dilation 2
      {7, 5, 7, 3, 20, 3, 3, 1, 2, 2, 4},    // strides 1 x 2, dilation 2
      {1, 2, 33, 6, 40, 3, 3, 1, 1, 1, 16},  // 40 filters: tiles 32 + 8
      {2, 1, 7, 6, 9, 3, 3, 1, 1, 1, 3},     // one vector: 4 buckets at once
      {1, 2, 7, 3, 5, 3, 3, 1, 1, 1, 16},    // two vectors: 2 buckets at once
      {3, 9, 17, 16, 16, 5, 5, 2, 3, 1, 3},  // strides 2 x 3
      {1, 30, 30, 16, 32, 3, 3, 1, 1, 1, 4}, // on the pool, row blocks
      {7, 12, 12, 8, 24, 3, 3, 1, 1, 1, 3},  // on the pool, batch 7
      // Images of 80 x 80 x 48 elements: more than the scratch budget of a
      // call takes at once (groups of 6 + 1 images).
      {7, 78, 78, 48, 1, 3, 3, 1, 1, 1, 2},
  };
  const std::vector<int32_t> levels = getLevels();
  for (const ConvCase &t : cases) {
    // Padded sizes, with a spare row and column the windows never reach.
    const int64_t height =
        (t.outH - 1) * t.strideH + (t.kh - 1) * t.dilation + 1 + 1;
    const int64_t width =
        (t.outW - 1) * t.strideW + (t.kw - 1) * t.dilation + 1 + 1;
    const int64_t c = t.channels, o = t.filters;
    Layer layer = makeLayer(rng, o, t.kh, t.kw, c, t.k);
    std::vector<std::vector<int64_t>> buckets = layer.buckets();
    std::vector<int32_t> positions, starts;
    makeTables(
        layer,
        [&](int64_t p) {
          int64_t ch = p % c, tap = p / c;
          return ch * height * width + tap / t.kw * t.dilation * width +
                 tap % t.kw * t.dilation;
        },
        positions, starts);
    // The input is the interior of a larger buffer (one more image row,
    // three more columns, two more channels); the output too.
    const int64_t inStrides[4] = {(height + 1) * (width + 3) * (c + 2),
                                  (width + 3) * (c + 2), c + 2, 1};
    const int64_t inOrigin = inStrides[1] + 2 * inStrides[2] + 1;
    std::vector<T> input(t.batch * inStrides[0] + inOrigin);
    for (T &v : input)
      v = randomInput<T>(rng, wide);
    const int64_t outStrides[4] = {(t.outH + 1) * (t.outW + 2) * (o + 3),
                                   (t.outW + 2) * (o + 3), o + 3, 1};
    const int64_t outOrigin = outStrides[2] + 1;
    for (bool accumulate : {false, true}) {
      std::vector<float> initial(t.batch * outStrides[0] + outOrigin);
      std::normal_distribution<float> normal;
      for (float &v : initial)
        v = normal(rng);
      std::vector<float> want = initial;
      for (int64_t n = 0; n < t.batch; ++n)
        for (int64_t y = 0; y < t.outH; ++y)
          for (int64_t x = 0; x < t.outW; ++x)
            for (int64_t f = 0; f < o; ++f) {
              float acc =
                  referenceElement<T>(layer, buckets, f, [&](int64_t p) {
                    int64_t ch = p % c, tap = p / c;
                    int64_t iy = y * t.strideH + tap / t.kw * t.dilation;
                    int64_t ix = x * t.strideW + tap % t.kw * t.dilation;
                    return input[inOrigin + n * inStrides[0] +
                                 iy * inStrides[1] + ix * inStrides[2] + ch];
                  });
              float &out = want[outOrigin + n * outStrides[0] +
                                y * outStrides[1] + x * outStrides[2] + f];
              out = accumulate ? out + acc : acc;
            }
      CentroidConvProblem problem;
      problem.g = {{t.batch, height, width, c},
                   {inStrides[0], inStrides[1], inStrides[2], 1},
                   {t.batch, t.outH, t.outW, o},
                   {outStrides[0], outStrides[1], outStrides[2], 1},
                   t.kh,
                   t.kw,
                   t.strideH,
                   t.strideW,
                   t.dilation,
                   t.dilation,
                   accumulate};
      problem.input = input.data() + inOrigin;
      problem.tables = {positions.data(), starts.data(), layer.centroids.data(),
                        t.k};
      problem.intInput = std::is_same_v<T, int32_t>;
      problem.output = want.data() + outOrigin;
      ASSERT_TRUE(canRunCentroidConv(problem));
      for (int32_t level : levels)
        for (bool viaDefault : {false, true}) {
          if (viaDefault && level != levels.back())
            continue;
          std::vector<float> got = initial;
          problem.output = got.data() + outOrigin;
          ASSERT_TRUE(viaDefault ? centroidConv(problem)
                                 : centroidConvAtLevel(problem, level));
          ASSERT_TRUE(std::memcmp(got.data(), want.data(),
                                  got.size() * sizeof(float)) == 0)
              << "level " << level << (viaDefault ? " (default)" : "")
              << ", batch " << t.batch << ", out " << t.outH << "x" << t.outW
              << "x" << o << ", C " << c << ", k " << t.k << ", accumulate "
              << accumulate << ": " << describeMismatch(got, want);
        }
    }
  }
}

TEST(CentroidConv, FloatMatchesReferenceBitForBit) {
  checkConvCases<float>(1, false);
}
TEST(CentroidConv, FloatWideRangeMatchesReferenceBitForBit) {
  checkConvCases<float>(2, true);
}
TEST(CentroidConv, Int32MatchesReferenceBitForBit) {
  checkConvCases<int32_t>(3, false);
}
TEST(CentroidConv, Int32WrappingSumsMatchReferenceBitForBit) {
  checkConvCases<int32_t>(4, true);
}

struct DenseCase {
  int64_t rows, depth, filters, k;
};

template <typename T> void checkDenseCases(uint32_t seed, bool wide) {
  std::mt19937 rng(seed);
  const DenseCase cases[] =
      {
          {1, 400, 120, 3}, {7, 33, 10, 16},   {16, 84, 10, 4},
          {17, 120, 84, 2}, {64, 400, 120, 3}, {64, 400, 120, 16},
          {200, 50, 33, 4}, // 13 vectors: blocks of 7 + 6
      };
  const std::vector<int32_t> levels = getLevels();
  for (const DenseCase &t : cases) {
    Layer layer = makeLayer(rng, t.filters, 1, 1, t.depth, t.k);
    std::vector<std::vector<int64_t>> buckets = layer.buckets();
    std::vector<int32_t> positions, starts;
    makeTables(
        layer, [](int64_t p) { return p; }, positions, starts);
    const int64_t inRowStride = t.depth + 5, outRowStride = t.filters + 3;
    std::vector<T> input(t.rows * inRowStride);
    for (T &v : input)
      v = randomInput<T>(rng, wide);
    for (bool accumulate : {false, true}) {
      std::vector<float> initial(t.rows * outRowStride);
      std::normal_distribution<float> normal;
      for (float &v : initial)
        v = normal(rng);
      std::vector<float> want = initial;
      for (int64_t r = 0; r < t.rows; ++r)
        for (int64_t f = 0; f < t.filters; ++f) {
          float acc = referenceElement<T>(layer, buckets, f, [&](int64_t p) {
            return input[r * inRowStride + p];
          });
          float &out = want[r * outRowStride + f];
          out = accumulate ? out + acc : acc;
        }
      CentroidDenseProblem problem;
      problem.input = input.data();
      problem.rows = t.rows;
      problem.depth = t.depth;
      problem.inRowStride = inRowStride;
      problem.filters = t.filters;
      problem.outRowStride = outRowStride;
      problem.tables = {positions.data(), starts.data(), layer.centroids.data(),
                        t.k};
      problem.intInput = std::is_same_v<T, int32_t>;
      problem.accumulate = accumulate;
      for (int32_t level : levels) {
        std::vector<float> got = initial;
        problem.output = got.data();
        ASSERT_TRUE(canRunCentroidDense(problem));
        ASSERT_TRUE(centroidDenseAtLevel(problem, level));
        ASSERT_TRUE(std::memcmp(got.data(), want.data(),
                                got.size() * sizeof(float)) == 0)
            << "level " << level << ", rows " << t.rows << ", depth " << t.depth
            << ", filters " << t.filters << ", k " << t.k << ", accumulate "
            << accumulate << ": " << describeMismatch(got, want);
      }
    }
  }
}

TEST(CentroidDense, FloatMatchesReferenceBitForBit) {
  checkDenseCases<float>(5, true);
}
TEST(CentroidDense, Int32WrappingSumsMatchReferenceBitForBit) {
  checkDenseCases<int32_t>(6, true);
}

// Two buckets per filter: c0 = -1 over input a, then c1 over input b, with
// c1 * b exactly halfway between two floats, so that acc + c1 * b rounds
// the product first (giving 0) and a fused multiply-add does not. Float
// inputs: a = 1 + 2^-11, b = c1 = 1 + 2^-12; int32 inputs: a = 4098, b =
// 4097. A 1x1 convolution over two channels, widths that fill whole and
// partial vectors, and the dense form.
template <typename T> void checkNoContraction() {
  const float c1 = 1.0f + std::ldexp(1.0f, -12);
  T a, b;
  if constexpr (std::is_same_v<T, float>) {
    a = 1.0f + std::ldexp(1.0f, -11);
    b = c1;
  } else {
    a = 4098;
    b = 4097;
  }
  const float acc = -static_cast<float>(a);
  ASSERT_EQ(mulThenAdd(c1, static_cast<float>(b), acc), 0.0f);
  ASSERT_NE(std::fma(c1, static_cast<float>(b), acc), 0.0f)
      << "the values do not tell a fused multiply-add apart";
  const float centroids[2] = {-1.0f, c1};
  const int32_t starts[3] = {0, 1, 2};
  const std::vector<int32_t> levels = getLevels();
  for (int64_t width : {1, 16, 37, 130}) {
    std::vector<T> input(2 * width);
    for (int64_t x = 0; x < width; ++x) {
      input[2 * x] = a;
      input[2 * x + 1] = b;
    }
    // Channel 0 then channel 1: planar offsets 0 and the plane's size.
    const int32_t positions[2] = {0, static_cast<int32_t>(width)};
    CentroidConvProblem conv;
    conv.g = {{1, 1, width, 2},
              {2 * width, 2 * width, 2, 1},
              {1, 1, width, 1},
              {width, width, 1, 1},
              1,
              1,
              1,
              1,
              1,
              1,
              false};
    conv.input = input.data();
    conv.tables = {positions, starts, centroids, 2};
    conv.intInput = std::is_same_v<T, int32_t>;
    std::vector<float> out(width, 1.0f), outDense(width, 1.0f);
    conv.output = out.data();
    ASSERT_TRUE(canRunCentroidConv(conv));
    const int32_t densePositions[2] = {0, 1};
    CentroidDenseProblem dense{input.data(),
                               width,
                               2,
                               2,
                               outDense.data(),
                               1,
                               1,
                               {densePositions, starts, centroids, 2},
                               std::is_same_v<T, int32_t>,
                               false};
    ASSERT_TRUE(canRunCentroidDense(dense));
    for (int32_t level : levels) {
      std::fill(out.begin(), out.end(), 1.0f);
      std::fill(outDense.begin(), outDense.end(), 1.0f);
      ASSERT_TRUE(centroidConvAtLevel(conv, level));
      ASSERT_TRUE(centroidDenseAtLevel(dense, level));
      for (int64_t x = 0; x < width; ++x) {
        EXPECT_EQ(std::signbit(out[x]), false);
        EXPECT_EQ(out[x], 0.0f) << "level " << level << " width " << width;
        EXPECT_EQ(outDense[x], 0.0f)
            << "level " << level << " width " << width << " (dense)";
      }
    }
  }
}

TEST(CentroidConv, ProductsAreRoundedBeforeTheAddFloat) {
  checkNoContraction<float>();
}
TEST(CentroidConv, ProductsAreRoundedBeforeTheAddInt32) {
  checkNoContraction<int32_t>();
}

// An empty bucket adds c * 0: nothing for a finite c, NaN for an infinite
// one (the kernel skips only the first kind). 60 pixels (blocks of one
// bucket at a time) and one dense row (four buckets at once).
TEST(CentroidConv, EmptyBucketOfInfiniteCentroidGivesNaN) {
  std::vector<float> input(1 * 3 * 20 * 1, 1.0f);
  const float centroids[4] = {0.5f, std::numeric_limits<float>::infinity(),
                              0.0f, -1.0f};
  const int32_t positions[2] = {0, 0};
  const int32_t starts[5] = {0, 1, 1, 1, 2};
  for (int32_t level : getLevels()) {
    std::vector<float> out(3 * 20, 0.0f), outDense(1, 0.0f);
    CentroidConvProblem conv;
    conv.g = {{1, 3, 20, 1},
              {60, 20, 1, 1},
              {1, 3, 20, 1},
              {60, 20, 1, 1},
              1,
              1,
              1,
              1,
              1,
              1,
              false};
    conv.input = input.data();
    conv.output = out.data();
    conv.tables = {positions, starts, centroids, 4};
    conv.intInput = false;
    ASSERT_TRUE(centroidConvAtLevel(conv, level));
    for (float v : out)
      EXPECT_TRUE(std::isnan(v)) << "level " << level;
    CentroidDenseProblem dense{
        input.data(),    1,    1, 1,
        outDense.data(), 1,    1, {positions, starts, centroids, 4},
        false,           false};
    ASSERT_TRUE(canRunCentroidDense(dense));
    ASSERT_TRUE(centroidDenseAtLevel(dense, level));
    EXPECT_TRUE(std::isnan(outDense[0])) << "level " << level << " (dense)";
  }
}

// Tables that do not fit the geometry are refused, and a strided call whose
// offsets do not decode to window positions writes nothing.
TEST(CentroidConv, RejectsTablesThatDoNotFit) {
  std::vector<float> input(1 * 6 * 6 * 2, 1.0f), out(1 * 2 * 2 * 1, 7.0f);
  const float centroids[2] = {1.0f, -1.0f};
  // 3x3 window, stride 2: offsets c * 36 + kh * 6 + kw.
  int32_t positions[3] = {0, 7, 36 + 14};
  int32_t starts[3] = {0, 2, 3};
  CentroidConvProblem conv;
  conv.g = {{1, 6, 6, 2},
            {72, 12, 2, 1},
            {1, 2, 2, 1},
            {4, 2, 1, 1},
            3,
            3,
            2,
            2,
            1,
            1,
            false};
  conv.input = input.data();
  conv.output = out.data();
  conv.tables = {positions, starts, centroids, 2};
  conv.intInput = false;
  ASSERT_TRUE(canRunCentroidConv(conv));
  positions[2] = 36 + 2 * 6 + 2 + 1; // past the window's span
  EXPECT_FALSE(canRunCentroidConv(conv));
  positions[2] = 5; // inside the span, but column 5 of a 3-wide window
  ASSERT_TRUE(canRunCentroidConv(conv));
  EXPECT_FALSE(centroidConv(conv));
  for (float v : out)
    EXPECT_EQ(v, 7.0f);
  positions[2] = -1;
  EXPECT_FALSE(canRunCentroidConv(conv));
  positions[2] = 0;
  starts[1] = 4; // falling starts
  EXPECT_FALSE(canRunCentroidConv(conv));
  starts[1] = 2;
  starts[0] = 1; // not from 0
  EXPECT_FALSE(canRunCentroidConv(conv));
  starts[0] = 0;
  conv.tables.count = 0;
  EXPECT_FALSE(canRunCentroidConv(conv));
  conv.tables.count = 2;
  conv.g.outSizes[1] = 3; // windows past the input
  EXPECT_FALSE(canRunCentroidConv(conv));

  positions[1] = 3;

  CentroidDenseProblem dense{
      input.data(), 3,    4, 4,
      out.data(),   1,    1, {positions, starts, centroids, 2},
      false,        false};
  EXPECT_TRUE(canRunCentroidDense(dense));
  positions[1] = 4; // column 4 of 4
  EXPECT_FALSE(canRunCentroidDense(dense));
  positions[1] = 3;
  dense.outRowStride = 0; // rows on top of each other
  EXPECT_FALSE(canRunCentroidDense(dense));
}

} // namespace
