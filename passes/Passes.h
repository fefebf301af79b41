//===- Passes.h - qc passes -------------------------------------*- C++ -*-===//
//
// Declarations and registration of every qc pass (generated from
// Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_PASSES_H
#define QC_PASSES_PASSES_H

#include "dialects/QC/QCDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace qc {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_PASSES_H
