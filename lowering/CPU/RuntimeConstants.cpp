//===- RuntimeConstants.cpp - The constant globals runtime calls read -----===//
//
// The part of convert-qc-to-runtime-calls (RuntimeCallBuilder.h) that finds
// the constant globals a layer reads (its weights) and makes the ones its
// runtime call reads instead: weights repacked for a kernel, derived tables
// (filter sums, threshold bounds, centroid tables) and the shared zero bias.
// Each is made once per source and form.
//
//===----------------------------------------------------------------------===//

#include "lowering/CPU/RuntimeCallBuilder.h"

using namespace mlir;
using namespace mlir::qc;

Value RuntimeCallBuilder::getZeroBias(OpBuilder &builder, Location loc) {
  auto type = MemRefType::get({1}, builder.getF32Type());
  if (!zeroBias) {
    OpBuilder moduleBuilder(module.getBodyRegion());
    moduleBuilder.setInsertionPointToStart(module.getBody());
    zeroBias = moduleBuilder.create<memref::GlobalOp>(
        module.getLoc(), "__qc_zero_bias",
        moduleBuilder.getStringAttr("private"), type,
        DenseElementsAttr::get(RankedTensorType::get({1}, builder.getF32Type()),
                               0.0f),
        /*constant=*/true, IntegerAttr());
    symbols.insert(zeroBias); // renames it on a clash
  }
  return builder.create<memref::GetGlobalOp>(loc, type, zeroBias.getSymName());
}

DenseElementsAttr
RuntimeCallBuilder::getConstantGlobal(Value value, memref::GlobalOp &global) {
  auto getGlobal = value.getDefiningOp<memref::GetGlobalOp>();
  if (!getGlobal)
    return {};
  global = symbols.lookup<memref::GlobalOp>(getGlobal.getName());
  if (!global || !global.getConstant() || !global.getInitialValue())
    return {};
  return dyn_cast<DenseElementsAttr>(*global.getInitialValue());
}

DenseElementsAttr
RuntimeCallBuilder::getConstantWeights(Value value, memref::GlobalOp &global) {
  DenseElementsAttr values = getConstantGlobal(value, global);
  if (!values || !(values.getElementType().isF32() ||
                   values.getElementType().isInteger(8)))
    return {};
  return values;
}

Value RuntimeCallBuilder::getWeightForm(
    OpBuilder &builder, Location loc, memref::GlobalOp original,
    WeightForm form, llvm::function_ref<DenseElementsAttr()> make) {
  memref::GlobalOp &global =
      weightForms[{original.getOperation(), static_cast<unsigned>(form)}];
  if (!global) {
    auto suffix = [](WeightForm kind) -> StringRef {
      switch (kind) {
      case WeightForm::Packed:
        return "_packed";
      case WeightForm::PackedForDot:
        return "_packed_dot";
      case WeightForm::FilterSums:
        return "_sums";
      case WeightForm::Thresholds:
        return "_bounds";
      }
      llvm_unreachable("unknown weight form");
    };
    OpBuilder moduleBuilder(original);
    global = createConstantGlobal(moduleBuilder, original.getLoc(), make(),
                                  (original.getSymName() + suffix(form)).str());
  }
  return builder.create<memref::GetGlobalOp>(loc, global.getType(),
                                             global.getSymName());
}

Value RuntimeCallBuilder::getConstant(OpBuilder &builder, Location loc,
                                      DenseElementsAttr value, StringRef name) {
  memref::GlobalOp &global = constants[value];
  if (!global) {
    OpBuilder moduleBuilder(module.getBodyRegion());
    moduleBuilder.setInsertionPointToStart(module.getBody());
    global = createConstantGlobal(moduleBuilder, loc, value, name);
  }
  return builder.create<memref::GetGlobalOp>(loc, global.getType(),
                                             global.getSymName());
}

memref::GlobalOp
RuntimeCallBuilder::createConstantGlobal(OpBuilder &moduleBuilder, Location loc,
                                         DenseElementsAttr value,
                                         StringRef name) {
  auto tensorType = cast<RankedTensorType>(value.getType());
  auto global = moduleBuilder.create<memref::GlobalOp>(
      loc, name, moduleBuilder.getStringAttr("private"),
      MemRefType::get(tensorType.getShape(), tensorType.getElementType()),
      value, /*constant=*/true, moduleBuilder.getI64IntegerAttr(64));
  symbols.insert(global); // renames it on a clash
  return global;
}
