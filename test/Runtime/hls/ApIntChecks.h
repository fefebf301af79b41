//===- test/Runtime/hls/ApIntChecks.h - ap_int checks per width --*- C++
//-*-===//
//
// The checks the ap_int shim tests run per operand type (pair): every binary
// and unary operator, shift, bit, range and conversion of ap_int<W> /
// ap_uint<W> evaluated on edge and random values and compared with the
// reference (ApIntReference.h); checkWidths<From, N> runs widths From to
// From + N - 1. ApIntTest.cpp has the overview.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TEST_RUNTIME_HLS_APINTCHECKS_H
#define QC_TEST_RUNTIME_HLS_APINTCHECKS_H

#include "test/Runtime/hls/ApIntReference.h"

namespace {

// The eval* templates below only apply the operators of one type (pair) to
// given values and store the results as Refs; loops and expectations live in
// the non-template run* functions. That keeps each instantiation small and
// out of line, so the ~1,500 type combinations compile quickly.
#define QC_TEST_NOINLINE __attribute__((noinline))

//===----------------------------------------------------------------------===//
// Binary operators on a pair of operand types
//===----------------------------------------------------------------------===//

/// What one pair of operand values gives under every binary operator.
struct PairResults {
  Ref add, sub, mul, bitAnd, bitOr, bitXor, quo, rem;
  bool eq, ne, lt, le, gt, ge;
  // Into the left operand, when it is an ap type.
  Ref addAssign, subAssign, mulAssign, andAssign, orAssign, xorAssign;
  Ref quoAssign, remAssign, leftFromRight, leftAssigned;
  // Into the right operand, when it is an ap type.
  Ref rightFromLeft;
};

using PairEval = void (*)(const Ref &, const Ref &, bool, PairResults &);

/// Full: also / and % and the compound assignments, which every width runs
/// on its mixed-sign and C-int pairs (the others check the rest).
template <typename A, typename B, bool Full>
QC_TEST_NOINLINE void evalPair(const Ref &a, const Ref &b, bool divide,
                               PairResults &out) {
  A x = fromRef<A>(a);
  B y = fromRef<B>(b);
  out.add = toRef(x + y);
  out.sub = toRef(x - y);
  out.mul = toRef(x * y);
  out.bitAnd = toRef(x & y);
  out.bitOr = toRef(x | y);
  out.bitXor = toRef(x ^ y);
  if (Full && divide) {
    out.quo = toRef(x / y);
    out.rem = toRef(x % y);
  }
  out.eq = x == y;
  out.ne = x != y;
  out.lt = x < y;
  out.le = x <= y;
  out.gt = x > y;
  out.ge = x >= y;
  if constexpr (TInfo<A>::isAp && Full) {
    A z = x;
    z += y;
    out.addAssign = toRef(z);
    z = x;
    z -= y;
    out.subAssign = toRef(z);
    z = x;
    z *= y;
    out.mulAssign = toRef(z);
    z = x;
    z &= y;
    out.andAssign = toRef(z);
    z = x;
    z |= y;
    out.orAssign = toRef(z);
    z = x;
    z ^= y;
    out.xorAssign = toRef(z);
    if (divide) {
      z = x;
      z /= y;
      out.quoAssign = toRef(z);
      z = x;
      z %= y;
      out.remAssign = toRef(z);
    }
  }
  if constexpr (TInfo<A>::isAp) {
    A fromB = y;
    out.leftFromRight = toRef(fromB);
    A z = x;
    z = y;
    out.leftAssigned = toRef(z);
  }
  if constexpr (TInfo<B>::isAp) {
    B fromA = x;
    out.rightFromLeft = toRef(fromA);
  }
}

struct PairSpec {
  int w1;
  bool s1;
  bool leftIsAp;
  int w2;
  bool s2;
  bool rightIsAp;
  bool full;
};

/// Every binary operator on edge and random values of both types, against
/// exact arithmetic (and the vendor's comparison and division rules).
QC_TEST_NOINLINE inline void runPair(const PairSpec &t, PairEval eval,
                                     std::mt19937_64 &rng) {
  std::vector<Ref> va = sampleValues(t.w1, t.s1, rng, 5);
  std::vector<Ref> vb = sampleValues(t.w2, t.s2, rng, 5);
  PairResults r;
  for (const Ref &a : va) {
    for (const Ref &b : vb) {
      bool divide = !b.isZero();
      eval(a, b, divide, r);
      Val x{a, t.w1, t.s1};
      Val y{b, t.w2, t.s2};
      auto ref = [&](const Ref &got, const Ref &want, const char *what) {
        expectRef(got, want, what, x, &y);
      };
      auto truth = [&](bool got, bool want, const char *what) {
        expectBool(got, want, what, x, &y);
      };
      ref(r.add, a + b, "+");
      ref(r.sub, a - b, "-");
      ref(r.mul, a * b, "*");
      ref(r.bitAnd, a & b, "&");
      ref(r.bitOr, a | b, "|");
      ref(r.bitXor, a ^ b, "^");
      divide = divide && t.full;
#ifndef __QC_HLS_SHIM__
      // The vendor's multi-word division and remainder are wrong for some
      // operands (e.g. (2^101 - 8) % (2^100 - 1) gives 5), so its run skips
      // divisions whose common type exceeds 64 bits.
      if (std::max(t.w1, t.w2) + (t.s1 || t.s2) > 64)
        divide = false;
#endif
      Ref quo = divide ? refDiv(a, t.w1, t.s1, b, t.w2, t.s2) : Ref();
      Ref rem = divide ? refMod(a, t.w1, t.s1, b, t.w2, t.s2) : Ref();
      // With a C integer on the left the vendor's declared (narrower)
      // result type wraps the exact value.
      Ref quoDeclared = t.leftIsAp ? quo : quo.wrap(t.w2 + t.s1, t.s1 || t.s2);
      Ref remDeclared =
          t.leftIsAp ? rem
                     : rem.wrap(std::min(t.w2, t.w1 + (t.s2 && !t.s1)), t.s2);
      if (divide) {
        ref(r.quo, quoDeclared, "/");
        ref(r.rem, remDeclared, "%");
      }
      bool eq = refEqual(a, t.w1, t.s1, b, t.w2, t.s2);
      int c = refOrder(a, t.w1, t.s1, b, t.w2, t.s2);
      truth(r.eq, eq, "==");
      truth(r.ne, !eq, "!=");
      truth(r.lt, c < 0, "<");
      truth(r.le, c <= 0, "<=");
      truth(r.gt, c > 0, ">");
      truth(r.ge, c >= 0, ">=");
      if (t.leftIsAp && t.full) {
        ref(r.addAssign, (a + b).wrap(t.w1, t.s1), "+=");
        ref(r.subAssign, (a - b).wrap(t.w1, t.s1), "-=");
        ref(r.mulAssign, (a * b).wrap(t.w1, t.s1), "*=");
        ref(r.andAssign, (a & b).wrap(t.w1, t.s1), "&=");
        ref(r.orAssign, (a | b).wrap(t.w1, t.s1), "|=");
        ref(r.xorAssign, (a ^ b).wrap(t.w1, t.s1), "^=");
        if (divide) {
          ref(r.quoAssign, quo.wrap(t.w1, t.s1), "/=");
          ref(r.remAssign, rem.wrap(t.w1, t.s1), "%=");
        }
      }
      if (t.leftIsAp) {
        ref(r.leftFromRight, b.wrap(t.w1, t.s1), "conversion to the left type");
        ref(r.leftAssigned, b.wrap(t.w1, t.s1), "assignment to the left type");
      }
      if (t.rightIsAp)
        ref(r.rightFromLeft, a.wrap(t.w2, t.s2),
            "conversion to the right type");
    }
  }
}

template <typename A, typename B, bool Full = true>
void checkPair(std::mt19937_64 &rng) {
  constexpr int w1 = TInfo<A>::width;
  constexpr bool s1 = TInfo<A>::sign;
  constexpr int w2 = TInfo<B>::width;
  constexpr bool s2 = TInfo<B>::sign;
  static_assert(isAp < AddT<A, B>, plusW(w1, s1, w2, s2), s1 || s2 >);
  static_assert(isAp<SubT<A, B>, plusW(w1, s1, w2, s2), true>);
  static_assert(isAp < MulT<A, B>, w1 + w2, s1 || s2 >);
  static_assert(isAp < AndT<A, B>, logicW(w1, s1, w2, s2), s1 || s2 >);
  static_assert(isAp < OrT<A, B>, logicW(w1, s1, w2, s2), s1 || s2 >);
  static_assert(isAp < XorT<A, B>, logicW(w1, s1, w2, s2), s1 || s2 >);
  if constexpr (TInfo<A>::isAp) {
    static_assert(isAp < DivT<A, B>, w1 + s2, s1 || s2 >);
    static_assert(isAp<ModT<A, B>, std::min(w1, w2 + (s1 && !s2)), s1>);
  } else {
    // The vendor types `c / x` and `c % x` as `x / c` and `x % c`.
    static_assert(isAp < DivT<A, B>, w2 + s1, s1 || s2 >);
    static_assert(isAp<ModT<A, B>, std::min(w2, w1 + (s2 && !s1)), s2>);
  }
  static_assert(std::is_same<EqT<A, B>, bool>::value);
  static_assert(std::is_same<LtT<A, B>, bool>::value);
  runPair({w1, s1, TInfo<A>::isAp, w2, s2, TInfo<B>::isAp, Full},
          &evalPair<A, B, Full>, rng);
}

/// Second widths for W, spread over 1..130 so that every width meets
/// narrower and wider partners.
constexpr int partner(int w) { return (w * 53 + 17) % 130 + 1; }
constexpr int partner2(int w) { return (w * 89 + 41) % 130 + 1; }

constexpr bool kLight = false;

template <int W> void checkPairsAt() {
  std::mt19937_64 rng(1000 + W);
  checkPair<ap_uint<W>, ap_int<W>>(rng);
  checkPair<ap_int<W>, ap_uint<partner(W)>>(rng);
  checkPair<ap_uint<W>, ap_uint<W>, kLight>(rng);
  checkPair<ap_int<W>, ap_int<partner2(W)>, kLight>(rng);
  // A plain int behaves as ap_int<32>.
  checkPair<ap_uint<W>, int>(rng);
}

/// Mixed sign the other way round, same-width signed pairs, C integers on
/// the left and the other C integer types, on a spread of widths.
template <int W> void checkCTypesAt() {
  std::mt19937_64 rng(2000 + W);
  checkPair<ap_int<W>, ap_uint<W>>(rng);
  checkPair<ap_int<W>, ap_int<W>>(rng);
  checkPair<ap_int<W>, int>(rng);
  checkPair<int, ap_uint<W>>(rng);
  checkPair<int, ap_int<W>>(rng);
  checkPair<ap_int<W>, unsigned>(rng);
  checkPair<ap_uint<W>, unsigned>(rng);
  checkPair<ap_int<W>, long long>(rng);
  checkPair<ap_uint<W>, unsigned long long>(rng);
  checkPair<unsigned long long, ap_int<W>, kLight>(rng);
  checkPair<ap_uint<W>, long, kLight>(rng);
  checkPair<ap_int<W>, short, kLight>(rng);
  checkPair<ap_uint<W>, unsigned char, kLight>(rng);
  checkPair<ap_int<W>, signed char, kLight>(rng);
  checkPair<ap_uint<W>, bool>(rng);
  checkPair<bool, ap_int<W>, kLight>(rng);
}

//===----------------------------------------------------------------------===//
// Unary operators, shifts, bits, ranges and conversions of one type
//===----------------------------------------------------------------------===//

struct UnaryResults {
  Ref roundTrip, neg, bitNot, plus, preInc, postIncValue, postIncAfter;
  Ref preDec, postDecValue, postDecAfter, allBitsFlipped;
  int toInt, length;
  unsigned toUint;
  long toLong;
  unsigned long toUlong;
  long long toInt64, implicitValue;
  unsigned long long toUint64;
  bool isZero, toBool, truth, logicalNot;
  Ref fromDecimal, fromHex, fromRadix16;
  std::string toString10;
};

template <int W, bool S>
QC_TEST_NOINLINE void evalUnary(const Ref &a, UnaryResults &out) {
  using A = Ap<W, S>;
  const A x = fromRef<A>(a);
  out.roundTrip = toRef(x);
  out.neg = toRef(-x);
  out.bitNot = toRef(~x);
  out.plus = toRef(+x);
  A z = x;
  out.preInc = toRef(++z);
  z = x;
  out.postIncValue = toRef(z++);
  out.postIncAfter = toRef(z);
  z = x;
  out.preDec = toRef(--z);
  z = x;
  out.postDecValue = toRef(z--);
  out.postDecAfter = toRef(z);
  z = x;
  for (int i = 0; i < W; ++i)
    z[i] = ~z[i];
  out.allBitsFlipped = toRef(z);
  out.toInt = x.to_int();
  out.toUint = x.to_uint();
  out.toLong = x.to_long();
  out.toUlong = x.to_ulong();
  out.toInt64 = x.to_int64();
  out.toUint64 = x.to_uint64();
  out.implicitValue = x;
  out.isZero = x.iszero();
  out.length = x.length();
  if (W <= 64) {
    out.toBool = x.to_bool();
    out.truth = x ? true : false;
    out.logicalNot = !x;
  }
  out.fromDecimal = toRef(A(a.dec().c_str()));
  out.fromHex = toRef(A(("0x" + a.hex(W)).c_str()));
  // Without leading zeros: the vendor reads a leading 0b/0o/0d as a prefix
  // even with radix 16.
  std::string digits = a.hex(W);
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
  out.fromRadix16 = toRef(A(digits.c_str(), 16));
  out.toString10 = x.to_string(10);
}

struct ShiftResults {
  Ref shlInt, shrInt, shlUnsigned, shrApU8, shlApU8, shlNegInt, shrNegInt;
  Ref shlNegApS9, shlAssign, shrAssign;
};

template <int W, bool S>
QC_TEST_NOINLINE void evalShift(const Ref &a, int k, ShiftResults &out) {
  using A = Ap<W, S>;
  const A x = fromRef<A>(a);
  out.shlInt = toRef(x << k);
  out.shrInt = toRef(x >> k);
  out.shlUnsigned = toRef(x << unsigned(k));
  out.shrApU8 = toRef(x >> ap_uint<8>(k));
  out.shlApU8 = toRef(x << ap_uint<8>(k));
  out.shlNegInt = toRef(x << -k);
  out.shrNegInt = toRef(x >> -k);
  out.shlNegApS9 = toRef(x << ap_int<9>(-k));
  A z = x;
  z <<= k;
  out.shlAssign = toRef(z);
  z = x;
  z >>= k;
  out.shrAssign = toRef(z);
}

struct BitResults {
  bool constRead, getBit, refRead;
  Ref afterRefWrite, afterSetBit;
};

template <int W, bool S>
QC_TEST_NOINLINE void evalBit(const Ref &a, int i, BitResults &out) {
  using A = Ap<W, S>;
  const A x = fromRef<A>(a);
  out.constRead = x[i];
  out.getBit = x.get_bit(i);
  A y = x;
  out.refRead = y[i];
  y[i] = !a.bit(i);
  out.afterRefWrite = toRef(y);
  y = x;
  y.set_bit(i, !a.bit(i));
  out.afterSetBit = toRef(y);
}

struct FromCResults {
  Ref fromLongLong, fromULongLong, fromInt, fromUnsigned, fromShort;
  Ref fromSignedChar, fromBool;
};

template <int W, bool S>
QC_TEST_NOINLINE void evalFromC(long long v, FromCResults &out) {
  using A = Ap<W, S>;
  out.fromLongLong = toRef(A(v));
  out.fromULongLong = toRef(A(static_cast<unsigned long long>(v)));
  out.fromInt = toRef(A(static_cast<int>(v)));
  out.fromUnsigned = toRef(A(static_cast<unsigned>(v)));
  out.fromShort = toRef(A(static_cast<short>(v)));
  out.fromSignedChar = toRef(A(static_cast<signed char>(v)));
  out.fromBool = toRef(A(v % 2 != 0));
}

struct RangeResults {
  Ref get, call, constGet, whole;
  unsigned long long getU64;
  int length;
  Ref set, callSet, setFromUnsigned;
};

template <int W, bool S>
QC_TEST_NOINLINE void evalRange(const Ref &a, int hi, int lo, const Ref &v,
                                RangeResults &out) {
  using A = Ap<W, S>;
  const A cx = fromRef<A>(a);
  A x = cx;
  out.get = toRef(ap_uint<W>(x.range(hi, lo)));
  out.call = toRef(ap_uint<W>(x(hi, lo)));
  out.constGet = toRef(ap_uint<W>(cx.range(hi, lo)));
  out.whole = toRef(ap_uint<W>(x.range()));
  out.getU64 = x.range(hi, lo).to_uint64();
  out.length = x.range(hi, lo).length();
  A y = cx;
  y.range(hi, lo) = fromRef<ap_uint<W>>(v);
  out.set = toRef(y);
  y = cx;
  y(hi, lo) = fromRef<ap_uint<W>>(v);
  out.callSet = toRef(y);
  y = cx;
  y.range(hi, lo) = static_cast<unsigned>(v.limb(0));
  out.setFromUnsigned = toRef(y);
}

struct OneSpec {
  int w;
  bool s;
  void (*unary)(const Ref &, UnaryResults &);
  void (*shift)(const Ref &, int, ShiftResults &);
  void (*bit)(const Ref &, int, BitResults &);
  void (*fromC)(long long, FromCResults &);
  void (*range)(const Ref &, int, int, const Ref &, RangeResults &);
};

QC_TEST_NOINLINE inline void runUnary(const OneSpec &t, std::mt19937_64 &rng) {
  const int w = t.w;
  const bool s = t.s;
  Ref one = Ref::ofInt(1);
  for (const Ref &a : sampleValues(w, s, rng, 6)) {
    Val x{a, w, s};
    auto ref = [&](const Ref &got, const Ref &want, const char *what) {
      expectRef(got, want, what, x);
    };
    auto truth = [&](bool got, bool want, const char *what) {
      expectBool(got, want, what, x);
    };
    UnaryResults u;
    t.unary(a, u);
    ref(u.roundTrip, a, "round trip");
    ref(u.neg, -a, "unary -");
    ref(u.bitNot, (~a).wrap(w, s), "~");
    ref(u.plus, a, "unary +");
    ref(u.preInc, (a + one).wrap(w, s), "prefix ++");
    ref(u.postIncValue, a, "postfix ++ result");
    ref(u.postIncAfter, (a + one).wrap(w, s), "postfix ++");
    ref(u.preDec, (a - one).wrap(w, s), "prefix --");
    ref(u.postDecValue, a, "postfix -- result");
    ref(u.postDecAfter, (a - one).wrap(w, s), "postfix --");
    ref(u.allBitsFlipped, (~a).wrap(w, s), "x[i] = ~x[i] on every bit");
    unsigned long long low = a.low64();
    truth(u.toInt == static_cast<int>(low), true, "to_int");
    truth(u.toUint == static_cast<unsigned>(low), true, "to_uint");
    truth(u.toLong == static_cast<long>(low), true, "to_long");
    truth(u.toUlong == static_cast<unsigned long>(low), true, "to_ulong");
    truth(u.toInt64 == static_cast<long long>(low), true, "to_int64");
    truth(u.toUint64 == low, true, "to_uint64");
    truth(u.implicitValue == static_cast<long long>(low), true,
          "implicit conversion");
    truth(u.isZero, a.isZero(), "iszero");
    truth(u.length == w, true, "length");
    if (w <= 64) {
      truth(u.toBool, !a.isZero(), "to_bool");
      truth(u.truth, !a.isZero(), "truth value");
      truth(u.logicalNot, a.isZero(), "!x");
    }
    ref(u.fromDecimal, a, "decimal string constructor");
    ref(u.fromHex, a, "0x string constructor");
    ref(u.fromRadix16, a, "radix-16 string constructor");
    truth(u.toString10 == a.dec(), true, "to_string(10)");

    // Shifts keep the type; a negative amount shifts the other way.
    for (int k : {0, 1, 2, 5, w / 2, w - 1, w, w + 1, w + 5}) {
      ShiftResults r;
      t.shift(a, k, r);
      Ref left = a.shl(k).wrap(w, s);
      Ref right = a.ashr(k);
      ref(r.shlInt, left, "<< int");
      ref(r.shrInt, right, ">> int");
      ref(r.shlUnsigned, left, "<< unsigned");
      ref(r.shrApU8, right, ">> ap_uint<8>");
      ref(r.shlApU8, left, "<< ap_uint<8>");
      ref(r.shlNegInt, right, "<< negative int");
      ref(r.shrNegInt, left, ">> negative int");
      ref(r.shlNegApS9, right, "<< negative ap_int<9>");
      ref(r.shlAssign, left, "<<=");
      ref(r.shrAssign, right, ">>=");
    }

    for (int i = 0; i < w; ++i) {
      BitResults r;
      t.bit(a, i, r);
      Ref flipped = a;
      flipped.setBit(i, !a.bit(i));
      truth(r.constRead, a.bit(i), "const x[i]");
      truth(r.getBit, a.bit(i), "get_bit");
      truth(r.refRead, a.bit(i), "x[i]");
      ref(r.afterRefWrite, flipped.wrap(w, s), "x[i] = b");
      ref(r.afterSetBit, flipped.wrap(w, s), "set_bit");
    }
  }

  // Construction from C integers keeps the low W bits.
  for (int i = 0; i < 8; ++i) {
    long long v = static_cast<long long>(rng());
    if (i % 2)
      v >>= rng() % 63;
    Ref r = Ref::ofInt(v);
    Val x{r, 64, true};
    auto ref = [&](const Ref &got, const Ref &want, const char *what) {
      expectRef(got, want, what, x);
    };
    FromCResults c;
    t.fromC(v, c);
    ref(c.fromLongLong, r.wrap(w, s), "from long long");
    ref(c.fromULongLong,
        Ref::ofUint(static_cast<unsigned long long>(v)).wrap(w, s),
        "from unsigned long long");
    ref(c.fromInt, Ref::ofInt(static_cast<int>(v)).wrap(w, s), "from int");
    ref(c.fromUnsigned, Ref::ofUint(static_cast<unsigned>(v)).wrap(w, s),
        "from unsigned");
    ref(c.fromShort, Ref::ofInt(static_cast<short>(v)).wrap(w, s),
        "from short");
    ref(c.fromSignedChar, Ref::ofInt(static_cast<signed char>(v)).wrap(w, s),
        "from signed char");
    ref(c.fromBool, Ref::ofInt(v % 2 != 0).wrap(w, s), "from bool");
  }
}

/// Ranges read as ap_uint<W> and assign the selected bits; hi < lo reverses.
QC_TEST_NOINLINE inline void runRanges(const OneSpec &t, std::mt19937_64 &rng) {
  const int w = t.w;
  const bool s = t.s;
  std::vector<std::pair<int, int>> spans;
  if (w <= 12) {
    for (int hi = 0; hi < w; ++hi)
      for (int lo = 0; lo < w; ++lo)
        spans.emplace_back(hi, lo);
  } else {
    spans = {{w - 1, 0}, {0, 0}, {w - 1, w - 1}, {0, w - 1}, {w / 2, 1}};
    for (int i = 0; i < 16; ++i)
      spans.emplace_back(int(rng() % unsigned(w)), int(rng() % unsigned(w)));
  }
  for (const Ref &a : sampleValues(w, s, rng, 3)) {
    Val x{a, w, s};
    auto ref = [&](const Ref &got, const Ref &want, const char *what) {
      expectRef(got, want, what, x);
    };
    for (const std::pair<int, int> &span : spans) {
      int hi = span.first;
      int lo = span.second;
      int len = std::abs(hi - lo) + 1;
      auto at = [&](int j) { return hi >= lo ? lo + j : lo - j; };
      Ref want;
      for (int j = 0; j < len; ++j)
        want.setBit(j, a.bit(at(j)));
      Ref v = Ref::random(rng).wrap(w, false);
      Ref set = a;
      Ref setLow = a;
      for (int j = 0; j < len; ++j) {
        set.setBit(at(j), v.bit(j));
        setLow.setBit(at(j), j < 32 && v.bit(j));
      }
      RangeResults r;
      t.range(a, hi, lo, v, r);
      ref(r.get, want, "range");
      ref(r.call, want, "x(hi, lo)");
      ref(r.constGet, want, "const range");
      ref(r.whole, a.wrap(w, false), "range()");
      expectBool(r.getU64 == want.low64(), true, "range to_uint64", x);
      expectBool(r.length == len, true, "range length", x);
      ref(r.set, set.wrap(w, s), "range assignment");
      ref(r.callSet, set.wrap(w, s), "x(hi, lo) assignment");
      ref(r.setFromUnsigned, setLow.wrap(w, s),
          "range assignment from unsigned");
    }
  }
}

template <int W, bool S> void checkOne(std::mt19937_64 &rng) {
  using A = Ap<W, S>;
  // Unary minus is `0 - x` with a 1-bit unsigned zero: W + 1 bits, but 3
  // for ap_int<1>.
  static_assert(
      isAp<decltype(-std::declval<const A &>()), plusW(1, false, W, S), true>);
  static_assert(isAp<decltype(~std::declval<const A &>()), W, S>);
  static_assert(isAp<decltype(+std::declval<const A &>()), W, S>);
  static_assert(isAp<decltype(std::declval<const A &>() << 3), W, S>);
  static_assert(
      isAp<decltype(std::declval<const A &>() >> ap_uint<5>(3)), W, S>);
  // The vendor's postfix ++ returns a const value.
  static_assert(isAp<std::remove_cv_t<decltype(std::declval<A &>()++)>, W, S>);
  OneSpec spec{W,
               S,
               &evalUnary<W, S>,
               &evalShift<W, S>,
               &evalBit<W, S>,
               &evalFromC<W, S>,
               &evalRange<W, S>};
  runUnary(spec, rng);
  runRanges(spec, rng);
}

template <int W> void checkOneAt() {
  std::mt19937_64 rng(3000 + W);
  checkOne<W, false>(rng);
  checkOne<W, true>(rng);
}

template <int From, int... I>
void checkPairsFrom(std::integer_sequence<int, I...>) {
  (checkPairsAt<From + I>(), ...);
}
template <int From, int... I>
void checkOneFrom(std::integer_sequence<int, I...>) {
  (checkOneAt<From + I>(), ...);
}

/// Widths From .. From + N - 1.
template <int From, int N> void checkWidths() {
  checkPairsFrom<From>(std::make_integer_sequence<int, N>());
  checkOneFrom<From>(std::make_integer_sequence<int, N>());
}

} // namespace

#endif // QC_TEST_RUNTIME_HLS_APINTCHECKS_H
