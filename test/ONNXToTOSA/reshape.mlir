// Flatten, Reshape (0 copies an input extent, -1 is inferred), the
// Shape -> Gather -> Unsqueeze -> Concat -> Reshape chain torch exports for
// `x.view(x.size(0), -1)` with a dynamic batch, Transpose, Concat,
// Squeeze/Unsqueeze with axes as inputs (opset 13) and as attributes
// (opset 11), and allowzero without zeros.

// RUN: qc-translate --import-onnx %S/Inputs/reshape.onnx | qc-opt | FileCheck %s
// RUN: qc-translate --import-onnx %S/Inputs/reshape-opset11.onnx | qc-opt | FileCheck %s --check-prefix=OPSET11
// RUN: qc-translate --import-onnx %S/Inputs/reshape-allowzero.onnx | qc-opt | FileCheck %s --check-prefix=ALLOWZERO

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<?x2x3x4xf32>
// CHECK-SAME: -> (tensor<?x6x4xf32> {onnx.name = "r0"}, tensor<?x24xf32> {onnx.name = "view"}, tensor<?x3x4x2xf32> {onnx.name = "t"}, tensor<?x4x3x4xf32> {onnx.name = "cat"}, tensor<?x24xf32> {onnx.name = "sq"})
// CHECK: %[[FLAT:.*]] = tosa.reshape %[[X]] {new_shape = array<i64: -1, 24>} : (tensor<?x2x3x4xf32>) -> tensor<?x24xf32>
// CHECK: %[[R0:.*]] = tosa.reshape %[[X]] {new_shape = array<i64: -1, 6, 4>} : (tensor<?x2x3x4xf32>) -> tensor<?x6x4xf32>
// The shape chain leaves no ops behind, only the reshape it computes.
// CHECK-NOT: tosa.concat %{{.*}} {axis = 0
// CHECK: %[[VIEW:.*]] = tosa.reshape %[[X]] {new_shape = array<i64: -1, 24>} : (tensor<?x2x3x4xf32>) -> tensor<?x24xf32>
// CHECK: %[[PERM:.*]] = "tosa.const"() <{value = dense<[0, 2, 3, 1]> : tensor<4xi32>}>
// CHECK: %[[T:.*]] = tosa.transpose %[[X]], %[[PERM]] : (tensor<?x2x3x4xf32>, tensor<4xi32>) -> tensor<?x3x4x2xf32>
// CHECK: %[[CAT:.*]] = tosa.concat %[[X]], %[[X]] {axis = 1 : i32} : (tensor<?x2x3x4xf32>, tensor<?x2x3x4xf32>) -> tensor<?x4x3x4xf32>
// CHECK: %[[U:.*]] = tosa.reshape %[[FLAT]] {new_shape = array<i64: -1, 24, 1>}
// CHECK: %[[SQ:.*]] = tosa.reshape %[[U]] {new_shape = array<i64: -1, 24>}
// CHECK: return %[[R0]], %[[VIEW]], %[[T]], %[[CAT]], %[[SQ]]

// OPSET11-LABEL: func.func @main(
// OPSET11: tosa.reshape %arg0 {new_shape = array<i64: 6>} : (tensor<1x6xf32>) -> tensor<6xf32>

// ALLOWZERO-LABEL: func.func @main(
// ALLOWZERO: tosa.reshape %arg0 {new_shape = array<i64: 3, 8>} : (tensor<2x4x3xf32>) -> tensor<3x8xf32>
