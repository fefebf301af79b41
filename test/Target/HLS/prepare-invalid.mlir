// RUN: qc-opt %s -split-input-file -qc-hls-prepare -verify-diagnostics

// expected-error @+1 {{qc-hls-prepare: expected one function with quantized kernels for the FPGA, found 0}}
module {
  func.func @float(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    return %x : tensor<?x4xf32>
  }
}

// -----

// expected-error @+1 {{qc-hls-prepare: the FPGA function must take one tensor and return one}}
func.func @two_inputs(%a: tensor<?x1xi32>, %m: tensor<?x1xi32>) -> tensor<?x2xi32> {
  %w = arith.constant dense<1> : tensor<2x1xi32>
  %0 = qc.xnor_popcount %a, %w mask %m {depth = 8 : i64} : tensor<?x1xi32>, tensor<2x1xi32>, tensor<?x1xi32> -> tensor<?x2xi32>
  return %0 : tensor<?x2xi32>
}

// -----

func.func @bitserial(%a: tensor<2x?x1xi32>) -> tensor<?x2xi32> {
  %w = arith.constant dense<1> : tensor<2x2x1xi32>
  // expected-error @+1 {{HLS layer 'layer0': its activations must be qc.bitplane_pack of integer codes}}
  %0 = qc.bitserial_popcount %a, %w {depth = 8 : i64, input_encoding = #qc.encoding<unsigned>, weight_encoding = #qc.encoding<unsigned>} : tensor<2x?x1xi32>, tensor<2x2x1xi32> -> tensor<?x2xi32>
  return %0 : tensor<?x2xi32>
}

// -----

!t = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>
func.func @no_cast(%x: tensor<?x8xf32>) -> tensor<?x2xi16> {
  %q = qc.quantize %x : tensor<?x8xf32> -> tensor<?x8x!t>
  %v = qc.dequantize %q : tensor<?x8x!t> -> tensor<?x8xf32>
  %s = qc.bitpack %v : tensor<?x8xf32> -> tensor<?x1xi8>
  %m = qc.bitpack %v {nonzero} : tensor<?x8xf32> -> tensor<?x1xi8>
  %w = arith.constant dense<3> : tensor<2x1xi8>
  // expected-error @+1 {{HLS layer 'layer0': its sums must be cast to f32}}
  %0 = qc.xnor_popcount %s, %w mask %m {depth = 8 : i64} : tensor<?x1xi8>, tensor<2x1xi8>, tensor<?x1xi8> -> tensor<?x2xi16>
  return %0 : tensor<?x2xi16>
}

// -----

!t = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>
func.func @fractional_levels(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
  %q = qc.quantize %x : tensor<?x8xf32> -> tensor<?x8x!t>
  %v = qc.dequantize %q : tensor<?x8x!t> -> tensor<?x8xf32>
  %s = qc.bitpack %v : tensor<?x8xf32> -> tensor<?x1xi8>
  %m = qc.bitpack %v {nonzero} : tensor<?x8xf32> -> tensor<?x1xi8>
  %w = arith.constant dense<3> : tensor<2x1xi8>
  %0 = qc.xnor_popcount %s, %w mask %m {depth = 8 : i64} : tensor<?x1xi8>, tensor<2x1xi8>, tensor<?x1xi8> -> tensor<?x2xi16>
  %1 = tosa.cast %0 : (tensor<?x2xi16>) -> tensor<?x2xf32>
  %t = arith.constant dense<[[0.5]]> : tensor<1x1xf32>
  // expected-error @+1 {{HLS layer 'layer0': its levels must be integers (count * 0.5 + 0)}}
  %2 = qc.multi_threshold %1, %t {out_scale = 0.5 : f64} : tensor<?x2xf32>, tensor<1x1xf32> -> tensor<?x2xf32>
  return %2 : tensor<?x2xf32>
}

// -----

!t = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>
func.func @dilated(%x: tensor<?x5x5x8xf32>) -> tensor<?x1x1x2xf32> {
  %q = qc.quantize %x : tensor<?x5x5x8xf32> -> tensor<?x5x5x8x!t>
  %v = qc.dequantize %q : tensor<?x5x5x8x!t> -> tensor<?x5x5x8xf32>
  %s = qc.bitpack %v : tensor<?x5x5x8xf32> -> tensor<?x5x5x1xi8>
  %m = qc.bitpack %v {nonzero} : tensor<?x5x5x8xf32> -> tensor<?x5x5x1xi8>
  %w = arith.constant dense<3> : tensor<2x3x3x1xi8>
  // expected-error @+1 {{HLS layer 'layer0': dilated convolutions are not supported}}
  %0 = qc.xnor_popcount %s, %w mask %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [2, 2]>, depth = 8 : i64} : tensor<?x5x5x1xi8>, tensor<2x3x3x1xi8>, tensor<?x5x5x1xi8> -> tensor<?x1x1x2xi16>
  %1 = tosa.cast %0 : (tensor<?x1x1x2xi16>) -> tensor<?x1x1x2xf32>
  return %1 : tensor<?x1x1x2xf32>
}

// -----

func.func @float_input(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
  %s = qc.bitpack %x : tensor<?x8xf32> -> tensor<?x1xi8>
  %w = arith.constant dense<3> : tensor<2x1xi8>
  // expected-error @+1 {{HLS layer 'layer0': its input needs a binary or ternary quantize-dequantize of scale 1}}
  %0 = qc.xnor_popcount %s, %w {depth = 8 : i64} : tensor<?x1xi8>, tensor<2x1xi8> -> tensor<?x2xi16>
  %1 = tosa.cast %0 : (tensor<?x2xi16>) -> tensor<?x2xf32>
  return %1 : tensor<?x2xf32>
}
