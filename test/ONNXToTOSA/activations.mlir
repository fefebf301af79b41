// Activations and the inference no-ops: Relu and Clip become tosa.clamp
// (Clip bounds as inputs from opset 11, as attributes before; an omitted
// bound is infinite), Sign is two selects so that Sign(0) = 0, HardSigmoid
// is a clamped affine map, Identity/Dropout vanish, and Softmax is
// exp(x - max) / sum: along the last axis at opset 13, over the coerced 2-D
// block before.

// RUN: qc-translate --import-onnx %S/Inputs/activations.onnx | qc-opt | FileCheck %s
// RUN: qc-translate --import-onnx %S/Inputs/activations-opset9.onnx | qc-opt | FileCheck %s --check-prefix=OPSET9

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<?x3x2x2xf32>
// CHECK: %[[RELU:.*]] = tosa.clamp %[[X]] {max_fp = 0x7F800000 : f32, max_int = 9223372036854775807 : i64, min_fp = 0.000000e+00 : f32, min_int = 0 : i64}
// CHECK: %[[CLIP:.*]] = tosa.clamp %[[RELU]] {max_fp = 6.000000e+00 : f32, max_int = 6 : i64, min_fp = -1.000000e+00 : f32, min_int = -1 : i64}
// CHECK: %[[CLIP2:.*]] = tosa.clamp %[[CLIP]] {max_fp = 6.000000e+00 : f32, max_int = 6 : i64, min_fp = 0xFF800000 : f32
// CHECK: %[[ZERO:.*]] = "tosa.const"() <{value = dense<0.000000e+00> : tensor<1x1x1x1xf32>}>
// CHECK: %[[POS:.*]] = tosa.greater %[[CLIP2]], %[[ZERO]] : (tensor<?x3x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<?x3x2x2xi1>
// CHECK: %[[NEG:.*]] = tosa.greater %[[ZERO]], %[[CLIP2]]
// CHECK: %[[M1:.*]] = "tosa.const"() <{value = dense<-1.000000e+00> : tensor<1x1x1x1xf32>}>
// CHECK: %[[NZ:.*]] = tosa.select %[[NEG]], %[[M1]], %[[ZERO]]
// CHECK: %[[P1:.*]] = "tosa.const"() <{value = dense<1.000000e+00> : tensor<1x1x1x1xf32>}>
// CHECK: %[[SIGN:.*]] = tosa.select %[[POS]], %[[P1]], %[[NZ]]
// CHECK: %[[ALPHA:.*]] = "tosa.const"() <{value = dense<2.500000e-01> : tensor<1x1x1x1xf32>}>
// CHECK: %[[HS1:.*]] = tosa.mul %[[SIGN]], %[[ALPHA]]
// CHECK: %[[BETA:.*]] = "tosa.const"() <{value = dense<5.000000e-01> : tensor<1x1x1x1xf32>}>
// CHECK: %[[HS2:.*]] = tosa.add %[[HS1]], %[[BETA]]
// CHECK: %[[HS:.*]] = tosa.clamp %[[HS2]] {max_fp = 1.000000e+00 : f32, max_int = 1 : i64, min_fp = 0.000000e+00 : f32, min_int = 0 : i64}
// CHECK: %[[SIG:.*]] = tosa.sigmoid %[[HS]]
// CHECK: %[[TANH:.*]] = tosa.tanh %[[SIG]]
// CHECK: %[[MAX:.*]] = tosa.reduce_max %[[TANH]] {axis = 3 : i32} : (tensor<?x3x2x2xf32>) -> tensor<?x3x2x1xf32>
// CHECK: %[[SUB:.*]] = tosa.sub %[[TANH]], %[[MAX]]
// CHECK: %[[EXP:.*]] = tosa.exp %[[SUB]]
// CHECK: %[[SUM:.*]] = tosa.reduce_sum %[[EXP]] {axis = 3 : i32}
// CHECK: %[[INV:.*]] = tosa.reciprocal %[[SUM]]
// CHECK: %[[SM:.*]] = tosa.mul %[[EXP]], %[[INV]]
// CHECK: return %[[SM]]

// OPSET9-LABEL: func.func @main(
// OPSET9: %[[C:.*]] = tosa.clamp %arg0 {max_fp = 1.000000e+00 : f32, max_int = 1 : i64, min_fp = -1.000000e+00 : f32, min_int = -1 : i64}
// OPSET9: %[[FLAT:.*]] = tosa.reshape %[[C]] {new_shape = array<i64: -1, 12>}
// OPSET9: %[[MAX:.*]] = tosa.reduce_max %[[FLAT]] {axis = 1 : i32} : (tensor<?x12xf32>) -> tensor<?x1xf32>
// OPSET9: %[[SM:.*]] = tosa.mul
// OPSET9: %[[Y:.*]] = tosa.reshape %[[SM]] {new_shape = array<i64: -1, 3, 2, 2>}
// OPSET9: return %[[Y]]
