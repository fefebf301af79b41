// RUN: qc-opt %s --split-input-file --qc-bufferize-wide-concats="max-inputs=2" | FileCheck %s

// A concat of more than max-inputs inputs becomes one buffer of the result's
// shape, each input stored into its subview at the running offset along the
// axis, the dynamic batch taken from the first input.

// CHECK-LABEL: func.func @wide
// CHECK-SAME: (%[[A:.*]]: tensor<?x2xf32>, %[[B:.*]]: tensor<?x3xf32>, %[[C:.*]]: tensor<?x4xf32>)
// CHECK: %[[N:.*]] = tensor.dim %[[A]], %c0
// CHECK: %[[BUF:.*]] = memref.alloc(%[[N]]) : memref<?x9xf32>
// CHECK: %[[SA:.*]] = memref.subview %[[BUF]][0, 0] [%{{.*}}, 2] [1, 1]
// CHECK: bufferization.materialize_in_destination %[[A]] in restrict writable %[[SA]]
// CHECK: %[[SB:.*]] = memref.subview %[[BUF]][0, 2] [%{{.*}}, 3] [1, 1]
// CHECK: bufferization.materialize_in_destination %[[B]] in restrict writable %[[SB]]
// CHECK: %[[SC:.*]] = memref.subview %[[BUF]][0, 5] [%{{.*}}, 4] [1, 1]
// CHECK: bufferization.materialize_in_destination %[[C]] in restrict writable %[[SC]]
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[BUF]] restrict writable
// CHECK-NOT: tosa.concat
// CHECK: return %[[T]]
func.func @wide(%a: tensor<?x2xf32>, %b: tensor<?x3xf32>, %c: tensor<?x4xf32>) -> tensor<?x9xf32> {
  %0 = tosa.concat %a, %b, %c {axis = 1 : i32} : (tensor<?x2xf32>, tensor<?x3xf32>, tensor<?x4xf32>) -> tensor<?x9xf32>
  return %0 : tensor<?x9xf32>
}

// -----

// Along a dynamic axis the result size is the sum of the inputs' sizes.

// CHECK-LABEL: func.func @dynamic_axis
// CHECK: %[[S0:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[S1:.*]] = tensor.dim %arg1, %c0
// CHECK: %[[S2:.*]] = tensor.dim %arg2, %c0
// CHECK: %[[SUM:.*]] = affine.apply #{{.*}}()[%[[S0]], %[[S1]], %[[S2]]]
// CHECK: memref.alloc(%[[SUM]]) : memref<?x5xf32>
func.func @dynamic_axis(%a: tensor<?x5xf32>, %b: tensor<?x5xf32>, %c: tensor<?x5xf32>) -> tensor<?x5xf32> {
  %0 = tosa.concat %a, %b, %c {axis = 0 : i32} : (tensor<?x5xf32>, tensor<?x5xf32>, tensor<?x5xf32>) -> tensor<?x5xf32>
  return %0 : tensor<?x5xf32>
}

// -----

// max-inputs or fewer inputs keep the usual path.

// CHECK-LABEL: func.func @narrow
// CHECK: tosa.concat
// CHECK-NOT: memref.alloc
func.func @narrow(%a: tensor<1x2xf32>, %b: tensor<1x3xf32>) -> tensor<1x5xf32> {
  %0 = tosa.concat %a, %b {axis = 1 : i32} : (tensor<1x2xf32>, tensor<1x3xf32>) -> tensor<1x5xf32>
  return %0 : tensor<1x5xf32>
}
