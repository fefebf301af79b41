//===- ConvAmxTest.cpp - Tests of the AMX-INT8 integer convolution --------===//
//
// The AMX route of the integer convolution (runtime/ConvAmx.h) cannot run
// on CPUs without tiles, so its blocking, addressing and tails run here on
// the tile emulator (ConvU8S8Route::kAmxEmulated), and are compared bit for
// bit with a plain convolution (int64 sums, wrapped to int32, then
// applyIntEpilogue) and with the VNNI route. Shapes with tails: channels 1,
// 3, 5, 6, 8, 12, 16, 20, 36, 64, 68, 70, 128 and 130 (no, one or two full
// 64-byte blocks, with and without a rest), output widths 1, 6, 7, 15, 16,
// 17, 18 and 33, filters 10, 16, 17, 24, 32, 33, 40 and 70, stride 2 and
// dilation 2 (also along one axis only), 1x1 to 5x5 windows, batch 1 and 7,
// padded input and output pixels, rows whose values span more than 8 bits
// (with wrapping sums), tasks of 1 to 4 output rows, and every epilogue. The
// emulator is held to the documented instruction semantics and faults on its
// own; the AMX-support tests check the detection bits, the refusals (QC_AMX=off
// and the hook) and that this CPU, if CPUID reports no AMX, never takes the
// route. The instruction-set caps of XnorGemmTest.cpp apply (one test
// binary): below AVX512-VNNI the convolution does not run at all.
//
//===----------------------------------------------------------------------===//

#include "runtime/ConvAmx.h"
#include "runtime/AmxSupport.h"
#include "runtime/ConvU8S8.h"
#include "runtime/CpuFeatures.h"

#include "gtest/gtest.h"

#include <array>
#include <cpuid.h>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace mlir::qc;

namespace {

struct Shape {
  int64_t batch, inH, inW, channels, filters, kh, kw;
  int64_t strideH, strideW, dilationH, dilationW;
  /// Extra int32 per input and output pixel (views into wider tensors).
  int64_t inPad, outPad;
  /// Whether some rows span more than 255 (the exact route).
  bool wide;
};

const Shape kShapes[] = {
    {1, 5, 18, 1, 10, 3, 3, 1, 1, 1, 1, 0, 0, false},   // 16 pixels, C 1
    {1, 6, 9, 3, 40, 3, 3, 1, 1, 1, 1, 0, 3, false},    // 7 pixels, C 3
    {7, 5, 19, 6, 70, 3, 3, 1, 1, 1, 1, 0, 0, true},    // 17 pixels, batch 7
    {1, 7, 35, 64, 32, 3, 3, 1, 1, 1, 1, 0, 0, false},  // one full K tile
    {2, 9, 35, 70, 40, 3, 3, 2, 2, 1, 1, 0, 5, false},  // stride 2, K tail 2
    {1, 9, 37, 130, 17, 3, 3, 1, 1, 2, 2, 0, 0, false}, // dilation 2, 33 px
    {1, 4, 1, 68, 16, 1, 1, 1, 1, 1, 1, 0, 0, false},   // 1 pixel, K tail 1
    {7, 3, 8, 128, 70, 1, 3, 1, 1, 1, 1, 0, 1, true},   // two full K tiles
    {1, 5, 21, 16, 33, 5, 5, 1, 1, 1, 1, 0, 0, false},  // 5x5
    {1, 6, 20, 36, 24, 3, 3, 1, 1, 1, 1, 5, 0, false},  // padded input pixels
    {1, 8, 37, 12, 24, 3, 3, 1, 2, 2, 1, 0, 0, false},  // 18 pixels
    {1, 9, 19, 20, 40, 2, 3, 2, 1, 1, 2, 0, 0, false},  // 15 pixels
    // Tall enough for 4 output rows per task, rows strideH or dilationH
    // apart in the narrowed buffer.
    {2, 70, 20, 8, 24, 3, 3, 2, 1, 1, 2, 0, 0, false},
    {1, 72, 17, 5, 33, 3, 3, 1, 1, 2, 1, 0, 2, true},
};

/// A layer, its input and the exact sums of every output.
struct Case {
  Shape s;
  int64_t outH, outW, blocks, paddedFilters;
  std::vector<int8_t> weights; // [F][KH][KW][C]
  std::vector<int8_t> packed;  // [Fp/32][KH][KW][CB][32][4]
  std::vector<int32_t> sums;   // [Fp]
  std::vector<int32_t> input;  // NHWC, pixel stride C + inPad
  std::vector<int32_t> exact;  // [N][OH][OW][F], wrapped to 32 bits

  int64_t inPixel() const { return s.channels + s.inPad; }
  int64_t outPixel() const { return s.filters + s.outPad; }
  int64_t outElements() const { return s.batch * outH * outW * outPixel(); }
};

Case makeCase(const Shape &s, std::mt19937 &rng) {
  Case k;
  k.s = s;
  k.outH = (s.inH - s.dilationH * (s.kh - 1) - 1) / s.strideH + 1;
  k.outW = (s.inW - s.dilationW * (s.kw - 1) - 1) / s.strideW + 1;
  k.blocks = (s.channels + 3) / 4;
  k.paddedFilters = (s.filters + 31) / 32 * 32;
  std::uniform_int_distribution<int> w8(-128, 127);
  k.weights.resize(s.filters * s.kh * s.kw * s.channels);
  for (int8_t &w : k.weights)
    w = static_cast<int8_t>(w8(rng));
  k.packed.assign(k.paddedFilters * s.kh * s.kw * k.blocks * 4, 0);
  k.sums.assign(k.paddedFilters, 0);
  for (int64_t f = 0; f < s.filters; ++f)
    for (int64_t ky = 0; ky < s.kh; ++ky)
      for (int64_t kx = 0; kx < s.kw; ++kx)
        for (int64_t c = 0; c < s.channels; ++c) {
          int8_t w = k.weights[((f * s.kh + ky) * s.kw + kx) * s.channels + c];
          k.packed[((((f / 32) * s.kh + ky) * s.kw + kx) * k.blocks + c / 4) *
                       128 +
                   (f % 32) * 4 + c % 4] = w;
          k.sums[f] += w;
        }
  // Values within 256 of a per-layer base (narrowed to u8), except in a
  // band of rows of the "wide" layers.
  std::uniform_int_distribution<int32_t> baseDist(-300, 300), byte(0, 255),
      big(-100000, 100000);
  const int32_t base = baseDist(rng);
  k.input.assign(s.batch * s.inH * s.inW * k.inPixel(), -7777777);
  for (int64_t n = 0; n < s.batch; ++n)
    for (int64_t y = 0; y < s.inH; ++y)
      for (int64_t x = 0; x < s.inW; ++x)
        for (int64_t c = 0; c < s.channels; ++c) {
          bool wideRow = s.wide && n == s.batch / 2 && y == s.inH / 2;
          k.input[((n * s.inH + y) * s.inW + x) * k.inPixel() + c] =
              wideRow ? big(rng) : base + byte(rng);
        }
  k.exact.resize(s.batch * k.outH * k.outW * s.filters);
  for (int64_t n = 0; n < s.batch; ++n)
    for (int64_t y = 0; y < k.outH; ++y)
      for (int64_t x = 0; x < k.outW; ++x)
        for (int64_t f = 0; f < s.filters; ++f) {
          int64_t sum = 0;
          for (int64_t ky = 0; ky < s.kh; ++ky)
            for (int64_t kx = 0; kx < s.kw; ++kx) {
              int64_t iy = y * s.strideH + ky * s.dilationH;
              int64_t ix = x * s.strideW + kx * s.dilationW;
              const int32_t *in =
                  &k.input[((n * s.inH + iy) * s.inW + ix) * k.inPixel()];
              const int8_t *w =
                  &k.weights[((f * s.kh + ky) * s.kw + kx) * s.channels];
              for (int64_t c = 0; c < s.channels; ++c)
                sum += int64_t(in[c]) * w[c];
            }
          k.exact[((n * k.outH + y) * k.outW + x) * s.filters + f] =
              static_cast<int32_t>(static_cast<uint32_t>(sum));
        }
  return k;
}

/// The epilogues each layer is checked with.
enum class Epilogue { kSums, kAccumulate, kDequantizeRelu, kRequantize };

/// Per-filter scale and shift (or one of each) and the epilogue using them.
struct EpilogueData {
  std::vector<float> scale, shift;
  IntEpilogue e;
};

EpilogueData makeEpilogue(Epilogue kind, int64_t filters, std::mt19937 &rng) {
  EpilogueData d;
  std::uniform_real_distribution<float> scale(1e-4f, 2e-3f), shift(-4, 4);
  d.scale.resize(filters);
  d.shift.resize(filters);
  for (int64_t f = 0; f < filters; ++f) {
    d.scale[f] = scale(rng);
    d.shift[f] = shift(rng);
  }
  d.e.scale = d.scale.data();
  d.e.shift = d.shift.data();
  if (kind == Epilogue::kDequantizeRelu) {
    d.e.kind = IntEpilogue::kDequantize;
    d.e.scaleStride = 1;
    d.e.shiftStride = 1;
    d.e.relu = true;
  } else if (kind == Epilogue::kRequantize) {
    d.e.kind = IntEpilogue::kRequantize;
    d.e.scaleStride = 1;
    d.e.shiftStride = 0; // one shift for all filters
    d.e.divisor = 0.0625f;
    d.e.zeroPoint = 3.0f;
    d.e.lo = -128.0f;
    d.e.hi = 127.0f;
    d.e.roundTrip = true;
  }
  return d;
}

/// The output every route must store over `initial`.
std::vector<int32_t> reference(const Case &k, const IntEpilogue &e,
                               bool accumulate,
                               const std::vector<int32_t> &initial) {
  std::vector<int32_t> out = initial;
  const int64_t pixels = k.s.batch * k.outH * k.outW;
  for (int64_t p = 0; p < pixels; ++p)
    for (int64_t f = 0; f < k.s.filters; ++f) {
      int32_t s = k.exact[p * k.s.filters + f];
      int32_t &o = out[p * k.outPixel() + f];
      if (e.kind != IntEpilogue::kSums)
        o = applyIntEpilogue(e, s, f);
      else
        o = static_cast<int32_t>((accumulate ? static_cast<uint32_t>(o) : 0u) +
                                 static_cast<uint32_t>(s));
    }
  return out;
}

ConvU8S8Problem makeProblem(const Case &k, const IntEpilogue &e,
                            bool accumulate, int32_t *out) {
  const Shape &s = k.s;
  ConvU8S8Problem p{};
  ConvGeometry &g = p.g;
  const int64_t in[4] = {s.batch, s.inH, s.inW, s.channels};
  const int64_t inStrides[4] = {s.inH * s.inW * k.inPixel(),
                                s.inW * k.inPixel(), k.inPixel(), 1};
  const int64_t outSizes[4] = {s.batch, k.outH, k.outW, s.filters};
  const int64_t outStrides[4] = {k.outH * k.outW * k.outPixel(),
                                 k.outW * k.outPixel(), k.outPixel(), 1};
  for (int d = 0; d < 4; ++d) {
    g.inSizes[d] = in[d];
    g.inStrides[d] = inStrides[d];
    g.outSizes[d] = outSizes[d];
    g.outStrides[d] = outStrides[d];
  }
  g.kernelH = s.kh;
  g.kernelW = s.kw;
  g.strideH = s.strideH;
  g.strideW = s.strideW;
  g.dilationH = s.dilationH;
  g.dilationW = s.dilationW;
  g.accumulate = accumulate;
  p.input = k.input.data();
  p.weights = k.packed.data();
  p.blocks = k.blocks;
  p.paddedFilters = k.paddedFilters;
  p.sums = k.sums.data();
  p.output = out;
  p.epilogue = e;
  return p;
}

/// Runs `route` on every shape with `kind` and compares with the reference
/// (padding of the output pixels included: it must keep its values).
void checkRoute(ConvU8S8Route route, Epilogue kind, uint32_t seed) {
  if (qc_rt_isa_level() < kIsaAvx512Vnni)
    GTEST_SKIP() << "the integer convolution needs the AVX512-VNNI level";
  std::mt19937 rng(seed);
  for (const Shape &s : kShapes) {
    Case k = makeCase(s, rng);
    EpilogueData d = makeEpilogue(kind, s.filters, rng);
    const bool accumulate = kind == Epilogue::kAccumulate;
    std::vector<int32_t> initial(k.outElements());
    std::uniform_int_distribution<int32_t> init(-1000000, 1000000);
    for (int32_t &v : initial)
      v = init(rng);
    std::vector<int32_t> want = reference(k, d.e, accumulate, initial);
    std::vector<int32_t> got = initial;
    ConvU8S8Problem p = makeProblem(k, d.e, accumulate, got.data());
    ASSERT_TRUE(canRunConvU8S8(p)) << "C " << s.channels;
    convU8S8WithRoute(p, route);
    for (size_t i = 0; i < want.size(); ++i)
      ASSERT_EQ(got[i], want[i])
          << "route " << int(route) << ", C " << s.channels << " F "
          << s.filters << " W " << k.outW << ": element " << i << " (pixel "
          << i / k.outPixel() << ", filter " << i % k.outPixel() << ")";
  }
}

/// The AMX route's tiles on the emulator, and the VNNI route, against the
/// plain convolution with each epilogue: equal to it, so equal to each other.
TEST(ConvAmx, EmulatedSumsMatchReference) {
  checkRoute(ConvU8S8Route::kAmxEmulated, Epilogue::kSums, 1);
}
TEST(ConvAmx, EmulatedAccumulatedSumsMatchReference) {
  checkRoute(ConvU8S8Route::kAmxEmulated, Epilogue::kAccumulate, 2);
}
TEST(ConvAmx, EmulatedDequantizedReluMatchesReference) {
  checkRoute(ConvU8S8Route::kAmxEmulated, Epilogue::kDequantizeRelu, 3);
}
TEST(ConvAmx, EmulatedRequantizedMatchesReference) {
  checkRoute(ConvU8S8Route::kAmxEmulated, Epilogue::kRequantize, 4);
}
TEST(ConvAmx, VnniMatchesReferenceWithEveryEpilogue) {
  checkRoute(ConvU8S8Route::kVnni, Epilogue::kSums, 1);
  checkRoute(ConvU8S8Route::kVnni, Epilogue::kAccumulate, 2);
  checkRoute(ConvU8S8Route::kVnni, Epilogue::kDequantizeRelu, 3);
  checkRoute(ConvU8S8Route::kVnni, Epilogue::kRequantize, 4);
}

// The hardware route runs the tiles where qc_rt_amx_usable(), and the VNNI
// route elsewhere instead of faulting: equal to the reference either way.
TEST(ConvAmx, HardwareRouteMatchesReferenceOrFallsBack) {
  checkRoute(ConvU8S8Route::kAmx, Epilogue::kAccumulate, 5);
  checkRoute(ConvU8S8Route::kAmx, Epilogue::kRequantize, 6);
}

/// Palette 1 with tile t of rows[t] x colsb[t].
AmxTileConfig makeConfig(std::initializer_list<std::array<int, 3>> tiles) {
  AmxTileConfig config;
  config.palette = 1;
  for (const auto &[tile, rows, colsb] : tiles) {
    config.rows[tile] = static_cast<uint8_t>(rows);
    config.colsb[tile] = static_cast<uint16_t>(colsb);
  }
  return config;
}

// TDPBUSD on tiles of M = 5 rows, K = 7 and N = 9 dwords loaded and stored
// with strides wider than their rows: the bytes outside the tiles stay, the
// sums are the documented ones (u8 x s8, wrapping), and LDTILECFG zeroes.
TEST(AmxEmulator, FollowsDocumentedSemantics) {
  std::mt19937 rng(7);
  constexpr int m = 5, k = 7, n = 9, stride = 100;
  std::vector<uint8_t> a(m * stride), b(k * stride), c(m * stride);
  for (uint8_t &v : a)
    v = static_cast<uint8_t>(rng());
  for (uint8_t &v : b)
    v = static_cast<uint8_t>(rng());
  for (uint8_t &v : c)
    v = static_cast<uint8_t>(rng());
  // Sums near the int32 limits, so that wrapping shows.
  for (int i = 0; i < m; ++i) {
    int32_t top = INT32_MAX - 1000;
    std::memcpy(&c[i * stride], &top, 4);
  }
  const AmxTileConfig config =
      makeConfig({{0, m, 4 * n}, {1, m, 4 * k}, {2, k, 4 * n}});
  AmxTileEmulator tiles;
  tiles.loadConfig(config);
  tiles.load(0, c.data(), stride);
  tiles.load(1, a.data(), stride);
  tiles.load(2, b.data(), stride);
  tiles.dpbusd(0, 1, 2);
  std::vector<uint8_t> out(m * stride + 8, 0xa5);
  tiles.store(0, out.data(), stride);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      uint32_t want;
      std::memcpy(&want, &c[i * stride + 4 * j], 4);
      for (int kk = 0; kk < k; ++kk)
        for (int e = 0; e < 4; ++e)
          want += static_cast<uint32_t>(
              int32_t(a[i * stride + 4 * kk + e]) *
              int32_t(static_cast<int8_t>(b[kk * stride + 4 * j + e])));
      uint32_t got;
      std::memcpy(&got, &out[i * stride + 4 * j], 4);
      ASSERT_EQ(got, want) << "row " << i << " column " << j;
    }
  for (size_t i = 0; i < out.size(); ++i)
    if (i % stride >= 4 * n || i >= m * stride)
      ASSERT_EQ(out[i], 0xa5) << "byte " << i << " outside the tile";
  // A new configuration starts from zero tiles.
  tiles.loadConfig(config);
  tiles.store(0, out.data(), stride);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < 4 * n; ++j)
      ASSERT_EQ(out[i * stride + j], 0);
  tiles.release();
}

// Where the CPU raises #GP or #UD, the emulator stops the process, so a
// routine that configured its tiles wrongly fails here as on the CPU.
TEST(AmxEmulator, FaultsWhereTheCpuWould) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  std::vector<uint8_t> buffer(16 * 64);
  // C 4 x 16 dwords, A 4 x 8, B 8 x 16 (and 7 x 16); square 4 x 4 tiles 4
  // to 6; tile 7 unconfigured. Each case below breaks one rule only.
  const AmxTileConfig good = makeConfig({{0, 4, 64},
                                         {1, 4, 32},
                                         {2, 8, 64},
                                         {3, 7, 64},
                                         {4, 4, 16},
                                         {5, 4, 16},
                                         {6, 4, 16}});
  auto run = [&](auto body) {
    AmxTileEmulator tiles;
    tiles.loadConfig(good);
    body(tiles);
  };
  // K of A (8 dwords) is not the rows of B (7).
  EXPECT_DEATH(run([](AmxTileEmulator &t) { t.dpbusd(0, 1, 3); }), "");
  // The same tile as both sources, or as the sum and a source.
  EXPECT_DEATH(run([](AmxTileEmulator &t) { t.dpbusd(5, 4, 4); }), "");
  EXPECT_DEATH(run([](AmxTileEmulator &t) { t.dpbusd(4, 4, 5); }), "");
  // An unconfigured tile.
  EXPECT_DEATH(run([&](AmxTileEmulator &t) { t.load(7, buffer.data(), 64); }),
               "");
  // No configuration at all.
  EXPECT_DEATH(
      {
        AmxTileEmulator t;
        t.zero(0);
      },
      "");
  // Reserved bytes, more than 16 rows, a tile with rows but no bytes.
  AmxTileConfig reserved = good;
  reserved.reserved1[3] = 1;
  EXPECT_DEATH(AmxTileEmulator().loadConfig(reserved), "");
  EXPECT_DEATH(AmxTileEmulator().loadConfig(makeConfig({{0, 17, 64}})), "");
  EXPECT_DEATH(AmxTileEmulator().loadConfig(makeConfig({{0, 4, 0}})), "");
  // The good configuration itself is accepted and its products chain.
  run([](AmxTileEmulator &t) {
    t.zero(0);
    t.dpbusd(0, 1, 2);
    t.dpbusd(6, 4, 5);
  });
}

// The detection reads AMX-TILE and AMX-INT8 (leaf 7 EDX bits 24, 25) and
// the XTILECFG and XTILEDATA states (XCR0 bits 17, 18), with OSXSAVE.
TEST(AmxSupport, DetectsAmxFromCpuidAndXcr0Bits) {
  CpuidBits all;
  all.leaf1Ecx = 1u << 27;
  all.leaf7Edx = (1u << 24) | (1u << 25);
  all.xcr0 = 0xe7 | (1ull << 17) | (1ull << 18);
  EXPECT_TRUE(hasAmxInt8(all));
  CpuidBits bits = all;
  bits.leaf1Ecx = 0;
  EXPECT_FALSE(hasAmxInt8(bits)) << "without OSXSAVE";
  for (uint32_t bit : {24u, 25u}) {
    bits = all;
    bits.leaf7Edx &= ~(1u << bit);
    EXPECT_FALSE(hasAmxInt8(bits)) << "without leaf 7 EDX bit " << bit;
  }
  for (uint64_t bit : {17u, 18u}) {
    bits = all;
    bits.xcr0 &= ~(1ull << bit);
    EXPECT_FALSE(hasAmxInt8(bits)) << "without XCR0 bit " << bit;
  }
  // AMX-BF16 alone (bit 22) is not AMX-INT8.
  bits = all;
  bits.leaf7Edx = (1u << 24) | (1u << 22);
  EXPECT_FALSE(hasAmxInt8(bits));
}

/// Whether this CPU's CPUID reports AMX-TILE and AMX-INT8.
bool cpuReportsAmx() {
  unsigned a, b, c, d;
  return __get_cpuid_count(7, 0, &a, &b, &c, &d) && ((d >> 24) & 1) &&
         ((d >> 25) & 1);
}

/// What getAmxStatus must say on this CPU and cap without a refusal.
AmxStatus expectedStatus() {
  if (qc_rt_isa_level() < kIsaAvx512Vnni)
    return AmxStatus::kBelowVnni;
  return cpuReportsAmx() ? getAmxStatus() : AmxStatus::kNoHardware;
}

/// Sets QC_AMX (or unsets it, for nullptr) and makes the runtime read it
/// again; restores the caller's value on destruction.
class ScopedQcAmx {
public:
  explicit ScopedQcAmx(const char *value) {
    if (const char *old = std::getenv("QC_AMX"))
      saved = old, hadValue = true;
    set(value);
  }
  ~ScopedQcAmx() { set(hadValue ? saved.c_str() : nullptr); }

private:
  static void set(const char *value) {
    if (value)
      setenv("QC_AMX", value, 1);
    else
      unsetenv("QC_AMX");
    qc_rt_set_amx_refusal(-1);
  }
  std::string saved;
  bool hadValue = false;
};

/// convU8S8 on one layer with tails against the reference.
void checkDefaultRoute() {
  if (qc_rt_isa_level() < kIsaAvx512Vnni)
    return;
  std::mt19937 rng(11);
  Case k = makeCase(kShapes[4], rng);
  std::vector<int32_t> out(k.outElements(), 0);
  std::vector<int32_t> want = reference(k, IntEpilogue{}, false, out);
  ConvU8S8Problem p = makeProblem(k, IntEpilogue{}, false, out.data());
  ASSERT_TRUE(canRunConvU8S8(p));
  convU8S8(p);
  EXPECT_EQ(out, want);
}

// On a CPU whose CPUID has no AMX the route is never taken, whatever the
// environment, and Linux refuses the tile state.
TEST(AmxSupport, NotUsableWithoutAmxInCpuid) {
  if (cpuReportsAmx())
    GTEST_SKIP() << "this CPU reports AMX";
  ScopedQcAmx unset(nullptr);
  EXPECT_FALSE(qc_rt_amx_usable());
  EXPECT_EQ(getAmxStatus(), expectedStatus());
  EXPECT_FALSE(requestAmxPermission());
  checkDefaultRoute();
}

// QC_AMX=off refuses the route before anything else is looked at; other
// values leave the choice to the CPU and the OS.
TEST(AmxSupport, EnvironmentOffRefuses) {
  {
    ScopedQcAmx off("off");
    EXPECT_EQ(getAmxStatus(), AmxStatus::kRefused);
    EXPECT_FALSE(qc_rt_amx_usable());
    checkDefaultRoute();
  }
  ScopedQcAmx on("on");
  EXPECT_EQ(getAmxStatus(), expectedStatus());
}

// The test hook refuses like QC_AMX=off, and an explicit allowance wins
// over the environment until the hook is reset.
TEST(AmxSupport, HookRefusesAndOverridesTheEnvironment) {
  ScopedQcAmx off("off");
  qc_rt_set_amx_refusal(0);
  EXPECT_EQ(getAmxStatus(), expectedStatus());
  qc_rt_set_amx_refusal(1);
  EXPECT_EQ(getAmxStatus(), AmxStatus::kRefused);
  EXPECT_FALSE(qc_rt_amx_usable());
  checkDefaultRoute();
  qc_rt_set_amx_refusal(-1);
  EXPECT_EQ(getAmxStatus(), AmxStatus::kRefused); // QC_AMX=off again
}

} // namespace
