// A LeNet-style classifier with a dynamic batch: the signature keeps the
// symbolic batch as `?`, each Conv/Pool is wrapped in NCHW <-> NHWC
// transposes, Flatten keeps ONNX's NCHW order, Gemm becomes fully_connected.
// The output goes through qc-opt, so it also re-parses and verifies.

// RUN: qc-translate --import-onnx %S/Inputs/lenet.onnx | qc-opt --mlir-elide-elementsattrs-if-larger=16 | FileCheck %s

// CHECK: module attributes {onnx.graph_name = "lenet"}
// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[IN:.*]]: tensor<?x1x28x28xf32> {onnx.name = "input"})
// CHECK-SAME: -> (tensor<?x10xf32> {onnx.name = "logits"})
// CHECK: %[[B1:.*]] = "tosa.const"() <{value = dense<{{.*}}> : tensor<4xf32>}>
// CHECK: %[[TO_NHWC:.*]] = "tosa.const"() <{value = dense<[0, 2, 3, 1]> : tensor<4xi32>}>
// CHECK: %[[X:.*]] = tosa.transpose %[[IN]], %[[TO_NHWC]] : (tensor<?x1x28x28xf32>, tensor<4xi32>) -> tensor<?x28x28x1xf32>
// CHECK: %[[W1:.*]] = "tosa.const"() <{value = dense_resource<__elided__> : tensor<4x5x5x1xf32>}>
// CHECK: %[[C1:.*]] = tosa.conv2d %[[X]], %[[W1]], %[[B1]] {dilation = array<i64: 1, 1>, pad = array<i64: 2, 2, 2, 2>, stride = array<i64: 1, 1>} : {{.*}} -> tensor<?x28x28x4xf32>
// CHECK: %[[TO_NCHW:.*]] = "tosa.const"() <{value = dense<[0, 3, 1, 2]> : tensor<4xi32>}>
// CHECK: %[[C1T:.*]] = tosa.transpose %[[C1]], %[[TO_NCHW]] : {{.*}} -> tensor<?x4x28x28xf32>
// CHECK: %[[R1:.*]] = tosa.clamp %[[C1T]] {max_fp = 0x7F800000 : f32, max_int = 9223372036854775807 : i64, min_fp = 0.000000e+00 : f32, min_int = 0 : i64}
// CHECK: %[[P1:.*]] = tosa.max_pool2d %{{.*}} {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<?x28x28x4xf32>) -> tensor<?x14x14x4xf32>
// CHECK: %[[P1T:.*]] = tosa.transpose %[[P1]], %{{.*}} : {{.*}} -> tensor<?x4x14x14xf32>
// CHECK: %[[FLAT:.*]] = tosa.reshape %[[P1T]] {new_shape = array<i64: -1, 784>} : (tensor<?x4x14x14xf32>) -> tensor<?x784xf32>
// CHECK: %[[W2:.*]] = "tosa.const"() <{value = dense_resource<__elided__> : tensor<10x784xf32>}>
// CHECK: %[[B2:.*]] = "tosa.const"() <{value = dense<{{.*}}> : tensor<10xf32>}>
// CHECK: %[[FC:.*]] = tosa.fully_connected %[[FLAT]], %[[W2]], %[[B2]] : (tensor<?x784xf32>, tensor<10x784xf32>, tensor<10xf32>) -> tensor<?x10xf32>
// CHECK: return %[[FC]] : tensor<?x10xf32>
