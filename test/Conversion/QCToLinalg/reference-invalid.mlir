// RUN: qc-opt %s -convert-qc-to-linalg -verify-diagnostics

// Quantized compute has no reference lowering in this pass: it is reported,
// not silently dropped.
func.func @no_lowering_of_quantized_dense(%x: tensor<1x4xf32>, %w: tensor<2x4x!qc.binary<f32, alpha = [1.0]>>, %m: tensor<2xf32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{failed to legalize operation 'qc.dense'}}
  %y = qc.dense %x, %w, %m, %m : tensor<1x4xf32>, tensor<2x4x!qc.binary<f32, alpha = [1.0]>>, tensor<2xf32>, tensor<2xf32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
