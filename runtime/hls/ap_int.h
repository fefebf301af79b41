//===- runtime/hls/ap_int.h - C-simulation ap_int and ap_uint ---*- C++ -*-===//
//
// qc's own C-simulation model of the arbitrary-precision integers that the
// emitted HLS C++ uses: `ap_int<W>` and `ap_uint<W>`, 1 <= W <= AP_INT_MAX_W
// (4096 unless the includer defines it first). Emitted code and testbenches
// build against this header with an ordinary host compiler; no vendor tool is
// needed. The semantics are written from Xilinx UG1399's documentation of the
// types and the rules in REFERENCE §4, and were checked differentially against
// the vendor's open headers; no vendor code is used.
//
// Rules: operands are first widened to a type that holds the exact result, so
// `+ - * & | ^` and unary `-` never lose bits; bits are dropped (the low W
// bits kept, then sign- or zero-extended) only on construction, assignment and
// compound assignment. A C integer operand behaves as the ap type of its own
// width and signedness (`int` as ap_int<32>, `bool` as ap_uint<1>), a bit
// `x[i]` next to an ap value as ap_uint<1>, a range `x.range(hi, lo)` as an
// ap_uint of x's width. Shifts keep the type of the left operand.
//
// Where the vendor's headers depart from those rules the shim follows them,
// so that C simulation matches the vendor's bit for bit (each departure is
// marked where it is implemented):
// - comparisons are exact, except for a mixed-sign pair whose unsigned side
//   has at least 32 bits and no fewer than the signed side, like C's usual
//   arithmetic conversions but not quite: there `<`/`>` rank a negative
//   value above every unsigned one, while `==` compares modulo the unsigned
//   width (exactly, though, for a same-width pair under 64 bits);
// - `/` and `%` work in a common type whose signedness is the wider
//   operand's, so a narrower negative divisor of an unsigned value reads as a
//   large unsigned one, and `%` of an unsigned dividend is unsigned;
// - a C integer left of `/` or `%`, or a range of a signed value next to an
//   ap value, gets a declared result type narrower than the exact one, and
//   the exact value wraps into it;
// - unary minus of ap_int<1> has 3 bits.
// Emitted code should avoid all of these: same-signedness comparisons and
// divisions, ranges of unsigned values, an ap value left of `/` and `%`.
// Vendor defects the shim does not copy (it computes the right value):
// division and `%` of multi-word values (wrong for some operands, e.g.
// (2^65-1)^2 / (2^65-1)), to_double() of values over 64 bits (low word
// only), `if (x)` on values over 64 bits (low word only), and a 0b/0o/0d
// string prefix that contradicts an explicit radix.
//
// Checks beyond the vendor model: a bit index or range outside [0, W), a
// division by zero and a malformed string print a `qc-hls:` message to stderr
// and exit(1) instead of being undefined behaviour.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_HLS_AP_INT_H
#define QC_RUNTIME_HLS_AP_INT_H

/// Lets emitted code and testbenches detect that they run on qc's shim.
#ifndef __QC_HLS_SHIM__
#define __QC_HLS_SHIM__ 1
#endif

/// The widest ap_int the shim accepts; UG1399 lets the includer raise it.
#ifndef AP_INT_MAX_W
#define AP_INT_MAX_W 4096
#endif

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <string>
#include <type_traits>

template <int W, bool S> class ap_int_base;
template <int W> class ap_int;
template <int W> class ap_uint;
template <int W, bool S> class ap_range_ref;
template <int W, bool S> class ap_bit_ref;

/// Multi-word loops stay out of line: each operator of each width pair then
/// compiles to a short wrapper, which keeps testbenches quick to build, and a
/// call costs little next to a loop over several words. Single-word values
/// take inline fast paths instead.
#if defined(__GNUC__) || defined(__clang__)
#define QC_HLS_NOINLINE __attribute__((noinline))
#else
#define QC_HLS_NOINLINE
#endif

namespace qc_hls_detail {

using word = std::uint64_t;
__extension__ typedef unsigned __int128 dword;

constexpr int kMaxWidth = AP_INT_MAX_W;

constexpr int numWords(int w) { return (w + 63) / 64; }
constexpr int maxInt(int a, int b) { return a > b ? a : b; }
constexpr int minInt(int a, int b) { return a < b ? a : b; }

/// Result widths of the binary operators (UG1399's operand widening).
constexpr int plusWidth(int w1, bool s1, int w2, bool s2) {
  return maxInt(w1 + (s2 && !s1), w2 + (s1 && !s2)) + 1;
}
constexpr int logicWidth(int w1, bool s1, int w2, bool s2) {
  return maxInt(w1 + (s2 && !s1), w2 + (s1 && !s2));
}
constexpr int multWidth(int w1, int w2) { return w1 + w2; }
constexpr int divWidth(int w1, bool s2) { return w1 + s2; }
constexpr int modWidth(int w1, bool s1, int w2, bool s2) {
  return minInt(w1, w2 + (s1 && !s2));
}

/// `/` and `%` first convert both operands to a common type (the vendor's
/// rule): width max(W1, W2) + (S1 || S2), signed as the wider operand (either
/// one on a tie). `/` divides with that type's signedness; `%` is signed only
/// if the dividend and the common type both are. So, e.g., ap_uint<8>(7) /
/// ap_int<4>(-2) is 0 (divisor read as 510) while / ap_int<8>(-2) gives -3.
constexpr int divCommonWidth(int w1, bool s1, int w2, bool s2) {
  return maxInt(w1, w2) + (s1 || s2);
}
constexpr bool divCommonSign(int w1, bool s1, int w2, bool s2) {
  return w1 > w2 ? s1 : w2 > w1 ? s2 : (s1 || s2);
}

/// The vendor's comparisons are exact except for a mixed-sign pair whose
/// unsigned side has at least 32 bits and no fewer than the signed side:
/// then `<` and `>` read the signed operand as an unsigned number one bit
/// wider than the unsigned side, so a negative value exceeds every unsigned
/// one, while `==` reads it modulo 2^(unsigned width), so -1 equals the
/// all-ones value; both at once. A same-width pair under 64 bits stays exact
/// for `==` (the vendor compares 64-bit storage words there).
constexpr bool orderAsUnsigned(int w1, bool s1, int w2, bool s2) {
  if (s1 == s2)
    return false;
  int ws = s1 ? w1 : w2;
  int wu = s1 ? w2 : w1;
  return wu >= 32 && wu >= ws;
}
constexpr bool equalModulo(int w1, bool s1, int w2, bool s2) {
  return orderAsUnsigned(w1, s1, w2, s2) && !(w1 == w2 && w1 < 64);
}

/// Prints `qc-hls: <msg>` and ends the simulation with exit status 1.
[[noreturn]] inline void fatal(const std::string &msg) {
  std::fflush(stdout);
  std::fprintf(stderr, "qc-hls: %s\n", msg.c_str());
  std::fflush(stderr);
  std::exit(1);
}

[[noreturn]] inline void badBit(int i, int w) {
  fatal("bit index " + std::to_string(i) + " out of range for a " +
        std::to_string(w) + "-bit ap_int");
}

[[noreturn]] inline void badRange(int hi, int lo, int w) {
  fatal("range(" + std::to_string(hi) + ", " + std::to_string(lo) +
        ") out of range for a " + std::to_string(w) + "-bit ap_int");
}

//===----------------------------------------------------------------------===//
// Word-level arithmetic. A value of width w and signedness s is stored in
// numWords(w) little-endian words whose bits above w repeat the sign bit
// (signed) or are zero (unsigned), so reading past the top word only needs
// the extension word.
//===----------------------------------------------------------------------===//

constexpr word extWord(const word *a, int n, bool s) {
  return s && (a[n - 1] >> 63) ? ~word(0) : word(0);
}

constexpr word wordAt(const word *a, int n, bool s, int i) {
  return i < n ? a[i] : extWord(a, n, s);
}

/// Restores the storage invariant after the low w bits were computed.
constexpr void normalize(word *r, int w, bool s) {
  int n = numWords(w);
  int used = w % 64;
  if (used == 0)
    return;
  word mask = (word(1) << used) - 1;
  word top = r[n - 1] & mask;
  if (s && ((top >> (used - 1)) & 1))
    top |= ~mask;
  r[n - 1] = top;
}

constexpr bool isNegative(const word *a, int n, bool s) {
  return s && (a[n - 1] >> 63);
}

QC_HLS_NOINLINE constexpr void addWords(word *r, int nr, const word *a, int na,
                                        bool sa, const word *b, int nb,
                                        bool sb) {
  word carry = 0;
  for (int i = 0; i < nr; ++i) {
    word x = wordAt(a, na, sa, i);
    word y = wordAt(b, nb, sb, i);
    word s = x + y;
    word t = s + carry;
    carry = word(s < x) | word(t < s);
    r[i] = t;
  }
}

QC_HLS_NOINLINE constexpr void subWords(word *r, int nr, const word *a, int na,
                                        bool sa, const word *b, int nb,
                                        bool sb) {
  word borrow = 0;
  for (int i = 0; i < nr; ++i) {
    word x = wordAt(a, na, sa, i);
    word y = wordAt(b, nb, sb, i);
    word d = x - y;
    word t = d - borrow;
    borrow = word(x < y) | word(d < borrow);
    r[i] = t;
  }
}

/// r = a * b modulo 2^(64 nr); exact whenever the product fits in nr words.
QC_HLS_NOINLINE constexpr void mulWords(word *r, int nr, const word *a, int na,
                                        bool sa, const word *b, int nb,
                                        bool sb) {
  for (int i = 0; i < nr; ++i)
    r[i] = 0;
  for (int i = 0; i < nr; ++i) {
    word x = wordAt(a, na, sa, i);
    if (x == 0)
      continue;
    dword carry = 0;
    for (int j = 0; i + j < nr; ++j) {
      dword t = dword(x) * wordAt(b, nb, sb, j) + r[i + j] + carry;
      r[i + j] = word(t);
      carry = t >> 64;
    }
  }
}

/// In-place left shift of n words by k bits (k >= 0); bits past the top go.
QC_HLS_NOINLINE constexpr void shlWords(word *a, int n, long long k) {
  if (k >= 64LL * n) {
    for (int i = 0; i < n; ++i)
      a[i] = 0;
    return;
  }
  int ws = int(k / 64);
  int bs = int(k % 64);
  for (int i = n - 1; i >= 0; --i) {
    int src = i - ws;
    word v = src >= 0 ? a[src] << bs : 0;
    if (bs != 0 && src - 1 >= 0)
      v |= a[src - 1] >> (64 - bs);
    a[i] = v;
  }
}

/// In-place right shift of n words by k bits, filling with the extension.
QC_HLS_NOINLINE constexpr void shrWords(word *a, int n, bool s, long long k) {
  word ext = extWord(a, n, s);
  if (k >= 64LL * n) {
    for (int i = 0; i < n; ++i)
      a[i] = ext;
    return;
  }
  int ws = int(k / 64);
  int bs = int(k % 64);
  for (int i = 0; i < n; ++i) {
    int src = i + ws;
    word lo = src < n ? a[src] : ext;
    word hi = src + 1 < n ? a[src + 1] : ext;
    a[i] = bs == 0 ? lo : (lo >> bs) | (hi << (64 - bs));
  }
}

/// Three-way comparison of the mathematical values.
QC_HLS_NOINLINE constexpr int cmpExact(const word *a, int na, bool sa,
                                       const word *b, int nb, bool sb) {
  bool an = isNegative(a, na, sa);
  bool bn = isNegative(b, nb, sb);
  if (an != bn)
    return an ? -1 : 1;
  for (int i = maxInt(na, nb) - 1; i >= 0; --i) {
    word x = wordAt(a, na, sa, i);
    word y = wordAt(b, nb, sb, i);
    if (x != y)
      return x < y ? -1 : 1;
  }
  return 0;
}

/// Three-way comparison of a mod 2^m and b mod 2^m as unsigned numbers.
QC_HLS_NOINLINE constexpr int cmpModulo(const word *a, int na, bool sa,
                                        const word *b, int nb, bool sb, int m) {
  int n = numWords(m);
  for (int i = n - 1; i >= 0; --i) {
    word x = wordAt(a, na, sa, i);
    word y = wordAt(b, nb, sb, i);
    if (i == n - 1 && m % 64 != 0) {
      word mask = (word(1) << (m % 64)) - 1;
      x &= mask;
      y &= mask;
    }
    if (x != y)
      return x < y ? -1 : 1;
  }
  return 0;
}

QC_HLS_NOINLINE constexpr void negateWords(word *a, int n) {
  word carry = 1;
  for (int i = 0; i < n; ++i) {
    word t = ~a[i] + carry;
    carry = word(carry != 0 && t == 0);
    a[i] = t;
  }
}

constexpr bool isZeroWords(const word *a, int n) {
  for (int i = 0; i < n; ++i)
    if (a[i] != 0)
      return false;
  return true;
}

/// a = a * m + add modulo 2^(64 n), for building values from digit strings.
QC_HLS_NOINLINE inline void mulSmallAdd(word *a, int n, word m, word add) {
  dword carry = add;
  for (int i = 0; i < n; ++i) {
    dword t = dword(a[i]) * m + carry;
    a[i] = word(t);
    carry = t >> 64;
  }
}

/// a = a / d in place on an unsigned n-word number; returns a % d.
QC_HLS_NOINLINE inline word divSmall(word *a, int n, word d) {
  dword rem = 0;
  for (int i = n - 1; i >= 0; --i) {
    dword cur = (rem << 64) | a[i];
    a[i] = word(cur / d);
    rem = cur % d;
  }
  return word(rem);
}

/// Unsigned long division of n-word magnitudes: q = a / b, r = a % b.
/// `r` needs n + 1 words of scratch room. b must be non-zero.
QC_HLS_NOINLINE inline void divModMagnitude(const word *a, const word *b, int n,
                                            word *q, word *r) {
  for (int i = 0; i <= n; ++i)
    r[i] = 0;
  for (int i = 0; i < n; ++i)
    q[i] = 0;
  int top = 64 * n - 1;
  while (top >= 0 && ((a[top / 64] >> (top % 64)) & 1) == 0)
    --top;
  for (int bit = top; bit >= 0; --bit) {
    shlWords(r, n + 1, 1);
    r[0] |= (a[bit / 64] >> (bit % 64)) & 1;
    if (cmpExact(r, n + 1, false, b, n, false) >= 0) {
      subWords(r, n + 1, r, n + 1, false, b, n, false);
      q[bit / 64] |= word(1) << (bit % 64);
    }
  }
}

//===----------------------------------------------------------------------===//
// Width-generic helpers behind the member functions. They take the width and
// signedness as arguments so that only a thin wrapper is instantiated per
// type.
//===----------------------------------------------------------------------===//

constexpr word topMask(int w) {
  return w % 64 == 0 ? ~word(0) : (word(1) << (w % 64)) - 1;
}

/// out = |a| as an unsigned number of n words; returns whether a < 0.
inline bool magnitudeWords(const word *a, int n, int w, bool s, word *out) {
  for (int i = 0; i < n; ++i)
    out[i] = a[i];
  bool neg = isNegative(a, n, s);
  if (neg)
    negateWords(out, n);
  out[n - 1] &= topMask(w);
  return neg;
}

/// r (n words) = the low w bits of d truncated toward zero; NaN and
/// infinities give 0.
QC_HLS_NOINLINE inline void fromDouble(word *r, int n, int w, bool s,
                                       double d) {
  for (int i = 0; i < n; ++i)
    r[i] = 0;
  if (!std::isfinite(d))
    return;
  bool neg = d < 0;
  double m = std::trunc(std::fabs(d));
  if (m == 0)
    return;
  int e = 0;
  double f = std::frexp(m, &e);
  word mant = static_cast<word>(std::ldexp(f, 53));
  int shift = e - 53;
  if (shift < 0) {
    r[0] = mant >> -shift;
  } else {
    r[0] = mant;
    shlWords(r, n, shift);
  }
  if (neg)
    negateWords(r, n);
  normalize(r, w, s);
}

QC_HLS_NOINLINE inline double toDouble(const word *a, int n, int w, bool s) {
  word mag[numWords(kMaxWidth)] = {};
  bool neg = magnitudeWords(a, n, w, s, mag);
  double d = 0;
  for (int i = n - 1; i >= 0; --i)
    d = d * 18446744073709551616.0 + static_cast<double>(mag[i]);
  return neg ? -d : d;
}

/// r (n words) = the low w bits of the number written in str: an optional
/// sign, then an optional 0x/0b/0o/0d prefix, which sets the radix when none
/// is given and is skipped when it matches the given one (with another
/// radix the vendor still reads it as a prefix; here it is digits).
QC_HLS_NOINLINE inline void parseString(word *r, int n, int w, bool s,
                                        const char *str, int radix) {
  for (int i = 0; i < n; ++i)
    r[i] = 0;
  if (!str)
    fatal("null string given to an ap_int constructor");
  const char *p = str;
  bool neg = false;
  if (*p == '-' || *p == '+')
    neg = *p++ == '-';
  if (p[0] == '0' && p[1] != '\0') {
    char c = static_cast<char>(p[1] | 0x20);
    int prefixed = c == 'x'   ? 16
                   : c == 'b' ? 2
                   : c == 'o' ? 8
                   : c == 'd' ? 10
                              : 0;
    if (prefixed != 0 && (radix == 0 || radix == prefixed)) {
      radix = prefixed;
      p += 2;
    }
  }
  if (radix == 0)
    radix = 10;
  if (radix != 2 && radix != 8 && radix != 10 && radix != 16)
    fatal("unsupported radix " + std::to_string(radix) +
          " in ap_int string \"" + str + "\"");
  if (*p == '\0')
    fatal(std::string("no digits in ap_int string \"") + str + "\"");
  for (; *p; ++p) {
    char c = *p;
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : 99;
    if (d >= radix)
      fatal(std::string("bad digit '") + c + "' in ap_int string \"" + str +
            "\"");
    mulSmallAdd(r, n, word(radix), word(d));
  }
  if (neg)
    negateWords(r, n);
  normalize(r, w, s);
}

/// See ap_int_base::to_string.
QC_HLS_NOINLINE inline std::string toString(const word *a, int n, int w,
                                            int radix, bool sign) {
  if (radix == 2) {
    std::string str = "0b";
    for (int i = w - 1; i >= 0; --i)
      str += ((a[i / 64] >> (i % 64)) & 1) ? '1' : '0';
    return str;
  }
  if (radix != 8 && radix != 16)
    radix = 10;
  word mag[numWords(kMaxWidth) + 1] = {};
  for (int i = 0; i < n; ++i)
    mag[i] = a[i];
  mag[n - 1] &= topMask(w);
  bool neg = sign && ((a[(w - 1) / 64] >> ((w - 1) % 64)) & 1);
  if (neg) {
    mag[n - 1] |= ~topMask(w);
    mag[n] = ~word(0);
    negateWords(mag, n + 1);
  }
  std::string digits;
  do {
    word d = divSmall(mag, n + 1, word(radix));
    digits.insert(digits.begin(), "0123456789abcdef"[d]);
  } while (!isZeroWords(mag, n + 1));
  std::string prefix = radix == 16 ? "0x" : radix == 8 ? "0o" : "";
  return (neg ? "-" : "") + prefix + digits;
}

/// out (n words, unsigned) = bits hi..lo of p (n words), reversed if hi < lo.
QC_HLS_NOINLINE inline void getRange(const word *p, int n, int hi, int lo,
                                     word *out) {
  for (int i = 0; i < n; ++i)
    out[i] = 0;
  if (hi >= lo) {
    for (int i = 0; i < n; ++i)
      out[i] = p[i];
    // Bits above the width (a signed value's extension) land at or above
    // len and are masked off with the rest.
    shrWords(out, n, false, lo);
    int len = hi - lo + 1;
    for (int i = 0; i < n; ++i) {
      int first = 64 * i;
      if (first >= len)
        out[i] = 0;
      else if (len - first < 64)
        out[i] &= (word(1) << (len - first)) - 1;
    }
  } else {
    for (int j = 0; j <= lo - hi; ++j)
      if ((p[(lo - j) / 64] >> ((lo - j) % 64)) & 1)
        out[j / 64] |= word(1) << (j % 64);
  }
}

/// Writes the low |hi - lo| + 1 bits of v (n words) into bits hi..lo of p
/// (n words of a w-bit value of signedness s), reversed if hi < lo.
QC_HLS_NOINLINE inline void setRange(word *p, int n, int w, bool s, int hi,
                                     int lo, const word *v) {
  if (hi >= lo) {
    word shifted[numWords(kMaxWidth)] = {};
    for (int i = 0; i < n; ++i)
      shifted[i] = v[i];
    shlWords(shifted, n, lo);
    for (int i = 0; i < n; ++i) {
      int first = 64 * i;
      int last = first + 63;
      if (last < lo || first > hi)
        continue;
      int from = (lo > first ? lo : first) - first;
      int to = (hi < last ? hi : last) - first;
      word mask = to - from == 63 ? ~word(0)
                                  : ((word(1) << (to - from + 1)) - 1) << from;
      p[i] = (p[i] & ~mask) | (shifted[i] & mask);
    }
  } else {
    for (int j = 0; j <= lo - hi; ++j) {
      word m = word(1) << ((lo - j) % 64);
      bool b = (v[j / 64] >> (j % 64)) & 1;
      p[(lo - j) / 64] = b ? (p[(lo - j) / 64] | m) : (p[(lo - j) / 64] & ~m);
    }
  }
  normalize(p, w, s);
}

/// Truncating division of two n-word values of width w and signedness s:
/// magnitudes of the quotient (n words) and remainder (n + 1 words) and the
/// signs C gives them.
QC_HLS_NOINLINE inline void divModWords(const word *a, const word *b, int n,
                                        int w, bool s, word *q, word *r,
                                        bool *negQ, bool *negR) {
  if (isZeroWords(b, n))
    fatal("division by zero");
  word ma[numWords(kMaxWidth)] = {};
  word mb[numWords(kMaxWidth)] = {};
  bool na = magnitudeWords(a, n, w, s, ma);
  bool nb = magnitudeWords(b, n, w, s, mb);
  *negQ = na != nb;
  *negR = na;
  divModMagnitude(ma, mb, n, q, r);
}

//===----------------------------------------------------------------------===//
// Operand classification: which types take part in ap arithmetic, and as
// which ap type.
//===----------------------------------------------------------------------===//

template <int W, bool S> struct Info {
  static constexpr int width = W;
  static constexpr bool sign = S;
};

template <int W, bool S> Info<W, S> infoOf(const ap_int_base<W, S> *);
template <int W, bool S> Info<W, false> infoOf(const ap_range_ref<W, S> *);
template <int W, bool S> Info<1, false> infoOf(const ap_bit_ref<W, S> *);

template <typename T> struct IsBitRef : std::false_type {};
template <int W, bool S> struct IsBitRef<ap_bit_ref<W, S>> : std::true_type {};
template <typename T> struct IsRangeRef : std::false_type {
  static constexpr bool parentSign = false;
};
template <int W, bool S>
struct IsRangeRef<ap_range_ref<W, S>> : std::true_type {
  static constexpr bool parentSign = S;
};

/// C integer types and unscoped enums (which promote to one).
template <typename T>
constexpr bool isCInteger = std::is_integral<T>::value ||
                            (std::is_enum<T>::value &&
                             std::is_convertible<T, long long>::value);

template <typename T, typename = void> struct Operand {
  static constexpr bool ok = false;
  /// An ap value or range (a bit reference alone decays to bool like the
  /// vendor's does when it meets a C integer).
  static constexpr bool isAp = false;
  static constexpr bool isValue = false;
};

template <typename T>
struct Operand<T, std::enable_if_t<std::is_integral<T>::value>> {
  static constexpr bool ok = true;
  static constexpr bool isAp = false;
  static constexpr bool isValue = false;
  static constexpr bool isBool = std::is_same<T, bool>::value;
  static constexpr int width = isBool ? 1 : int(8 * sizeof(T));
  static constexpr bool sign = std::is_signed<T>::value && !isBool;
};

template <typename T>
struct Operand<T, std::enable_if_t<std::is_enum<T>::value &&
                                   std::is_convertible<T, long long>::value>>
    : Operand<decltype(+std::declval<T>())> {};

template <typename T>
struct Operand<T, std::void_t<decltype(infoOf(std::declval<const T *>()))>> {
  using I = decltype(infoOf(std::declval<const T *>()));
  static constexpr bool ok = true;
  static constexpr bool isAp = !IsBitRef<T>::value;
  static constexpr bool isValue = !IsBitRef<T>::value && !IsRangeRef<T>::value;
  static constexpr int width = I::width;
  static constexpr bool sign = I::sign;
};

/// Both operands usable and at least one an ap value or range.
template <typename A, typename B>
constexpr bool isBinary = Operand<A>::ok &&Operand<B>::ok &&
                          (Operand<A>::isAp || Operand<B>::isAp);

template <int W, bool S> struct ApType { using type = ap_uint<W>; };
template <int W> struct ApType<W, true> { using type = ap_int<W>; };
/// The class a result of width W and signedness S is returned as.
template <int W, bool S> using ApT = typename ApType<W, S>::type;

template <int W, bool S>
constexpr const ap_int_base<W, S> &val(const ap_int_base<W, S> &x) {
  return x;
}
template <int W, bool S> ap_int_base<W, false> val(const ap_range_ref<W, S> &r);
template <int W, bool S>
constexpr ap_int_base<1, false> val(const ap_bit_ref<W, S> &b);
template <typename T, std::enable_if_t<isCInteger<T>, int> = 0>
constexpr ap_int_base<Operand<T>::width, Operand<T>::sign> val(T v) {
  return ap_int_base<Operand<T>::width, Operand<T>::sign>(v);
}

template <int W, bool S>
using CType =
    std::conditional_t<(W <= 32), std::conditional_t<S, int, unsigned>,
                       std::conditional_t<S, long long, unsigned long long>>;

} // namespace qc_hls_detail

//===----------------------------------------------------------------------===//
// ap_int_base
//===----------------------------------------------------------------------===//

/// The storage and member API shared by ap_int<W> (S = true) and ap_uint<W>
/// (S = false). User code names ap_int/ap_uint; operators return those.
template <int W, bool S> class ap_int_base {
  static_assert(W >= 1 && W <= qc_hls_detail::kMaxWidth,
                "ap_int width must be in [1, AP_INT_MAX_W]");
  using word = qc_hls_detail::word;

public:
  static constexpr int width = W;
  static constexpr bool sign_flag = S;
  static constexpr int kNumWords = qc_hls_detail::numWords(W);

  constexpr ap_int_base() : w_{} {}

  /// From any C integer type, bool or unscoped enum: keeps the low W bits.
  template <typename T, std::enable_if_t<qc_hls_detail::isCInteger<T>, int> = 0>
  constexpr ap_int_base(T v) : w_{} {
    using P = decltype(+v);
    if constexpr (std::is_signed<P>::value) {
      long long x = static_cast<long long>(v);
      for (int i = 0; i < kNumWords; ++i)
        w_[i] = x < 0 ? ~word(0) : word(0);
      w_[0] = static_cast<word>(x);
    } else {
      w_[0] = static_cast<word>(v);
    }
    qcNormalize();
  }

  /// From another width or signedness: keeps the low W bits.
  template <int W2, bool S2>
  constexpr ap_int_base(const ap_int_base<W2, S2> &o) : w_{} {
    for (int i = 0; i < kNumWords; ++i)
      w_[i] = qc_hls_detail::wordAt(o.qcWords(), ap_int_base<W2, S2>::kNumWords,
                                    S2, i);
    qcNormalize();
  }

  template <int W2, bool S2>
  ap_int_base(const ap_range_ref<W2, S2> &r)
      : ap_int_base(qc_hls_detail::val(r)) {}

  template <int W2, bool S2>
  constexpr ap_int_base(const ap_bit_ref<W2, S2> &b)
      : ap_int_base(static_cast<bool>(b)) {}

  /// From a floating-point value: truncated toward zero, then the low W bits
  /// kept. NaN and infinities give 0.
  ap_int_base(double d) : w_{} {
    qc_hls_detail::fromDouble(w_, kNumWords, W, S, d);
  }
  ap_int_base(float f) : ap_int_base(static_cast<double>(f)) {}

  /// From a string in radix 2, 8, 10 or 16, optionally signed and with a
  /// 0b/0o/0x prefix (which also sets the radix when none is given). Keeps the
  /// low W bits, so wide ROM words can be written as hex literals.
  ap_int_base(const char *str) : w_{} {
    qc_hls_detail::parseString(w_, kNumWords, W, S, str, 0);
  }
  ap_int_base(const char *str, signed char radix) : w_{} {
    qc_hls_detail::parseString(w_, kNumWords, W, S, str, radix);
  }

  /// Implicit conversion to a C integer of the matching size (int or
  /// unsigned up to 32 bits, long long or unsigned long long above; wider
  /// values are truncated), so `int y = x;` and `a[x]` work.
  constexpr operator qc_hls_detail::CType<W, S>() const {
    return static_cast<qc_hls_detail::CType<W, S>>(w_[0]);
  }

  /// Truth value of all W bits, for `if (x)`, `!x` and `x && y`. (The vendor
  /// headers test only the low 64 bits there; see the report.)
  explicit constexpr operator bool() const { return !iszero(); }

  constexpr int length() const { return W; }
  constexpr bool iszero() const {
    return qc_hls_detail::isZeroWords(w_, kNumWords);
  }
  constexpr bool is_zero() const { return iszero(); }

  constexpr int to_int() const { return static_cast<int>(w_[0]); }
  constexpr unsigned to_uint() const { return static_cast<unsigned>(w_[0]); }
  constexpr long to_long() const { return static_cast<long>(w_[0]); }
  constexpr unsigned long to_ulong() const {
    return static_cast<unsigned long>(w_[0]);
  }
  constexpr long long to_int64() const { return static_cast<long long>(w_[0]); }
  constexpr unsigned long long to_uint64() const {
    return static_cast<unsigned long long>(w_[0]);
  }
  constexpr bool to_bool() const { return !iszero(); }
  double to_double() const {
    return qc_hls_detail::toDouble(w_, kNumWords, W, S);
  }
  float to_float() const { return static_cast<float>(to_double()); }

  constexpr bool get_bit(int i) const {
    checkBit(i);
    return (w_[i / 64] >> (i % 64)) & 1;
  }
  constexpr bool test(int i) const { return get_bit(i); }
  constexpr void set_bit(int i, bool b) {
    checkBit(i);
    word m = word(1) << (i % 64);
    w_[i / 64] = b ? (w_[i / 64] | m) : (w_[i / 64] & ~m);
    qcNormalize();
  }
  constexpr void set(int i) { set_bit(i, true); }
  constexpr void clear(int i) { set_bit(i, false); }
  constexpr void invert(int i) { set_bit(i, !get_bit(i)); }

  /// Reverses the bit order in place.
  constexpr ap_int_base &reverse() {
    ap_int_base r;
    for (int i = 0; i < W; ++i)
      if (get_bit(i))
        r.set_bit(W - 1 - i, true);
    *this = r;
    return *this;
  }

  constexpr bool and_reduce() const {
    for (int i = 0; i < W; ++i)
      if (!get_bit(i))
        return false;
    return true;
  }
  constexpr bool or_reduce() const { return !iszero(); }
  constexpr bool xor_reduce() const {
    bool r = false;
    for (int i = 0; i < kNumWords; ++i) {
      word x = i == kNumWords - 1 && W % 64 != 0
                   ? w_[i] & ((word(1) << (W % 64)) - 1)
                   : w_[i];
      for (; x != 0; x &= x - 1)
        r = !r;
    }
    return r;
  }
  constexpr bool nand_reduce() const { return !and_reduce(); }
  constexpr bool nor_reduce() const { return !or_reduce(); }
  constexpr bool xnor_reduce() const { return !xor_reduce(); }

  /// This value's bits above o's (see operator, below).
  template <int W2, bool S2>
  const ap_uint<W + W2> concat(const ap_int_base<W2, S2> &o) const;

  /// Bits hi..lo as an assignable unsigned value (reversed when hi < lo).
  ap_range_ref<W, S> range(int hi, int lo) {
    return ap_range_ref<W, S>(this, hi, lo);
  }
  ap_range_ref<W, S> range() { return range(W - 1, 0); }
  ap_range_ref<W, S> operator()(int hi, int lo) { return range(hi, lo); }
  /// On a const object a range is a plain (non-assignable) value.
  const ap_uint<W> range(int hi, int lo) const;
  const ap_uint<W> range() const;
  const ap_uint<W> operator()(int hi, int lo) const;

  ap_bit_ref<W, S> operator[](int i) {
    checkBit(i);
    return ap_bit_ref<W, S>(this, i);
  }
  constexpr bool operator[](int i) const { return get_bit(i); }

  /// Digits in radix 2 (two's complement, all W bits, "0b" prefix), 8 or 16
  /// (sign and magnitude, "0o"/"0x" prefix) or 10 (plain decimal). `sign`
  /// says whether radix 8/10/16 read the bits as signed. qc's own format:
  /// it matches the vendor's only for radix 10.
  std::string to_string(int radix = 2, bool sign = S) const {
    return qc_hls_detail::toString(w_, kNumWords, W, radix, sign);
  }

  /// Internal: the storage words (see the invariant in qc_hls_detail).
  constexpr const word *qcWords() const { return w_; }
  constexpr word *qcWords() { return w_; }
  constexpr void qcNormalize() { qc_hls_detail::normalize(w_, W, S); }

private:
  static constexpr void checkBit(int i) {
    if (i < 0 || i >= W)
      qc_hls_detail::badBit(i, W);
  }

  word w_[kNumWords];
};

/// Signed W-bit integer (UG1399 `ap_int<W>`).
template <int W> class ap_int : public ap_int_base<W, true> {
  using Base = ap_int_base<W, true>;

public:
  using Base::Base;
  constexpr ap_int() = default;
  constexpr ap_int(const Base &b) : Base(b) {}
};

/// Unsigned W-bit integer (UG1399 `ap_uint<W>`).
template <int W> class ap_uint : public ap_int_base<W, false> {
  using Base = ap_int_base<W, false>;

public:
  using Base::Base;
  constexpr ap_uint() = default;
  constexpr ap_uint(const Base &b) : Base(b) {}
};

//===----------------------------------------------------------------------===//
// Bit and range references
//===----------------------------------------------------------------------===//

/// `x.range(hi, lo)` / `x(hi, lo)` on a non-const x: reads as ap_uint<W>
/// (x's width, as the vendor does), assigns the low |hi - lo| + 1 bits of any
/// ap or C integer into x. hi < lo addresses the bits in reverse order.
template <int W, bool S> class ap_range_ref {
  using word = qc_hls_detail::word;

public:
  ap_range_ref(ap_int_base<W, S> *p, int hi, int lo) : p_(p), hi_(hi), lo_(lo) {
    if (hi < 0 || lo < 0 || hi >= W || lo >= W)
      qc_hls_detail::badRange(hi, lo, W);
  }
  ap_range_ref(const ap_range_ref &) = default;

  /// The selected bits, zero-extended to x's width.
  ap_uint<W> get() const {
    constexpr int n = ap_int_base<W, S>::kNumWords;
    ap_uint<W> r;
    if (n == 1 && hi_ >= lo_) {
      int len = hi_ - lo_ + 1;
      word x = p_->qcWords()[0] >> lo_;
      r.qcWords()[0] = len == 64 ? x : x & ((word(1) << len) - 1);
    } else {
      qc_hls_detail::getRange(p_->qcWords(), n, hi_, lo_, r.qcWords());
    }
    return r;
  }

  template <typename T,
            std::enable_if_t<qc_hls_detail::Operand<T>::ok, int> = 0>
  ap_range_ref &operator=(const T &v) {
    set(ap_uint<W>(qc_hls_detail::val(v)));
    return *this;
  }
  ap_range_ref &operator=(const ap_range_ref &o) {
    set(o.get());
    return *this;
  }

  operator unsigned long long() const { return get().to_uint64(); }

  int length() const { return (hi_ >= lo_ ? hi_ - lo_ : lo_ - hi_) + 1; }
  bool iszero() const { return get().iszero(); }
  int to_int() const { return get().to_int(); }
  unsigned to_uint() const { return get().to_uint(); }
  long to_long() const { return get().to_long(); }
  unsigned long to_ulong() const { return get().to_ulong(); }
  long long to_int64() const { return get().to_int64(); }
  unsigned long long to_uint64() const { return get().to_uint64(); }
  bool to_bool() const { return !iszero(); }
  std::string to_string(int radix = 2) const {
    return get().to_string(radix, false);
  }

private:
  /// Writes the low length() bits of v into the selected bits.
  void set(const ap_uint<W> &v) {
    constexpr int n = ap_int_base<W, S>::kNumWords;
    word *pw = p_->qcWords();
    if (n == 1 && hi_ >= lo_) {
      int len = hi_ - lo_ + 1;
      word mask = (len == 64 ? ~word(0) : (word(1) << len) - 1) << lo_;
      pw[0] = (pw[0] & ~mask) | ((v.qcWords()[0] << lo_) & mask);
      p_->qcNormalize();
    } else {
      qc_hls_detail::setRange(pw, n, W, S, hi_, lo_, v.qcWords());
    }
  }

  ap_int_base<W, S> *p_;
  int hi_;
  int lo_;
};

/// `x[i]` on a non-const x: reads as bool (as ap_uint<1> next to an ap
/// operand), assigns any value's truth.
template <int W, bool S> class ap_bit_ref {
public:
  constexpr ap_bit_ref(ap_int_base<W, S> *p, int i) : p_(p), i_(i) {}
  constexpr ap_bit_ref(const ap_bit_ref &) = default;

  constexpr operator bool() const { return p_->get_bit(i_); }
  constexpr bool operator~() const { return !p_->get_bit(i_); }
  constexpr bool get() const { return p_->get_bit(i_); }
  constexpr bool to_bool() const { return get(); }
  constexpr int length() const { return 1; }

  constexpr ap_bit_ref &operator=(bool b) {
    p_->set_bit(i_, b);
    return *this;
  }
  template <typename T, std::enable_if_t<qc_hls_detail::Operand<T>::ok &&
                                             !std::is_same<T, bool>::value,
                                         int> = 0>
  constexpr ap_bit_ref &operator=(const T &v) {
    p_->set_bit(i_, static_cast<bool>(qc_hls_detail::val(v)));
    return *this;
  }
  constexpr ap_bit_ref &operator=(const ap_bit_ref &o) {
    p_->set_bit(i_, o.get());
    return *this;
  }

private:
  ap_int_base<W, S> *p_;
  int i_;
};

template <int W, bool S>
template <int W2, bool S2>
const ap_uint<W + W2>
ap_int_base<W, S>::concat(const ap_int_base<W2, S2> &o) const {
  ap_uint<W + W2> hi(ap_uint<W>(*this));
  return ap_uint<W + W2>((hi << W2) | ap_uint<W2>(o));
}

template <int W, bool S>
const ap_uint<W> ap_int_base<W, S>::range(int hi, int lo) const {
  return const_cast<ap_int_base *>(this)->range(hi, lo).get();
}
template <int W, bool S> const ap_uint<W> ap_int_base<W, S>::range() const {
  return range(W - 1, 0);
}
template <int W, bool S>
const ap_uint<W> ap_int_base<W, S>::operator()(int hi, int lo) const {
  return range(hi, lo);
}

namespace qc_hls_detail {

template <int W, bool S>
ap_int_base<W, false> val(const ap_range_ref<W, S> &r) {
  return r.get();
}
template <int W, bool S>
constexpr ap_int_base<1, false> val(const ap_bit_ref<W, S> &b) {
  return ap_int_base<1, false>(static_cast<bool>(b));
}

//===----------------------------------------------------------------------===//
// Operator implementations on ap_int_base operands.
//===----------------------------------------------------------------------===//

template <int W1, bool S1, int W2, bool S2>
constexpr ApT<plusWidth(W1, S1, W2, S2), S1 || S2>
add(const ap_int_base<W1, S1> &a, const ap_int_base<W2, S2> &b) {
  using R = ApT<plusWidth(W1, S1, W2, S2), S1 || S2>;
  R r;
  if constexpr (R::kNumWords == 1)
    r.qcWords()[0] = a.qcWords()[0] + b.qcWords()[0];
  else
    addWords(r.qcWords(), R::kNumWords, a.qcWords(),
             ap_int_base<W1, S1>::kNumWords, S1, b.qcWords(),
             ap_int_base<W2, S2>::kNumWords, S2);
  r.qcNormalize();
  return r;
}

template <int W1, bool S1, int W2, bool S2>
constexpr ApT<plusWidth(W1, S1, W2, S2), true>
sub(const ap_int_base<W1, S1> &a, const ap_int_base<W2, S2> &b) {
  using R = ApT<plusWidth(W1, S1, W2, S2), true>;
  R r;
  if constexpr (R::kNumWords == 1)
    r.qcWords()[0] = a.qcWords()[0] - b.qcWords()[0];
  else
    subWords(r.qcWords(), R::kNumWords, a.qcWords(),
             ap_int_base<W1, S1>::kNumWords, S1, b.qcWords(),
             ap_int_base<W2, S2>::kNumWords, S2);
  r.qcNormalize();
  return r;
}

template <int W1, bool S1, int W2, bool S2>
constexpr ApT<multWidth(W1, W2), S1 || S2> mul(const ap_int_base<W1, S1> &a,
                                               const ap_int_base<W2, S2> &b) {
  using R = ApT<multWidth(W1, W2), S1 || S2>;
  R r;
  if constexpr (R::kNumWords == 1)
    r.qcWords()[0] = a.qcWords()[0] * b.qcWords()[0];
  else
    mulWords(r.qcWords(), R::kNumWords, a.qcWords(),
             ap_int_base<W1, S1>::kNumWords, S1, b.qcWords(),
             ap_int_base<W2, S2>::kNumWords, S2);
  r.qcNormalize();
  return r;
}

enum class LogicOp { And, Or, Xor };

template <LogicOp Op, int W1, bool S1, int W2, bool S2>
constexpr ApT<logicWidth(W1, S1, W2, S2), S1 || S2>
logic(const ap_int_base<W1, S1> &a, const ap_int_base<W2, S2> &b) {
  using R = ApT<logicWidth(W1, S1, W2, S2), S1 || S2>;
  R r;
  for (int i = 0; i < R::kNumWords; ++i) {
    word x = wordAt(a.qcWords(), ap_int_base<W1, S1>::kNumWords, S1, i);
    word y = wordAt(b.qcWords(), ap_int_base<W2, S2>::kNumWords, S2, i);
    r.qcWords()[i] = Op == LogicOp::And  ? (x & y)
                     : Op == LogicOp::Or ? (x | y)
                                         : (x ^ y);
  }
  r.qcNormalize();
  return r;
}

/// Magnitude of a value in numWords(W) words (|min| fits in W bits).
template <int W, bool S>
constexpr bool magnitude(const ap_int_base<W, S> &a, word *out) {
  constexpr int n = ap_int_base<W, S>::kNumWords;
  for (int i = 0; i < n; ++i)
    out[i] = a.qcWords()[i];
  bool neg = isNegative(a.qcWords(), n, S);
  if (neg) {
    if constexpr (n == 1)
      out[0] = ~out[0] + 1;
    else
      negateWords(out, n);
  }
  out[n - 1] &= topMask(W);
  return neg;
}

/// Truncating division of two values of one type: quotient and remainder
/// magnitudes plus the signs C gives them.
template <int W, bool S> struct DivMod {
  static constexpr int n = numWords(W);
  word q[n] = {};
  word r[n + 1] = {};
  bool negQ = false;
  bool negR = false;

  DivMod(const ap_int_base<W, S> &a, const ap_int_base<W, S> &b) {
    if constexpr (n == 1) {
      if (b.iszero())
        fatal("division by zero");
      word ma[1] = {};
      word mb[1] = {};
      bool na = magnitude(a, ma);
      bool nb = magnitude(b, mb);
      negQ = na != nb;
      negR = na;
      q[0] = ma[0] / mb[0];
      r[0] = ma[0] % mb[0];
    } else {
      divModWords(a.qcWords(), b.qcWords(), n, W, S, q, r, &negQ, &negR);
    }
  }
};

/// Writes a sign-and-magnitude result into r.
template <int W, bool S>
constexpr void setSigned(ap_int_base<W, S> &r, const word *mag, int n,
                         bool neg) {
  constexpr int nr = ap_int_base<W, S>::kNumWords;
  for (int i = 0; i < nr; ++i)
    r.qcWords()[i] = i < n ? mag[i] : 0;
  if (neg) {
    if constexpr (nr == 1)
      r.qcWords()[0] = ~r.qcWords()[0] + 1;
    else
      negateWords(r.qcWords(), nr);
  }
  r.qcNormalize();
}

template <int W1, bool S1, int W2, bool S2>
ApT<divWidth(W1, S2), S1 || S2> div(const ap_int_base<W1, S1> &a,
                                    const ap_int_base<W2, S2> &b) {
  constexpr int m = divCommonWidth(W1, S1, W2, S2);
  using D = ap_int_base<m, divCommonSign(W1, S1, W2, S2)>;
  DivMod<m, D::sign_flag> d{D(a), D(b)};
  ApT<divWidth(W1, S2), S1 || S2> r;
  setSigned(r, d.q, d.n, d.negQ);
  return r;
}

template <int W1, bool S1, int W2, bool S2>
ApT<modWidth(W1, S1, W2, S2), S1> mod(const ap_int_base<W1, S1> &a,
                                      const ap_int_base<W2, S2> &b) {
  constexpr int m = divCommonWidth(W1, S1, W2, S2);
  using D = ap_int_base<m, S1 && divCommonSign(W1, S1, W2, S2)>;
  DivMod<m, D::sign_flag> d{D(a), D(b)};
  ApT<modWidth(W1, S1, W2, S2), S1> r;
  setSigned(r, d.r, d.n + 1, d.negR);
  return r;
}

/// Length in bits of a concatenation operand: a range counts its selected
/// bits, everything else its type's width.
template <typename T> int concatLength(const T &) { return Operand<T>::width; }
template <int W, bool S> int concatLength(const ap_range_ref<W, S> &r) {
  return r.length();
}

/// `(hi, lo)`: hi's bits above lo's, as an unsigned value.
template <typename A, typename B>
ApT<Operand<A>::width + Operand<B>::width, false> concat(const A &a,
                                                         const B &b) {
  using R = ApT<Operand<A>::width + Operand<B>::width, false>;
  R hi(ApT<Operand<A>::width, false>(val(a)));
  R lo(ApT<Operand<B>::width, false>(val(b)));
  return R(hi << concatLength(b)) | lo;
}

/// `a == b` under the vendor's rules (see orderAsUnsigned).
template <int W1, bool S1, int W2, bool S2>
constexpr bool equal(const ap_int_base<W1, S1> &a,
                     const ap_int_base<W2, S2> &b) {
  constexpr int na = ap_int_base<W1, S1>::kNumWords;
  constexpr int nb = ap_int_base<W2, S2>::kNumWords;
  if constexpr (equalModulo(W1, S1, W2, S2))
    return cmpModulo(a.qcWords(), na, S1, b.qcWords(), nb, S2, S1 ? W2 : W1) ==
           0;
  else if constexpr (na == 1 && nb == 1)
    // Both words hold their values sign- or zero-extended, so equal words
    // are equal values (a negative word can only match a 64-bit unsigned
    // one, which compares modulo above).
    return a.qcWords()[0] == b.qcWords()[0];
  else
    return cmpExact(a.qcWords(), na, S1, b.qcWords(), nb, S2) == 0;
}

/// Three-way order for `< <= > >=` under the vendor's rules (see
/// orderAsUnsigned).
template <int W1, bool S1, int W2, bool S2>
constexpr int order(const ap_int_base<W1, S1> &a,
                    const ap_int_base<W2, S2> &b) {
  constexpr int na = ap_int_base<W1, S1>::kNumWords;
  constexpr int nb = ap_int_base<W2, S2>::kNumWords;
  if constexpr (orderAsUnsigned(W1, S1, W2, S2)) {
    if (isNegative(a.qcWords(), na, S1))
      return 1;
    if (isNegative(b.qcWords(), nb, S2))
      return -1;
  }
  if constexpr (na == 1 && nb == 1) {
    word x = a.qcWords()[0];
    word y = b.qcWords()[0];
    if constexpr (S1 && S2) {
      long long sx = static_cast<long long>(x);
      long long sy = static_cast<long long>(y);
      return sx < sy ? -1 : sx > sy;
    } else if constexpr (!S1 && !S2) {
      return x < y ? -1 : x > y;
    } else {
      return cmpExact(a.qcWords(), 1, S1, b.qcWords(), 1, S2);
    }
  } else {
    return cmpExact(a.qcWords(), na, S1, b.qcWords(), nb, S2);
  }
}

/// A shift amount as a direction and a distance clamped to [0, 2^20]
/// (anything at least W behaves the same).
template <int W, bool S>
constexpr long long shiftAmount(const ap_int_base<W, S> &b, bool &reverse) {
  constexpr int n = ap_int_base<W, S>::kNumWords;
  word mag[n] = {};
  reverse = magnitude(b, mag);
  for (int i = 1; i < n; ++i)
    if (mag[i] != 0)
      return 1LL << 20;
  return mag[0] > (word(1) << 20) ? (1LL << 20)
                                  : static_cast<long long>(mag[0]);
}

template <int W, bool S>
constexpr ApT<W, S> shiftBy(const ap_int_base<W, S> &a, long long k,
                            bool right) {
  constexpr int n = ap_int_base<W, S>::kNumWords;
  ApT<W, S> r(a);
  word *rw = r.qcWords();
  if constexpr (n == 1) {
    word x = rw[0];
    bool neg = S && (x >> 63);
    if (right)
      rw[0] = k >= 64 ? (neg ? ~word(0) : 0) : neg ? ~(~x >> k) : x >> k;
    else
      rw[0] = k >= 64 ? 0 : x << k;
  } else if (right) {
    shrWords(rw, n, S, k);
  } else {
    shlWords(rw, n, k);
  }
  r.qcNormalize();
  return r;
}

/// Unary minus, typed as the vendor's `0 - x` with a 1-bit unsigned zero:
/// W + 1 signed bits, except 3 for ap_int<1>. Always exact.
template <int W, bool S>
constexpr ApT<plusWidth(1, false, W, S), true>
negate(const ap_int_base<W, S> &a) {
  using R = ApT<plusWidth(1, false, W, S), true>;
  R r(a);
  if constexpr (R::kNumWords == 1)
    r.qcWords()[0] = ~r.qcWords()[0] + 1;
  else
    negateWords(r.qcWords(), R::kNumWords);
  r.qcNormalize();
  return r;
}

template <int W1, bool S1, int W2, bool S2>
constexpr ApT<W1, S1> shl(const ap_int_base<W1, S1> &a,
                          const ap_int_base<W2, S2> &b) {
  bool rev = false;
  long long k = shiftAmount(b, rev);
  return shiftBy(a, k, rev);
}

template <int W1, bool S1, int W2, bool S2>
constexpr ApT<W1, S1> shr(const ap_int_base<W1, S1> &a,
                          const ap_int_base<W2, S2> &b) {
  bool rev = false;
  long long k = shiftAmount(b, rev);
  return shiftBy(a, k, !rev);
}

enum class OpKind { Plus, Minus, Mult, Div, Mod, Logic };

constexpr int kindWidth(OpKind k, int w1, bool s1, int w2, bool s2) {
  return k == OpKind::Plus || k == OpKind::Minus ? plusWidth(w1, s1, w2, s2)
         : k == OpKind::Mult                     ? multWidth(w1, w2)
         : k == OpKind::Div                      ? divWidth(w1, s2)
         : k == OpKind::Mod                      ? modWidth(w1, s1, w2, s2)
                                                 : logicWidth(w1, s1, w2, s2);
}
constexpr bool kindSign(OpKind k, bool s1, bool s2) {
  return k == OpKind::Minus ? true : k == OpKind::Mod ? s1 : (s1 || s2);
}

/// The type the vendor's headers declare for `a op b` where it is not the
/// exact type of the operation; the exact result is then wrapped into it.
/// Two cases: a range of a signed value next to an ap value counts as signed
/// (of the value's width) for the type, while its bits are read unsigned;
/// and a C integer left of `/` or `%` gets the type of `b op a`. Everything
/// else keeps the exact type.
template <OpKind K, typename A, typename B, typename R>
constexpr auto declared(const R &exact) {
  using OA = Operand<A>;
  using OB = Operand<B>;
  if constexpr (IsRangeRef<A>::value && OB::isValue) {
    constexpr bool sa = IsRangeRef<A>::parentSign;
    return ApT<kindWidth(K, OA::width, sa, OB::width, OB::sign),
               kindSign(K, sa, OB::sign)>(exact);
  } else if constexpr (OA::isValue && IsRangeRef<B>::value) {
    constexpr bool sb = IsRangeRef<B>::parentSign;
    return ApT<kindWidth(K, OA::width, OA::sign, OB::width, sb),
               kindSign(K, OA::sign, sb)>(exact);
  } else if constexpr (!std::is_class<A>::value && OB::isValue &&
                       (K == OpKind::Div || K == OpKind::Mod)) {
    return ApT<kindWidth(K, OB::width, OB::sign, OA::width, OA::sign),
               kindSign(K, OB::sign, OA::sign)>(exact);
  } else {
    return exact;
  }
}

template <typename A, typename B>
using EnableBinary = std::enable_if_t<isBinary<A, B>, int>;

template <typename A, typename B>
using EnableShift = std::enable_if_t<Operand<A>::isAp && Operand<B>::ok, int>;

template <typename T>
using EnableValue = std::enable_if_t<Operand<T>::isValue, int>;

/// Concatenation: ap values, ranges and bits, plus C integers next to them.
template <typename A, typename B>
using EnableConcat =
    std::enable_if_t<Operand<A>::ok && Operand<B>::ok &&
                         (std::is_class<A>::value || std::is_class<B>::value),
                     int>;

template <typename T, typename B>
using EnableCompound =
    std::enable_if_t<Operand<T>::isValue && Operand<B>::ok, int>;

} // namespace qc_hls_detail

//===----------------------------------------------------------------------===//
// Operators. Each takes ap values, ranges, bit references (next to an ap
// value or range) and C integers, and defers to the ap_int_base versions.
//===----------------------------------------------------------------------===//

template <typename A, typename B, qc_hls_detail::EnableBinary<A, B> = 0>
constexpr auto operator+(const A &a, const B &b) {
  return qc_hls_detail::declared<qc_hls_detail::OpKind::Plus, A, B>(
      qc_hls_detail::add(qc_hls_detail::val(a), qc_hls_detail::val(b)));
}
template <typename A, typename B, qc_hls_detail::EnableBinary<A, B> = 0>
constexpr auto operator-(const A &a, const B &b) {
  return qc_hls_detail::declared<qc_hls_detail::OpKind::Minus, A, B>(
      qc_hls_detail::sub(qc_hls_detail::val(a), qc_hls_detail::val(b)));
}
template <typename A, typename B, qc_hls_detail::EnableBinary<A, B> = 0>
constexpr auto operator*(const A &a, const B &b) {
  return qc_hls_detail::declared<qc_hls_detail::OpKind::Mult, A, B>(
      qc_hls_detail::mul(qc_hls_detail::val(a), qc_hls_detail::val(b)));
}
template <typename A, typename B, qc_hls_detail::EnableBinary<A, B> = 0>
auto operator/(const A &a, const B &b) {
  return qc_hls_detail::declared<qc_hls_detail::OpKind::Div, A, B>(
      qc_hls_detail::div(qc_hls_detail::val(a), qc_hls_detail::val(b)));
}
template <typename A, typename B, qc_hls_detail::EnableBinary<A, B> = 0>
auto operator%(const A &a, const B &b) {
  return qc_hls_detail::declared<qc_hls_detail::OpKind::Mod, A, B>(
      qc_hls_detail::mod(qc_hls_detail::val(a), qc_hls_detail::val(b)));
}
template <typename A, typename B, qc_hls_detail::EnableBinary<A, B> = 0>
constexpr auto operator&(const A &a, const B &b) {
  return qc_hls_detail::declared<qc_hls_detail::OpKind::Logic, A, B>(
      qc_hls_detail::logic<qc_hls_detail::LogicOp::And>(qc_hls_detail::val(a),
                                                        qc_hls_detail::val(b)));
}
template <typename A, typename B, qc_hls_detail::EnableBinary<A, B> = 0>
constexpr auto operator|(const A &a, const B &b) {
  return qc_hls_detail::declared<qc_hls_detail::OpKind::Logic, A, B>(
      qc_hls_detail::logic<qc_hls_detail::LogicOp::Or>(qc_hls_detail::val(a),
                                                       qc_hls_detail::val(b)));
}
template <typename A, typename B, qc_hls_detail::EnableBinary<A, B> = 0>
constexpr auto operator^(const A &a, const B &b) {
  return qc_hls_detail::declared<qc_hls_detail::OpKind::Logic, A, B>(
      qc_hls_detail::logic<qc_hls_detail::LogicOp::Xor>(qc_hls_detail::val(a),
                                                        qc_hls_detail::val(b)));
}

template <typename A, typename B, qc_hls_detail::EnableBinary<A, B> = 0>
constexpr bool operator==(const A &a, const B &b) {
  return qc_hls_detail::equal(qc_hls_detail::val(a), qc_hls_detail::val(b));
}
template <typename A, typename B, qc_hls_detail::EnableBinary<A, B> = 0>
constexpr bool operator!=(const A &a, const B &b) {
  return !qc_hls_detail::equal(qc_hls_detail::val(a), qc_hls_detail::val(b));
}
template <typename A, typename B, qc_hls_detail::EnableBinary<A, B> = 0>
constexpr bool operator<(const A &a, const B &b) {
  return qc_hls_detail::order(qc_hls_detail::val(a), qc_hls_detail::val(b)) < 0;
}
template <typename A, typename B, qc_hls_detail::EnableBinary<A, B> = 0>
constexpr bool operator<=(const A &a, const B &b) {
  return qc_hls_detail::order(qc_hls_detail::val(a), qc_hls_detail::val(b)) <=
         0;
}
template <typename A, typename B, qc_hls_detail::EnableBinary<A, B> = 0>
constexpr bool operator>(const A &a, const B &b) {
  return qc_hls_detail::order(qc_hls_detail::val(a), qc_hls_detail::val(b)) > 0;
}
template <typename A, typename B, qc_hls_detail::EnableBinary<A, B> = 0>
constexpr bool operator>=(const A &a, const B &b) {
  return qc_hls_detail::order(qc_hls_detail::val(a), qc_hls_detail::val(b)) >=
         0;
}

/// Concatenation `(hi, lo)` as an rvalue of width W_hi + W_lo (a range
/// contributes its selected bits). The result is const so that the vendor's
/// assignable form `(a, b) = x`, which the shim does not model, fails to
/// compile instead of silently assigning a temporary.
template <typename A, typename B, qc_hls_detail::EnableConcat<A, B> = 0>
const qc_hls_detail::ApT<
    qc_hls_detail::Operand<A>::width + qc_hls_detail::Operand<B>::width, false>
operator,(const A &a, const B &b) {
  return qc_hls_detail::concat(a, b);
}

/// Shifts keep the left operand's type; a negative (signed) amount shifts
/// the other way; `>>` of a signed value is arithmetic.
template <typename A, typename B, qc_hls_detail::EnableShift<A, B> = 0>
constexpr auto operator<<(const A &a, const B &b) {
  return qc_hls_detail::shl(qc_hls_detail::val(a), qc_hls_detail::val(b));
}
template <typename A, typename B, qc_hls_detail::EnableShift<A, B> = 0>
constexpr auto operator>>(const A &a, const B &b) {
  return qc_hls_detail::shr(qc_hls_detail::val(a), qc_hls_detail::val(b));
}

/// Unary minus is exact: W + 1 signed bits (3 for ap_int<1>, as in the
/// vendor's headers).
template <typename T, qc_hls_detail::EnableValue<T> = 0>
constexpr auto operator-(const T &a) {
  return qc_hls_detail::negate(qc_hls_detail::val(a));
}
template <typename T, qc_hls_detail::EnableValue<T> = 0>
constexpr auto operator+(const T &a) {
  return qc_hls_detail::ApT<T::width, T::sign_flag>(a);
}
template <typename T, qc_hls_detail::EnableValue<T> = 0>
constexpr auto operator~(const T &a) {
  qc_hls_detail::ApT<T::width, T::sign_flag> r(a);
  for (int i = 0; i < T::kNumWords; ++i)
    r.qcWords()[i] = ~r.qcWords()[i];
  r.qcNormalize();
  return r;
}

/// Compound assignments compute exactly, then wrap into the left type.
template <typename T, typename B, qc_hls_detail::EnableCompound<T, B> = 0>
constexpr T &operator+=(T &a, const B &b) {
  return a = T(a + b);
}
template <typename T, typename B, qc_hls_detail::EnableCompound<T, B> = 0>
constexpr T &operator-=(T &a, const B &b) {
  return a = T(a - b);
}
template <typename T, typename B, qc_hls_detail::EnableCompound<T, B> = 0>
constexpr T &operator*=(T &a, const B &b) {
  return a = T(a * b);
}
template <typename T, typename B, qc_hls_detail::EnableCompound<T, B> = 0>
T &operator/=(T &a, const B &b) {
  return a = T(a / b);
}
template <typename T, typename B, qc_hls_detail::EnableCompound<T, B> = 0>
T &operator%=(T &a, const B &b) {
  return a = T(a % b);
}
template <typename T, typename B, qc_hls_detail::EnableCompound<T, B> = 0>
constexpr T &operator&=(T &a, const B &b) {
  return a = T(a & b);
}
template <typename T, typename B, qc_hls_detail::EnableCompound<T, B> = 0>
constexpr T &operator|=(T &a, const B &b) {
  return a = T(a | b);
}
template <typename T, typename B, qc_hls_detail::EnableCompound<T, B> = 0>
constexpr T &operator^=(T &a, const B &b) {
  return a = T(a ^ b);
}
template <typename T, typename B, qc_hls_detail::EnableCompound<T, B> = 0>
constexpr T &operator<<=(T &a, const B &b) {
  return a = T(a << b);
}
template <typename T, typename B, qc_hls_detail::EnableCompound<T, B> = 0>
constexpr T &operator>>=(T &a, const B &b) {
  return a = T(a >> b);
}

template <typename T, qc_hls_detail::EnableValue<T> = 0>
constexpr T &operator++(T &a) {
  return a += 1;
}
template <typename T, qc_hls_detail::EnableValue<T> = 0>
constexpr T &operator--(T &a) {
  return a -= 1;
}
template <typename T, qc_hls_detail::EnableValue<T> = 0>
constexpr T operator++(T &a, int) {
  T old(a);
  a += 1;
  return old;
}
template <typename T, qc_hls_detail::EnableValue<T> = 0>
constexpr T operator--(T &a, int) {
  T old(a);
  a -= 1;
  return old;
}

/// Decimal, or hex/oct (sign and magnitude, prefixed) under std::hex/oct.
template <int W, bool S>
std::ostream &operator<<(std::ostream &os, const ap_int_base<W, S> &x) {
  std::ios_base::fmtflags base = os.flags() & std::ios_base::basefield;
  int radix = base == std::ios_base::hex   ? 16
              : base == std::ios_base::oct ? 8
                                           : 10;
  return os << x.to_string(radix);
}
template <int W, bool S>
std::ostream &operator<<(std::ostream &os, const ap_range_ref<W, S> &r) {
  return os << r.get();
}

#endif // QC_RUNTIME_HLS_AP_INT_H
