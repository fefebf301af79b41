// RUN: qc-opt %s -split-input-file -qc-fuse | FileCheck %s

// Binary activations (one threshold, levels -1 and +1) of an i32 XNOR sum
// within 2^24, through NHWC -> NCHW -> NHWC transposes around the round
// trip: packed straight from the sums, thresholds rounded up.
// CHECK-LABEL: func.func @binary_through_transposes
// CHECK: %[[T:.*]] = "tosa.const"() <{value = dense<{{\[}}[-1], [2], [2147483647]]> : tensor<3x1xi32>}>
// CHECK: %[[ACC:.*]] = qc.xnor_popcount
// CHECK: %[[W:.*]] = qc.threshold_pack %[[ACC]], %[[T]] : tensor<1x2x2x3xi32>, tensor<3x1xi32> -> tensor<1x2x2x1xi32>
// CHECK-NOT: qc.bitpack
// CHECK: return %[[W]]
!bin = !qc.binary<f32, alpha = [1.0]>
func.func @binary_through_transposes(%a: tensor<1x2x2x1xi32>, %w: tensor<3x1x1x1xi32>) -> tensor<1x2x2x1xi32> {
  %acc = qc.xnor_popcount %a, %w {depth = 32 : i64, conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x2x2x1xi32>, tensor<3x1x1x1xi32> -> tensor<1x2x2x3xi32>
  %f = tosa.cast %acc : (tensor<1x2x2x3xi32>) -> tensor<1x2x2x3xf32>
  %t = "tosa.const"() {value = dense<[[-1.5], [2.0], [0x7FC00000]]> : tensor<3x1xf32>} : () -> tensor<3x1xf32>
  %m = qc.multi_threshold %f, %t {out_scale = 2.0 : f64, out_bias = -1.0 : f64} : tensor<1x2x2x3xf32>, tensor<3x1xf32> -> tensor<1x2x2x3xf32>
  %p1 = "tosa.const"() {value = dense<[0, 3, 1, 2]> : tensor<4xi32>} : () -> tensor<4xi32>
  %p2 = "tosa.const"() {value = dense<[0, 2, 3, 1]> : tensor<4xi32>} : () -> tensor<4xi32>
  %nchw = tosa.transpose %m, %p1 : (tensor<1x2x2x3xf32>, tensor<4xi32>) -> tensor<1x3x2x2xf32>
  %q = qc.quantize %nchw : tensor<1x3x2x2xf32> -> tensor<1x3x2x2x!bin>
  %d = qc.dequantize %q : tensor<1x3x2x2x!bin> -> tensor<1x3x2x2xf32>
  %nhwc = tosa.transpose %d, %p2 : (tensor<1x3x2x2xf32>, tensor<4xi32>) -> tensor<1x2x2x3xf32>
  %s = qc.bitpack %nhwc : tensor<1x2x2x3xf32> -> tensor<1x2x2x1xi32>
  return %s : tensor<1x2x2x1xi32>
}

// -----

// Levels 0, 1, 2 (out_bias 0) are not signs: the float path stays.
// CHECK-LABEL: func.func @levels_not_signs
// CHECK: qc.multi_threshold
// CHECK: qc.bitpack
// CHECK-NOT: qc.threshold_pack
func.func @levels_not_signs(%acc: tensor<1x4x4x32xi16>) -> tensor<1x4x4x1xi32> {
  %f = tosa.cast %acc : (tensor<1x4x4x32xi16>) -> tensor<1x4x4x32xf32>
  %t = "tosa.const"() {value = dense<[[0.0, 1.0]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %m = qc.multi_threshold %f, %t : tensor<1x4x4x32xf32>, tensor<1x2xf32> -> tensor<1x4x4x32xf32>
  %s = qc.bitpack %m {nonzero} : tensor<1x4x4x32xf32> -> tensor<1x4x4x1xi32>
  return %s : tensor<1x4x4x1xi32>
}

// -----

// An i32 sum of unknown range: its f32 cast may round, so the integer
// thresholds would not be exact.
// CHECK-LABEL: func.func @wide_sum_unknown_range
// CHECK: qc.multi_threshold
// CHECK-NOT: qc.threshold_pack
func.func @wide_sum_unknown_range(%acc: tensor<1x4x4x32xi32>) -> tensor<1x4x4x1xi32> {
  %f = tosa.cast %acc : (tensor<1x4x4x32xi32>) -> tensor<1x4x4x32xf32>
  %t = "tosa.const"() {value = dense<[[0.0, 1.0]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %m = qc.multi_threshold %f, %t {out_bias = -1.0 : f64} : tensor<1x4x4x32xf32>, tensor<1x2xf32> -> tensor<1x4x4x32xf32>
  %s = qc.bitpack %m : tensor<1x4x4x32xf32> -> tensor<1x4x4x1xi32>
  return %s : tensor<1x4x4x1xi32>
}

// -----

// Transposes that do not cancel move channels: the float path stays.
// CHECK-LABEL: func.func @transposes_do_not_cancel
// CHECK: qc.multi_threshold
// CHECK-NOT: qc.threshold_pack
func.func @transposes_do_not_cancel(%acc: tensor<1x4x4x32xi16>) -> tensor<1x4x4x1xi32> {
  %f = tosa.cast %acc : (tensor<1x4x4x32xi16>) -> tensor<1x4x4x32xf32>
  %t = "tosa.const"() {value = dense<[[0.0, 1.0]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %m = qc.multi_threshold %f, %t {out_bias = -1.0 : f64} : tensor<1x4x4x32xf32>, tensor<1x2xf32> -> tensor<1x4x4x32xf32>
  %p = "tosa.const"() {value = dense<[0, 2, 1, 3]> : tensor<4xi32>} : () -> tensor<4xi32>
  %x = tosa.transpose %m, %p : (tensor<1x4x4x32xf32>, tensor<4xi32>) -> tensor<1x4x4x32xf32>
  %s = qc.bitpack %x : tensor<1x4x4x32xf32> -> tensor<1x4x4x1xi32>
  return %s : tensor<1x4x4x1xi32>
}
