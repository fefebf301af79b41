// RUN: not qc-opt %s --qc-mixed-precision="budget=1000" 2>&1 | FileCheck %s

// A dense layer whose weight is computed at run time is no candidate; with
// no other layer there is nothing to choose.
// CHECK: error: qc-mixed-precision: no conv or dense layer with constant float weights to choose a precision for
func.func @dynamic_weight(%x: tensor<1x4xf32>, %w: tensor<2x4xf32>) -> tensor<1x2xf32> {
  %b = "tosa.const"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = tosa.fully_connected %x, %w, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}
