// RUN: qc-opt %s -split-input-file -qc-fuse | FileCheck %s

!sign = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>

// acc in [-4, 4] (depth 4, 1x1 window). Per channel, the chain computes
//   c0: 2 * (0.5 acc + 0.25) - 1 = acc - 0.5    increasing: -1 below 1,
//       +1 from 1 (no integer gives 0): thresholds [1, 1];
//   c1: -1 * (0.25 acc - 0.5) + 0.5 = 1 - acc/4  decreasing (gamma < 0):
//       compared on y = -acc, 0 at y = -4, +1 from y = -3: [-inf, -3].
// The max-pool moves onto the accumulator (alpha >= 0 before it), the
// direction multiplies after it, and the NHWC -> NCHW transpose follows.
// CHECK-LABEL: func.func @sign_after_bn_and_pool
// CHECK-DAG: %[[PERM:.*]] = "tosa.const"() <{value = dense<[0, 3, 1, 2]> : tensor<4xi32>}>
// CHECK-DAG: %[[T:.*]] = "tosa.const"() <{value = dense<{{\[}}[1.000000e+00, 1.000000e+00], [0xFF800000, -3.000000e+00]]> : tensor<2x2xf32>}>
// CHECK-DAG: %[[D:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}1.000000e+00, -1.000000e+00]]]]> : tensor<1x1x1x2xf32>}>
// CHECK: %[[ACC:.*]] = qc.xnor_popcount
// CHECK: %[[F:.*]] = tosa.cast %[[ACC]] : (tensor<1x3x3x2xi32>) -> tensor<1x3x3x2xf32>
// CHECK: %[[P:.*]] = tosa.max_pool2d %[[F]] {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
// CHECK: %[[X:.*]] = tosa.mul %[[P]], %[[D]]
// CHECK: %[[MT:.*]] = qc.multi_threshold %[[X]], %[[T]] {out_bias = -1.000000e+00 : f64}
// CHECK: %[[TR:.*]] = tosa.transpose %[[MT]], %[[PERM]]
// CHECK: qc.quantize %[[TR]]
// CHECK-NOT: tosa.add
func.func @sign_after_bn_and_pool(%a: tensor<1x3x3x1xi32>, %w: tensor<2x1x1x1xi32>) -> tensor<1x2x2x2xf32> {
  %acc = qc.xnor_popcount %a, %w {depth = 4 : i64, conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x3x3x1xi32>, tensor<2x1x1x1xi32> -> tensor<1x3x3x2xi32>
  %f = tosa.cast %acc : (tensor<1x3x3x2xi32>) -> tensor<1x3x3x2xf32>
  %alpha = "tosa.const"() {value = dense<[[[[0.5, 0.25]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %bias = "tosa.const"() {value = dense<[[[[0.25, -0.5]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %m1 = tosa.mul %f, %alpha {shift = 0 : i8} : (tensor<1x3x3x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x3x3x2xf32>
  %b1 = tosa.add %m1, %bias : (tensor<1x3x3x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x3x3x2xf32>
  %p = tosa.max_pool2d %b1 {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x2xf32>) -> tensor<1x2x2x2xf32>
  %perm = "tosa.const"() {value = dense<[0, 3, 1, 2]> : tensor<4xi32>} : () -> tensor<4xi32>
  %t = tosa.transpose %p, %perm : (tensor<1x2x2x2xf32>, tensor<4xi32>) -> tensor<1x2x2x2xf32>
  %gamma = "tosa.const"() {value = dense<[[[[2.0]], [[-1.0]]]]> : tensor<1x2x1x1xf32>} : () -> tensor<1x2x1x1xf32>
  %beta = "tosa.const"() {value = dense<[[[[-1.0]], [[0.5]]]]> : tensor<1x2x1x1xf32>} : () -> tensor<1x2x1x1xf32>
  %g = tosa.mul %t, %gamma {shift = 0 : i8} : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %h = tosa.add %g, %beta : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %q = qc.quantize %h : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!sign>
  %d = qc.dequantize %q : tensor<1x2x2x2x!sign> -> tensor<1x2x2x2xf32>
  return %d : tensor<1x2x2x2xf32>
}

// -----

!sign = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>

// gamma = 0: the sign never changes, so the thresholds are infinite:
// beta > 0 always +1 [-inf, -inf], beta < 0 always -1 [inf, inf], beta = 0
// always 0 [-inf, inf].
// CHECK-LABEL: func.func @constant_channels
// CHECK: dense<{{\[}}[0xFF800000, 0xFF800000], [0x7F800000, 0x7F800000], [0xFF800000, 0x7F800000]]> : tensor<3x2xf32>
// CHECK: qc.multi_threshold
func.func @constant_channels(%a: tensor<?x1xi32>, %w: tensor<3x1xi32>) -> tensor<?x3xf32> {
  %acc = qc.xnor_popcount %a, %w {depth = 8 : i64} : tensor<?x1xi32>, tensor<3x1xi32> -> tensor<?x3xi32>
  %f = tosa.cast %acc : (tensor<?x3xi32>) -> tensor<?x3xf32>
  %zero = "tosa.const"() {value = dense<0.0> : tensor<1x3xf32>} : () -> tensor<1x3xf32>
  %beta = "tosa.const"() {value = dense<[[1.0, -1.0, 0.0]]> : tensor<1x3xf32>} : () -> tensor<1x3xf32>
  %g = tosa.mul %f, %zero {shift = 0 : i8} : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x3xf32>
  %h = tosa.add %g, %beta : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x3xf32>
  %q = qc.quantize %h : tensor<?x3xf32> -> tensor<?x3x!sign>
  %d = qc.dequantize %q : tensor<?x3x!sign> -> tensor<?x3xf32>
  return %d : tensor<?x3xf32>
}

// -----

!bin = !qc.binary<f32, alpha = [0.5]>

// A bipolar activation (x < 0 is -alpha, else +alpha): one threshold,
// acc - 2.5 >= 0 from acc = 3; out = 0.5 * (2 * count - 1) (out_scale 1,
// the default, is not printed).
// CHECK-LABEL: func.func @bipolar
// CHECK: dense<3.000000e+00> : tensor<2x1xf32>
// CHECK: qc.multi_threshold {{.*}} {out_bias = -5.000000e-01 : f64}
func.func @bipolar(%a: tensor<?x1xi32>, %w: tensor<2x1xi32>) -> tensor<?x2xf32> {
  %acc = qc.xnor_popcount %a, %w {depth = 8 : i64} : tensor<?x1xi32>, tensor<2x1xi32> -> tensor<?x2xi32>
  %f = tosa.cast %acc : (tensor<?x2xi32>) -> tensor<?x2xf32>
  %c = "tosa.const"() {value = dense<2.5> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %h = tosa.sub %f, %c : (tensor<?x2xf32>, tensor<1x1xf32>) -> tensor<?x2xf32>
  %q = qc.quantize %h : tensor<?x2xf32> -> tensor<?x2x!bin>
  %d = qc.dequantize %q : tensor<?x2x!bin> -> tensor<?x2xf32>
  return %d : tensor<?x2xf32>
}

// -----

!sign = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>

// The affine value is also returned: the chain must stay, nothing fuses.
// CHECK-LABEL: func.func @no_fuse_shared_chain
// CHECK-NOT: qc.multi_threshold
func.func @no_fuse_shared_chain(%a: tensor<?x1xi32>, %w: tensor<2x1xi32>) -> (tensor<?x2xf32>, tensor<?x2xf32>) {
  %acc = qc.xnor_popcount %a, %w {depth = 8 : i64} : tensor<?x1xi32>, tensor<2x1xi32> -> tensor<?x2xi32>
  %f = tosa.cast %acc : (tensor<?x2xi32>) -> tensor<?x2xf32>
  %c = "tosa.const"() {value = dense<2.5> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %h = tosa.sub %f, %c : (tensor<?x2xf32>, tensor<1x1xf32>) -> tensor<?x2xf32>
  %q = qc.quantize %h : tensor<?x2xf32> -> tensor<?x2x!sign>
  %d = qc.dequantize %q : tensor<?x2x!sign> -> tensor<?x2xf32>
  return %d, %h : tensor<?x2xf32>, tensor<?x2xf32>
}

// -----

!sign = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>

// A negative scale before the max-pool: max(-acc) is not -max(acc), so the
// pool cannot move onto the accumulator.
// CHECK-LABEL: func.func @no_fuse_pool_after_decreasing
// CHECK-NOT: qc.multi_threshold
func.func @no_fuse_pool_after_decreasing(%a: tensor<1x3x3x1xi32>, %w: tensor<2x1x1x1xi32>) -> tensor<1x2x2x2xf32> {
  %acc = qc.xnor_popcount %a, %w {depth = 4 : i64, conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x3x3x1xi32>, tensor<2x1x1x1xi32> -> tensor<1x3x3x2xi32>
  %f = tosa.cast %acc : (tensor<1x3x3x2xi32>) -> tensor<1x3x3x2xf32>
  %alpha = "tosa.const"() {value = dense<[[[[0.5, -0.25]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %m1 = tosa.mul %f, %alpha {shift = 0 : i8} : (tensor<1x3x3x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x3x3x2xf32>
  %p = tosa.max_pool2d %m1 {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x2xf32>) -> tensor<1x2x2x2xf32>
  %q = qc.quantize %p : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!sign>
  %d = qc.dequantize %q : tensor<1x2x2x2x!sign> -> tensor<1x2x2x2xf32>
  return %d : tensor<1x2x2x2xf32>
}

// -----

!act = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.5]>

// A ternary activation with delta 0.5 is not a sign; and a float input is
// not an accumulator: neither fuses.
// CHECK-LABEL: func.func @no_fuse_not_sign
// CHECK-NOT: qc.multi_threshold
func.func @no_fuse_not_sign(%a: tensor<?x1xi32>, %w: tensor<2x1xi32>, %x: tensor<?x2xf32>) -> (tensor<?x2xf32>, tensor<?x2x!qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>>) {
  %acc = qc.xnor_popcount %a, %w {depth = 8 : i64} : tensor<?x1xi32>, tensor<2x1xi32> -> tensor<?x2xi32>
  %f = tosa.cast %acc : (tensor<?x2xi32>) -> tensor<?x2xf32>
  %q = qc.quantize %f : tensor<?x2xf32> -> tensor<?x2x!act>
  %d = qc.dequantize %q : tensor<?x2x!act> -> tensor<?x2xf32>
  %s = qc.quantize %x : tensor<?x2xf32> -> tensor<?x2x!qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>>
  return %d, %s : tensor<?x2xf32>, tensor<?x2x!qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>>
}

// -----

!sign = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>

// A ReLU between the affine steps and the sign (a binarized ResNet block's
// first convolution): acc in [-4, 4], y = max(0.5 * acc - 0.25, 0), whose
// sign is 0 up to acc = 0 and +1 from acc = 1, never -1: thresholds
// [-inf, 1].
// CHECK-LABEL: func.func @sign_of_relu
// CHECK: %[[T:.*]] = "tosa.const"() <{value = dense<{{\[\[}}0xFF800000, 1.000000e+00]]> : tensor<1x2xf32>}>
// CHECK: %[[F:.*]] = tosa.cast
// CHECK: qc.multi_threshold %[[F]], %[[T]] {out_bias = -1.000000e+00 : f64}
// CHECK-NOT: tosa.clamp
func.func @sign_of_relu(%a: tensor<1x1x1x1xi32>, %w: tensor<1x1x1x1xi32>) -> tensor<1x1x1x1xf32> {
  %acc = qc.xnor_popcount %a, %w {depth = 4 : i64, conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x1x1x1xi32>, tensor<1x1x1x1xi32> -> tensor<1x1x1x1xi32>
  %f = tosa.cast %acc : (tensor<1x1x1x1xi32>) -> tensor<1x1x1x1xf32>
  %s = "tosa.const"() {value = dense<0.5> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
  %b = "tosa.const"() {value = dense<-0.25> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
  %m = tosa.mul %f, %s {shift = 0 : i8} : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32>
  %y = tosa.add %m, %b : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32>
  %r = tosa.clamp %y {max_fp = 0x7F800000 : f32, max_int = 9223372036854775807 : i64, min_fp = 0.000000e+00 : f32, min_int = 0 : i64} : (tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32>
  %q = qc.quantize %r : tensor<1x1x1x1xf32> -> tensor<1x1x1x1x!sign>
  %d = qc.dequantize %q : tensor<1x1x1x1x!sign> -> tensor<1x1x1x1xf32>
  return %d : tensor<1x1x1x1xf32>
}
