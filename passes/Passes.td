//===- Passes.td - qc passes -------------------------------*- tablegen -*-===//
//
// Declarations of every qc pass.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_TD
#define QC_PASSES_TD

include "mlir/Pass/PassBase.td"

def QCGeneralizePad : Pass<"qc-generalize-pad", "func::FuncOp"> {
  let summary = "Rewrite tensor.pad as a filled tensor with the source "
                "inserted";
  let description = [{
    Replaces each `tensor.pad` with a constant padding value by
    `tensor.empty` + `linalg.fill` + `tensor.insert_slice`. The CPU pipeline
    runs it before bufferization: MLIR 19 bufferizes a `tensor.pad` whose
    result has a dynamic dimension (a dynamic batch) into IR where the
    allocation's size uses the allocation itself, which fails to verify.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

#endif // QC_PASSES_TD
