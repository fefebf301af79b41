// RUN: qc-opt %s -split-input-file -qc-lower-macs=explain -verify-diagnostics

// qc-lower-macs=explain remarks on every conv2d and fully_connected: the
// kernel it takes, or the condition that keeps it on the float reference
// path. One case per kernel family and per way a layer can miss a kernel.

!act = !qc.binary<f32, alpha = [0.5]>
!w = !qc.binary<f32, alpha = [0.25, 2.0], axis = 0>

func.func @binary_dense(%x: tensor<?x40xf32>, %b: tensor<2xf32>) -> tensor<?x2xf32> {
  %q = qc.quantize %x : tensor<?x40xf32> -> tensor<?x40x!act>
  %d = qc.dequantize %q : tensor<?x40x!act> -> tensor<?x40xf32>
  %wc = qc.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32> -> tensor<2x40x!w>
  %w = qc.dequantize %wc : tensor<2x40x!w> -> tensor<2x40xf32>
  // expected-remark @+1 {{kernel: xnor-popcount}}
  %y = tosa.fully_connected %d, %w, %b : (tensor<?x40xf32>, tensor<2x40xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

!act = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>
!w = !qc.binary<f32, alpha = [0.5, 2.0], axis = 0>

func.func @sign_conv(%x: tensor<?x4x4x3xf32>, %b: tensor<2xf32>) -> tensor<?x4x4x2xf32> {
  %q = qc.quantize %x : tensor<?x4x4x3xf32> -> tensor<?x4x4x3x!act>
  %d = qc.dequantize %q : tensor<?x4x4x3x!act> -> tensor<?x4x4x3xf32>
  %wc = qc.constant dense<[[[[2]]], [[[3]]]]> : tensor<2x1x1x1xi32> -> tensor<2x1x1x3x!w>
  %w = qc.dequantize %wc : tensor<2x1x1x3x!w> -> tensor<2x1x1x3xf32>
  // expected-remark @+1 {{kernel: masked xnor-popcount}}
  %y = tosa.conv2d %d, %w, %b {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>) -> tensor<?x4x4x2xf32>
  return %y : tensor<?x4x4x2xf32>
}

// -----

!act = !quant.uniform<u8:f32, 0.5>
!w = !quant.uniform<i8<-127:127>:f32, 0.5>

// 8 x 8 bits > bitserial-max-bits = 5: the integer MAC.
func.func @uniform_dense(%x: tensor<1x4xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %q = qc.quantize %x : tensor<1x4xf32> -> tensor<1x4x!act>
  %d = qc.dequantize %q : tensor<1x4x!act> -> tensor<1x4xf32>
  %wc = qc.constant dense<[[1], [2]]> : tensor<2x1xi32> -> tensor<2x4x!w>
  %w = qc.dequantize %wc : tensor<2x4x!w> -> tensor<2x4xf32>
  // expected-remark @+1 {{kernel: integer MAC}}
  %y = tosa.fully_connected %d, %w, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

!w = !qc.binary<f32, alpha = [1.0, 1.0], axis = 0>

// Float input, +-1 weights: per-level accumulation, no popcount.
func.func @float_input_binary_weight(%x: tensor<1x40xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %wc = qc.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32> -> tensor<2x40x!w>
  %w = qc.dequantize %wc : tensor<2x40x!w> -> tensor<2x40xf32>
  // expected-remark @+1 {{kernel: add/subtract (binary weights)}}
  %y = tosa.fully_connected %x, %w, %b : (tensor<1x40xf32>, tensor<2x40xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A float weight (qc-quantize found no grid, or was not run): the worst
// output channel holds 17 distinct values.
func.func @float_weight(%x: tensor<1x17xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() <{value = dense<[[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6], [1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0]]> : tensor<2x17xf32>}> : () -> tensor<2x17xf32>
  // expected-remark @+1 {{float reference path: weight is float: no grid recognized (17 distinct values per channel)}}
  %y = tosa.fully_connected %x, %w, %b : (tensor<1x17xf32>, tensor<2x17xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A weight the model computes is no constant the kernels could pack.
func.func @weight_argument(%x: tensor<1x4xf32>, %w: tensor<2x4xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  // expected-remark @+1 {{float reference path: weight is not a quantized constant (it is a function argument)}}
  %y = tosa.fully_connected %x, %w, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

!act = !quant.uniform<u8:f32:1, {0.1, 0.2}>
!w = !quant.uniform<i8<-127:127>:f32, 0.5>

// Per-channel activation scales do not factor out of the dot product.
func.func @per_channel_uniform_input(%x: tensor<1x2xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %q = qc.quantize %x : tensor<1x2xf32> -> tensor<1x2x!act>
  %d = qc.dequantize %q : tensor<1x2x!act> -> tensor<1x2xf32>
  %wc = qc.constant dense<[[1], [2]]> : tensor<2x1xi16> -> tensor<2x2x!w>
  %w = qc.dequantize %wc : tensor<2x2x!w> -> tensor<2x2xf32>
  // expected-remark @+1 {{float reference path: input is not on a per-tensor grid (per-channel scales)}}
  %y = tosa.fully_connected %d, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

!act = !qc.binary<f32, alpha = [1.0, 2.0], axis = 1>
!w = !qc.binary<f32, alpha = [1.0, 1.0], axis = 0>

func.func @per_channel_binary_input(%x: tensor<1x2xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %q = qc.quantize %x : tensor<1x2xf32> -> tensor<1x2x!act>
  %d = qc.dequantize %q : tensor<1x2x!act> -> tensor<1x2xf32>
  %wc = qc.constant dense<[[1], [2]]> : tensor<2x1xi32> -> tensor<2x2x!w>
  %w = qc.dequantize %wc : tensor<2x2x!w> -> tensor<2x2xf32>
  // expected-remark @+1 {{float reference path: input is not on a per-tensor grid (per-channel alpha)}}
  %y = tosa.fully_connected %d, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

!act = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [2.0], delta = [0.5]>
!w = !qc.binary<f32, alpha = [1.0, 1.0], axis = 0>

func.func @asymmetric_ternary_input(%x: tensor<1x40xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %q = qc.quantize %x : tensor<1x40xf32> -> tensor<1x40x!act>
  %d = qc.dequantize %q : tensor<1x40x!act> -> tensor<1x40xf32>
  %wc = qc.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32> -> tensor<2x40x!w>
  %w = qc.dequantize %wc : tensor<2x40x!w> -> tensor<2x40xf32>
  // expected-remark @+1 {{float reference path: input's ternary grid is asymmetric (alpha_p 2 != alpha_n 1): not +-alpha times a sign}}
  %y = tosa.fully_connected %d, %w, %b : (tensor<1x40xf32>, tensor<2x40xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

!act = !qc.binary<f32, alpha = [1.0]>
!w = !quant.uniform<i8<-127:127>:f32, 0.5>

// Sign activations against 8-bit weights: XNOR needs both sides binary.
func.func @binary_input_int8_weight(%x: tensor<1x4xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %q = qc.quantize %x : tensor<1x4xf32> -> tensor<1x4x!act>
  %d = qc.dequantize %q : tensor<1x4x!act> -> tensor<1x4xf32>
  %wc = qc.constant dense<[[1], [2]]> : tensor<2x1xi32> -> tensor<2x4x!w>
  %w = qc.dequantize %wc : tensor<2x4x!w> -> tensor<2x4xf32>
  // expected-remark @+1 {{float reference path: binary and ternary activations take XNOR-popcount only with binary weights, not 8-bit uniform}}
  %y = tosa.fully_connected %d, %w, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

!w = !quant.uniform<i8<-127:127>:f32, 0.5>

// Float activations: only weights with few levels have a kernel.
func.func @float_input_int8_weight(%x: tensor<1x4xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %wc = qc.constant dense<[[1], [2]]> : tensor<2x1xi32> -> tensor<2x4x!w>
  %w = qc.dequantize %wc : tensor<2x4x!w> -> tensor<2x4xf32>
  // expected-remark @+1 {{float reference path: float activations with 8-bit uniform weights: too many weight levels (a kernel on float activations needs codebook, binary, ternary or power-of-two weights)}}
  %y = tosa.fully_connected %x, %w, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

!act = !quant.uniform<i16:f32, 1.0>
!w = !quant.uniform<i8:f32, 1.0>

// K = 2048 products of |c - z| <= 2^15 and |w| <= 2^7 (every code is
// 0x80 = -128): the bound 2^11 * 2^15 * 2^7 = 2^33 does not fit an i32.
func.func @accumulator_too_wide(%x: tensor<1x2048xf32>, %b: tensor<1xf32>) -> tensor<1x1xf32> {
  %q = qc.quantize %x : tensor<1x2048xf32> -> tensor<1x2048x!act>
  %d = qc.dequantize %q : tensor<1x2048x!act> -> tensor<1x2048xf32>
  %wc = qc.constant dense<-2139062144> : tensor<1x512xi32> -> tensor<1x2048x!w>
  %w = qc.dequantize %wc : tensor<1x2048x!w> -> tensor<1x2048xf32>
  // expected-remark @+1 {{float reference path: accumulator bound 2^33 needs more than 31 bits (K = 2048 products x max |c - z| = 32768 x max |w| = 128)}}
  %y = tosa.fully_connected %d, %w, %b : (tensor<1x2048xf32>, tensor<1x2048xf32>, tensor<1xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}

// -----

!act = !qc.binary<f32, alpha = [1.0]>
!w = !qc.binary<f32, alpha = [1.0, 1.0], axis = 0>

func.func @dynamic_window(%x: tensor<1x?x?x3xf32>, %b: tensor<2xf32>) -> tensor<1x?x?x2xf32> {
  %q = qc.quantize %x : tensor<1x?x?x3xf32> -> tensor<1x?x?x3x!act>
  %d = qc.dequantize %q : tensor<1x?x?x3x!act> -> tensor<1x?x?x3xf32>
  %wc = qc.constant dense<[[[[2]]], [[[3]]]]> : tensor<2x1x1x1xi32> -> tensor<2x1x1x3x!w>
  %w = qc.dequantize %wc : tensor<2x1x1x3x!w> -> tensor<2x1x1x3xf32>
  // expected-remark @+1 {{float reference path: dynamic H/W: the kernels need a static input H and W and kernel KH and KW (input 1x?x?x3, weight 2x1x1x3)}}
  %y = tosa.conv2d %d, %w, %b {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x?x?x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>) -> tensor<1x?x?x2xf32>
  return %y : tensor<1x?x?x2xf32>
}

// -----

!act = !qc.binary<f32, alpha = [1.0]>
!w = !qc.binary<f32, alpha = [1.0, 1.0, 1.0], axis = 0>

// The stored weight's rows are the layer's input channels: a transpose
// that moves the output channels would need every alpha per column.
func.func @transpose_moves_output_channels(%x: tensor<1x3xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %q = qc.quantize %x : tensor<1x3xf32> -> tensor<1x3x!act>
  %d = qc.dequantize %q : tensor<1x3x!act> -> tensor<1x3xf32>
  %wc = qc.constant dense<[[1], [2], [3]]> : tensor<3x1xi8> -> tensor<3x2x!w>
  %wd = qc.dequantize %wc : tensor<3x2x!w> -> tensor<3x2xf32>
  %perm = "tosa.const"() <{value = dense<[1, 0]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %w = tosa.transpose %wd, %perm : (tensor<3x2xf32>, tensor<2xi32>) -> tensor<2x3xf32>
  // expected-remark @+1 {{float reference path: weight is read through a transpose that moves the output channels (perms [1, 0])}}
  %y = tosa.fully_connected %d, %w, %b : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

!act = !qc.binary<f32, alpha = [1.0]>
!w = !qc.binary<f32, alpha = [1.0, 2.0], axis = 1>

func.func @weight_alpha_per_input(%x: tensor<1x2xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %q = qc.quantize %x : tensor<1x2xf32> -> tensor<1x2x!act>
  %d = qc.dequantize %q : tensor<1x2x!act> -> tensor<1x2xf32>
  %wc = qc.constant dense<[[1], [2]]> : tensor<2x1xi8> -> tensor<2x2x!w>
  %w = qc.dequantize %wc : tensor<2x2x!w> -> tensor<2x2xf32>
  // expected-remark @+1 {{float reference path: weight's per-channel parameters run along axis 1, not the output channels (axis 0)}}
  %y = tosa.fully_connected %d, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
