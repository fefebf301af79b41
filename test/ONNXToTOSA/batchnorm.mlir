// BatchNormalization in inference mode: constant parameters fold to one
// per-channel multiply-add, a = scale / sqrt(var + eps), b = B - mean * a
// (here a = [0.5, 4], b = [0.5, -4.5]), for opset 9 (spatial attribute)
// and 15 alike; run-time parameters take the general formula.

// RUN: qc-translate --import-onnx %S/Inputs/batchnorm-opset9.onnx | qc-opt | FileCheck %s --check-prefix=FOLD
// RUN: qc-translate --import-onnx %S/Inputs/batchnorm-opset15.onnx | qc-opt | FileCheck %s --check-prefix=FOLD
// RUN: qc-translate --import-onnx %S/Inputs/batchnorm-dynamic.onnx | qc-opt | FileCheck %s --check-prefix=DYN

// FOLD-LABEL: func.func @main(
// FOLD-SAME: %[[X:.*]]: tensor<?x2x3x3xf32>
// FOLD: %[[A:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}5.000000e-01]], {{\[\[}}4.000000e+00]]]]> : tensor<1x2x1x1xf32>}>
// FOLD: %[[B:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}5.000000e-01]], {{\[\[}}-4.500000e+00]]]]> : tensor<1x2x1x1xf32>}>
// FOLD: %[[M:.*]] = tosa.mul %[[X]], %[[A]] {shift = 0 : i8} : (tensor<?x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<?x2x3x3xf32>
// FOLD: %[[Y:.*]] = tosa.add %[[M]], %[[B]]
// FOLD: return %[[Y]] : tensor<?x2x3x3xf32>

// DYN-LABEL: func.func @main(
// DYN-SAME: %[[X:[^:]*]]: tensor<1x2x3x3xf32> {{.*}}, %[[S:[^:]*]]: tensor<2xf32> {{.*}}, %[[B:[^:]*]]: tensor<2xf32> {{.*}}, %[[M:[^:]*]]: tensor<2xf32> {{.*}}, %[[V:[^:]*]]: tensor<2xf32>
// DYN-DAG: %[[S4:.*]] = tosa.reshape %[[S]] {new_shape = array<i64: 1, 2, 1, 1>}
// DYN-DAG: %[[B4:.*]] = tosa.reshape %[[B]] {new_shape = array<i64: 1, 2, 1, 1>}
// DYN-DAG: %[[M4:.*]] = tosa.reshape %[[M]] {new_shape = array<i64: 1, 2, 1, 1>}
// DYN-DAG: %[[V4:.*]] = tosa.reshape %[[V]] {new_shape = array<i64: 1, 2, 1, 1>}
// DYN: %[[EPS:.*]] = "tosa.const"() <{value = dense<9.99999974E-6> : tensor<1x1x1x1xf32>}>
// DYN: %[[VE:.*]] = tosa.add %[[V4]], %[[EPS]]
// DYN: %[[R:.*]] = tosa.rsqrt %[[VE]]
// DYN: %[[SR:.*]] = tosa.mul %[[S4]], %[[R]]
// DYN: %[[C:.*]] = tosa.sub %[[X]], %[[M4]]
// DYN: %[[CS:.*]] = tosa.mul %[[C]], %[[SR]]
// DYN: %[[Y:.*]] = tosa.add %[[CS]], %[[B4]]
// DYN: return %[[Y]]
