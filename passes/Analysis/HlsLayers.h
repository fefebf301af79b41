//===- HlsLayers.h - Layers of the FPGA back end and their estimates -*- C++
//-*-===//
//
// The FPGA back end sees a model as a chain of matrix-vector units (FINN's
// MVAU): each MAC kernel op (qc.xnor_popcount, qc.bitserial_popcount,
// qc.ternary_popcount, qc.shift_accumulate) multiplies an MH x MW matrix
// (MH outputs, MW = KH * KW * C inputs per output) by one input vector per
// output pixel. Its folding, PE (outputs computed in parallel) and SIMD
// (inputs consumed per cycle), sets its cycles and resources.
//
// The estimates follow FINN's analytical models, with FINN's key names, so
// that figures compare side by side. They are a model, not calibrated
// against synthesis:
//   MVAU cycles      (MH / PE) * (MW / SIMD) * vectors
//   sliding window   IFMw * K * C / SIMD
//                    + OFMh * max(OFMw * K^2 * C / SIMD, S * IFMw * C / SIMD)
//   LUT              300 + 1.1 * PE * (mult + adder + acc + thr + cmp)
//                    + the weights in LUTRAM when their memory is shallow
//   BRAM_18K         from the weight memory's depth MW * MH / (PE * SIMD)
//                    and width PE * SIMD * W (RAMB18 aspect ratios)
//   DSP              PE * SIMD * ceil((W + A) / 48) for multiplies wider
//                    than the LUT ones (never for XNOR or ternary weights,
//                    which multiply nothing: mult = 0 for them)
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_ANALYSIS_HLSLAYERS_H
#define QC_PASSES_ANALYSIS_HLSLAYERS_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>

namespace mlir {
namespace func {
class FuncOp;
} // namespace func
namespace qc {

/// Names of the folding attributes qc-hls-fold sets on a kernel op.
constexpr const char kHlsPeAttr[] = "qc.hls.pe";
constexpr const char kHlsSimdAttr[] = "qc.hls.simd";

/// One matrix-vector unit.
struct HlsLayer {
  Operation *op = nullptr;
  /// The ONNX node name of the layer (from the op's location), or
  /// "layer<i>" when the model gave none.
  std::string name;
  /// xnor, bitserial, ternary or shift.
  StringRef kind;
  bool isConv = false;
  /// Matrix height (outputs) and width (inputs per output).
  int64_t mh = 0, mw = 0;
  /// Input vectors per image: output pixels of a convolution, 1 for dense.
  int64_t vectors = 1;
  /// Bits per weight and per input element.
  int64_t weightBits = 0, inputBits = 0;
  /// The convolution's geometry (isConv): input channels, kernel, stride,
  /// input and output sizes (without padding: the padded input's).
  int64_t channels = 0, kernelH = 1, kernelW = 1, strideH = 1, strideW = 1;
  int64_t inH = 1, inW = 1, outH = 1, outW = 1;
  /// The folding (1 until qc-hls-fold sets it).
  int64_t pe = 1, simd = 1;
};

/// The estimates of one layer, FINN's keys.
struct HlsLayerEstimate {
  /// MVAU cycles, the sliding window's (0 for dense layers), and the
  /// layer's: the larger, as they overlap in the dataflow.
  int64_t mvauCycles = 0, windowCycles = 0, cycles = 0;
  int64_t lut = 0, bram18 = 0, dsp = 0;
};

/// The network's figures at `clockMhz`.
struct HlsNetworkEstimate {
  int64_t maxCycles = 0, criticalPathCycles = 0;
  std::string maxCyclesNodeName;
  double throughputFps = 0, latencyNs = 0;
  int64_t lut = 0, bram18 = 0, dsp = 0;
};

/// The MAC kernel ops of `func` in program order, with their folding read
/// from the attributes (1 where unset). Fails with an error on `func`'s
/// ops when a kernel op's shapes are not static (other than the batch).
LogicalResult collectHlsLayers(func::FuncOp func,
                               SmallVectorImpl<HlsLayer> &layers);

/// Whether `op` is a MAC kernel op the FPGA back end folds.
bool isHlsMacKernel(Operation *op);

/// Bits of the accumulator of `layer` for inputs and weights in their
/// ranges: signed ceil(log2(max(-min, max + 1))) + 1 over the bound of the
/// sum, as FINN's minimize_accumulator_width does.
int64_t getHlsAccumulatorBits(const HlsLayer &layer);

HlsLayerEstimate estimateHlsLayer(const HlsLayer &layer);
HlsNetworkEstimate estimateHlsNetwork(ArrayRef<HlsLayer> layers,
                                      double clockMhz);

/// The legal PE values of `layer` (divisors of MH) and SIMD values
/// (divisors of the input elements a cycle can take: C for convolutions,
/// whose sliding window feeds one pixel's channels at a time, MW for dense
/// layers), ascending.
SmallVector<int64_t> getLegalPe(const HlsLayer &layer);
SmallVector<int64_t> getLegalSimd(const HlsLayer &layer);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_ANALYSIS_HLSLAYERS_H
