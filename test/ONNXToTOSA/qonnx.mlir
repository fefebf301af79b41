// QONNX custom ops: Quant becomes qc.quantize + qc.dequantize with the
// storage range its signed/narrow flags give (4-bit signed narrow: -7..7,
// per channel along the scale's non-unit axis; 2-bit unsigned: 0..3),
// BipolarQuant uses !qc.binary, and an NCHW MultiThreshold is wrapped in
// transposes because qc.multi_threshold counts along the innermost axis.

// RUN: qc-translate --import-onnx %S/Inputs/qonnx.onnx | qc-opt --mlir-elide-elementsattrs-if-larger=4 | FileCheck %s

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<?x2x5x5xf32>
// CHECK: %[[W:.*]] = "tosa.const"() <{value = dense_resource<__elided__> : tensor<3x2x3x3xf32>}>
// CHECK: %[[WQ:.*]] = qc.quantize %[[W]] : tensor<3x2x3x3xf32> -> tensor<3x2x3x3x!quant.uniform<i4<-7:7>:f32:0, {0.10000000149011612,0.20000000298023224,0.30000001192092896}>>
// CHECK: %[[WD:.*]] = qc.dequantize %[[WQ]] : tensor<3x2x3x3x!quant.uniform<i4<-7:7>:f32:0, {0.10000000149011612,0.20000000298023224,0.30000001192092896}>> -> tensor<3x2x3x3xf32>
// CHECK: %[[XQ:.*]] = qc.quantize %[[X]] : tensor<?x2x5x5xf32> -> tensor<?x2x5x5x!quant.uniform<u2:f32, 2.500000e-01>>
// CHECK: %[[XD:.*]] = qc.dequantize %[[XQ]]
// CHECK: %[[C:.*]] = tosa.conv2d
// CHECK: %[[CT:.*]] = tosa.transpose %[[C]]
// CHECK: %[[BQ:.*]] = qc.quantize %[[CT]] : tensor<?x3x3x3xf32> -> tensor<?x3x3x3x!qc.binary<f32, alpha = [1.500000e+00]>>
// CHECK: %[[BD:.*]] = qc.dequantize %[[BQ]] : tensor<?x3x3x3x!qc.binary<f32, alpha = [1.500000e+00]>> -> tensor<?x3x3x3xf32>
// CHECK: %[[THR:.*]] = "tosa.const"() {{.*}} : () -> tensor<3x3xf32>
// CHECK: %[[TO_NHWC:.*]] = "tosa.const"() <{value = dense<[0, 2, 3, 1]> : tensor<4xi32>}>
// CHECK: %[[BT:.*]] = tosa.transpose %[[BD]], %[[TO_NHWC]]
// CHECK: %[[MT:.*]] = qc.multi_threshold %[[BT]], %[[THR]] {out_bias = -1.000000e+00 : f64, out_scale = 5.000000e-01 : f64} : tensor<?x3x3x3xf32>, tensor<3x3xf32> -> tensor<?x3x3x3xf32>
// CHECK: %[[TO_NCHW:.*]] = "tosa.const"() <{value = dense<[0, 3, 1, 2]> : tensor<4xi32>}>
// CHECK: %[[Y:.*]] = tosa.transpose %[[MT]], %[[TO_NCHW]]
// CHECK: return %[[Y]]
