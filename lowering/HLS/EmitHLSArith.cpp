//===- EmitHLSArith.cpp - The arithmetic of integer layers in HLS C++ -----===//
//
// The integer layers' part of the matrix-vector unit (EmitHLSLayers.cpp
// prints its loop): per PE, the dot product of one ROM word of weights with
// the SIMD unsigned activation codes of the current input word. Ternary
// weights are a non-zero and a sign plane, so each lane adds the code, its
// negation or nothing (no multiplier, as FINN's ternary MVAU); uniform
// weights (qc.bitserial_popcount's planes, as integers) are two's
// complement lanes multiplied by the code. Widths follow the weights'
// bounds, so no partial sum can wrap.
//
//===----------------------------------------------------------------------===//

#include "lowering/HLS/EmitHLSPrinter.h"

#include <algorithm>
#include <cstdlib>

using namespace mlir;
using namespace mlir::qc;

namespace {

int64_t getMaxMagnitude(const HlsLayerPlan &l) {
  int64_t m = 0;
  for (int64_t w : l.values)
    m = std::max<int64_t>(m, std::abs(w));
  return m;
}

bool isTernary(const HlsLayerPlan &l) { return l.geom.kind == "ternary"; }

} // namespace

int64_t HlsPrinter::getIntegerDotBits(const HlsLayerPlan &l) {
  // A tile's dot product is a partial sum of one channel, so it fits the
  // accumulator; it also fits SIMD products of the largest magnitudes.
  const int64_t maxCode = (int64_t(1) << l.inputBits) - 1;
  const int64_t bound = l.geom.simd * getMaxMagnitude(l) * maxCode;
  return std::min(l.accBits, getSignedBits(-bound, bound));
}

std::string HlsPrinter::getPadWord(const HlsLayerPlan &l) {
  const int64_t lanes = l.geom.simd, bits = l.inputBits;
  std::string hex;
  std::vector<uint8_t> word(lanes * bits);
  for (int64_t i = 0; i < lanes; ++i)
    for (int64_t b = 0; b < bits; ++b)
      word[i * bits + b] = (l.padCode >> b) & 1;
  const int64_t width = word.size();
  for (int64_t nibble = (width + 3) / 4 - 1; nibble >= 0; --nibble) {
    int digit = 0;
    for (int b = 3; b >= 0; --b) {
      int64_t i = nibble * 4 + b;
      digit = digit * 2 + (i < width ? word[i] : 0);
    }
    hex += "0123456789abcdef"[digit];
  }
  return apUint(width) + "(\"" + hex + "\", 16)";
}

std::vector<uint8_t> HlsPrinter::getIntegerWeightBits(const HlsLayerPlan &l,
                                                      int64_t row,
                                                      int64_t col) {
  const int64_t simd = l.geom.simd, bits = l.weightLaneBits;
  std::vector<uint8_t> word(simd * bits);
  for (int64_t i = 0; i < simd; ++i) {
    const int64_t w = l.values[row * l.geom.mw + col + i];
    if (isTernary(l)) {
      word[i * 2] = w != 0;
      word[i * 2 + 1] = w < 0;
      continue;
    }
    for (int64_t b = 0; b < bits; ++b)
      word[i * bits + b] = (static_cast<uint64_t>(w) >> b) & 1;
  }
  return word;
}

void HlsPrinter::printIntegerMvauComment(const HlsLayerPlan &l) {
  const HlsLayer &g = l.geom;
  os << "/// " << l.name << ": matrix-vector unit, " << g.mh << " x " << g.mw
     << (isTernary(l) ? " ternary weights (non-zero and sign planes)"
                      : " " + std::to_string(l.weightLaneBits) + "-bit weights")
     << " on " << l.inputBits << "-bit unsigned codes, PE " << g.pe << ", SIMD "
     << g.simd << ", " << g.vectors
     << " input vector(s) per image. Each output is the integer dot "
        "product over "
     << g.mw / g.simd << " tile(s); the weights bound every partial sum to "
     << l.accBits << " bits.\n";
}

void HlsPrinter::printIntegerDot(const HlsLayerPlan &l) {
  const int64_t simd = l.geom.simd, sf = l.geom.mw / simd;
  const int64_t a = l.inputBits, wb = l.weightLaneBits;
  const int64_t dot = getIntegerDotBits(l);
  const std::string code = apInt(a + 1);
  os << "const " << apUint(simd * wb) << " w = " << l.name
     << "_weights[p][nf * " << sf << " + sf];\n";
  os << apInt(dot) << " dot = 0;\n";
  os << "for (unsigned j = 0; j < " << simd << "; ++j) {\n";
  os.indent();
  os << "#pragma HLS UNROLL\n";
  os << "const " << code << " u = " << code << "(" << apUint(a)
     << "(x.range(j * " << a << " + " << a - 1 << ", j * " << a << ")));\n";
  if (isTernary(l)) {
    os << "const " << apUint(2) << " c = " << apUint(2)
       << "(w.range(2 * j + 1, 2 * j));\n";
    os << "const " << code << " term = c[0] ? (c[1] ? " << code
       << "(-u) : u) : " << code << "(0);\n";
    os << "dot = " << apInt(dot) << "(dot + term);\n";
  } else {
    os << "const " << apInt(wb) << " c = " << apInt(wb) << "(" << apUint(wb)
       << "(w.range(j * " << wb << " + " << wb - 1 << ", j * " << wb
       << ")));\n";
    os << "dot = " << apInt(dot) << "(dot + c * u);\n";
  }
  os.unindent();
  os << "}\n";
}
