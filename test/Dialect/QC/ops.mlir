// RUN: qc-opt %s | qc-opt | FileCheck %s
// RUN: qc-opt %s --mlir-print-op-generic | qc-opt | FileCheck %s

// Every qc type, attribute and op survives printing and re-parsing.

// CHECK-LABEL: func.func @types
// CHECK-SAME: tensor<4x!qc.binary<f32, alpha = [5.000000e-01]>>
// CHECK-SAME: tensor<2x4x!qc.binary<f32, alpha = [5.000000e-01, 2.500000e-01], axis = 0>>
// CHECK-SAME: tensor<4x!qc.ternary<f32, alpha_n = [3.000000e-01], alpha_p = [4.000000e-01], delta = [2.000000e-01]>>
// CHECK-SAME: tensor<4x3x!qc.ternary<f32, alpha_n = [1.000000e+00, 0.000000e+00, 2.000000e+00], alpha_p = [1.000000e+00, 0.000000e+00, 2.000000e+00], delta = [7.000000e-01, 0.000000e+00, 1.400000e+00], axis = 1>>
// CHECK-SAME: tensor<4x!qc.pot<f32, scale = [1.000000e+00], emin = -7, emax = 0>>
// CHECK-SAME: tensor<2x4x!qc.pot<f16, scale = [5.000000e-01, 1.000000e+00], emin = -3, emax = -3, axis = 0>>
// CHECK-SAME: tensor<4x!qc.codebook<f32, bits = 2, centroids = dense<[-1.000000e+00, 0.000000e+00, 5.000000e-01]> : tensor<3xf64>>>
// CHECK-SAME: tensor<2x4x!qc.codebook<f32, bits = 1, centroids = dense<{{\[}}[-1.000000e+00, 1.000000e+00], [0.000000e+00, 2.000000e+00]]> : tensor<2x2xf64>, axis = 0>>
// CHECK-SAME: tensor<4x!quant.uniform<i4:f32, 1.000000e-01:-2>>
// CHECK-SAME: tensor<2x4x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01}>>
func.func @types(
    %a: tensor<4x!qc.binary<f32, alpha = [0.5]>>,
    %b: tensor<2x4x!qc.binary<f32, alpha = [0.5, 0.25], axis = 0>>,
    %c: tensor<4x!qc.ternary<f32, alpha_n = [0.3], alpha_p = [0.4], delta = [0.2]>>,
    %d: tensor<4x3x!qc.ternary<f32, alpha_n = [1.0, 0.0, 2.0], alpha_p = [1.0, 0.0, 2.0], delta = [0.7, 0.0, 1.4], axis = 1>>,
    %e: tensor<4x!qc.pot<f32, scale = [1.0], emin = -7, emax = 0>>,
    %f: tensor<2x4x!qc.pot<f16, scale = [0.5, 1.0], emin = -3, emax = -3, axis = 0>>,
    %g: tensor<4x!qc.codebook<f32, bits = 2, centroids = dense<[-1.0, 0.0, 0.5]> : tensor<3xf64>>>,
    %h: tensor<2x4x!qc.codebook<f32, bits = 1, centroids = dense<[[-1.0, 1.0], [0.0, 2.0]]> : tensor<2x2xf64>, axis = 0>>,
    %i: tensor<4x!quant.uniform<i4:f32, 0.1:-2>>,
    %j: tensor<2x4x!quant.uniform<i8:f32:0, {0.1, 0.2}>>) {
  return
}

// CHECK-LABEL: func.func @quantize_dequantize
// CHECK: %[[Q:.*]] = qc.quantize %{{.*}} : tensor<2x4xf32> -> tensor<2x4x!qc.binary<f32, alpha = [5.000000e-01, 2.500000e-01], axis = 0>>
// CHECK: qc.dequantize %[[Q]] : tensor<2x4x!qc.binary<f32, alpha = [5.000000e-01, 2.500000e-01], axis = 0>> -> tensor<2x4xf32>
// CHECK: %[[U:.*]] = qc.quantize %{{.*}} : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<u8:f32, 2.000000e-02:128>>
// CHECK: qc.dequantize %[[U]]
func.func @quantize_dequantize(%x: tensor<2x4xf32>, %y: tensor<?x4xf32>) -> (tensor<2x4xf32>, tensor<?x4xf32>) {
  %q = qc.quantize %x : tensor<2x4xf32> -> tensor<2x4x!qc.binary<f32, alpha = [0.5, 0.25], axis = 0>>
  %d = qc.dequantize %q : tensor<2x4x!qc.binary<f32, alpha = [0.5, 0.25], axis = 0>> -> tensor<2x4xf32>
  %u = qc.quantize %y : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<u8:f32, 0.02:128>>
  %v = qc.dequantize %u : tensor<?x4x!quant.uniform<u8:f32, 0.02:128>> -> tensor<?x4xf32>
  return %d, %v : tensor<2x4xf32>, tensor<?x4xf32>
}

// CHECK-LABEL: func.func @constants
// CHECK: qc.constant dense<5> : tensor<1x1xi32> -> tensor<1x3x!qc.binary<f32, alpha = [1.000000e+00]>>
// CHECK: qc.constant dense<{{\[}}[9, 3]]> : tensor<1x2xi64> -> tensor<1x33x!qc.ternary
// CHECK: qc.constant dense<{{\[}}[1985229328, -19088744]]> : tensor<1x2xi32> -> tensor<1x16x!qc.codebook
func.func @constants() {
  %b = qc.constant dense<5> : tensor<1x1xi32> -> tensor<1x3x!qc.binary<f32, alpha = [1.0]>>
  %t = qc.constant dense<[[9, 3]]> : tensor<1x2xi64> -> tensor<1x33x!qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.5]>>
  %c = qc.constant dense<[[1985229328, -19088744]]> : tensor<1x2xi32> -> tensor<1x16x!qc.codebook<f32, bits = 4, centroids = dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0]> : tensor<16xf64>>>
  return
}

// CHECK-LABEL: func.func @conv2d
// CHECK: qc.conv2d %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {conv = #qc.conv<strides = [2, 2], pad = [1, 0, 1, 0], dilation = [1, 1], groups = 2>}
// CHECK-SAME: -> tensor<1x4x4x8xf32>
// CHECK: qc.conv2d {{.*}} {act = #qc.activation<sign>, conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [2, 2]>}
// CHECK-SAME: -> tensor<?x4x4x8x!qc.binary<f32, alpha = [1.000000e+00]>>
// CHECK: qc.conv2d {{.*}} {act = #qc.activation<clamp>, clamp_max = 6.000000e+00 : f32, clamp_min = 0.000000e+00 : f32
// CHECK-SAME: -> tensor<1x8x8x8x!quant.uniform<i8:f32, 5.000000e-02>>
func.func @conv2d(%x: tensor<1x8x8x4xf32>, %xb: tensor<?x8x8x4x!qc.binary<f32, alpha = [1.0]>>,
                  %w: tensor<8x3x3x2x!qc.ternary<f32, alpha_n = [0.5], alpha_p = [0.5], delta = [0.1]>>,
                  %wb: tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], axis = 0>>,
                  %wu: tensor<8x3x3x4x!quant.uniform<i4:f32:0, {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}>>,
                  %m: tensor<8xf32>, %b: tensor<8xf32>) {
  %0 = qc.conv2d %x, %w, %m, %b {conv = #qc.conv<strides = [2, 2], pad = [1, 0, 1, 0], dilation = [1, 1], groups = 2>} : tensor<1x8x8x4xf32>, tensor<8x3x3x2x!qc.ternary<f32, alpha_n = [0.5], alpha_p = [0.5], delta = [0.1]>>, tensor<8xf32>, tensor<8xf32> -> tensor<1x4x4x8xf32>
  %1 = qc.conv2d %xb, %wb, %m, %b {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [2, 2]>, act = #qc.activation<sign>} : tensor<?x8x8x4x!qc.binary<f32, alpha = [1.0]>>, tensor<8x3x3x4x!qc.binary<f32, alpha = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], axis = 0>>, tensor<8xf32>, tensor<8xf32> -> tensor<?x4x4x8x!qc.binary<f32, alpha = [1.0]>>
  %2 = qc.conv2d %x, %wu, %m, %b {conv = #qc.conv<strides = [1, 1], pad = [1, 1, 1, 1], dilation = [1, 1]>, act = #qc.activation<clamp>, clamp_min = 0.0 : f32, clamp_max = 6.0 : f32} : tensor<1x8x8x4xf32>, tensor<8x3x3x4x!quant.uniform<i4:f32:0, {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}>>, tensor<8xf32>, tensor<8xf32> -> tensor<1x8x8x8x!quant.uniform<i8:f32, 0.05>>
  return
}

// CHECK-LABEL: func.func @dense
// CHECK: qc.dense %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<?x84xf32>, tensor<10x84x!qc.pot<f32, scale = [1.000000e+00], emin = -4, emax = 3>>, tensor<10xf32>, tensor<10xf32> -> tensor<?x10xf32>
// CHECK: qc.dense {{.*}} {act = #qc.activation<relu>}
func.func @dense(%x: tensor<?x84xf32>, %w: tensor<10x84x!qc.pot<f32, scale = [1.0], emin = -4, emax = 3>>,
                 %wc: tensor<10x84x!qc.codebook<f32, bits = 4, centroids = dense<[-1.0, 1.0]> : tensor<2xf64>>>,
                 %m: tensor<10xf32>, %b: tensor<10xf32>) {
  %0 = qc.dense %x, %w, %m, %b : tensor<?x84xf32>, tensor<10x84x!qc.pot<f32, scale = [1.0], emin = -4, emax = 3>>, tensor<10xf32>, tensor<10xf32> -> tensor<?x10xf32>
  %1 = qc.dense %x, %wc, %m, %b {act = #qc.activation<relu>} : tensor<?x84xf32>, tensor<10x84x!qc.codebook<f32, bits = 4, centroids = dense<[-1.0, 1.0]> : tensor<2xf64>>>, tensor<10xf32>, tensor<10xf32> -> tensor<?x10xf32>
  return
}

// CHECK-LABEL: func.func @packing
// CHECK: %[[P:.*]] = qc.bitpack %{{.*}} : tensor<?x5x5x40xf32> -> tensor<?x5x5x2xi32>
// CHECK: qc.bitunpack %[[P]] : tensor<?x5x5x2xi32> -> tensor<?x5x5x40xf32>
// CHECK: qc.bitpack %{{.*}} {nonzero} : tensor<?x5x5x40xf32> -> tensor<?x5x5x2xi32>
// CHECK: qc.bitpack %{{.*}} : tensor<3x65x!qc.binary<f32, alpha = [1.000000e+00]>> -> tensor<3x2xi64>
// CHECK: qc.bitunpack %{{.*}} : tensor<3x2xi64> -> tensor<3x65x!qc.binary<f32, alpha = [1.000000e+00]>>
func.func @packing(%x: tensor<?x5x5x40xf32>, %b: tensor<3x65x!qc.binary<f32, alpha = [1.0]>>) {
  %p = qc.bitpack %x : tensor<?x5x5x40xf32> -> tensor<?x5x5x2xi32>
  %u = qc.bitunpack %p : tensor<?x5x5x2xi32> -> tensor<?x5x5x40xf32>
  %n = qc.bitpack %x {nonzero} : tensor<?x5x5x40xf32> -> tensor<?x5x5x2xi32>
  %q = qc.bitpack %b : tensor<3x65x!qc.binary<f32, alpha = [1.0]>> -> tensor<3x2xi64>
  %v = qc.bitunpack %q : tensor<3x2xi64> -> tensor<3x65x!qc.binary<f32, alpha = [1.0]>>
  return
}

// CHECK-LABEL: func.func @kernels
// CHECK: qc.xnor_popcount %{{.*}}, %{{.*}} {depth = 40 : i64} : tensor<?x2xi32>, tensor<16x2xi32> -> tensor<?x16xi32>
// CHECK: qc.xnor_popcount {{.*}} {conv = #qc.conv<strides = [1, 1], pad = [1, 1, 1, 1], dilation = [1, 1]>, depth = 40 : i64, pad_value = 1 : i64} : tensor<1x8x8x2xi32>, tensor<16x3x3x2xi32> -> tensor<1x8x8x16xi16>
// CHECK: qc.xnor_popcount %{{.*}}, %{{.*}} mask %{{.*}} {depth = 40 : i64} : tensor<?x2xi32>, tensor<16x2xi32>, tensor<?x2xi32> -> tensor<?x16xi32>
// CHECK: qc.bitserial_popcount {{.*}} {depth = 40 : i64, input_encoding = #qc.encoding<unsigned>, weight_encoding = #qc.encoding<twos_complement>} : tensor<2x?x2xi32>, tensor<3x16x2xi32> -> tensor<?x16xi32>
// CHECK: qc.bitserial_popcount {{.*}} input_encoding = #qc.encoding<sign>
// CHECK: qc.ternary_popcount {{.*}} {depth = 40 : i64, input_encoding = #qc.encoding<unsigned>} : tensor<4x?x2xi32>, tensor<16x2xi32>, tensor<16x2xi32> -> tensor<?x16xi32>
// CHECK: qc.shift_accumulate {{.*}} {emax = 0 : i64, emin = -7 : i64} : tensor<?x40xi8>, tensor<16x40xi8> -> tensor<?x16xi32>
// CHECK: qc.shift_accumulate {{.*}}conv = #qc.conv{{.*}} : tensor<1x8x8x4xi8>, tensor<16x3x3x4xi8> -> tensor<1x6x6x16xi32>
// CHECK: qc.codebook_accumulate {{.*}} : tensor<?x40xf32>, tensor<16x40xi8>, tensor<4xf32> -> tensor<?x16xf32>
// CHECK: qc.codebook_accumulate {{.*}} : tensor<?x40xi8>, tensor<16x40xi8>, tensor<16x4xf32> -> tensor<?x16xf32>
// CHECK: qc.multi_threshold {{.*}} {out_bias = -1.000000e+00 : f64, out_scale = 2.000000e+00 : f64} : tensor<?x4x4x16xi32>, tensor<16x3xi32> -> tensor<?x4x4x16xf32>
// CHECK: qc.multi_threshold {{.*}} : tensor<?x16xf32>, tensor<1x1xf32> -> tensor<?x16xi8>
func.func @kernels(%a: tensor<?x2xi32>, %w: tensor<16x2xi32>, %ac: tensor<1x8x8x2xi32>, %wc: tensor<16x3x3x2xi32>,
                   %a2: tensor<2x?x2xi32>, %w3: tensor<3x16x2xi32>, %a1: tensor<1x?x2xi32>, %w1: tensor<1x16x2xi32>,
                   %a4: tensor<4x?x2xi32>, %x8: tensor<?x40xi8>, %e8: tensor<16x40xi8>, %xc: tensor<1x8x8x4xi8>,
                   %ec: tensor<16x3x3x4xi8>, %xf: tensor<?x40xf32>, %c4: tensor<4xf32>, %c16: tensor<16x4xf32>,
                   %acc: tensor<?x4x4x16xi32>, %th: tensor<16x3xi32>, %f: tensor<?x16xf32>, %th1: tensor<1x1xf32>) {
  %0 = qc.xnor_popcount %a, %w {depth = 40 : i64} : tensor<?x2xi32>, tensor<16x2xi32> -> tensor<?x16xi32>
  %1 = qc.xnor_popcount %ac, %wc {depth = 40 : i64, pad_value = 1 : i64, conv = #qc.conv<strides = [1, 1], pad = [1, 1, 1, 1], dilation = [1, 1]>} : tensor<1x8x8x2xi32>, tensor<16x3x3x2xi32> -> tensor<1x8x8x16xi16>
  %m = qc.xnor_popcount %a, %w mask %a {depth = 40 : i64} : tensor<?x2xi32>, tensor<16x2xi32>, tensor<?x2xi32> -> tensor<?x16xi32>
  %2 = qc.bitserial_popcount %a2, %w3 {depth = 40 : i64, input_encoding = #qc.encoding<unsigned>, weight_encoding = #qc.encoding<twos_complement>} : tensor<2x?x2xi32>, tensor<3x16x2xi32> -> tensor<?x16xi32>
  %3 = qc.bitserial_popcount %a1, %w1 {depth = 40 : i64, input_encoding = #qc.encoding<sign>, weight_encoding = #qc.encoding<sign>} : tensor<1x?x2xi32>, tensor<1x16x2xi32> -> tensor<?x16xi32>
  %4 = qc.ternary_popcount %a4, %w, %w {depth = 40 : i64, input_encoding = #qc.encoding<unsigned>} : tensor<4x?x2xi32>, tensor<16x2xi32>, tensor<16x2xi32> -> tensor<?x16xi32>
  %5 = qc.shift_accumulate %x8, %e8 {emin = -7 : i64, emax = 0 : i64} : tensor<?x40xi8>, tensor<16x40xi8> -> tensor<?x16xi32>
  %6 = qc.shift_accumulate %xc, %ec {emin = -7 : i64, emax = 0 : i64, conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x8x8x4xi8>, tensor<16x3x3x4xi8> -> tensor<1x6x6x16xi32>
  %7 = qc.codebook_accumulate %xf, %e8, %c4 : tensor<?x40xf32>, tensor<16x40xi8>, tensor<4xf32> -> tensor<?x16xf32>
  %8 = qc.codebook_accumulate %x8, %e8, %c16 : tensor<?x40xi8>, tensor<16x40xi8>, tensor<16x4xf32> -> tensor<?x16xf32>
  %9 = qc.multi_threshold %acc, %th {out_scale = 2.0 : f64, out_bias = -1.0 : f64} : tensor<?x4x4x16xi32>, tensor<16x3xi32> -> tensor<?x4x4x16xf32>
  %10 = qc.multi_threshold %f, %th1 : tensor<?x16xf32>, tensor<1x1xf32> -> tensor<?x16xi8>
  return
}

// CHECK-LABEL: func.func @bitplane_pack
// CHECK: qc.bitplane_pack %{{.*}} : tensor<?x40xi32> -> tensor<4x?x2xi32>
// CHECK: qc.bitplane_pack %{{.*}} : tensor<2x3x3x6xi8> -> tensor<2x2x3x3x1xi8>
func.func @bitplane_pack(%x: tensor<?x40xi32>, %w: tensor<2x3x3x6xi8>) -> (tensor<4x?x2xi32>, tensor<2x2x3x3x1xi8>) {
  %p = qc.bitplane_pack %x : tensor<?x40xi32> -> tensor<4x?x2xi32>
  %q = qc.bitplane_pack %w : tensor<2x3x3x6xi8> -> tensor<2x2x3x3x1xi8>
  return %p, %q : tensor<4x?x2xi32>, tensor<2x2x3x3x1xi8>
}

// CHECK-LABEL: func.func @packed_max_pool
// CHECK: qc.packed_max_pool2d %{{.*}} {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 0, 2>, stride = array<i64: 2, 2>} : tensor<?x5x6x2xi32> -> tensor<?x3x3x2xi32>
// CHECK: qc.packed_max_pool2d %{{.*}} {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : tensor<1x?x4x1xi64> -> tensor<1x?x2x1xi64>
func.func @packed_max_pool(%x: tensor<?x5x6x2xi32>, %y: tensor<1x?x4x1xi64>) -> (tensor<?x3x3x2xi32>, tensor<1x?x2x1xi64>) {
  %0 = qc.packed_max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 0, 2>} : tensor<?x5x6x2xi32> -> tensor<?x3x3x2xi32>
  %1 = qc.packed_max_pool2d %y {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : tensor<1x?x4x1xi64> -> tensor<1x?x2x1xi64>
  return %0, %1 : tensor<?x3x3x2xi32>, tensor<1x?x2x1xi64>
}

// CHECK-LABEL: func.func @threshold_pack
// CHECK: qc.threshold_pack %{{.*}}, %{{.*}} : tensor<?x4x4x40xi16>, tensor<40x2xi32> -> tensor<?x4x4x2xi32>
// CHECK: qc.threshold_pack %{{.*}}, %{{.*}} {nonzero} : tensor<?x4x4x40xi16>, tensor<40x2xi32> -> tensor<?x4x4x2xi32>
// CHECK: qc.threshold_pack %{{.*}}, %{{.*}} : tensor<8x64xi32>, tensor<1x1xi32> -> tensor<8x1xi64>
func.func @threshold_pack(%x: tensor<?x4x4x40xi16>, %t: tensor<40x2xi32>, %y: tensor<8x64xi32>, %u: tensor<1x1xi32>) -> (tensor<?x4x4x2xi32>, tensor<?x4x4x2xi32>, tensor<8x1xi64>) {
  %0 = qc.threshold_pack %x, %t : tensor<?x4x4x40xi16>, tensor<40x2xi32> -> tensor<?x4x4x2xi32>
  %1 = qc.threshold_pack %x, %t {nonzero} : tensor<?x4x4x40xi16>, tensor<40x2xi32> -> tensor<?x4x4x2xi32>
  %2 = qc.threshold_pack %y, %u : tensor<8x64xi32>, tensor<1x1xi32> -> tensor<8x1xi64>
  return %0, %1, %2 : tensor<?x4x4x2xi32>, tensor<?x4x4x2xi32>, tensor<8x1xi64>
}
