//===- HlsLayers.cpp - Layers of the FPGA back end and their estimates ----===//
//
// Implements HlsLayers.h: reads the matrix-vector shape of each MAC kernel
// op from its operand types, and evaluates FINN's estimate formulas.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/HlsLayers.h"

#include "dialects/QC/QCOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qc;

namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// ceil(log2(x)) for x >= 1.
int64_t ceilLog2(int64_t x) {
  int64_t bits = 0;
  while ((int64_t(1) << bits) < x)
    ++bits;
  return bits;
}

int64_t getIntAttr(Operation *op, StringRef name, int64_t fallback) {
  if (auto attr = op->getAttrOfType<IntegerAttr>(name))
    return attr.getInt();
  return fallback;
}

/// Fills the shape fields of `layer` from a kernel op's activation type
/// `input` (N x [H x W x] Kp, after `leading` plane dimensions), its
/// weight type (O x [KH x KW x] Kp after `weightLeading`), its unpacked
/// depth and conv window, and its result.
LogicalResult readShape(HlsLayer &layer, Operation *op, Type inputType,
                        int64_t leading, Type weightType, int64_t weightLeading,
                        int64_t depth, ConvAttr conv) {
  auto input = dyn_cast<RankedTensorType>(inputType);
  auto weight = dyn_cast<RankedTensorType>(weightType);
  auto result = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!input || !weight || !result)
    return op->emitError("HLS layer '")
           << layer.name << "': operands must be ranked tensors";
  ArrayRef<int64_t> in = input.getShape().drop_front(leading);
  ArrayRef<int64_t> w = weight.getShape().drop_front(weightLeading);
  auto isStatic = [](ArrayRef<int64_t> dims) {
    return llvm::none_of(dims, ShapedType::isDynamic);
  };
  if (!isStatic(in.drop_front()) || !isStatic(w) ||
      !isStatic(result.getShape().drop_front()))
    return op->emitError("HLS layer '")
           << layer.name
           << "': shapes other than the batch must be static for the FPGA "
              "back end";
  layer.mh = w.front();
  if (!conv) {
    layer.mw = depth;
    return success();
  }
  if (in.size() != 4 || w.size() != 4 || result.getRank() != 4)
    return op->emitError("HLS layer '")
           << layer.name << "': a convolution needs 4-D operands";
  if (conv.getGroups() != 1)
    return op->emitError("HLS layer '")
           << layer.name << "': grouped convolutions are not supported";
  layer.isConv = true;
  layer.channels = depth;
  layer.kernelH = w[1];
  layer.kernelW = w[2];
  layer.strideH = conv.getStrides()[0];
  layer.strideW = conv.getStrides()[1];
  ArrayRef<int64_t> pad = conv.getPad();
  layer.inH = in[1] + pad[0] + pad[1];
  layer.inW = in[2] + pad[2] + pad[3];
  layer.outH = result.getShape()[1];
  layer.outW = result.getShape()[2];
  layer.mw = layer.kernelH * layer.kernelW * depth;
  layer.vectors = layer.outH * layer.outW;
  return success();
}

/// Bits of a bit-plane operand: its leading plane dimension.
int64_t getPlanes(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape().front();
}

LogicalResult readLayer(Operation *op, HlsLayer &layer) {
  return TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](XnorPopcountOp xnor) {
        layer.kind = "xnor";
        layer.weightBits = 1;
        // A mask makes the activations ternary: a sign and a non-zero bit.
        layer.inputBits = xnor.getMask() ? 2 : 1;
        return readShape(layer, op, xnor.getInput().getType(), 0,
                         xnor.getWeight().getType(), 0, xnor.getDepth(),
                         xnor.getConvAttr());
      })
      .Case([&](BitserialPopcountOp serial) {
        layer.kind = "bitserial";
        layer.weightBits = getPlanes(serial.getWeight());
        layer.inputBits = getPlanes(serial.getInput());
        return readShape(layer, op, serial.getInput().getType(), 1,
                         serial.getWeight().getType(), 1, serial.getDepth(),
                         serial.getConvAttr());
      })
      .Case([&](TernaryPopcountOp ternary) {
        layer.kind = "ternary";
        layer.weightBits = 2;
        layer.inputBits = getPlanes(ternary.getInput());
        return readShape(layer, op, ternary.getInput().getType(), 1,
                         ternary.getPositive().getType(), 0, ternary.getDepth(),
                         ternary.getConvAttr());
      })
      .Case([&](ShiftAccumulateOp shift) {
        layer.kind = "shift";
        // Sign-magnitude codes: a sign bit and emax - emin + 2 magnitudes.
        layer.weightBits = 1 + ceilLog2(shift.getEmax() - shift.getEmin() + 2);
        layer.inputBits = getElementTypeOrSelf(shift.getInput().getType())
                              .getIntOrFloatBitWidth();
        auto weight = cast<RankedTensorType>(shift.getWeight().getType());
        return readShape(layer, op, shift.getInput().getType(), 0, weight, 0,
                         weight.getShape().back(), shift.getConvAttr());
      })
      .Default([](Operation *) { return failure(); });
}

/// RAMB18s for a memory of `depth` words of `width` bits (FINN's table of
/// the simple dual-port aspect ratios).
int64_t getBram18(int64_t depth, int64_t width) {
  if (width == 1)
    return ceilDiv(depth, 16384);
  if (width == 2)
    return ceilDiv(depth, 8192);
  if (width <= 4)
    return ceilDiv(depth, 4096) * ceilDiv(width, 4);
  if (width <= 9)
    return ceilDiv(depth, 2048) * ceilDiv(width, 9);
  if (width <= 18 || depth > 512)
    return ceilDiv(depth, 1024) * ceilDiv(width, 18);
  return ceilDiv(depth, 512) * ceilDiv(width, 36);
}

SmallVector<int64_t> getDivisors(int64_t n) {
  SmallVector<int64_t> divisors;
  for (int64_t d = 1; d <= n; ++d)
    if (n % d == 0)
      divisors.push_back(d);
  return divisors;
}

} // namespace

bool mlir::qc::isHlsMacKernel(Operation *op) {
  return isa<XnorPopcountOp, BitserialPopcountOp, TernaryPopcountOp,
             ShiftAccumulateOp>(op);
}

LogicalResult mlir::qc::collectHlsLayers(func::FuncOp func,
                                         SmallVectorImpl<HlsLayer> &layers) {
  bool broken = false;
  func.walk([&](Operation *op) {
    if (!isHlsMacKernel(op))
      return;
    HlsLayer layer;
    layer.op = op;
    layer.name = getLayerName(op->getLoc());
    if (layer.name.empty())
      layer.name = "layer" + std::to_string(layers.size());
    if (failed(readLayer(op, layer))) {
      broken = true;
      return;
    }
    layer.pe = getIntAttr(op, kHlsPeAttr, 1);
    layer.simd = getIntAttr(op, kHlsSimdAttr, 1);
    layers.push_back(std::move(layer));
  });
  return failure(broken);
}

int64_t mlir::qc::getHlsAccumulatorBits(const HlsLayer &layer) {
  // The largest |sum|: MW products of the largest |weight| and |input|.
  // XNOR products are +-1 (0 with a mask); other codes are bounded by
  // their bit widths (signed weights, unsigned input codes).
  int64_t bound = layer.mw;
  if (layer.kind != "xnor") {
    // Ternary weights are -1, 0 or +1 (two planes).
    int64_t w =
        layer.kind == "ternary" ? 1 : int64_t(1) << (layer.weightBits - 1);
    int64_t a = (int64_t(1) << std::min<int64_t>(layer.inputBits, 32)) - 1;
    bound = layer.mw * w * a;
  }
  return ceilLog2(bound + 1) + 1;
}

HlsLayerEstimate mlir::qc::estimateHlsLayer(const HlsLayer &l) {
  HlsLayerEstimate e;
  e.mvauCycles = (l.mh / l.pe) * (l.mw / l.simd) * l.vectors;
  if (l.isConv) {
    int64_t k = l.kernelH, c = l.channels;
    e.windowCycles = l.inW * k * c / l.simd +
                     l.outH * std::max(l.outW * k * l.kernelW * c / l.simd,
                                       l.strideH * l.inW * c / l.simd);
  }
  e.cycles = std::max(e.mvauCycles, e.windowCycles);

  const int64_t w = l.weightBits, a = l.inputBits;
  const int64_t wmem = l.mw * l.mh / (l.pe * l.simd);
  const int64_t tmem = l.mh / l.pe;
  const bool xnor = l.kind == "xnor";
  // Multiplies wider than 4 x 4 bits go to DSPs; narrower ones are LUTs.
  // XNOR and ternary layers multiply nothing: a ternary lane adds the
  // code, its negation or nothing (a mux before the adder tree).
  const bool noMultiply = xnor || l.kind == "ternary";
  const bool dspMultiply = !noMultiply && w > 4 && a > 4;
  double mult = (noMultiply || dspMultiply)
                    ? 0.0
                    : double(l.simd) * (2 * ceilDiv(w + a, 6) - 1) * (w + a);
  double adder = double(w + a) * (2 * l.simd - 1);
  double acc = double(w + a) + std::ceil(std::log2(double(l.mw)));
  // One threshold per output channel (the sign of a binary layer's output).
  double thr = acc * ceilDiv(tmem, 64);
  double cmp = acc;
  double lutram =
      wmem <= 128 ? double(l.pe * l.simd * w) * ceilDiv(wmem, 64) : 0.0;
  e.lut = int64_t(300 + 1.1 * l.pe * (mult + adder + acc + thr + cmp) + lutram);
  e.bram18 = wmem <= 128 ? 0 : getBram18(wmem, l.pe * l.simd * w);
  e.dsp = dspMultiply ? l.pe * l.simd * ceilDiv(w + a, 48) : 0;
  return e;
}

HlsNetworkEstimate mlir::qc::estimateHlsNetwork(ArrayRef<HlsLayer> layers,
                                                double clockMhz) {
  HlsNetworkEstimate n;
  for (const HlsLayer &layer : layers) {
    HlsLayerEstimate e = estimateHlsLayer(layer);
    if (e.cycles > n.maxCycles) {
      n.maxCycles = e.cycles;
      n.maxCyclesNodeName = layer.name;
    }
    n.criticalPathCycles += e.cycles;
    n.lut += e.lut;
    n.bram18 += e.bram18;
    n.dsp += e.dsp;
  }
  if (n.maxCycles > 0)
    n.throughputFps = clockMhz * 1e6 / double(n.maxCycles);
  n.latencyNs = double(n.criticalPathCycles) * 1e3 / clockMhz;
  return n;
}

SmallVector<int64_t> mlir::qc::getLegalPe(const HlsLayer &layer) {
  return getDivisors(layer.mh);
}

SmallVector<int64_t> mlir::qc::getLegalSimd(const HlsLayer &layer) {
  return getDivisors(layer.isConv ? layer.channels : layer.mw);
}
