//===- QCOps.h - qc operations ----------------------------------*- C++ -*-===//
//
// The operations of the qc dialect.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECTS_QC_QCOPS_H
#define QC_DIALECTS_QC_QCOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/QC/QCAttrs.h"
#include "dialects/QC/QCDialect.h"
#include "dialects/QC/QCTypes.h"

#define GET_OP_CLASSES
#include "dialects/QC/QCOps.h.inc"

#include <string>

namespace mlir {
namespace qc {
/// The name of the model layer an op belongs to: the innermost name in its
/// location (the ONNX importer names every op after its node), or "".
std::string getLayerName(Location loc);
/// `shape` as 2x?x3, for diagnostics and explanations.
std::string formatShape(ArrayRef<int64_t> shape);
} // namespace qc
} // namespace mlir

#endif // QC_DIALECTS_QC_QCOPS_H
