// RUN: qc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(qc-linalg-elementwise-fusion))" | FileCheck %s

// Elementwise producers fuse into elementwise consumers (the ReLU into the
// doubling), never into a reduction: fused into the row sum the ReLU would be
// recomputed in its inner loop (for every output channel of a matmul).

// CHECK-LABEL: func.func @relu_then_reduction
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK: arith.maximumf
// CHECK: arith.addf
// CHECK: linalg.yield
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK-NOT: arith.maximumf
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @relu_then_reduction(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %double = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%relu : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %in : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %e2 = tensor.empty() : tensor<4xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e2 : tensor<4xf32>) -> tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%double : tensor<4x8xf32>) outs(%acc : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %out : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  return %sum : tensor<4xf32>
}

// -----

// A transpose of a dense constant folds into the transposed constant:
// [[1, 2, 3], [4, 5, 6]] becomes [[1, 4], [2, 5], [3, 6]].

// CHECK-LABEL: func.func @constant_transpose
// CHECK: arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-NOT: linalg.transpose
func.func @constant_transpose() -> tensor<3x2xf32> {
  %c = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %e = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%c : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, 0]
  return %t : tensor<3x2xf32>
}

// A rank-3 transpose with element bytes other than 4.
// CHECK-LABEL: func.func @constant_transpose_i8
// CHECK: arith.constant dense<{{\[\[\[}}0, 3]], {{\[\[}}1, 4]], {{\[\[}}2, 5]]]> : tensor<3x1x2xi8>
func.func @constant_transpose_i8() -> tensor<3x1x2xi8> {
  %c = arith.constant dense<[[[0, 1, 2]], [[3, 4, 5]]]> : tensor<2x1x3xi8>
  %e = tensor.empty() : tensor<3x1x2xi8>
  %t = linalg.transpose ins(%c : tensor<2x1x3xi8>) outs(%e : tensor<3x1x2xi8>) permutation = [2, 1, 0]
  return %t : tensor<3x1x2xi8>
}
