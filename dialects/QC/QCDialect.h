//===- QCDialect.h - qc dialect declaration ---------------------*- C++ -*-===//
//
// Declares the qc dialect and the registration entry point that tools use.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECTS_QC_QCDIALECT_H
#define QC_DIALECTS_QC_QCDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/QuantOps.h"
#include "mlir/Dialect/Quant/QuantTypes.h"
#include "mlir/IR/Dialect.h"

#include "dialects/QC/QCOpsDialect.h.inc"

namespace mlir {
class DialectRegistry;
namespace qc {

/// Registers the qc dialect together with the external models that make
/// upstream `!quant.uniform` types usable wherever qc expects a quantized
/// element type.
void registerQCDialect(DialectRegistry &registry);

} // namespace qc
} // namespace mlir

#endif // QC_DIALECTS_QC_QCDIALECT_H
