// RUN: qc-opt %s -canonicalize -split-input-file | FileCheck %s

// Constant folding of quantize / dequantize / bitpack / bitunpack. Expected
// values follow from each type's definition by hand.

// sign(0) = +1; codes 0 1 0 1 0 -> bits 1 and 3 -> word 0b01010 = 10.
// CHECK-LABEL: func.func @fold_quantize_binary
// CHECK: %[[C:.*]] = qc.constant dense<10> : tensor<1xi32> -> tensor<5x!qc.binary<f32, alpha = [5.000000e-01]>>
// CHECK-NOT: qc.quantize
// CHECK: return %[[C]]
func.func @fold_quantize_binary() -> tensor<5x!qc.binary<f32, alpha = [0.5]>> {
  %w = arith.constant dense<[0.3, -0.2, 0.0, -1.0, 2.0]> : tensor<5xf32>
  %q = qc.quantize %w : tensor<5xf32> -> tensor<5x!qc.binary<f32, alpha = [0.5]>>
  return %q : tensor<5x!qc.binary<f32, alpha = [0.5]>>
}

// -----

// CHECK-LABEL: func.func @fold_dequantize_quantize_binary
// CHECK: %[[C:.*]] = arith.constant dense<[5.000000e-01, -5.000000e-01, 5.000000e-01, -5.000000e-01, 5.000000e-01]> : tensor<5xf32>
// CHECK-NOT: qc.
// CHECK: return %[[C]]
func.func @fold_dequantize_quantize_binary() -> tensor<5xf32> {
  %w = arith.constant dense<[0.3, -0.2, 0.0, -1.0, 2.0]> : tensor<5xf32>
  %q = qc.quantize %w : tensor<5xf32> -> tensor<5x!qc.binary<f32, alpha = [0.5]>>
  %d = qc.dequantize %q : tensor<5x!qc.binary<f32, alpha = [0.5]>> -> tensor<5xf32>
  return %d : tensor<5xf32>
}

// -----

// Per-row parameters: row 0 has alpha_n = alpha_p = 1, row 1 alpha_n = 2,
// alpha_p = 3; |x| <= delta = 0.5 becomes 0.
// CHECK-LABEL: func.func @fold_ternary_per_axis
// CHECK: arith.constant dense<{{\[}}[1.000000e+00, 0.000000e+00, -1.000000e+00], [0.000000e+00, -2.000000e+00, 3.000000e+00]]> : tensor<2x3xf32>
func.func @fold_ternary_per_axis() -> tensor<2x3xf32> {
  %w = arith.constant dense<[[0.9, -0.1, -0.8], [0.3, -0.6, 0.51]]> : tensor<2x3xf32>
  %q = qc.quantize %w : tensor<2x3xf32> -> tensor<2x3x!qc.ternary<f32, alpha_n = [1.0, 2.0], alpha_p = [1.0, 3.0], delta = [0.5, 0.5], axis = 0>>
  %d = qc.dequantize %q : tensor<2x3x!qc.ternary<f32, alpha_n = [1.0, 2.0], alpha_p = [1.0, 3.0], delta = [0.5, 0.5], axis = 0>> -> tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

// -----

// Levels 0, 0.25, 0.5, 1, 2: zero below 0.125, 2^e below 1.5 * 2^e, and
// saturation at 2^emax.
// CHECK-LABEL: func.func @fold_power_of_two
// CHECK: arith.constant dense<[0.000000e+00, 2.500000e-01, 2.500000e-01, 2.500000e-01, 5.000000e-01, -1.000000e+00, 2.000000e+00, 2.000000e+00, -2.500000e-01]> : tensor<9xf32>
func.func @fold_power_of_two() -> tensor<9xf32> {
  %w = arith.constant dense<[0.1, 0.13, 0.2, 0.3, 0.7, -1.4, 1.6, 5.0, -0.37]> : tensor<9xf32>
  %q = qc.quantize %w : tensor<9xf32> -> tensor<9x!qc.pot<f32, scale = [1.0], emin = -2, emax = 1>>
  %d = qc.dequantize %q : tensor<9x!qc.pot<f32, scale = [1.0], emin = -2, emax = 1>> -> tensor<9xf32>
  return %d : tensor<9xf32>
}

// -----

// Nearest centroid, ties to the lower index.
// CHECK-LABEL: func.func @fold_codebook
// CHECK: arith.constant dense<[-1.000000e+00, -1.000000e+00, 0.000000e+00, 0.000000e+00, 5.000000e-01, 5.000000e-01]> : tensor<6xf32>
func.func @fold_codebook() -> tensor<6xf32> {
  %w = arith.constant dense<[-0.6, -0.5, 0.2, 0.25, 0.3, 9.0]> : tensor<6xf32>
  %q = qc.quantize %w : tensor<6xf32> -> tensor<6x!qc.codebook<f32, bits = 2, centroids = dense<[-1.0, 0.0, 0.5]> : tensor<3xf64>>>
  %d = qc.dequantize %q : tensor<6x!qc.codebook<f32, bits = 2, centroids = dense<[-1.0, 0.0, 0.5]> : tensor<3xf64>>> -> tensor<6xf32>
  return %d : tensor<6xf32>
}

// -----

// q = clamp(roundeven(x / 0.5) + 1, -128, 127): 0.25 -> 1, 0.75 -> 3,
// -1.25 -> -1, 100 -> 127, -100 -> -128; value = (q - 1) * 0.5.
// CHECK-LABEL: func.func @fold_uniform
// CHECK: arith.constant dense<[0.000000e+00, 1.000000e+00, -1.000000e+00, 6.300000e+01, -6.450000e+01]> : tensor<5xf32>
func.func @fold_uniform() -> tensor<5xf32> {
  %w = arith.constant dense<[0.25, 0.75, -1.25, 100.0, -100.0]> : tensor<5xf32>
  %q = qc.quantize %w : tensor<5xf32> -> tensor<5x!quant.uniform<i8:f32, 0.5:1>>
  %d = qc.dequantize %q : tensor<5x!quant.uniform<i8:f32, 0.5:1>> -> tensor<5xf32>
  return %d : tensor<5xf32>
}

// -----

// u4 per axis: row 0 scale 1 zero point 8, row 1 scale 0.25 zero point 0.
// CHECK-LABEL: func.func @fold_uniform_per_axis_u4
// CHECK: arith.constant dense<{{\[}}[-8.000000e+00, 7.000000e+00], [0.000000e+00, 3.750000e+00]]> : tensor<2x2xf32>
func.func @fold_uniform_per_axis_u4() -> tensor<2x2xf32> {
  %w = arith.constant dense<[[-20.0, 20.0], [-1.0, 1000.0]]> : tensor<2x2xf32>
  %q = qc.quantize %w : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<u4:f32:0, {1.0:8, 0.25:0}>>
  %d = qc.dequantize %q : tensor<2x2x!quant.uniform<u4:f32:0, {1.0:8, 0.25:0}>> -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}

// -----

// Negative values set bits 0 and 33: words 1 and 2; -0.0 is not negative.
// CHECK-LABEL: func.func @fold_bitpack
// CHECK: arith.constant dense<{{\[}}[1, 2]]> : tensor<1x2xi32>
func.func @fold_bitpack() -> tensor<1x2xi32> {
  %x = arith.constant dense<[[-1.0, 2.0, -0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -3.0]]> : tensor<1x34xf32>
  %p = qc.bitpack %x : tensor<1x34xf32> -> tensor<1x2xi32>
  return %p : tensor<1x2xi32>
}

// -----

// The non-zero mask of [-1, 0, nan, 2, -0.0, 0.5] is bits 0, 3, 5:
// 0b101001 = 41 (NaN and -0.0 count as zero).
// CHECK-LABEL: func.func @fold_bitpack_nonzero
// CHECK: arith.constant dense<41> : tensor<1xi32>
func.func @fold_bitpack_nonzero() -> tensor<1xi32> {
  %x = arith.constant dense<[-1.0, 0.0, 0x7FC00000, 2.0, -0.0, 0.5]> : tensor<6xf32>
  %p = qc.bitpack %x {nonzero} : tensor<6xf32> -> tensor<1xi32>
  return %p : tensor<1xi32>
}

// -----

// CHECK-LABEL: func.func @fold_bitunpack
// CHECK: arith.constant dense<[-1.000000e+00, 1.000000e+00, -1.000000e+00]> : tensor<3xf32>
func.func @fold_bitunpack() -> tensor<3xf32> {
  %p = arith.constant dense<[5]> : tensor<1xi32>
  %x = qc.bitunpack %p : tensor<1xi32> -> tensor<3xf32>
  return %x : tensor<3xf32>
}

// -----

// A binary constant is already packed signs: bitpack returns its words.
// CHECK-LABEL: func.func @fold_bitpack_of_binary_constant
// CHECK: %[[C:.*]] = arith.constant dense<5> : tensor<1xi32>
// CHECK: return %[[C]]
func.func @fold_bitpack_of_binary_constant() -> tensor<1xi32> {
  %c = qc.constant dense<5> : tensor<1xi32> -> tensor<3x!qc.binary<f32, alpha = [1.0]>>
  %p = qc.bitpack %c : tensor<3x!qc.binary<f32, alpha = [1.0]>> -> tensor<1xi32>
  return %p : tensor<1xi32>
}

// -----

// CHECK-LABEL: func.func @fold_bitpack_bitunpack
// CHECK-SAME: (%[[P:.*]]: tensor<?x2xi64>)
// CHECK-NEXT: return %[[P]]
func.func @fold_bitpack_bitunpack(%p: tensor<?x2xi64>) -> tensor<?x2xi64> {
  %x = qc.bitunpack %p : tensor<?x2xi64> -> tensor<?x100xf32>
  %q = qc.bitpack %x : tensor<?x100xf32> -> tensor<?x2xi64>
  return %q : tensor<?x2xi64>
}

// -----

// CHECK-LABEL: func.func @fold_quantize_dequantize
// CHECK-SAME: (%[[Q:.*]]: tensor<?x4x!qc.pot
// CHECK-NEXT: return %[[Q]]
func.func @fold_quantize_dequantize(%q: tensor<?x4x!qc.pot<f32, scale = [1.0], emin = -3, emax = 0>>) -> tensor<?x4x!qc.pot<f32, scale = [1.0], emin = -3, emax = 0>> {
  %d = qc.dequantize %q : tensor<?x4x!qc.pot<f32, scale = [1.0], emin = -3, emax = 0>> -> tensor<?x4xf32>
  %r = qc.quantize %d : tensor<?x4xf32> -> tensor<?x4x!qc.pot<f32, scale = [1.0], emin = -3, emax = 0>>
  return %r : tensor<?x4x!qc.pot<f32, scale = [1.0], emin = -3, emax = 0>>
}

// -----

// Rounding is lossy: dequantize(quantize(x)) of a non-constant stays.
// CHECK-LABEL: func.func @no_fold_dequantize_quantize_of_argument
// CHECK: qc.quantize
// CHECK: qc.dequantize
func.func @no_fold_dequantize_quantize_of_argument(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!qc.binary<f32, alpha = [1.0]>>
  %d = qc.dequantize %q : tensor<4x!qc.binary<f32, alpha = [1.0]>> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// Requantizing to a different type is not an identity.
// CHECK-LABEL: func.func @no_fold_quantize_dequantize_other_type
// CHECK: qc.dequantize
// CHECK: qc.quantize
func.func @no_fold_quantize_dequantize_other_type(%q: tensor<4x!qc.binary<f32, alpha = [1.0]>>) -> tensor<4x!qc.binary<f32, alpha = [2.0]>> {
  %d = qc.dequantize %q : tensor<4x!qc.binary<f32, alpha = [1.0]>> -> tensor<4xf32>
  %r = qc.quantize %d : tensor<4xf32> -> tensor<4x!qc.binary<f32, alpha = [2.0]>>
  return %r : tensor<4x!qc.binary<f32, alpha = [2.0]>>
}
