//===- Passes.td - qc conversion passes --------------------*- tablegen -*-===//
//
// The conversions out of the qc dialect: to its float reference semantics
// and kernel loops in linalg. Transforms within qc (qc-quantize,
// qc-lower-macs, qc-fuse, ...) are declared in passes/Passes.td.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_PASSES_TD
#define QC_LOWERING_PASSES_TD

include "mlir/Pass/PassBase.td"

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

    The kernel-level ops that qc-lower-macs creates lower here too:
    `qc.bitpack` to an or-reduction over the bits of each word, and
    `qc.xnor_popcount` (dense or convolution, with a mask or a zero-padding
    border correction) to linalg.generic reductions of `math.ctpop`.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

#endif // QC_LOWERING_PASSES_TD
