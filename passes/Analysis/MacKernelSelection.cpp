//===- MacKernelSelection.cpp - Which kernel a layer can take -------------===//
//
// Implements the kernel choice of qc-lower-macs. Three matchers look at a
// layer: the XNOR-popcount one (binary or symmetric ternary activations,
// binary weights), the integer one (per-tensor uniform activations, weights
// with an integer form) and the centroid one (codebook weights, and float
// activations with few weight levels). Each checks the layer, then its
// weight, then whether the input is of the kind it takes, then its own
// conditions, and says which condition failed; the selection reports the
// first failure that belongs to a matcher whose kind of input the layer
// has. The weight forms are in MacWeightForms.cpp.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/MacKernelSelection.h"
#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCPacking.h"
#include "passes/Analysis/KernelPicker.h"
#include "passes/Analysis/LayerCost.h"
#include "passes/Analysis/MacWeightForms.h"

#include "mlir/Dialect/Quant/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

#define DEBUG_TYPE "mac-kernel-selection"

using namespace mlir;
using namespace mlir::qc;

StringRef mlir::qc::getKernelName(KernelKind kind) {
  switch (kind) {
  case KernelKind::XnorPopcount:
    return "xnor-popcount";
  case KernelKind::MaskedXnorPopcount:
    return "masked xnor-popcount";
  case KernelKind::BitserialPopcount:
    return "bit-serial AND-popcount";
  case KernelKind::TernaryPopcount:
    return "ternary masked popcount";
  case KernelKind::ShiftAccumulate:
    return "shift-add (power-of-two weights)";
  case KernelKind::IntegerMac:
    return "integer MAC";
  case KernelKind::CodebookAccumulate:
    return "per-centroid accumulation";
  case KernelKind::PowerOfTwoLevelAccumulate:
    return "per-level accumulation (power-of-two weights)";
  case KernelKind::BinaryAddSubtract:
    return "add/subtract (binary weights)";
  case KernelKind::TernaryAddSubtract:
    return "add/subtract (ternary weights, zeros skipped)";
  }
  llvm_unreachable("unknown kernel kind");
}

IntegerType mlir::qc::getWordType(MLIRContext *ctx, int64_t depth) {
  return IntegerType::get(ctx, depth <= 8 ? 8 : depth <= 16 ? 16 : 32);
}

DenseIntElementsAttr mlir::qc::getCodesAttr(MLIRContext *ctx,
                                            ArrayRef<uint64_t> codes,
                                            ArrayRef<int64_t> shape) {
  SmallVector<APInt> ints;
  for (uint64_t code : codes)
    ints.push_back(APInt(8, code));
  return DenseIntElementsAttr::get(
      RankedTensorType::get(shape, IntegerType::get(ctx, 8)), ints);
}

namespace {

//===----------------------------------------------------------------------===//
// Describing values
//===----------------------------------------------------------------------===//

/// The bound `bound` as a power of two, rounded up: 2^33.
std::string formatBound(double bound) {
  return llvm::formatv("2^{0}", static_cast<int64_t>(
                                    std::ceil(std::log2(std::max(bound, 1.0)))))
      .str();
}

//===----------------------------------------------------------------------===//
// The layer
//===----------------------------------------------------------------------===//

/// The qc.dequantize whose values `value` holds, seen through ops that
/// only move or select values. A max-pool selects an input element only
/// when every window holds one (pad < kernel); a window of padding alone
/// yields -inf, which is on no grid. When there is none, `why` (if given)
/// says why the input counts as float.
DequantizeOp findDequantize(Value value, std::string *why = nullptr) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto pool = dyn_cast<tosa::MaxPool2dOp>(def)) {
      ArrayRef<int64_t> kernel = pool.getKernel(), pad = pool.getPad();
      for (int64_t i = 0; i < 4; ++i)
        if (pad[i] >= kernel[i / 2]) {
          if (why)
            *why = "input is float: it passes a max-pool whose padding "
                   "fills whole windows (-inf is on no grid)";
          return nullptr;
        }
    }
    if (isa<tosa::TransposeOp, tosa::ReshapeOp, tosa::MaxPool2dOp>(def)) {
      value = def->getOperand(0);
      continue;
    }
    if (auto dequantize = dyn_cast<DequantizeOp>(def))
      return dequantize;
    break;
  }
  if (why)
    *why = "input is float (not the output of a quantizer)";
  return nullptr;
}

MatchResult<MacLayer> getLayer(Operation *op) {
  if (auto conv = dyn_cast<tosa::Conv2DOp>(op))
    return MacLayer{conv.getInput(), conv.getWeight(), conv.getBias(),
                    ConvAttr::get(op->getContext(), conv.getStride(),
                                  conv.getPad(), conv.getDilation(),
                                  /*groups=*/1)};
  if (auto dense = dyn_cast<tosa::FullyConnectedOp>(op))
    return MacLayer{dense.getInput(), dense.getWeight(), dense.getBias(), {}};
  return MatchResult<MacLayer>::fails(
      "'" + op->getName().getStringRef() +
      "' has no MAC kernel (only tosa.conv2d and tosa.fully_connected do)");
}

/// The layer of `op` when its shapes suit every kernel: a float input with
/// a static innermost extent, and for a convolution a static input H and W
/// and kernel KH and KW (the kernels' loops and output extents need them).
MatchResult<MacLayer> matchMacLayer(Operation *op) {
  MatchResult<MacLayer> layer = getLayer(op);
  if (!layer)
    return layer;
  auto input = cast<RankedTensorType>(layer->input.getType());
  if (!isa<FloatType>(input.getElementType()))
    return MatchResult<MacLayer>::fails(
        "input is not float (" + describeScheme(input.getElementType()) + ")");
  if (input.getRank() == 0 || input.isDynamicDim(input.getRank() - 1))
    return MatchResult<MacLayer>::fails(
        "the input's innermost extent is dynamic (input " +
        formatShape(input.getShape()) + ")");
  if (!layer->conv)
    return layer;
  auto weight = cast<RankedTensorType>(layer->weight.getType());
  if (input.getRank() != 4 || weight.getRank() != 4 || input.isDynamicDim(1) ||
      input.isDynamicDim(2) || weight.isDynamicDim(1) || weight.isDynamicDim(2))
    return MatchResult<MacLayer>::fails(
        "dynamic H/W: the kernels need a static input H and W and kernel "
        "KH and KW (input " +
        formatShape(input.getShape()) + ", weight " +
        formatShape(weight.getShape()) + ")");
  return layer;
}

/// The unpacked length of the layer input's innermost axis (static, as
/// matchMacLayer checked).
int64_t getInputDepth(const MacLayer &layer) {
  return cast<RankedTensorType>(layer.input.getType()).getShape().back();
}

/// The narrowest accumulator, 16 or 32 bits, that holds every |acc| <=
/// `bound` (the bound the kernel op's verifier computes), or 0 when
/// neither does and the kernel must not be used.
unsigned getAccumulatorBits(double bound) {
  if (bound < std::ldexp(1.0, 15))
    return 16;
  return bound < std::ldexp(1.0, 31) ? 32 : 0;
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

/// The grid that the float values of `value` lie on, when they come from a
/// per-tensor binary or symmetric ternary `qc.dequantize`.
MatchResult<ActivationGrid> matchActivationGrid(Value value) {
  using Result = MatchResult<ActivationGrid>;
  std::string why;
  DequantizeOp dequantize = findDequantize(value, &why);
  if (!dequantize)
    return Result::notMine(why);
  Type element = dequantize.getInput().getType().getElementType();
  if (auto binary = dyn_cast<BinaryType>(element)) {
    ArrayRef<double> alpha = binary.getAlpha().asArrayRef();
    if (alpha.size() != 1)
      return Result::fails(
          "input is not on a per-tensor grid (per-channel alpha)");
    if (!(alpha[0] > 0))
      return Result::fails("input's binary alpha " + formatNumber(alpha[0]) +
                           " is not positive");
    return ActivationGrid{alpha[0], false};
  }
  if (auto ternary = dyn_cast<TernaryType>(element)) {
    ArrayRef<double> alphaP = ternary.getAlphaP().asArrayRef();
    ArrayRef<double> alphaN = ternary.getAlphaN().asArrayRef();
    if (alphaP.size() != 1 || alphaN.size() != 1)
      return Result::fails(
          "input is not on a per-tensor grid (per-channel alpha)");
    if (alphaP[0] != alphaN[0])
      return Result::fails(llvm::formatv(
          "input's ternary grid is asymmetric (alpha_p {0} != alpha_n {1}): "
          "not +-alpha times a sign",
          formatNumber(alphaP[0]), formatNumber(alphaN[0])));
    if (!(alphaP[0] > 0))
      return Result::fails("input's ternary alpha " + formatNumber(alphaP[0]) +
                           " is not positive");
    return ActivationGrid{alphaP[0], true};
  }
  return Result::notMine("input is on a " + describeScheme(element) +
                         " grid, not binary or ternary");
}

/// The per-tensor uniform type of the layer input's values.
MatchResult<quant::UniformQuantizedType> matchUniformActivation(Value input) {
  using Result = MatchResult<quant::UniformQuantizedType>;
  std::string why;
  DequantizeOp dequantize = findDequantize(input, &why);
  if (!dequantize)
    return Result::notMine(why);
  Type element = dequantize.getInput().getType().getElementType();
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(element))
    return uniform;
  if (isa<quant::UniformQuantizedPerAxisType>(element))
    return Result::fails(
        "input is not on a per-tensor grid (per-channel scales)");
  return Result::notMine("input is on a " + describeScheme(element) +
                         " grid, not uniform");
}

} // namespace

//===----------------------------------------------------------------------===//
// Matchers
//===----------------------------------------------------------------------===//

MatchResult<BinaryLayer> mlir::qc::matchBinaryLayer(Operation *op) {
  using Result = MatchResult<BinaryLayer>;
  MatchResult<MacLayer> layer = matchMacLayer(op);
  if (!layer)
    return Result::failsAs(layer);
  MatchResult<StoredWeight> stored = matchStoredWeight(layer->weight);
  if (!stored)
    return Result::failsAs(stored);
  MatchResult<ActivationGrid> grid = matchActivationGrid(layer->input);
  if (!grid)
    return Result::failsAs(grid);
  std::optional<PackedBinaryWeight> weight = getPackedBinaryWeight(*stored);
  if (!weight)
    return Result::fails(
        "binary and ternary activations take XNOR-popcount only with binary "
        "weights, not " +
        describeScheme(getStoredType(*stored)));
  int64_t depth = getInputDepth(*layer);
  double products = depth;
  if (layer->conv) {
    auto shape = weight->words.getType().getShape();
    products *= shape[1] * shape[2];
  }
  unsigned accBits = getAccumulatorBits(products);
  if (!accBits)
    return Result::fails(llvm::formatv(
        "accumulator bound {0} needs more than 31 bits (K = {1} products)",
        formatBound(products), static_cast<int64_t>(products)));
  return BinaryLayer{*layer, *weight, *grid, depth, accBits};
}

MatchResult<IntegerLayer>
mlir::qc::matchIntegerLayer(Operation *op, const MacKernelOptions &options,
                            std::string *choice) {
  using Result = MatchResult<IntegerLayer>;
  MatchResult<MacLayer> layer = matchMacLayer(op);
  if (!layer)
    return Result::failsAs(layer);
  MatchResult<StoredWeight> stored = matchStoredWeight(layer->weight);
  if (!stored)
    return Result::failsAs(stored);
  MatchResult<quant::UniformQuantizedType> activation =
      matchUniformActivation(layer->input);
  if (!activation)
    return Result::failsAs(activation);
  MatchResult<IntegerWeight> weight = getIntegerWeight(*stored);
  if (!weight)
    return Result::failsAs(weight);
  // The i32 accumulator must hold K * max|x - z| * max|w| (K: the products
  // per output).
  int64_t qmin = activation->getStorageTypeMin(),
          qmax = activation->getStorageTypeMax(),
          zero = activation->getZeroPoint();
  int64_t maxA = std::max(std::abs(qmin - zero), std::abs(qmax - zero));
  auto weightShape =
      cast<RankedTensorType>(weight->values.getType()).getShape();
  double products = 1;
  for (int64_t d : weightShape.drop_front())
    products *= d;
  if (products * maxA * weight->maxAbs >= std::ldexp(1.0, 31))
    return Result::fails(llvm::formatv(
        "accumulator bound {0} needs more than 31 bits (K = {1} products x "
        "max |c - z| = {2} x max |w| = {3})",
        formatBound(products * maxA * weight->maxAbs),
        static_cast<int64_t>(products), maxA, weight->maxAbs));

  IntegerLayer integer{*layer, *weight, activation->getScale(),
                       KernelKind::IntegerMac, zero - qmin};

  integer.planesA = llvm::bit_width(static_cast<uint64_t>(qmax - qmin));
  double maxU = std::ldexp(1.0, integer.planesA) - 1;
  // The largest |accumulator| of each kernel, as its verifier bounds it; a
  // kernel whose bound needs more than 32 bits is not a route.
  auto fits = [](double b) { return getAccumulatorBits(b) != 0; };
  auto addRoute = [&](KernelKind kind, double bound) {
    integer.routes.push_back({kind, getAccumulatorBits(bound)});
  };
  if (isa<TernaryType>(weight->type) && integer.planesA <= 8 &&
      fits(products * maxU)) {
    addRoute(KernelKind::TernaryPopcount, products * maxU);
  } else if (auto pot = dyn_cast<PowerOfTwoType>(weight->type)) {
    unsigned bits = maxA <= 127 ? 8 : 16;
    double shiftBound =
        products * std::ldexp(1.0, bits - 1 + pot.getEmax() - pot.getEmin());
    if (maxA <= 32767 && fits(shiftBound)) {
      integer.shiftInputBits = bits;
      addRoute(KernelKind::ShiftAccumulate, shiftBound);
    }
  } else if (!isa<TernaryType>(weight->type)) {
    // Binary weights take one sign plane; others two's-complement planes.
    bool sign = isa<BinaryType>(weight->type);
    // Two's complement of [-maxAbs, maxAbs].
    integer.planesW =
        sign ? 1 : llvm::bit_width(static_cast<uint64_t>(weight->maxAbs)) + 1;
    double serialBound =
        products * maxU * (sign ? 1.0 : std::ldexp(1.0, integer.planesW - 1));
    if (integer.planesA <= 8 && integer.planesW <= 8 &&
        integer.planesA * integer.planesW <=
            static_cast<unsigned>(options.bitserialMaxBits) &&
        fits(serialBound))
      addRoute(KernelKind::BitserialPopcount, serialBound);
  }
  // The integer MAC keeps i32, the width of its codes.
  integer.routes.push_back({KernelKind::IntegerMac, 32});
  std::optional<LayerCost> cost = getLayerCost(op);
  std::string why = pickIntegerRoute(
      integer, cost ? static_cast<double>(cost->macs) : 0.0, options, op);
  if (choice)
    *choice = std::move(why);
  return integer;
}

MatchResult<CentroidLayer> mlir::qc::matchCentroidLayer(Operation *op) {
  using Result = MatchResult<CentroidLayer>;
  MatchResult<MacLayer> layer = matchMacLayer(op);
  if (!layer)
    return Result::failsAs(layer);
  MatchResult<StoredWeight> stored = matchStoredWeight(layer->weight);
  if (!stored)
    return Result::failsAs(stored);
  std::optional<double> scaleA;
  if (DequantizeOp dequantize = findDequantize(layer->input)) {
    Type element = dequantize.getInput().getType().getElementType();
    auto activation = dyn_cast<quant::UniformQuantizedType>(element);
    // Binary and ternary activations go to the popcount kernels.
    if (!activation)
      return Result::notMine("input is on a " + describeScheme(element) +
                             " grid, which per-centroid accumulation does "
                             "not read");
    scaleA = activation.getScale();
  }
  MatchResult<CentroidWeight> weight =
      getCentroidWeight(*stored, /*floatActivations=*/!scaleA);
  if (!weight)
    return Result::failsAs(weight);
  return CentroidLayer{*layer, *weight, scaleA};
}

//===----------------------------------------------------------------------===//
// Selection
//===----------------------------------------------------------------------===//

std::optional<KernelKind> MacKernelSelection::getKind() const {
  if (binary)
    return binary->grid.hasZero ? KernelKind::MaskedXnorPopcount
                                : KernelKind::XnorPopcount;
  if (integer)
    return integer->kernel;
  if (centroid)
    return centroid->weight.kind;
  return std::nullopt;
}

/// The integer-MAC form of a binary layer: its activations' codes are
/// roundeven(x / alpha), exactly -1, +1 (and 0 for Sign activations), its
/// weights +-1 with their alphas as units; none when the weight has no
/// integer form.
static std::optional<IntegerLayer> getBinaryCodesLayer(const BinaryLayer &b) {
  MatchResult<StoredWeight> stored = matchStoredWeight(b.layer.weight);
  if (!stored)
    return std::nullopt;
  MatchResult<IntegerWeight> weight = getIntegerWeight(*stored);
  if (!weight || weight->maxAbs != 1)
    return std::nullopt;
  IntegerLayer integer{b.layer, *weight, b.grid.alpha, KernelKind::IntegerMac,
                       /*zeroCode=*/0};
  integer.routes.push_back({KernelKind::IntegerMac, 32});
  return integer;
}

MacKernelSelection mlir::qc::selectMacKernel(Operation *op,
                                             const MacKernelOptions &options) {
  MacKernelSelection selection;
  // The first failure that belongs to its matcher explains the layer; when
  // every matcher says the layer is not its kind, the last one does.
  std::string fallback;
  auto note = [&](StringRef matcher, StringRef reason, bool decisive) {
    LLVM_DEBUG(llvm::dbgs()
               << "mac-kernel-selection: " << op->getLoc() << ": " << matcher
               << ": " << (decisive ? "fails: " : "not its kind: ") << reason
               << "\n");
    if (decisive && selection.reason.empty())
      selection.reason = reason.str();
    fallback = reason.str();
  };
  MatchResult<BinaryLayer> binary = matchBinaryLayer(op);
  if (binary) {
    selection.binary = *binary;
    // The integer MAC on the +-1 (and 0) codes gives the same sums.
    std::optional<IntegerLayer> codes = getBinaryCodesLayer(*binary);
    if (!codes)
      return selection;
    std::optional<LayerCost> cost = getLayerCost(op);
    double macs = cost ? static_cast<double>(cost->macs) : 0.0;
    selection.routes = {"xnor", "integer"};
    RouteCandidate candidates[] = {{"xnor", macs}, {"integer", macs}};
    auto [index, reason] = pickRoute(candidates, options, op);
    selection.choice = reason;
    if (index == 1) {
      selection.binary.reset();
      selection.integer = std::move(*codes);
    }
    return selection;
  }
  note("xnor-popcount", binary.getReason(), binary.isDecisive());
  MatchResult<IntegerLayer> integer =
      matchIntegerLayer(op, options, &selection.choice);
  if (integer) {
    selection.integer = *integer;
    selection.reason.clear();
    if (integer->routes.size() > 1)
      for (const IntegerRoute &route : integer->routes)
        selection.routes.push_back(getRouteId(route.kind).str());
    return selection;
  }
  note("integer", integer.getReason(), integer.isDecisive());
  MatchResult<CentroidLayer> centroid = matchCentroidLayer(op);
  if (centroid) {
    selection.centroid = *centroid;
    selection.reason.clear();
    return selection;
  }
  note("per-centroid", centroid.getReason(), centroid.isDecisive());
  if (selection.reason.empty())
    selection.reason = fallback;
  return selection;
}

MatchResult<MacKernel> mlir::qc::getMacKernel(Operation *layer,
                                              const MacKernelOptions &options,
                                              std::string *choice) {
  MacKernelSelection selection = selectMacKernel(layer, options);
  if (choice)
    *choice = selection.choice;
  std::optional<KernelKind> kind = selection.getKind();
  if (!kind)
    return MatchResult<MacKernel>::fails(selection.reason);
  auto bytes = [](DenseIntElementsAttr values) {
    return values.getNumElements() *
           static_cast<int64_t>(
               values.getElementType().getIntOrFloatBitWidth() / 8);
  };
  if (selection.binary)
    return MacKernel{*kind, bytes(selection.binary->weight.words)};
  if (const std::optional<IntegerLayer> &integer = selection.integer) {
    int64_t weightBytes = bytes(integer->weight.values);
    ArrayRef<int64_t> shape = integer->weight.values.getType().getShape();
    // One bit-plane as the popcount kernels pack it.
    unsigned wordBits =
        getWordType(layer->getContext(), shape.back()).getWidth();
    int64_t planeBytes = wordBits / 8;
    for (int64_t d : getPackedShape(shape, 1, wordBits))
      planeBytes *= d;
    if (integer->kernel == KernelKind::BitserialPopcount)
      weightBytes = integer->planesW * planeBytes;
    else if (integer->kernel == KernelKind::TernaryPopcount)
      weightBytes = 2 * planeBytes;
    else if (integer->kernel == KernelKind::ShiftAccumulate)
      weightBytes = integer->weight.values.getNumElements();
    return MacKernel{*kind, weightBytes};
  }
  const CentroidLayer &centroid = *selection.centroid;
  return MacKernel{*kind, bytes(centroid.weight.indices) +
                              4 * centroid.weight.centroids.getNumElements()};
}

Type mlir::qc::getActivationQuantType(Value input) {
  DequantizeOp dequantize = findDequantize(input);
  return dequantize ? dequantize.getInput().getType().getElementType() : Type();
}
