// RUN: qc-opt %s -split-input-file -convert-qc-to-linalg -verify-diagnostics

// The gather tables of a per-centroid kernel are built at compile time.
func.func @codebook_indices_not_constant(%x: tensor<1x4xf32>, %i: tensor<2x4xi8>) -> tensor<1x2xf32> {
  %t = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // expected-error @+2 {{'qc.codebook_accumulate' op lowering needs constant indices and centroids}}
  // expected-error @+1 {{failed to legalize operation 'qc.codebook_accumulate'}}
  %y = qc.codebook_accumulate %x, %i, %t : tensor<1x4xf32>, tensor<2x4xi8>, tensor<2xf32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Sign activations against sign weights are qc.xnor_popcount's job.
func.func @bitserial_sign_input(%a: tensor<1x1x2xi32>, %w: tensor<1x3x2xi32>) -> tensor<1x3xi32> {
  // expected-error @+2 {{'qc.bitserial_popcount' op lowering takes unsigned or two's-complement activations}}
  // expected-error @+1 {{failed to legalize operation 'qc.bitserial_popcount'}}
  %y = qc.bitserial_popcount %a, %w {depth = 40 : i64, input_encoding = #qc.encoding<sign>, weight_encoding = #qc.encoding<sign>} : tensor<1x1x2xi32>, tensor<1x3x2xi32> -> tensor<1x3xi32>
  return %y : tensor<1x3xi32>
}

// -----

func.func @shift_dynamic_window(%x: tensor<1x?x5x3xi8>, %w: tensor<2x3x3x3xi8>) -> tensor<1x?x3x2xi32> {
  // expected-error @+2 {{'qc.shift_accumulate' op lowering to linalg needs static input H and W}}
  // expected-error @+1 {{failed to legalize operation 'qc.shift_accumulate'}}
  %y = qc.shift_accumulate %x, %w {emin = -3 : i64, emax = 0 : i64, conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x?x5x3xi8>, tensor<2x3x3x3xi8> -> tensor<1x?x3x2xi32>
  return %y : tensor<1x?x3x2xi32>
}
