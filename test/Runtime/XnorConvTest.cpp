//===- XnorConvTest.cpp - Tests of the binary convolution ukernel -*- C++ -*-=//
//
// Calls qc_rt_xnor_conv2d_i16 / _i32 the way compiled code does and checks
// them against a reference that never counts bits in words: every channel
// of the window is unpacked to -1, 0 or +1 and multiplied out. Shapes with
// tails: word counts 1 to 3, output channels that are not a multiple of the
// 32-channel tile, widths that are not a multiple of the 12-pixel tile,
// stride 2, dilation 2, batch 1 and 7, with and without a mask, and a 16-bit
// output whose sums wrap. The calls with a fused output stage (_dequant,
// _requant) are checked bit for bit against the plain calls' sums with the
// stage applied afterwards (applyIntEpilogue). qc_rt_bitpack_f32, which
// packs the signs these kernels read, is checked against scalar compares.
// The instruction-set caps of XnorGemmTest.cpp apply (one test binary): the
// VPOPCNTDQ route runs natively where the CPU has it, the portable loops
// under the avx2 and x86-64 caps.
//
//===----------------------------------------------------------------------===//

#include "runtime/IntEpilogue.h"
#include "runtime/RuntimeCalls.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <type_traits>
#include <thread>
#include <vector>

namespace {

template <typename T> struct Desc4 {
  T *allocated, *aligned;
  int64_t offset, sizes[4], strides[4];
};

template <typename T>
Desc4<T> describe(std::vector<T> &data, int64_t d0, int64_t d1, int64_t d2,
                  int64_t d3) {
  return {data.data(),
          data.data(),
          0,
          {d0, d1, d2, d3},
          {d1 * d2 * d3, d2 * d3, d3, 1}};
}

} // namespace

extern "C" {
int32_t _mlir_ciface_qc_rt_xnor_conv2d_i16(Desc4<int32_t> *, Desc4<int32_t> *,
                                           Desc4<int32_t> *, Desc4<int16_t> *,
                                           int64_t, int64_t, int64_t, int64_t,
                                           int64_t);
int32_t _mlir_ciface_qc_rt_xnor_conv2d_i32(Desc4<int32_t> *, Desc4<int32_t> *,
                                           Desc4<int32_t> *, Desc4<int32_t> *,
                                           int64_t, int64_t, int64_t, int64_t,
                                           int64_t);
struct FloatVector {
  float *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
};
int32_t _mlir_ciface_qc_rt_xnor_conv2d_i16_dequant(
    Desc4<int32_t> *, Desc4<int32_t> *, Desc4<int32_t> *, Desc4<float> *,
    int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, FloatVector *,
    FloatVector *, int64_t);
int32_t _mlir_ciface_qc_rt_xnor_conv2d_i32_dequant(
    Desc4<int32_t> *, Desc4<int32_t> *, Desc4<int32_t> *, Desc4<float> *,
    int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, FloatVector *,
    FloatVector *, int64_t);
int32_t _mlir_ciface_qc_rt_xnor_conv2d_i16_requant(
    Desc4<int32_t> *, Desc4<int32_t> *, Desc4<int32_t> *, Desc4<int32_t> *,
    int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, FloatVector *,
    FloatVector *, int64_t, float, float, float, float, int64_t);
int32_t _mlir_ciface_qc_rt_xnor_conv2d_i32_requant(
    Desc4<int32_t> *, Desc4<int32_t> *, Desc4<int32_t> *, Desc4<int32_t> *,
    int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, FloatVector *,
    FloatVector *, int64_t, float, float, float, float, int64_t);
struct WordVector {
  int32_t *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
};
int32_t _mlir_ciface_qc_rt_bitpack_f32(FloatVector *, WordVector *, int64_t);
}

namespace {

struct XnorCase {
  int64_t batch, inH, inW, words, channels, kh, kw, stride, dilation;
};

/// The value of bit b of a sign word: 1 is -1.
int sign(uint32_t word, int b) { return (word >> b) & 1 ? -1 : 1; }

template <typename T> void checkCases(bool masked, uint32_t seed) {
  std::mt19937 rng(seed);
  const XnorCase cases[] = {
      {1, 30, 30, 1, 32, 3, 3, 1, 1}, // VGG-small's second layer
      {3, 9, 11, 2, 33, 3, 3, 2, 1},  // a tail channel, stride 2
      {2, 13, 10, 3, 7, 3, 3, 1, 2},  // three words, dilation 2
      {7, 5, 23, 1, 64, 1, 2, 1, 1},  // batch 7, non-square window
      {1, 16, 16, 2, 70, 3, 3, 1, 1}, // 14 pixels as 7 + 7, three tiles
      // 64-channel tiles, then 32-channel ones for the rest (36 = 32 + 4;
      // 2), 13 pixels as 5 + 4 + 4 and as 7 + 6.
      {2, 15, 15, 4, 100, 3, 3, 1, 1},
      {1, 8, 15, 2, 130, 3, 3, 1, 1},
      // The mask's counts: rows in two blocks (48 rows of 100 pixels), a
      // row wider than a block (4098 pixels, counted per tile), and windows
      // wider than the per-pixel counts (4201 input columns, counted tap by
      // tap).
      {1, 50, 102, 1, 32, 3, 3, 1, 1},
      {1, 3, 4100, 1, 16, 3, 3, 1, 1},
      {1, 3, 4210, 1, 8, 1, 3, 1, 2100},
  };
  for (const XnorCase &k : cases) {
    int64_t outH = (k.inH - k.dilation * (k.kh - 1) - 1) / k.stride + 1;
    int64_t outW = (k.inW - k.dilation * (k.kw - 1) - 1) / k.stride + 1;
    std::vector<int32_t> input(k.batch * k.inH * k.inW * k.words),
        mask(input.size()), weights(k.kh * k.kw * k.words * k.channels);
    for (int32_t &v : input)
      v = static_cast<int32_t>(rng());
    for (int32_t &v : mask)
      v = static_cast<int32_t>(rng() | rng()); // three quarters present
    for (int32_t &v : weights)
      v = static_cast<int32_t>(rng());
    std::uniform_int_distribution<int32_t> init(-30000, 30000);
    std::vector<T> out(k.batch * outH * outW * k.channels);
    for (T &v : out)
      v = static_cast<T>(init(rng));
    std::vector<T> initial = out;
    Desc4<int32_t> id = describe(input, k.batch, k.inH, k.inW, k.words);
    Desc4<int32_t> md = describe(mask, k.batch, k.inH, k.inW, k.words);
    Desc4<int32_t> wd = describe(weights, k.kh, k.kw, k.words, k.channels);
    Desc4<T> od = describe(out, k.batch, outH, outW, k.channels);
    int32_t status;
    if constexpr (sizeof(T) == 2)
      status = _mlir_ciface_qc_rt_xnor_conv2d_i16(&id, &md, &wd, &od, k.stride,
                                                  k.stride, k.dilation,
                                                  k.dilation, masked);
    else
      status = _mlir_ciface_qc_rt_xnor_conv2d_i32(&id, &md, &wd, &od, k.stride,
                                                  k.stride, k.dilation,
                                                  k.dilation, masked);
    ASSERT_EQ(status, 0);
    for (int64_t n = 0; n < k.batch; ++n)
      for (int64_t y = 0; y < outH; ++y)
        for (int64_t x = 0; x < outW; ++x)
          for (int64_t o = 0; o < k.channels; ++o) {
            // Without a mask the kernel adds a * w - 1 per channel (the
            // caller's initial value holds the +1s).
            int64_t sum = 0;
            for (int64_t ky = 0; ky < k.kh; ++ky)
              for (int64_t kx = 0; kx < k.kw; ++kx)
                for (int64_t word = 0; word < k.words; ++word) {
                  int64_t at =
                      ((n * k.inH + y * k.stride + ky * k.dilation) * k.inW +
                       x * k.stride + kx * k.dilation) *
                          k.words +
                      word;
                  uint32_t a = static_cast<uint32_t>(input[at]);
                  uint32_t m = static_cast<uint32_t>(mask[at]);
                  uint32_t w = static_cast<uint32_t>(
                      weights[((ky * k.kw + kx) * k.words + word) * k.channels +
                              o]);
                  for (int b = 0; b < 32; ++b) {
                    int product = sign(a, b) * sign(w, b);
                    if (masked)
                      sum += (m >> b) & 1 ? product : 0;
                    else
                      sum += product - 1;
                  }
                }
            int64_t i = ((n * outH + y) * outW + x) * k.channels + o;
            T want = static_cast<T>(static_cast<uint64_t>(initial[i]) +
                                    static_cast<uint64_t>(sum));
            ASSERT_EQ(out[i], want)
                << "words " << k.words << " channels " << k.channels << ": n "
                << n << " y " << y << " x " << x << " o " << o;
          }
  }
}

TEST(XnorConv, MaskedI16) { checkCases<int16_t>(true, 5); }
TEST(XnorConv, MaskedI32) { checkCases<int32_t>(true, 6); }
TEST(XnorConv, UnmaskedI16) { checkCases<int16_t>(false, 7); }
TEST(XnorConv, UnmaskedI32) { checkCases<int32_t>(false, 8); }

// On a pool of one thread each image is one task, so tall images have their
// mask counts in several blocks of rows within a task.
TEST(XnorConv, MaskedOnOneThread) {
  mlir::qc::qc_rt_set_threads(1);
  checkCases<int16_t>(true, 12);
  checkCases<int32_t>(true, 13);
  mlir::qc::qc_rt_set_threads(
      static_cast<int32_t>(std::thread::hardware_concurrency()));
}

/// The output stages the fused calls are checked with.
enum class Stage { kDequantize, kDequantizeRelu, kRequantize };

/// Runs the fused call of `stage` on case `k` (sums of type T starting at
/// `init`) and compares it, bit for bit, with the plain call's sums (its
/// output filled with `init`) and applyIntEpilogue on each. The fused
/// output's pixels are 3 elements wider than its channels: the padding
/// must keep its values.
template <typename T>
void checkFusedCase(const XnorCase &k, bool masked, Stage stage, int32_t init,
                    std::mt19937 &rng) {
  int64_t outH = (k.inH - k.dilation * (k.kh - 1) - 1) / k.stride + 1;
  int64_t outW = (k.inW - k.dilation * (k.kw - 1) - 1) / k.stride + 1;
  std::vector<int32_t> input(k.batch * k.inH * k.inW * k.words),
      mask(input.size()), weights(k.kh * k.kw * k.words * k.channels);
  for (int32_t &v : input)
    v = static_cast<int32_t>(rng());
  for (int32_t &v : mask)
    v = static_cast<int32_t>(rng() | rng());
  for (int32_t &v : weights)
    v = static_cast<int32_t>(rng());
  // Per-channel scales of both signs (a zero sum then gives -0, which ReLU
  // must turn into +0) and shifts with zeros of both signs, or one shift.
  std::vector<float> scale(k.channels), shift(k.channels);
  std::uniform_real_distribution<float> magnitude(1e-3f, 0.1f), offset(-3, 3);
  for (int64_t o = 0; o < k.channels; ++o) {
    scale[o] = o % 3 == 1 ? -magnitude(rng) : magnitude(rng);
    shift[o] = o % 5 == 0 ? -0.0f : o % 5 == 1 ? 0.0f : offset(rng);
  }
  bool oneShift = stage == Stage::kRequantize;
  mlir::qc::IntEpilogue e;
  e.kind = stage == Stage::kRequantize ? mlir::qc::IntEpilogue::kRequantize
                                       : mlir::qc::IntEpilogue::kDequantize;
  e.scale = scale.data();
  e.shift = shift.data();
  e.scaleStride = 1;
  e.shiftStride = oneShift ? 0 : 1;
  e.relu = stage != Stage::kDequantize;
  e.divisor = 0.0625f;
  e.zeroPoint = 3.0f;
  e.lo = -128.0f;
  e.hi = 127.0f;
  e.roundTrip = true;

  // The plain call's sums, then the stage on each.
  std::vector<T> sums(k.batch * outH * outW * k.channels, static_cast<T>(init));
  Desc4<int32_t> id = describe(input, k.batch, k.inH, k.inW, k.words);
  Desc4<int32_t> md = describe(mask, k.batch, k.inH, k.inW, k.words);
  Desc4<int32_t> wd = describe(weights, k.kh, k.kw, k.words, k.channels);
  Desc4<T> sd = describe(sums, k.batch, outH, outW, k.channels);
  const bool wide = sizeof(T) == 4;
  int32_t status =
      wide ? _mlir_ciface_qc_rt_xnor_conv2d_i32(
                 &id, &md, &wd, reinterpret_cast<Desc4<int32_t> *>(&sd),
                 k.stride, k.stride, k.dilation, k.dilation, masked)
           : _mlir_ciface_qc_rt_xnor_conv2d_i16(
                 &id, &md, &wd, reinterpret_cast<Desc4<int16_t> *>(&sd),
                 k.stride, k.stride, k.dilation, k.dilation, masked);
  ASSERT_EQ(status, 0);

  const int64_t pixel = k.channels + 3, pixels = k.batch * outH * outW;
  const int32_t padding = 0x7fc00123; // a NaN's bits
  std::vector<int32_t> out(pixels * pixel, padding);
  std::vector<float> outF(out.size());
  std::memcpy(outF.data(), out.data(), out.size() * sizeof(int32_t));
  auto describeOut = [&](auto &data) {
    using E = typename std::remove_reference_t<decltype(data)>::value_type;
    return Desc4<E>{data.data(),
                    data.data(),
                    0,
                    {k.batch, outH, outW, k.channels},
                    {outH * outW * pixel, outW * pixel, pixel, 1}};
  };
  FloatVector sv{scale.data(), scale.data(), 0, {k.channels}, {1}};
  FloatVector hv{
      shift.data(), shift.data(), 0, {oneShift ? 1 : k.channels}, {1}};
  if (stage == Stage::kRequantize) {
    Desc4<int32_t> od = describeOut(out);
    status = (wide ? _mlir_ciface_qc_rt_xnor_conv2d_i32_requant
                   : _mlir_ciface_qc_rt_xnor_conv2d_i16_requant)(
        &id, &md, &wd, &od, k.stride, k.stride, k.dilation, k.dilation, masked,
        init, &sv, &hv, e.relu, e.divisor, e.zeroPoint, e.lo, e.hi,
        e.roundTrip);
  } else {
    Desc4<float> od = describeOut(outF);
    status = (wide ? _mlir_ciface_qc_rt_xnor_conv2d_i32_dequant
                   : _mlir_ciface_qc_rt_xnor_conv2d_i16_dequant)(
        &id, &md, &wd, &od, k.stride, k.stride, k.dilation, k.dilation, masked,
        init, &sv, &hv, e.relu);
    std::memcpy(out.data(), outF.data(), out.size() * sizeof(int32_t));
  }
  ASSERT_EQ(status, 0);
  for (int64_t p = 0; p < pixels; ++p)
    for (int64_t o = 0; o < pixel; ++o) {
      int32_t want =
          o < k.channels
              ? mlir::qc::applyIntEpilogue(e, sums[p * k.channels + o], o)
              : padding;
      ASSERT_EQ(out[p * pixel + o], want)
          << "channels " << k.channels << " words " << k.words << " batch "
          << k.batch << ": pixel " << p << " channel " << o << ", sum "
          << sums[p * k.channels + (o < k.channels ? o : 0)];
    }
}

/// Every stage on shapes with tails (channels that fill part of a 16-lane
/// vector or of a 32-channel tile, widths that leave partial register
/// tiles, batches 1 and 7), with and without a mask, on i16 sums (starting
/// near the bottom of int16, so that some wrap) and i32 sums.
template <typename T> void checkFused(uint32_t seed) {
  std::mt19937 rng(seed);
  const XnorCase cases[] = {
      {1, 9, 11, 1, 7, 3, 3, 1, 1},   // one partial vector
      {7, 7, 9, 2, 33, 3, 3, 2, 1},   // a tail channel, stride 2, batch 7
      {1, 16, 16, 3, 70, 3, 3, 1, 2}, // dilation 2, three words
      {7, 1, 13, 2, 40, 1, 1, 1, 1},  // a dense layer's one-row image
  };
  const int32_t init = sizeof(T) == 2 ? -32700 : 123456;
  for (const XnorCase &k : cases)
    for (bool masked : {false, true})
      for (Stage stage :
           {Stage::kDequantize, Stage::kDequantizeRelu, Stage::kRequantize}) {
        checkFusedCase<T>(k, masked, stage, init, rng);
        if (::testing::Test::HasFatalFailure())
          return;
      }
}

TEST(XnorConv, FusedStageI16MatchesSumsThenStage) { checkFused<int16_t>(10); }
TEST(XnorConv, FusedStageI32MatchesSumsThenStage) { checkFused<int32_t>(11); }

// A fused call whose scale vector is neither one value nor one per channel
// is refused, writing nothing.
TEST(XnorConv, FusedStageRejectsShortVectors) {
  std::vector<int32_t> input(1 * 3 * 3 * 1, 0), weights(3 * 3 * 1 * 8, 0);
  std::vector<float> out(8, 5.0f), scale(4, 1.0f), shift(1, 0.0f);
  Desc4<int32_t> id = describe(input, 1, 3, 3, 1);
  Desc4<int32_t> wd = describe(weights, 3, 3, 1, 8);
  Desc4<float> od = describe(out, 1, 1, 1, 8);
  FloatVector sv{scale.data(), scale.data(), 0, {4}, {1}};
  FloatVector hv{shift.data(), shift.data(), 0, {1}, {1}};
  EXPECT_NE(_mlir_ciface_qc_rt_xnor_conv2d_i16_dequant(&id, &id, &wd, &od, 1, 1,
                                                       1, 1, 0, 0, &sv, &hv, 0),
            0);
  EXPECT_NE(mlir::qc::qc_rt_take_status(), 0);
  for (float v : out)
    EXPECT_EQ(v, 5.0f);
}

// qc_rt_bitpack_f32 ORs into each word bit t = (value 32 j + t < 0), or for
// the mask plane (value != 0, ordered): NaN and -0.0 give 0 in both, on
// counts that leave a partial task (the pool splits 2048 words per task).
TEST(BitPack, SignsAndMaskAgainstScalarCompares) {
  std::mt19937 rng(9);
  const float specials[] = {0.0f,
                            -0.0f,
                            std::numeric_limits<float>::quiet_NaN(),
                            -std::numeric_limits<float>::infinity(),
                            -1.0f,
                            1.0f,
                            1e-38f,
                            -1e-38f};
  for (int64_t count : {1, 3, 2048 + 5}) {
    std::vector<float> values(32 * count);
    std::uniform_int_distribution<int> pick(0, 9);
    std::normal_distribution<float> normal;
    for (float &v : values) {
      int k = pick(rng);
      v = k < 8 ? specials[k] : normal(rng);
    }
    for (int64_t nonzero : {0, 1}) {
      std::vector<int32_t> words(count);
      for (int32_t &w : words)
        w = static_cast<int32_t>(rng() & rng() & rng()); // bits to keep
      std::vector<int32_t> initial = words;
      FloatVector vd{values.data(), values.data(), 0, {32 * count}, {1}};
      WordVector wd{words.data(), words.data(), 0, {count}, {1}};
      ASSERT_EQ(_mlir_ciface_qc_rt_bitpack_f32(&vd, &wd, nonzero), 0);
      for (int64_t j = 0; j < count; ++j) {
        uint32_t want = static_cast<uint32_t>(initial[j]);
        for (int t = 0; t < 32; ++t) {
          float v = values[32 * j + t];
          bool bit = nonzero ? !std::isnan(v) && v != 0.0f : v < 0.0f;
          want |= uint32_t(bit) << t;
        }
        ASSERT_EQ(static_cast<uint32_t>(words[j]), want)
            << "word " << j << " of " << count << ", nonzero " << nonzero;
      }
    }
  }
}

// Weights that are not [KH][KW][words][O] for the input's words, or a mask
// of another shape, are refused: nothing is written and the status is kept
// for the entry point.
TEST(XnorConv, RejectsMismatchedDescriptors) {
  std::vector<int32_t> input(1 * 4 * 4 * 2, 0), mask(1 * 4 * 4 * 1, 0),
      weights(3 * 3 * 1 * 8, 0);
  std::vector<int32_t> out(1 * 2 * 2 * 8, 5);
  Desc4<int32_t> id = describe(input, 1, 4, 4, 2);
  Desc4<int32_t> md = describe(mask, 1, 4, 4, 1);
  Desc4<int32_t> wd = describe(weights, 3, 3, 1, 8); // one word, not two
  Desc4<int32_t> od = describe(out, 1, 2, 2, 8);
  EXPECT_NE(
      _mlir_ciface_qc_rt_xnor_conv2d_i32(&id, &id, &wd, &od, 1, 1, 1, 1, 0), 0);
  EXPECT_NE(mlir::qc::qc_rt_take_status(), 0);
  std::vector<int32_t> weights2(3 * 3 * 2 * 8, 0);
  Desc4<int32_t> wd2 = describe(weights2, 3, 3, 2, 8);
  EXPECT_NE(
      _mlir_ciface_qc_rt_xnor_conv2d_i32(&id, &md, &wd2, &od, 1, 1, 1, 1, 1),
      0);
  EXPECT_NE(mlir::qc::qc_rt_take_status(), 0);
  for (int32_t v : out)
    EXPECT_EQ(v, 5);
}

} // namespace
