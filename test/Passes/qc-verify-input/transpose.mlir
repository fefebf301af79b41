// RUN: qc-opt %s -split-input-file -qc-verify-input -verify-diagnostics
// RUN: not qc-run %S/Inputs/bad-perms.mlir --input %t.npy --output %t.out.npy 2>&1 | FileCheck %s --check-prefix=REJECT
// RUN: not qc-run %S/Inputs/bad-perms.mlir --quant int8 --input %t.npy --output %t.out.npy 2>&1 | FileCheck %s --check-prefix=REJECT

// MLIR 19's verifier accepts these permutations; qc-lower-macs and the
// TOSA-to-linalg lowering index out of bounds on them. qc rejects them
// before any pass or the JIT touches the model, also in qc-run, where the
// error comes before the input file is even read.
// The same IR passes upstream verification.
// RUN: qc-opt %S/Inputs/bad-perms.mlir -o /dev/null
// RUN: not qc-opt %S/Inputs/bad-perms.mlir -qc-cpu-pipeline 2>&1 | FileCheck %s --check-prefix=REJECT

// REJECT: 'tosa.transpose' op permutation [0, 4, 1, -1] is not a permutation of 0..3

func.func @out_of_range(%arg0: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %p = "tosa.const"() <{value = dense<[0, 4, 1, -1]> : tensor<4xi32>}> : () -> tensor<4xi32>
  // expected-error @+1 {{'tosa.transpose' op permutation [0, 4, 1, -1] is not a permutation of 0..3}}
  %0 = tosa.transpose %arg0, %p : (tensor<1x2x3x4xf32>, tensor<4xi32>) -> tensor<1x2x3x4xf32>
  return %0 : tensor<1x2x3x4xf32>
}

// -----

func.func @wrong_extent(%arg0: tensor<1x2x3x4xf32>) -> tensor<1x3x3x4xf32> {
  %p = "tosa.const"() <{value = dense<[0, 1, 2, 3]> : tensor<4xi32>}> : () -> tensor<4xi32>
  // expected-error @+1 {{'tosa.transpose' op result extent 3 of dimension 1 should be 2 for permutation [0, 1, 2, 3]}}
  %0 = tosa.transpose %arg0, %p : (tensor<1x2x3x4xf32>, tensor<4xi32>) -> tensor<1x3x3x4xf32>
  return %0 : tensor<1x3x3x4xf32>
}

// -----

// A valid permutation passes.
func.func @valid(%arg0: tensor<1x2x3x4xf32>) -> tensor<1x3x4x2xf32> {
  %p = "tosa.const"() <{value = dense<[0, 2, 3, 1]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %0 = tosa.transpose %arg0, %p : (tensor<1x2x3x4xf32>, tensor<4xi32>) -> tensor<1x3x4x2xf32>
  return %0 : tensor<1x3x4x2xf32>
}
