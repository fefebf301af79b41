//===- qc-opt.cpp - qc optimizer driver -----------------------------------===//
//
// The mlir-opt of qc: parses, verifies, transforms and prints IR in the
// dialects qc uses, and runs every qc pass and the upstream passes the qc
// pipelines rely on. Only the dialects qc needs are registered.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCDialect.h"
#include "lowering/CPU/CPUPipeline.h"
#include "lowering/Passes.h"
#include "passes/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Tosa/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  // Every dialect the CPU path produces, so that IR can be inspected and
  // resumed at any point of `qc-cpu-pipeline`.
  mlir::qc::registerCPUPipelineDialects(registry);
  // The upstream passes the CPU pipeline is made of, to run its steps alone.
  mlir::registerTransformsPasses();
  mlir::registerConversionPasses();
  mlir::bufferization::registerBufferizationPasses();
  mlir::registerLinalgPasses();
  mlir::memref::registerMemRefPasses();
  mlir::tosa::registerTosaOptPasses();
  mlir::qc::registerQCPasses();
  mlir::qc::registerQCConversionPasses();
  mlir::qc::registerCPULoweringPipeline();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "qc optimizer driver\n", registry));
}
