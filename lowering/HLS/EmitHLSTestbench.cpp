//===- EmitHLSTestbench.cpp - Testbench, build files and estimates --------===//
//
// The files of an HLS project around the kernel: tb/tb.cpp (packs the
// input values into the kernel's words, compares every output integer with
// qc's CPU path's, prints "N passed, M failed" last and fails on any
// mismatch or missing file), tb/npy.h, the Makefile (csim against qc's
// headers, csim-threads with the deadlock check, csim-san, csim-vendor),
// run_hls.tcl, estimates.json (FINN's keys) and README.md.
//
//===----------------------------------------------------------------------===//

#include "lowering/HLS/EmitHLSPrinter.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace mlir::qc;

namespace {

/// `text` with every "@KEY@" replaced by its value.
std::string substitute(std::string text,
                       ArrayRef<std::pair<StringRef, std::string>> values) {
  for (const auto &[key, value] : values) {
    std::string pattern = ("@" + key + "@").str();
    for (size_t at = text.find(pattern); at != std::string::npos;
         at = text.find(pattern, at + value.size()))
      text.replace(at, pattern.size(), value);
  }
  return text;
}

std::string joinNumbers(ArrayRef<int64_t> values) {
  std::string text;
  for (int64_t v : values)
    text += (text.empty() ? "" : ", ") + std::to_string(v);
  return text;
}

std::string joinShape(ArrayRef<int64_t> shape) {
  std::string text = "N";
  for (int64_t d : shape)
    text += " x " + std::to_string(d);
  return text;
}

/// A C++ float literal that is exactly `value`.
std::string formatHexFloat(float value) {
  return llvm::formatv("{0}", llvm::format("%a", double(value))).str() + "f";
}

std::string formatDouble(double value) {
  return llvm::formatv("{0}", llvm::format("%g", value)).str();
}

/// A .npy reader for C-order little-endian float32/64 and int8/16/32/64
/// arrays, and an int32 / float32 writer: all the testbench needs.
constexpr const char kNpyHeader[] =
    R"qc(// npy.h: reads and writes the .npy arrays of the testbench (C order,
// little-endian float32/float64/int8/int16/int32/int64 in; int32 or
// float32 out).
#ifndef QC_TB_NPY_H
#define QC_TB_NPY_H

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace qc_tb {

struct Array {
  std::vector<size_t> shape;
  std::vector<double> values;
};

inline bool readNpy(const std::string &path, Array &array, std::string &error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    error =
        path + ": cannot open (the testbench needs its input and golden files)";
    return false;
  }
  char magic[8];
  if (!file.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0) {
    error = path + ": not a .npy file";
    return false;
  }
  uint32_t headerLength = 0;
  unsigned char bytes[4] = {0, 0, 0, 0};
  if (magic[6] == 1) {
    if (!file.read(reinterpret_cast<char *>(bytes), 2)) {
      error = path + ": truncated header";
      return false;
    }
    headerLength = uint32_t(bytes[0]) | uint32_t(bytes[1]) << 8;
  } else {
    if (!file.read(reinterpret_cast<char *>(bytes), 4)) {
      error = path + ": truncated header";
      return false;
    }
    headerLength = uint32_t(bytes[0]) | uint32_t(bytes[1]) << 8 |
                   uint32_t(bytes[2]) << 16 | uint32_t(bytes[3]) << 24;
  }
  std::string header(headerLength, ' ');
  if (headerLength > 65536 || !file.read(&header[0], headerLength)) {
    error = path + ": bad header";
    return false;
  }
  size_t descr = header.find("'descr':"),
         order = header.find("'fortran_order':");
  size_t shape = header.find("'shape':");
  if (descr == std::string::npos || order == std::string::npos ||
      shape == std::string::npos ||
      header.find("True", order) < header.find(',', order)) {
    error = path + ": expected a C-order array";
    return false;
  }
  size_t quote = header.find('\'', descr + 8);
  std::string type = header.substr(quote + 1, 3);
  size_t width = 0;
  if (type == "<f4" || type == "<i4")
    width = 4;
  else if (type == "<f8" || type == "<i8")
    width = 8;
  else if (type == "|i1" || type == "<i2")
    width = type == "|i1" ? 1 : 2;
  else {
    error = path + ": unsupported dtype " + type;
    return false;
  }
  array.shape.clear();
  size_t count = 1;
  for (size_t at = header.find('(', shape) + 1; header[at] != ')';) {
    if (header[at] == ',' || header[at] == ' ') {
      ++at;
      continue;
    }
    size_t extent = 0;
    while (header[at] >= '0' && header[at] <= '9')
      extent = extent * 10 + size_t(header[at++] - '0');
    array.shape.push_back(extent);
    count *= extent;
    if (header[at] != ',' && header[at] != ')' && header[at] != ' ') {
      error = path + ": bad shape";
      return false;
    }
  }
  std::vector<char> data(count * width);
  if (count && !file.read(data.data(), std::streamsize(data.size()))) {
    error = path + ": holds fewer values than its shape";
    return false;
  }
  array.values.resize(count);
  for (size_t i = 0; i < count; ++i) {
    const char *p = data.data() + i * width;
    if (type == "<f4") {
      float v;
      std::memcpy(&v, p, 4);
      array.values[i] = double(v);
    } else if (type == "<f8") {
      std::memcpy(&array.values[i], p, 8);
    } else if (type == "|i1") {
      array.values[i] = double(int8_t(*p));
    } else if (type == "<i2") {
      int16_t v;
      std::memcpy(&v, p, 2);
      array.values[i] = double(v);
    } else if (type == "<i4") {
      int32_t v;
      std::memcpy(&v, p, 4);
      array.values[i] = double(v);
    } else {
      int64_t v;
      std::memcpy(&v, p, 8);
      array.values[i] = double(v);
    }
  }
  return true;
}

template <typename T>
inline bool writeNpy(const std::string &path, const std::vector<size_t> &shape,
                     const std::vector<T> &values) {
  static_assert(sizeof(T) == 4, "int32 or float32 elements");
  const char *descr = T(0.5) == T(0) ? "<i4" : "<f4";
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': (";
  for (size_t d = 0; d < shape.size(); ++d)
    header += std::to_string(shape[d]) +
              (shape.size() == 1 || d + 1 < shape.size() ? "," : "");
  header += "), }";
  while ((10 + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  std::ofstream file(path, std::ios::binary);
  const unsigned char length[2] = {
      static_cast<unsigned char>(header.size() & 0xff),
      static_cast<unsigned char>(header.size() >> 8)};
  file.write("\x93NUMPY\x01\x00", 8);
  file.write(reinterpret_cast<const char *>(length), 2);
  file << header;
  file.write(reinterpret_cast<const char *>(values.data()),
             std::streamsize(values.size() * sizeof(T)));
  return bool(file);
}

} // namespace qc_tb

#endif // QC_TB_NPY_H
)qc";

constexpr const char kTestbench[] =
    R"qc(// tb.cpp: runs the kernel on every image of INPUT.npy and checks each output
// integer against GOLDEN.npy, which qc's CPU path computed for the same
// function. Prints "N passed, M failed" last; exits 1 on any mismatch and 2
// when a file is missing or malformed.
#include "@TOP@.h"
#include "npy.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

static int fail(const std::string &message) {
  std::fprintf(stderr, "tb: %s\n", message.c_str());
  return 2;
}

int main(int argc, char **argv) {
  if (argc != 4)
    return fail(std::string("usage: ") + argv[0] +
                " INPUT.npy GOLDEN.npy OUTPUT.npy");
  qc_tb::Array input, golden;
  std::string error;
  if (!qc_tb::readNpy(argv[1], input, error) ||
      !qc_tb::readNpy(argv[2], golden, error))
    return fail(error);
  const size_t inElements = @TOP@_in_elements,
               outElements = @TOP@_out_elements;
  if (input.shape.empty() || input.values.size() != input.shape[0] * inElements)
    return fail(std::string(argv[1]) + ": expected N images of " +
                std::to_string(inElements) + " values (@IN_SHAPE@)");
  const size_t images = input.shape[0];
  if (golden.shape.empty() || golden.shape[0] != images ||
      golden.values.size() != images * outElements)
    return fail(std::string(argv[2]) + ": expected " + std::to_string(images) +
                " outputs of " + std::to_string(outElements) +
                " values (@OUT_SHAPE@)");
@LEVELS_DECL@  hls::stream<@TOP@_in_word> in("input");
  hls::stream<@TOP@_out_word> out("output");
  std::vector<@OUT_T@> output(images * outElements);
  unsigned passed = 0, failed = 0;
  for (size_t n = 0; n < images; ++n) {
    for (size_t w = 0; w < inElements / @TOP@_in_lanes; ++w) {
      @TOP@_in_word word = 0;
      for (unsigned j = 0; j < @TOP@_in_lanes; ++j) {
        const size_t at = n * inElements + w * @TOP@_in_lanes + j;
        const double v = input.values[at];
@INPUT_CODE@
        word.range(j * @TOP@_in_lane_bits + @TOP@_in_lane_bits - 1,
                   j * @TOP@_in_lane_bits) =
            ap_uint<@TOP@_in_lane_bits>(bits);
      }
      in.write(word);
    }
    @TOP@(in, out);
    bool same = true;
    for (size_t w = 0; w < outElements / @TOP@_out_lanes; ++w) {
      const @TOP@_out_word word = out.read();
      for (unsigned j = 0; j < @TOP@_out_lanes; ++j) {
        const size_t at = n * outElements + w * @TOP@_out_lanes + j;
        const ap_int<@TOP@_out_lane_bits> v =
            ap_int<@TOP@_out_lane_bits>(ap_uint<@TOP@_out_lane_bits>(
                word.range(j * @TOP@_out_lane_bits + @TOP@_out_lane_bits - 1,
                           j * @TOP@_out_lane_bits)));
        output[at] = @OUT_VALUE@;
        if (double(output[at]) != golden.values[at]) {
          if (same && failed < 10)
            std::fprintf(stderr,
                         "tb: image %zu: output %zu is %g, qc's CPU path "
                         "gives %g\n",
                         n, at - n * outElements, double(output[at]),
                         golden.values[at]);
          same = false;
        }
      }
    }
    if (same)
      ++passed;
    else
      ++failed;
  }
#ifdef __QC_HLS_SHIM__
  if (qc_hls::check_streams() != 0)
    return fail("streams hold data after the last image");
#endif
  std::vector<size_t> shape = {images};
  for (size_t d : std::vector<size_t> {@OUT_DIMS@})
    shape.push_back(d);
  if (!qc_tb::writeNpy(argv[3], shape, output))
    return fail(std::string(argv[3]) + ": cannot write");
  std::printf("%u passed, %u failed\n", passed, failed);
  return failed ? 1 : 0;
}
)qc";

constexpr const char kMakefile[] =
    R"qc(# Makefile: C-simulation of the qc kernel @TOP@ (see README.md).
#   make csim          g++ against qc's ap_int/hls::stream headers (shim/)
#   make csim-threads  the same, each dataflow stage a thread on streams of
#                      their stated depth: a deadlock is reported, not hung
#   make csim-san      with AddressSanitizer and UndefinedBehaviorSanitizer
#   make csim-vendor   against $(XILINX_HLS)/include (Vitis HLS's headers)
TOP := @TOP@
CXX ?= g++
CXXFLAGS ?= -std=c++17 -O2
# The kernel silences unknown pragmas itself (#pragma GCC diagnostic), which
# GCC before 13 does not honour for them (GCC bug 53431): hence the flag.
WARNINGS := -Wall -Wextra -Werror -Wno-unknown-pragmas
DATA ?= tb/data
ARGS = $(DATA)/input.npy $(DATA)/golden.npy build/output.npy
SOURCES := src/$(TOP).cpp tb/tb.cpp
HEADERS := src/$(TOP).h tb/npy.h

.PHONY: csim csim-threads csim-san csim-vendor clean

csim: build/csim
	./build/csim $(ARGS)

csim-threads: build/csim
	QC_HLS_DATAFLOW=threads ./build/csim $(ARGS)

csim-san: build/csim-san
	./build/csim-san $(ARGS)

csim-vendor: build/csim-vendor
	./build/csim-vendor $(ARGS)

build/csim: $(SOURCES) $(HEADERS) shim/ap_int.h shim/hls_stream.h
	@mkdir -p build
	$(CXX) $(CXXFLAGS) $(WARNINGS) -Ishim -Isrc -o $@ $(SOURCES) -pthread

build/csim-san: $(SOURCES) $(HEADERS) shim/ap_int.h shim/hls_stream.h
	@mkdir -p build
	$(CXX) $(CXXFLAGS) $(WARNINGS) -g -fsanitize=address,undefined \
	  -fno-sanitize-recover=undefined -Ishim -Isrc -o $@ $(SOURCES) -pthread

build/csim-vendor: $(SOURCES) $(HEADERS)
	@test -n "$(XILINX_HLS)" || { echo "csim-vendor: set XILINX_HLS to a Vitis HLS installation (its include/ holds ap_int.h and hls_stream.h)" >&2; exit 2; }
	@mkdir -p build
	$(CXX) $(CXXFLAGS) $(WARNINGS) -isystem $(XILINX_HLS)/include -Isrc -o $@ $(SOURCES)

clean:
	rm -rf build
)qc";

constexpr const char kTcl[] =
    R"qc(# run_hls.tcl: C-simulation, synthesis, co-simulation and IP export of the
# qc kernel @TOP@ with Vitis HLS: vitis_hls -f run_hls.tcl
set root [file normalize [file dirname [info script]]]
set args "$root/tb/data/input.npy $root/tb/data/golden.npy $root/build/output_vitis.npy"
open_project -reset @TOP@_prj
set_top @TOP@
add_files $root/src/@TOP@.cpp -cflags "-std=c++14"
add_files -tb $root/tb/tb.cpp -cflags "-std=c++14 -I$root/src"
open_solution -reset solution1 -flow_target vivado
set_part {@PART@}
create_clock -period @PERIOD@ -name default
file mkdir $root/build
csim_design -argv $args
csynth_design
cosim_design -argv $args
export_design -format ip_catalog
exit
)qc";

constexpr const char kReadme[] = R"qc(# @TOP@: an FPGA kernel generated by qc

@FROM@A streaming dataflow of @LAYERS@ @KIND@ layer(s) in HLS C++: per
convolution a sliding window, a matrix-vector unit folded by PE and SIMD
(`PIPELINE II=1`), max-pool on the sums and multi-threshold units; dense
layers are the matrix-vector unit alone.

- `src/`: the kernel (`@TOP@.cpp`, with its weight and threshold ROMs) and
  its header, which states the stream formats.
- `tb/`: the testbench. `tb/data/input.npy` holds the kernel's input values
  (@IN_SHAPE@, @INPUT_DESC@), `tb/data/golden.npy` the outputs qc's
  CPU path computed for them (@OUT_SHAPE@). The testbench compares every
  integer and prints `N passed, M failed` last; it exits non-zero on any
  mismatch and when a file is missing.
- `shim/`: qc's C-simulation `ap_int.h` and `hls_stream.h`.
- `estimates.json`: cycles, LUT, BRAM_18K and DSP per layer and for the
  network at @CLOCK@ MHz, with FINN's formulas and key names: a model, not
  calibrated against synthesis.

Layers qc keeps on the host (a float first or last layer, say) are not in
this kernel: its input is what the host computes before them, its output
what the host computes after.

```
make csim          # g++ against shim/
make csim-threads  # one thread per stage on bounded streams: deadlocks reported
make csim-san      # ASan + UBSan
make csim-vendor   # against $XILINX_HLS/include
vitis_hls -f run_hls.tcl   # csim, csynth, cosim, export (part @PART@)
```
)qc";

} // namespace

void mlir::qc::emitTestbenchFiles(const HlsPlan &plan,
                                  const HlsProjectOptions &options,
                                  std::vector<HlsFile> &files) {
  std::string outDims;
  for (int64_t d : plan.outputShape)
    outDims += (outDims.empty() ? "" : ", ") + std::to_string(d);
  // How the testbench turns input values into lanes, and output lanes
  // into values: binary layers check the levels and pack signs; integer
  // layers compute the codes as the CPU path does (f32 division, ties to
  // even) and scale the output integers back.
  std::string levelsDecl, inputCode, outType, outValue;
  const int64_t inBits = plan.layers.front().sourceBits;
  if (plan.integer) {
    const std::string maxCode = std::to_string((int64_t(1) << inBits) - 1);
    inputCode =
        "        const float q = std::nearbyint(float(v) / " +
        formatHexFloat(plan.inputScale) +
        ");\n"
        "        // NaN fails the comparison too.\n"
        "        if (!(q >= float(" +
        std::to_string(-plan.inputOffset) + ") && q <= float(" +
        std::to_string((int64_t(1) << inBits) - 1 - plan.inputOffset) +
        "))) {\n"
        "          char code[64];\n"
        "          std::snprintf(code, sizeof code, \"%.17g\", double(q) + " +
        std::to_string(plan.inputOffset) +
        ");\n"
        "          return fail(\"input value \" + std::to_string(v) + \" at "
        "\" +\n"
        "                      std::to_string(at) + \" gives the code \" + "
        "code +\n"
        "                      \", outside the first layer's 0.." +
        maxCode +
        "\");\n"
        "        }\n"
        "        const unsigned bits = unsigned((long long)(q) + " +
        std::to_string(plan.inputOffset) + ");";
    outType = "float";
    outValue = "float(v.to_int()) * " + formatHexFloat(plan.outputScale);
  } else {
    levelsDecl = "  static const double levels[] = {" +
                 joinNumbers(plan.inputLevels) + "};\n";
    inputCode =
        "        bool known = false;\n"
        "        for (double level : levels)\n"
        "          known = known || v == level;\n"
        "        if (!known)\n"
        "          return fail(\"input value \" + std::to_string(v) + \" at "
        "\" +\n"
        "                      std::to_string(at) +\n"
        "                      \" is not one the first layer's quantization "
        "keeps \"\n"
        "                      \"(" +
        joinNumbers(plan.inputLevels) +
        ")\");\n"
        "        const unsigned bits = @TOP@_in_lane_bits == 2\n"
        "                                  ? (v != 0.0 ? 1u : 0u) | (v < 0.0 ? "
        "2u : 0u)\n"
        "                                  : (v < 0.0 ? 1u : 0u);";
    outType = "int32_t";
    outValue = "int32_t(v.to_int())";
  }
  const std::pair<StringRef, std::string> values[] = {
      {"LEVELS_DECL", levelsDecl},
      {"INPUT_CODE", inputCode},
      {"OUT_T", outType},
      {"OUT_VALUE", outValue},
      {"TOP", plan.top},
      {"LEVELS", joinNumbers(plan.inputLevels)},
      {"KIND", plan.integer ? "integer" : "binary"},
      {"INPUT_DESC", plan.integer
                         ? "values on the first layer's activation grid, codes "
                           "roundeven(x / " +
                               formatDouble(plan.inputScale) + ") + " +
                               std::to_string(plan.inputOffset)
                         : "each one of " + joinNumbers(plan.inputLevels)},
      {"IN_SHAPE", joinShape(plan.inputShape)},
      {"OUT_SHAPE", joinShape(plan.outputShape)},
      {"OUT_DIMS", outDims},
      {"PART", options.part},
      {"PERIOD", formatDouble(1000.0 / options.clockMhz)},
      {"CLOCK", formatDouble(options.clockMhz)},
      {"LAYERS", std::to_string(plan.layers.size())},
      {"FROM", options.modelName.empty()
                   ? std::string()
                   : "From `" + options.modelName + "`. "}};
  files.push_back({"tb/npy.h", kNpyHeader});
  files.push_back({"tb/tb.cpp", substitute(kTestbench, values)});
  files.push_back({"Makefile", substitute(kMakefile, values)});
  files.push_back({"run_hls.tcl", substitute(kTcl, values)});
  files.push_back({"README.md", substitute(kReadme, values)});

  // FINN's report keys, so that figures compare side by side.
  std::vector<HlsLayer> layers;
  // Keyed by ONNX node name, as FINN's reports are.
  for (const HlsLayerPlan &layer : plan.layers)
    layers.push_back(layer.geom);
  llvm::json::Object cycles, resources;
  int64_t lut = 0, bram = 0, dsp = 0;
  for (const HlsLayer &layer : layers) {
    HlsLayerEstimate e = estimateHlsLayer(layer);
    cycles[layer.name] = e.cycles;
    resources[layer.name] = llvm::json::Object{
        {"BRAM_18K", e.bram18}, {"LUT", e.lut}, {"URAM", 0}, {"DSP", e.dsp}};
    lut += e.lut;
    bram += e.bram18;
    dsp += e.dsp;
  }
  resources["total"] = llvm::json::Object{
      {"BRAM_18K", bram}, {"LUT", lut}, {"URAM", 0}, {"DSP", dsp}};
  HlsNetworkEstimate n = estimateHlsNetwork(layers, options.clockMhz);
  llvm::json::Object network{{"critical_path_cycles", n.criticalPathCycles},
                             {"max_cycles", n.maxCycles},
                             {"max_cycles_node_name", n.maxCyclesNodeName},
                             {"estimated_throughput_fps", n.throughputFps},
                             {"estimated_latency_ns", n.latencyNs}};
  llvm::json::Object root{
      {"model", "FINN's analytical estimates, uncalibrated"},
      {"clock_mhz", options.clockMhz},
      {"estimate_layer_cycles", std::move(cycles)},
      {"estimate_layer_resources", std::move(resources)},
      {"estimate_network_performance", std::move(network)}};
  std::string json;
  llvm::raw_string_ostream os(json);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  files.push_back({"estimates.json", json});
}
