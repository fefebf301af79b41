// Pooling: ceil_mode (the extra window gets end padding, which max pooling
// ignores and average pooling does not count), count_include_pad (declared
// padding becomes explicit zeros), floor division of the window, and
// GlobalAveragePool as a mean over the spatial axes.

// RUN: qc-translate --import-onnx %S/Inputs/pool.onnx | qc-opt | FileCheck %s

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<?x3x6x6xf32>
// CHECK-SAME: -> (tensor<?x3x3x3xf32> {onnx.name = "m"}, tensor<?x3x4x4xf32> {onnx.name = "a1"}, tensor<?x3x6x6xf32> {onnx.name = "a0"}, tensor<?x3x1x1xf32> {onnx.name = "g"}, tensor<?x3x3x3xf32> {onnx.name = "f"})
// max_ceil: k3 s2 on 6 gives ceil(3 / 2) + 1 = 3 windows, the last one
// reaching one row past the input.
// CHECK: tosa.max_pool2d %{{.*}} {kernel = array<i64: 3, 3>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>} : (tensor<?x6x6x3xf32>) -> tensor<?x3x3x3xf32>
// avg_include_pad: the declared 1-pixel border is explicit zeros (counted);
// ceil_mode's extra row past it stays uncounted padding.
// CHECK: %[[PADS:.*]] = "tosa.const"() <{value = dense<{{\[\[}}0, 0], [1, 1], [1, 1], [0, 0]]> : tensor<4x2xi32>}>
// CHECK: %[[PADDED:.*]] = tosa.pad %{{.*}}, %[[PADS]] : (tensor<?x6x6x3xf32>, tensor<4x2xi32>) -> tensor<?x8x8x3xf32>
// CHECK: tosa.avg_pool2d %[[PADDED]] {acc_type = f32, kernel = array<i64: 3, 3>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>} : (tensor<?x8x8x3xf32>) -> tensor<?x4x4x3xf32>
// avg_exclude_pad: asymmetric pads [1, 1, 0, 0] (top, left, bottom, right).
// CHECK: tosa.avg_pool2d %{{.*}} {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 1, 1>} : (tensor<?x6x6x3xf32>) -> tensor<?x6x6x3xf32>
// CHECK: %[[S1:.*]] = tosa.reduce_sum %[[X]] {axis = 2 : i32} : (tensor<?x3x6x6xf32>) -> tensor<?x3x1x6xf32>
// CHECK: %[[S2:.*]] = tosa.reduce_sum %[[S1]] {axis = 3 : i32} : (tensor<?x3x1x6xf32>) -> tensor<?x3x1x1xf32>
// CHECK: %[[INV:.*]] = "tosa.const"() <{value = dense<0.027777778> : tensor<1x1x1x1xf32>}>
// CHECK: %[[G:.*]] = tosa.mul %[[S2]], %[[INV]] {shift = 0 : i8}
// CHECK: tosa.max_pool2d %{{.*}} {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>}
