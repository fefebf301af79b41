// RUN: qc-opt %s -split-input-file -verify-diagnostics

// Every verifier branch of the qc types, attributes and ops, one case each.

// expected-error @+1 {{quantization axis must be -1 (per tensor) or non-negative, got -2}}
func.func @f(%a: tensor<4x!qc.binary<f32, alpha = [1.0], axis = -2>>)

// -----

// expected-error @+1 {{'alpha' must not be empty}}
func.func @f(%a: tensor<4x!qc.binary<f32, alpha = []>>)

// -----

// expected-error @+1 {{per-tensor quantization takes exactly one 'alpha', got 2}}
func.func @f(%a: tensor<4x!qc.binary<f32, alpha = [1.0, 2.0]>>)

// -----

// expected-error @+1 {{'alpha' entry 0 is not finite}}
func.func @f(%a: tensor<4x!qc.binary<f32, alpha = [0x7FF0000000000000]>>)

// -----

// expected-error @+1 {{'alpha' entry 1 must be non-negative, got -5.000000e-01}}
func.func @f(%a: tensor<2x!qc.binary<f32, alpha = [1.0, -0.5], axis = 0>>)

// -----

// expected-error @+1 {{'alpha_n', 'alpha_p' and 'delta' must have the same number of entries, got 2, 2 and 1}}
func.func @f(%a: tensor<2x!qc.ternary<f32, alpha_n = [1.0, 1.0], alpha_p = [1.0, 1.0], delta = [0.5], axis = 0>>)

// -----

// expected-error @+1 {{'delta' entry 0 must be non-negative}}
func.func @f(%a: tensor<4x!qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [-0.5]>>)

// -----

// expected-error @+1 {{'alpha_p' entry 0 is not finite}}
func.func @f(%a: tensor<4x!qc.ternary<f32, alpha_n = [1.0], alpha_p = [0x7FF8000000000000], delta = [0.5]>>)

// -----

// expected-error @+1 {{'scale' entry 0 must be positive, got 0.000000e+00}}
func.func @f(%a: tensor<4x!qc.pot<f32, scale = [0.0], emin = -3, emax = 0>>)

// -----

// expected-error @+1 {{'scale' entry 0 must be positive, got -1.000000e+00}}
func.func @f(%a: tensor<4x!qc.pot<f32, scale = [-1.0], emin = -3, emax = 0>>)

// -----

// expected-error @+1 {{exponent range is empty: emin (2) > emax (1)}}
func.func @f(%a: tensor<4x!qc.pot<f32, scale = [1.0], emin = 2, emax = 1>>)

// -----

// expected-error @+1 {{exponents must lie in [-126, 127], got [-200, 0]}}
func.func @f(%a: tensor<4x!qc.pot<f32, scale = [1.0], emin = -200, emax = 0>>)

// -----

// expected-error @+1 {{exponent range [-126, 127] needs 9 bits with sign and zero code; at most 8 are supported}}
func.func @f(%a: tensor<4x!qc.pot<f32, scale = [1.0], emin = -126, emax = 127>>)

// -----

// expected-error @+1 {{codebook index width must be 1 to 8 bits, got 0}}
func.func @f(%a: tensor<4x!qc.codebook<f32, bits = 0, centroids = dense<[1.0]> : tensor<1xf64>>>)

// -----

// expected-error @+1 {{codebook index width must be 1 to 8 bits, got 9}}
func.func @f(%a: tensor<4x!qc.codebook<f32, bits = 9, centroids = dense<[1.0]> : tensor<1xf64>>>)

// -----

// expected-error @+1 {{'centroids' must be a 1-D table [k] per tensor, got rank 2}}
func.func @f(%a: tensor<4x!qc.codebook<f32, bits = 2, centroids = dense<[[1.0]]> : tensor<1x1xf64>>>)

// -----

// expected-error @+1 {{'centroids' must be a 2-D table [channels, k] per axis, got rank 1}}
func.func @f(%a: tensor<4x!qc.codebook<f32, bits = 2, centroids = dense<[1.0]> : tensor<1xf64>, axis = 0>>)

// -----

// expected-error @+1 {{codebook has 5 centroids, more than 2^2 = 4 indices can address}}
func.func @f(%a: tensor<4x!qc.codebook<f32, bits = 2, centroids = dense<[1.0, 2.0, 3.0, 4.0, 5.0]> : tensor<5xf64>>>)

// -----

// expected-error @+1 {{centroids must be sorted strictly ascending: centroid 2 (1.000000e+00) does not exceed centroid 1 (2.000000e+00)}}
func.func @f(%a: tensor<4x!qc.codebook<f32, bits = 2, centroids = dense<[0.0, 2.0, 1.0]> : tensor<3xf64>>>)

// -----

// expected-error @+1 {{centroids must be sorted strictly ascending in each row: centroid 1 (0.000000e+00) does not exceed centroid 0 (0.000000e+00) in row 1}}
func.func @f(%a: tensor<2x!qc.codebook<f32, bits = 1, centroids = dense<[[0.0, 1.0], [0.0, 0.0]]> : tensor<2x2xf64>, axis = 0>>)

// -----

// expected-error @+1 {{centroid 1 is not finite}}
func.func @f(%a: tensor<4x!qc.codebook<f32, bits = 2, centroids = dense<[0.0, 0x7FF0000000000000]> : tensor<2xf64>>>)

// -----

// expected-error @+1 {{'centroids' must not be empty}}
func.func @f(%a: tensor<4x!qc.codebook<f32, bits = 2, centroids = dense<> : tensor<0xf64>>>)

// -----

// expected-error @+1 {{quantization axis must be -1 (per tensor) or non-negative, got -3}}
func.func @f(%a: tensor<4x!qc.codebook<f32, bits = 2, centroids = dense<[1.0]> : tensor<1xf64>, axis = -3>>)

// -----

// expected-error @+1 {{'strides' must have 2 entries (H, W), got 1}}
func.func @f() attributes {c = #qc.conv<strides = [1], pad = [0, 0, 0, 0], dilation = [1, 1]>}

// -----

// expected-error @+1 {{'pad' must have 4 entries (top, bottom, left, right), got 2}}
func.func @f() attributes {c = #qc.conv<strides = [1, 1], pad = [0, 0], dilation = [1, 1]>}

// -----

// expected-error @+1 {{'dilation' must have 2 entries (H, W), got 3}}
func.func @f() attributes {c = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1, 1]>}

// -----

// expected-error @+1 {{strides must be positive, got 0}}
func.func @f() attributes {c = #qc.conv<strides = [1, 0], pad = [0, 0, 0, 0], dilation = [1, 1]>}

// -----

// expected-error @+1 {{padding must be non-negative, got -1}}
func.func @f() attributes {c = #qc.conv<strides = [1, 1], pad = [0, -1, 0, 0], dilation = [1, 1]>}

// -----

// expected-error @+1 {{dilation must be positive, got 0}}
func.func @f() attributes {c = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [0, 1]>}

// -----

// expected-error @+1 {{groups must be positive, got 0}}
func.func @f() attributes {c = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1], groups = 0>}

// -----

// expected-error @+2 {{'qc.quantize' op float shape 2x4 does not match quantized shape 4x2}}
func.func @f(%x: tensor<2x4xf32>) {
  %0 = qc.quantize %x : tensor<2x4xf32> -> tensor<4x2x!qc.binary<f32, alpha = [1.0]>>
  return
}

// -----

// expected-error @+2 {{'qc.quantize' op quantized type expresses 'f32' but the float tensor holds 'f16'}}
func.func @f(%x: tensor<4xf16>) {
  %0 = qc.quantize %x : tensor<4xf16> -> tensor<4x!qc.binary<f32, alpha = [1.0]>>
  return
}

// -----

// expected-error @+2 {{'qc.quantize' op quantized tensor is quantized along axis 2, which is out of range for a tensor of rank 2}}
func.func @f(%x: tensor<2x4xf32>) {
  %0 = qc.quantize %x : tensor<2x4xf32> -> tensor<2x4x!qc.binary<f32, alpha = [1.0, 1.0], axis = 2>>
  return
}

// -----

// expected-error @+2 {{'qc.quantize' op quantized tensor has 3 quantization parameter sets along axis 0, but that axis has size 2}}
func.func @f(%x: tensor<2x4xf32>) {
  %0 = qc.quantize %x : tensor<2x4xf32> -> tensor<2x4x!qc.binary<f32, alpha = [1.0, 1.0, 1.0], axis = 0>>
  return
}

// -----

// expected-error @+2 {{'qc.quantize' op quantized tensor has 3 quantization parameter sets along axis 1, but that axis has size 4}}
func.func @f(%x: tensor<2x4xf32>) {
  %0 = qc.quantize %x : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>
  return
}

// -----

// expected-error @+2 {{'qc.quantize' op operand #0 must be ranked tensor of floating-point values}}
func.func @f(%x: tensor<4xi32>) {
  %0 = qc.quantize %x : tensor<4xi32> -> tensor<4x!qc.binary<f32, alpha = [1.0]>>
  return
}

// -----

// expected-error @+2 {{'qc.dequantize' op float shape 3 does not match quantized shape 4}}
func.func @f(%x: tensor<4x!qc.binary<f32, alpha = [1.0]>>) {
  %0 = qc.dequantize %x : tensor<4x!qc.binary<f32, alpha = [1.0]>> -> tensor<3xf32>
  return
}

// -----

// expected-error @+2 {{'qc.dequantize' op result #0 must be ranked tensor of floating-point values}}
func.func @f(%x: tensor<4x!qc.binary<f32, alpha = [1.0]>>) {
  %0 = qc.dequantize %x : tensor<4x!qc.binary<f32, alpha = [1.0]>> -> tensor<4xi8>
  return
}

// -----

// expected-error @+2 {{'qc.constant' op value must be dense i8, i16, i32 or i64 packed words}}
func.func @f() {
  %0 = qc.constant dense<1.0> : tensor<1xf32> -> tensor<4x!qc.binary<f32, alpha = [1.0]>>
  return
}

// -----

// expected-error @+2 {{'qc.constant' op value must be dense i8, i16, i32 or i64 packed words}}
func.func @f() {
  %0 = qc.constant dense<1> : tensor<1xi4> -> tensor<4x!qc.binary<f32, alpha = [1.0]>>
  return
}

// -----

// expected-error @+2 {{'qc.constant' op packed value has shape 2 but a 40 tensor of 1-bit codes packs into 1 words of 64 bits}}
func.func @f() {
  %0 = qc.constant dense<0> : tensor<2xi64> -> tensor<40x!qc.binary<f32, alpha = [1.0]>>
  return
}

// -----

// expected-error @+2 {{'qc.constant' op packed value has shape 1 but a 3x5 tensor of 2-bit codes packs into 3x1 words of 32 bits}}
func.func @f() {
  %0 = qc.constant dense<0> : tensor<1xi32> -> tensor<3x5x!qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.5]>>
  return
}

// -----

// expected-error @+2 {{'qc.constant' op result must have rank >= 1}}
func.func @f() {
  %0 = qc.constant dense<0> : tensor<i32> -> tensor<!qc.binary<f32, alpha = [1.0]>>
  return
}

// -----

// expected-error @+2 {{'qc.constant' op result must have a static shape, got ?}}
func.func @f() {
  %0 = qc.constant dense<0> : tensor<1xi32> -> tensor<?x!qc.binary<f32, alpha = [1.0]>>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op expects input to be 4-D (NHWC), got rank 3}}
func.func @f(%x: tensor<8x8x4xf32>, %w: tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<8xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<8x8x4xf32>, tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, tensor<8xf32>, tensor<8xf32> -> tensor<1x6x6x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op expects weight to be 4-D (OHWI), got rank 2}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<8x36x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<8xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x8x8x4xf32>, tensor<8x36x!qc.binary<f32, alpha = [1.0]>>, tensor<8xf32>, tensor<8xf32> -> tensor<1x6x6x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op expects result to be 4-D (NHWC), got rank 2}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<8xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x8x8x4xf32>, tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, tensor<8xf32>, tensor<8xf32> -> tensor<36x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op input channels (4) are not divisible by groups (3)}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<6x3x3x1x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<6xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1], groups = 3>} : tensor<1x8x8x4xf32>, tensor<6x3x3x1x!qc.binary<f32, alpha = [1.0]>>, tensor<6xf32>, tensor<6xf32> -> tensor<1x6x6x6xf32>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op output channels (6) are not divisible by groups (4)}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<6x3x3x1x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<6xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1], groups = 4>} : tensor<1x8x8x4xf32>, tensor<6x3x3x1x!qc.binary<f32, alpha = [1.0]>>, tensor<6xf32>, tensor<6xf32> -> tensor<1x6x6x6xf32>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op weight has 4 input channels per group, expected 2 (4 input channels / 2 groups)}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<8xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1], groups = 2>} : tensor<1x8x8x4xf32>, tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, tensor<8xf32>, tensor<8xf32> -> tensor<1x6x6x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op 'multiplier' has 4 entries but there are 8 output channels}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<4xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x8x8x4xf32>, tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, tensor<4xf32>, tensor<4xf32> -> tensor<1x6x6x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op activation 'clamp' needs both 'clamp_min' and 'clamp_max'}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<8xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>, act = #qc.activation<clamp>, clamp_min = 0.0 : f32} : tensor<1x8x8x4xf32>, tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, tensor<8xf32>, tensor<8xf32> -> tensor<1x6x6x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op clamp range is empty: clamp_min (1.000000e+00) > clamp_max (0.000000e+00)}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<8xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>, act = #qc.activation<clamp>, clamp_min = 1.0 : f32, clamp_max = 0.0 : f32} : tensor<1x8x8x4xf32>, tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, tensor<8xf32>, tensor<8xf32> -> tensor<1x6x6x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op 'clamp_min'/'clamp_max' are only allowed with activation 'clamp', not 'relu'}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<8xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>, act = #qc.activation<relu>, clamp_max = 6.0 : f32} : tensor<1x8x8x4xf32>, tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, tensor<8xf32>, tensor<8xf32> -> tensor<1x6x6x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op activation 'sign' produces +-1: the result must be float or !qc.binary, got '!quant.uniform<i8:f32, 1.000000e-01>'}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<8xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>, act = #qc.activation<sign>} : tensor<1x8x8x4xf32>, tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, tensor<8xf32>, tensor<8xf32> -> tensor<1x6x6x8x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op a !qc.binary result needs activation 'sign', got 'none'}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<8xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x8x8x4xf32>, tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, tensor<8xf32>, tensor<8xf32> -> tensor<1x6x6x8x!qc.binary<f32, alpha = [1.0]>>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op result shape 1x8x8x8 does not match the expected 1x6x6x8}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<8xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x8x8x4xf32>, tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0]>>, tensor<8xf32>, tensor<8xf32> -> tensor<1x8x8x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op weights must be quantized per tensor or per output channel (axis 0), got axis 3}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0, 1.0, 1.0, 1.0], axis = 3>>, %m: tensor<8xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x8x8x4xf32>, tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0, 1.0, 1.0, 1.0], axis = 3>>, tensor<8xf32>, tensor<8xf32> -> tensor<1x6x6x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op weight has 8 quantization parameter sets along axis 0, but that axis has size 6}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<6x3x3x4x!qc.binary<f32, alpha = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], axis = 0>>, %m: tensor<6xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x8x8x4xf32>, tensor<6x3x3x4x!qc.binary<f32, alpha = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], axis = 0>>, tensor<6xf32>, tensor<6xf32> -> tensor<1x6x6x6xf32>
  return
}

// -----

// expected-error @+2 {{'qc.conv2d' op operand #1 must be ranked tensor of quantized type values}}
func.func @f(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4xf32>, %m: tensor<8xf32>) {
  %0 = qc.conv2d %x, %w, %m, %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<1x6x6x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.dense' op expects input to be 2-D (N x K), got rank 3}}
func.func @f(%x: tensor<1x2x84xf32>, %w: tensor<10x84x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<10xf32>) {
  %0 = qc.dense %x, %w, %m, %m : tensor<1x2x84xf32>, tensor<10x84x!qc.binary<f32, alpha = [1.0]>>, tensor<10xf32>, tensor<10xf32> -> tensor<1x10xf32>
  return
}

// -----

// expected-error @+2 {{'qc.dense' op input has 84 features but weight rows have 80}}
func.func @f(%x: tensor<1x84xf32>, %w: tensor<10x80x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<10xf32>) {
  %0 = qc.dense %x, %w, %m, %m : tensor<1x84xf32>, tensor<10x80x!qc.binary<f32, alpha = [1.0]>>, tensor<10xf32>, tensor<10xf32> -> tensor<1x10xf32>
  return
}

// -----

// expected-error @+2 {{'qc.dense' op result shape 1x12 does not match the expected 1x10}}
func.func @f(%x: tensor<1x84xf32>, %w: tensor<10x84x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<10xf32>) {
  %0 = qc.dense %x, %w, %m, %m : tensor<1x84xf32>, tensor<10x84x!qc.binary<f32, alpha = [1.0]>>, tensor<10xf32>, tensor<10xf32> -> tensor<1x12xf32>
  return
}

// -----

// expected-error @+2 {{'qc.dense' op 'bias' has 12 entries but there are 10 output channels}}
func.func @f(%x: tensor<1x84xf32>, %w: tensor<10x84x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<10xf32>, %b: tensor<12xf32>) {
  %0 = qc.dense %x, %w, %m, %b : tensor<1x84xf32>, tensor<10x84x!qc.binary<f32, alpha = [1.0]>>, tensor<10xf32>, tensor<12xf32> -> tensor<1x10xf32>
  return
}

// -----

// expected-error @+2 {{'qc.bitpack' op 1x8x8x40 signs pack into 1x8x8x2 words of 32 bits, not 1x8x8x1}}
func.func @f(%x: tensor<1x8x8x40xf32>) {
  %0 = qc.bitpack %x : tensor<1x8x8x40xf32> -> tensor<1x8x8x1xi32>
  return
}

// -----

// expected-error @+2 {{'qc.bitpack' op 1x8x8x40 signs pack into 1x8x8x1 words of 64 bits, not 8x8x1}}
func.func @f(%x: tensor<1x8x8x40xf32>) {
  %0 = qc.bitpack %x : tensor<1x8x8x40xf32> -> tensor<8x8x1xi64>
  return
}

// -----

// expected-error @+2 {{'qc.bitpack' op cannot pack a rank-0 tensor}}
func.func @f(%x: tensor<f32>) {
  %0 = qc.bitpack %x : tensor<f32> -> tensor<i32>
  return
}

// -----

// expected-error @+2 {{'qc.bitpack' op binary tensor is quantized along axis 2, out of range for rank 2}}
func.func @f(%x: tensor<2x4x!qc.binary<f32, alpha = [1.0, 1.0], axis = 2>>) {
  %0 = qc.bitpack %x : tensor<2x4x!qc.binary<f32, alpha = [1.0, 1.0], axis = 2>> -> tensor<2x1xi32>
  return
}

// -----

// expected-error @+2 {{'qc.bitpack' op operand #0 must be ranked tensor of floating-point or}}
func.func @f(%x: tensor<4x!qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.5]>>) {
  %0 = qc.bitpack %x : tensor<4x!qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.5]>> -> tensor<1xi32>
  return
}

// -----

// expected-error @+2 {{'qc.bitunpack' op 3x65 signs pack into 3x3 words of 32 bits, not 3x2}}
func.func @f(%x: tensor<3x2xi32>) {
  %0 = qc.bitunpack %x : tensor<3x2xi32> -> tensor<3x65xf32>
  return
}

// -----

// expected-error @+2 {{'qc.bitunpack' op operand #0 must be ranked tensor of 8-bit signless integer or 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values}}
func.func @f(%x: tensor<3x2xi4>) {
  %0 = qc.bitunpack %x : tensor<3x2xi4> -> tensor<3x32xf32>
  return
}

// -----

// expected-error @+2 {{'qc.xnor_popcount' op mask type 'tensor<1x3xi32>' must match the input type 'tensor<1x2xi32>'}}
func.func @f(%a: tensor<1x2xi32>, %w: tensor<16x2xi32>, %m: tensor<1x3xi32>) {
  %0 = qc.xnor_popcount %a, %w mask %m {depth = 40 : i64} : tensor<1x2xi32>, tensor<16x2xi32>, tensor<1x3xi32> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.xnor_popcount' op with a mask, padded positions are zeros; pad_value must be 0, got 1}}
func.func @f(%a: tensor<1x8x8x2xi32>, %w: tensor<16x3x3x2xi32>) {
  %0 = qc.xnor_popcount %a, %w mask %a {depth = 40 : i64, pad_value = 1 : i64, conv = #qc.conv<strides = [1, 1], pad = [1, 1, 1, 1], dilation = [1, 1]>} : tensor<1x8x8x2xi32>, tensor<16x3x3x2xi32>, tensor<1x8x8x2xi32> -> tensor<1x8x8x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.bitpack' op a nonzero mask is taken of float values, not of '!qc.binary<f32, alpha = [1.000000e+00]>'}}
func.func @f(%x: tensor<2x4x!qc.binary<f32, alpha = [1.0]>>) {
  %0 = qc.bitpack %x {nonzero} : tensor<2x4x!qc.binary<f32, alpha = [1.0]>> -> tensor<2x1xi32>
  return
}

// -----

// expected-error @+2 {{'qc.xnor_popcount' op depth must be positive, got 0}}
func.func @f(%a: tensor<1x2xi32>, %w: tensor<16x2xi32>) {
  %0 = qc.xnor_popcount %a, %w {depth = 0 : i64} : tensor<1x2xi32>, tensor<16x2xi32> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.xnor_popcount' op depth 40 needs an innermost extent of 2 words, got 3 (input) and 2 (weight)}}
func.func @f(%a: tensor<1x3xi32>, %w: tensor<16x2xi32>) {
  %0 = qc.xnor_popcount %a, %w {depth = 40 : i64} : tensor<1x3xi32>, tensor<16x2xi32> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.xnor_popcount' op input and weight words must have the same width, got 'i32' and 'i64'}}
func.func @f(%a: tensor<1x2xi32>, %w: tensor<16x1xi64>) {
  %0 = qc.xnor_popcount %a, %w {depth = 40 : i64} : tensor<1x2xi32>, tensor<16x1xi64> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.xnor_popcount' op expects input to be 4-D (NHWC), got rank 2}}
func.func @f(%a: tensor<1x2xi32>, %w: tensor<16x3x3x2xi32>) {
  %0 = qc.xnor_popcount %a, %w {depth = 40 : i64, conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x2xi32>, tensor<16x3x3x2xi32> -> tensor<1x6x6x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.xnor_popcount' op expects weight to be 2-D (M x K), got rank 3}}
func.func @f(%a: tensor<1x2xi32>, %w: tensor<16x1x2xi32>) {
  %0 = qc.xnor_popcount %a, %w {depth = 40 : i64} : tensor<1x2xi32>, tensor<16x1x2xi32> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.xnor_popcount' op kernel ops take one packed group; split the 2 groups first}}
func.func @f(%a: tensor<1x8x8x2xi32>, %w: tensor<16x3x3x2xi32>) {
  %0 = qc.xnor_popcount %a, %w {depth = 40 : i64, conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1], groups = 2>} : tensor<1x8x8x2xi32>, tensor<16x3x3x2xi32> -> tensor<1x6x6x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.xnor_popcount' op pad_value must be 0 (zero-padding) or 1 (one-padding), got -1}}
func.func @f(%a: tensor<1x2xi32>, %w: tensor<16x2xi32>) {
  %0 = qc.xnor_popcount %a, %w {depth = 40 : i64, pad_value = -1 : i64} : tensor<1x2xi32>, tensor<16x2xi32> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.xnor_popcount' op accumulator type 'i16' can overflow: a +-1 dot product of this length can reach 36864, which needs 17 bits}}
func.func @f(%a: tensor<1x8x8x128xi32>, %w: tensor<16x3x3x128xi32>) {
  %0 = qc.xnor_popcount %a, %w {depth = 4096 : i64, conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x8x8x128xi32>, tensor<16x3x3x128xi32> -> tensor<1x6x6x16xi16>
  return
}

// -----

// expected-error @+2 {{'qc.xnor_popcount' op result shape 1x16 does not match the expected 2x16}}
func.func @f(%a: tensor<2x2xi32>, %w: tensor<16x2xi32>) {
  %0 = qc.xnor_popcount %a, %w {depth = 40 : i64} : tensor<2x2xi32>, tensor<16x2xi32> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.xnor_popcount' op result #0 must be ranked tensor of 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values}}
func.func @f(%a: tensor<1x2xi32>, %w: tensor<16x2xi32>) {
  %0 = qc.xnor_popcount %a, %w {depth = 40 : i64} : tensor<1x2xi32>, tensor<16x2xi32> -> tensor<1x16xf32>
  return
}

// -----

// expected-error @+2 {{'qc.bitserial_popcount' op input must have 1 to 8 bit-planes, got 9}}
func.func @f(%a: tensor<9x1x2xi32>, %w: tensor<2x16x2xi32>) {
  %0 = qc.bitserial_popcount %a, %w {depth = 40 : i64, input_encoding = #qc.encoding<unsigned>, weight_encoding = #qc.encoding<unsigned>} : tensor<9x1x2xi32>, tensor<2x16x2xi32> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.bitserial_popcount' op weight with 'sign' encoding has one plane, got 2}}
func.func @f(%a: tensor<2x1x2xi32>, %w: tensor<2x16x2xi32>) {
  %0 = qc.bitserial_popcount %a, %w {depth = 40 : i64, input_encoding = #qc.encoding<unsigned>, weight_encoding = #qc.encoding<sign>} : tensor<2x1x2xi32>, tensor<2x16x2xi32> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.bitserial_popcount' op expects input to be 3-D (planes x N x K), got rank 2}}
func.func @f(%a: tensor<1x2xi32>, %w: tensor<2x16x2xi32>) {
  %0 = qc.bitserial_popcount %a, %w {depth = 40 : i64, input_encoding = #qc.encoding<unsigned>, weight_encoding = #qc.encoding<unsigned>} : tensor<1x2xi32>, tensor<2x16x2xi32> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.bitserial_popcount' op accumulator type 'i16' can overflow: a bit-serial dot product of this length can reach 261120000, which needs 29 bits}}
func.func @f(%a: tensor<8x1x250xi32>, %w: tensor<8x16x250xi32>) {
  %0 = qc.bitserial_popcount %a, %w {depth = 8000 : i64, input_encoding = #qc.encoding<twos_complement>, weight_encoding = #qc.encoding<unsigned>} : tensor<8x1x250xi32>, tensor<8x16x250xi32> -> tensor<1x16xi16>
  return
}

// -----

// expected-error @+2 {{'qc.ternary_popcount' op positive and negative weight planes must have the same type}}
func.func @f(%a: tensor<2x1x2xi32>, %p: tensor<16x2xi32>, %n: tensor<8x2xi32>) {
  %0 = qc.ternary_popcount %a, %p, %n {depth = 40 : i64, input_encoding = #qc.encoding<unsigned>} : tensor<2x1x2xi32>, tensor<16x2xi32>, tensor<8x2xi32> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.ternary_popcount' op input with 'sign' encoding has one plane, got 2}}
func.func @f(%a: tensor<2x1x2xi32>, %p: tensor<16x2xi32>, %n: tensor<16x2xi32>) {
  %0 = qc.ternary_popcount %a, %p, %n {depth = 40 : i64, input_encoding = #qc.encoding<sign>} : tensor<2x1x2xi32>, tensor<16x2xi32>, tensor<16x2xi32> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.ternary_popcount' op accumulator type 'i16' can overflow: a ternary dot product of this length can reach 1275000, which needs 22 bits}}
func.func @f(%a: tensor<8x1x157xi32>, %p: tensor<16x157xi32>, %n: tensor<16x157xi32>) {
  %0 = qc.ternary_popcount %a, %p, %n {depth = 5000 : i64, input_encoding = #qc.encoding<unsigned>} : tensor<8x1x157xi32>, tensor<16x157xi32>, tensor<16x157xi32> -> tensor<1x16xi16>
  return
}

// -----

// expected-error @+2 {{'qc.shift_accumulate' op exponent range is empty: emin (1) > emax (0)}}
func.func @f(%x: tensor<1x40xi8>, %w: tensor<16x40xi8>) {
  %0 = qc.shift_accumulate %x, %w {emin = 1 : i64, emax = 0 : i64} : tensor<1x40xi8>, tensor<16x40xi8> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.shift_accumulate' op exponent range [-100, 100] needs more than 8 code bits}}
func.func @f(%x: tensor<1x40xi8>, %w: tensor<16x40xi8>) {
  %0 = qc.shift_accumulate %x, %w {emin = -100 : i64, emax = 100 : i64} : tensor<1x40xi8>, tensor<16x40xi8> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.shift_accumulate' op accumulator type 'i16' can overflow: a shift-accumulate of this length can reach 655360, which needs 21 bits}}
func.func @f(%x: tensor<1x40xi8>, %w: tensor<16x40xi8>) {
  %0 = qc.shift_accumulate %x, %w {emin = -7 : i64, emax = 0 : i64} : tensor<1x40xi8>, tensor<16x40xi8> -> tensor<1x16xi16>
  return
}

// -----

// expected-error @+2 {{'qc.shift_accumulate' op the reduction extent must be static}}
func.func @f(%x: tensor<1x?xi8>, %w: tensor<16x40xi8>) {
  %0 = qc.shift_accumulate %x, %w {emin = -7 : i64, emax = 0 : i64} : tensor<1x?xi8>, tensor<16x40xi8> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.shift_accumulate' op depth 40 needs an innermost extent of 40, got 40 (input) and 39 (weight)}}
func.func @f(%x: tensor<1x40xi8>, %w: tensor<16x39xi8>) {
  %0 = qc.shift_accumulate %x, %w {emin = -7 : i64, emax = 0 : i64} : tensor<1x40xi8>, tensor<16x39xi8> -> tensor<1x16xi32>
  return
}

// -----

// expected-error @+2 {{'qc.codebook_accumulate' op per-output centroid table has 8 rows for 16 outputs}}
func.func @f(%x: tensor<1x40xf32>, %i: tensor<16x40xi8>, %c: tensor<8x4xf32>) {
  %0 = qc.codebook_accumulate %x, %i, %c : tensor<1x40xf32>, tensor<16x40xi8>, tensor<8x4xf32> -> tensor<1x16xf32>
  return
}

// -----

// expected-error @+2 {{'qc.codebook_accumulate' op centroids must be a [k] or [outputs, k] table, got rank 3}}
func.func @f(%x: tensor<1x40xf32>, %i: tensor<16x40xi8>, %c: tensor<1x8x4xf32>) {
  %0 = qc.codebook_accumulate %x, %i, %c : tensor<1x40xf32>, tensor<16x40xi8>, tensor<1x8x4xf32> -> tensor<1x16xf32>
  return
}

// -----

// expected-error @+2 {{'qc.codebook_accumulate' op 4 centroids cannot all be addressed by 1-bit indices}}
func.func @f(%x: tensor<1x40xf32>, %i: tensor<16x40xi1>, %c: tensor<4xf32>) {
  %0 = qc.codebook_accumulate %x, %i, %c : tensor<1x40xf32>, tensor<16x40xi1>, tensor<4xf32> -> tensor<1x16xf32>
  return
}

// -----

// expected-error @+2 {{'qc.codebook_accumulate' op the reduction extent must be static}}
func.func @f(%x: tensor<1x?xf32>, %i: tensor<16x40xi8>, %c: tensor<4xf32>) {
  %0 = qc.codebook_accumulate %x, %i, %c : tensor<1x?xf32>, tensor<16x40xi8>, tensor<4xf32> -> tensor<1x16xf32>
  return
}

// -----

// expected-error @+2 {{'qc.codebook_accumulate' op result shape 1x8 does not match the expected 1x16}}
func.func @f(%x: tensor<1x40xf32>, %i: tensor<16x40xi8>, %c: tensor<4xf32>) {
  %0 = qc.codebook_accumulate %x, %i, %c : tensor<1x40xf32>, tensor<16x40xi8>, tensor<4xf32> -> tensor<1x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.multi_threshold' op input must have rank >= 1 (channels innermost)}}
func.func @f(%x: tensor<f32>, %t: tensor<1x3xf32>) {
  %0 = qc.multi_threshold %x, %t : tensor<f32>, tensor<1x3xf32> -> tensor<f32>
  return
}

// -----

// expected-error @+2 {{'qc.multi_threshold' op thresholds must be a [channels, T] or [1, T] table, got rank 1}}
func.func @f(%x: tensor<2x8xf32>, %t: tensor<3xf32>) {
  %0 = qc.multi_threshold %x, %t : tensor<2x8xf32>, tensor<3xf32> -> tensor<2x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.multi_threshold' op threshold table has 4 rows, expected 1 or one per channel (8)}}
func.func @f(%x: tensor<2x8xf32>, %t: tensor<4x3xf32>) {
  %0 = qc.multi_threshold %x, %t : tensor<2x8xf32>, tensor<4x3xf32> -> tensor<2x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.multi_threshold' op result shape 8x2 must match input shape 2x8}}
func.func @f(%x: tensor<2x8xf32>, %t: tensor<8x3xf32>) {
  %0 = qc.multi_threshold %x, %t : tensor<2x8xf32>, tensor<8x3xf32> -> tensor<8x2xf32>
  return
}

// -----

// expected-error @+2 {{'qc.multi_threshold' op out_scale and out_bias must be finite}}
func.func @f(%x: tensor<2x8xf32>, %t: tensor<8x3xf32>) {
  %0 = qc.multi_threshold %x, %t {out_scale = 0x7FF0000000000000 : f64} : tensor<2x8xf32>, tensor<8x3xf32> -> tensor<2x8xf32>
  return
}

// -----

// expected-error @+2 {{'qc.bitplane_pack' op result must have one leading plane dimension more than the input (rank 3), got rank 2}}
func.func @f(%x: tensor<3x40xi32>) {
  %0 = qc.bitplane_pack %x : tensor<3x40xi32> -> tensor<3x2xi32>
  return
}

// -----

// expected-error @+2 {{'qc.packed_max_pool2d' op expects input to be 4-D (N x H x W x words), got rank 3}}
func.func @f(%x: tensor<4x4x2xi32>) {
  %0 = qc.packed_max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : tensor<4x4x2xi32> -> tensor<1x2x2x2xi32>
  return
}

// -----

// expected-error @+2 {{'qc.bitplane_pack' op must produce 1 to 8 bit-planes, got 9}}
func.func @f(%x: tensor<3x40xi32>) {
  %0 = qc.bitplane_pack %x : tensor<3x40xi32> -> tensor<9x3x2xi32>
  return
}

// -----

// expected-error @+2 {{'qc.packed_max_pool2d' op result words 'i64' differ from input words 'i32'}}
func.func @f(%x: tensor<1x4x4x2xi32>) {
  %0 = qc.packed_max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x2xi32> -> tensor<1x2x2x2xi64>
  return
}

// -----

// expected-error @+2 {{'qc.bitplane_pack' op 3x40 codes pack into planes x 3x5 words of 8 bits, not 2x3x4}}
func.func @f(%x: tensor<3x40xi32>) {
  %0 = qc.bitplane_pack %x : tensor<3x40xi32> -> tensor<2x3x4xi8>
  return
}

// -----

// expected-error @+2 {{'qc.packed_max_pool2d' op expects 2 kernel, 2 stride and 4 pad entries, got 2, 2 and 2}}
func.func @f(%x: tensor<1x4x4x2xi32>) {
  %0 = qc.packed_max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0>} : tensor<1x4x4x2xi32> -> tensor<1x2x2x2xi32>
  return
}

// -----

// expected-error @+2 {{'qc.bitplane_pack' op cannot pack a rank-0 tensor}}
func.func @f(%x: tensor<i32>) {
  %0 = qc.bitplane_pack %x : tensor<i32> -> tensor<2xi32>
  return
}

// -----

// expected-error @+2 {{'qc.packed_max_pool2d' op kernel and stride must be positive, got kernel 2x2 and stride 0x2}}
func.func @f(%x: tensor<1x4x4x2xi32>) {
  %0 = qc.packed_max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 0, 2>, pad = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x2xi32> -> tensor<1x2x2x2xi32>
  return
}

// -----

// A window of padding alone would be all ones (-1) with its tail bits set.
// expected-error @+2 {{'qc.packed_max_pool2d' op pad 2 must be in [0, 2) so that every window holds an element}}
func.func @f(%x: tensor<1x4x4x2xi32>) {
  %0 = qc.packed_max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 2, 0>} : tensor<1x4x4x2xi32> -> tensor<1x2x3x2xi32>
  return
}

// -----

// expected-error @+2 {{'qc.packed_max_pool2d' op padded input extent 2 is smaller than the kernel 3}}
func.func @f(%x: tensor<1x2x4x2xi32>) {
  %0 = qc.packed_max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : tensor<1x2x4x2xi32> -> tensor<1x1x2x2xi32>
  return
}

// -----

// expected-error @+2 {{'qc.packed_max_pool2d' op result shape 1x2x2x2 does not match the expected 1x3x3x2}}
func.func @f(%x: tensor<1x4x4x2xi32>) {
  %0 = qc.packed_max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x2xi32> -> tensor<1x2x2x2xi32>
  return
}

// -----

// expected-error @+2 {{'qc.threshold_pack' op expects 1 threshold (binary levels) or 2 (ternary levels) per channel, got 3}}
func.func @f(%x: tensor<1x4x4x32xi16>, %t: tensor<32x3xi32>) {
  %0 = qc.threshold_pack %x, %t : tensor<1x4x4x32xi16>, tensor<32x3xi32> -> tensor<1x4x4x1xi32>
  return
}

// -----

// expected-error @+2 {{'qc.threshold_pack' op a nonzero mask needs two thresholds (ternary levels); binary levels are never 0}}
func.func @f(%x: tensor<1x4x4x32xi16>, %t: tensor<32x1xi32>) {
  %0 = qc.threshold_pack %x, %t {nonzero} : tensor<1x4x4x32xi16>, tensor<32x1xi32> -> tensor<1x4x4x1xi32>
  return
}

// -----

// expected-error @+2 {{'qc.threshold_pack' op threshold table has 16 rows, expected 1 or one per channel (32)}}
func.func @f(%x: tensor<1x4x4x32xi16>, %t: tensor<16x2xi32>) {
  %0 = qc.threshold_pack %x, %t : tensor<1x4x4x32xi16>, tensor<16x2xi32> -> tensor<1x4x4x1xi32>
  return
}

// -----

// expected-error @+2 {{'qc.threshold_pack' op 1x4x4x40 signs pack into 1x4x4x2 words of 32 bits, not 1x4x4x1}}
func.func @f(%x: tensor<1x4x4x40xi16>, %t: tensor<40x2xi32>) {
  %0 = qc.threshold_pack %x, %t : tensor<1x4x4x40xi16>, tensor<40x2xi32> -> tensor<1x4x4x1xi32>
  return
}
