// RUN: qc-opt %s --qc-quantize | FileCheck %s

// Written by hand, qc.precision overrides the first/last policy (fc1 is
// the first layer, which the options would keep int8) and "none" keeps a
// layer float; layers without it follow the options (int8 here).
// CHECK-LABEL: func.func @hand
// CHECK: qc.constant {{.*}} -> tensor<2x4x!quant.uniform<i4<-7:7>:f32:0
// CHECK-NOT: qc.constant
// CHECK: tosa.fully_connected {{.*}}qc.precision = "none"
// CHECK-LABEL: return
func.func @hand(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0], [-0.75, 0.5, 1.5, -0.5]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %w2 = "tosa.const"() {value = dense<[[0.5, -1.0], [0.25, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = tosa.fully_connected %x, %w1, %b {qc.precision = "int4"} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc1")
  %1 = tosa.fully_connected %0, %w2, %b {qc.precision = "none"} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc2")
  return %1 : tensor<1x2xf32>
}

