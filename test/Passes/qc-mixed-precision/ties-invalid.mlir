// RUN: not qc-opt %s --qc-mixed-precision="cost=latency budget=1 activation-bits=1 isa=avx512" 2>&1 | FileCheck %s
// RUN: qc-opt %s --qc-mixed-precision="cost=latency budget=1 activation-bits=1 isa=avx512 ties=0" | FileCheck %s --check-prefix=UNTIED

// fc1 reads 8-bit activations (quantized in the IR) and is pinned to int8;
// fc2 reads float activations costed as 1-bit (activation-bits=1), where
// only binary weights have a measured route (XNOR). Their outputs meet in
// an add, so they must share a choice, and they have none in common.
// CHECK: error: qc-mixed-precision: tied layers fc1+fc2 must share a choice but have none in common (fc1: int8 (pinned); fc2: binary)

// UNTIED-LABEL: func.func @residual
// UNTIED: tosa.fully_connected {{.*}}qc.precision = "int8"
// UNTIED: tosa.fully_connected {{.*}}qc.precision = "binary"
// UNTIED: tosa.fully_connected {{.*}}qc.precision = "int8"
!act = !quant.uniform<i8:f32, 0.1>
func.func @residual(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %w = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0, -0.75, 0.5, 1.5, -0.5], [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8], [1.0, -1.0, 1.0, -1.0, 0.5, -0.5, 0.25, -0.25], [0.3, 0.3, -0.3, 0.9, 0.1, -0.2, 0.0, 0.4], [0.5, -1.0, 0.25, 2.0, -0.75, 0.5, 1.5, -0.5], [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8], [1.0, -1.0, 1.0, -1.0, 0.5, -0.5, 0.25, -0.25], [0.3, 0.3, -0.3, 0.9, 0.1, -0.2, 0.0, 0.4]]> : tensor<8x8xf32>} : () -> tensor<8x8xf32>
  %b = "tosa.const"() {value = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %q = qc.quantize %x : tensor<1x8xf32> -> tensor<1x8x!act>
  %d = qc.dequantize %q : tensor<1x8x!act> -> tensor<1x8xf32>
  %0 = tosa.fully_connected %d, %w, %b : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc1")
  %1 = tosa.fully_connected %x, %w, %b : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc2")
  %s = tosa.add %0, %1 : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
  %q2 = qc.quantize %s : tensor<1x8xf32> -> tensor<1x8x!act>
  %d2 = qc.dequantize %q2 : tensor<1x8x!act> -> tensor<1x8xf32>
  %2 = tosa.fully_connected %d2, %w, %b : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc3")
  return %2 : tensor<1x8xf32>
}
