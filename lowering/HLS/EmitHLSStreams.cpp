//===- EmitHLSStreams.cpp - Parameters, ROMs and the dataflow top ---------===//
//
// Prints the kernel's header (the top's declaration and its stream
// formats), the ROMs (weights laid out by PE and SIMD as FINN's MVAU reads
// them: matrix row r in PE r % PE at tile (r / PE) * SF + sf, lane i of a
// word at bit i; thresholds [PE][NF][T]; levels), the shared helpers and
// the DATAFLOW top function with one stated-depth stream between stages.
//
//===----------------------------------------------------------------------===//

#include "lowering/HLS/EmitHLSPrinter.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::qc;

namespace {

/// Depth of every stream between stages.
constexpr int64_t kStreamDepth = 2;

/// A literal of `bits` (lane i = bits[i]) for an ap_uint of that width.
std::string formatWord(ArrayRef<uint8_t> bits) {
  const int64_t width = bits.size();
  std::string hex;
  for (int64_t nibble = (width + 3) / 4 - 1; nibble >= 0; --nibble) {
    int digit = 0;
    for (int b = 3; b >= 0; --b) {
      int64_t i = nibble * 4 + b;
      digit = digit * 2 + (i < width ? bits[i] : 0);
    }
    hex += "0123456789abcdef"[digit];
  }
  if (width <= 64)
    return "0x" + hex + "ull";
  return "ap_uint<" + std::to_string(width) + ">(\"" + hex + "\", 16)";
}

/// An f32 value with the digits that identify it.
std::string formatFloat(float value) {
  return llvm::formatv("{0}", llvm::format("%.9g", double(value))).str();
}

/// `const char *` of the guard macro for header `name`.
std::string getGuard(StringRef top) {
  std::string guard = "QC_HLS_" + top.upper() + "_H";
  return guard;
}

} // namespace

void HlsPrinter::printHelpers() {
  os << "/// Set bits of `v` (at most 65535 lanes).\n";
  os << "template <int N> static ap_uint<16> qc_popcount(const ap_uint<N> "
        "&v) {\n";
  os << "#pragma HLS INLINE\n";
  os << "  ap_uint<16> count = 0;\n";
  os << "  for (int i = 0; i < N; ++i) {\n";
  os << "#pragma HLS UNROLL\n";
  os << "    count = ap_uint<16>(count + (v[i] ? 1 : 0));\n";
  os << "  }\n  return count;\n}\n\n";
}

void HlsPrinter::printRoms(const HlsLayerPlan &l) {
  const HlsLayer &g = l.geom;
  const int64_t pe = g.pe, simd = g.simd, sf = g.mw / simd, nf = g.mh / pe;
  HlsLayerEstimate e = estimateHlsLayer(g);
  os << "// " << l.name << ": " << (g.isConv ? "convolution" : "dense")
     << ", MH " << g.mh << ", MW " << g.mw << ", PE " << pe << ", SIMD " << simd
     << ". Estimate (FINN's model, uncalibrated): " << e.cycles
     << " cycles per image, " << e.lut << " LUT, " << e.bram18 << " BRAM_18K, "
     << e.dsp << " DSP.\n";
  const int64_t laneBits = l.integer ? l.weightLaneBits : 1;
  os << "static const ap_uint<" << simd * laneBits << "> " << l.name
     << "_weights[" << pe << "][" << nf * sf << "] = {\n";
  std::vector<uint8_t> word(simd);
  for (int64_t p = 0; p < pe; ++p) {
    os << "  {";
    for (int64_t t = 0; t < nf * sf; ++t) {
      int64_t row = (t / sf) * pe + p, col = (t % sf) * simd;
      if (l.integer) {
        word = getIntegerWeightBits(l, row, col);
      } else {
        for (int64_t i = 0; i < simd; ++i)
          word[i] = l.weights[row * g.mw + col + i];
      }
      os << (t ? ", " : "") << formatWord(word);
    }
    os << "}" << (p + 1 < pe ? "," : "") << "\n";
  }
  os << "};\n";
  if (!l.hasThresholds()) {
    os << "\n";
    return;
  }
  const int64_t t = l.thresholdCount;
  os << "static const ap_int<" << l.thresholdBits << "> " << l.name
     << "_thresholds[" << pe << "][" << nf << "][" << t << "] = {\n";
  for (int64_t p = 0; p < pe; ++p) {
    os << "  {";
    for (int64_t f = 0; f < nf; ++f) {
      os << (f ? ", " : "") << "{";
      for (int64_t k = 0; k < t; ++k)
        os << (k ? ", " : "") << l.thresholds[(f * pe + p) * t + k];
      os << "}";
    }
    os << "}" << (p + 1 < pe ? "," : "") << "\n";
  }
  os << "};\n";
  auto [lo, hi] = std::minmax_element(l.levels.begin(), l.levels.end());
  os << "static const ap_int<" << getSignedBits(*lo, *hi) << "> " << l.name
     << "_levels[" << t + 1 << "] = {";
  for (size_t c = 0; c < l.levels.size(); ++c)
    os << (c ? ", " : "") << l.levels[c];
  os << "};\n\n";
}

void HlsPrinter::printHeader() {
  const HlsLayerPlan &first = plan.layers.front(), &last = plan.layers.back();
  const int64_t inLanes = first.geom.simd, inBits = first.sourceBits;
  const int64_t outLanes = last.geom.pe, outBits = last.outLaneBits;
  std::string guard = getGuard(plan.top);
  os << "// " << plan.top
     << ".h: the FPGA kernel qc generated (qcc --target "
        "hls), its interface and stream formats.\n";
  os << "#ifndef " << guard << "\n#define " << guard << "\n\n";
  os << "#include \"ap_int.h\"\n#include \"hls_stream.h\"\n\n";
  std::string inFormat = plan.integer
                             ? "unsigned codes roundeven(x / " +
                                   formatFloat(plan.inputScale) + ") + " +
                                   std::to_string(plan.inputOffset)
                         : inBits == 2 ? "bit 0 non-zero and bit 1 negative"
                                       : "1 = -1, 0 = +1";
  os << "// Input: per image " << first.getInElements() / inLanes
     << " words of " << inLanes << " lane(s) of " << inBits << " bit(s), "
     << inFormat << ", in the input tensor's row-major order.\n";
  os << "// Output: per image " << last.getOutElements() / outLanes
     << " words of " << outLanes << " lane(s) of " << outBits
     << "-bit two's complement integers"
     << (plan.integer ? " r, standing for r * " + formatFloat(plan.outputScale)
                      : std::string())
     << ", in the output tensor's row-major order.\n";
  os << "constexpr unsigned " << plan.top
     << "_in_elements = " << first.getInElements() << ";\n";
  os << "constexpr unsigned " << plan.top << "_in_lanes = " << inLanes << ";\n";
  os << "constexpr unsigned " << plan.top << "_in_lane_bits = " << inBits
     << ";\n";
  os << "constexpr unsigned " << plan.top
     << "_out_elements = " << last.getOutElements() << ";\n";
  os << "constexpr unsigned " << plan.top << "_out_lanes = " << outLanes
     << ";\n";
  os << "constexpr unsigned " << plan.top << "_out_lane_bits = " << outBits
     << ";\n";
  os << "typedef " << getWordType(inLanes, inBits) << " " << plan.top
     << "_in_word;\n";
  os << "typedef " << getWordType(outLanes, outBits) << " " << plan.top
     << "_out_word;\n\n";
  os << "/// One image per call: reads its input words, writes its output "
        "words.\n";
  os << "void " << plan.top << "(hls::stream<" << plan.top
     << "_in_word> &in, hls::stream<" << plan.top << "_out_word> &out);\n\n";
  os << "#endif // " << guard << "\n";
}

void HlsPrinter::printTop() {
  os << "void " << plan.top << "(hls::stream<" << plan.top
     << "_in_word> &in, hls::stream<" << plan.top << "_out_word> &out) {\n";
  os.indent();
  os << "#pragma HLS INTERFACE mode=axis port=in\n";
  os << "#pragma HLS INTERFACE mode=axis port=out\n";
  os << "#pragma HLS INTERFACE mode=ap_ctrl_none port=return\n";
  os << "#pragma HLS DATAFLOW\n";
  auto name = [&](size_t i) {
    return i == 0                    ? std::string("in")
           : i + 1 == streams.size() ? std::string("out")
                                     : "s" + std::to_string(i);
  };
  for (size_t i = 1; i + 1 < streams.size(); ++i) {
    os << "static hls::stream<" << streams[i].type << "> " << name(i) << "(\""
       << streams[i].name << "\");\n";
    os << "#pragma HLS STREAM variable=" << name(i) << " depth=" << kStreamDepth
       << "\n";
  }
  os << "#ifdef __QC_HLS_SHIM__\n";
  os << "// qc's C-simulation headers: each stage a thread on bounded "
        "streams when\n// QC_HLS_DATAFLOW=threads (deadlocks are reported), "
        "else called in order.\n";
  for (size_t i = 1; i + 1 < streams.size(); ++i)
    os << name(i) << ".set_depth(" << kStreamDepth << ");\n";
  os << "qc_hls::dataflow({\n";
  for (const Stage &stage : stages)
    os << "    [&] { " << stage.function << "(" << name(stage.in) << ", "
       << name(stage.out) << "); },\n";
  os << "});\n#else\n";
  for (const Stage &stage : stages)
    os << stage.function << "(" << name(stage.in) << ", " << name(stage.out)
       << ");\n";
  os << "#endif\n";
  os.unindent();
  os << "}\n";
}

void HlsPrinter::printKernel() {
  os << "// " << plan.top
     << ".cpp: the FPGA kernel qc generated: " << plan.layers.size()
     << (plan.integer ? " integer" : " binary")
     << " layer(s) as a streaming dataflow.\n";
  os << "#include \"" << plan.top << ".h\"\n\n";
  os << "// The HLS pragmas are for the HLS compiler; a C++ compiler ignores "
        "them.\n";
  os << "#pragma GCC diagnostic ignored \"-Wunknown-pragmas\"\n\n";
  printHelpers();
  for (const HlsLayerPlan &layer : plan.layers)
    printRoms(layer);
  const HlsLayerPlan &first = plan.layers.front();
  streams.push_back({"in", getWordType(first.geom.simd, first.sourceBits)});
  for (size_t i = 0; i < plan.layers.size(); ++i)
    printLayerStages(i);
  printTop();
}
