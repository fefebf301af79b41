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

#include "runtime/hls/ap_int.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

//===----------------------------------------------------------------------===//
// Reference integers
//===----------------------------------------------------------------------===//

/// A 320-bit two's-complement integer: every value the tests produce (up to
/// 131-bit operands, 262-bit products) is exact in it.
class Ref {
public:
  static constexpr int kLimbs = 10;
  static constexpr int kBits = 32 * kLimbs;

  Ref() = default;

  static Ref ofInt(long long v) {
    Ref r;
    unsigned long long u = static_cast<unsigned long long>(v);
    r.l_[0] = static_cast<uint32_t>(u);
    r.l_[1] = static_cast<uint32_t>(u >> 32);
    for (int i = 2; i < kLimbs; ++i)
      r.l_[i] = v < 0 ? ~0u : 0u;
    return r;
  }
  static Ref ofUint(unsigned long long v) {
    Ref r;
    r.l_[0] = static_cast<uint32_t>(v);
    r.l_[1] = static_cast<uint32_t>(v >> 32);
    return r;
  }
  static Ref pow2(int k) {
    Ref r;
    r.l_[k / 32] = 1u << (k % 32);
    return r;
  }
  static Ref random(std::mt19937_64 &rng) {
    Ref r;
    for (auto &limb : r.l_)
      limb = static_cast<uint32_t>(rng());
    return r;
  }

  uint32_t limb(int i) const { return l_[i]; }
  void setLimb(int i, uint32_t v) { l_[i] = v; }
  bool bit(int i) const { return (l_[i / 32] >> (i % 32)) & 1u; }
  void setBit(int i, bool b) {
    uint32_t m = 1u << (i % 32);
    l_[i / 32] = b ? (l_[i / 32] | m) : (l_[i / 32] & ~m);
  }
  bool negative() const { return l_[kLimbs - 1] >> 31; }
  bool isZero() const {
    return std::all_of(l_.begin(), l_.end(), [](uint32_t x) { return !x; });
  }
  unsigned long long low64() const {
    return (static_cast<unsigned long long>(l_[1]) << 32) | l_[0];
  }

  /// Keeps the low w bits, then sign- (s) or zero-extends them.
  Ref wrap(int w, bool s) const {
    Ref r = *this;
    bool fill = s && bit(w - 1);
    int full = w / 32;
    if (w % 32 != 0) {
      uint32_t mask = (1u << (w % 32)) - 1;
      r.l_[full] = fill ? (r.l_[full] | ~mask) : (r.l_[full] & mask);
      ++full;
    }
    for (int i = full; i < kLimbs; ++i)
      r.l_[i] = fill ? ~0u : 0u;
    return r;
  }

  friend Ref operator+(const Ref &a, const Ref &b) {
    Ref r;
    uint64_t carry = 0;
    for (int i = 0; i < kLimbs; ++i) {
      uint64_t t = uint64_t(a.l_[i]) + b.l_[i] + carry;
      r.l_[i] = static_cast<uint32_t>(t);
      carry = t >> 32;
    }
    return r;
  }
  Ref operator~() const {
    Ref r;
    for (int i = 0; i < kLimbs; ++i)
      r.l_[i] = ~l_[i];
    return r;
  }
  Ref operator-() const { return ~*this + ofInt(1); }
  friend Ref operator-(const Ref &a, const Ref &b) { return a + -b; }
  friend Ref operator*(const Ref &a, const Ref &b) {
    Ref r;
    for (int i = 0; i < kLimbs; ++i) {
      uint64_t carry = 0;
      for (int j = 0; i + j < kLimbs; ++j) {
        uint64_t t = uint64_t(a.l_[i]) * b.l_[j] + r.l_[i + j] + carry;
        r.l_[i + j] = static_cast<uint32_t>(t);
        carry = t >> 32;
      }
    }
    return r;
  }
  friend Ref operator&(const Ref &a, const Ref &b) {
    return zip(a, b, [](uint32_t x, uint32_t y) { return x & y; });
  }
  friend Ref operator|(const Ref &a, const Ref &b) {
    return zip(a, b, [](uint32_t x, uint32_t y) { return x | y; });
  }
  friend Ref operator^(const Ref &a, const Ref &b) {
    return zip(a, b, [](uint32_t x, uint32_t y) { return x ^ y; });
  }
  Ref shl(int k) const {
    Ref r;
    int limbs = k / 32;
    int bits = k % 32;
    for (int i = kLimbs - 1; i >= limbs; --i) {
      uint64_t pair = (uint64_t(l_[i - limbs]) << 32) |
                      (i - limbs - 1 >= 0 ? l_[i - limbs - 1] : 0u);
      r.l_[i] = static_cast<uint32_t>(pair >> (32 - bits));
    }
    return r;
  }
  Ref ashr(int k) const {
    Ref r;
    uint32_t ext = negative() ? ~0u : 0u;
    int limbs = k / 32;
    int bits = k % 32;
    for (int i = 0; i < kLimbs; ++i) {
      uint32_t lo = i + limbs < kLimbs ? l_[i + limbs] : ext;
      uint32_t hi = i + limbs + 1 < kLimbs ? l_[i + limbs + 1] : ext;
      r.l_[i] = static_cast<uint32_t>(((uint64_t(hi) << 32) | lo) >> bits);
    }
    return r;
  }

  /// Signed three-way comparison.
  int cmp(const Ref &o) const {
    if (negative() != o.negative())
      return negative() ? -1 : 1;
    for (int i = kLimbs - 1; i >= 0; --i)
      if (l_[i] != o.l_[i])
        return l_[i] < o.l_[i] ? -1 : 1;
    return 0;
  }
  friend bool operator==(const Ref &a, const Ref &b) { return a.l_ == b.l_; }

  /// C's truncating division (b != 0): q = a / b, r = a % b.
  static void divTrunc(const Ref &a, const Ref &b, Ref &q, Ref &r) {
    Ref ma = a.negative() ? -a : a;
    Ref mb = b.negative() ? -b : b;
    Ref quo, rem;
    int top = kBits - 1;
    while (top >= 0 && !ma.bit(top))
      --top;
    for (int i = top; i >= 0; --i) {
      rem = rem.shl(1);
      rem.setBit(0, ma.bit(i));
      if (rem.cmp(mb) >= 0) {
        rem = rem - mb;
        quo.setBit(i, true);
      }
    }
    q = a.negative() != b.negative() ? -quo : quo;
    r = a.negative() ? -rem : rem;
  }

  std::string dec() const {
    Ref m = negative() ? -*this : *this;
    std::string s;
    do {
      uint64_t rem = 0;
      for (int i = kLimbs - 1; i >= 0; --i) {
        uint64_t cur = (rem << 32) | m.l_[i];
        m.l_[i] = static_cast<uint32_t>(cur / 10);
        rem = cur % 10;
      }
      s.insert(s.begin(), static_cast<char>('0' + rem));
    } while (!m.isZero());
    return negative() ? "-" + s : s;
  }
  /// Hex digits of the low w bits.
  std::string hex(int w) const {
    std::string s;
    for (int i = (w - 1) / 4; i >= 0; --i) {
      int d = 0;
      for (int j = 3; j >= 0; --j)
        d = 2 * d + (4 * i + j < w && bit(4 * i + j));
      s += "0123456789abcdef"[d];
    }
    return s;
  }

private:
  template <typename F> static Ref zip(const Ref &a, const Ref &b, F f) {
    Ref r;
    for (int i = 0; i < kLimbs; ++i)
      r.l_[i] = f(a.l_[i], b.l_[i]);
    return r;
  }

  std::array<uint32_t, kLimbs> l_{};
};

//===----------------------------------------------------------------------===//
// Type information and conversions between the types under test and Ref
//===----------------------------------------------------------------------===//

template <int W, bool S>
using Ap = std::conditional_t<S, ap_int<W>, ap_uint<W>>;

/// Width and signedness of ap_int/ap_uint and of C integers (as the rules
/// treat them). Only defined for exactly ap_int<W>/ap_uint<W>, so a result
/// of any other class fails to compile.
template <typename T, typename = void> struct TInfo;
template <int W> struct TInfo<ap_int<W>> {
  static constexpr int width = W;
  static constexpr bool sign = true;
  static constexpr bool isAp = true;
};
template <int W> struct TInfo<ap_uint<W>> {
  static constexpr int width = W;
  static constexpr bool sign = false;
  static constexpr bool isAp = true;
};
/// What the vendor's ++, -- and compound assignments return.
template <int W, bool S> struct TInfo<ap_int_base<W, S>> {
  static constexpr int width = W;
  static constexpr bool sign = S;
  static constexpr bool isAp = true;
};
template <typename T>
struct TInfo<T, std::enable_if_t<std::is_integral<T>::value>> {
  static constexpr bool isBool = std::is_same<T, bool>::value;
  static constexpr int width = isBool ? 1 : int(8 * sizeof(T));
  static constexpr bool sign = std::is_signed<T>::value && !isBool;
  static constexpr bool isAp = false;
};

/// True when T is exactly the ap class of width W and signedness S.
template <typename T, int W, bool S>
constexpr bool isAp = std::is_same<T, Ap<W, S>>::value;

template <typename A, typename B>
using AddT = decltype(std::declval<const A &>() + std::declval<const B &>());
template <typename A, typename B>
using SubT = decltype(std::declval<const A &>() - std::declval<const B &>());
template <typename A, typename B>
using MulT = decltype(std::declval<const A &>() * std::declval<const B &>());
template <typename A, typename B>
using DivT = decltype(std::declval<const A &>() / std::declval<const B &>());
template <typename A, typename B>
using ModT = decltype(std::declval<const A &>() % std::declval<const B &>());
template <typename A, typename B>
using AndT = decltype(std::declval<const A &>() & std::declval<const B &>());
template <typename A, typename B>
using OrT = decltype(std::declval<const A &>() | std::declval<const B &>());
template <typename A, typename B>
using XorT = decltype(std::declval<const A &>() ^ std::declval<const B &>());
template <typename A, typename B>
using EqT = decltype(std::declval<const A &>() == std::declval<const B &>());
template <typename A, typename B>
using LtT = decltype(std::declval<const A &>() < std::declval<const B &>());

#ifdef __QC_HLS_SHIM__

/// Reads the shim's storage words (documented in ap_int.h: little-endian
/// words whose bits above the width repeat the sign, or are zero) and checks
/// that invariant, since every operator relies on it. A plain function, so
/// each result costs one call rather than an inlined conversion.
Ref refFromWords(const uint64_t *words, int n, int w, bool s) {
  Ref r;
  bool neg = s && (words[n - 1] >> 63);
  for (int i = 0; i < Ref::kLimbs; ++i)
    r.setLimb(i, i / 2 < n
                     ? static_cast<uint32_t>(words[i / 2] >> (32 * (i % 2)))
                     : (neg ? ~0u : 0u));
  Ref wrapped = r.wrap(w, s);
  if (!(wrapped == r))
    ADD_FAILURE() << "bits above the width of a " << w
                  << "-bit value do not extend it: " << r.dec();
  return wrapped;
}

template <typename T> Ref toRef(const T &x) {
  constexpr int w = TInfo<T>::width;
  constexpr bool s = TInfo<T>::sign;
  if constexpr (TInfo<T>::isAp)
    return refFromWords(x.qcWords(), T::kNumWords, w, s);
  else if constexpr (s)
    return Ref::ofInt(static_cast<long long>(x));
  else
    return Ref::ofUint(static_cast<unsigned long long>(x));
}

/// The T holding v (already in T's range, so its limbs satisfy the storage
/// invariant).
template <typename T> T fromRef(const Ref &v) {
  if constexpr (TInfo<T>::isAp) {
    T x;
    for (int i = 0; i < T::kNumWords; ++i)
      x.qcWords()[i] = 2 * i + 1 < Ref::kLimbs
                           ? (uint64_t(v.limb(2 * i + 1)) << 32) | v.limb(2 * i)
                           : (v.negative() ? ~uint64_t(0) : 0);
    return x;
  } else if constexpr (std::is_same<T, bool>::value) {
    return v.bit(0);
  } else {
    return static_cast<T>(v.low64());
  }
}

#else

/// With the vendor's headers values pass through one wide type and its
/// public range API.
using Wide = ap_int<Ref::kBits>;

Ref wideToRef(const Wide &x) {
  Ref r;
  for (int i = 0; i < Ref::kLimbs; ++i)
    r.setLimb(i,
              static_cast<uint32_t>(x.range(32 * i + 31, 32 * i).to_uint64()));
  return r;
}

Wide refToWide(const Ref &v) {
  Wide x = 0;
  for (int i = 0; i < Ref::kLimbs; ++i)
    x.range(32 * i + 31, 32 * i) = static_cast<unsigned>(v.limb(i));
  return x;
}

template <typename T> Ref toRef(const T &x) {
  if constexpr (TInfo<T>::isAp)
    return wideToRef(Wide(x));
  else if constexpr (TInfo<T>::sign)
    return Ref::ofInt(static_cast<long long>(x));
  else
    return Ref::ofUint(static_cast<unsigned long long>(x));
}

template <typename T> T fromRef(const Ref &v) {
  if constexpr (TInfo<T>::isAp)
    return T(refToWide(v));
  else if constexpr (std::is_same<T, bool>::value)
    return v.bit(0);
  else
    return static_cast<T>(v.low64());
}

#endif // __QC_HLS_SHIM__

/// Edge values of a (w, s) type and `randoms` fixed-seed random ones.
std::vector<Ref> sampleValues(int w, bool s, std::mt19937_64 &rng,
                              int randoms) {
  Ref one = Ref::ofInt(1);
  Ref max = s ? Ref::pow2(w - 1) - one : Ref::pow2(w) - one;
  Ref min = s ? -Ref::pow2(w - 1) : Ref();
  std::vector<Ref> v = {Ref(),
                        one,
                        max,
                        max - one,
                        min,
                        min + one,
                        Ref::ofInt(-1),
                        Ref::pow2(w / 2),
                        Ref::pow2(w - 1)};
  for (int i = 0; i < randoms; ++i) {
    Ref r = Ref::random(rng);
    // Half of them small, so that both signs of mid-sized values occur.
    if (i % 2)
      r = r.ashr(Ref::kBits - 1 - int(rng() % unsigned(w + 1)));
    v.push_back(r);
  }
  for (Ref &x : v)
    x = x.wrap(w, s);
  return v;
}

//===----------------------------------------------------------------------===//
// Reference semantics of the rules
//===----------------------------------------------------------------------===//

constexpr int plusW(int w1, bool s1, int w2, bool s2) {
  return std::max(w1 + (s2 && !s1), w2 + (s1 && !s2)) + 1;
}
constexpr int logicW(int w1, bool s1, int w2, bool s2) {
  return std::max(w1 + (s2 && !s1), w2 + (s1 && !s2));
}

/// The vendor's comparisons are exact except for a mixed-sign pair whose
/// unsigned side has >= 32 bits and no fewer than the signed side. There
/// `<`/`>` rank a negative signed value above every unsigned one, and `==`
/// compares modulo 2^(unsigned width), unless both widths are equal and
/// below 64.
bool mixedNonExact(int w1, bool s1, int w2, bool s2) {
  int ws = s1 ? w1 : w2;
  int wu = s1 ? w2 : w1;
  return s1 != s2 && wu >= 32 && wu >= ws;
}

bool refEqual(const Ref &a, int w1, bool s1, const Ref &b, int w2, bool s2) {
  if (mixedNonExact(w1, s1, w2, s2) && !(w1 == w2 && w1 < 64)) {
    int wu = s1 ? w2 : w1;
    return a.wrap(wu, false) == b.wrap(wu, false);
  }
  return a == b;
}

int refOrder(const Ref &a, int w1, bool s1, const Ref &b, int w2, bool s2) {
  if (mixedNonExact(w1, s1, w2, s2)) {
    if (a.negative())
      return 1;
    if (b.negative())
      return -1;
  }
  return a.cmp(b);
}

/// The vendor divides in a common type of width max(w1, w2) + (s1 || s2),
/// signed like the wider operand (either on a tie); `%` is signed only when
/// the dividend and that type are.
Ref refDiv(const Ref &a, int w1, bool s1, const Ref &b, int w2, bool s2) {
  int m = std::max(w1, w2) + (s1 || s2);
  bool c = w1 > w2 ? s1 : w2 > w1 ? s2 : (s1 || s2);
  Ref q, r;
  Ref::divTrunc(a.wrap(m, c), b.wrap(m, c), q, r);
  return q.wrap(w1 + s2, s1 || s2);
}
Ref refMod(const Ref &a, int w1, bool s1, const Ref &b, int w2, bool s2) {
  int m = std::max(w1, w2) + (s1 || s2);
  bool c = s1 && (w1 > w2 ? s1 : w2 > w1 ? s2 : (s1 || s2));
  Ref q, r;
  Ref::divTrunc(a.wrap(m, c), b.wrap(m, c), q, r);
  return r.wrap(std::min(w1, w2 + (s1 && !s2)), s1);
}

//===----------------------------------------------------------------------===//
// Failure reporting
//===----------------------------------------------------------------------===//

/// Reports a mismatch: in full for the first few dozen of a test, then
/// only as the test's failure, to keep a broken operator from flooding.
void reportMismatch(const std::string &message) {
  static const testing::TestInfo *test = nullptr;
  static int budget = 0;
  const testing::TestInfo *current =
      testing::UnitTest::GetInstance()->current_test_info();
  if (current != test) {
    test = current;
    budget = 40;
  }
  if (budget > 0) {
    --budget;
    ADD_FAILURE() << message;
  } else if (budget == 0) {
    --budget;
    ADD_FAILURE() << "further mismatches in this test are not shown";
  }
}

/// An operand for messages: its value and the ap type it is (or acts as).
struct Val {
  const Ref &v;
  int w;
  bool s;
};

std::string describe(const Val &x) {
  return (x.s ? "ap_int<" : "ap_uint<") + std::to_string(x.w) + ">(" +
         x.v.dec() + ")";
}

void expectRef(const Ref &got, const Ref &want, const char *what, const Val &a,
               const Val *b = nullptr) {
  if (got == want)
    return;
  reportMismatch(std::string(what) + " of " + describe(a) +
                 (b ? " and " + describe(*b) : std::string()) + ": got " +
                 got.dec() + ", expected " + want.dec());
}

void expectBool(bool got, bool want, const char *what, const Val &a,
                const Val *b = nullptr) {
  if (got == want)
    return;
  reportMismatch(std::string(what) + " of " + describe(a) +
                 (b ? " and " + describe(*b) : std::string()) + ": got " +
                 (got ? "true" : "false") + ", expected " +
                 (want ? "true" : "false"));
}

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
QC_TEST_NOINLINE void runPair(const PairSpec &t, PairEval eval,
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

QC_TEST_NOINLINE void runUnary(const OneSpec &t, std::mt19937_64 &rng) {
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
QC_TEST_NOINLINE void runRanges(const OneSpec &t, std::mt19937_64 &rng) {
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

TEST(ApIntWidths, From1To16) { checkWidths<1, 16>(); }
TEST(ApIntWidths, From17To32) { checkWidths<17, 16>(); }
TEST(ApIntWidths, From33To48) { checkWidths<33, 16>(); }
TEST(ApIntWidths, From49To64) { checkWidths<49, 16>(); }
TEST(ApIntWidths, From65To80) { checkWidths<65, 16>(); }
TEST(ApIntWidths, From81To96) { checkWidths<81, 16>(); }
TEST(ApIntWidths, From97To112) { checkWidths<97, 16>(); }
TEST(ApIntWidths, From113To130) { checkWidths<113, 18>(); }

TEST(ApIntWidths, MorePairTypes) {
  checkCTypesAt<1>();
  checkCTypesAt<8>();
  checkCTypesAt<31>();
  checkCTypesAt<32>();
  checkCTypesAt<64>();
  checkCTypesAt<65>();
  checkCTypesAt<129>();
}

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
