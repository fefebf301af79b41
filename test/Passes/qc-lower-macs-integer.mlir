// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=uniform weight-bits=8 activation-scheme=uniform activation-bits=8 quantize-first-last=1" -qc-lower-macs | FileCheck %s --check-prefix=INT8
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=pot weight-bits=3 activation-scheme=uniform activation-bits=8 quantize-first-last=1" -qc-lower-macs | FileCheck %s --check-prefix=POT
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=codebook weight-bits=1 activation-scheme=uniform activation-bits=8 quantize-first-last=1" -qc-lower-macs | FileCheck %s --check-prefix=CB

// Input range [0, 2.55]: unsigned 8-bit activations, scale 0.01.
// Weights, one output channel per row: [1.27, -0.635], [0.5, 0.25].
// int8 per channel: scales 1.27/127 = 0.01 and 0.5/127; integers
//   [127, -64] (-63.5 rounds to even) and [127, 64 (63.5 -> 64)];
//   output scales 0.01 * 0.01 = 1e-4 and 0.01 * 0.5/127.
// pot, 3 bits: emax = floor(log2(4/3 * 1.27)) = 0, emin = -2; unit 2^-2;
//   integers 1.27 -> 4 (2^0), -0.635 -> -2 (2^-1), 0.5 -> 2, 0.25 -> 1;
//   output scale 0.01 * 0.25 = 0.0025.
// A codebook has no integer form: the layer stays on the reference path.

// INT8-LABEL: func.func @dense
// INT8: %[[Q:.*]] = qc.quantize %{{.*}} -> tensor<?x2x!quant.uniform<u8:f32, {{.*}}>>
// INT8: %[[D:.*]] = qc.dequantize %[[Q]]
// INT8: %[[C:.*]] = linalg.generic {{.*}} ins(%[[D]] : tensor<?x2xf32>) outs(%{{.*}} : tensor<?x2xi32>)
// INT8:   arith.divf
// INT8:   math.roundeven
// INT8:   arith.fptosi
// INT8: %[[W:.*]] = arith.constant dense<{{\[}}[127, -64], [127, 64]]> : tensor<2x2xi8>
// INT8: %[[ACC:.*]] = linalg.matmul_transpose_b ins(%[[C]], %[[W]] : tensor<?x2xi32>, tensor<2x2xi8>) outs(%{{.*}} : tensor<?x2xi32>)
// INT8: tosa.cast %[[ACC]] : (tensor<?x2xi32>) -> tensor<?x2xf32>
// INT8: dense<{{\[\[}}9.99999974E-5, 3.93700793E-5]]> : tensor<1x2xf32>
// INT8-NOT: tosa.fully_connected
// POT-LABEL: func.func @dense
// POT: arith.constant dense<{{\[}}[4, -2], [2, 1]]> : tensor<2x2xi8>
// POT: linalg.matmul_transpose_b
// POT: dense<2.500000e-03> : tensor<1x2xf32>
// CB-LABEL: func.func @dense
// CB-NOT: linalg.matmul_transpose_b
// CB: tosa.fully_connected
func.func @dense(%x: tensor<?x2xf32>, %b: tensor<2xf32>) -> tensor<?x2xf32> {
  %w = "tosa.const"() {value = dense<[[1.27, -0.635], [0.5, 0.25]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %y = tosa.fully_connected %x, %w, %b {qc.input_range = array<f64: 0.0, 2.55, 1.0>} : (tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A padded, strided, dilated convolution: the codes are padded with 0
// (the code of the value 0.0) and the integer convolution keeps strides
// and dilations.
// INT8-LABEL: func.func @conv
// INT8: %[[P:.*]] = tensor.pad %{{.*}} low[0, 1, 2, 0] high[0, 1, 2, 0]
// INT8:   tensor.yield %{{.*}} : i32
// INT8: } : tensor<?x6x6x2xi32> to tensor<?x8x10x2xi32>
// INT8: linalg.conv_2d_nhwc_fhwc {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[P]], %{{.*}} : tensor<?x8x10x2xi32>, tensor<2x1x1x2xi8>) outs(%{{.*}} : tensor<?x4x5x2xi32>)
// INT8-NOT: tosa.conv2d
func.func @conv(%x: tensor<?x6x6x2xf32>, %b: tensor<2xf32>) -> tensor<?x4x5x2xf32> {
  %w = "tosa.const"() {value = dense<[[[[1.27, -0.635]]], [[[0.5, 0.25]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %y = tosa.conv2d %x, %w, %b {dilation = array<i64: 1, 2>, pad = array<i64: 1, 1, 2, 2>, stride = array<i64: 2, 2>, qc.input_range = array<f64: -1.0, 2.55, 1.0>} : (tensor<?x6x6x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<?x4x5x2xf32>
  return %y : tensor<?x4x5x2xf32>
}
