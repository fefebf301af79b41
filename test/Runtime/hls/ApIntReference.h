//===- test/Runtime/hls/ApIntReference.h - ap_int test reference -*- C++
//-*-===//
//
// The independent reference of the ap_int shim tests (ApIntTest.cpp has the
// overview): `Ref`, a 320-bit two's-complement integer on 32-bit limbs, the
// width and signedness of the types under test, conversions between them
// and Ref, the documented result-width rules and failure reporting. Shared
// by the tests' translation units, which instantiate different widths.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TEST_RUNTIME_HLS_APINTREFERENCE_H
#define QC_TEST_RUNTIME_HLS_APINTREFERENCE_H

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
inline Ref refFromWords(const uint64_t *words, int n, int w, bool s) {
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

inline Ref wideToRef(const Wide &x) {
  Ref r;
  for (int i = 0; i < Ref::kLimbs; ++i)
    r.setLimb(i,
              static_cast<uint32_t>(x.range(32 * i + 31, 32 * i).to_uint64()));
  return r;
}

inline Wide refToWide(const Ref &v) {
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
inline bool mixedNonExact(int w1, bool s1, int w2, bool s2) {
  int ws = s1 ? w1 : w2;
  int wu = s1 ? w2 : w1;
  return s1 != s2 && wu >= 32 && wu >= ws;
}

inline bool refEqual(const Ref &a, int w1, bool s1, const Ref &b, int w2,
                     bool s2) {
  if (mixedNonExact(w1, s1, w2, s2) && !(w1 == w2 && w1 < 64)) {
    int wu = s1 ? w2 : w1;
    return a.wrap(wu, false) == b.wrap(wu, false);
  }
  return a == b;
}

inline int refOrder(const Ref &a, int w1, bool s1, const Ref &b, int w2,
                    bool s2) {
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
inline Ref refDiv(const Ref &a, int w1, bool s1, const Ref &b, int w2,
                  bool s2) {
  int m = std::max(w1, w2) + (s1 || s2);
  bool c = w1 > w2 ? s1 : w2 > w1 ? s2 : (s1 || s2);
  Ref q, r;
  Ref::divTrunc(a.wrap(m, c), b.wrap(m, c), q, r);
  return q.wrap(w1 + s2, s1 || s2);
}
inline Ref refMod(const Ref &a, int w1, bool s1, const Ref &b, int w2,
                  bool s2) {
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
inline void reportMismatch(const std::string &message) {
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

inline std::string describe(const Val &x) {
  return (x.s ? "ap_int<" : "ap_uint<") + std::to_string(x.w) + ">(" +
         x.v.dec() + ")";
}

inline void expectRef(const Ref &got, const Ref &want, const char *what,
                      const Val &a, const Val *b = nullptr) {
  if (got == want)
    return;
  reportMismatch(std::string(what) + " of " + describe(a) +
                 (b ? " and " + describe(*b) : std::string()) + ": got " +
                 got.dec() + ", expected " + want.dec());
}

inline void expectBool(bool got, bool want, const char *what, const Val &a,
                       const Val *b = nullptr) {
  if (got == want)
    return;
  reportMismatch(std::string(what) + " of " + describe(a) +
                 (b ? " and " + describe(*b) : std::string()) + ": got " +
                 (got ? "true" : "false") + ", expected " +
                 (want ? "true" : "false"));
}

} // namespace

#endif // QC_TEST_RUNTIME_HLS_APINTREFERENCE_H
