// Dilated MaxPool and AveragePool: the input is padded once (-inf for max,
// zeros for average) so that every tap's strided slice fits; each tap is a
// slice (plus reshape to (outputs, stride) and a slice of its first column
// for strides > 1), combined with tosa.maximum or summed and scaled by the
// per-window count of taps that fall on counted positions.

// RUN: qc-translate --import-onnx %S/Inputs/pool-dilated.onnx | qc-opt | FileCheck %s

// CHECK-LABEL: func.func @main(
// CHECK-SAME: -> (tensor<?x2x7x8xf32> {onnx.name = "max_pad"}, tensor<?x2x4x4xf32> {onnx.name = "max_ceil"}, tensor<?x2x4x5xf32> {onnx.name = "avg"}, tensor<?x2x5x5xf32> {onnx.name = "avg_incl"})
// max_pad: k3 d2 pads 1 on 9 x 10 gives 7 x 8; 9 taps, 8 maxima.
// CHECK: %[[NINF:.*]] = "tosa.const"() <{value = dense<0xFF800000> : tensor<f32>}>
// CHECK: %[[PADDED:.*]] = tosa.pad %{{.*}}, %{{.*}}, %[[NINF]] : {{.*}} -> tensor<?x11x12x2xf32>
// CHECK: %[[ROW0:.*]] = tosa.slice %[[PADDED]] {size = array<i64: -1, 7, 12, 2>, start = array<i64: 0, 0, 0, 0>}
// CHECK: %[[T00:.*]] = tosa.slice %[[ROW0]] {size = array<i64: -1, 7, 8, 2>, start = array<i64: 0, 0, 0, 0>}
// CHECK: %[[T01:.*]] = tosa.slice %[[ROW0]] {size = array<i64: -1, 7, 8, 2>, start = array<i64: 0, 0, 2, 0>}
// CHECK: tosa.maximum %[[T00]], %[[T01]]
// CHECK-COUNT-7: tosa.maximum
// max_ceil: strides 2 x 3 split each tap's rows and columns.
// CHECK: tosa.pad %{{.*}}, %{{.*}}, %{{.*}} : {{.*}} -> tensor<?x11x14x2xf32>
// CHECK: tosa.reshape %{{.*}} {new_shape = array<i64: -1, 4, 2, 14, 2>}
// CHECK: tosa.reshape %{{.*}} {new_shape = array<i64: -1, 4, 4, 3, 2>}
// CHECK-COUNT-3: tosa.maximum
// avg: zero padding; the border windows count fewer taps (4, 6 or 9).
// CHECK: tosa.pad %{{.*}}, %{{.*}} : (tensor<?x9x10x2xf32>, tensor<4x2xi32>) -> tensor<?x12x14x2xf32>
// CHECK-COUNT-8: tosa.add
// CHECK: %[[INV:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}2.500000e-01], [0.166666672], [0.166666672], [0.166666672], [2.500000e-01]], {{\[\[}}0.166666672], [0.111111112],
// CHECK: tosa.mul %{{.*}}, %[[INV]]
// avg_incl: taps on the declared padding count; ceil_mode's extra row does
// not.
// CHECK: tosa.pad %{{.*}}, %{{.*}} : (tensor<?x9x10x2xf32>, tensor<4x2xi32>) -> tensor<?x14x13x2xf32>
// CHECK-COUNT-5: tosa.add
// CHECK: "tosa.const"() <{value = dense<{{.*}}> : tensor<1x5x5x1xf32>}>
