// Reductions: one tosa.reduce_* per axis, a reshape for keepdims=0, the
// mean as a sum times 1/count; axes from attributes (opset 13) and inputs
// (ReduceSum from 13, the others from 18), noop_with_empty_axes.

// RUN: qc-translate --import-onnx %S/Inputs/reduce.onnx | qc-opt | FileCheck %s
// RUN: qc-translate --import-onnx %S/Inputs/reduce-opset18.onnx | qc-opt | FileCheck %s --check-prefix=OPSET18

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<?x3x4x5xf32>
// CHECK-SAME: -> (tensor<?x3xf32> {onnx.name = "mean"}, tensor<?x4x5xf32> {onnx.name = "sum"}, tensor<?x3x4x1xf32> {onnx.name = "max"}, tensor<?x1x1x1xf32> {onnx.name = "min"}, tensor<?x1x4x1xf32> {onnx.name = "sumsq"})
// CHECK: %[[S2:.*]] = tosa.reduce_sum %[[X]] {axis = 2 : i32}
// CHECK: %[[S3:.*]] = tosa.reduce_sum %[[S2]] {axis = 3 : i32}
// CHECK: %[[INV:.*]] = "tosa.const"() <{value = dense<5.000000e-02> : tensor<1x1x1x1xf32>}>
// CHECK: %[[MEAN:.*]] = tosa.mul %[[S3]], %[[INV]]
// CHECK: tosa.reshape %[[MEAN]] {new_shape = array<i64: -1, 3>}
// CHECK: %[[SUM:.*]] = tosa.reduce_sum %[[X]] {axis = 1 : i32}
// CHECK: tosa.reshape %[[SUM]] {new_shape = array<i64: -1, 4, 5>}
// CHECK: tosa.reduce_max %[[X]] {axis = 3 : i32} : (tensor<?x3x4x5xf32>) -> tensor<?x3x4x1xf32>
// CHECK: %[[MIN1:.*]] = tosa.reduce_min %[[X]] {axis = 1 : i32}
// CHECK: %[[MIN2:.*]] = tosa.reduce_min %[[MIN1]] {axis = 2 : i32}
// CHECK: tosa.reduce_min %[[MIN2]] {axis = 3 : i32}
// CHECK: %[[SQ:.*]] = tosa.mul %[[X]], %[[X]]
// CHECK: tosa.reduce_sum %[[SQ]] {axis = 1 : i32}

// OPSET18-LABEL: func.func @main(
// OPSET18-SAME: %[[X:.*]]: tensor<2x3x4xf32>
// OPSET18: %[[A0:.*]] = tosa.reduce_sum %[[X]] {axis = 0 : i32}
// OPSET18: %[[A2:.*]] = tosa.reduce_sum %[[A0]] {axis = 2 : i32}
// OPSET18: %[[INV:.*]] = "tosa.const"() <{value = dense<1.250000e-01> : tensor<1x1x1xf32>}>
// OPSET18: %[[MEAN:.*]] = tosa.mul %[[A2]], %[[INV]]
// OPSET18-NOT: tosa.reduce_max
// OPSET18: %[[ALL:.*]] = tosa.reduce_sum %{{.*}} {axis = 2 : i32} : (tensor<1x1x4xf32>) -> tensor<1x1x1xf32>
// OPSET18: return %[[MEAN]], %[[X]], %[[ALL]]
