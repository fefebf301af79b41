// RUN: qc-opt %s --qc-mixed-precision="budget=784 sensitivity=attr choices=binary,int4,int8" | FileCheck %s
// RUN: qc-opt %s --qc-mixed-precision="budget=784 sensitivity=attr choices=binary,int4,int8 ties=0" | FileCheck %s --check-prefix=UNTIED

// fc2's output (through a ReLU) and fc3's meet in a residual add, fc4's and
// fc5's (one through a constant scale) in a concat: each pair is tied and
// takes one choice, though alone fc2 would take int4 and fc3 binary, fc4
// binary and fc5 int4. The first and last layers are pinned to int8.

// CHECK-LABEL: func.func @residual
// CHECK: tosa.fully_connected {{.*}}qc.precision = "int8"
// CHECK: tosa.fully_connected {{.*}}qc.precision = "[[A:[a-z0-9]+]]"
// CHECK: tosa.fully_connected {{.*}}qc.precision = "[[A]]"
// CHECK: tosa.fully_connected {{.*}}qc.precision = "[[B:[a-z0-9]+]]"
// CHECK: tosa.fully_connected {{.*}}qc.precision = "[[B]]"
// CHECK: tosa.fully_connected {{.*}}qc.precision = "int8"
// UNTIED-LABEL: func.func @residual
// UNTIED: tosa.fully_connected {{.*}}qc.precision = "int4"
// UNTIED: tosa.fully_connected {{.*}}qc.precision = "binary"
// UNTIED: tosa.fully_connected {{.*}}qc.precision = "binary"
// UNTIED: tosa.fully_connected {{.*}}qc.precision = "int4"
func.func @residual(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %w = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0, -0.75, 0.5, 1.5, -0.5], [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8], [1.0, -1.0, 1.0, -1.0, 0.5, -0.5, 0.25, -0.25], [0.3, 0.3, -0.3, 0.9, 0.1, -0.2, 0.0, 0.4], [0.5, -1.0, 0.25, 2.0, -0.75, 0.5, 1.5, -0.5], [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8], [1.0, -1.0, 1.0, -1.0, 0.5, -0.5, 0.25, -0.25], [0.3, 0.3, -0.3, 0.9, 0.1, -0.2, 0.0, 0.4]]> : tensor<8x8xf32>} : () -> tensor<8x8xf32>
  %w16 = "tosa.const"() {value = dense<0.25> : tensor<8x16xf32>} : () -> tensor<8x16xf32>
  %b = "tosa.const"() {value = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %two = "tosa.const"() {value = dense<2.0> : tensor<1x8xf32>} : () -> tensor<1x8xf32>
  %0 = tosa.fully_connected %x, %w, %b {qc.sensitivity = {binary = 1.0, int4 = 0.1, int8 = 0.0}} : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc1")
  %1 = tosa.fully_connected %0, %w, %b {qc.sensitivity = {binary = 1.0, int4 = 0.01, int8 = 0.0}} : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc2")
  %r = tosa.clamp %1 {min_fp = 0.0 : f32, max_fp = 3.4e38 : f32, min_int = 0 : i64, max_int = 9223372036854775807 : i64} : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %2 = tosa.fully_connected %r, %w, %b {qc.sensitivity = {binary = 0.02, int4 = 0.01, int8 = 0.0}} : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc3")
  %s = tosa.add %r, %2 : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
  %3 = tosa.fully_connected %s, %w, %b {qc.sensitivity = {binary = 0.02, int4 = 0.01, int8 = 0.0}} : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc4")
  %4 = tosa.fully_connected %s, %w, %b {qc.sensitivity = {binary = 1.0, int4 = 0.01, int8 = 0.0}} : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc5")
  %5 = tosa.mul %4, %two {shift = 0 : i8} : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
  %c = tosa.concat %3, %5 {axis = 1 : i32} : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x16xf32>
  %6 = tosa.fully_connected %c, %w16, %b {qc.sensitivity = {binary = 1.0, int4 = 0.1, int8 = 0.0}} : (tensor<1x16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc6")
  return %6 : tensor<1x8xf32>
}
