// A sign-activation binary layer as torch exports it imports as plain float
// ops: Sign of the activations and of the float weights, a float Conv, and
// BatchNormalization folded to a per-channel multiply-add. Quantizing it is
// qc-quantize's job, not the importer's.

// RUN: qc-translate --import-onnx %S/Inputs/sign-bnn.onnx | qc-opt --mlir-elide-elementsattrs-if-larger=4 | FileCheck %s

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<?x2x4x4xf32>
// CHECK: tosa.greater %[[X]]
// CHECK: tosa.select {{.*}} -> tensor<?x2x4x4xf32>
// CHECK: %[[XS:.*]] = tosa.select {{.*}} -> tensor<?x2x4x4xf32>
// CHECK: %[[W:.*]] = "tosa.const"() <{value = dense_resource<__elided__> : tensor<3x2x3x3xf32>}>
// CHECK: tosa.greater %[[W]]
// CHECK: tosa.select {{.*}} -> tensor<3x2x3x3xf32>
// CHECK: %[[WS:.*]] = tosa.select {{.*}} -> tensor<3x2x3x3xf32>
// CHECK: %[[XT:.*]] = tosa.transpose %[[XS]]
// CHECK: %[[WT:.*]] = tosa.transpose %[[WS]], %{{.*}} -> tensor<3x3x3x2xf32>
// CHECK: tosa.conv2d %[[XT]], %[[WT]]
// CHECK: tosa.mul
// CHECK: tosa.add
// CHECK-NOT: qc.
