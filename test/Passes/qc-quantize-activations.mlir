// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=uniform weight-bits=8 activation-scheme=uniform activation-bits=8 quantize-first-last=1" | FileCheck %s --check-prefix=A8
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=uniform weight-bits=4 activation-scheme=uniform activation-bits=4" | FileCheck %s --check-prefix=EDGE
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=binary weight-bits=1 activation-scheme=binary quantize-first-last=1" | FileCheck %s --check-prefix=BIN
// RUN: qc-opt %s -split-input-file --qc-quantize="weight-scheme=uniform weight-bits=8 activation-scheme=uniform activation-bits=8 config=%S/Inputs/quant-config.json" | FileCheck %s --check-prefix=CFG

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
