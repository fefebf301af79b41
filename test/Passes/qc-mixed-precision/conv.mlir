// RUN: qc-opt %s --qc-mixed-precision="budget=100000 cost=bops activation-bits=4 explain=1 choices=binary,int4,int8,none" 2>&1 | FileCheck %s
// RUN: qc-opt %s --qc-mixed-precision="budget=4100 cost=bops activation-bits=4 choices=binary,int4,int8,none" | FileCheck %s --check-prefix=TIGHT
// RUN: not qc-opt %s --qc-mixed-precision="budget=1700 cost=bops activation-bits=4 choices=binary,int4,int8,none" 2>&1 | FileCheck %s --check-prefix=INFEASIBLE

// Convolutions and a depthwise convolution (HWCM weights, quantized per
// layer) between them, costed in BOPs: MACs x weight bits x activation
// bits. conv1 (pinned): 3 x 3 outputs x 2 channels x 1 x 1 x 2 = 36 MACs;
// the depthwise layer: 3 x 3 x 4 outputs x 1 x 1 = 36 MACs; conv3
// (pinned): 3 x 3 x 2 x 4 = 72 MACs. Its weights are +-1 per output
// channel (binary is exact); the depthwise weights 0.5, 1, 1.5 and 2 have
// one binary alpha 1.25: error (0.75^2 + 0.25^2 + 0.25^2 + 0.75^2) / 4.

// CHECK: remark: {{.*}}conv1: int8 (pinned); candidates: binary (bops 144 BOPs, loss {{.*}}) int4 (bops 576 BOPs, loss {{.*}}) int8 (bops 1152 BOPs, loss {{.*}}) none (bops 4608 BOPs, loss 0)
// CHECK: remark: {{.*}}dw2: none; candidates: binary (bops 144 BOPs, loss 0.3125) int4 (bops 576 BOPs, loss 0.007653) int8 (bops 1152 BOPs, loss 2.325e-05) none (bops 4608 BOPs, loss 0)
// CHECK: remark: {{.*}}conv3: int8 (pinned); candidates: binary (bops 288 BOPs, loss 0)

// 4100 BOPs: the pinned layers take 1152 + 2304, which leaves 644 for the
// depthwise layer: int4. 1700 BOPs are less than the pinned layers alone.
// TIGHT-LABEL: func.func @convs
// TIGHT: tosa.conv2d {{.*}}qc.precision = "int8"
// TIGHT: tosa.depthwise_conv2d {{.*}}qc.precision = "int4"
// TIGHT: tosa.conv2d {{.*}}qc.precision = "int8"
// INFEASIBLE: error: qc-mixed-precision: the bops budget of 1700 BOPs is infeasible: the cheapest assignment costs 3600 BOPs (most from conv3 pinned to int8: 2304, conv1 pinned to int8: 1152, dw2 at its cheapest, binary: 144)
func.func @convs(%x: tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32> {
  %w1 = "tosa.const"() {value = dense<[[[[0.5, -0.25]]], [[[1.0, 0.75]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b1 = "tosa.const"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %w2 = "tosa.const"() {value = dense<[[[[0.5, 1.0], [1.5, 2.0]]]]> : tensor<1x1x2x2xf32>} : () -> tensor<1x1x2x2xf32>
  %b2 = "tosa.const"() {value = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %w3 = "tosa.const"() {value = dense<[[[[1.0, -1.0, 1.0, 1.0]]], [[[-1.0, -1.0, 1.0, -1.0]]]]> : tensor<2x1x1x4xf32>} : () -> tensor<2x1x1x4xf32>
  %0 = tosa.conv2d %x, %w1, %b1 {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32> loc("conv1")
  %1 = tosa.depthwise_conv2d %0, %w2, %b2 {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x2xf32>, tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<1x3x3x4xf32> loc("dw2")
  %2 = tosa.conv2d %1, %w3, %b1 {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x4xf32>, tensor<2x1x1x4xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32> loc("conv3")
  return %2 : tensor<1x3x3x2xf32>
}
