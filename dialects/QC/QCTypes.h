//===- QCTypes.h - qc quantized element types -------------------*- C++ -*-===//
//
// The quantized element types of the qc dialect and the interface shared
// with upstream `!quant.uniform`.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECTS_QC_QCTYPES_H
#define QC_DIALECTS_QC_QCTYPES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Types.h"

#include "dialects/QC/QCTypeInterfaces.h.inc"

#define GET_TYPEDEF_CLASSES
#include "dialects/QC/QCTypes.h.inc"

namespace mlir {
namespace qc {

/// Checks that a tensor of `shape` can carry the quantized element type
/// `type`: its axis exists and has as many entries as the type has
/// parameter sets. `what` names the value in the diagnostic.
LogicalResult verifyQuantizedShape(function_ref<InFlightDiagnostic()> emitError,
                                   QuantizedTypeInterface type,
                                   ArrayRef<int64_t> shape, StringRef what);

} // namespace qc
} // namespace mlir

#endif // QC_DIALECTS_QC_QCTYPES_H
