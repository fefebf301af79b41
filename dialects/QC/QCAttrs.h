//===- QCAttrs.h - qc attributes and enums ----------------------*- C++ -*-===//
//
// Attributes of the qc dialect: the convolution window and the enums for
// fused activations and bit-plane encodings.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECTS_QC_QCATTRS_H
#define QC_DIALECTS_QC_QCATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"

#include "dialects/QC/QCEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/QC/QCAttrs.h.inc"

#endif // QC_DIALECTS_QC_QCATTRS_H
