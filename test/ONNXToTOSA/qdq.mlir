// QDQ: QuantizeLinear/DequantizeLinear become qc.quantize/qc.dequantize
// with !quant.uniform types (uint8 and int8 zero points, per tensor and per
// axis), int8 weight initializers become packed qc.constants, int32 biases
// are dequantized at import, and a constant QDQ pair stays as qc ops for
// later folding. Canonicalization folds the packed weights back to the
// values (q - z) * s, which checks the packing.

// RUN: qc-translate --import-onnx %S/Inputs/qdq.onnx | qc-opt --mlir-elide-elementsattrs-if-larger=4 | FileCheck %s
// RUN: qc-translate --import-onnx %S/Inputs/qdq-weights.onnx | qc-opt | FileCheck %s --check-prefix=PACKED
// RUN: qc-translate --import-onnx %S/Inputs/qdq-weights.onnx | qc-opt -canonicalize | FileCheck %s --check-prefix=FOLDED

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<?x3x4x4xf32>
// CHECK: %[[XQ:.*]] = qc.quantize %[[X]] : tensor<?x3x4x4xf32> -> tensor<?x3x4x4x!quant.uniform<u8:f32, 0.019999999552965164:128>>
// CHECK: %[[XD:.*]] = qc.dequantize %[[XQ]] : tensor<?x3x4x4x!quant.uniform<u8:f32, 0.019999999552965164:128>> -> tensor<?x3x4x4xf32>
// CHECK: %[[WQ:.*]] = qc.constant dense_resource<__elided__> : tensor<4x3x3x1xi32> -> tensor<4x3x3x3x!quant.uniform<i8:f32:0, {0.10000000149011612,0.20000000298023224,0.05000000074505806,0.0099999997764825821}>>
// CHECK: %[[WD:.*]] = qc.dequantize %[[WQ]]
// CHECK: %[[B:.*]] = "tosa.const"() <{value = dense<[0.0200000014, -0.0400000028, 0.0600000024, 0.000000e+00]> : tensor<4xf32>}>
// CHECK: %[[XT:.*]] = tosa.transpose %[[XD]]
// CHECK: %[[WT:.*]] = tosa.transpose %[[WD]], %{{.*}} : (tensor<4x3x3x3xf32>, tensor<4xi32>) -> tensor<4x3x3x3xf32>
// CHECK: tosa.conv2d %[[XT]], %[[WT]], %[[B]]
// CHECK: %[[FW:.*]] = "tosa.const"() <{value = dense_resource<__elided__> : tensor<64x2xf32>}>
// CHECK: %[[FQ:.*]] = qc.quantize %[[FW]] : tensor<64x2xf32> -> tensor<64x2x!quant.uniform<u8:f32, 5.000000e-01>>
// CHECK: %[[FD:.*]] = qc.dequantize %[[FQ]]
// CHECK: tosa.reshape %[[FD]] {new_shape = array<i64: 1, 64, 2>}
// CHECK: tosa.matmul

// PACKED-LABEL: func.func @main()
// PACKED: %[[W:.*]] = qc.constant dense<{{\[\[}}196353], [32640]]> : tensor<2x1xi32> -> tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01:1}>>
// PACKED: qc.dequantize %[[W]]
// PACKED: %[[U:.*]] = qc.constant dense<16744448> : tensor<1xi32> -> tensor<3x!quant.uniform<u8:f32, 5.000000e-01:128>>
// PACKED: qc.dequantize %[[U]]

// FOLDED-LABEL: func.func @main()
// FOLDED: arith.constant dense<{{\[\[}}5.000000e-01, -5.000000e-01, 1.000000e+00], [-3.225000e+01, 3.150000e+01, -2.500000e-01]]> : tensor<2x3xf32>
// FOLDED: arith.constant dense<[-6.400000e+01, 0.000000e+00, 6.350000e+01]> : tensor<3xf32>
