//===- QCAttrs.cpp - qc attributes ----------------------------------------===//
//
// Verification and helpers of the qc attributes.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCAttrs.h"
#include "dialects/QC/QCDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qc;

#include "dialects/QC/QCEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/QC/QCAttrs.cpp.inc"

void QCDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/QC/QCAttrs.cpp.inc"
      >();
}

LogicalResult ConvAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               ArrayRef<int64_t> strides, ArrayRef<int64_t> pad,
                               ArrayRef<int64_t> dilation, int64_t groups) {
  if (strides.size() != 2)
    return emitError() << "'strides' must have 2 entries (H, W), got "
                       << strides.size();
  if (pad.size() != 4)
    return emitError()
           << "'pad' must have 4 entries (top, bottom, left, right), got "
           << pad.size();
  if (dilation.size() != 2)
    return emitError() << "'dilation' must have 2 entries (H, W), got "
                       << dilation.size();
  for (int64_t s : strides)
    if (s < 1)
      return emitError() << "strides must be positive, got " << s;
  for (int64_t p : pad)
    if (p < 0)
      return emitError() << "padding must be non-negative, got " << p;
  for (int64_t d : dilation)
    if (d < 1)
      return emitError() << "dilation must be positive, got " << d;
  if (groups < 1)
    return emitError() << "groups must be positive, got " << groups;
  return success();
}

int64_t ConvAttr::getOutputSize(unsigned dim, int64_t input,
                                int64_t kernel) const {
  if (ShapedType::isDynamic(input) || ShapedType::isDynamic(kernel))
    return ShapedType::kDynamic;
  int64_t padded = input + getPad()[2 * dim] + getPad()[2 * dim + 1];
  int64_t span = getDilation()[dim] * (kernel - 1) + 1;
  if (padded < span)
    return 0;
  return (padded - span) / getStrides()[dim] + 1;
}
