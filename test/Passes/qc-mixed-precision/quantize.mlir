// RUN: qc-opt %s --qc-mixed-precision="budget=470 sensitivity=attr choices=binary,ternary,int4,int8,none" --qc-quantize | FileCheck %s
// RUN: qc-opt %s --qc-mixed-precision="budget=470 sensitivity=attr choices=binary,ternary,int4,int8,none config-out=%t.json" | qc-opt --qc-quantize="weight-scheme=none" | FileCheck %s
// RUN: qc-opt %s --qc-quantize="weight-scheme=none config=%t.json" | FileCheck %s

// qc-quantize takes each layer's qc.precision as a --quant-config entry:
// the choice of choices.mlir's TIGHT budget (int8, binary, binary, int8)
// quantizes fc1..fc4 as that, whatever the pass options say, and the same
// as the config file qc-mixed-precision writes.
// CHECK-LABEL: func.func @mlp
// CHECK: qc.constant {{.*}} -> tensor<8x8x!quant.uniform<i8<-127:127>:f32:0
// CHECK: qc.constant {{.*}} -> tensor<8x8x!qc.binary<
// CHECK: qc.constant {{.*}} -> tensor<8x8x!qc.binary<
// CHECK: qc.constant {{.*}} -> tensor<8x8x!quant.uniform<i8<-127:127>:f32:0
// CHECK-NOT: qc.constant
func.func @mlp(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %w = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0, -0.75, 0.5, 1.5, -0.5], [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8], [1.0, -1.0, 1.0, -1.0, 0.5, -0.5, 0.25, -0.25], [0.3, 0.3, -0.3, 0.9, 0.1, -0.2, 0.0, 0.4], [0.5, -1.0, 0.25, 2.0, -0.75, 0.5, 1.5, -0.5], [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8], [1.0, -1.0, 1.0, -1.0, 0.5, -0.5, 0.25, -0.25], [0.3, 0.3, -0.3, 0.9, 0.1, -0.2, 0.0, 0.4]]> : tensor<8x8xf32>} : () -> tensor<8x8xf32>
  %b = "tosa.const"() {value = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %0 = tosa.fully_connected %x, %w, %b {qc.sensitivity = {binary = 1.0, ternary = 0.5, int4 = 0.1, int8 = 0.01, none = 0.0}} : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc1")
  %1 = tosa.fully_connected %0, %w, %b {qc.sensitivity = {binary = 2.0, ternary = 1.0, int4 = 0.2, int8 = 0.02, none = 0.0}} : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc2")
  %2 = tosa.fully_connected %1, %w, %b {qc.sensitivity = {binary = 0.3, ternary = 0.2, int4 = 0.1, int8 = 0.0, none = 0.0}} : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc3")
  %3 = tosa.fully_connected %2, %w, %b {qc.sensitivity = {binary = 0.05, ternary = 0.04, int4 = 0.03, int8 = 0.01, none = 0.0}} : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc4")
  return %3 : tensor<1x8xf32>
}
