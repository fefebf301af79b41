// RUN: qc-opt -canonicalize %qc_src_root/examples/binary-conv.mlir | FileCheck %s

// The README's main example: its float weights fold into packed sign words.
// Row (0, 0, 0) is [0.3, -0.2, 0.1, -0.4, 0.5, -0.1, 0.2, -0.3]: negatives
// at 1, 3, 5, 7 give 0b10101010 = 170; row (1, 0, 0) is all negative: 255.

// CHECK-LABEL: func.func @binary_conv
// CHECK-NOT: qc.quantize
// CHECK: qc.constant dense<{{\[\[\[\[}}170], [204], [85]], {{.*}}{{\[\[\[}}255], [0], [153]]
// CHECK-SAME: tensor<4x3x3x1xi32> -> tensor<4x3x3x8x!qc.binary<f32, alpha = [3.000000e-01, 3.000000e-01, 2.500000e-01, 2.000000e-01], axis = 0>>
// CHECK: qc.conv2d {{.*}}act = #qc.activation<sign>
