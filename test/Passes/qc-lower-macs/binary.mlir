// RUN: qc-opt %s -split-input-file -qc-lower-macs | FileCheck %s

!act = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>
!w = !qc.binary<f32, alpha = [0.5, 2.0], axis = 0>

// Ternary (Sign) activations through a transpose, binary weights: signs and
// non-zero mask are packed, padding is zero through the mask, and the
// output transform scales by alpha_w * alpha_a = [0.5, 2.0] * 1. |acc| <=
// K = 3 * 1 * 1: an i16 accumulator.
// Weight rows (O = 2, C = 3): [+, -, +] -> word 2, [-, -, +] -> word 3.
// CHECK-LABEL: func.func @sign_conv
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x4x4xf32>, %[[B:.*]]: tensor<2xf32>)
// CHECK: %[[Q:.*]] = qc.quantize %[[X]]
// CHECK: %[[D:.*]] = qc.dequantize %[[Q]]
// CHECK: %[[T:.*]] = tosa.transpose %[[D]]
// CHECK: %[[S:.*]] = qc.bitpack %[[T]] : tensor<?x4x4x3xf32> -> tensor<?x4x4x1xi32>
// CHECK: %[[M:.*]] = qc.bitpack %[[T]] {nonzero} : tensor<?x4x4x3xf32> -> tensor<?x4x4x1xi32>
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}2]]], {{\[\[\[}}3]]]]> : tensor<2x1x1x1xi32>
// CHECK: %[[ACC:.*]] = qc.xnor_popcount %[[S]], %[[W]] mask %[[M]] {conv = #qc.conv<strides = [1, 1], pad = [1, 1, 1, 1], dilation = [1, 1]>, depth = 3 : i64} : tensor<?x4x4x1xi32>, tensor<2x1x1x1xi32>, tensor<?x4x4x1xi32> -> tensor<?x6x6x2xi16>
// CHECK: %[[F:.*]] = tosa.cast %[[ACC]] : (tensor<?x6x6x2xi16>) -> tensor<?x6x6x2xf32>
// CHECK: %[[SCALE:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}5.000000e-01, 2.000000e+00]]]]> : tensor<1x1x1x2xf32>}>
// CHECK: %[[MUL:.*]] = tosa.mul %[[F]], %[[SCALE]] {shift = 0 : i8}
// CHECK: %[[RB:.*]] = tosa.reshape %[[B]] {new_shape = array<i64: 1, 1, 1, 2>}
// CHECK: %[[Y:.*]] = tosa.add %[[MUL]], %[[RB]]
// CHECK-NOT: tosa.conv2d
// CHECK: return %[[Y]]
func.func @sign_conv(%x: tensor<?x3x4x4xf32>, %b: tensor<2xf32>) -> tensor<?x6x6x2xf32> {
  %q = qc.quantize %x : tensor<?x3x4x4xf32> -> tensor<?x3x4x4x!act>
  %d = qc.dequantize %q : tensor<?x3x4x4x!act> -> tensor<?x3x4x4xf32>
  %perm = "tosa.const"() <{value = dense<[0, 2, 3, 1]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %t = tosa.transpose %d, %perm : (tensor<?x3x4x4xf32>, tensor<4xi32>) -> tensor<?x4x4x3xf32>
  %wc = qc.constant dense<[[[[2]]], [[[3]]]]> : tensor<2x1x1x1xi32> -> tensor<2x1x1x3x!w>
  %w = qc.dequantize %wc : tensor<2x1x1x3x!w> -> tensor<2x1x1x3xf32>
  %y = tosa.conv2d %t, %w, %b {dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<?x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>) -> tensor<?x6x6x2xf32>
  return %y : tensor<?x6x6x2xf32>
}

// -----

!act = !qc.binary<f32, alpha = [0.5]>
!w = !qc.binary<f32, alpha = [0.25, 2.0], axis = 0>

// Binary activations (alpha 0.5) into a dense layer: no mask; the scale is
// alpha_w * alpha_a = [0.125, 1.0].
// CHECK-LABEL: func.func @binary_dense
// CHECK: %[[S:.*]] = qc.bitpack %{{.*}} : tensor<?x40xf32> -> tensor<?x2xi32>
// CHECK-NOT: nonzero
// CHECK: %[[ACC:.*]] = qc.xnor_popcount %[[S]], %{{.*}} {depth = 40 : i64} : tensor<?x2xi32>, tensor<2x2xi32> -> tensor<?x2xi16>
// CHECK: dense<{{\[\[}}1.250000e-01, 1.000000e+00]]> : tensor<1x2xf32>
// CHECK-NOT: tosa.fully_connected
func.func @binary_dense(%x: tensor<?x40xf32>, %b: tensor<2xf32>) -> tensor<?x2xf32> {
  %q = qc.quantize %x : tensor<?x40xf32> -> tensor<?x40x!act>
  %d = qc.dequantize %q : tensor<?x40x!act> -> tensor<?x40xf32>
  %wc = qc.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32> -> tensor<2x40x!w>
  %w = qc.dequantize %wc : tensor<2x40x!w> -> tensor<2x40xf32>
  %y = tosa.fully_connected %d, %w, %b : (tensor<?x40xf32>, tensor<2x40xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

!act = !qc.binary<f32, alpha = [1.0]>
!w = !qc.binary<f32, alpha = [1.0, 1.0], axis = 0>

// An OIHW weight read through a transpose to OHWI (as QONNX exports it) is
// repacked along the new innermost axis. OIHW 2x3x1x1 codes
// [[1, 0, 1], [0, 0, 1]] (one code per word) -> OHWI rows 0b101 = 5 and
// 0b100 = 4.
// CHECK-LABEL: func.func @transposed_weight
// CHECK: arith.constant dense<{{\[\[\[\[}}5]]], {{\[\[\[}}4]]]]> : tensor<2x1x1x1xi32>
// CHECK: qc.xnor_popcount
// CHECK-NOT: tosa.conv2d
func.func @transposed_weight(%x: tensor<1x2x2x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x2x2xf32> {
  %q = qc.quantize %x : tensor<1x2x2x3xf32> -> tensor<1x2x2x3x!act>
  %d = qc.dequantize %q : tensor<1x2x2x3x!act> -> tensor<1x2x2x3xf32>
  %wc = qc.constant dense<[[[[1]], [[0]], [[1]]], [[[0]], [[0]], [[1]]]]> : tensor<2x3x1x1xi32> -> tensor<2x3x1x1x!w>
  %w = qc.dequantize %wc : tensor<2x3x1x1x!w> -> tensor<2x3x1x1xf32>
  %perm = "tosa.const"() <{value = dense<[0, 2, 3, 1]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %wt = tosa.transpose %w, %perm : (tensor<2x3x1x1xf32>, tensor<4xi32>) -> tensor<2x1x1x3xf32>
  %y = tosa.conv2d %d, %wt, %b {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

!w = !qc.binary<f32, alpha = [1.0, 1.0], axis = 0>

// A float input is not on a popcount grid: the +-1 weights become an
// add/subtract accumulation instead. The codes (bit 1 = -1) are element 0
// and 33 of row 0 (words 1, 2), elements 0, 1 and 34 of row 1 (words 3, 4);
// code 0 stands for +1, code 1 for -1.
// CHECK-LABEL: func.func @float_input_add_subtract
// CHECK-NOT: qc.xnor_popcount
// CHECK: %[[I:.*]] = arith.constant dense<{{\[}}[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]]> : tensor<2x40xi8>
// CHECK: %[[T:.*]] = arith.constant dense<{{\[}}[1.000000e+00, -1.000000e+00], [1.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
// CHECK: qc.codebook_accumulate %{{.*}}, %[[I]], %[[T]] : tensor<1x40xf32>, tensor<2x40xi8>, tensor<2x2xf32> -> tensor<1x2xf32>
// CHECK-NOT: tosa.fully_connected
func.func @float_input_add_subtract(%x: tensor<1x40xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %wc = qc.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32> -> tensor<2x40x!w>
  %w = qc.dequantize %wc : tensor<2x40x!w> -> tensor<2x40xf32>
  %y = tosa.fully_connected %x, %w, %b : (tensor<1x40xf32>, tensor<2x40xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

!act = !qc.binary<f32, alpha = [1.0]>
!w = !quant.uniform<i8<-127:127>:f32, 0.5>

// 8-bit weights have no popcount kernel here: the layer stays.
// CHECK-LABEL: func.func @no_lower_int8_weight
// CHECK-NOT: qc.xnor_popcount
// CHECK: tosa.fully_connected
func.func @no_lower_int8_weight(%x: tensor<1x4xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %q = qc.quantize %x : tensor<1x4xf32> -> tensor<1x4x!act>
  %d = qc.dequantize %q : tensor<1x4x!act> -> tensor<1x4xf32>
  %wc = qc.constant dense<[[1], [2]]> : tensor<2x1xi32> -> tensor<2x4x!w>
  %w = qc.dequantize %wc : tensor<2x4x!w> -> tensor<2x4xf32>
  %y = tosa.fully_connected %d, %w, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

!act = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [2.0], delta = [0.5]>
!w = !qc.binary<f32, alpha = [1.0, 1.0], axis = 0>

// Asymmetric ternary activations (alpha_p != alpha_n) are not +-alpha
// times a sign: the layer stays.
// CHECK-LABEL: func.func @no_lower_asymmetric_ternary
// CHECK-NOT: qc.xnor_popcount
// CHECK: tosa.fully_connected
func.func @no_lower_asymmetric_ternary(%x: tensor<1x40xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %q = qc.quantize %x : tensor<1x40xf32> -> tensor<1x40x!act>
  %d = qc.dequantize %q : tensor<1x40x!act> -> tensor<1x40xf32>
  %wc = qc.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32> -> tensor<2x40x!w>
  %w = qc.dequantize %wc : tensor<2x40x!w> -> tensor<2x40xf32>
  %y = tosa.fully_connected %d, %w, %b : (tensor<1x40xf32>, tensor<2x40xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

!act = !qc.binary<f32, alpha = [1.0, 2.0], axis = 1>
!w = !qc.binary<f32, alpha = [1.0, 1.0], axis = 0>

// Per-channel activation scales do not factor out of the dot product.
// CHECK-LABEL: func.func @no_lower_per_channel_activation
// CHECK-NOT: qc.xnor_popcount
// CHECK: tosa.fully_connected
func.func @no_lower_per_channel_activation(%x: tensor<1x2xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %q = qc.quantize %x : tensor<1x2xf32> -> tensor<1x2x!act>
  %d = qc.dequantize %q : tensor<1x2x!act> -> tensor<1x2xf32>
  %wc = qc.constant dense<[[1], [2]]> : tensor<2x1xi32> -> tensor<2x2x!w>
  %w = qc.dequantize %wc : tensor<2x2x!w> -> tensor<2x2xf32>
  %y = tosa.fully_connected %d, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

!act = !qc.binary<f32, alpha = [1.0]>
!w = !qc.binary<f32, alpha = [1.0, 1.0], axis = 0>

// A max-pool whose padding is as large as its kernel has windows of padding
// alone, which give -inf: its output is not on the sign grid, so the layer
// gets no XNOR kernel (the per-level accumulation works on the floats).
// CHECK-LABEL: func.func @no_xnor_through_pool_of_padding
// CHECK: tosa.max_pool2d
// CHECK-NOT: qc.xnor_popcount
// CHECK: qc.codebook_accumulate
func.func @no_xnor_through_pool_of_padding(%x: tensor<1x4x4x3xf32>, %b: tensor<2xf32>) -> tensor<1x4x3x2xf32> {
  %q = qc.quantize %x : tensor<1x4x4x3xf32> -> tensor<1x4x4x3x!act>
  %d = qc.dequantize %q : tensor<1x4x4x3x!act> -> tensor<1x4x4x3xf32>
  %p = tosa.max_pool2d %d {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 2, 0>, stride = array<i64: 1, 2>} : (tensor<1x4x4x3xf32>) -> tensor<1x3x3x3xf32>
  %wc = qc.constant dense<[[[[2]]], [[[3]]]]> : tensor<2x1x1x1xi32> -> tensor<2x1x1x3x!w>
  %w = qc.dequantize %wc : tensor<2x1x1x3x!w> -> tensor<2x1x1x3xf32>
  %y = tosa.conv2d %p, %w, %b {dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>) -> tensor<1x4x3x2xf32>
  return %y : tensor<1x4x3x2xf32>
}

// -----

!act = !qc.binary<f32, alpha = [1.0]>
!w = !qc.binary<f32, alpha = [1.0]>

// |acc| can reach K = 40000 > 2^15 - 1: the accumulator is i32.
// CHECK-LABEL: func.func @wide_accumulator
// CHECK: qc.xnor_popcount {{.*}} -> tensor<1x1xi32>
func.func @wide_accumulator(%x: tensor<1x40000xf32>, %b: tensor<1xf32>) -> tensor<1x1xf32> {
  %q = qc.quantize %x : tensor<1x40000xf32> -> tensor<1x40000x!act>
  %d = qc.dequantize %q : tensor<1x40000x!act> -> tensor<1x40000xf32>
  %wc = qc.constant dense<0> : tensor<1x1250xi32> -> tensor<1x40000x!w>
  %w = qc.dequantize %wc : tensor<1x40000x!w> -> tensor<1x40000xf32>
  %y = tosa.fully_connected %d, %w, %b : (tensor<1x40000xf32>, tensor<1x40000xf32>, tensor<1xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}

// -----

!act = !qc.binary<f32, alpha = [1.0]>
!w = !qc.binary<f32, alpha = [1.0, 1.0], axis = 0>

// The popcount kernels' loops need static H and W: with a dynamic spatial
// size the binary layer stays on the reference path.
// CHECK-LABEL: func.func @no_xnor_with_dynamic_window
// CHECK-NOT: qc.xnor_popcount
// CHECK: tosa.conv2d
func.func @no_xnor_with_dynamic_window(%x: tensor<1x?x?x3xf32>, %b: tensor<2xf32>) -> tensor<1x?x?x2xf32> {
  %q = qc.quantize %x : tensor<1x?x?x3xf32> -> tensor<1x?x?x3x!act>
  %d = qc.dequantize %q : tensor<1x?x?x3x!act> -> tensor<1x?x?x3xf32>
  %wc = qc.constant dense<[[[[2]]], [[[3]]]]> : tensor<2x1x1x1xi32> -> tensor<2x1x1x3x!w>
  %w = qc.dequantize %wc : tensor<2x1x1x3x!w> -> tensor<2x1x1x3xf32>
  %y = tosa.conv2d %d, %w, %b {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x?x?x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>) -> tensor<1x?x?x2xf32>
  return %y : tensor<1x?x?x2xf32>
}

// -----

!act = !quant.uniform<u8:f32, 0.5>
!w = !qc.ternary<f32, alpha_n = [1.0, 1.0], alpha_p = [1.0, 1.0], delta = [0.5, 0.5], axis = 0>

// Nor do the integer kernels take a dynamic window: the layer stays on
// the reference path.
// CHECK-LABEL: func.func @no_integer_kernel_with_dynamic_window
// CHECK-NOT: qc.ternary_popcount
// CHECK-NOT: linalg.conv_2d_nhwc_fhwc
// CHECK: tosa.conv2d
func.func @no_integer_kernel_with_dynamic_window(%x: tensor<1x?x?x3xf32>, %b: tensor<2xf32>) -> tensor<1x?x?x2xf32> {
  %q = qc.quantize %x : tensor<1x?x?x3xf32> -> tensor<1x?x?x3x!act>
  %d = qc.dequantize %q : tensor<1x?x?x3x!act> -> tensor<1x?x?x3xf32>
  %wc = qc.constant dense<[[[[13]]], [[[61]]]]> : tensor<2x1x1x1xi8> -> tensor<2x1x1x3x!w>
  %w = qc.dequantize %wc : tensor<2x1x1x3x!w> -> tensor<2x1x1x3xf32>
  %y = tosa.conv2d %d, %w, %b {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x?x?x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>) -> tensor<1x?x?x2xf32>
  return %y : tensor<1x?x?x2xf32>
}
