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

#endif // QC_DIALECTS_QC_QCOPS_H
