//===- qc-opt.cpp - qc optimizer driver -----------------------------------===//
//
// The mlir-opt of qc: parses, verifies, transforms and prints IR in the
// dialects qc uses, and runs every qc pass and the upstream passes the qc
// pipelines rely on. Only the dialects qc needs are registered.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::qc::registerQCDialect(registry);
  registry.insert<mlir::arith::ArithDialect, mlir::func::FuncDialect,
                  mlir::linalg::LinalgDialect, mlir::tensor::TensorDialect,
                  mlir::tosa::TosaDialect>();
  mlir::registerTransformsPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "qc optimizer driver\n", registry));
}
