//===- Epilogue.cpp - Integer layers' fused output transforms -------------===//
//
// Implements Epilogue.h. The program is interpreted a step at a time over
// chunks of up to 64 channels, each step a plain loop the compiler
// vectorizes; the loops are compiled for AVX-512, AVX2 and baseline x86-64
// and picked by the runtime's instruction-set level. Every step is one
// IEEE operation on its own (the runtime is built with -ffp-contract=off),
// so that no multiply and add fuse where generated code keeps them apart.
//
//===----------------------------------------------------------------------===//

#include "runtime/Epilogue.h"

#include "runtime/CpuFeatures.h"
#include "runtime/RuntimeCalls.h"

#include <stdint.h>
#include <string.h>

using namespace mlir::qc;

namespace {

constexpr int64_t kChunk = 64;

inline uint32_t bitsOf(float v) { return __builtin_bit_cast(uint32_t, v); }
inline float fromBits(uint32_t v) { return __builtin_bit_cast(float, v); }

/// arith.maximumf: IEEE 754-2019 maximum (NaN if either is NaN, +0 > -0).
inline float maximumOf(float a, float b) {
  float r = a > b ? a : b;
  r = a == b ? fromBits(bitsOf(a) & bitsOf(b)) : r;
  return a != a || b != b ? a + b : r;
}

/// arith.minimumf: IEEE 754-2019 minimum (NaN if either is NaN, -0 < +0).
inline float minimumOf(float a, float b) {
  float r = a < b ? a : b;
  r = a == b ? fromBits(bitsOf(a) | bitsOf(b)) : r;
  return a != a || b != b ? a + b : r;
}

/// arith.fptosi as x86 computes it: truncation, INT32_MIN when out of range
/// or NaN.
inline int32_t toInt(float v) {
  return v >= -2147483648.0f && v < 2147483648.0f ? static_cast<int32_t>(v)
                                                  : INT32_MIN;
}

/// v[i] = op(v[i], c[i]) or op(v[i], *c).
template <typename Op>
inline __attribute__((always_inline)) void
applyBinary(float *v, int64_t n, const float *c, bool perChannel, Op op) {
  if (perChannel) {
    for (int64_t i = 0; i < n; ++i)
      v[i] = op(v[i], c[i]);
    return;
  }
  const float s = *c;
  for (int64_t i = 0; i < n; ++i)
    v[i] = op(v[i], s);
}

inline __attribute__((always_inline)) void runProgram(const Epilogue &e,
                                                      const int32_t *src,
                                                      int64_t c0, int64_t count,
                                                      void *dst) {
  for (int64_t base = 0; base < count; base += kChunk) {
    const int64_t n = count - base < kChunk ? count - base : kChunk;
    alignas(64) int32_t ints[kChunk];
    alignas(64) float floats[kChunk];
    memcpy(ints, src + base, n * sizeof(int32_t));
    for (int64_t s = 0; s < e.steps; ++s) {
      const int32_t op = e.code[2 * s] & ~kEpiloguePerChannel;
      const bool perChannel = e.code[2 * s] & kEpiloguePerChannel;
      const float *c =
          e.constants + e.code[2 * s + 1] + (perChannel ? c0 + base : 0);
      switch (op) {
      case kEpilogueToFloat:
        for (int64_t i = 0; i < n; ++i)
          floats[i] = static_cast<float>(ints[i]);
        break;
      case kEpilogueToInt:
        for (int64_t i = 0; i < n; ++i)
          ints[i] = toInt(floats[i]);
        break;
      case kEpilogueRoundEven:
        for (int64_t i = 0; i < n; ++i)
          floats[i] = __builtin_roundevenf(floats[i]);
        break;
      case kEpilogueAdd:
        applyBinary(floats, n, c, perChannel,
                    [](float v, float k) { return v + k; });
        break;
      case kEpilogueSub:
        applyBinary(floats, n, c, perChannel,
                    [](float v, float k) { return v - k; });
        break;
      case kEpilogueSubFrom:
        applyBinary(floats, n, c, perChannel,
                    [](float v, float k) { return k - v; });
        break;
      case kEpilogueMul:
        applyBinary(floats, n, c, perChannel,
                    [](float v, float k) { return v * k; });
        break;
      case kEpilogueDiv:
        applyBinary(floats, n, c, perChannel,
                    [](float v, float k) { return v / k; });
        break;
      case kEpilogueDivInto:
        applyBinary(floats, n, c, perChannel,
                    [](float v, float k) { return k / v; });
        break;
      case kEpilogueMax:
        applyBinary(floats, n, c, perChannel, maximumOf);
        break;
      case kEpilogueMin:
        applyBinary(floats, n, c, perChannel, minimumOf);
        break;
      default:
        break; // isValidEpilogue admits no other op
      }
    }
    if (e.floatResult)
      memcpy(static_cast<float *>(dst) + base, floats, n * sizeof(float));
    else
      memcpy(static_cast<int32_t *>(dst) + base, ints, n * sizeof(int32_t));
  }
}

__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl"))) void
runAvx512(const Epilogue &e, const int32_t *src, int64_t c0, int64_t count,
          void *dst) {
  runProgram(e, src, c0, count, dst);
}

__attribute__((target("avx2"))) void runAvx2(const Epilogue &e,
                                             const int32_t *src, int64_t c0,
                                             int64_t count, void *dst) {
  runProgram(e, src, c0, count, dst);
}

void runBaseline(const Epilogue &e, const int32_t *src, int64_t c0,
                 int64_t count, void *dst) {
  runProgram(e, src, c0, count, dst);
}

} // namespace

namespace mlir {
namespace qc {

bool isValidEpilogue(const Epilogue &e, int64_t channels) {
  if (!e.code || !e.constants || e.steps <= 0 || e.steps > 1024 ||
      e.constantCount < 0 || channels <= 0)
    return false;
  bool isFloat = false;
  for (int64_t s = 0; s < e.steps; ++s) {
    const int32_t word = e.code[2 * s], operand = e.code[2 * s + 1];
    const int32_t op = word & ~kEpiloguePerChannel;
    if (op < kEpilogueToFloat || op > kEpilogueLastOp)
      return false;
    if (op == kEpilogueToFloat || op == kEpilogueToInt) {
      if (isFloat != (op == kEpilogueToInt))
        return false;
      isFloat = op == kEpilogueToFloat;
      continue;
    }
    if (!isFloat)
      return false;
    if (op == kEpilogueRoundEven)
      continue;
    const int64_t needed = (word & kEpiloguePerChannel) ? channels : int64_t(1);
    if (operand < 0 || operand > e.constantCount - needed)
      return false;
  }
  return isFloat == e.floatResult;
}

void applyEpilogue(const Epilogue &e, const int32_t *src, int64_t c0,
                   int64_t count, void *dst) {
  int32_t level = qc_rt_isa_level();
  if (level >= kIsaAvx512)
    runAvx512(e, src, c0, count, dst);
  else if (level >= kIsaAvx2)
    runAvx2(e, src, c0, count, dst);
  else
    runBaseline(e, src, c0, count, dst);
}

} // namespace qc
} // namespace mlir
