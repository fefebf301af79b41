//===- EmitHLSPrinter.h - State of the HLS C++ printer ----------*- C++ -*-===//
//
// The printer's state, shared by the files that print one group each:
// EmitHLSLayers.cpp (the stages of a layer: sliding window, matrix-vector
// unit, pooling, thresholds, width conversion), EmitHLSArith.cpp (the
// arithmetic of integer layers' matrix-vector units), EmitHLSStreams.cpp (the
// parameters, ROMs and the dataflow top function) and
// EmitHLSTestbench.cpp (testbench, Makefile, Tcl, estimates, README).
// Internal to lowering/HLS.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_HLS_EMITHLSPRINTER_H
#define QC_LOWERING_HLS_EMITHLSPRINTER_H

#include "lowering/HLS/EmitHLS.h"
#include "lowering/HLS/HlsPlan.h"

#include "mlir/Support/IndentedOstream.h"

#include <string>

namespace mlir {
namespace qc {

/// The C++ spellings of W-bit unsigned and signed HLS integers.
inline std::string apUint(int64_t bits) {
  return "ap_uint<" + std::to_string(bits) + ">";
}
inline std::string apInt(int64_t bits) {
  return "ap_int<" + std::to_string(bits) + ">";
}

class HlsPrinter {
public:
  HlsPrinter(const HlsPlan &plan, raw_indented_ostream &os)
      : plan(plan), os(os) {}

  /// The kernel header (src/<top>.h): the top's declaration and the
  /// stream formats the testbench packs and unpacks.
  void printHeader();
  /// The kernel source (src/<top>.cpp): ROMs, stage functions, the top.
  void printKernel();

  /// The stages of layer `index`, in dataflow order.
  void printLayerStages(size_t index);

  /// Name of the stream type of words of `lanes` lanes of `laneBits`.
  static std::string getWordType(int64_t lanes, int64_t laneBits);

  /// The stages the top calls, in order: function name, input stream and
  /// output stream (indices into the stream list; 0 is the top's input, the
  /// last the top's output).
  struct Stage {
    std::string function;
    size_t in, out;
  };
  struct Stream {
    std::string name, type;
  };

private:
  void printWindow(const HlsLayerPlan &layer);
  void printMvau(const HlsLayerPlan &layer);
  /// Integer layers (EmitHLSArith.cpp): the matrix-vector unit's doc
  /// comment, the dot product of PE p's weights with the SIMD codes of `x`
  /// (into `dot`), its width, a padded border's word, and the weight ROM's
  /// words.
  void printIntegerMvauComment(const HlsLayerPlan &layer);
  void printIntegerDot(const HlsLayerPlan &layer);
  static int64_t getIntegerDotBits(const HlsLayerPlan &layer);
  static std::string getPadWord(const HlsLayerPlan &layer);
  static std::vector<uint8_t> getIntegerWeightBits(const HlsLayerPlan &layer,
                                                   int64_t row, int64_t col);
  void printPool(const HlsLayerPlan &layer);
  void printThreshold(const HlsLayerPlan &layer);
  void printResize(const std::string &name, int64_t elements, int64_t inLanes,
                   int64_t outLanes, int64_t laneBits);
  void printRoms(const HlsLayerPlan &layer);
  void printTop();
  void printHelpers();
  /// Adds a stage reading the current stream and writing a new one of
  /// `type` named `name`.
  void addStage(const std::string &function, const std::string &name,
                const std::string &type);

  const HlsPlan &plan;
  raw_indented_ostream &os;
  std::vector<Stage> stages;
  std::vector<Stream> streams;
};

/// Files of the project besides the kernel (EmitHLSTestbench.cpp).
void emitTestbenchFiles(const HlsPlan &plan, const HlsProjectOptions &options,
                        std::vector<HlsFile> &files);

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_HLS_EMITHLSPRINTER_H
