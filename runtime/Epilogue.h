//===- Epilogue.h - Integer layers' fused output transforms -----*- C++ -*-===//
//
// The elementwise program an integer convolution applies to its int32 sums
// before storing them (requantization to the next layer's integers, or
// dequantization to floats): the steps of RuntimeCalls.h's EpilogueOp, run
// in IEEE single precision in the order given, so that the results equal
// those of the linalg.generic convert-qc-to-runtime-calls took the program
// from, bit for bit. Internal to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_EPILOGUE_H
#define QC_RUNTIME_EPILOGUE_H

#include <cstdint>

namespace mlir {
namespace qc {

struct Epilogue {
  /// Pairs (EpilogueOp, operand): the operand indexes `constants`, a scalar
  /// or, with kEpiloguePerChannel, the first of one value per channel.
  const int32_t *code;
  int64_t steps;
  const float *constants;
  int64_t constantCount;
  /// The result's elements: int32 (the program ends in kEpilogueToInt) or
  /// float.
  bool floatResult;
};

/// Whether `e` is a program applyEpilogue runs for `channels` channels:
/// known steps, operands inside `constants`, an int32 value converted to
/// float before float steps and back only at the end, the result's type
/// matching `floatResult`.
bool isValidEpilogue(const Epilogue &e, int64_t channels);

/// dst[i] = e(src[i]) for channels [c0, c0 + count) of one pixel; `dst`
/// holds int32 or float elements as e.floatResult says. Requires
/// isValidEpilogue. Vectorized for the CPU's instruction set.
void applyEpilogue(const Epilogue &e, const int32_t *src, int64_t c0,
                   int64_t count, void *dst);

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_EPILOGUE_H
