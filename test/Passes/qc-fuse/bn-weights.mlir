// RUN: qc-opt %s -split-input-file -qc-fuse=fold-bn-into-weights=true | FileCheck %s
// RUN: qc-opt %s -split-input-file -qc-fuse | FileCheck %s --check-prefix=DEFAULT

// Batch normalization (the importer's per-channel multiply and add) folded
// into the float weights and bias of the layer before it, only with
// fold-bn-into-weights (qc-run/qcc set it before post-training
// quantization, not for --quant auto, whose weights are already on a grid).

// NHWC convolution, NCHW batch normalization after the transpose:
// W = [1, 2], B = [0.5, -1], a = [2, -0.5], beta = [1, 3]:
// W * a = [2, -1], B * a + beta = [1 + 1, 0.5 + 3] = [2, 3.5].
// CHECK-LABEL: func.func @fold_bn_conv
// CHECK-DAG: %[[W:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}-1.000000e+00]]]]> : tensor<2x1x1x1xf32>}>
// CHECK-DAG: %[[B:.*]] = "tosa.const"() <{value = dense<[2.000000e+00, 3.500000e+00]> : tensor<2xf32>}>
// CHECK: %[[C:.*]] = tosa.conv2d %{{.*}}, %[[W]], %[[B]]
// CHECK: %[[T:.*]] = tosa.transpose %[[C]]
// CHECK-NOT: tosa.mul
// CHECK-NOT: tosa.add
// CHECK: return %[[T]]
// DEFAULT-LABEL: func.func @fold_bn_conv
// DEFAULT: tosa.mul
// DEFAULT: tosa.add
func.func @fold_bn_conv(%x: tensor<1x3x3x1xf32>) -> tensor<1x2x3x3xf32> {
  %w = "tosa.const"() {value = dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
  %b = "tosa.const"() {value = dense<[0.5, -1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = tosa.conv2d %x, %w, %b {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
  %perm = "tosa.const"() {value = dense<[0, 3, 1, 2]> : tensor<4xi32>} : () -> tensor<4xi32>
  %t = tosa.transpose %c, %perm : (tensor<1x3x3x2xf32>, tensor<4xi32>) -> tensor<1x2x3x3xf32>
  %a = "tosa.const"() {value = dense<[[[[2.0]], [[-0.5]]]]> : tensor<1x2x1x1xf32>} : () -> tensor<1x2x1x1xf32>
  %beta = "tosa.const"() {value = dense<[[[[1.0]], [[3.0]]]]> : tensor<1x2x1x1xf32>} : () -> tensor<1x2x1x1xf32>
  %m = tosa.mul %t, %a {shift = 0 : i8} : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %y = tosa.add %m, %beta : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// Depthwise HWCM weights, C = 2, M = 2: output channel c * 2 + m, so the
// weights [[1, 2], [3, 4]] are channels [1, 2, 3, 4]; a = [1, 10, 100, -1]
// gives [[1, 20], [300, -4]] and B = [1, 1, 1, 1] gives [1, 10, 100, -1].
// CHECK-LABEL: func.func @fold_bn_depthwise
// CHECK-DAG: %[[W:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}1.000000e+00, 2.000000e+01], [3.000000e+02, -4.000000e+00]]]]> : tensor<1x1x2x2xf32>}>
// CHECK-DAG: %[[B:.*]] = "tosa.const"() <{value = dense<[1.000000e+00, 1.000000e+01, 1.000000e+02, -1.000000e+00]> : tensor<4xf32>}>
// CHECK: %[[C:.*]] = tosa.depthwise_conv2d %{{.*}}, %[[W]], %[[B]]
// CHECK-NOT: tosa.mul
// CHECK: return %[[C]]
func.func @fold_bn_depthwise(%x: tensor<1x3x3x2xf32>) -> tensor<1x3x3x4xf32> {
  %w = "tosa.const"() {value = dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>} : () -> tensor<1x1x2x2xf32>
  %b = "tosa.const"() {value = dense<1.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %c = tosa.depthwise_conv2d %x, %w, %b {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x2xf32>, tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<1x3x3x4xf32>
  %a = "tosa.const"() {value = dense<[[[[1.0, 10.0, 100.0, -1.0]]]]> : tensor<1x1x1x4xf32>} : () -> tensor<1x1x1x4xf32>
  %y = tosa.mul %c, %a {shift = 0 : i8} : (tensor<1x3x3x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x3x3x4xf32>
  return %y : tensor<1x3x3x4xf32>
}

// -----

// Dense layer, then x * a - c: W = [[1, 2, 3], [4, 5, 6]], B = [1, 2],
// a = [3, 0.5], c = [1, 1]: W * a = [[3, 6, 9], [2, 2.5, 3]],
// B * a - c = [3 - 1, 1 - 1] = [2, 0].
// CHECK-LABEL: func.func @fold_bn_fully_connected
// CHECK-DAG: %[[W:.*]] = "tosa.const"() <{value = dense<{{\[}}[3.000000e+00, 6.000000e+00, 9.000000e+00], [2.000000e+00, 2.500000e+00, 3.000000e+00]]> : tensor<2x3xf32>}>
// CHECK-DAG: %[[B:.*]] = "tosa.const"() <{value = dense<[2.000000e+00, 0.000000e+00]> : tensor<2xf32>}>
// CHECK: %[[F:.*]] = tosa.fully_connected %{{.*}}, %[[W]], %[[B]]
// CHECK-NOT: tosa.mul
// CHECK-NOT: tosa.sub
// CHECK: return %[[F]]
func.func @fold_bn_fully_connected(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = "tosa.const"() {value = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
  %b = "tosa.const"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %f = tosa.fully_connected %x, %w, %b : (tensor<?x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %a = "tosa.const"() {value = dense<[[3.0, 0.5]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %c = "tosa.const"() {value = dense<1.0> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %m = tosa.mul %f, %a {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %y = tosa.sub %m, %c : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// The layer's output has a second user; the weight is not a constant; the
// multiplier varies along H, not along the channels: nothing folds.
// CHECK-LABEL: func.func @no_fold
// CHECK-COUNT-3: tosa.mul
func.func @no_fold(%x: tensor<1x3x3x1xf32>, %wv: tensor<2x1x1x1xf32>) -> (tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>) {
  %w = "tosa.const"() {value = dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
  %b = "tosa.const"() {value = dense<[0.5, -1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %a = "tosa.const"() {value = dense<[[[[2.0, -0.5]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %h = "tosa.const"() {value = dense<[[[[1.0]], [[2.0]], [[3.0]]]]> : tensor<1x3x1x1xf32>} : () -> tensor<1x3x1x1xf32>
  %c = tosa.conv2d %x, %w, %b {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
  %m = tosa.mul %c, %a {shift = 0 : i8} : (tensor<1x3x3x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x3x3x2xf32>
  %c2 = tosa.conv2d %x, %wv, %b {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
  %m2 = tosa.mul %c2, %a {shift = 0 : i8} : (tensor<1x3x3x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x3x3x2xf32>
  %c3 = tosa.conv2d %x, %w, %b {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
  %m3 = tosa.mul %c3, %h {shift = 0 : i8} : (tensor<1x3x3x2xf32>, tensor<1x3x1x1xf32>) -> tensor<1x3x3x2xf32>
  return %m, %c, %m2, %m3 : tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>
}
