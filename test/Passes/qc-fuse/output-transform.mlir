// RUN: qc-opt %s -split-input-file -qc-fuse | FileCheck %s

// The output transform acc * s + t that qc-lower-macs emits absorbs the
// per-channel multiplies and adds after it (a batch normalization), and a
// ReLU after an output transform with multiplier 1 and bias 0 clamps the
// integer accumulator instead.

// s = [0.5, 0.25], t = [1, -2], then BN gamma g = [2, -4], beta = [0.5, 1]:
// s * g = [1, -1], t * g + beta = [2 + 0.5, 8 + 1] = [2.5, 9].
// CHECK-LABEL: func.func @bn_into_output_transform
// CHECK-DAG: %[[S:.*]] = "tosa.const"() <{value = dense<{{\[\[}}1.000000e+00, -1.000000e+00]]> : tensor<1x2xf32>}>
// CHECK-DAG: %[[B:.*]] = "tosa.const"() <{value = dense<{{\[\[}}2.500000e+00, 9.000000e+00]]> : tensor<1x2xf32>}>
// CHECK: %[[ACC:.*]] = qc.xnor_popcount
// CHECK: %[[F:.*]] = tosa.cast %[[ACC]]
// CHECK: %[[M:.*]] = tosa.mul %[[F]], %[[S]]
// CHECK: %[[A:.*]] = tosa.add %[[M]], %[[B]]
// CHECK-NOT: tosa.mul
// CHECK-NOT: tosa.add
// CHECK: return %[[A]]
func.func @bn_into_output_transform(%a: tensor<?x1xi32>, %w: tensor<2x1xi32>) -> tensor<?x2xf32> {
  %acc = qc.xnor_popcount %a, %w {depth = 8 : i64} : tensor<?x1xi32>, tensor<2x1xi32> -> tensor<?x2xi32>
  %f = tosa.cast %acc : (tensor<?x2xi32>) -> tensor<?x2xf32>
  %s = "tosa.const"() {value = dense<[[0.5, 0.25]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %t = "tosa.const"() {value = dense<[[1.0, -2.0]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %g = "tosa.const"() {value = dense<[[2.0, -4.0]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %beta = "tosa.const"() {value = dense<[[0.5, 1.0]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %m = tosa.mul %f, %s {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %b = tosa.add %m, %t : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %x = tosa.mul %b, %g {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %y = tosa.add %x, %beta : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// The BN in NCHW after the NHWC -> NCHW transpose: its channel axis 1 is
// the accumulator's axis 3. s = [0.5, 0.25], t = [0.25, -0.5], gamma =
// [2, -1], beta = [-1, 0.5], then a subtraction of [1, 2]: s * g = [1,
// -0.25], t * g + beta - c = [0.5 - 1 - 1, 0.5 + 0.5 - 2] = [-1.5, -1].
// CHECK-LABEL: func.func @bn_through_transpose
// CHECK-DAG: %[[S:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}1.000000e+00, -2.500000e-01]]]]> : tensor<1x1x1x2xf32>}>
// CHECK-DAG: %[[B:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}-1.500000e+00, -1.000000e+00]]]]> : tensor<1x1x1x2xf32>}>
// CHECK: %[[F:.*]] = tosa.cast
// CHECK: %[[M:.*]] = tosa.mul %[[F]], %[[S]]
// CHECK: %[[A:.*]] = tosa.add %[[M]], %[[B]]
// CHECK: %[[T:.*]] = tosa.transpose %[[A]]
// CHECK-NOT: tosa.mul
// CHECK-NOT: tosa.add
// CHECK-NOT: tosa.sub
// CHECK: return %[[T]]
func.func @bn_through_transpose(%a: tensor<1x3x3x1xi32>, %w: tensor<2x2x2x1xi32>) -> tensor<1x2x2x2xf32> {
  %acc = qc.xnor_popcount %a, %w {depth = 4 : i64, conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x3x3x1xi32>, tensor<2x2x2x1xi32> -> tensor<1x2x2x2xi32>
  %f = tosa.cast %acc : (tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xf32>
  %s = "tosa.const"() {value = dense<[[[[0.5, 0.25]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %t = "tosa.const"() {value = dense<[[[[0.25, -0.5]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %m = tosa.mul %f, %s {shift = 0 : i8} : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  %b = tosa.add %m, %t : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  %perm = "tosa.const"() {value = dense<[0, 3, 1, 2]> : tensor<4xi32>} : () -> tensor<4xi32>
  %tr = tosa.transpose %b, %perm : (tensor<1x2x2x2xf32>, tensor<4xi32>) -> tensor<1x2x2x2xf32>
  %gamma = "tosa.const"() {value = dense<[[[[2.0]], [[-1.0]]]]> : tensor<1x2x1x1xf32>} : () -> tensor<1x2x1x1xf32>
  %beta = "tosa.const"() {value = dense<[[[[-1.0]], [[0.5]]]]> : tensor<1x2x1x1xf32>} : () -> tensor<1x2x1x1xf32>
  %c = "tosa.const"() {value = dense<[[[[1.0]], [[2.0]]]]> : tensor<1x2x1x1xf32>} : () -> tensor<1x2x1x1xf32>
  %g = tosa.mul %tr, %gamma {shift = 0 : i8} : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %h = tosa.add %g, %beta : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %k = tosa.sub %h, %c : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  return %k : tensor<1x2x2x2xf32>
}

// -----

!sign = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>

// A sign follows: the threshold fusion takes the whole unfused chain (the
// BN is not composed into the output transform first). acc in [-8, 8];
// (0.5 acc + 1) * 2 - 1 = acc + 1: 0 at acc = -1, +1 from acc = 0, so the
// thresholds are [-1, 0].
// CHECK-LABEL: func.func @no_absorb_before_thresholds
// CHECK: dense<{{\[\[}}-1.000000e+00, 0.000000e+00]]> : tensor<1x2xf32>
// CHECK: qc.multi_threshold
// CHECK-NOT: tosa.add
func.func @no_absorb_before_thresholds(%a: tensor<?x1xi32>, %w: tensor<1x1xi32>) -> tensor<?x1xf32> {
  %acc = qc.xnor_popcount %a, %w {depth = 8 : i64} : tensor<?x1xi32>, tensor<1x1xi32> -> tensor<?x1xi32>
  %f = tosa.cast %acc : (tensor<?x1xi32>) -> tensor<?x1xf32>
  %s = "tosa.const"() {value = dense<0.5> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %t = "tosa.const"() {value = dense<1.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %g = "tosa.const"() {value = dense<2.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %beta = "tosa.const"() {value = dense<-1.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %m = tosa.mul %f, %s {shift = 0 : i8} : (tensor<?x1xf32>, tensor<1x1xf32>) -> tensor<?x1xf32>
  %b = tosa.add %m, %t : (tensor<?x1xf32>, tensor<1x1xf32>) -> tensor<?x1xf32>
  %x = tosa.mul %b, %g {shift = 0 : i8} : (tensor<?x1xf32>, tensor<1x1xf32>) -> tensor<?x1xf32>
  %y = tosa.add %x, %beta : (tensor<?x1xf32>, tensor<1x1xf32>) -> tensor<?x1xf32>
  %q = qc.quantize %y : tensor<?x1xf32> -> tensor<?x1x!sign>
  %d = qc.dequantize %q : tensor<?x1x!sign> -> tensor<?x1xf32>
  return %d : tensor<?x1xf32>
}

// -----

// The layer's output is also returned, so its transform must stay; a
// constant varying along W (axis 2 of NHWC) is not per channel; and a float
// input has no output transform: nothing is absorbed.
// CHECK-LABEL: func.func @no_absorb
// CHECK: %[[F:.*]] = tosa.cast
// CHECK: %[[M:.*]] = tosa.mul %[[F]]
// CHECK: %[[B:.*]] = tosa.add %[[M]]
// CHECK: %[[Y:.*]] = tosa.mul %[[B]]
// CHECK: %[[XF:.*]] = tosa.cast
// CHECK: %[[XM:.*]] = tosa.mul %[[XF]]
// CHECK: %[[XB:.*]] = tosa.add %[[XM]]
// CHECK: %[[XW:.*]] = tosa.add %[[XB]]
// CHECK: %[[ZM:.*]] = tosa.mul %{{.*}}
// CHECK: %[[ZB:.*]] = tosa.add %[[ZM]]
// CHECK: %[[ZZ:.*]] = tosa.add %[[ZB]]
// CHECK: return %[[Y]], %[[B]], %[[XW]], %[[ZZ]]
func.func @no_absorb(%a: tensor<?x1xi32>, %w: tensor<2x1xi32>, %x: tensor<1x2x2x2xi32>, %z: tensor<?x2xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>, tensor<1x2x2x2xf32>, tensor<?x2xf32>) {
  %acc = qc.xnor_popcount %a, %w {depth = 8 : i64} : tensor<?x1xi32>, tensor<2x1xi32> -> tensor<?x2xi32>
  %f = tosa.cast %acc : (tensor<?x2xi32>) -> tensor<?x2xf32>
  %s = "tosa.const"() {value = dense<[[0.5, 0.25]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %t = "tosa.const"() {value = dense<[[1.0, -2.0]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %m = tosa.mul %f, %s {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %b = tosa.add %m, %t : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %y = tosa.mul %b, %s {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %xf = tosa.cast %x : (tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xf32>
  %s4 = "tosa.const"() {value = dense<[[[[0.5, 0.25]]]]> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %w4 = "tosa.const"() {value = dense<[[[[1.0], [2.0]]]]> : tensor<1x1x2x1xf32>} : () -> tensor<1x1x2x1xf32>
  %xm = tosa.mul %xf, %s4 {shift = 0 : i8} : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  %xb = tosa.add %xm, %s4 : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  %xw = tosa.add %xb, %w4 : (tensor<1x2x2x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x2x2x2xf32>
  %zm = tosa.mul %z, %s {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %zb = tosa.add %zm, %t : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %zz = tosa.add %zb, %t : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  return %y, %b, %xw, %zz : tensor<?x2xf32>, tensor<?x2xf32>, tensor<1x2x2x2xf32>, tensor<?x2xf32>
}

// -----

// ReLU after acc * 1 + 0: max(acc, 0) on the i32 accumulator; the float
// clamp is gone (ONNX Relu imports as a clamp to [0, FLT_MAX]).
// CHECK-LABEL: func.func @fuse_relu
// CHECK: %[[ACC:.*]] = qc.xnor_popcount
// CHECK: %[[C:.*]] = tosa.clamp %[[ACC]] {max_fp = {{.*}}, max_int = 2147483647 : i64, min_fp = 0.000000e+00 : f32, min_int = 0 : i64} : (tensor<?x2xi32>) -> tensor<?x2xi32>
// CHECK: tosa.cast %[[C]]
// CHECK-NOT: tosa.clamp
func.func @fuse_relu(%a: tensor<?x1xi32>, %w: tensor<2x1xi32>) -> tensor<?x2xf32> {
  %acc = qc.xnor_popcount %a, %w {depth = 8 : i64} : tensor<?x1xi32>, tensor<2x1xi32> -> tensor<?x2xi32>
  %f = tosa.cast %acc : (tensor<?x2xi32>) -> tensor<?x2xf32>
  %one = "tosa.const"() {value = dense<1.0> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %zero = "tosa.const"() {value = dense<0.0> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %m = tosa.mul %f, %one {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %b = tosa.add %m, %zero : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %r = tosa.clamp %b {min_int = 0 : i64, max_int = 9223372036854775807 : i64, min_fp = 0.0 : f32, max_fp = 3.40282347E+38 : f32} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}

// -----

// ReLU6 in NCHW after the transpose, then a BN: the clamp moves onto the
// NHWC accumulator as [0, 6], then the BN composes into the multiplier 1
// and bias 0: s = [2, 3], t = [0 * 2 + 1, 0 * 3 - 1] = [1, -1].
// CHECK-LABEL: func.func @fuse_relu6_then_bn
// CHECK-DAG: %[[S:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}2.000000e+00, 3.000000e+00]]]]>
// CHECK-DAG: %[[B:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}1.000000e+00, -1.000000e+00]]]]>
// CHECK: %[[ACC:.*]] = qc.xnor_popcount
// CHECK: %[[C:.*]] = tosa.clamp %[[ACC]] {max_fp = 6.000000e+00 : f32, max_int = 6 : i64, min_fp = 0.000000e+00 : f32, min_int = 0 : i64}
// CHECK: %[[F:.*]] = tosa.cast %[[C]]
// CHECK: %[[M:.*]] = tosa.mul %[[F]], %[[S]]
// CHECK: %[[A:.*]] = tosa.add %[[M]], %[[B]]
// CHECK: %[[T:.*]] = tosa.transpose %[[A]]
// CHECK-NOT: tosa.clamp
// CHECK: return %[[T]]
func.func @fuse_relu6_then_bn(%a: tensor<1x3x3x1xi32>, %w: tensor<2x2x2x1xi32>) -> tensor<1x2x2x2xf32> {
  %acc = qc.xnor_popcount %a, %w {depth = 4 : i64, conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x3x3x1xi32>, tensor<2x2x2x1xi32> -> tensor<1x2x2x2xi32>
  %f = tosa.cast %acc : (tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xf32>
  %one = "tosa.const"() {value = dense<1.0> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %zero = "tosa.const"() {value = dense<0.0> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %m = tosa.mul %f, %one {shift = 0 : i8} : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  %b = tosa.add %m, %zero : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x2x2x2xf32>
  %perm = "tosa.const"() {value = dense<[0, 3, 1, 2]> : tensor<4xi32>} : () -> tensor<4xi32>
  %tr = tosa.transpose %b, %perm : (tensor<1x2x2x2xf32>, tensor<4xi32>) -> tensor<1x2x2x2xf32>
  %r = tosa.clamp %tr {min_int = 0 : i64, max_int = 6 : i64, min_fp = 0.0 : f32, max_fp = 6.0 : f32} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %gamma = "tosa.const"() {value = dense<[[[[2.0]], [[3.0]]]]> : tensor<1x2x1x1xf32>} : () -> tensor<1x2x1x1xf32>
  %beta = "tosa.const"() {value = dense<[[[[1.0]], [[-1.0]]]]> : tensor<1x2x1x1xf32>} : () -> tensor<1x2x1x1xf32>
  %g = tosa.mul %r, %gamma {shift = 0 : i8} : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %h = tosa.add %g, %beta : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x2x2xf32>
  return %h : tensor<1x2x2x2xf32>
}

// -----

// Channel 1 has multiplier 0.5: max(0.5 acc, 0) is not 0.5 max(acc, 0)
// in general (for negative multipliers), so only the exact case fuses.
// CHECK-LABEL: func.func @no_fuse_relu_when_scaled
// CHECK: tosa.cast %{{.*}} : (tensor<?x2xi32>) -> tensor<?x2xf32>
// CHECK: tosa.clamp %{{.*}} : (tensor<?x2xf32>) -> tensor<?x2xf32>
// CHECK-NOT: tosa.clamp
func.func @no_fuse_relu_when_scaled(%a: tensor<?x1xi32>, %w: tensor<2x1xi32>) -> tensor<?x2xf32> {
  %acc = qc.xnor_popcount %a, %w {depth = 8 : i64} : tensor<?x1xi32>, tensor<2x1xi32> -> tensor<?x2xi32>
  %f = tosa.cast %acc : (tensor<?x2xi32>) -> tensor<?x2xf32>
  %s = "tosa.const"() {value = dense<[[1.0, 0.5]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %zero = "tosa.const"() {value = dense<0.0> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %m = tosa.mul %f, %s {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %b = tosa.add %m, %zero : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %r = tosa.clamp %b {min_int = 0 : i64, max_int = 9223372036854775807 : i64, min_fp = 0.0 : f32, max_fp = 3.40282347E+38 : f32} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}

// -----

// Channel 1 has bias 0.5: max(acc + 0.5, 0) is 0.5 at acc = 0, not
// max(acc, 0) + 0.5 = 0.5 ... but -0.5 + 0.5 = 0 at acc = -1 would become
// max(-1, 0) + 0.5 = 0.5: not the same, so nothing fuses.
// CHECK-LABEL: func.func @no_fuse_relu_when_biased
// CHECK: tosa.cast %{{.*}} : (tensor<?x2xi32>) -> tensor<?x2xf32>
// CHECK: tosa.clamp %{{.*}} : (tensor<?x2xf32>) -> tensor<?x2xf32>
func.func @no_fuse_relu_when_biased(%a: tensor<?x1xi32>, %w: tensor<2x1xi32>) -> tensor<?x2xf32> {
  %acc = qc.xnor_popcount %a, %w {depth = 8 : i64} : tensor<?x1xi32>, tensor<2x1xi32> -> tensor<?x2xi32>
  %f = tosa.cast %acc : (tensor<?x2xi32>) -> tensor<?x2xf32>
  %one = "tosa.const"() {value = dense<1.0> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %t = "tosa.const"() {value = dense<[[0.0, 0.5]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %m = tosa.mul %f, %one {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %b = tosa.add %m, %t : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %r = tosa.clamp %b {min_int = 0 : i64, max_int = 9223372036854775807 : i64, min_fp = 0.0 : f32, max_fp = 3.40282347E+38 : f32} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}

// -----

// Not a ReLU (clamp to [-1, 1]), an upper bound between integers
// ([0, 6.5]: 6.5 is no accumulator value), and a clamp of a float input:
// none fuses.
// CHECK-LABEL: func.func @no_fuse_relu_other_clamps
// CHECK-COUNT-3: tosa.clamp %{{.*}} : (tensor<?x2xf32>) -> tensor<?x2xf32>
// CHECK-NOT: tosa.clamp
func.func @no_fuse_relu_other_clamps(%a: tensor<?x1xi32>, %w: tensor<2x1xi32>, %z: tensor<?x2xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>) {
  %acc = qc.xnor_popcount %a, %w {depth = 8 : i64} : tensor<?x1xi32>, tensor<2x1xi32> -> tensor<?x2xi32>
  %f = tosa.cast %acc : (tensor<?x2xi32>) -> tensor<?x2xf32>
  %r = tosa.clamp %f {min_int = -1 : i64, max_int = 1 : i64, min_fp = -1.0 : f32, max_fp = 1.0 : f32} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %acc2 = qc.xnor_popcount %a, %w {depth = 8 : i64} : tensor<?x1xi32>, tensor<2x1xi32> -> tensor<?x2xi32>
  %f2 = tosa.cast %acc2 : (tensor<?x2xi32>) -> tensor<?x2xf32>
  %r2 = tosa.clamp %f2 {min_int = 0 : i64, max_int = 6 : i64, min_fp = 0.0 : f32, max_fp = 6.5 : f32} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %r3 = tosa.clamp %z {min_int = 0 : i64, max_int = 6 : i64, min_fp = 0.0 : f32, max_fp = 6.0 : f32} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %r, %r2, %r3 : tensor<?x2xf32>, tensor<?x2xf32>, tensor<?x2xf32>
}
