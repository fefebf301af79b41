// RUN: qc-opt %s -split-input-file -convert-qc-to-linalg | FileCheck %s

// Per-axis parameters enter the element-wise generic as 1-D constants
// indexed by the axis; dequantize disappears; signatures become float.
// CHECK-LABEL: func.func @uniform_per_axis
// CHECK-SAME: (%[[X:.*]]: tensor<?x2xf32>) -> tensor<?x2xf32>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[2.500000e-01, 5.000000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[Z:.*]] = arith.constant dense<[3.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[S]], %[[Z]] : tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK: math.roundeven
// CHECK: arith.maximumf %{{.*}}, %{{.*}}
// CHECK: arith.minimumf
// CHECK-NOT: qc.
func.func @uniform_per_axis(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %q = qc.quantize %x : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<i8:f32:1, {0.25:3, 0.5:-2}>>
  %d = qc.dequantize %q : tensor<?x2x!quant.uniform<i8:f32:1, {0.25:3, 0.5:-2}>> -> tensor<?x2xf32>
  return %d : tensor<?x2xf32>
}

// -----

// A packed constant becomes the float constant its codes stand for:
// words 5 = 0b101 -> codes 1 0 1 -> -0.5 0.5 -0.5.
// CHECK-LABEL: func.func @binary_constant
// CHECK: %[[C:.*]] = arith.constant dense<[-5.000000e-01, 5.000000e-01, -5.000000e-01]> : tensor<3xf32>
// CHECK: return %[[C]]
func.func @binary_constant() -> tensor<3x!qc.binary<f32, alpha = [0.5]>> {
  %c = qc.constant dense<5> : tensor<1xi32> -> tensor<3x!qc.binary<f32, alpha = [0.5]>>
  return %c : tensor<3x!qc.binary<f32, alpha = [0.5]>>
}

