//===- QCDialect.cpp - qc dialect -----------------------------------------===//
//
// Registers the qc types, attributes and ops, and materializes folded
// constants: quantized tensors become packed `qc.constant`s, everything else
// `arith.constant`. Every qc op may be inlined: none has regions or refers
// to its enclosing function.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCDialect.h"
#include "dialects/QC/QCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/Transforms/InliningUtils.h"

using namespace mlir;
using namespace mlir::qc;

#include "dialects/QC/QCOpsDialect.cpp.inc"

namespace {
/// Lets a model function holding qc ops be inlined into its entry point
/// (whose buffers qc-plan-buffers can then place).
struct QCInlinerInterface : public DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;

  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final {
    return true;
  }
};
} // namespace

void QCDialect::initialize() {
  registerTypes();
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "dialects/QC/QCOps.cpp.inc"
      >();
  addInterfaces<QCInlinerInterface>();
}

Operation *QCDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (tensorType && isa<QuantizedTypeInterface>(tensorType.getElementType())) {
    auto words = dyn_cast<DenseIntElementsAttr>(value);
    if (!words)
      return nullptr;
    return builder.create<ConstantOp>(loc, tensorType, words);
  }
  if (arith::ConstantOp::isBuildableWith(value, type))
    return builder.create<arith::ConstantOp>(loc, type, cast<TypedAttr>(value));
  return nullptr;
}
