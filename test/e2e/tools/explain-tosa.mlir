// RUN: rm -rf %t && mkdir -p %t
// RUN: qcc %s --quant auto --explain -o %t/out | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t/out/report.json

// --explain lists every layer report.json lists, also those qc-lower-macs
// never takes (depthwise convolutions, products of two activations), and
// names a layer without an ONNX node name by its op and source position.

// CHECK: /dw: float reference path: 'tosa.depthwise_conv2d' has no MAC kernel (only tosa.conv2d and tosa.fully_connected do)
// CHECK-NEXT: tosa.conv2d at explain-tosa.mlir:[[#@LINE+20]]:{{[0-9]+}}: add/subtract (binary weights)
// CHECK-NEXT: /gram: float reference path: 'tosa.matmul' has no MAC kernel (only tosa.conv2d and tosa.fully_connected do)

// REPORT: "kernel_reason": "'tosa.depthwise_conv2d' has no MAC kernel (only tosa.conv2d and tosa.fully_connected do)",
// REPORT: "name": "/dw",
// REPORT-NEXT: "op": "depthwise_conv2d",
// REPORT: "kernel": "add/subtract (binary weights)",
// REPORT-NEXT: "kernel_weight_bytes":
// REPORT: "name": "",
// REPORT-NEXT: "op": "conv2d",
// REPORT: "kernel_reason": "'tosa.matmul' has no MAC kernel (only tosa.conv2d and tosa.fully_connected do)",
// REPORT: "name": "/gram",
// REPORT-NEXT: "op": "matmul",

func.func @main(%x: tensor<1x4x4x2xf32>) -> tensor<1x16x16xf32> {
  %dw = "tosa.const"() {value = dense<[[[[0.5], [-1.0]]]]> : tensor<1x1x2x1xf32>} : () -> tensor<1x1x2x1xf32>
  %dwb = "tosa.const"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = tosa.depthwise_conv2d %x, %dw, %dwb {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32> loc("/dw")
  %w = "tosa.const"() {value = dense<[[[[1.0, -1.0]]], [[[-2.0, 2.0]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {value = dense<[0.1, -0.1]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = tosa.conv2d %d, %w, %b {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %r = tosa.reshape %c {new_shape = array<i64: 1, 16, 2>} : (tensor<1x4x4x2xf32>) -> tensor<1x16x2xf32>
  %perm = "tosa.const"() {value = dense<[0, 2, 1]> : tensor<3xi32>} : () -> tensor<3xi32>
  %t = tosa.transpose %r, %perm : (tensor<1x16x2xf32>, tensor<3xi32>) -> tensor<1x2x16xf32>
  %g = tosa.matmul %r, %t : (tensor<1x16x2xf32>, tensor<1x2x16xf32>) -> tensor<1x16x16xf32> loc("/gram")
  return %g : tensor<1x16x16xf32>
}
