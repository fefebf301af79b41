// RUN: qc-opt %s -split-input-file -verify-diagnostics --qc-quantize="weight-scheme=none activation-scheme=threshold activation-bits=4 quantize-first-last=1"
// RUN: qc-opt %s -split-input-file -verify-diagnostics --qc-quantize="weight-scheme=none activation-scheme=binary quantize-first-last=1"
// RUN: qc-opt %s -split-input-file -verify-diagnostics --qc-quantize="weight-scheme=asymmetric weight-bits=4 activation-scheme=uniform activation-bits=4 quantize-first-last=1"

// A calibrated range that is missing, NaN, infinite or empty is an error at
// the layer, for every activation scheme, never a NaN scale (or a crash).

func.func @no_range(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() {value = dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  // expected-error @+1 {{has no calibrated input range (qc.input_range)}}
  %y = tosa.fully_connected %x, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

func.func @nan_range(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() {value = dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  // expected-error @+1 {{has an invalid calibrated input range (qc.input_range = [0.000000e+00, nan], mean |x| 5.000000e-01): expected finite lo <= hi and mean |x| >= 0}}
  %y = tosa.fully_connected %x, %w, %b {qc.input_range = array<f64: 0.0, 0x7FF8000000000000, 0.5>} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

func.func @nan_mean(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() {value = dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  // expected-error @+1 {{has an invalid calibrated input range}}
  %y = tosa.fully_connected %x, %w, %b {qc.input_range = array<f64: -1.0, 1.0, 0x7FF8000000000000>} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

func.func @infinite_range(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() {value = dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  // expected-error @+1 {{has an invalid calibrated input range (qc.input_range = [-INF, 1.000000e+00]}}
  %y = tosa.fully_connected %x, %w, %b {qc.input_range = array<f64: 0xFFF0000000000000, 1.0, 0.5>} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

func.func @empty_range(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() {value = dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  // expected-error @+1 {{has an invalid calibrated input range (qc.input_range = [1.000000e+00, -1.000000e+00]}}
  %y = tosa.fully_connected %x, %w, %b {qc.input_range = array<f64: 1.0, -1.0, 0.5>} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
