// numpy broadcasting for Add/Sub/Mul/Div: lower-rank operands get leading
// unit dimensions (TOSA broadcasts only between equal ranks), scalars
// become 1x1x1x1, and division by a constant folds to a multiplication by
// its reciprocal.

// RUN: qc-translate --import-onnx %S/Inputs/broadcast.onnx | qc-opt | FileCheck %s

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<?x3x4x4xf32>
// CHECK: %[[C:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}2.000000e+00]], {{\[\[}}3.000000e+00]]]]> : tensor<1x3x1x1xf32>}>
// CHECK: %[[A:.*]] = tosa.add %[[X]], %[[C]] : (tensor<?x3x4x4xf32>, tensor<1x3x1x1xf32>) -> tensor<?x3x4x4xf32>
// CHECK: %[[S:.*]] = "tosa.const"() <{value = dense<5.000000e-01> : tensor<1x1x1x1xf32>}>
// CHECK: %[[B:.*]] = tosa.sub %[[A]], %[[S]] : (tensor<?x3x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<?x3x4x4xf32>
// CHECK: %[[V:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00]]]]> : tensor<1x1x1x4xf32>}>
// CHECK: %[[M:.*]] = tosa.mul %[[B]], %[[V]] {shift = 0 : i8} : (tensor<?x3x4x4xf32>, tensor<1x1x1x4xf32>) -> tensor<?x3x4x4xf32>
// CHECK: %[[K:.*]] = "tosa.const"() <{value = dense<2.500000e-01> : tensor<1x1x1x1xf32>}>
// CHECK: %[[D:.*]] = tosa.mul %[[M]], %[[K]] {shift = 0 : i8}
// CHECK: %[[R:.*]] = tosa.reciprocal %[[X]] : (tensor<?x3x4x4xf32>) -> tensor<?x3x4x4xf32>
// CHECK: %[[E:.*]] = tosa.mul %[[D]], %[[R]] {shift = 0 : i8}
// CHECK: return %[[E]]
