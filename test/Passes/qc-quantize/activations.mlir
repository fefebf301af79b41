// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=uniform weight-bits=8 activation-scheme=uniform activation-bits=8 quantize-first-last=1" | FileCheck %s --check-prefix=A8
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=uniform weight-bits=4 activation-scheme=uniform activation-bits=4" | FileCheck %s --check-prefix=EDGE
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=binary weight-bits=1 activation-scheme=binary quantize-first-last=1" | FileCheck %s --check-prefix=BIN
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=uniform weight-bits=8 activation-scheme=uniform activation-bits=8 config=%S/Inputs/quant-config.json" | FileCheck %s --check-prefix=CFG
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=none activation-scheme=threshold activation-bits=2 quantize-first-last=1" | FileCheck %s --check-prefix=THR
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=uniform weight-bits=4 activation-scheme=threshold activation-bits=3" | FileCheck %s --check-prefix=THREDGE
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=uniform weight-bits=8 activation-scheme=uniform activation-bits=8 config=%S/Inputs/quant-config-threshold.json" | FileCheck %s --check-prefix=CFGTHR

// Calibrated ranges (lo, hi, mean |x|), as qc-run/qcc --calib-* record them:
//   fc1 input [0, 2.55]      non-negative: unsigned 8-bit, scale 2.55/255 = 0.01;
//                            4-bit: 2.55/15 = 0.17
//   fc2 input [-1.5, 3.0]    signed symmetric: 8-bit scale 3.0/127,
//                            4-bit 3.0/7
//   fc3 input [0, 0]         all zero: scale 1, no division by zero
// Binary activations: sign scaled by mean |x| (XNOR-Net): 0.5, 0.25, 1.

// A8-LABEL: func.func @layers
// A8: qc.quantize %{{.*}} : tensor<1x4xf32> -> tensor<1x4x!quant.uniform<u8:f32, {{0.0099999999999999984|0.01}}>>
// A8: qc.quantize %{{.*}} : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<i8<-127:127>:f32, 0.023622047244094488>>
// A8: qc.quantize %{{.*}} : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 1.000000e+00>>
// First and last layers stay 8-bit: only fc2's input is 4-bit.
// EDGE-LABEL: func.func @layers
// EDGE: !quant.uniform<u8:f32, {{0.0099999999999999984|0.01}}>
// EDGE: !quant.uniform<i4<-7:7>:f32, 0.42857142857142855>
// EDGE: !quant.uniform<u8:f32, 1.000000e+00>
// BIN-LABEL: func.func @layers
// BIN: qc.quantize %{{.*}} : tensor<1x4xf32> -> tensor<1x4x!qc.binary<f32, alpha = [5.000000e-01]>>
// BIN: qc.quantize %{{.*}} : tensor<1x2xf32> -> tensor<1x2x!qc.binary<f32, alpha = [2.500000e-01]>>
// BIN: qc.quantize %{{.*}} : tensor<1x2xf32> -> tensor<1x2x!qc.binary<f32, alpha = [1.000000e+00]>>
// The config (Inputs/quant-config.json) makes fc2 binary x int4 and leaves
// fc3's activations float; fc1 follows the options.
// CFG-LABEL: func.func @layers
// CFG: !quant.uniform<u8:f32, {{0.0099999999999999984|0.01}}>
// CFG: qc.quantize %{{.*}} -> tensor<1x2x!quant.uniform<i4<-7:7>:f32, 0.42857142857142855>>
// CFG: qc.constant {{.*}} -> tensor<2x2x!qc.binary
// CFG-NOT: qc.quantize
// CFG: return

// threshold<k>: a shared threshold table at the midpoints of the uniform
// levels, count * out_scale + out_bias, then quantize/dequantize to the
// uniform type (exact: the values are on its grid).
//   fc1 [0, 2.55], 2 bits: s = 2.55/3 = 0.85, thresholds (i - 1/2) s for
//       i = 1..3: 0.425, 1.275, 2.125; bias 0;
//   fc2 [-1.5, 3.0], 2 bits signed: q = 1, s = 3/1 = 3, thresholds
//       (i + 1/2) s for i = -1, 0: -1.5, 1.5; bias -q s = -3;
//       3 bits: q = 3, s = 1, thresholds -2.5 .. 2.5 (6), bias -3;
//   fc3 [0, 0]: s = 1, thresholds 0.5, 1.5, 2.5.
// THR-LABEL: func.func @layers
// THR-SAME: (%[[X:.*]]: tensor<1x4xf32>)
// THR: %[[T1:.*]] = "tosa.const"() <{value = dense<{{\[}}[4.250000e-01, 1.275000e+00, 2.125000e+00]]> : tensor<1x3xf32>}>
// THR: %[[A1:.*]] = qc.multi_threshold %[[X]], %[[T1]] {out_scale = 8.500000e-01 : f64} : tensor<1x4xf32>, tensor<1x3xf32> -> tensor<1x4xf32>
// THR: %[[Q1:.*]] = qc.quantize %[[A1]] : tensor<1x4xf32> -> tensor<1x4x!quant.uniform<u2:f32, 8.500000e-01>>
// THR: %[[D1:.*]] = qc.dequantize %[[Q1]]
// THR: %[[Y1:.*]] = tosa.fully_connected %[[D1]]
// THR: %[[T2:.*]] = "tosa.const"() <{value = dense<{{\[}}[-1.500000e+00, 1.500000e+00]]> : tensor<1x2xf32>}>
// THR: %[[A2:.*]] = qc.multi_threshold %[[Y1]], %[[T2]] {out_bias = -3.000000e+00 : f64, out_scale = 3.000000e+00 : f64}
// THR: %[[Q2:.*]] = qc.quantize %[[A2]] : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<i2<-1:1>:f32, 3.000000e+00>>
// THR: %[[D2:.*]] = qc.dequantize %[[Q2]]
// THR: tosa.fully_connected %[[D2]]
// THR: dense<{{\[}}[5.000000e-01, 1.500000e+00, 2.500000e+00]]> : tensor<1x3xf32>
// THR: qc.multi_threshold
// THR: qc.quantize %{{.*}} : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u2:f32, 1.000000e+00>>
// THR: return
// The first and last layers stay 8-bit uniform; the middle one takes the
// thresholds.
// THREDGE-LABEL: func.func @layers
// THREDGE: qc.quantize %{{.*}} -> tensor<1x4x!quant.uniform<u8:f32,
// THREDGE: dense<{{\[}}[-2.500000e+00, -1.500000e+00, -5.000000e-01, 5.000000e-01, 1.500000e+00, 2.500000e+00]]> : tensor<1x6xf32>
// THREDGE: qc.multi_threshold %{{.*}} {out_bias = -3.000000e+00 : f64} : tensor<1x2xf32>, tensor<1x6xf32> -> tensor<1x2xf32>
// THREDGE: qc.quantize %{{.*}} -> tensor<1x2x!quant.uniform<i3<-3:3>:f32, 1.000000e+00>>
// THREDGE-NOT: qc.multi_threshold
// THREDGE: qc.quantize %{{.*}} -> tensor<1x2x!quant.uniform<u8:f32, 1.000000e+00>>
// The config (Inputs/quant-config-threshold.json) gives fc2 threshold2
// activations and uint4 weights; the others follow the options.
// CFGTHR-LABEL: func.func @layers
// CFGTHR: qc.quantize %{{.*}} -> tensor<1x4x!quant.uniform<u8:f32,
// CFGTHR: qc.multi_threshold %{{.*}} {out_bias = -3.000000e+00 : f64, out_scale = 3.000000e+00 : f64}
// CFGTHR: qc.constant {{.*}} -> tensor<2x2x!quant.uniform<u4:f32:0,
// CFGTHR: qc.quantize %{{.*}} -> tensor<1x2x!quant.uniform<u8:f32, 1.000000e+00>>
func.func @layers(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0], [-0.75, 0.5, 1.5, -0.5]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %w2 = "tosa.const"() {value = dense<[[0.5, -1.0], [0.25, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %w3 = "tosa.const"() {value = dense<[[1.0, -1.0], [0.5, 0.25]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = tosa.fully_connected %x, %w1, %b {qc.input_range = array<f64: 0.0, 2.55, 0.5>} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc1")
  %1 = tosa.fully_connected %0, %w2, %b {qc.input_range = array<f64: -1.5, 3.0, 0.25>} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc2")
  %2 = tosa.fully_connected %1, %w3, %b {qc.input_range = array<f64: 0.0, 0.0, 0.0>} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc3")
  return %2 : tensor<1x2xf32>
}
