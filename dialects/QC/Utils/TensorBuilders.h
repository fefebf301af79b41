//===- TensorBuilders.h - Tensor-level IR builders qc shares ----*- C++ -*-===//
//
// Small builders on tensors that both qc's passes (qc-lower-macs pads its
// integer codes) and its lowerings (the window kernels pad in linalg) use,
// kept below both layers so that neither reaches into the other.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECTS_QC_UTILS_TENSORBUILDERS_H
#define QC_DIALECTS_QC_UTILS_TENSORBUILDERS_H

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

namespace mlir {
namespace qc {
namespace builders {

/// `input` zero-padded by `pad` = {top, bottom, left, right} along H and W
/// of an NHWC tensor (unchanged when all are 0).
inline Value padSpatial(OpBuilder &b, Location loc, Value input,
                        ArrayRef<int64_t> pad, Value padValue) {
  if (llvm::all_of(pad, [](int64_t p) { return p == 0; }))
    return input;
  MLIRContext *context = b.getContext();
  SmallVector<OpFoldResult> low =
      getAsIndexOpFoldResult(context, ArrayRef<int64_t>{0, pad[0], pad[2], 0});
  SmallVector<OpFoldResult> high =
      getAsIndexOpFoldResult(context, ArrayRef<int64_t>{0, pad[1], pad[3], 0});
  return b.create<tensor::PadOp>(loc, Type(), input, low, high, padValue);
}

} // namespace builders
} // namespace qc
} // namespace mlir

#endif // QC_DIALECTS_QC_UTILS_TENSORBUILDERS_H
