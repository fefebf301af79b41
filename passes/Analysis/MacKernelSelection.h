//===- MacKernelSelection.h - Which kernel a layer can take -----*- C++ -*-===//
//
// The analysis behind qc-lower-macs: for a tosa.conv2d or
// tosa.fully_connected, which kernel its multiply-accumulates can run on
// (from what its input holds and how its weight is stored), with everything
// the rewrite needs, or a human-readable reason why none can and the layer
// stays on the float reference path. Reports and `--explain` ask the same
// question without rewriting anything.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_ANALYSIS_MACKERNELSELECTION_H
#define QC_PASSES_ANALYSIS_MACKERNELSELECTION_H

#include "dialects/QC/QCAttrs.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/Twine.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir {
namespace qc {

/// The kernels qc-lower-macs rewrites a layer's multiply-accumulates into.
enum class KernelKind {
  /// qc.xnor_popcount on binary activations and binary weights.
  XnorPopcount,
  /// qc.xnor_popcount with a non-zero mask: ternary (Sign) activations.
  MaskedXnorPopcount,
  /// qc.bitserial_popcount: uniform activation bit-planes against binary or
  /// low-bit uniform weight planes.
  BitserialPopcount,
  /// qc.ternary_popcount: uniform activations, symmetric ternary weights.
  TernaryPopcount,
  /// qc.shift_accumulate: uniform activations, power-of-two weights.
  ShiftAccumulate,
  /// An integer linalg convolution / matmul on the activation codes.
  IntegerMac,
  /// qc.codebook_accumulate over codebook or asymmetric ternary weights.
  CodebookAccumulate,
  /// qc.codebook_accumulate over power-of-two levels (float activations).
  PowerOfTwoLevelAccumulate,
  /// qc.codebook_accumulate over +-alpha (float activations).
  BinaryAddSubtract,
  /// qc.codebook_accumulate over {-alpha, 0, +alpha} (float activations).
  TernaryAddSubtract,
};

/// The name report.json and `--explain` give `kind`.
StringRef getKernelName(KernelKind kind);

/// A matched value, or why there is none. A failure is either "not mine"
/// (the layer is of a kind another matcher takes, e.g. float activations
/// for the popcount matcher) or a reason that decides the layer's fate.
template <typename T> class MatchResult {
public:
  MatchResult(T value) : value(std::move(value)) {}

  /// The layer is not of the kind this matcher takes.
  static MatchResult notMine(const Twine &reason) {
    return MatchResult(reason.str(), /*decisive=*/false);
  }
  /// The layer is of the kind this matcher takes but cannot use its kernel.
  static MatchResult fails(const Twine &reason) {
    return MatchResult(reason.str(), /*decisive=*/true);
  }
  /// A failure of another matcher, passed on with its kind.
  template <typename U>
  static MatchResult failsAs(const MatchResult<U> &other) {
    return MatchResult(other.getReason().str(), other.isDecisive());
  }

  explicit operator bool() const { return value.has_value(); }
  const T &operator*() const { return *value; }
  const T *operator->() const { return &*value; }
  /// Why the match failed ("" on success).
  StringRef getReason() const { return reason; }
  /// Whether the failure is this matcher's to explain.
  bool isDecisive() const { return decisive; }

private:
  MatchResult(std::string reason, bool decisive)
      : reason(std::move(reason)), decisive(decisive) {}

  std::optional<T> value;
  std::string reason;
  bool decisive = false;
};

/// The operands of a layer qc-lower-macs handles: tosa.conv2d (NHWC input,
/// OHWI weight) or tosa.fully_connected (O x K weight).
struct MacLayer {
  Value input, weight, bias;
  ConvAttr conv; // null for a dense layer
};

/// Activations a popcount kernel can take: values in {-alpha, +alpha}
/// (binary) or {-alpha, 0, +alpha} (ternary, which needs a mask plane).
struct ActivationGrid {
  double alpha;
  bool hasZero;
};

/// A binary weight stored packed: its sign words and per-channel alphas.
struct PackedBinaryWeight {
  DenseIntElementsAttr words;
  SmallVector<double> alpha; // one per output channel, or one
};

/// A weight whose values are an integer tensor times one unit per output
/// channel: uniform codes (minus zero point) times the scale, +-1 times
/// alpha (binary), {-1, 0, 1} times alpha (symmetric ternary), and
/// +-2^(e - emin) times scale * 2^emin (power of two).
struct IntegerWeight {
  DenseIntElementsAttr values; // i8, or i32 when the values need it
  SmallVector<double> unit;    // one per output channel
  int64_t maxAbs;
  SmallVector<uint64_t> codes; // the stored codes, in the layer's layout
  Type type;                   // the quantized element type
};

/// A weight with few distinct values per output channel, as centroid
/// indices (the stored codes, in the layer's layout) into one table row of
/// values per output channel: codebook weights, and for float activations
/// also binary, ternary and power-of-two weights, whose levels are
/// accumulated the same way.
struct CentroidWeight {
  DenseIntElementsAttr indices;
  DenseFPElementsAttr centroids; // outputs x k
  KernelKind kind;
};

/// A layer with binary or symmetric ternary activations and binary weights:
/// everything its XNOR-popcount rewrite needs.
struct BinaryLayer {
  MacLayer layer;
  PackedBinaryWeight weight;
  ActivationGrid grid;
  int64_t depth;
  unsigned accBits; // |acc| <= K = depth x KH x KW
};

/// One exact kernel an integer layer can run on, with the accumulator width
/// its bound needs.
struct IntegerRoute {
  KernelKind kind;
  unsigned accBits;
};

/// A layer with per-tensor uniform activations and a weight with an integer
/// form. Its kernel works on the activation codes: relative to the zero
/// point (c - z) for the integer MAC and shift-add, or as unsigned codes
/// u = c - qmin in bit-planes for the popcount kernels, where the real 0
/// (and the padding) is the code u0 = z - qmin.
struct IntegerLayer {
  MacLayer layer;
  IntegerWeight weight;
  double scaleA;
  /// IntegerMac, BitserialPopcount, TernaryPopcount or ShiftAccumulate.
  KernelKind kernel;
  int64_t zeroCode;     // u0
  unsigned planesA = 0; // bit-planes of u
  unsigned planesW = 0; // bit-planes of the weights (bit-serial)
  unsigned shiftInputBits = 0;
  /// Accumulator width: the narrowest of 16 and 32 bits that holds the
  /// kernel's bound (as its verifier computes it).
  unsigned accBits = 32;
  /// Every kernel the layer can take (the integer MAC last); `kernel` is
  /// the one picked (KernelPicker.h).
  SmallVector<IntegerRoute> routes{};
};

/// A layer whose weight is a centroid table: its input is float, or lies on
/// a per-tensor uniform grid (then the codes c - z are summed exactly).
struct CentroidLayer {
  MacLayer layer;
  CentroidWeight weight;
  std::optional<double> scaleA; // uniform activations
};

/// The XNOR-popcount form of `op`, or why it has none.
MatchResult<BinaryLayer> matchBinaryLayer(Operation *op);

class KernelCostTable;

/// How qc-lower-macs chooses among a layer's exact kernels.
struct MacKernelOptions {
  /// Bit-serial only when activation bits x weight bits is at most this.
  int64_t bitserialMaxBits = 5;
  /// The instruction-set level routes are costed for ("x86-64", "avx2",
  /// "avx512", "avx512-vnni"); empty: this machine's.
  std::string isaLevel;
  /// The cost table; null: the built-in one.
  const KernelCostTable *costs = nullptr;
  /// A route to take wherever a layer has it ("integer", "bitserial",
  /// "ternary", "shift"); empty: the cheapest.
  std::string forcedRoute;
};

/// The integer-kernel form of `op`: every kernel whose conditions hold
/// (bit-serial, ternary or shift-add on the codes, and the integer MAC;
/// bit-serial only within `options.bitserialMaxBits`), the one to run picked
/// by KernelPicker.h (`choice` receives why), or why it has none.
MatchResult<IntegerLayer> matchIntegerLayer(Operation *op,
                                            const MacKernelOptions &options,
                                            std::string *choice = nullptr);

/// The per-centroid (or per-level) accumulation form of `op`, or why it has
/// none.
MatchResult<CentroidLayer> matchCentroidLayer(Operation *op);

/// What qc-lower-macs does with one layer: at most one of the three forms,
/// tried in this order, or the reason the layer stays on the float
/// reference path.
struct MacKernelSelection {
  std::optional<BinaryLayer> binary;
  std::optional<IntegerLayer> integer;
  std::optional<CentroidLayer> centroid;
  /// Why no kernel applies; empty when one does.
  std::string reason;
  /// Why the picker took this kernel over the layer's others ("" when it
  /// has one route).
  std::string choice;
  /// The ids of the layer's routes (KernelPicker.h), when it has more than
  /// one.
  SmallVector<std::string> routes;

  /// The kernel chosen, or nullopt.
  std::optional<KernelKind> getKind() const;
};

/// Selects the kernel of `op` (any operation; only tosa.conv2d and
/// tosa.fully_connected can get one).
MacKernelSelection selectMacKernel(Operation *op,
                                   const MacKernelOptions &options);

/// The kernel a layer's multiply-accumulates become, for reports.
struct MacKernel {
  KernelKind kind;
  /// Bytes of the weights as the kernel reads them (packed sign words,
  /// bit-planes, or integer values and indices).
  int64_t weightBytes;
};

/// The kernel qc-lower-macs rewrites `layer` into, or why the layer stays on
/// the float reference path; `choice` receives why the picker took it.
MatchResult<MacKernel> getMacKernel(Operation *layer,
                                    const MacKernelOptions &options = {},
                                    std::string *choice = nullptr);

/// The quantized element type whose values `input` holds (a qc.dequantize
/// seen through transposes, reshapes and max-pools whose windows all hold
/// an element: a window of padding alone gives -inf, which is on no grid),
/// or null.
Type getActivationQuantType(Value input);

/// The narrowest word that holds `depth` bits, at least 8 and at most 32:
/// the word popcount kernels pack a row of `depth` bits into.
IntegerType getWordType(MLIRContext *ctx, int64_t depth);

/// Codes of at most 8 bits as an i8 tensor of `shape` (power-of-two codes,
/// centroid indices), as the kernels read them.
DenseIntElementsAttr getCodesAttr(MLIRContext *ctx, ArrayRef<uint64_t> codes,
                                  ArrayRef<int64_t> shape);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_ANALYSIS_MACKERNELSELECTION_H
