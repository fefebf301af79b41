//===- HlsPartition.cpp - Split a model between host and FPGA -------------===//
//
// The qc-hls-partition pass (see lowering/Passes.td). A quantized model
// usually keeps its first and last layers in float; they run on the host.
// The FPGA part is the chain of binary layers between them: from the values
// the first binary layer packs (the output of a binary or ternary
// quantize-dequantize) to the last layer's levels; or the chain of integer
// layers, from the float values whose codes the first one reads to the
// last one's dequantized output (HlsIntegerStage). The pass outlines that
// chain into its own function, called from the model, so that qc-hls-prepare
// and the printer see only what the FPGA computes, and qcc can run the host
// parts around it on the CPU.
//
//===----------------------------------------------------------------------===//

#include "lowering/HLS/HlsIntegerStage.h"
#include "lowering/HLS/HlsNames.h"
#include "lowering/HLS/HlsUtils.h"
#include "lowering/Passes.h"
#include "passes/Analysis/HlsLayers.h"

#include "dialects/QC/QCOps.h"
#include "dialects/QC/QCTypes.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCHLSPARTITION
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;
using namespace mlir::qc;

namespace {

/// The value the FPGA part ends with after `layer`: its thresholds' levels
/// (after their quantize-dequantize, if any), or its sums after the cast and
/// max-pool.
Value getLayerOutput(Operation *layer) {
  Value value = layer->getResult(0);
  auto follow = [&](auto opType) {
    using OpT = decltype(opType);
    if (value.hasOneUse())
      if (auto op = dyn_cast<OpT>(*value.getUsers().begin()))
        value = op->getResult(0);
  };
  follow(tosa::CastOp());
  follow(tosa::MaxPool2dOp());
  follow(MultiThresholdOp());
  follow(QuantizeOp());
  follow(DequantizeOp());
  return value;
}

struct QCHlsPartitionPass
    : public qc::impl::QCHlsPartitionBase<QCHlsPartitionPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<func::FuncOp> found = findHlsFunction(module, "qc-hls-partition");
    if (failed(found))
      return signalPassFailure();
    func::FuncOp model = *found;
    SmallVector<HlsLayer> layers;
    if (failed(collectHlsLayers(model, layers)))
      return signalPassFailure();

    // Where the FPGA part starts: the values the first layer packs, which
    // a binary or ternary quantize-dequantize (seen through transposes and
    // reshapes) produced.
    Operation *first = layers.front().op;
    Value start;
    SmallVector<int64_t> levels;
    if (auto signs = first->getOperand(0).getDefiningOp<BitpackOp>()) {
      Value v = signs.getInput();
      while (Operation *def = v.getDefiningOp()) {
        if (!isa<tosa::TransposeOp, tosa::ReshapeOp>(def))
          break;
        v = def->getOperand(0);
      }
      // The FPGA part starts at the packed values themselves, so that the
      // host does any reordering before it.
      if (auto dq = v.getDefiningOp<DequantizeOp>())
        if (!(levels = getKeptLevels(dq.getInput().getType())).empty())
          start = signs.getInput();
    }
    // Integer layers start at the float values whose codes they read, so
    // that the host does any reordering before them.
    bool integer = isa<TernaryPopcountOp, BitserialPopcountOp>(first);
    if (integer) {
      std::string why;
      FailureOr<HlsCodes> codes = matchHlsCodes(first->getOperand(0), why);
      if (failed(codes)) {
        first->emitError("HLS layer '") << layers.front().name << "': " << why;
        return signalPassFailure();
      }
      start = codes->values;
    }
    if (!start) {
      first->emitError("HLS layer '")
          << layers.front().name
          << "': its input is not the output of a binary or ternary "
             "quantization of scale 1, where an FPGA part could start";
      return signalPassFailure();
    }
    if (isa<BlockArgument>(start) ||
        start.getParentBlock() != &model.getBody().front()) {
      first->emitError("HLS layer '")
          << layers.front().name << "': unexpected input structure";
      return signalPassFailure();
    }
    Value end = integer ? getHlsIntegerStageEnd(layers.back().op)
                        : getLayerOutput(layers.back().op);
    if (!end) {
      layers.back().op->emitError("HLS layer '")
          << layers.back().name
          << "': its output stage is not one the FPGA can compute (see "
             "qc-hls-prepare's description)";
      return signalPassFailure();
    }

    // The ops between: the backward slice of `end` that stops at `start`.
    llvm::SetVector<Operation *> region;
    SmallVector<Value> worklist{end};
    while (!worklist.empty()) {
      Value v = worklist.pop_back_val();
      if (v == start)
        continue;
      Operation *def = v.getDefiningOp();
      if (!def) {
        layers.front().op->emitError("HLS layer '")
            << layers.front().name
            << "': the FPGA part reads the model's input other than "
               "through its first layer";
        return signalPassFailure();
      }
      if (!region.insert(def))
        continue;
      for (Value operand : def->getOperands())
        worklist.push_back(operand);
      // Values a region of the op uses (a linalg.generic's constants).
      llvm::SetVector<Value> captured;
      getUsedValuesDefinedAbove(def->getRegions(), captured);
      for (Value value : captured)
        worklist.push_back(value);
    }
    // Only `end` may be used outside; constants are cloned, not moved.
    for (Operation *op : region) {
      if (op->hasTrait<OpTrait::ConstantLike>())
        continue;
      for (Value result : op->getResults())
        for (Operation *user : result.getUsers())
          if (!region.contains(user) && result != end) {
            op->emitError("qc-hls-partition: '")
                << op->getName() << "' inside the FPGA part is also used by '"
                << user->getName() << "' outside it";
            return signalPassFailure();
          }
    }
    for (HlsLayer &layer : layers)
      if (!region.contains(layer.op)) {
        layer.op->emitError("HLS layer '")
            << layer.name
            << "' is not on the chain from the first binary layer to the "
               "last";
        return signalPassFailure();
      }

    // Outline, keeping program order.
    OpBuilder builder(model);
    auto type = builder.getFunctionType({start.getType()}, {end.getType()});
    auto fpga =
        builder.create<func::FuncOp>(model.getLoc(), kHlsFpgaFunction, type);
    fpga.setPrivate();
    Block *body = fpga.addEntryBlock();
    IRMapping mapping;
    mapping.map(start, body->getArgument(0));
    OpBuilder inner = OpBuilder::atBlockEnd(body);
    SmallVector<Operation *> ordered(region.begin(), region.end());
    llvm::sort(ordered, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    for (Operation *op : ordered)
      inner.clone(*op, mapping);
    inner.create<func::ReturnOp>(model.getLoc(), mapping.lookup(end));
    if (!integer)
      fpga->setAttr(kHlsInputLevelsAttr, builder.getDenseI64ArrayAttr(levels));

    OpBuilder at(end.getDefiningOp());
    at.setInsertionPointAfter(end.getDefiningOp());
    auto call = at.create<func::CallOp>(end.getLoc(), fpga, start);
    end.replaceAllUsesWith(call.getResult(0));
    for (Operation *op : llvm::reverse(ordered))
      if (op->use_empty())
        op->erase();
  }
};

} // namespace
