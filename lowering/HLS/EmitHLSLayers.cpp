//===- EmitHLSLayers.cpp - The stages of one binary layer in HLS C++ ------===//
//
// Prints a layer's stage functions: the sliding window (convolutions), the
// matrix-vector unit (FINN's MVAU: one flat loop of vectors x NF x SF
// iterations at II=1, PE outputs and SIMD inputs per iteration, XNOR and
// popcount on sign and non-zero lanes), the max-pool on the sums, the
// multi-threshold unit, and the width conversion between layers whose PE
// and SIMD differ. Every width is the plan's; every narrowing or sign
// change is an explicit cast.
//
//===----------------------------------------------------------------------===//

#include "lowering/HLS/EmitHLSPrinter.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::qc;

namespace {

/// Bits of a layer's levels as signed integers.
int64_t getLevelBits(const HlsLayerPlan &l) {
  auto [lo, hi] = std::minmax_element(l.levels.begin(), l.levels.end());
  return getSignedBits(*lo, *hi);
}

/// Bits of the dot product of `simd` lanes: 2 * popcount - present, in
/// [-simd, simd], and its intermediate 2 * popcount.
int64_t getDotBits(int64_t simd) { return getSignedBits(-2 * simd, 2 * simd); }

} // namespace

std::string HlsPrinter::getWordType(int64_t lanes, int64_t laneBits) {
  return apUint(getWordBits(lanes * laneBits));
}

void HlsPrinter::addStage(const std::string &function, const std::string &name,
                          const std::string &type) {
  size_t in = streams.size() - 1;
  streams.push_back({name, type});
  stages.push_back({function, in, streams.size() - 1});
}

void HlsPrinter::printWindow(const HlsLayerPlan &l) {
  const HlsLayer &g = l.geom;
  const int64_t simd = g.simd, cf = g.channels / simd;
  const std::string in = getWordType(simd, l.sourceBits),
                    out = getWordType(simd, l.inputBits);
  const std::string pixel = apUint(simd * l.sourceBits),
                    lanes = apUint(simd * l.inputBits);
  os << "/// " << l.name << ": sliding window. Buffers the " << l.rawH << "x"
     << l.rawW << " input (" << cf << " word(s) of " << simd
     << " channels per pixel) and writes, per output pixel, the " << g.kernelH
     << "x" << g.kernelW << " window in (ky, kx, c) order, "
     << (l.integer ? "the real 0's code " + std::to_string(l.padCode)
                   : std::string("zero lanes (non-zero bit 0)"))
     << " on the padded border.\n";
  os << "static void " << l.name << "_window(hls::stream<" << in
     << "> &in, hls::stream<" << out << "> &out) {\n";
  os.indent();
  os << "static " << pixel << " frame[" << l.rawH * l.rawW * cf << "];\n";
  os << "for (unsigned i = 0; i < " << l.rawH * l.rawW * cf << "; ++i) {\n";
  os << "#pragma HLS PIPELINE II=1\n";
  os << "  frame[i] = " << pixel << "(in.read());\n}\n";
  os << "for (unsigned oy = 0; oy < " << g.outH << "; ++oy) {\n";
  os.indent();
  os << "for (unsigned ox = 0; ox < " << g.outW << "; ++ox) {\n";
  os.indent();
  os << "for (unsigned ky = 0; ky < " << g.kernelH << "; ++ky) {\n";
  os.indent();
  os << "for (unsigned kx = 0; kx < " << g.kernelW << "; ++kx) {\n";
  os.indent();
  os << "for (unsigned cf = 0; cf < " << cf << "; ++cf) {\n";
  os.indent();
  os << "#pragma HLS PIPELINE II=1\n";
  os << "const int y = int(oy * " << g.strideH << " + ky) - " << l.pad[0]
     << ";\n";
  os << "const int x = int(ox * " << g.strideW << " + kx) - " << l.pad[2]
     << ";\n";
  if (l.integer)
    os << lanes << " lanes = " << getPadWord(l) << ";\n";
  else
    os << lanes << " lanes = 0;\n";
  os << "if (y >= 0 && y < " << l.rawH << " && x >= 0 && x < " << l.rawW
     << ") {\n";
  os.indent();
  os << "const " << pixel << " px = frame[(unsigned(y) * " << l.rawW
     << " + unsigned(x)) * " << cf << " + cf];\n";
  if (l.sourceBits == l.inputBits) {
    os << "lanes = px;\n";
  } else {
    os << "// Sign lanes become non-zero and sign lanes.\n";
    os << "for (unsigned i = 0; i < " << simd << "; ++i) {\n";
    os << "#pragma HLS UNROLL\n";
    os << "  lanes[2 * i] = 1;\n  lanes[2 * i + 1] = px[i];\n}\n";
  }
  os.unindent();
  os << "}\n";
  os << "out.write(" << out << "(lanes));\n";
  for (int i = 0; i < 5; ++i) {
    os.unindent();
    os << "}\n";
  }
  os.unindent();
  os << "}\n\n";
  addStage(l.name + "_window", l.name + "_windows", out);
}

void HlsPrinter::printMvau(const HlsLayerPlan &l) {
  const HlsLayer &g = l.geom;
  const int64_t simd = g.simd, pe = g.pe, sf = g.mw / simd, nf = g.mh / pe;
  const int64_t acc = l.accBits,
                dot = l.integer ? getIntegerDotBits(l) : getDotBits(simd);
  const std::string in = getWordType(simd, l.inputBits),
                    out = getWordType(pe, acc);
  const std::string lanes = apUint(simd * l.inputBits);
  if (l.integer)
    printIntegerMvauComment(l);
  else
    os << "/// " << l.name << ": matrix-vector unit, " << g.mh << " x " << g.mw
       << " binary weights, PE " << pe << ", SIMD " << simd << ", " << g.vectors
       << " input vector(s) per image. Each output is 2 * popcount(present & "
       << "~(negative ^ w)) - popcount(present) summed over " << sf
       << " tile(s): |sum| <= " << g.mw << " fits " << acc << " bits.\n";
  os << "static void " << l.name << "_mvau(hls::stream<" << in
     << "> &in, hls::stream<" << out << "> &out) {\n";
  os.indent();
  // FINN keeps weight memories of at most 128 words in LUTs.
  os << "#pragma HLS ARRAY_PARTITION variable=" << l.name
     << "_weights complete dim=1\n";
  os << "#pragma HLS BIND_STORAGE variable=" << l.name
     << "_weights type=rom_1p impl=" << (nf * sf <= 128 ? "lutram" : "bram")
     << "\n";
  os << "static " << lanes << " buffer[" << sf << "];\n";
  os << apInt(acc) << " acc[" << pe << "];\n";
  os << "#pragma HLS ARRAY_PARTITION variable=acc complete\n";
  os << "unsigned sf = 0, nf = 0;\n";
  os << "for (unsigned i = 0; i < " << g.vectors * nf * sf << "; ++i) {\n";
  os.indent();
  os << "#pragma HLS PIPELINE II=1\n";
  os << lanes << " x;\n";
  os << "if (nf == 0) {\n  x = " << lanes << "(in.read());\n"
     << "  buffer[sf] = x;\n} else {\n  x = buffer[sf];\n}\n";
  const std::string bits = apUint(simd);
  if (l.integer) {
    // Per PE below.
  } else if (l.inputBits == 2) {
    os << bits << " present, negative;\n";
    os << "for (unsigned j = 0; j < " << simd << "; ++j) {\n";
    os << "#pragma HLS UNROLL\n";
    os << "  present[j] = x[2 * j];\n  negative[j] = x[2 * j + 1];\n}\n";
    os << "const " << apInt(dot) << " count = " << apInt(dot) << "(qc_popcount<"
       << simd << ">(present));\n";
  } else {
    os << "const " << bits << " negative = x;\n";
    os << "const " << apInt(dot) << " count = " << simd << ";\n";
  }
  os << "for (unsigned p = 0; p < " << pe << "; ++p) {\n";
  os.indent();
  os << "#pragma HLS UNROLL\n";
  if (l.integer) {
    printIntegerDot(l);
  } else {
    os << "const " << bits
       << " agree = " << (l.inputBits == 2 ? "present & " : "")
       << "~(negative ^ " << l.name << "_weights[p][nf * " << sf
       << " + sf]);\n";
    os << "const " << apInt(dot) << " dot = " << apInt(dot) << "(" << apInt(dot)
       << "(2) * " << apInt(dot) << "(qc_popcount<" << simd
       << ">(agree))) - count;\n";
  }
  os << "const " << apInt(acc) << " base = sf == 0 ? " << apInt(acc)
     << "(0) : acc[p];\n";
  os << "acc[p] = " << apInt(acc) << "(base + dot);\n";
  os.unindent();
  os << "}\n";
  os << "if (sf == " << sf - 1 << ") {\n";
  os.indent();
  os << out << " word = 0;\n";
  os << "for (unsigned p = 0; p < " << pe << "; ++p) {\n";
  os << "#pragma HLS UNROLL\n";
  os << "  word.range(p * " << acc << " + " << acc - 1 << ", p * " << acc
     << ") = " << apUint(acc) << "(acc[p]);\n}\n";
  os << "out.write(word);\n";
  os.unindent();
  os << "}\n";
  os << "if (++sf == " << sf << ") {\n  sf = 0;\n  if (++nf == " << nf
     << ")\n    nf = 0;\n}\n";
  os.unindent();
  os << "}\n";
  os.unindent();
  os << "}\n\n";
  addStage(l.name + "_mvau", l.name + "_sums", out);
}

void HlsPrinter::printPool(const HlsLayerPlan &l) {
  const HlsLayer &g = l.geom;
  const int64_t pe = g.pe, nf = g.mh / pe, acc = l.accBits;
  const std::string word = getWordType(pe, acc), lanes = apUint(pe * acc);
  os << "/// " << l.name << ": " << l.poolH << "x" << l.poolW
     << " max-pool, stride " << l.poolSH << "x" << l.poolSW << ", on the "
     << g.outH << "x" << g.outW << " sums (the thresholds never decrease, so "
     << "pooling before them is pooling after).\n";
  os << "static void " << l.name << "_pool(hls::stream<" << word
     << "> &in, hls::stream<" << word << "> &out) {\n";
  os.indent();
  os << "static " << lanes << " frame[" << g.outH * g.outW * nf << "];\n";
  os << "for (unsigned i = 0; i < " << g.outH * g.outW * nf << "; ++i) {\n";
  os << "#pragma HLS PIPELINE II=1\n";
  os << "  frame[i] = " << lanes << "(in.read());\n}\n";
  os << "for (unsigned py = 0; py < " << l.pooledH << "; ++py) {\n";
  os.indent();
  os << "for (unsigned px = 0; px < " << l.pooledW << "; ++px) {\n";
  os.indent();
  os << "for (unsigned nf = 0; nf < " << nf << "; ++nf) {\n";
  os.indent();
  os << "#pragma HLS PIPELINE II=1\n";
  os << apInt(acc) << " best[" << pe << "];\n";
  os << "#pragma HLS ARRAY_PARTITION variable=best complete\n";
  os << "for (unsigned ky = 0; ky < " << l.poolH << "; ++ky) {\n";
  os.indent();
  os << "for (unsigned kx = 0; kx < " << l.poolW << "; ++kx) {\n";
  os.indent();
  os << "const " << lanes << " sums = frame[((py * " << l.poolSH << " + ky) * "
     << g.outW << " + px * " << l.poolSW << " + kx) * " << nf << " + nf];\n";
  os << "for (unsigned p = 0; p < " << pe << "; ++p) {\n";
  os.indent();
  os << "const " << apInt(acc) << " v = " << apInt(acc) << "(" << apUint(acc)
     << "(sums.range(p * " << acc << " + " << acc - 1 << ", p * " << acc
     << ")));\n";
  os << "if ((ky == 0 && kx == 0) || v > best[p])\n  best[p] = v;\n";
  os.unindent();
  os << "}\n";
  os.unindent();
  os << "}\n";
  os.unindent();
  os << "}\n";
  os << word << " result = 0;\n";
  os << "for (unsigned p = 0; p < " << pe << "; ++p) {\n";
  os << "#pragma HLS UNROLL\n";
  os << "  result.range(p * " << acc << " + " << acc - 1 << ", p * " << acc
     << ") = " << apUint(acc) << "(best[p]);\n}\n";
  os << "out.write(result);\n";
  for (int i = 0; i < 3; ++i) {
    os.unindent();
    os << "}\n";
  }
  os.unindent();
  os << "}\n\n";
  addStage(l.name + "_pool", l.name + "_pooled", word);
}

void HlsPrinter::printThreshold(const HlsLayerPlan &l) {
  const HlsLayer &g = l.geom;
  const int64_t pe = g.pe, nf = g.mh / pe, acc = l.accBits;
  const int64_t t = l.thresholdCount, ob = l.outLaneBits;
  // Counts 0..t unsigned; levels as small signed integers.
  const int64_t countBits = std::max<int64_t>(1, getSignedBits(0, t) - 1);
  const int64_t levelBits = getLevelBits(l);
  const std::string in = getWordType(pe, acc), out = getWordType(pe, ob);
  os << "/// " << l.name << ": " << t << " threshold(s) per channel; "
     << "count c of those reached gives level " << l.name << "_levels[c]"
     << (l.last      ? ", written as " + std::to_string(ob) + "-bit integers"
         : l.integer ? ", written as the next layer's " + std::to_string(ob) +
                           "-bit codes"
         : ob == 2 ? ", written as non-zero and sign lanes"
                   : ", written as sign lanes")
     << ".\n";
  os << "static void " << l.name << "_threshold(hls::stream<" << in
     << "> &in, hls::stream<" << out << "> &out) {\n";
  os.indent();
  os << "#pragma HLS ARRAY_PARTITION variable=" << l.name
     << "_thresholds complete dim=1\n";
  os << "for (unsigned i = 0; i < " << l.getOutPixels() * nf << "; ++i) {\n";
  os.indent();
  os << "#pragma HLS PIPELINE II=1\n";
  os << "const unsigned nf = i % " << nf << ";\n";
  os << "const " << apUint(pe * acc) << " sums = " << apUint(pe * acc)
     << "(in.read());\n";
  os << out << " result = 0;\n";
  os << "for (unsigned p = 0; p < " << pe << "; ++p) {\n";
  os.indent();
  os << "#pragma HLS UNROLL\n";
  os << "const " << apInt(acc) << " sum = " << apInt(acc) << "(" << apUint(acc)
     << "(sums.range(p * " << acc << " + " << acc - 1 << ", p * " << acc
     << ")));\n";
  os << apUint(countBits) << " count = 0;\n";
  os << "for (unsigned k = 0; k < " << t << "; ++k) {\n";
  os << "#pragma HLS UNROLL\n";
  os << "  if (sum >= " << l.name << "_thresholds[p][nf][k])\n";
  os << "    count = " << apUint(countBits) << "(count + 1);\n}\n";
  os << "const " << apInt(levelBits) << " level = " << l.name
     << "_levels[count];\n";
  if (l.last || l.integer)
    os << "result.range(p * " << ob << " + " << ob - 1 << ", p * " << ob
       << ") = " << apUint(ob) << "(level);\n";
  else if (ob == 2)
    os << "result[2 * p] = level != 0 ? 1 : 0;\n"
       << "result[2 * p + 1] = level < 0 ? 1 : 0;\n";
  else
    os << "result[p] = level < 0 ? 1 : 0;\n";
  os.unindent();
  os << "}\n";
  os << "out.write(result);\n";
  os.unindent();
  os << "}\n";
  os.unindent();
  os << "}\n\n";
  addStage(l.name + "_threshold", l.name + "_levels", out);
}

void HlsPrinter::printResize(const std::string &name, int64_t elements,
                             int64_t inLanes, int64_t outLanes,
                             int64_t laneBits) {
  const std::string in = getWordType(inLanes, laneBits),
                    out = getWordType(outLanes, laneBits);
  os << "/// " << name << ": " << elements << " lanes of " << laneBits
     << " bit(s) per image, from words of " << inLanes << " to words of "
     << outLanes << ".\n";
  os << "static void " << name << "(hls::stream<" << in << "> &in, hls::stream<"
     << out << "> &out) {\n";
  os.indent();
  os << apUint(inLanes * laneBits) << " held = 0;\n";
  os << "unsigned left = 0;\n";
  os << "for (unsigned o = 0; o < " << elements / outLanes << "; ++o) {\n";
  os.indent();
  os << out << " word = 0;\n";
  os << "for (unsigned j = 0; j < " << outLanes << "; ++j) {\n";
  os.indent();
  os << "if (left == 0) {\n  held = " << apUint(inLanes * laneBits)
     << "(in.read());\n  left = " << inLanes << ";\n}\n";
  os << "word.range(j * " << laneBits << " + " << laneBits - 1 << ", j * "
     << laneBits << ") = " << apUint(laneBits) << "(held.range(" << laneBits - 1
     << ", 0));\n";
  os << "held = held >> " << laneBits << ";\n";
  os << "--left;\n";
  os.unindent();
  os << "}\n";
  os << "out.write(word);\n";
  os.unindent();
  os << "}\n";
  os.unindent();
  os << "}\n\n";
  addStage(name, name + "_out", out);
}

void HlsPrinter::printLayerStages(size_t index) {
  const HlsLayerPlan &l = plan.layers[index];
  if (index > 0) {
    const HlsLayerPlan &prev = plan.layers[index - 1];
    if (prev.geom.pe != l.geom.simd)
      printResize(l.name + "_resize", l.getInElements(), prev.geom.pe,
                  l.geom.simd, l.sourceBits);
  }
  if (l.geom.isConv)
    printWindow(l);
  printMvau(l);
  if (l.hasPool())
    printPool(l);
  if (l.hasThresholds())
    printThreshold(l);
}
