//===- test/Runtime/hls/ApIntTest.cpp - ap_int shim tests -------*- C++ -*-===//
//
// Checks runtime/hls/ap_int.h against an independent reference: `Ref`, a
// 320-bit two's-complement integer on 32-bit limbs written here, which knows
// nothing of ap_int. Every width 1..130 is run, signed and unsigned, against
// itself, against a second width and against C integers, on edge values (0,
// 1, -1, min, max, max-1, powers of two) and fixed-seed random ones, for the
// result types and values of + - * / % & | ^ ~ and unary minus, shifts,
// comparisons, ranges, bits, conversions and wrapping. The rules are the ones
// UG1399 documents (REFERENCE §4), plus the vendor's comparison and division
// rules that the shim reproduces.
//
// The file also builds against Xilinx's open ap_int headers in place of the
// shim (a forwarding "runtime/hls/ap_int.h"), which is how the expected
// semantics were checked. Compiled only when __QC_HLS_SHIM__ is defined:
// tests of qc-only behaviour (diagnostics, the all-bits truth value of wide
// values, constexpr use, qc's to_string format and string prefixes) and the
// checks the vendor's headers fail (division of multi-word values,
// to_double beyond 64 bits).
//
//===----------------------------------------------------------------------===//
// The checks per width are in ApIntWidthsTest.cpp and
// ApIntWideWidthsTest.cpp (ApIntChecks.h), the reference in ApIntReference.h.

#include "test/Runtime/hls/ApIntChecks.h"

namespace {

//===----------------------------------------------------------------------===//
// Comparisons on a grid of width pairs (the vendor's mixed-sign rule)
//===----------------------------------------------------------------------===//

struct CompareResults {
  bool eq, ne, lt, le, gt, ge, eqSwapped, ltSwapped, gtSwapped;
};

template <typename A, typename B>
QC_TEST_NOINLINE void evalCompare(const Ref &a, const Ref &b,
                                  CompareResults &out) {
  A x = fromRef<A>(a);
  B y = fromRef<B>(b);
  out.eq = x == y;
  out.ne = x != y;
  out.lt = x < y;
  out.le = x <= y;
  out.gt = x > y;
  out.ge = x >= y;
  out.eqSwapped = y == x;
  out.ltSwapped = y < x;
  out.gtSwapped = y > x;
}

QC_TEST_NOINLINE void runCompare(int w1, bool s1, int w2, bool s2,
                                 void (*eval)(const Ref &, const Ref &,
                                              CompareResults &)) {
  std::mt19937_64 rng(w1 * 1000 + w2 * 4 + s1 * 2 + s2);
  std::vector<Ref> va = sampleValues(w1, s1, rng, 3);
  std::vector<Ref> vb = sampleValues(w2, s2, rng, 3);
  for (const Ref &a : va) {
    for (const Ref &b : vb) {
      CompareResults r;
      eval(a, b, r);
      bool eq = refEqual(a, w1, s1, b, w2, s2);
      int c = refOrder(a, w1, s1, b, w2, s2);
      int swapped = refOrder(b, w2, s2, a, w1, s1);
      Val x{a, w1, s1};
      Val y{b, w2, s2};
      expectBool(r.eq, eq, "==", x, &y);
      expectBool(r.ne, !eq, "!=", x, &y);
      expectBool(r.lt, c < 0, "<", x, &y);
      expectBool(r.le, c <= 0, "<=", x, &y);
      expectBool(r.gt, c > 0, ">", x, &y);
      expectBool(r.ge, c >= 0, ">=", x, &y);
      expectBool(r.eqSwapped, refEqual(b, w2, s2, a, w1, s1), "== (swapped)", x,
                 &y);
      expectBool(r.ltSwapped, swapped < 0, "< (swapped)", x, &y);
      expectBool(r.gtSwapped, swapped > 0, "> (swapped)", x, &y);
    }
  }
}

template <int W1, bool S1, int W2, bool S2> void checkCompare() {
  runCompare(W1, S1, W2, S2, &evalCompare<Ap<W1, S1>, Ap<W2, S2>>);
}

constexpr int kGrid[] = {1, 8, 17, 31, 32, 33, 63, 64, 65, 129};
constexpr int kGridSize = sizeof(kGrid) / sizeof(kGrid[0]);

template <int I, int... J> void compareRow(std::integer_sequence<int, J...>) {
  (checkCompare<kGrid[I], true, kGrid[J], false>(), ...);
  (checkCompare<kGrid[I], false, kGrid[J], true>(), ...);
  (checkCompare<kGrid[I], true, kGrid[J], true>(), ...);
  (checkCompare<kGrid[I], false, kGrid[J], false>(), ...);
}
template <int... I> void compareGrid(std::integer_sequence<int, I...>) {
  (compareRow<I>(std::make_integer_sequence<int, kGridSize>()), ...);
}

TEST(ApIntCompare, MixedSignGrid) {
  compareGrid(std::make_integer_sequence<int, kGridSize>());
}

TEST(ApIntCompare, MixedSignExamples) {
  // Exact while the unsigned side is narrower than int or the signed wider.
  EXPECT_TRUE(ap_int<8>(-1) < ap_uint<8>(0));
  EXPECT_TRUE(ap_int<8>(-1) < ap_uint<31>(0));
  EXPECT_TRUE(ap_int<33>(-1) < ap_uint<32>(0));
  EXPECT_TRUE(ap_uint<8>(0) > -1);
  // Otherwise a negative value ranks above every unsigned one...
  EXPECT_FALSE(ap_int<32>(-1) < ap_uint<32>(0));
  EXPECT_FALSE(ap_int<8>(-1) < 0u);
  EXPECT_FALSE(ap_uint<32>(0) > -1);
  EXPECT_FALSE(ap_int<100>(-1) < ap_uint<100>(0));
  EXPECT_TRUE(ap_int<8>(-2) > ap_uint<32>(0xFFFFFFFFu));
  // ... and == compares modulo the unsigned width, so both can hold at once.
  EXPECT_TRUE(ap_int<8>(-1) == ap_uint<32>(0xFFFFFFFFu));
  EXPECT_TRUE(ap_int<8>(-1) > ap_uint<32>(0xFFFFFFFFu));
  EXPECT_TRUE(ap_uint<32>(0xFFFFFFFFu) < ap_int<8>(-1));
  EXPECT_TRUE(ap_int<64>(-1) == ap_uint<64>(~0ULL));
  // Except for equal widths under 64 bits, where == stays exact.
  EXPECT_FALSE(ap_int<32>(-1) == ap_uint<32>(0xFFFFFFFFu));
  EXPECT_FALSE(-1 == ap_uint<32>(0xFFFFFFFFu));
  EXPECT_TRUE(ap_int<32>(-1) != ap_uint<32>(0xFFFFFFFFu));
  // Same signedness is always exact.
  EXPECT_TRUE(ap_int<100>(-1) < ap_int<3>(0));
  EXPECT_TRUE(ap_uint<100>(5) > ap_uint<3>(4));
}

//===----------------------------------------------------------------------===//
// Result types
//===----------------------------------------------------------------------===//

template <typename T, typename U>
constexpr bool same = std::is_same<T, U>::value;

TEST(ApIntTypes, ResultTypesFollowTheRules) {
  ap_uint<8> u8 = 0;
  ap_int<8> s8 = 0;
  ap_uint<4> u4 = 0;
  ap_int<4> s4 = 0;
  static_assert(same<decltype(u8 + s8), ap_int<10>>);
  static_assert(same<decltype(u8 + u8), ap_uint<9>>);
  static_assert(same<decltype(s8 + s8), ap_int<9>>);
  static_assert(same<decltype(u8 - u8), ap_int<9>>);
  static_assert(same<decltype(u8 * s8), ap_int<16>>);
  static_assert(same<decltype(u8 * u4), ap_uint<12>>);
  static_assert(same<decltype(u8 & s8), ap_int<9>>);
  static_assert(same<decltype(u4 | s8), ap_int<8>>);
  static_assert(same<decltype(u8 ^ u4), ap_uint<8>>);
  static_assert(same<decltype(u8 / s4), ap_int<9>>);
  static_assert(same<decltype(s8 % u4), ap_int<5>>);
  static_assert(same<decltype(u8 % s8), ap_uint<8>>);
  static_assert(same<decltype(-u8), ap_int<9>>);
  static_assert(same<decltype(-s8), ap_int<9>>);
  static_assert(same<decltype(-ap_int<1>()), ap_int<3>>);
  static_assert(same<decltype(-ap_uint<1>()), ap_int<2>>);
  static_assert(same<decltype(~u8), ap_uint<8>>);
  static_assert(same<decltype(u8 << 3), ap_uint<8>>);
  static_assert(same<decltype(s8 >> u8), ap_int<8>>);
  // C integers act as ap types of their own width and signedness.
  static_assert(same<decltype(u8 + 1), ap_int<33>>);
  static_assert(same<decltype(1 + u8), ap_int<33>>);
  static_assert(same<decltype(u8 + 1u), ap_uint<33>>);
  static_assert(same<decltype(u8 + 1LL), ap_int<65>>);
  static_assert(same<decltype(u8 + 1ULL), ap_uint<65>>);
  static_assert(same<decltype(u8 + true), ap_uint<9>>);
  static_assert(same<decltype(u8 + static_cast<signed char>(1)), ap_int<10>>);
  static_assert(same<decltype(u8 + static_cast<short>(1)), ap_int<17>>);
  static_assert(same<decltype(u8 & 1), ap_int<32>>);
  static_assert(same<decltype(u8 * 2u), ap_uint<40>>);
  // A range reads as ap_uint of the whole value's width; a bit as ap_uint<1>
  // next to an ap value (alone it is a bool).
  static_assert(same<decltype(u8.range(3, 0) + u8), ap_uint<9>>);
  static_assert(same<decltype(s8.range(3, 0) * s8), ap_int<16>>);
  static_assert(same<decltype(u8[1] + u8), ap_uint<9>>);
  static_assert(same<decltype(u8.range(3, 0) + 1), ap_int<33>>);
  static_assert(same<decltype(u8[0] + 1), int>);
  // The vendor's departures: a range of a signed value next to an ap value
  // counts as signed for the type; a C integer left of / and % takes the
  // type of the swapped operation.
  static_assert(same<decltype(s8.range(7, 0) + s8), ap_int<9>>);
  static_assert(same<decltype(s8 & s8.range(7, 0)), ap_int<8>>);
  static_assert(same<decltype(s8.range(7, 0) + 1), ap_int<33>>);
  static_assert(same<decltype(s8.range(7, 0) + s8.range(7, 0)), ap_uint<9>>);
  static_assert(same<decltype(7 / u4), ap_int<5>>);
  static_assert(same<decltype(7 % s4), ap_int<4>>);
  static_assert(same<decltype(true / s4), ap_int<4>>);
  static_assert(same<decltype(u8 == s8), bool>);
  static_assert(same<decltype(u8.to_int()), int>);
  static_assert(same<decltype(u8.to_uint64()), unsigned long long>);
  (void)u8;
  (void)s8;
  (void)u4;
  (void)s4;
}

//===----------------------------------------------------------------------===//
// Individual behaviours
//===----------------------------------------------------------------------===//

TEST(ApIntBehaviour, WrapOnlyOnAssignment) {
  ap_uint<8> a = 200;
  ap_uint<8> b = 100;
  // The sum is exact (ap_uint<9>), so the comparison sees 300.
  EXPECT_TRUE(a + b == 300);
  ap_uint<8> c = a + b;
  EXPECT_EQ(c.to_uint(), 44u);
  a += b;
  EXPECT_EQ(a.to_uint(), 44u);
  ap_int<8> d = 127;
  d++;
  EXPECT_EQ(d.to_int(), -128);
  ap_int<4> e = ap_uint<8>(0xF9);
  EXPECT_EQ(e.to_int(), -7);
  ap_uint<12> f = ap_int<4>(-3);
  EXPECT_EQ(f.to_uint(), 4093u);
  ap_int<12> g = ap_int<4>(-3);
  EXPECT_EQ(g.to_int(), -3);
}

TEST(ApIntBehaviour, TypicalUserCode) {
  // The patterns emitted code and testbenches use, compiled with -Werror.
  ap_uint<8> a = 3;
  a += 1;
  a = a + 1;
  a <<= 1;
  a |= 1;
  ++a;
  EXPECT_EQ(a.to_uint(), 12u);
  int asInt = a;
  EXPECT_EQ(asInt, 12);
  int table[16] = {};
  table[a] = 7;
  EXPECT_EQ(table[12], 7);
  if (a) {
    SUCCEED();
  } else {
    ADD_FAILURE() << "a non-zero ap_uint tests false";
  }
  ap_uint<32> acc = 0;
  for (ap_uint<4> i = 0; i < 10; ++i)
    acc += i * i;
  EXPECT_EQ(acc.to_uint(), 285u);
  ap_int<16> s = -5;
  s *= 3;
  EXPECT_EQ(s.to_int(), -15);
  unsigned u = ap_uint<8>(200);
  EXPECT_EQ(u, 200u);
  long long wide = ap_int<40>(-1);
  EXPECT_EQ(wide, -1);
  double dv = ap_int<8>(-3);
  EXPECT_EQ(dv, -3.0);
}

TEST(ApIntBehaviour, LanePacking) {
  // FINN-style packing: lane i of a SIMD word at bits [(i+1)W-1 : iW].
  ap_uint<96> word = 0;
  for (int i = 0; i < 12; ++i)
    word.range(8 * i + 7, 8 * i) = ap_int<8>(i - 6);
  for (int i = 0; i < 12; ++i) {
    ap_int<8> lane = word.range(8 * i + 7, 8 * i);
    EXPECT_EQ(lane.to_int(), i - 6);
  }
  ap_uint<16> r = 0xABCD;
  r.range(7, 0) = 0x12;
  r[15] = 0;
  r(11, 8) = 0xF;
  EXPECT_EQ(r.to_uint(), 0x2F12u);
  r.range(7, 0) = r.range(15, 8);
  EXPECT_EQ(r.to_uint(), 0x2F2Fu);
  r[0] = r[4];
  EXPECT_EQ(r.to_uint(), 0x2F2Eu);
  EXPECT_EQ(r.range(0, 7).to_uint(), 0x74u); // reversed
}

TEST(ApIntBehaviour, DivisionModulo) {
  EXPECT_EQ((ap_int<8>(-7) / ap_int<8>(2)).to_int(), -3);
  EXPECT_EQ((ap_int<8>(-7) % ap_int<8>(2)).to_int(), -1);
  EXPECT_EQ((ap_int<8>(-128) / ap_int<8>(-1)).to_int(), 128);
  EXPECT_EQ((ap_uint<8>(7) / ap_int<8>(-2)).to_int(), -3);
  // Vendor rule: the divisor is read in the wider (unsigned) operand's type.
  EXPECT_EQ((ap_uint<8>(7) / ap_int<4>(-2)).to_int(), 0);
  // Vendor rule: an unsigned dividend takes an unsigned remainder.
  EXPECT_EQ((ap_uint<8>(7) % ap_int<8>(-2)).to_int(), 7);
  // And a 32-bit unsigned divisor makes the signed dividend unsigned.
  EXPECT_EQ((ap_int<8>(-7) / 2u).to_int(), -4);
  EXPECT_EQ((ap_int<8>(-7) % 2u).to_int(), 1);
  EXPECT_EQ((ap_int<100>(-7) / ap_uint<100>(2)).to_int(), -3);
}

TEST(ApIntBehaviour, VendorDeclaredResultTypes) {
  // A range of a signed value: the bits read unsigned, the type signed.
  ap_int<8> s8 = -1;
  ap_int<8> m = -100;
  EXPECT_EQ((s8.range(7, 0) + s8).to_int(), 254);
  EXPECT_EQ((s8.range(7, 0) & s8).to_int(), -1); // 255 wraps in ap_int<8>
  EXPECT_EQ((s8.range(7, 0) * s8).to_int(), -255);
  EXPECT_EQ((m.range(7, 0) + m).to_int(), 56);
  EXPECT_EQ((m.range(3, 0) + m).to_int(), -88);
  EXPECT_EQ((s8.range(7, 0) + 1).to_int(), 256);
  EXPECT_TRUE(s8.range(7, 0) == 255);
  EXPECT_FALSE(s8.range(7, 0) == s8);
  ap_int<16> big = -1;
  // 65535 + 32767 wraps in the declared ap_int<17>.
  EXPECT_EQ((big.range(15, 0) + ap_int<16>(0x7FFF)).to_int(), -32770);
  // A C integer left of / and %.
  EXPECT_EQ((7 / ap_uint<4>(2)).to_int(), 3);
  EXPECT_EQ((100 / ap_uint<1>(1)).to_int(), 0); // 100 wraps in ap_int<2>
  EXPECT_EQ((200 / ap_int<8>(1)).to_int(), 200);
  EXPECT_EQ((100 % ap_int<4>(7)).to_int(), 2);
  EXPECT_EQ((7u / ap_int<40>(-2)).to_int(), -3);
}

TEST(ApIntBehaviour, Concatenation) {
  ap_uint<8> u8 = 0x12;
  ap_int<8> s8 = -1;
  ap_int<4> s4 = -2;
  ap_uint<16> c1 = (u8, s8);
  EXPECT_EQ(c1.to_uint(), 0x12FFu);
  ap_uint<12> c2 = (s4, u8);
  EXPECT_EQ(c2.to_uint(), 0xE12u);
  ap_uint<2> c3 = (u8[1], u8[4]);
  EXPECT_EQ(c3.to_uint(), 3u);
  ap_uint<16> c4 = (u8.range(1, 0), u8(7, 4));
  EXPECT_EQ(c4.to_uint(), 0x21u); // a range counts its selected bits
  ap_uint<16> c5 = u8.concat(s8);
  EXPECT_EQ(c5.to_uint(), 0x12FFu);
  ap_uint<200> wide = (ap_uint<100>(1), ap_uint<100>(3));
  EXPECT_TRUE(wide == ((ap_uint<200>(1) << 100) | 3));
}

TEST(ApIntBehaviour, FloatingPointConstruction) {
  EXPECT_EQ(ap_int<8>(3.7).to_int(), 3);
  EXPECT_EQ(ap_int<8>(-3.7).to_int(), -3);
  EXPECT_EQ(ap_uint<8>(300.5).to_int(), 44);
  EXPECT_EQ(ap_uint<8>(-1.5).to_int(), 255);
  EXPECT_EQ(ap_int<16>(-1234.0f).to_int(), -1234);
  ap_int<100> big(1e25);
  EXPECT_EQ(big.to_string(10), "10000000000000000905969664");
  EXPECT_EQ(ap_int<100>(-1e25).to_string(10), "-10000000000000000905969664");
  EXPECT_EQ(ap_int<8>(-3).to_double(), -3.0);
  EXPECT_EQ(ap_int<70>(-1).to_double(), -1.0);
#ifdef __QC_HLS_SHIM__
  // The vendor's to_double reads only the low 64 bits (it gives 0 here).
  EXPECT_EQ(ap_uint<100>(ap_uint<100>(1) << 80).to_double(),
            1208925819614629174706176.0);
#endif
}

TEST(ApIntBehaviour, Strings) {
  EXPECT_EQ(ap_uint<8>("0xFF").to_uint(), 255u);
  EXPECT_EQ(ap_uint<8>("FF", 16).to_uint(), 255u);
  EXPECT_EQ(ap_uint<8>("0xFF", 16).to_uint(), 255u);
  EXPECT_EQ(ap_int<8>("-5").to_int(), -5);
  EXPECT_EQ(ap_uint<8>("300").to_uint(), 44u);
  EXPECT_EQ(ap_uint<8>("0b101").to_uint(), 5u);
  EXPECT_EQ(ap_int<8>("0xFF").to_int(), -1);
  EXPECT_EQ(ap_uint<100>("123456789012345678901234567890").to_string(10),
            "123456789012345678901234567890");
  EXPECT_EQ(ap_int<100>("-123456789012345678901234567890").to_string(10),
            "-123456789012345678901234567890");
  EXPECT_EQ(ap_uint<8>(200).to_string(10), "200");
  EXPECT_EQ(ap_int<8>(-56).to_string(10), "-56");
}

TEST(ApIntBehaviour, ReductionsAndBitOps) {
  ap_uint<16> r = 0x2F12;
  EXPECT_FALSE(r.and_reduce());
  EXPECT_TRUE(r.or_reduce());
  EXPECT_TRUE(r.xor_reduce()); // seven bits set
  EXPECT_TRUE(ap_uint<70>(ap_uint<70>(0) - 1).and_reduce());
  EXPECT_TRUE(ap_uint<70>(ap_uint<70>(1) << 69).xor_reduce());
  ap_int<5> y = 0;
  y[4] = 1;
  EXPECT_EQ(y.to_int(), -16);
  EXPECT_TRUE(y < 0);
}

/// Widths far beyond the reference's 320 bits, checked by identities and
/// closed forms.
TEST(ApIntBehaviour, VeryWideValues) {
  ap_uint<1024> a = 0;
  a = ~a;          // 2^1024 - 1
  auto sq = a * a; // 2^2048 - 2^1025 + 1
  static_assert(same<decltype(sq), ap_uint<2048>>);
  EXPECT_TRUE(sq[0]);
  for (int i = 1; i < 1025; ++i)
    if (sq[i])
      ADD_FAILURE() << "bit " << i << " of (2^1024-1)^2 is set";
  for (int i = 1025; i < 2048; ++i)
    if (!sq[i])
      ADD_FAILURE() << "bit " << i << " of (2^1024-1)^2 is clear";
#ifdef __QC_HLS_SHIM__
  // The vendor's multi-word division gets these wrong (from 65 bits up it
  // gives (2^65-1)^2 / (2^65-1) = 2^64); small divisors and quotients are
  // right there too.
  EXPECT_TRUE(sq / a == a);
  EXPECT_TRUE(sq % a == 0);
  EXPECT_TRUE(ap_uint<2048>(sq - 1) % a == a - 1);
  ap_uint<65> a65 = 0;
  a65 = ~a65;
  EXPECT_TRUE((a65 * a65) / a65 == a65);
#endif
  EXPECT_TRUE((sq * ap_uint<16>(12345)) / ap_uint<16>(12345) == sq);
  EXPECT_TRUE((a * ap_uint<16>(777)) / a == 777);
  ap_uint<4096> top = ap_uint<4096>(1) << 4095;
  EXPECT_TRUE(top[4095]);
  EXPECT_TRUE((top >> 4095) == 1);
  EXPECT_TRUE(top > (ap_uint<4096>(1) << 4094));
  ap_int<4096> topSigned = top;
  EXPECT_TRUE(topSigned < 0);
  ap_int<1000> n = -1;
  n <<= 999;
  EXPECT_TRUE(n < 0);
  EXPECT_TRUE(-n == (ap_uint<1001>(1) << 999));
  EXPECT_TRUE((n >> 998) == -2);
  ap_uint<1000> m = ap_uint<1000>(1) << 999;
  EXPECT_EQ(m.to_string(10).size(), 301u);
  ap_uint<1000> back(m.to_string(10).c_str());
  EXPECT_TRUE(back == m);
}

#ifdef __QC_HLS_SHIM__

//===----------------------------------------------------------------------===//
// qc-only behaviour
//===----------------------------------------------------------------------===//

TEST(ApIntShim, WideTruthValueUsesAllBits) {
  // The vendor tests only the low 64 bits in `if (x)`; qc tests all of them.
  ap_uint<100> big = ap_uint<100>(1) << 80;
  EXPECT_TRUE(big ? true : false);
  EXPECT_FALSE(!big);
  EXPECT_TRUE(big && true);
  EXPECT_TRUE(big.to_bool());
}

TEST(ApIntShim, Constexpr) {
  constexpr ap_uint<8> k = 250;
  constexpr auto sum = k + 10;
  static_assert(sum == 260);
  static_assert(ap_int<8>(200) == -56);
  static_assert((ap_uint<100>(1) << 99) > ap_uint<100>(1) << 98);
  static_assert(ap_uint<8>(0xF0).get_bit(7));
  EXPECT_EQ(sum.to_int(), 260);
}

TEST(ApIntShim, ToStringFormat) {
  EXPECT_EQ(ap_uint<8>(5).to_string(), "0b00000101");
  EXPECT_EQ(ap_int<8>(-56).to_string(2), "0b11001000");
  EXPECT_EQ(ap_int<8>(-56).to_string(16), "-0x38");
  EXPECT_EQ(ap_uint<8>(200).to_string(16), "0xc8");
  EXPECT_EQ(ap_int<8>(-56).to_string(16, false), "0xc8");
  EXPECT_EQ(ap_uint<8>(200).to_string(10, true), "-56");
  EXPECT_EQ(ap_uint<8>(8).to_string(8), "0o10");
  EXPECT_EQ(ap_uint<8>(0).to_string(10), "0");
}

TEST(ApIntShim, StringPrefixes) {
  EXPECT_EQ(ap_uint<16>("0d12").to_uint(), 12u);
  EXPECT_EQ(ap_uint<16>("0o17").to_uint(), 15u);
  // A prefix that contradicts the radix is digits (the vendor warns and
  // reads "0b12", 16 as 0x12).
  EXPECT_EQ(ap_uint<16>("0b12", 16).to_uint(), 0xB12u);
  EXPECT_EQ(ap_uint<16>("0x12", 16).to_uint(), 0x12u);
}

TEST(ApIntShimDeathTest, DiagnosesMisuse) {
  EXPECT_EXIT(
      {
        ap_uint<8> x = 1;
        x[8] = 1;
      },
      testing::ExitedWithCode(1),
      "qc-hls: bit index 8 out of range for a 8-bit ap_int");
  EXPECT_EXIT(
      {
        ap_uint<8> x = 1;
        x.range(8, 0) = 1;
      },
      testing::ExitedWithCode(1), "qc-hls: range\\(8, 0\\) out of range");
  EXPECT_EXIT(
      {
        ap_uint<8> x = 1;
        ap_uint<8> zero = 0;
        x = x / zero;
      },
      testing::ExitedWithCode(1), "qc-hls: division by zero");
  EXPECT_EXIT(ap_uint<8>("12z"), testing::ExitedWithCode(1),
              "qc-hls: bad digit 'z'");
}

#endif // __QC_HLS_SHIM__

} // namespace
