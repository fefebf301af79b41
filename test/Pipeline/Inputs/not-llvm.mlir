// Input of mlir-to-llvmir.mlir: a module that is not in the LLVM dialect.

func.func @f(%x: tensor<40xf32>) -> tensor<2xi32> {
  %p = qc.bitpack %x : tensor<40xf32> -> tensor<2xi32>
  return %p : tensor<2xi32>
}
