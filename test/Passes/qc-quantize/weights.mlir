// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=binary weight-bits=1 quantize-first-last=1" | FileCheck %s --check-prefix=BIN
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=ternary weight-bits=2 quantize-first-last=1" | FileCheck %s --check-prefix=TER
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=pot weight-bits=4 quantize-first-last=1" | FileCheck %s --check-prefix=POT
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=uniform weight-bits=4 quantize-first-last=1" | FileCheck %s --check-prefix=INT4
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=uniform weight-bits=4 per-channel=0 quantize-first-last=1" | FileCheck %s --check-prefix=TENSOR
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=codebook weight-bits=1 quantize-first-last=1" | FileCheck %s --check-prefix=CB
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=binary weight-bits=1" | FileCheck %s --check-prefix=EDGE
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=binary weight-bits=1 quantize-first-last=1" -canonicalize -convert-qc-to-linalg | FileCheck %s --check-prefix=ZERO
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=asymmetric weight-bits=4 quantize-first-last=1" | FileCheck %s --check-prefix=ASYM
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=asymmetric weight-bits=4 per-channel=0 quantize-first-last=1" | FileCheck %s --check-prefix=ASYMT
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=dorefa weight-bits=2 quantize-first-last=1" | FileCheck %s --check-prefix=DOREFA
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=dorefa weight-bits=1 quantize-first-last=1" | FileCheck %s --check-prefix=DOREFA1
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=asymmetric weight-bits=4 quantize-first-last=1" -canonicalize -convert-qc-to-linalg | FileCheck %s --check-prefix=ZEROASYM
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=dorefa weight-bits=2 quantize-first-last=1" -canonicalize -convert-qc-to-linalg | FileCheck %s --check-prefix=ZERODOREFA
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=ternary weight-bits=2 quantize-first-last=1" -canonicalize -convert-qc-to-linalg | FileCheck %s --check-prefix=ZEROEXACT
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=uniform weight-bits=4 quantize-first-last=1" -canonicalize -convert-qc-to-linalg | FileCheck %s --check-prefix=ZEROEXACT
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=pot weight-bits=4 quantize-first-last=1" -canonicalize -convert-qc-to-linalg | FileCheck %s --check-prefix=ZEROEXACT
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=codebook weight-bits=1 quantize-first-last=1" -canonicalize -convert-qc-to-linalg | FileCheck %s --check-prefix=ZEROCB
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=auto" | FileCheck %s --check-prefix=AUTO
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=auto" | FileCheck %s --check-prefix=SIGN
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=auto recognize-sign=0" | FileCheck %s --check-prefix=NOSIGN

// Weights, one output channel per row:
//   row 0: [0.5, -1.0, 0.25, 2.0]   mean |w| = 0.9375, max |w| = 2
//   row 1: [-0.75, 0.5, 1.5, -0.5]  mean |w| = 0.8125, max |w| = 1.5
// binary  alpha = mean |w|                           (XNOR-Net)
// ternary delta = 0.7 mean |w| = 0.65625, 0.56875; alpha = mean of |w| > delta
//         = (1 + 2) / 2 = 1.5 and (0.75 + 1.5) / 2 = 1.125          (TWN)
// pot     emax = floor(log2(4/3 * 2)) = 1, 7 exponents: emin = -5  (INQ)
// int4    scale = max |w| / 7 = 2/7, 1.5/7; per tensor 2/7
// codebook, 1 bit: sorted values -1 -0.75 -0.5 0.25 0.5 0.5 1.5 2; quantile
//         initialization picks -0.5 and 1.5; with the midpoint 0.5 (ties go
//         low) the clusters are {-1 .. 0.5} and {1.5, 2}, whose means
//         -1/6 and 1.75 keep the same clusters: converged.
// uint4   range [min(w, 0), max(w, 0)]: row 0 [-1, 2], scale 3/15 = 0.2,
//         zero point roundeven(1/0.2) = 5; codes roundeven(w/0.2) + 5 =
//         [7, 0, 6, 15] (0.5/0.2 = 2.5 rounds to 2), values [0.4, -1, 0.2, 2];
//         row 1 [-0.75, 1.5], scale 2.25/15 = 0.15, zero point 5, codes
//         [0, 8, 15, 2]; per tensor [-1, 2]: scale 0.2, zero point 5, row 1
//         codes [1, 7, 13, 3] (-3.75 -> -4, 2.5 -> 2, 7.5 -> 8, -2.5 -> -2).
// dorefa2 n = 3, per layer: m = max |tanh w| = tanh 2 = 0.96403;
//         x = tanh(w) / (2m) + 1/2 = [0.7397, 0.1050, 0.6270, 1],
//         [0.1706, 0.7397, 0.9695, 0.2603]; roundeven(3x) = [2, 0, 2, 3],
//         [1, 2, 3, 1]; w_q = (2j - 3)/3 = [1/3, -1, 1/3, 1], [-1/3, 1/3, 1,
//         -1/3]; a = sum(w w_q) / sum(w_q^2) = (16/3) / (32/9) = 1.5, scale
//         a/3 = 0.5, codes 3 w_q = [1, -3, 1, 3], [-1, 1, 3, -1] (3-bit).
// dorefa1 w_q = sign(w), a = mean |w| of the layer = 0.875.

// Packed signs: row 0 is negative at 1 -> word 2; row 1 at 0 and 3 -> 9.
// A row of 4 one-bit codes fits one 8-bit word, the narrowest that holds it.
// BIN-LABEL: func.func @dense
// BIN: %[[C:.*]] = qc.constant dense<{{\[}}[2], [9]]> : tensor<2x1xi8> -> tensor<2x4x!qc.binary<f32, alpha = [9.375000e-01, 8.125000e-01], axis = 0>>
// TER: !qc.ternary<f32, alpha_n = [1.500000e+00, 1.125000e+00], alpha_p = [1.500000e+00, 1.125000e+00], delta = [6.562500e-01, 5.687500e-01], axis = 0>
// POT: !qc.pot<f32, scale = [1.000000e+00], emin = -5, emax = 1>
// Four 4-bit codes per row: one 16-bit word.
// INT4: qc.constant {{.*}} : tensor<2x1xi16> -> tensor<2x4x!quant.uniform<i4<-7:7>:f32:0, {0.2857142857142857,0.21428571428571427}>>
// TENSOR: !quant.uniform<i4<-7:7>:f32, 0.2857142857142857>
// CB: !qc.codebook<f32, bits = 1, centroids = dense<[-0.16666666666666666, 1.750000e+00]> : tensor<2xf64>>
// Four 4-bit codes per 16-bit word, lowest first: 0xF607, 0x2F80; per
// tensor row 1 is 0x3D71.
// ASYM-LABEL: func.func @dense
// ASYM: qc.constant dense<{{\[}}[-2553], [12160]]> : tensor<2x1xi16> -> tensor<2x4x!quant.uniform<u4:f32:0, {2.000000e-01:5,1.500000e-01:5}>>
// ASYMT-LABEL: func.func @dense
// ASYMT: qc.constant dense<{{\[}}[-2553], [15729]]> : tensor<2x1xi16> -> tensor<2x4x!quant.uniform<u4:f32, 2.000000e-01:5>>
// 3-bit two's complement codes, lowest first: 1 | 5 << 3 | 1 << 6 | 3 << 9
// = 1641 and 7 | 1 << 3 | 3 << 6 | 7 << 9 = 3791.
// DOREFA-LABEL: func.func @dense
// DOREFA: qc.constant dense<{{\[}}[1641], [3791]]> : tensor<2x1xi16> -> tensor<2x4x!quant.uniform<i3<-3:3>:f32, {{0.49999999999999994|5.000000e-01}}>>
// Signs [+, -, +, +] -> 2-bit codes 1, 3, 1, 1 = 93; [-, +, +, -] -> 215.
// DOREFA1-LABEL: func.func @dense
// DOREFA1: qc.constant dense<{{\[}}[93], [-41]]> : tensor<2x1xi8> -> tensor<2x4x!quant.uniform<i2<-1:1>:f32, 8.750000e-01>>
// BIN: %[[D:.*]] = qc.dequantize %[[C]]
// BIN: tosa.fully_connected %{{.*}}, %[[D]], %{{.*}}
func.func @dense(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0], [-0.75, 0.5, 1.5, -0.5]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = tosa.fully_connected %x, %w, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// By default the first and last layers stay 8-bit per channel; the middle
// one takes the scheme.
// EDGE-LABEL: func.func @first_middle_last
// EDGE: !quant.uniform<i8<-127:127>:f32:0, {0.015748031496062992,0.015748031496062992}>
// EDGE: !qc.binary<f32, alpha = [1.000000e+00, 1.000000e+00], axis = 0>
// EDGE: !quant.uniform<i8<-127:127>:f32:0, {0.015748031496062992,0.015748031496062992}>
func.func @first_middle_last(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() {value = dense<[[2.0, -1.0], [1.0, -2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %v = "tosa.const"() {value = dense<[[1.0, -1.0], [-1.0, 1.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = tosa.fully_connected %x, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %1 = tosa.fully_connected %0, %v, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %2 = tosa.fully_connected %1, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %2 : tensor<1x2xf32>
}

// -----

// Weights that are not constants are left alone.
// BIN-LABEL: func.func @no_quantize_runtime_weights
// BIN-NOT: qc.
func.func @no_quantize_runtime_weights(%x: tensor<1x4xf32>, %w: tensor<2x4xf32>) -> tensor<1x2xf32> {
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = tosa.fully_connected %x, %w, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// An all-zero output channel gets alpha = 0 and quantizes to exact zeros,
// never NaN.
// BIN-LABEL: func.func @all_zero_channel
// BIN: !qc.binary<f32, alpha = [0.000000e+00, 1.000000e+00], axis = 0>
// ZERO-LABEL: func.func @all_zero_channel
// ZERO: arith.constant dense<{{\[}}[0.000000e+00, 0.000000e+00], [1.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
// ternary: delta = 0.7 * 0 = 0, no |w| > 0, alpha 0; channel 1: delta 0.7,
// alpha 1. int4: scale 1 and scale 1/7 (codes 0, +-7). pot4: emax =
// floor(log2(4/3)) = 0; 0 is the zero code, +-1 = +-2^0. All three keep
// channel 1 exactly and channel 0 at exact zeros.
// ZEROEXACT-LABEL: func.func @all_zero_channel
// ZEROEXACT: arith.constant dense<{{\[}}[0.000000e+00, 0.000000e+00], [1.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
// A per-layer codebook quantizes the zero channel like any weight: sorted
// values -1 0 0 1, quantile initialization 0 and 1, midpoint 0.5: clusters
// {-1, 0, 0} -> -1/3 and {1}, converged.
// ZEROCB-LABEL: func.func @all_zero_channel
// ZEROCB: arith.constant dense<{{\[}}[-0.333333343, -0.333333343], [1.000000e+00, -0.333333343]]> : tensor<2x2xf32>
// uint4: the zero channel gets scale 1 and zero point 0; channel 1 [-1, 1]
// has scale 2/15 and zero point roundeven(7.5) = 8, so its values are
// (15 - 8) 2/15 = 14/15 and (0 - 8) 2/15 = -16/15.
// ZEROASYM-LABEL: func.func @all_zero_channel
// ZEROASYM: arith.constant dense<{{\[}}[0.000000e+00, 0.000000e+00], [0.933333337, -1.06666672]]> : tensor<2x2xf32>
// DoReFa has no zero level: per layer, m = tanh 1, w = 0 sits on the tie
// 3/2, which rounds to 2 (w_q = 1/3); w_q = [1/3, 1/3, 1, -1], a = 2 /
// (20/9) = 0.9: values [0.3, 0.3, 0.9, -0.9].
// ZERODOREFA-LABEL: func.func @all_zero_channel
// ZERODOREFA: arith.constant dense<{{\[}}[3.000000e-01, 3.000000e-01], [0.899999976, -0.899999976]]> : tensor<2x2xf32>
func.func @all_zero_channel(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() {value = dense<[[0.0, 0.0], [1.0, -1.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = tosa.fully_connected %x, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// An all-zero layer: scale 1 and zero codes, no NaN (DoReFa's max |tanh w|
// is 0: the layer stays 0).
// ZEROASYM-LABEL: func.func @all_zero_layer
// ZEROASYM: arith.constant dense<0.000000e+00> : tensor<2x2xf32>
// ZERODOREFA-LABEL: func.func @all_zero_layer
// ZERODOREFA: arith.constant dense<0.000000e+00> : tensor<2x2xf32>
// ZEROEXACT-LABEL: func.func @all_zero_layer
// ZEROEXACT: arith.constant dense<0.000000e+00> : tensor<2x2xf32>
// ZEROCB-LABEL: func.func @all_zero_layer
// ZEROCB: arith.constant dense<0.000000e+00> : tensor<2x2xf32>
// ASYM-LABEL: func.func @all_zero_layer
// ASYM: !quant.uniform<u4:f32:0, {1.000000e+00,1.000000e+00}>
// DOREFA-LABEL: func.func @all_zero_layer
// DOREFA: !quant.uniform<i3<-3:3>:f32, 1.000000e+00>
func.func @all_zero_layer(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() {value = dense<0.0> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = tosa.fully_connected %x, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// auto: trained ternary weights (TTQ) on {-Wn, 0, +Wp} with Wp != Wn get
// alpha_p != alpha_n, per channel: rows on {-0.25, 0, 0.5} (one without a
// zero, one without -Wn), then {-0.7, 0, 0.3}. Delta is half the smaller
// magnitude. Codes (0 zero, 1 +alpha_p, 3 -alpha_n), 2 bits lowest first:
// [1, 0, 3, 1] = 113, [1, 3, 3, 1] = 125, [0, 1, 0, 1] = 68; [1, 0, 3, 1]
// = 113, [0, 1, 0, 3] = 196 (-60 as i8).
// AUTO-LABEL: func.func @auto_ttq
// AUTO: qc.constant dense<{{\[}}[113], [125], [68]]> : tensor<3x1xi8> -> tensor<3x4x!qc.ternary<f32, alpha_n = [2.500000e-01, 2.500000e-01, 0.000000e+00], alpha_p = [5.000000e-01, 5.000000e-01, 5.000000e-01], delta = [1.250000e-01, 1.250000e-01, 2.500000e-01], axis = 0>>
// AUTO: qc.constant dense<{{\[}}[113], [-60]]> : tensor<2x1xi8> -> tensor<2x4x!qc.ternary<f32, alpha_n = [7.000000e-01, 7.000000e-01], alpha_p = [3.000000e-01, 3.000000e-01], delta = [1.500000e-01, 1.500000e-01], axis = 0>>
func.func @auto_ttq(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() {value = dense<[[0.5, 0.0, -0.25, 0.5], [0.5, -0.25, -0.25, 0.5], [0.0, 0.5, 0.0, 0.5]]> : tensor<3x4xf32>} : () -> tensor<3x4xf32>
  %v = "tosa.const"() {value = dense<[[0.3, 0.0, -0.7, 0.3], [0.0, 0.3, 0.0, -0.7]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %b3 = "tosa.const"() {value = dense<[0.0, 0.0, 0.0]> : tensor<3xf32>} : () -> tensor<3xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = tosa.fully_connected %x, %w, %b3 : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %1 = tosa.fully_connected %x, %v, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %1 : tensor<1x2xf32>
}

// -----

// auto: DoReFa-trained weights (odd multiples of a / (2^k - 1), here the
// dorefa2 values of @dense: a = 1.5) are a symmetric uniform grid with
// scale a / 3: the same type qc-quantize gives DoReFa weights.
// AUTO-LABEL: func.func @auto_dorefa
// AUTO: !quant.uniform<i3<-3:3>:f32:0, {5.000000e-01,5.000000e-01}>
func.func @auto_dorefa(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() {value = dense<[[0.5, -1.5, 0.5, 1.5], [-0.5, 0.5, 1.5, -0.5]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = tosa.fully_connected %x, %w, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// auto: weights already on a grid get exactly that type; others stay float.
// Row grids: {+-0.5}, {+-0.25} -> binary; {-0.3, 0, 0.3} -> ternary;
// multiples of 0.75/3 -> int3 (qmax 3); powers of two -> pot.
// AUTO-LABEL: func.func @auto_recognition
// AUTO: !qc.binary<f32, alpha = [5.000000e-01, 2.500000e-01], axis = 0>
// AUTO: !qc.ternary<f32, alpha_n = [3.000000e-01, 3.000000e-01], alpha_p = [3.000000e-01, 3.000000e-01], delta = [1.500000e-01, 1.500000e-01], axis = 0>
// AUTO: !quant.uniform<i3<-3:3>:f32:0, {2.500000e-01,2.500000e-01}>
// AUTO: !qc.pot<f32, scale = [1.000000e+00], emin = -3, emax = 1>
// AUTO-NOT: qc.constant
// AUTO: return
func.func @auto_recognition(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %wb = "tosa.const"() {value = dense<[[0.5, -0.5, 0.5, 0.5], [-0.25, 0.25, -0.25, -0.25]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %wt = "tosa.const"() {value = dense<[[0.3, 0.0, -0.3, 0.3], [0.0, 0.0, -0.3, 0.3]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %wu = "tosa.const"() {value = dense<[[0.75, -0.25, 0.5, 0.0], [-0.75, 0.25, 0.0, 0.5]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %wp = "tosa.const"() {value = dense<[[0.125, -2.0, 0.0, 0.5], [1.0, -0.25, 0.125, 2.0]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %wf = "tosa.const"() {value = dense<[[0.1, -0.7, 0.33, 1.9], [0.2, 0.45, -1.3, 0.77]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %wf2 = "tosa.const"() {value = dense<[[0.1, -0.7], [0.33, 1.9]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = tosa.fully_connected %x, %wb, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %1 = tosa.fully_connected %x, %wt, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %2 = tosa.fully_connected %x, %wu, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %3 = tosa.fully_connected %x, %wp, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %4 = tosa.fully_connected %x, %wf, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %5 = tosa.fully_connected %4, %wf2, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %5 : tensor<1x2xf32>
}

// -----

// ONNX Sign, as the importer writes it, becomes the ternary activation with
// alpha 1 and delta 0, which is exactly Sign (Sign(0) = 0).
// SIGN-LABEL: func.func @sign_activation
// SIGN-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// SIGN: %[[Q:.*]] = qc.quantize %[[X]] : tensor<2x3xf32> -> tensor<2x3x!qc.ternary<f32, alpha_n = [1.000000e+00], alpha_p = [1.000000e+00], delta = [0.000000e+00]>>
// SIGN: %[[D:.*]] = qc.dequantize %[[Q]]
// SIGN: return %[[D]]
// NOSIGN-LABEL: func.func @sign_activation
// NOSIGN-NOT: qc.quantize
// NOSIGN: return
func.func @sign_activation(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %zero = "tosa.const"() {value = dense<0.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %one = "tosa.const"() {value = dense<1.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %minus = "tosa.const"() {value = dense<-1.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<2x3xf32>, tensor<1x1xf32>) -> tensor<2x3xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
  %s1 = tosa.select %neg, %minus, %zero : (tensor<2x3xi1>, tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<2x3xf32>
  %s = tosa.select %pos, %one, %s1 : (tensor<2x3xi1>, tensor<1x1xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %s : tensor<2x3xf32>
}

// -----

// Zero maps to 0.5 here: not a Sign, nothing is quantized.
// SIGN-LABEL: func.func @not_sign
// SIGN-NOT: qc.quantize
// SIGN: return
func.func @not_sign(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %zero = "tosa.const"() {value = dense<0.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %half = "tosa.const"() {value = dense<0.5> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %one = "tosa.const"() {value = dense<1.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %minus = "tosa.const"() {value = dense<-1.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %pos = tosa.greater %x, %zero : (tensor<2x3xf32>, tensor<1x1xf32>) -> tensor<2x3xi1>
  %neg = tosa.greater %zero, %x : (tensor<1x1xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
  %s1 = tosa.select %neg, %minus, %half : (tensor<2x3xi1>, tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<2x3xf32>
  %s = tosa.select %pos, %one, %s1 : (tensor<2x3xi1>, tensor<1x1xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %s : tensor<2x3xf32>
}

// -----

// A quantizer of a constant (a QONNX weight) is stored as packed codes:
// signs [-, +, -] -> 0b101 = 5 and [+, -, +] -> 0b010 = 2.
// SIGN-LABEL: func.func @quantized_constant_packed
// SIGN: %[[C:.*]] = qc.constant dense<{{\[}}[5], [2]]> : tensor<2x1xi8> -> tensor<2x3x!qc.binary<f32, alpha = [1.000000e+00]>>
// SIGN: qc.dequantize %[[C]]
func.func @quantized_constant_packed() -> tensor<2x3xf32> {
  %c = "tosa.const"() {value = dense<[[-1.0, 2.0, -3.0], [0.5, -0.5, 0.5]]> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
  %q = qc.quantize %c : tensor<2x3xf32> -> tensor<2x3x!qc.binary<f32, alpha = [1.0]>>
  %d = qc.dequantize %q : tensor<2x3x!qc.binary<f32, alpha = [1.0]>> -> tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}
