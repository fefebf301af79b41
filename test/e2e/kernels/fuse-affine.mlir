// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py generate %t
// RUN: qc-opt %s -qc-fuse=fold-bn-into-weights=true -o %t/fused.mlir
// RUN: FileCheck %s < %t/fused.mlir
// RUN: qc-run %s --input %t/a.npy --input %t/x.npy --output %t/reference0.npy --output %t/reference1.npy --output %t/reference2.npy
// RUN: qc-run %t/fused.mlir --input %t/a.npy --input %t/x.npy --output %t/fused0.npy --output %t/fused1.npy --output %t/fused2.npy
// RUN: %python %s.py check %t

// The affine fusions of qc-fuse, run unfused and fused and both compared
// with numpy in float64 (fuse-affine.mlir.py: +-1 dot products from the
// unpacked bits, a direct convolution loop):
//   0. a BN after an XNOR layer's output transform: (acc s + t) g + beta
//      becomes acc (s g) + (t g + beta);
//   1. ReLU of acc * 1 + 0, then a BN: an integer clamp of acc, then the
//      BN as the output transform;
//   2. a float convolution, NHWC -> NCHW, then BN: folded into the
//      convolution's weights and bias (fold-bn-into-weights).

// CHECK-LABEL: func.func @main
// CHECK: %[[ACC:.*]] = qc.xnor_popcount
// CHECK-NEXT: %[[F:.*]] = tosa.cast %[[ACC]]
// CHECK-NEXT: %[[M:.*]] = tosa.mul %[[F]]
// CHECK-NEXT: tosa.add %[[M]]
// CHECK-NEXT: %[[ACC2:.*]] = qc.xnor_popcount
// CHECK-NEXT: %[[C:.*]] = tosa.clamp %[[ACC2]] {{.*}} : (tensor<5x3xi32>) -> tensor<5x3xi32>
// CHECK-NEXT: %[[F2:.*]] = tosa.cast %[[C]]
// CHECK-NEXT: %[[M2:.*]] = tosa.mul %[[F2]]
// CHECK-NEXT: tosa.add %[[M2]]
// CHECK-NEXT: %[[CONV:.*]] = tosa.conv2d
// CHECK-NEXT: %[[T:.*]] = tosa.transpose %[[CONV]]
// CHECK-NOT: tosa.mul
// CHECK-NOT: tosa.clamp
// CHECK: return {{.*}}, %[[T]]

func.func @main(%a: tensor<5x2xi32>, %x: tensor<2x4x4x3xf32>) -> (tensor<5x3xf32>, tensor<5x3xf32>, tensor<2x2x4x4xf32>) {
  %w = arith.constant dense<[[252645135, 171], [305419896, 90], [-1, 255]]> : tensor<3x2xi32>
  %s = "tosa.const"() {value = dense<[[0.5, -0.25, 1.0]]> : tensor<1x3xf32>} : () -> tensor<1x3xf32>
  %t = "tosa.const"() {value = dense<[[1.0, 2.0, -3.0]]> : tensor<1x3xf32>} : () -> tensor<1x3xf32>
  %g = "tosa.const"() {value = dense<[[2.0, 0.5, -1.5]]> : tensor<1x3xf32>} : () -> tensor<1x3xf32>
  %beta = "tosa.const"() {value = dense<[[0.25, -1.0, 4.0]]> : tensor<1x3xf32>} : () -> tensor<1x3xf32>

  %acc = qc.xnor_popcount %a, %w {depth = 40 : i64} : tensor<5x2xi32>, tensor<3x2xi32> -> tensor<5x3xi32>
  %f = tosa.cast %acc : (tensor<5x3xi32>) -> tensor<5x3xf32>
  %m = tosa.mul %f, %s {shift = 0 : i8} : (tensor<5x3xf32>, tensor<1x3xf32>) -> tensor<5x3xf32>
  %b = tosa.add %m, %t : (tensor<5x3xf32>, tensor<1x3xf32>) -> tensor<5x3xf32>
  %bg = tosa.mul %b, %g {shift = 0 : i8} : (tensor<5x3xf32>, tensor<1x3xf32>) -> tensor<5x3xf32>
  %r0 = tosa.add %bg, %beta : (tensor<5x3xf32>, tensor<1x3xf32>) -> tensor<5x3xf32>

  %acc2 = qc.xnor_popcount %a, %w {depth = 40 : i64} : tensor<5x2xi32>, tensor<3x2xi32> -> tensor<5x3xi32>
  %f2 = tosa.cast %acc2 : (tensor<5x3xi32>) -> tensor<5x3xf32>
  %relu = tosa.clamp %f2 {min_int = 0 : i64, max_int = 9223372036854775807 : i64, min_fp = 0.0 : f32, max_fp = 3.40282347E+38 : f32} : (tensor<5x3xf32>) -> tensor<5x3xf32>
  %rg = tosa.mul %relu, %g {shift = 0 : i8} : (tensor<5x3xf32>, tensor<1x3xf32>) -> tensor<5x3xf32>
  %r1 = tosa.add %rg, %beta : (tensor<5x3xf32>, tensor<1x3xf32>) -> tensor<5x3xf32>

  %cw = "tosa.const"() {value = dense<[[[[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]], [[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]], [[0.25, 0.5, 0.75], [-0.75, -0.5, -0.25], [0.0, 0.25, 0.5]]], [[[0.75, -0.75, -0.5], [-0.25, 0.0, 0.25], [0.5, 0.75, -0.75]], [[-0.5, -0.25, 0.0], [0.25, 0.5, 0.75], [-0.75, -0.5, -0.25]], [[0.0, 0.25, 0.5], [0.75, -0.75, -0.5], [-0.25, 0.0, 0.25]]]]> : tensor<2x3x3x3xf32>} : () -> tensor<2x3x3x3xf32>
  %cb = "tosa.const"() {value = dense<[0.1, -0.2]> : tensor<2xf32>} : () -> tensor<2xf32>
  %conv = tosa.conv2d %x, %cw, %cb {dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<2x4x4x3xf32>, tensor<2x3x3x3xf32>, tensor<2xf32>) -> tensor<2x4x4x2xf32>
  %perm = "tosa.const"() {value = dense<[0, 3, 1, 2]> : tensor<4xi32>} : () -> tensor<4xi32>
  %nchw = tosa.transpose %conv, %perm : (tensor<2x4x4x2xf32>, tensor<4xi32>) -> tensor<2x2x4x4xf32>
  %bn_a = "tosa.const"() {value = dense<[[[[1.5]], [[-0.5]]]]> : tensor<1x2x1x1xf32>} : () -> tensor<1x2x1x1xf32>
  %bn_b = "tosa.const"() {value = dense<[[[[0.3]], [[0.7]]]]> : tensor<1x2x1x1xf32>} : () -> tensor<1x2x1x1xf32>
  %bn = tosa.mul %nchw, %bn_a {shift = 0 : i8} : (tensor<2x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<2x2x4x4xf32>
  %r2 = tosa.add %bn, %bn_b : (tensor<2x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<2x2x4x4xf32>
  return %r0, %r1, %r2 : tensor<5x3xf32>, tensor<5x3xf32>, tensor<2x2x4x4xf32>
}
