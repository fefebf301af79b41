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

def ConvertQCToLinalg : Pass<"convert-qc-to-linalg", "ModuleOp"> {
  let summary = "Lower qc quantization to its float reference semantics";
  let description = [{
    Every tensor of a quantized element type becomes a tensor of its
    expressed float type holding the values its codes stand for.
    `qc.quantize` becomes an element-wise linalg.generic computing exactly
    the rounding the type defines (round half to even and clamp for
    `!quant.uniform`, sign for binary, threshold for ternary, nearest level
    for power-of-two, nearest centroid for codebook), per tensor or per
    axis; `qc.dequantize` becomes the identity; `qc.constant` becomes a
    float constant. Function signatures are converted too. This is the
    plain reference path that quantized kernels are checked against.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

#endif // QC_PASSES_TD
