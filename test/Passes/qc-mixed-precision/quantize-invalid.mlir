// RUN: not qc-opt %s --split-input-file --qc-quantize 2>&1 | FileCheck %s

// qc.precision that qc-quantize cannot take: errors at the layer (named
// locations, so FileCheck rather than -verify-diagnostics).

// CHECK: error: loc("fc1"): qc-quantize: layer 'fc1': unknown qc.precision 'float16'
func.func @bad_spec(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0], [-0.75, 0.5, 1.5, -0.5]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = tosa.fully_connected %x, %w1, %b {qc.precision = "float16"} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc1")
  return %0 : tensor<1x2xf32>
}

// -----

// CHECK: error: loc("fc1"): qc-quantize: layer 'fc1': qc.precision must be a string (a weight spec such as "int4"), got 4 : i64
func.func @not_a_string(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0], [-0.75, 0.5, 1.5, -0.5]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = tosa.fully_connected %x, %w1, %b {qc.precision = 4} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc1")
  return %0 : tensor<1x2xf32>
}

// -----

// CHECK: error: loc("fc1"): qc-quantize: layer 'fc1': qc.precision 'binary' cannot apply: its weight is not a float constant
func.func @runtime_weight(%x: tensor<1x4xf32>, %w: tensor<2x4xf32>) -> tensor<1x2xf32> {
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = tosa.fully_connected %x, %w, %b {qc.precision = "binary"} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc1")
  return %0 : tensor<1x2xf32>
}
