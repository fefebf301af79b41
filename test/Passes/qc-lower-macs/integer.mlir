// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=uniform weight-bits=8 activation-scheme=uniform activation-bits=8 quantize-first-last=1" -qc-lower-macs | FileCheck %s --check-prefix=INT8
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=pot weight-bits=3 activation-scheme=uniform activation-bits=8 quantize-first-last=1" -qc-lower-macs="route=shift" | FileCheck %s --check-prefix=POT
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=binary weight-bits=1 activation-scheme=uniform activation-bits=4 quantize-first-last=1" -qc-lower-macs="route=bitserial" | FileCheck %s --check-prefix=BS
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=binary weight-bits=1 activation-scheme=uniform activation-bits=4 quantize-first-last=1" -qc-lower-macs="bitserial-max-bits=3 route=bitserial" | FileCheck %s --check-prefix=NOBS
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=ternary weight-bits=2 activation-scheme=uniform activation-bits=8 quantize-first-last=1" -qc-lower-macs="route=ternary" | FileCheck %s --check-prefix=TER
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=codebook weight-bits=1 activation-scheme=uniform activation-bits=8 quantize-first-last=1" -qc-lower-macs | FileCheck %s --check-prefix=CB

// Input range [0, 2.55]: unsigned 8-bit activations, scale 0.01.
// Weights, one output channel per row: [1.27, -0.635], [0.5, 0.25].
// int8 per channel: scales 1.27/127 = 0.01 and 0.5/127; integers
//   [127, -64] (-63.5 rounds to even) and [127, 64 (63.5 -> 64)];
//   output scales 0.01 * 0.01 = 1e-4 and 0.01 * 0.5/127.
// pot, 3 bits: emax = floor(log2(4/3 * 1.27)) = 0, emin = -2; unit 2^-2;
//   sign-magnitude codes, magnitude e - emin + 1, sign bit 4: 1.27 -> 3
//   (2^0), -0.635 -> 4 + 2 (-2^-1), 0.5 -> 2, 0.25 -> 1; qc.shift_accumulate
//   on i16 codes (u8 codes reach 255); its bound, K * 2^15 * 2^(emax -
//   emin) = 2 * 2^15 * 4 = 2^18, needs an i32 accumulator.
// codebook, 1 bit: k-means of {-0.635, 0.25, 0.5, 1.27} gives centroids
//   mean(-0.635, 0.25, 0.5) = 0.0383333 and 1.27; indices [1, 0], [0, 0];
//   per-centroid sums of the codes (c - z, i32), output scale 0.01.

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
// POT: %[[W:.*]] = arith.constant dense<{{\[}}[3, 6], [2, 1]]> : tensor<2x2xi8>
// POT: qc.shift_accumulate %{{.*}}, %[[W]] {emax = 0 : i64, emin = -2 : i64} : tensor<?x2xi16>, tensor<2x2xi8> -> tensor<?x2xi32>
// POT: dense<2.500000e-03> : tensor<1x2xf32>
// CB-LABEL: func.func @dense
// CB: %[[I:.*]] = arith.constant dense<{{\[}}[1, 0], [0, 0]]> : tensor<2x2xi8>
// CB: %[[T:.*]] = arith.constant dense<{{\[}}[0.0383333378, 1.270000e+00], [0.0383333378, 1.270000e+00]]> : tensor<2x2xf32>
// CB: qc.codebook_accumulate %{{.*}}, %[[I]], %[[T]] : tensor<?x2xi32>, tensor<2x2xi8>, tensor<2x2xf32> -> tensor<?x2xf32>
// CB: dense<0.00999999977> : tensor<1x2xf32>
// CB-NOT: tosa.fully_connected
// binary weights, 4-bit activations (1 x 4 bits <= 5: bit-serial): alphas
//   mean |w| = 0.9525 and 0.375, signs [+, -] and [+, +] (sign words 2, 0);
//   u4 activations on [0, 2.55], scale 0.17, zero point 0 = qmin, so the
//   unsigned codes need no correction; output scales 0.9525 * 0.17 and
//   0.375 * 0.17. The accumulator is bounded by K * 15 * 1 = 30, so it is
//   i16.
// BS-LABEL: func.func @dense
// BS: %[[A:.*]] = qc.bitplane_pack %{{.*}} : tensor<?x2xi32> -> tensor<4x?x1xi8>
// BS: %[[W:.*]] = arith.constant dense<{{\[\[\[}}2], [0]]]> : tensor<1x2x1xi8>
// BS: qc.bitserial_popcount %[[A]], %[[W]] {depth = 2 : i64, input_encoding = #qc.encoding<unsigned>, weight_encoding = #qc.encoding<sign>} : tensor<4x?x1xi8>, tensor<1x2x1xi8> -> tensor<?x2xi16>
// BS-NOT: tosa.sub
// BS: dense<{{\[\[}}1.619250e-01, 0.0637499988]]> : tensor<1x2xf32>
// NOBS-LABEL: func.func @dense
// NOBS-NOT: qc.bitserial_popcount
// NOBS: linalg.matmul_transpose_b
// ternary (TWN) weights: delta 0.7 * mean |w| keeps 1.27 (alpha 1.27) and
//   0.5 (alpha 0.5), zeroes -0.635 and 0.25: positive masks [1, 0], no
//   negatives; 8 planes of u8 codes; output scales 0.0127 and 0.005.
// TER-LABEL: func.func @dense
// TER: %[[A:.*]] = qc.bitplane_pack %{{.*}} : tensor<?x2xi32> -> tensor<8x?x1xi8>
// TER: %[[P:.*]] = arith.constant dense<1> : tensor<2x1xi8>
// TER: %[[N:.*]] = arith.constant dense<0> : tensor<2x1xi8>
// TER: qc.ternary_popcount %[[A]], %[[P]], %[[N]] {depth = 2 : i64, input_encoding = #qc.encoding<unsigned>} : tensor<8x?x1xi8>, tensor<2x1xi8>, tensor<2x1xi8> -> tensor<?x2xi16>
// TER: dense<{{\[\[}}1.270000e-02, 5.000000e-03]]> : tensor<1x2xf32>
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
// Symmetric i4<-7:7> activations have zero point 0 and qmin -7: the
// unsigned codes are c + 7, the padding is filled with 7 before packing,
// and the kernel's sum loses 7 * sum(w) per channel: 0 for [1, -1], 14 for
// [1, 1].
// BS-LABEL: func.func @conv
// BS: %[[P:.*]] = tensor.pad %{{.*}} low[0, 1, 2, 0] high[0, 1, 2, 0]
// BS: %[[A:.*]] = qc.bitplane_pack %[[P]] : tensor<?x8x10x2xi32> -> tensor<4x?x8x10x1xi8>
// BS: %[[ACC:.*]] = qc.bitserial_popcount %[[A]], %{{.*}} {conv = #qc.conv<strides = [2, 2], pad = [0, 0, 0, 0], dilation = [1, 2]>
// BS: %[[C:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}0, 14]]]]> : tensor<1x1x1x2xi16>}>
// BS: tosa.sub %[[ACC]], %[[C]]
// Narrow i8<-127:127>: u0 = 127, one positive weight per channel. The
// shift-add reads i8 codes (|c - z| <= 127): bound 2 * 2^7 * 4 = 1024, i16.
// POT-LABEL: func.func @conv
// POT: qc.shift_accumulate {{.*}} : tensor<?x6x6x2xi8>, tensor<2x1x1x2xi8> -> tensor<?x4x5x2xi16>
// TER-LABEL: func.func @conv
// TER: qc.ternary_popcount
// TER: %[[C:.*]] = "tosa.const"() <{value = dense<127> : tensor<1x1x1x2xi16>}>
// TER: tosa.sub %{{.*}}, %[[C]]
func.func @conv(%x: tensor<?x6x6x2xf32>, %b: tensor<2xf32>) -> tensor<?x4x5x2xf32> {
  %w = "tosa.const"() {value = dense<[[[[1.27, -0.635]]], [[[0.5, 0.25]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %y = tosa.conv2d %x, %w, %b {dilation = array<i64: 1, 2>, pad = array<i64: 1, 1, 2, 2>, stride = array<i64: 2, 2>, qc.input_range = array<f64: -1.0, 2.55, 1.0>} : (tensor<?x6x6x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<?x4x5x2xf32>
  return %y : tensor<?x4x5x2xf32>
}
