// Pad: constant mode with a constant_value input is one tosa.pad; reflect
// pads concatenate reversed slices, edge pads tiled border slices; negative
// pads crop; all-zero pads (torch's DenseNet export before AveragePool)
// vanish; the opset 2-10 attribute form reads pads and value.

// RUN: qc-translate --import-onnx %S/Inputs/pad.onnx | qc-opt | FileCheck %s
// RUN: qc-translate --import-onnx %S/Inputs/pad-opset10.onnx | qc-opt | FileCheck %s --check-prefix=ATTR

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<?x2x5x6xf32>
// CHECK: %[[CV:.*]] = "tosa.const"() <{value = dense<1.500000e+00> : tensor<f32>}>
// CHECK: %[[P:.*]] = "tosa.const"() <{value = dense<{{\[\[}}0, 0], [0, 0], [1, 2], [2, 1]]> : tensor<4x2xi32>}>
// CHECK: %[[CONST:.*]] = tosa.pad %[[X]], %[[P]], %[[CV]] : (tensor<?x2x5x6xf32>, tensor<4x2xi32>, tensor<f32>) -> tensor<?x2x8x9xf32>
// reflect, rows: x[2:0:-1] above, x[3] below.
// CHECK: %[[TOP:.*]] = tosa.slice %[[X]] {size = array<i64: -1, 2, 2, 6>, start = array<i64: 0, 0, 1, 0>}
// CHECK: %[[TOPR:.*]] = tosa.reverse %[[TOP]] {axis = 2 : i32}
// CHECK: %[[BOT:.*]] = tosa.slice %[[X]] {size = array<i64: -1, 2, 1, 6>, start = array<i64: 0, 0, 3, 0>}
// CHECK: %[[BOTR:.*]] = tosa.reverse %[[BOT]] {axis = 2 : i32}
// CHECK: %[[ROWS:.*]] = tosa.concat %[[TOPR]], %[[X]], %[[BOTR]] {axis = 2 : i32}
// CHECK: %[[REFLECT:.*]] = tosa.concat %{{.*}}, %[[ROWS]], %{{.*}} {axis = 3 : i32} : {{.*}} -> tensor<?x2x8x10xf32>
// edge: the first row once, the last row tiled twice.
// CHECK: %[[FIRST:.*]] = tosa.slice %[[X]] {size = array<i64: -1, 2, 1, 6>, start = array<i64: 0, 0, 0, 0>}
// CHECK: %[[LAST:.*]] = tosa.slice %[[X]] {size = array<i64: -1, 2, 1, 6>, start = array<i64: 0, 0, 4, 0>}
// CHECK: %[[LAST2:.*]] = tosa.tile %[[LAST]] {multiples = array<i64: 1, 1, 2, 1>}
// CHECK: tosa.concat %[[FIRST]], %[[X]], %[[LAST2]] {axis = 2 : i32}
// CHECK: %[[EDGE:.*]] = tosa.concat {{.*}} -> tensor<?x2x8x8xf32>
// crop: pads [0, 0, -1, 1, 0, 0, 0, -2] drop the first row and the last two
// columns, then add one zero column in front.
// CHECK: %[[C1:.*]] = tosa.slice %[[X]] {size = array<i64: -1, 2, 4, 6>, start = array<i64: 0, 0, 1, 0>}
// CHECK: %[[C2:.*]] = tosa.slice %[[C1]] {size = array<i64: -1, 2, 4, 4>, start = array<i64: 0, 0, 0, 0>}
// CHECK: %[[CP:.*]] = "tosa.const"() <{value = dense<{{\[\[}}0, 0], [0, 0], [0, 0], [1, 0]]> : tensor<4x2xi32>}>
// CHECK: %[[CROP:.*]] = tosa.pad %[[C2]], %[[CP]] : (tensor<?x2x4x4xf32>, tensor<4x2xi32>) -> tensor<?x2x4x5xf32>
// CHECK-NOT: tosa.pad
// CHECK: %[[T:.*]] = tosa.transpose %[[X]]
// CHECK: tosa.avg_pool2d
// CHECK: return %[[CONST]], %[[REFLECT]], %[[EDGE]], %[[CROP]], %{{.*}} :

// ATTR: %[[V:.*]] = "tosa.const"() <{value = dense<-2.000000e+00> : tensor<f32>}>
// ATTR: %[[P:.*]] = "tosa.const"() <{value = dense<{{\[\[}}0, 0], [1, 2], [2, 1]]> : tensor<3x2xi32>}>
// ATTR: tosa.pad %arg0, %[[P]], %[[V]] : (tensor<2x3x4xf32>, tensor<3x2xi32>, tensor<f32>) -> tensor<2x6x7xf32>
