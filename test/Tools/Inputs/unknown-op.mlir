// Input of malformed-input.mlir: an op the qc dialect does not define.

func.func @f(%x: tensor<2xi32>) -> tensor<2xi32> {
  %0 = qc.xnor_gemm %x : tensor<2xi32> -> tensor<2xi32>
  return %0 : tensor<2xi32>
}
