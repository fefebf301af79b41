// RUN: qc-opt %s --split-input-file --convert-qc-to-runtime-calls --mlir-print-elementsattrs-with-hex-if-larger=-1 | FileCheck %s

// A float convolution with constant weights calls the conv2d ukernel on the
// same buffers. With no bias fill before it, the output's initial value is
// added (accumulate = 1, a bias of one zero) and nothing is clamped. Its
// weights, FHWC [2][1][2][3], are packed at compile time in panels of 32
// output channels, [Fp/32][KH][KW][C][32] = [1][1][2][3][32], output
// channels innermost, padded with zeros. Weight (f, kh, kw, c) =
// 100 f + 10 kw + c here, so packed row (kw, c) holds f = 0 and 1:
// 10 kw + c and 100 + 10 kw + c.

// CHECK-DAG: func.func private @qc_rt_conv2d_f32(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?x?xf32, strided<[?, ?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, i64, f32, f32) -> i32 attributes {llvm.emit_c_interface}
// CHECK-DAG: memref.global "private" constant @__qc_zero_bias : memref<1xf32> = dense<0.000000e+00>
// CHECK-DAG: memref.global "private" constant @weights_packed : memref<1x1x2x3x32xf32> = dense<{{\[\[\[\[\[}}0.000000e+00, 1.000000e+02, 0.000000e+00,
// CHECK-NOT: memref.global "private" constant @weights :
// CHECK-LABEL: func.func @conv
// CHECK: %[[W:.*]] = memref.get_global @weights_packed : memref<1x1x2x3x32xf32>
// CHECK-DAG: %[[IN:.*]] = memref.cast %arg0 : memref<?x4x5x3xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK-DAG: %[[WC:.*]] = memref.cast %[[W]]
// CHECK-DAG: %[[ZERO:.*]] = memref.get_global @__qc_zero_bias
// CHECK-DAG: %[[B:.*]] = memref.cast %[[ZERO]]
// CHECK-DAG: %[[OUT:.*]] = memref.cast %arg1
// CHECK-DAG: %[[S0:.*]] = arith.constant 2 : i64
// CHECK-DAG: %[[S1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[D0:.*]] = arith.constant 3 : i64
// CHECK: %[[ACC:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[LO:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[HI:.*]] = arith.constant 0x7F800000 : f32
// CHECK-NEXT: call @qc_rt_conv2d_f32(%[[IN]], %[[WC]], %[[B]], %[[OUT]], %[[S0]], %[[S1]], %{{.*}}, %[[D0]], %[[ACC]], %[[LO]], %[[HI]])
// CHECK-NOT: linalg.conv_2d
memref.global "private" constant @weights : memref<2x1x2x3xf32> = dense<[[[[0.0, 1.0, 2.0], [10.0, 11.0, 12.0]]], [[[100.0, 101.0, 102.0], [110.0, 111.0, 112.0]]]]>
func.func @conv(%x: memref<?x4x5x3xf32>, %y: memref<?x2x2x2xf32>) {
  %w = memref.get_global @weights : memref<2x1x2x3xf32>
  linalg.conv_2d_nhwc_fhwc {dilations = dense<[1, 3]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%x, %w : memref<?x4x5x3xf32>, memref<2x1x2x3xf32>) outs(%y : memref<?x2x2x2xf32>)
  return
}

// -----

// A dense layer: x [M][K] times constant w [K][N], packed to
// [Np/32][1][1][K][32].

// CHECK-LABEL: func.func @dense
// CHECK: %[[W:.*]] = memref.get_global @fc_packed : memref<1x1x1x3x32xf32>
// CHECK: call @qc_rt_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?x?x?x?xf32, strided<[?, ?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i64, f32, f32) -> i32
// CHECK-NOT: linalg.matmul
memref.global "private" constant @fc : memref<3x2xf32> = dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]>
func.func @dense(%x: memref<?x3xf32>, %y: memref<?x2xf32>) {
  %w = memref.get_global @fc : memref<3x2xf32>
  linalg.matmul ins(%x, %w : memref<?x3xf32>, memref<3x2xf32>) outs(%y : memref<?x2xf32>)
  return
}

// -----

// The output transform is folded into the call: the bias broadcast that
// fills the output right before the layer becomes the bias argument
// (accumulate = 0) and the in-place ReLU right after it the clamp's lower
// bound; both ops go. A clamp written as minimumf(maximumf(x, lo), hi)
// gives both bounds (the dense layer).

// CHECK-LABEL: func.func @conv_bias_relu
// CHECK-SAME: %[[BIAS:[a-z0-9]*]]: memref<2xf32>
// CHECK-NOT: linalg.generic
// CHECK-DAG: %[[B:.*]] = memref.cast %[[BIAS]] : memref<2xf32> to memref<?xf32, strided<[?], offset: ?>>
// CHECK: %[[ACC:.*]] = arith.constant 0 : i64
// CHECK-NEXT: %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[HI:.*]] = arith.constant 0x7F800000 : f32
// CHECK-NEXT: call @qc_rt_conv2d_f32(%{{.*}}, %{{.*}}, %[[B]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ACC]], %[[LO]], %[[HI]])
// CHECK-NOT: linalg.generic
// CHECK: return
#bias = affine_map<(d0, d1, d2, d3) -> (d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
memref.global "private" constant @w2 : memref<2x1x1x3xf32> = dense<1.0>
func.func @conv_bias_relu(%x: memref<?x4x4x3xf32>, %b: memref<2xf32>, %y: memref<?x4x4x2xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : memref<2xf32>) outs(%y : memref<?x4x4x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  %w = memref.get_global @w2 : memref<2x1x1x3xf32>
  linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<?x4x4x3xf32>, memref<2x1x1x3xf32>) outs(%y : memref<?x4x4x2xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y : memref<?x4x4x2xf32>) outs(%y : memref<?x4x4x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// CHECK-LABEL: func.func @dense_clamp
// CHECK: %[[ACC:.*]] = arith.constant 0 : i64
// CHECK-NEXT: %[[LO:.*]] = arith.constant -1.000000e+00 : f32
// CHECK-NEXT: %[[HI:.*]] = arith.constant 6.000000e+00 : f32
// CHECK-NEXT: call @qc_rt_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ACC]], %[[LO]], %[[HI]])
// CHECK-NOT: linalg.generic
#vbias = affine_map<(d0, d1) -> (d1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
memref.global "private" constant @fc2 : memref<3x2xf32> = dense<1.0>
memref.global "private" constant @fc2_bias : memref<2xf32> = dense<[0.5, -0.5]>
func.func @dense_clamp(%x: memref<?x3xf32>, %y: memref<?x2xf32>) {
  %lo = arith.constant -1.0 : f32
  %hi = arith.constant 6.0 : f32
  %b = memref.get_global @fc2_bias : memref<2xf32>
  linalg.generic {indexing_maps = [#vbias, #id2], iterator_types = ["parallel", "parallel"]} ins(%b : memref<2xf32>) outs(%y : memref<?x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  %w = memref.get_global @fc2 : memref<3x2xf32>
  linalg.matmul ins(%x, %w : memref<?x3xf32>, memref<3x2xf32>) outs(%y : memref<?x2xf32>)
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%y : memref<?x2xf32>) outs(%y : memref<?x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %lo : f32
    %c = arith.minimumf %m, %hi : f32
    linalg.yield %c : f32
  }
  return
}

// -----

// A clamp that reads an expand_shape of a dense layer's output and writes
// another buffer (a 1x1 convolution as a matmul, then ReLU6 in NHWC) is
// folded when nothing else reads the output: the call writes the clamp's
// buffer where the clamp was. That buffer being an NHWC image, the layer
// is called as the 1x1 convolution of its rows viewed in the image's pixel
// grid, writing the image itself; the views left unread are dropped.

// CHECK-LABEL: func.func @dense_relu6_into
// CHECK-SAME: %[[X:[a-z0-9]*]]: memref<4x3xf32>, %[[Z:[a-z0-9]*]]: memref<1x2x2x2xf32>
// CHECK-NOT: linalg.generic
// CHECK-NOT: memref.collapse_shape
// CHECK: %[[XI:.*]] = memref.expand_shape %[[X]] {{\[\[}}0, 1, 2], [3]] output_shape [1, 2, 2, 3] : memref<4x3xf32> into memref<1x2x2x3xf32>
// CHECK: %[[XC:.*]] = memref.cast %[[XI]]
// CHECK: %[[ZC:.*]] = memref.cast %[[Z]]
// CHECK: arith.constant 0.000000e+00 : f32
// CHECK-NEXT: arith.constant 6.000000e+00 : f32
// CHECK-NEXT: call @qc_rt_conv2d_f32(%[[XC]], %{{.*}}, %{{.*}}, %[[ZC]],
// CHECK-NOT: linalg.generic
// CHECK-NOT: memref.expand_shape
// CHECK: return
#vb = affine_map<(d0, d1) -> (d1)>
#i2 = affine_map<(d0, d1) -> (d0, d1)>
#i4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
memref.global "private" constant @fc3 : memref<3x2xf32> = dense<1.0>
memref.global "private" constant @fc3_bias : memref<2xf32> = dense<[0.5, -0.5]>
func.func @dense_relu6_into(%x: memref<4x3xf32>, %z: memref<1x2x2x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %y = memref.alloc() : memref<4x2xf32>
  %b = memref.get_global @fc3_bias : memref<2xf32>
  linalg.generic {indexing_maps = [#vb, #i2], iterator_types = ["parallel", "parallel"]} ins(%b : memref<2xf32>) outs(%y : memref<4x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  %w = memref.get_global @fc3 : memref<3x2xf32>
  linalg.matmul ins(%x, %w : memref<4x3xf32>, memref<3x2xf32>) outs(%y : memref<4x2xf32>)
  %v = memref.expand_shape %y [[0, 1, 2], [3]] output_shape [1, 2, 2, 2] : memref<4x2xf32> into memref<1x2x2x2xf32>
  linalg.generic {indexing_maps = [#i4, #i4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v : memref<1x2x2x2xf32>) outs(%z : memref<1x2x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.minimumf %in, %six : f32
    %r = arith.maximumf %m, %zero : f32
    linalg.yield %r : f32
  }
  memref.dealloc %y : memref<4x2xf32>
  return
}

// -----

// Nothing is folded that is not next to the layer on its output: a ReLU
// into another buffer, and a bias fill separated from the layer by an op
// that reads the output, stay; so does a non-NaN-propagating maxnumf.

// CHECK-LABEL: func.func @not_fused
// CHECK: linalg.generic
// CHECK: linalg.copy
// CHECK: %[[ACC:.*]] = arith.constant 1 : i64
// CHECK: call @qc_rt_conv2d_f32({{.*}}, %[[ACC]], %{{.*}}, %{{.*}})
// CHECK: linalg.generic
// CHECK: arith.maxnumf
// CHECK: linalg.generic
// CHECK: arith.maximumf
#bias3 = affine_map<(d0, d1, d2, d3) -> (d3)>
#id3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
memref.global "private" constant @w3 : memref<2x1x1x3xf32> = dense<1.0>
func.func @not_fused(%x: memref<?x4x4x3xf32>, %b: memref<2xf32>, %y: memref<?x4x4x2xf32>, %z: memref<?x4x4x2xf32>, %c: memref<?x4x4x2xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#bias3, #id3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : memref<2xf32>) outs(%y : memref<?x4x4x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.copy ins(%y : memref<?x4x4x2xf32>) outs(%c : memref<?x4x4x2xf32>)
  %w = memref.get_global @w3 : memref<2x1x1x3xf32>
  linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<?x4x4x3xf32>, memref<2x1x1x3xf32>) outs(%y : memref<?x4x4x2xf32>)
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y : memref<?x4x4x2xf32>) outs(%y : memref<?x4x4x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maxnumf %in, %zero : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y : memref<?x4x4x2xf32>) outs(%z : memref<?x4x4x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A depthwise convolution with multiplier 1 and constant weights calls the
// depthwise ukernel with the weights as they are ([KH][KW][C][1]). Its zero
// fill before, the bias added after (a [C][1] vector, collapsed to [C]) and
// the ReLU6 of its 4-D view into another buffer are folded: the call writes
// that buffer, where the ReLU6 was.

// CHECK-LABEL: func.func @depthwise
// CHECK-SAME: %[[X:[a-z0-9]*]]: memref<1x6x6x3xf32>, %[[B:[a-z0-9]*]]: memref<3x1xf32>, %[[Y:[a-z0-9]*]]: memref<1x4x4x3xf32>
// CHECK-NOT: linalg.
// CHECK: %[[BV:.*]] = memref.collapse_shape %[[B]] {{\[\[}}0, 1]] : memref<3x1xf32> into memref<3xf32>
// CHECK-DAG: %[[BC:.*]] = memref.cast %[[BV]]
// CHECK-DAG: %[[YC:.*]] = memref.cast %[[Y]] : memref<1x4x4x3xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: %[[ACC:.*]] = arith.constant 0 : i64
// CHECK-NEXT: %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[HI:.*]] = arith.constant 6.000000e+00 : f32
// CHECK-NEXT: call @qc_rt_depthwise_conv2d_f32(%{{.*}}, %{{.*}}, %[[BC]], %[[YC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ACC]], %[[LO]], %[[HI]])
// CHECK-NOT: linalg.
// CHECK: return
#dwbias = affine_map<(d0, d1, d2, d3, d4) -> (d3, d4)>
#dwid = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
memref.global "private" constant @dw : memref<3x3x3x1xf32> = dense<0.5>
func.func @depthwise(%x: memref<1x6x6x3xf32>, %b: memref<3x1xf32>, %y: memref<1x4x4x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %w = memref.get_global @dw : memref<3x3x3x1xf32>
  %acc = memref.alloc() : memref<1x4x4x3x1xf32>
  linalg.fill ins(%zero : f32) outs(%acc : memref<1x4x4x3x1xf32>)
  linalg.depthwise_conv_2d_nhwc_hwcm {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x6x6x3xf32>, memref<3x3x3x1xf32>) outs(%acc : memref<1x4x4x3x1xf32>)
  linalg.generic {indexing_maps = [#dwbias, #dwid, #dwid], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%b, %acc : memref<3x1xf32>, memref<1x4x4x3x1xf32>) outs(%acc : memref<1x4x4x3x1xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  }
  %v = memref.collapse_shape %acc [[0], [1], [2], [3, 4]] : memref<1x4x4x3x1xf32> into memref<1x4x4x3xf32>
  linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v : memref<1x4x4x3xf32>) outs(%y : memref<1x4x4x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.minimumf %in, %six : f32
    %r = arith.maximumf %m, %zero : f32
    linalg.yield %r : f32
  }
  memref.dealloc %acc : memref<1x4x4x3x1xf32>
  return
}

// -----

// What TOSA writes for a static batch of 1: the bias added out of place
// and elementwise ops reading their input through (0, d1, d2, d3) (the
// batch loop of extent 1). The depthwise layer, its bias and ReLU6 fold
// into one call writing the ReLU6's buffer, and so do a convolution and
// its ReLU6; the layers' own buffers are no longer written.

// CHECK-LABEL: func.func @batch_one
// CHECK-SAME: %[[B:[a-z0-9]*]]: memref<3x1xf32>, %[[Y:[a-z0-9]*]]: memref<1x4x4x3xf32>, %[[Z:[a-z0-9]*]]: memref<1x4x4x2xf32>
// CHECK-NOT: linalg.
// CHECK-DAG: %[[BV:.*]] = memref.collapse_shape %[[B]]
// CHECK-DAG: %[[BC:.*]] = memref.cast %[[BV]]
// CHECK-DAG: %[[YC:.*]] = memref.cast %[[Y]]
// CHECK: call @qc_rt_depthwise_conv2d_f32(%{{.*}}, %{{.*}}, %[[BC]], %[[YC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
// CHECK-DAG: %[[ZC:.*]] = memref.cast %[[Z]]
// CHECK: call @qc_rt_conv2d_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[ZC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
// CHECK-NOT: linalg.
// CHECK: return
#b1bias = affine_map<(d0, d1, d2, d3, d4) -> (d3, d4)>
#b1in5 = affine_map<(d0, d1, d2, d3, d4) -> (0, d1, d2, d3, d4)>
#b1id5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#b1in4 = affine_map<(d0, d1, d2, d3) -> (0, d1, d2, d3)>
#b1id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
memref.global "private" constant @b1dw : memref<3x3x3x1xf32> = dense<0.5>
memref.global "private" constant @b1w : memref<2x1x1x3xf32> = dense<1.0>
func.func @batch_one(%x: memref<1x6x6x3xf32>, %b: memref<3x1xf32>, %y: memref<1x4x4x3xf32>, %z: memref<1x4x4x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %w = memref.get_global @b1dw : memref<3x3x3x1xf32>
  %acc = memref.alloc() : memref<1x4x4x3x1xf32>
  linalg.fill ins(%zero : f32) outs(%acc : memref<1x4x4x3x1xf32>)
  linalg.depthwise_conv_2d_nhwc_hwcm {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x6x6x3xf32>, memref<3x3x3x1xf32>) outs(%acc : memref<1x4x4x3x1xf32>)
  %biased = memref.alloc() : memref<1x4x4x3x1xf32>
  linalg.generic {indexing_maps = [#b1bias, #b1in5, #b1id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%b, %acc : memref<3x1xf32>, memref<1x4x4x3x1xf32>) outs(%biased : memref<1x4x4x3x1xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  }
  %v = memref.collapse_shape %biased [[0], [1], [2], [3, 4]] : memref<1x4x4x3x1xf32> into memref<1x4x4x3xf32>
  linalg.generic {indexing_maps = [#b1in4, #b1id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v : memref<1x4x4x3xf32>) outs(%y : memref<1x4x4x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.minimumf %in, %six : f32
    %r = arith.maximumf %m, %zero : f32
    linalg.yield %r : f32
  }
  memref.dealloc %acc : memref<1x4x4x3x1xf32>
  memref.dealloc %biased : memref<1x4x4x3x1xf32>
  %w2 = memref.get_global @b1w : memref<2x1x1x3xf32>
  %c = memref.alloc() : memref<1x4x4x2xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<1x4x4x2xf32>)
  linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%y, %w2 : memref<1x4x4x3xf32>, memref<2x1x1x3xf32>) outs(%c : memref<1x4x4x2xf32>)
  linalg.generic {indexing_maps = [#b1in4, #b1id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c : memref<1x4x4x2xf32>) outs(%z : memref<1x4x4x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.minimumf %in, %six : f32
    %r = arith.maximumf %m, %zero : f32
    linalg.yield %r : f32
  }
  memref.dealloc %c : memref<1x4x4x2xf32>
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

// The window sums of an average pooling call the sum-pool ukernel, with
// the same arguments.

// CHECK-LABEL: func.func @sum_pool
// CHECK: %[[KH:.*]] = arith.constant 3 : i64
// CHECK-NEXT: %[[KW:.*]] = arith.constant 3 : i64
// CHECK: call @qc_rt_sum_pool2d_f32(%{{.*}}, %{{.*}}, %[[KH]], %[[KW]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
// CHECK-NOT: linalg.pooling_nhwc_sum
func.func @sum_pool(%x: memref<1x32x32x3xf32>, %y: memref<1x30x30x3xf32>) {
  %window = memref.alloc() : memref<3x3xf32>
  linalg.pooling_nhwc_sum {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %window : memref<1x32x32x3xf32>, memref<3x3xf32>) outs(%y : memref<1x30x30x3xf32>)
  return
}

// -----

// An integer convolution on int32 activations with constant int8 weights
// calls the int32 x int8 ukernel, which accumulates into the output; its
// weights are packed twice: for the Halide kernel ([KH][KW][C][Fp], int8),
// and for u8 x s8 dot products in panels of 32 filters
// ([Fp/32][KH][KW][CB][32][4], four channels of a filter side by side,
// zero-padded) with each filter's sum.

// CHECK-DAG: memref.global "private" constant @iweights32_packed : memref<1x1x3x32xi8> = dense<{{\[\[\[\[}}1, -4, 0,
// CHECK-DAG: memref.global "private" constant @iweights32_packed_dot : memref<1x1x1x1x32x4xi8> = dense<{{\[\[\[\[\[\[}}1, 2, 3, 0], [-4, -5, -6, 0], [0, 0, 0, 0],
// CHECK-DAG: memref.global "private" constant @iweights32_sums : memref<32xi32> = dense<[6, -15, 0,
// CHECK-LABEL: func.func @integer_i32
// CHECK-DAG: %[[W:.*]] = memref.get_global @iweights32_packed : memref<1x1x3x32xi8>
// CHECK-DAG: %[[DOT:.*]] = memref.get_global @iweights32_packed_dot : memref<1x1x1x1x32x4xi8>
// CHECK-DAG: %[[SUMS:.*]] = memref.get_global @iweights32_sums : memref<32xi32>
// CHECK: call @qc_rt_conv2d_i32_i8(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (memref<?x?x?x?xi32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xi8, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?x?x?xi8, strided<[?, ?, ?, ?, ?, ?], offset: ?>>, memref<?xi32, strided<[?], offset: ?>>, memref<?x?x?x?xi32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, i64) -> i32
// CHECK-NOT: linalg.conv_2d
memref.global "private" constant @iweights32 : memref<2x1x1x3xi8> = dense<[[[[1, 2, 3]]], [[[-4, -5, -6]]]]>
func.func @integer_i32(%x: memref<?x4x4x3xi32>, %y: memref<?x4x4x2xi32>) {
  %w = memref.get_global @iweights32 : memref<2x1x1x3xi8>
  linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<?x4x4x3xi32>, memref<2x1x1x3xi8>) outs(%y : memref<?x4x4x2xi32>)
  return
}

// A dense layer as matmul_transpose_b (weights [N][K], as the quantized
// importer writes Gemm) on int32 activations and int8 weights, on plain
// matrices, calls the integer convolution on the rows viewed as a one-row
// image [1][1][M][K] with the 1 x 1 filter's weight forms (so that it takes
// the u8 x s8 dot products): the weights transposed into [1][1][K][Np], in
// dot-product panels, and their sums. On a strided view it calls the
// integer matmul.

// CHECK-DAG: memref.global "private" constant @qfc_packed : memref<1x1x3x32xi8> = dense<{{\[\[\[\[}}1, 4, 0,
// CHECK-DAG: memref.global "private" constant @qfc_packed_dot : memref<1x1x1x1x32x4xi8> = dense<{{\[\[\[\[\[\[}}1, 2, 3, 0], [4, 5, 6, 0], [0, 0, 0, 0],
// CHECK-DAG: memref.global "private" constant @qfc_sums : memref<32xi32> = dense<[6, 15, 0,
// CHECK-LABEL: func.func @integer_dense
// CHECK-SAME: (%[[X:.*]]: memref<?x3xi32>, %[[Y:.*]]: memref<?x2xi32>)
// CHECK-DAG: %[[XI:.*]] = memref.expand_shape %[[X]] {{\[\[}}0, 1, 2], [3]] output_shape [1, 1, %{{.*}}, 3]
// CHECK-DAG: %[[YI:.*]] = memref.expand_shape %[[Y]] {{\[\[}}0, 1, 2], [3]] output_shape [1, 1, %{{.*}}, 2]
// CHECK-DAG: %[[XC:.*]] = memref.cast %[[XI]]
// CHECK-DAG: %[[YC:.*]] = memref.cast %[[YI]]
// CHECK: call @qc_rt_conv2d_i32_i8(%[[XC]], %{{.*}}, %{{.*}}, %{{.*}}, %[[YC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
// CHECK-NOT: linalg.matmul_transpose_b
// CHECK-LABEL: func.func @integer_dense_strided
// CHECK: call @qc_rt_matmul_i32_i8(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (memref<?x?xi32, strided<[?, ?], offset: ?>>, memref<?x?x?x?xi8, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?xi32, strided<[?, ?], offset: ?>>, i64) -> i32
memref.global "private" constant @qfc : memref<2x3xi8> = dense<[[1, 2, 3], [4, 5, 6]]>
func.func @integer_dense(%x: memref<?x3xi32>, %y: memref<?x2xi32>) {
  %w = memref.get_global @qfc : memref<2x3xi8>
  linalg.matmul_transpose_b ins(%x, %w : memref<?x3xi32>, memref<2x3xi8>) outs(%y : memref<?x2xi32>)
  return
}
func.func @integer_dense_strided(%x: memref<4x3xi32, strided<[6, 1]>>, %y: memref<4x2xi32>) {
  %w = memref.get_global @qfc : memref<2x3xi8>
  linalg.matmul_transpose_b ins(%x, %w : memref<4x3xi32, strided<[6, 1]>>, memref<2x3xi8>) outs(%y : memref<4x2xi32>)
  return
}

// A zero fill of an integer layer's output right before it becomes the
// kernel's plain store (accumulate 0), and so does a copy from a buffer
// that a zero fill wrote with nothing touching it since (bufferization
// copies a fill that two layers start from); the buffer keeps its fill for
// its other reader.

// CHECK-LABEL: func.func @integer_zero_inits
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: linalg.fill ins(%[[ZERO]] : i32) outs(%[[SHARED:.*]] : memref<?x2x2x2xi32>)
// CHECK-NOT: linalg.fill
// CHECK-NOT: linalg.copy
// CHECK: %[[OVERWRITE:.*]] = arith.constant 0 : i64
// CHECK-NEXT: call @qc_rt_conv2d_i32_i8({{.*}}, %[[OVERWRITE]]) :
// CHECK-NOT: linalg.fill
// CHECK: %[[OVERWRITE2:.*]] = arith.constant 0 : i64
// CHECK-NEXT: call @qc_rt_conv2d_i32_i8({{.*}}, %[[OVERWRITE2]]) :
// CHECK: return
func.func @integer_zero_inits(%x: memref<?x4x4x3xi32>, %y: memref<?x2x2x2xi32>, %shared: memref<?x2x2x2xi32>) {
  %c0 = arith.constant 0 : i32
  %w = memref.get_global @iweights32 : memref<2x1x1x3xi8>
  linalg.fill ins(%c0 : i32) outs(%shared : memref<?x2x2x2xi32>)
  linalg.copy ins(%shared : memref<?x2x2x2xi32>) outs(%y : memref<?x2x2x2xi32>)
  linalg.conv_2d_nhwc_fhwc {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : memref<?x4x4x3xi32>, memref<2x1x1x3xi8>) outs(%y : memref<?x2x2x2xi32>)
  linalg.fill ins(%c0 : i32) outs(%y : memref<?x2x2x2xi32>)
  linalg.conv_2d_nhwc_fhwc {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : memref<?x4x4x3xi32>, memref<2x1x1x3xi8>) outs(%y : memref<?x2x2x2xi32>)
  return
}

// A zero fill further up of the layer's own output buffer is dropped too
// when nothing uses the buffer in between; a use in between keeps it.

// CHECK-LABEL: func.func @integer_distant_zero_fill
// CHECK: %[[Y:.*]] = memref.alloc
// CHECK-NOT: outs(%[[Y]] :
// CHECK: linalg.fill ins(%{{.*}} : i32) outs(%arg1 :
// CHECK-NOT: outs(%[[Y]] :
// CHECK: %[[OVERWRITE:.*]] = arith.constant 0 : i64
// CHECK-NEXT: call @qc_rt_conv2d_i32_i8({{.*}}, %[[OVERWRITE]]) :
// CHECK: linalg.fill
// CHECK: linalg.copy
// CHECK: %[[ACC:.*]] = arith.constant 1 : i64
// CHECK-NEXT: call @qc_rt_conv2d_i32_i8({{.*}}, %[[ACC]]) :
func.func @integer_distant_zero_fill(%x: memref<?x4x4x3xi32>, %other: memref<?x2x2x2xi32>, %z: memref<?x2x2x2xi32>) {
  %c0 = arith.constant 0 : i32
  %c0i = arith.constant 0 : index
  %n = memref.dim %x, %c0i : memref<?x4x4x3xi32>
  %w = memref.get_global @iweights32 : memref<2x1x1x3xi8>
  %y = memref.alloc(%n) : memref<?x2x2x2xi32>
  linalg.fill ins(%c0 : i32) outs(%y : memref<?x2x2x2xi32>)
  linalg.fill ins(%c0 : i32) outs(%other : memref<?x2x2x2xi32>)
  linalg.conv_2d_nhwc_fhwc {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : memref<?x4x4x3xi32>, memref<2x1x1x3xi8>) outs(%y : memref<?x2x2x2xi32>)
  %u = memref.alloc(%n) : memref<?x2x2x2xi32>
  linalg.fill ins(%c0 : i32) outs(%u : memref<?x2x2x2xi32>)
  linalg.copy ins(%u : memref<?x2x2x2xi32>) outs(%z : memref<?x2x2x2xi32>)
  linalg.conv_2d_nhwc_fhwc {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : memref<?x4x4x3xi32>, memref<2x1x1x3xi8>) outs(%u : memref<?x2x2x2xi32>)
  memref.dealloc %y : memref<?x2x2x2xi32>
  memref.dealloc %u : memref<?x2x2x2xi32>
  return
}

// A copy from a zero-filled buffer that was written in between is not a
// zero init: the layer accumulates into what the copy wrote.

// CHECK-LABEL: func.func @integer_no_zero_init_after_write
// CHECK: linalg.copy
// CHECK: %[[ACC:.*]] = arith.constant 1 : i64
// CHECK-NEXT: call @qc_rt_conv2d_i32_i8({{.*}}, %[[ACC]]) :
func.func @integer_no_zero_init_after_write(%x: memref<?x4x4x3xi32>, %y: memref<?x2x2x2xi32>, %shared: memref<?x2x2x2xi32>, %other: memref<?x2x2x2xi32>) {
  %c0 = arith.constant 0 : i32
  %w = memref.get_global @iweights32 : memref<2x1x1x3xi8>
  linalg.fill ins(%c0 : i32) outs(%shared : memref<?x2x2x2xi32>)
  linalg.copy ins(%other : memref<?x2x2x2xi32>) outs(%shared : memref<?x2x2x2xi32>)
  linalg.copy ins(%shared : memref<?x2x2x2xi32>) outs(%y : memref<?x2x2x2xi32>)
  linalg.conv_2d_nhwc_fhwc {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : memref<?x4x4x3xi32>, memref<2x1x1x3xi8>) outs(%y : memref<?x2x2x2xi32>)
  return
}

// -----

// A float layer whose output was zero-filled before it, by a linalg.fill or
// by a generic without inputs yielding +0.0 (as TOSA's lowering writes
// them), stores its sums over the zeros (accumulate 0) and the fill goes;
// a fill of -0.0 is not the kernel's store (-0.0 + -0.0 keeps the sign),
// so that layer accumulates.

// CHECK-LABEL: func.func @float_zero_inits
// CHECK-NOT: linalg.fill
// CHECK-NOT: linalg.generic
// CHECK: %[[STORE:.*]] = arith.constant 0 : i64
// CHECK: call @qc_rt_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[STORE]], %{{.*}}, %{{.*}})
// CHECK-NOT: linalg.fill
// CHECK-NOT: linalg.generic
// CHECK: %[[STORE2:.*]] = arith.constant 0 : i64
// CHECK: call @qc_rt_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[STORE2]], %{{.*}}, %{{.*}})
// CHECK: linalg.fill
// CHECK: %[[ACC:.*]] = arith.constant 1 : i64
// CHECK: call @qc_rt_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ACC]], %{{.*}}, %{{.*}})
#init = affine_map<(d0, d1) -> (d0, d1)>
memref.global "private" constant @fc4 : memref<3x2xf32> = dense<1.0>
func.func @float_zero_inits(%x: memref<?x3xf32>, %y: memref<?x2xf32>, %z: memref<?x2xf32>, %u: memref<?x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %negzero = arith.constant -0.0 : f32
  %w = memref.get_global @fc4 : memref<3x2xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<?x2xf32>)
  linalg.matmul ins(%x, %w : memref<?x3xf32>, memref<3x2xf32>) outs(%y : memref<?x2xf32>)
  linalg.generic {indexing_maps = [#init], iterator_types = ["parallel", "parallel"]} outs(%z : memref<?x2xf32>) {
  ^bb0(%out: f32):
    linalg.yield %zero : f32
  }
  linalg.matmul ins(%x, %w : memref<?x3xf32>, memref<3x2xf32>) outs(%z : memref<?x2xf32>)
  linalg.fill ins(%negzero : f32) outs(%u : memref<?x2xf32>)
  linalg.matmul ins(%x, %w : memref<?x3xf32>, memref<3x2xf32>) outs(%u : memref<?x2xf32>)
  return
}

// -----

// The generic qc.xnor_popcount's conv form lowers to (named by
// qc.xnor_conv2d, its window in qc.strides / qc.dilations) becomes a call
// of the binary convolution: input, mask (the input again without one),
// weights, output, strides, dilations and whether there is a mask.

// CHECK-LABEL: func.func @xnor_conv
// CHECK-SAME: (%[[X:.*]]: memref<?x6x6x1xi32>, %[[M:.*]]: memref<?x6x6x1xi32>, %[[W:.*]]: memref<3x3x1x8xi32>, %[[Y:.*]]: memref<?x2x2x8xi16>, %[[Z:.*]]: memref<?x2x2x8xi32>)
// CHECK-DAG: %[[XC:.*]] = memref.cast %[[X]]
// CHECK-DAG: %[[MC:.*]] = memref.cast %[[M]]
// CHECK-DAG: %[[YC:.*]] = memref.cast %[[Y]]
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : i64
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i64
// CHECK: call @qc_rt_xnor_conv2d_i16(%[[XC]], %[[MC]], %{{.*}}, %[[YC]], %[[C2]], %{{.*}}, %[[C1]], %{{.*}}, %{{.*}})
// CHECK: %[[XC2:.*]] = memref.cast %[[X]]
// CHECK: %[[XC3:.*]] = memref.cast %[[X]]
// CHECK: call @qc_rt_xnor_conv2d_i32(%[[XC2]], %[[XC3]],
// CHECK-NOT: linalg.generic
#xin = affine_map<(n, y, x, ky, kx, c, o) -> (n, y * 2 + ky, x * 2 + kx, c)>
#xw = affine_map<(n, y, x, ky, kx, c, o) -> (ky, kx, c, o)>
#xout = affine_map<(n, y, x, ky, kx, c, o) -> (n, y, x, o)>
func.func @xnor_conv(%x: memref<?x6x6x1xi32>, %m: memref<?x6x6x1xi32>, %w: memref<3x3x1x8xi32>, %y: memref<?x2x2x8xi16>, %z: memref<?x2x2x8xi32>) {
  %two = arith.constant 2 : i16
  linalg.generic {indexing_maps = [#xin, #xw, #xin, #xout], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]} ins(%x, %w, %m : memref<?x6x6x1xi32>, memref<3x3x1x8xi32>, memref<?x6x6x1xi32>) outs(%y : memref<?x2x2x8xi16>) attrs = {qc.xnor_conv2d, qc.strides = array<i64: 2, 2>, qc.dilations = array<i64: 1, 1>} {
  ^bb0(%a: i32, %b: i32, %k: i32, %acc: i16):
    %d = arith.xori %a, %b : i32
    %e = arith.andi %k, %d : i32
    %p = math.ctpop %k : i32
    %q = arith.trunci %p : i32 to i16
    %s = arith.addi %acc, %q : i16
    %r = math.ctpop %e : i32
    %t = arith.trunci %r : i32 to i16
    %u = arith.muli %t, %two : i16
    %v = arith.subi %s, %u : i16
    linalg.yield %v : i16
  }
  linalg.generic {indexing_maps = [#xin, #xw, #xout], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]} ins(%x, %w : memref<?x6x6x1xi32>, memref<3x3x1x8xi32>) outs(%z : memref<?x2x2x8xi32>) attrs = {qc.xnor_conv2d, qc.strides = array<i64: 2, 2>, qc.dilations = array<i64: 1, 1>} {
  ^bb0(%a: i32, %b: i32, %acc: i32):
    %d = arith.xori %a, %b : i32
    %r = math.ctpop %d : i32
    %two32 = arith.constant 2 : i32
    %u = arith.muli %r, %two32 : i32
    %v = arith.subi %acc, %u : i32
    linalg.yield %v : i32
  }
  return
}

// A generic named so whose maps do not match the window its attributes
// give (strides 1, maps of stride 2) stays a generic.

// CHECK-LABEL: func.func @xnor_conv_mismatch
// CHECK-NOT: call
// CHECK: linalg.generic
func.func @xnor_conv_mismatch(%x: memref<?x6x6x1xi32>, %w: memref<3x3x1x8xi32>, %z: memref<?x2x2x8xi32>) {
  linalg.generic {indexing_maps = [#xin, #xw, #xout], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]} ins(%x, %w : memref<?x6x6x1xi32>, memref<3x3x1x8xi32>) outs(%z : memref<?x2x2x8xi32>) attrs = {qc.xnor_conv2d, qc.strides = array<i64: 1, 1>, qc.dilations = array<i64: 1, 1>} {
  ^bb0(%a: i32, %b: i32, %acc: i32):
    %d = arith.xori %a, %b : i32
    %r = math.ctpop %d : i32
    %v = arith.subi %acc, %r : i32
    linalg.yield %v : i32
  }
  return
}

// -----

// An integer layer whose zero-initialized int32 sums only its output stage
// reads (sitofp, scale, shift, ReLU with +0, then divf, roundeven, zero
// point, bounds and the fake-quantization round trip, fptosi) becomes one
// requantizing call writing the stage's output; a stage yielding the f32
// value (no ReLU here) a dequantizing call. The sums buffer is left to its
// deallocation.

// CHECK-LABEL: func.func @int8_requant_fused
// CHECK-SAME: (%[[X:.*]]: memref<1x4x4x3xi32>, %[[Q:.*]]: memref<1x4x4x2xi32>)
// CHECK-DAG: %[[SCALE:.*]] = memref.get_global @qscale : memref<1x1x1x2xf32>
// CHECK-DAG: %[[QC:.*]] = memref.cast %[[Q]] : memref<1x4x4x2xi32> to memref<?x?x?x?xi32
// CHECK-DAG: %[[SV:.*]] = memref.collapse_shape %[[SCALE]] {{\[\[}}0, 1, 2, 3]] : memref<1x1x1x2xf32> into memref<2xf32>
// CHECK-DAG: %[[SC:.*]] = memref.cast %[[SV]]
// CHECK: call @qc_rt_conv2d_i32_i8_requant(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[QC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[SC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : ({{.*}}, i64, f32, f32, f32, f32, i64) -> i32
// CHECK-NOT: linalg.generic
// CHECK-NOT: linalg.fill
// CHECK-LABEL: func.func @int8_dequant_fused
// CHECK: %[[NORELU:.*]] = arith.constant 0 : i64
// CHECK: call @qc_rt_conv2d_i32_i8_dequant({{.*}}, %[[NORELU]]) : ({{.*}}, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64) -> i32
// CHECK-NOT: linalg.generic
// A stage with one op more (a second scaling), or a ReLU against -0,
// stays a generic after the plain integer call.
// CHECK-LABEL: func.func @int8_stage_kept
// CHECK: call @qc_rt_conv2d_i32_i8(
// CHECK: linalg.generic
// CHECK: call @qc_rt_conv2d_i32_i8(
// CHECK: linalg.generic
#q4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#qc4 = affine_map<(d0, d1, d2, d3) -> (0, 0, 0, d3)>
memref.global "private" constant @qweights : memref<2x1x1x3xi8> = dense<[[[[1, 2, 3]]], [[[-4, -5, -6]]]]>
memref.global "private" constant @qscale : memref<1x1x1x2xf32> = dense<[[[[0.5, 0.25]]]]>
memref.global "private" constant @qshift : memref<1x1x1x2xf32> = dense<[[[[1.0, -1.0]]]]>
func.func @int8_requant_fused(%x: memref<1x4x4x3xi32>, %q: memref<1x4x4x2xi32>) {
  %c0 = arith.constant 0 : i32
  %zero = arith.constant 0.0 : f32
  %div = arith.constant 0.25 : f32
  %zp = arith.constant 3.0 : f32
  %lo = arith.constant -128.0 : f32
  %hi = arith.constant 127.0 : f32
  %w = memref.get_global @qweights : memref<2x1x1x3xi8>
  %scale = memref.get_global @qscale : memref<1x1x1x2xf32>
  %shift = memref.get_global @qshift : memref<1x1x1x2xf32>
  %sums = memref.alloc() : memref<1x4x4x2xi32>
  linalg.fill ins(%c0 : i32) outs(%sums : memref<1x4x4x2xi32>)
  linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x4x4x3xi32>, memref<2x1x1x3xi8>) outs(%sums : memref<1x4x4x2xi32>)
  linalg.generic {indexing_maps = [#q4, #qc4, #qc4, #q4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sums, %scale, %shift : memref<1x4x4x2xi32>, memref<1x1x1x2xf32>, memref<1x1x1x2xf32>) outs(%q : memref<1x4x4x2xi32>) {
  ^bb0(%s: i32, %m: f32, %b: f32, %o: i32):
    %0 = arith.sitofp %s : i32 to f32
    %1 = arith.mulf %0, %m : f32
    %2 = arith.addf %1, %b : f32
    %3 = arith.maximumf %2, %zero : f32
    %4 = arith.divf %3, %div : f32
    %5 = math.roundeven %4 : f32
    %6 = arith.addf %5, %zp : f32
    %7 = arith.maximumf %6, %lo : f32
    %8 = arith.minimumf %7, %hi : f32
    %9 = arith.mulf %8, %div : f32
    %10 = arith.divf %9, %div : f32
    %11 = math.roundeven %10 : f32
    %12 = arith.fptosi %11 : f32 to i32
    linalg.yield %12 : i32
  }
  memref.dealloc %sums : memref<1x4x4x2xi32>
  return
}
func.func @int8_dequant_fused(%x: memref<1x4x4x3xi32>, %y: memref<1x4x4x2xf32>) {
  %c0 = arith.constant 0 : i32
  %w = memref.get_global @qweights : memref<2x1x1x3xi8>
  %scale = memref.get_global @qscale : memref<1x1x1x2xf32>
  %shift = memref.get_global @qshift : memref<1x1x1x2xf32>
  %sums = memref.alloc() : memref<1x4x4x2xi32>
  linalg.fill ins(%c0 : i32) outs(%sums : memref<1x4x4x2xi32>)
  linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x4x4x3xi32>, memref<2x1x1x3xi8>) outs(%sums : memref<1x4x4x2xi32>)
  linalg.generic {indexing_maps = [#q4, #qc4, #qc4, #q4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sums, %scale, %shift : memref<1x4x4x2xi32>, memref<1x1x1x2xf32>, memref<1x1x1x2xf32>) outs(%y : memref<1x4x4x2xf32>) {
  ^bb0(%s: i32, %m: f32, %b: f32, %o: f32):
    %0 = arith.sitofp %s : i32 to f32
    %1 = arith.mulf %m, %0 : f32
    %2 = arith.addf %b, %1 : f32
    linalg.yield %2 : f32
  }
  return
}
func.func @int8_stage_kept(%x: memref<1x4x4x3xi32>, %y: memref<1x4x4x2xf32>, %z: memref<1x4x4x2xf32>) {
  %c0 = arith.constant 0 : i32
  %two = arith.constant 2.0 : f32
  %negzero = arith.constant -0.0 : f32
  %w = memref.get_global @qweights : memref<2x1x1x3xi8>
  %scale = memref.get_global @qscale : memref<1x1x1x2xf32>
  %shift = memref.get_global @qshift : memref<1x1x1x2xf32>
  %sums = memref.alloc() : memref<1x4x4x2xi32>
  linalg.fill ins(%c0 : i32) outs(%sums : memref<1x4x4x2xi32>)
  linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x4x4x3xi32>, memref<2x1x1x3xi8>) outs(%sums : memref<1x4x4x2xi32>)
  linalg.generic {indexing_maps = [#q4, #qc4, #qc4, #q4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sums, %scale, %shift : memref<1x4x4x2xi32>, memref<1x1x1x2xf32>, memref<1x1x1x2xf32>) outs(%y : memref<1x4x4x2xf32>) {
  ^bb0(%s: i32, %m: f32, %b: f32, %o: f32):
    %0 = arith.sitofp %s : i32 to f32
    %1 = arith.mulf %0, %m : f32
    %2 = arith.addf %1, %b : f32
    %3 = arith.mulf %2, %two : f32
    linalg.yield %3 : f32
  }
  %sums2 = memref.alloc() : memref<1x4x4x2xi32>
  linalg.fill ins(%c0 : i32) outs(%sums2 : memref<1x4x4x2xi32>)
  linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x4x4x3xi32>, memref<2x1x1x3xi8>) outs(%sums2 : memref<1x4x4x2xi32>)
  linalg.generic {indexing_maps = [#q4, #qc4, #qc4, #q4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sums2, %scale, %shift : memref<1x4x4x2xi32>, memref<1x1x1x2xf32>, memref<1x1x1x2xf32>) outs(%z : memref<1x4x4x2xf32>) {
  ^bb0(%s: i32, %m: f32, %b: f32, %o: f32):
    %0 = arith.sitofp %s : i32 to f32
    %1 = arith.mulf %0, %m : f32
    %2 = arith.addf %1, %b : f32
    %3 = arith.maximumf %2, %negzero : f32
    linalg.yield %3 : f32
  }
  return
}

// -----

// The generic of qc.xnor_popcount's dense form (named by qc.xnor_dense) with
// constant weights [O][words] becomes a call of the binary convolution on a
// one-row image: input, mask and output expanded to [1][1][N][..], the
// weights stored transposed as the 1 x 1 filter [1][1][words][O], strides
// and dilations 1. Without constant weights it stays a generic.

// The weights [O = 3][words = 2] in the order the transposed global holds
// them: word 0 of filters 0, 1, 2, then word 1.
// CHECK: memref.global "private" constant @dense_words_packed : memref<1x1x2x3xi32> = dense<{{\[\[\[\[}}1, 3, 5], [2, 4, 6]]]]>
// CHECK-LABEL: func.func @xnor_dense
// CHECK-SAME: (%[[X:.*]]: memref<?x2xi32>, %[[M:.*]]: memref<?x2xi32>, %[[Y:.*]]: memref<?x3xi16>)
// CHECK-DAG: %[[W:.*]] = memref.get_global @dense_words_packed : memref<1x1x2x3xi32>
// CHECK-DAG: %[[XI:.*]] = memref.expand_shape %[[X]] {{\[\[}}0, 1, 2], [3]] output_shape [1, 1, %{{.*}}, 2] : memref<?x2xi32> into memref<1x1x?x2xi32>
// CHECK-DAG: %[[MI:.*]] = memref.expand_shape %[[M]] {{\[\[}}0, 1, 2], [3]]
// CHECK-DAG: %[[YI:.*]] = memref.expand_shape %[[Y]] {{\[\[}}0, 1, 2], [3]]
// CHECK-DAG: %[[XC:.*]] = memref.cast %[[XI]]
// CHECK-DAG: %[[MC:.*]] = memref.cast %[[MI]]
// CHECK-DAG: %[[WC:.*]] = memref.cast %[[W]]
// CHECK-DAG: %[[YC:.*]] = memref.cast %[[YI]]
// CHECK-COUNT-5: arith.constant 1 : i64
// CHECK: call @qc_rt_xnor_conv2d_i16(%[[XC]], %[[MC]], %[[WC]], %[[YC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
// CHECK-NOT: linalg.generic
// CHECK-LABEL: func.func @xnor_dense_weights_not_constant
// CHECK-NOT: call
// CHECK: linalg.generic
#din = affine_map<(n, o, w) -> (n, w)>
#dw = affine_map<(n, o, w) -> (o, w)>
#dout = affine_map<(n, o, w) -> (n, o)>
memref.global "private" constant @dense_words : memref<3x2xi32> = dense<[[1, 2], [3, 4], [5, 6]]>
func.func @xnor_dense(%x: memref<?x2xi32>, %m: memref<?x2xi32>, %y: memref<?x3xi16>) {
  %two = arith.constant 2 : i16
  %w = memref.get_global @dense_words : memref<3x2xi32>
  linalg.generic {indexing_maps = [#din, #dw, #din, #dout], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w, %m : memref<?x2xi32>, memref<3x2xi32>, memref<?x2xi32>) outs(%y : memref<?x3xi16>) attrs = {qc.xnor_dense} {
  ^bb0(%a: i32, %b: i32, %k: i32, %acc: i16):
    %d = arith.xori %a, %b : i32
    %e = arith.andi %k, %d : i32
    %p = math.ctpop %k : i32
    %q = arith.trunci %p : i32 to i16
    %s = arith.addi %acc, %q : i16
    %r = math.ctpop %e : i32
    %t = arith.trunci %r : i32 to i16
    %u = arith.muli %t, %two : i16
    %v = arith.subi %s, %u : i16
    linalg.yield %v : i16
  }
  return
}
func.func @xnor_dense_weights_not_constant(%x: memref<?x2xi32>, %w: memref<3x2xi32>, %y: memref<?x3xi32>) {
  linalg.generic {indexing_maps = [#din, #dw, #dout], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<?x2xi32>, memref<3x2xi32>) outs(%y : memref<?x3xi32>) attrs = {qc.xnor_dense} {
  ^bb0(%a: i32, %b: i32, %acc: i32):
    %d = arith.xori %a, %b : i32
    %r = math.ctpop %d : i32
    %two32 = arith.constant 2 : i32
    %u = arith.muli %r, %two32 : i32
    %v = arith.subi %acc, %u : i32
    linalg.yield %v : i32
  }
  return
}

// -----

// A binary layer whose sums start at a constant (a fill of the sums buffer)
// and whose output stage alone reads them becomes one call writing the
// stage's output (qc_rt_xnor_conv2d_<sums>_dequant / _requant): the
// layer's arguments, the constant (init), then the stage's as for the
// integer convolution. The fill and the stage go; the sums buffer is left
// to its deallocation. Masked i16 sums with per-channel vectors and ReLU:

// CHECK-LABEL: func.func @xnor_conv_dequant_fused
// CHECK-SAME: (%[[X:.*]]: memref<?x4x4x1xi32>, %[[M:.*]]: memref<?x4x4x1xi32>, %[[W:.*]]: memref<3x3x1x8xi32>, %[[Y:.*]]: memref<?x2x2x8xf32>)
// CHECK-NOT: linalg.fill
// CHECK-DAG: %[[XC:.*]] = memref.cast %[[X]]
// CHECK-DAG: %[[MC:.*]] = memref.cast %[[M]]
// CHECK-DAG: %[[YC:.*]] = memref.cast %[[Y]] : memref<?x2x2x8xf32> to memref<?x?x?x?xf32
// CHECK-DAG: %[[INIT:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[SCALE:.*]] = memref.get_global @xscale : memref<1x1x1x8xf32>
// CHECK-DAG: %[[SV:.*]] = memref.collapse_shape %[[SCALE]] {{\[\[}}0, 1, 2, 3]] : memref<1x1x1x8xf32> into memref<8xf32>
// CHECK-DAG: %[[SC:.*]] = memref.cast %[[SV]]
// CHECK: call @qc_rt_xnor_conv2d_i16_dequant(%[[XC]], %[[MC]], %{{.*}}, %[[YC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[INIT]], %[[SC]], %{{.*}}, %{{.*}}) : ({{.*}}, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, i64, i64, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64) -> i32
// CHECK-NOT: linalg.generic
// CHECK: memref.dealloc

// Unmasked i32 sums starting at 9, converted to float and nothing else:
// a scale of one 1 and a shift of one 0.

// CHECK-LABEL: func.func @xnor_conv_bare_conversion_fused
// CHECK-DAG: %[[NINE:.*]] = arith.constant 9 : i64
// CHECK-DAG: %[[ONE:.*]] = memref.get_global @__qc_unit_scale : memref<1xf32>
// CHECK-DAG: %[[ZERO:.*]] = memref.get_global @__qc_zero_bias : memref<1xf32>
// CHECK-DAG: %[[ONEC:.*]] = memref.cast %[[ONE]]
// CHECK-DAG: %[[ZEROC:.*]] = memref.cast %[[ZERO]]
// CHECK: call @qc_rt_xnor_conv2d_i32_dequant(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[NINE]], %[[ONEC]], %[[ZEROC]], %{{.*}})
// CHECK-NOT: linalg.generic

// A dense layer's [N][C] sums requantized into int32 codes: the output
// viewed as a one-row image, the requantization's scalars after relu.

// CHECK-LABEL: func.func @xnor_dense_requant_fused
// CHECK-SAME: (%[[DX:.*]]: memref<?x2xi32>, %[[DQ:.*]]: memref<?x3xi32>)
// CHECK-DAG: %[[QI:.*]] = memref.expand_shape %[[DQ]] {{\[\[}}0, 1, 2], [3]] output_shape [1, 1, %{{.*}}, 3] : memref<?x3xi32> into memref<1x1x?x3xi32>
// CHECK-DAG: %[[QC:.*]] = memref.cast %[[QI]]
// CHECK: call @qc_rt_xnor_conv2d_i16_requant(%{{.*}}, %{{.*}}, %{{.*}}, %[[QC]], {{.*}}) : ({{.*}}, i64, i64, i64, i64, i64, i64, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, f32, f32, f32, f32, i64) -> i32
// CHECK-NOT: linalg.generic

// Sums that another op reads too, or that start from the caller's buffer
// rather than a constant, keep the plain call and the stage.

// CHECK-LABEL: func.func @no_fuse_xnor_stage_when_sums_read_twice
// CHECK: call @qc_rt_xnor_conv2d_i32(
// CHECK: linalg.generic
// CHECK: linalg.copy
// CHECK-LABEL: func.func @no_fuse_xnor_stage_without_constant_init
// CHECK: call @qc_rt_xnor_conv2d_i32(
// CHECK: linalg.generic
#fin = affine_map<(n, y, x, ky, kx, c, o) -> (n, y + ky, x + kx, c)>
#fw = affine_map<(n, y, x, ky, kx, c, o) -> (ky, kx, c, o)>
#fout = affine_map<(n, y, x, ky, kx, c, o) -> (n, y, x, o)>
#f4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#fc4 = affine_map<(d0, d1, d2, d3) -> (0, 0, 0, d3)>
#fdin = affine_map<(n, o, w) -> (n, w)>
#fdw = affine_map<(n, o, w) -> (o, w)>
#fdout = affine_map<(n, o, w) -> (n, o)>
#f2 = affine_map<(d0, d1) -> (d0, d1)>
#fc2 = affine_map<(d0, d1) -> (0, d1)>
memref.global "private" constant @xscale : memref<1x1x1x8xf32> = dense<[[[[0.5, -0.5, 1.0, 2.0, 0.25, 4.0, -1.0, 3.0]]]]>
memref.global "private" constant @xshift : memref<1x1x1x8xf32> = dense<-1.0>
memref.global "private" constant @dwords : memref<3x2xi32> = dense<[[1, 2], [3, 4], [5, 6]]>
memref.global "private" constant @dscale : memref<1x3xf32> = dense<[[0.5, 0.25, 2.0]]>
memref.global "private" constant @dshift : memref<1x3xf32> = dense<[[1.0, 0.0, -2.0]]>
func.func @xnor_conv_dequant_fused(%x: memref<?x4x4x1xi32>, %m: memref<?x4x4x1xi32>, %w: memref<3x3x1x8xi32>, %y: memref<?x2x2x8xf32>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?x4x4x1xi32>
  %zero = arith.constant 0 : i16
  %two = arith.constant 2 : i16
  %fzero = arith.constant 0.0 : f32
  %scale = memref.get_global @xscale : memref<1x1x1x8xf32>
  %shift = memref.get_global @xshift : memref<1x1x1x8xf32>
  %sums = memref.alloc(%n) : memref<?x2x2x8xi16>
  linalg.fill ins(%zero : i16) outs(%sums : memref<?x2x2x8xi16>)
  linalg.generic {indexing_maps = [#fin, #fw, #fin, #fout], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]} ins(%x, %w, %m : memref<?x4x4x1xi32>, memref<3x3x1x8xi32>, memref<?x4x4x1xi32>) outs(%sums : memref<?x2x2x8xi16>) attrs = {qc.xnor_conv2d, qc.strides = array<i64: 1, 1>, qc.dilations = array<i64: 1, 1>} {
  ^bb0(%a: i32, %b: i32, %k: i32, %acc: i16):
    %d = arith.xori %a, %b : i32
    %e = arith.andi %k, %d : i32
    %p = math.ctpop %k : i32
    %q = arith.trunci %p : i32 to i16
    %s = arith.addi %acc, %q : i16
    %r = math.ctpop %e : i32
    %t = arith.trunci %r : i32 to i16
    %u = arith.muli %t, %two : i16
    %v = arith.subi %s, %u : i16
    linalg.yield %v : i16
  }
  linalg.generic {indexing_maps = [#f4, #fc4, #fc4, #f4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sums, %scale, %shift : memref<?x2x2x8xi16>, memref<1x1x1x8xf32>, memref<1x1x1x8xf32>) outs(%y : memref<?x2x2x8xf32>) {
  ^bb0(%s: i16, %a: f32, %b: f32, %o: f32):
    %0 = arith.sitofp %s : i16 to f32
    %1 = arith.mulf %0, %a : f32
    %2 = arith.addf %1, %b : f32
    %3 = arith.maximumf %2, %fzero : f32
    linalg.yield %3 : f32
  }
  memref.dealloc %sums : memref<?x2x2x8xi16>
  return
}
func.func @xnor_conv_bare_conversion_fused(%x: memref<1x4x4x1xi32>, %w: memref<3x3x1x8xi32>, %y: memref<1x2x2x8xf32>) {
  %nine = arith.constant 9 : i32
  %sums = memref.alloc() : memref<1x2x2x8xi32>
  linalg.fill ins(%nine : i32) outs(%sums : memref<1x2x2x8xi32>)
  linalg.generic {indexing_maps = [#fin, #fw, #fout], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]} ins(%x, %w : memref<1x4x4x1xi32>, memref<3x3x1x8xi32>) outs(%sums : memref<1x2x2x8xi32>) attrs = {qc.xnor_conv2d, qc.strides = array<i64: 1, 1>, qc.dilations = array<i64: 1, 1>} {
  ^bb0(%a: i32, %b: i32, %acc: i32):
    %d = arith.xori %a, %b : i32
    %r = math.ctpop %d : i32
    %two32 = arith.constant 2 : i32
    %u = arith.muli %r, %two32 : i32
    %v = arith.subi %acc, %u : i32
    linalg.yield %v : i32
  }
  linalg.generic {indexing_maps = [#f4, #f4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sums : memref<1x2x2x8xi32>) outs(%y : memref<1x2x2x8xf32>) {
  ^bb0(%s: i32, %o: f32):
    %0 = arith.sitofp %s : i32 to f32
    linalg.yield %0 : f32
  }
  return
}
func.func @xnor_dense_requant_fused(%x: memref<?x2xi32>, %q: memref<?x3xi32>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?x2xi32>
  %zero = arith.constant 0 : i16
  %two = arith.constant 2 : i16
  %fzero = arith.constant 0.0 : f32
  %div = arith.constant 0.25 : f32
  %zp = arith.constant 3.0 : f32
  %lo = arith.constant -128.0 : f32
  %hi = arith.constant 127.0 : f32
  %w = memref.get_global @dwords : memref<3x2xi32>
  %scale = memref.get_global @dscale : memref<1x3xf32>
  %shift = memref.get_global @dshift : memref<1x3xf32>
  %sums = memref.alloc(%n) : memref<?x3xi16>
  linalg.fill ins(%zero : i16) outs(%sums : memref<?x3xi16>)
  linalg.generic {indexing_maps = [#fdin, #fdw, #fdin, #fdout], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w, %x : memref<?x2xi32>, memref<3x2xi32>, memref<?x2xi32>) outs(%sums : memref<?x3xi16>) attrs = {qc.xnor_dense} {
  ^bb0(%a: i32, %b: i32, %k: i32, %acc: i16):
    %d = arith.xori %a, %b : i32
    %e = arith.andi %k, %d : i32
    %p = math.ctpop %k : i32
    %pq = arith.trunci %p : i32 to i16
    %s = arith.addi %acc, %pq : i16
    %r = math.ctpop %e : i32
    %t = arith.trunci %r : i32 to i16
    %u = arith.muli %t, %two : i16
    %v = arith.subi %s, %u : i16
    linalg.yield %v : i16
  }
  linalg.generic {indexing_maps = [#f2, #fc2, #fc2, #f2], iterator_types = ["parallel", "parallel"]} ins(%sums, %scale, %shift : memref<?x3xi16>, memref<1x3xf32>, memref<1x3xf32>) outs(%q : memref<?x3xi32>) {
  ^bb0(%s: i16, %a: f32, %b: f32, %o: i32):
    %0 = arith.sitofp %s : i16 to f32
    %1 = arith.mulf %0, %a : f32
    %2 = arith.addf %1, %b : f32
    %3 = arith.maximumf %2, %fzero : f32
    %4 = arith.divf %3, %div : f32
    %5 = math.roundeven %4 : f32
    %6 = arith.addf %5, %zp : f32
    %7 = arith.maximumf %6, %lo : f32
    %8 = arith.minimumf %7, %hi : f32
    %9 = arith.fptosi %8 : f32 to i32
    linalg.yield %9 : i32
  }
  return
}
func.func @no_fuse_xnor_stage_when_sums_read_twice(%x: memref<1x4x4x1xi32>, %w: memref<3x3x1x8xi32>, %y: memref<1x2x2x8xf32>, %z: memref<1x2x2x8xi32>) {
  %zero = arith.constant 0 : i32
  %sums = memref.alloc() : memref<1x2x2x8xi32>
  linalg.fill ins(%zero : i32) outs(%sums : memref<1x2x2x8xi32>)
  linalg.generic {indexing_maps = [#fin, #fw, #fout], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]} ins(%x, %w : memref<1x4x4x1xi32>, memref<3x3x1x8xi32>) outs(%sums : memref<1x2x2x8xi32>) attrs = {qc.xnor_conv2d, qc.strides = array<i64: 1, 1>, qc.dilations = array<i64: 1, 1>} {
  ^bb0(%a: i32, %b: i32, %acc: i32):
    %d = arith.xori %a, %b : i32
    %r = math.ctpop %d : i32
    %two32 = arith.constant 2 : i32
    %u = arith.muli %r, %two32 : i32
    %v = arith.subi %acc, %u : i32
    linalg.yield %v : i32
  }
  linalg.generic {indexing_maps = [#f4, #f4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sums : memref<1x2x2x8xi32>) outs(%y : memref<1x2x2x8xf32>) {
  ^bb0(%s: i32, %o: f32):
    %0 = arith.sitofp %s : i32 to f32
    linalg.yield %0 : f32
  }
  linalg.copy ins(%sums : memref<1x2x2x8xi32>) outs(%z : memref<1x2x2x8xi32>)
  return
}
func.func @no_fuse_xnor_stage_without_constant_init(%x: memref<1x4x4x1xi32>, %w: memref<3x3x1x8xi32>, %sums: memref<1x2x2x8xi32>, %y: memref<1x2x2x8xf32>) {
  linalg.generic {indexing_maps = [#fin, #fw, #fout], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]} ins(%x, %w : memref<1x4x4x1xi32>, memref<3x3x1x8xi32>) outs(%sums : memref<1x2x2x8xi32>) attrs = {qc.xnor_conv2d, qc.strides = array<i64: 1, 1>, qc.dilations = array<i64: 1, 1>} {
  ^bb0(%a: i32, %b: i32, %acc: i32):
    %d = arith.xori %a, %b : i32
    %r = math.ctpop %d : i32
    %two32 = arith.constant 2 : i32
    %u = arith.muli %r, %two32 : i32
    %v = arith.subi %acc, %u : i32
    linalg.yield %v : i32
  }
  linalg.generic {indexing_maps = [#f4, #f4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sums : memref<1x2x2x8xi32>) outs(%y : memref<1x2x2x8xf32>) {
  ^bb0(%s: i32, %o: f32):
    %0 = arith.sitofp %s : i32 to f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// The generic qc.bitpack of f32 values into 32-bit words lowers to (named
// by qc.bitpack) becomes a call of the runtime's bit packing on both
// buffers collapsed to vectors; 1 for the mask plane.

// CHECK-LABEL: func.func @bitpack
// CHECK-SAME: (%[[X:.*]]: memref<2x3x32xf32>, %[[Y:.*]]: memref<2x3xi32>)
// CHECK-DAG: %[[XV:.*]] = memref.collapse_shape %[[X]] {{\[\[}}0, 1, 2]] : memref<2x3x32xf32> into memref<192xf32>
// CHECK-DAG: %[[YV:.*]] = memref.collapse_shape %[[Y]] {{\[\[}}0, 1]] : memref<2x3xi32> into memref<6xi32>
// CHECK-DAG: %[[XC:.*]] = memref.cast %[[XV]]
// CHECK-DAG: %[[YC:.*]] = memref.cast %[[YV]]
// CHECK: %[[NZ:.*]] = arith.constant 1 : i64
// CHECK: call @qc_rt_bitpack_f32(%[[XC]], %[[YC]], %[[NZ]])
// CHECK-NOT: linalg.generic
#bpin = affine_map<(a, w, t) -> (a, w, t)>
#bpout = affine_map<(a, w, t) -> (a, w)>
func.func @bitpack(%x: memref<2x3x32xf32>, %y: memref<2x3xi32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#bpin, #bpout], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x : memref<2x3x32xf32>) outs(%y : memref<2x3xi32>) attrs = {qc.bitpack = "nonzero"} {
  ^bb0(%in: f32, %out: i32):
    %c = arith.cmpf one, %in, %zero : f32
    %e = arith.extui %c : i1 to i32
    %i = linalg.index 2 : index
    %s = arith.index_castui %i : index to i32
    %b = arith.shli %e, %s : i32
    %o = arith.ori %out, %b : i32
    linalg.yield %o : i32
  }
  return
}

// Named a sign packing but comparing for nonzero: stays a generic.

// CHECK-LABEL: func.func @bitpack_mismatch
// CHECK-NOT: call
// CHECK: linalg.generic
func.func @bitpack_mismatch(%x: memref<2x3x32xf32>, %y: memref<2x3xi32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#bpin, #bpout], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x : memref<2x3x32xf32>) outs(%y : memref<2x3xi32>) attrs = {qc.bitpack = "sign"} {
  ^bb0(%in: f32, %out: i32):
    %c = arith.cmpf one, %in, %zero : f32
    %e = arith.extui %c : i1 to i32
    %i = linalg.index 2 : index
    %s = arith.index_castui %i : index to i32
    %b = arith.shli %e, %s : i32
    %o = arith.ori %out, %b : i32
    linalg.yield %o : i32
  }
  return
}

// -----

// Weights computed at run time, and integer convolutions on other types
// (int8 activations here), keep linalg.

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

