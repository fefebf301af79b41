//===- BatchConstraints.cpp - Batches a dynamic-batch model can run at ----===//
//
// A model exported with a dynamic batch may still fix it: a Reshape to a
// constant [2, 400], a Gemm whose K comes from a Flatten over the batch.
// Compiled as is, such a model would read and write out of bounds at any
// other batch. The importer therefore follows every dynamic extent back to
// the batch (extent = factor x batch, through reshapes, transposes and ops
// that keep extents), and where a node needs a dynamic extent to equal a
// constant it records the one batch that satisfies it. Conflicting needs are
// an import error; one need becomes the model function's `qc.required_batch`
// (with the node in `qc.required_batch_node`), which the JIT and the C entry
// point check before running.
//
//===----------------------------------------------------------------------===//

#include "lowering/ONNXToTOSA/GraphImporter.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::onnx_import;

/// Product of the static extents of `type`, or nullopt on overflow.
static std::optional<int64_t> getStaticProduct(RankedTensorType type) {
  int64_t product = 1;
  for (int64_t d : type.getShape())
    if (!ShapedType::isDynamic(d) && __builtin_mul_overflow(product, d, &product))
      return std::nullopt;
  return product;
}

std::optional<int64_t> GraphImporter::getBatchFactor(Value value,
                                                     unsigned dim) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || dim >= type.getRank() || !type.isDynamicDim(dim))
    return std::nullopt;
  if (auto arg = dyn_cast<BlockArgument>(value))
    return dim == 0 ? std::optional<int64_t>(1) : std::nullopt;
  Operation *def = value.getDefiningOp();
  if (!def)
    return std::nullopt;
  if (isa<tosa::ReshapeOp>(def)) {
    // All elements are kept: P_in x (c_in x b) = P_out x (c_out x b).
    Value input = def->getOperand(0);
    auto inputType = cast<RankedTensorType>(input.getType());
    if (inputType.getNumDynamicDims() != 1 || type.getNumDynamicDims() != 1)
      return std::nullopt;
    unsigned inputDim = 0;
    while (!inputType.isDynamicDim(inputDim))
      ++inputDim;
    std::optional<int64_t> inner = getBatchFactor(input, inputDim);
    std::optional<int64_t> inProduct = getStaticProduct(inputType);
    std::optional<int64_t> outProduct = getStaticProduct(type);
    int64_t total;
    if (!inner || !inProduct || !outProduct ||
        __builtin_mul_overflow(*inner, *inProduct, &total) ||
        total % *outProduct != 0)
      return std::nullopt;
    return total / *outProduct;
  }
  if (auto transpose = dyn_cast<tosa::TransposeOp>(def)) {
    SmallVector<int64_t> perms;
    if (failed(transpose.getConstantPerms(perms)) || dim >= perms.size() ||
        perms[dim] < 0)
      return std::nullopt;
    return getBatchFactor(transpose.getInput1(), perms[dim]);
  }
  // Every other op the importer builds keeps the extents of a dynamic
  // dimension it shares with an operand of the same rank (elementwise ops,
  // convolutions and pools along N, slices and pads of other axes, the rows
  // of fully_connected).
  for (Value operand : def->getOperands()) {
    auto operandType = dyn_cast<RankedTensorType>(operand.getType());
    if (operandType && operandType.getRank() == type.getRank() &&
        operandType.isDynamicDim(dim))
      return getBatchFactor(operand, dim);
  }
  return std::nullopt;
}

LogicalResult GraphImporter::requireExtent(Value value, unsigned dim,
                                           int64_t extent, StringRef what) {
  std::optional<int64_t> factor = getBatchFactor(value, dim);
  if (!factor || *factor < 1) {
    emitNodeError() << what << " has a dynamic extent the importer cannot "
                    << "relate to the batch, so it cannot be checked to be "
                    << extent << " at run time";
    return failure();
  }
  if (extent % *factor != 0) {
    emitNodeError() << what << " is " << *factor
                    << " x batch, which is never " << extent;
    return failure();
  }
  int64_t batch = extent / *factor;
  std::string nodeName = node ? node->name() : std::string();
  if (requiredBatch && *requiredBatch != batch) {
    emitNodeError() << what << " needs batch " << batch << ", but node '"
                    << requiredBatchNode << "' needs batch " << *requiredBatch
                    << ": no batch runs this model";
    return failure();
  }
  if (!requiredBatch) {
    requiredBatch = batch;
    requiredBatchNode = nodeName;
  }
  return success();
}

LogicalResult GraphImporter::requireElementCount(Value value, int64_t count,
                                                 StringRef what) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getNumDynamicDims() != 1) {
    emitNodeError() << what << " has " << type.getNumDynamicDims()
                    << " dynamic extents; only one (the batch) can be "
                       "checked at run time";
    return failure();
  }
  std::optional<int64_t> product = getStaticProduct(type);
  if (!product || *product == 0 || count % *product != 0) {
    emitNodeError() << "cannot reshape " << formatShape(type.getShape())
                    << " to " << count << " elements at any batch";
    return failure();
  }
  unsigned dim = 0;
  while (!type.isDynamicDim(dim))
    ++dim;
  return requireExtent(value, dim, count / *product, what);
}
