// RUN: qc-opt %s --split-input-file --convert-qc-to-runtime-calls --mlir-print-elementsattrs-with-hex-if-larger=-1 | FileCheck %s

// A float convolution with constant weights calls the conv2d ukernel on the
// same buffers; its weights, FHWC [2][1][2][3], are packed at compile time to
// [KH][KW][C][Fp] = [1][2][3][32], output channels innermost, padded with
// zeros. Weight (f, kh, kw, c) = 100 f + 10 kw + c here, so packed row
// (kw, c) holds f = 0 and 1: 10 kw + c and 100 + 10 kw + c.

// CHECK-DAG: func.func private @qc_rt_conv2d_f32(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64) -> i32 attributes {llvm.emit_c_interface}
// CHECK-DAG: memref.global "private" constant @weights_packed : memref<1x2x3x32xf32> = dense<{{\[\[\[\[}}0.000000e+00, 1.000000e+02, 0.000000e+00,
// CHECK-NOT: memref.global "private" constant @weights :
// CHECK-LABEL: func.func @conv
// CHECK: %[[W:.*]] = memref.get_global @weights_packed : memref<1x2x3x32xf32>
// CHECK-DAG: %[[IN:.*]] = memref.cast %arg0 : memref<?x4x5x3xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK-DAG: %[[WC:.*]] = memref.cast %[[W]]
// CHECK-DAG: %[[OUT:.*]] = memref.cast %arg1
// CHECK-DAG: %[[S0:.*]] = arith.constant 2 : i64
// CHECK-DAG: %[[S1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[D0:.*]] = arith.constant 3 : i64
// CHECK: call @qc_rt_conv2d_f32(%[[IN]], %[[WC]], %[[OUT]], %[[S0]], %[[S1]], %{{.*}}, %[[D0]])
// CHECK-NOT: linalg.conv_2d
memref.global "private" constant @weights : memref<2x1x2x3xf32> = dense<[[[[0.0, 1.0, 2.0], [10.0, 11.0, 12.0]]], [[[100.0, 101.0, 102.0], [110.0, 111.0, 112.0]]]]>
func.func @conv(%x: memref<?x4x5x3xf32>, %y: memref<?x2x2x2xf32>) {
  %w = memref.get_global @weights : memref<2x1x2x3xf32>
  linalg.conv_2d_nhwc_fhwc {dilations = dense<[1, 3]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%x, %w : memref<?x4x5x3xf32>, memref<2x1x2x3xf32>) outs(%y : memref<?x2x2x2xf32>)
  return
}

// -----

// A dense layer: x [M][K] times constant w [K][N], packed to [1][1][K][Np].

// CHECK-LABEL: func.func @dense
// CHECK: %[[W:.*]] = memref.get_global @fc_packed : memref<1x1x3x32xf32>
// CHECK: call @qc_rt_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}) : (memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>) -> i32
// CHECK-NOT: linalg.matmul
memref.global "private" constant @fc : memref<3x2xf32> = dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]>
func.func @dense(%x: memref<?x3xf32>, %y: memref<?x2xf32>) {
  %w = memref.get_global @fc : memref<3x2xf32>
  linalg.matmul ins(%x, %w : memref<?x3xf32>, memref<3x2xf32>) outs(%y : memref<?x2xf32>)
  return
}

// -----

// A float max pooling calls the max-pool ukernel with its window (from the
// window operand's shape), strides and dilations.

// CHECK-LABEL: func.func @max_pool
// CHECK-DAG: %[[KH:.*]] = arith.constant 3 : i64
// CHECK-DAG: %[[KW:.*]] = arith.constant 2 : i64
// CHECK-DAG: %[[S:.*]] = arith.constant 2 : i64
// CHECK-DAG: %[[D:.*]] = arith.constant 1 : i64
// CHECK: call @qc_rt_max_pool2d_f32(%{{.*}}, %{{.*}}, %[[KH]], %[[KW]],
// CHECK-NOT: linalg.pooling_nhwc_max
func.func @max_pool(%x: memref<?x9x8x5xf32>, %y: memref<?x4x4x5xf32>) {
  %window = memref.alloc() : memref<3x2xf32>
  linalg.pooling_nhwc_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%x, %window : memref<?x9x8x5xf32>, memref<3x2xf32>) outs(%y : memref<?x4x4x5xf32>)
  return
}

// -----

// Weights computed at run time, and integer convolutions, keep linalg.

// CHECK-LABEL: func.func @runtime_weights
// CHECK: linalg.conv_2d_nhwc_fhwc
// CHECK-LABEL: func.func @integer
// CHECK: linalg.conv_2d_nhwc_fhwc
// CHECK-NOT: call
func.func @runtime_weights(%x: memref<1x4x4x3xf32>, %w: memref<2x1x1x3xf32>, %y: memref<1x4x4x2xf32>) {
  linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x4x4x3xf32>, memref<2x1x1x3xf32>) outs(%y : memref<1x4x4x2xf32>)
  return
}
memref.global "private" constant @iweights : memref<2x1x1x3xi8> = dense<1>
func.func @integer(%x: memref<1x4x4x3xi8>, %y: memref<1x4x4x2xi32>) {
  %w = memref.get_global @iweights : memref<2x1x1x3xi8>
  linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x4x4x3xi8>, memref<2x1x1x3xi8>) outs(%y : memref<1x4x4x2xi32>)
  return
}
