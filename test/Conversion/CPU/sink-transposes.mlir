// RUN: qc-opt %s --split-input-file --qc-sink-transposes | FileCheck %s

// The importer's NHWC -> NCHW -> NHWC round trip around an activation
// cancels: the clamp moves above the first transpose, and the two inverse
// transposes fold away.

// CHECK-LABEL: func.func @round_trip
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x5x3xf32>)
// CHECK-NEXT: %[[C:.*]] = tosa.clamp %[[X]] {{.*}} : (tensor<?x4x5x3xf32>) -> tensor<?x4x5x3xf32>
// CHECK-NEXT: return %[[C]]
func.func @round_trip(%x: tensor<?x4x5x3xf32>) -> tensor<?x4x5x3xf32> {
  %to_nchw = "tosa.const"() <{value = dense<[0, 3, 1, 2]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %to_nhwc = "tosa.const"() <{value = dense<[0, 2, 3, 1]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %0 = tosa.transpose %x, %to_nchw : (tensor<?x4x5x3xf32>, tensor<4xi32>) -> tensor<?x3x4x5xf32>
  %1 = tosa.clamp %0 {max_fp = 3.40282347E+38 : f32, max_int = 2147483647 : i64, min_fp = 0.000000e+00 : f32, min_int = 0 : i64} : (tensor<?x3x4x5xf32>) -> tensor<?x3x4x5xf32>
  %2 = tosa.transpose %1, %to_nhwc : (tensor<?x3x4x5xf32>, tensor<4xi32>) -> tensor<?x4x5x3xf32>
  return %2 : tensor<?x4x5x3xf32>
}

// -----

// A chain of unary ops moves as a whole; the transpose ends below it.

// CHECK-LABEL: func.func @chain
// CHECK: tosa.sigmoid %arg0 {{.*}} -> tensor<2x3xf32>
// CHECK: tosa.tanh {{.*}} -> tensor<2x3xf32>
// CHECK: tosa.transpose {{.*}} -> tensor<3x2xf32>
func.func @chain(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %p = "tosa.const"() <{value = dense<[1, 0]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %0 = tosa.transpose %x, %p : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<3x2xf32>
  %1 = tosa.sigmoid %0 : (tensor<3x2xf32>) -> tensor<3x2xf32>
  %2 = tosa.tanh %1 : (tensor<3x2xf32>) -> tensor<3x2xf32>
  return %2 : tensor<3x2xf32>
}

// -----

// A transpose with another user stays where it is: moving it would compute
// the activation twice.

// CHECK-LABEL: func.func @shared
// CHECK: %[[T:.*]] = tosa.transpose %arg0
// CHECK: tosa.clamp %[[T]]
func.func @shared(%x: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %p = "tosa.const"() <{value = dense<[1, 0]> : tensor<2xi32>}> : () -> tensor<2xi32>
  %0 = tosa.transpose %x, %p : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<3x2xf32>
  %1 = tosa.clamp %0 {max_fp = 6.0 : f32, max_int = 6 : i64, min_fp = 0.0 : f32, min_int = 0 : i64} : (tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0, %1 : tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// A residual block: two NHWC results transposed to NCHW, added, ReLU'd and
// transposed back for the next convolution. The addition moves above the
// transposes, and no transpose is left.

// CHECK-LABEL: func.func @residual
// CHECK-SAME: (%[[A:.*]]: tensor<?x4x5x3xf32>, %[[B:.*]]: tensor<?x4x5x3xf32>)
// CHECK-NEXT: %[[S:.*]] = tosa.add %[[A]], %[[B]] : (tensor<?x4x5x3xf32>, tensor<?x4x5x3xf32>) -> tensor<?x4x5x3xf32>
// CHECK-NEXT: %[[R:.*]] = tosa.clamp %[[S]]
// CHECK-NEXT: return %[[R]]
func.func @residual(%a: tensor<?x4x5x3xf32>, %b: tensor<?x4x5x3xf32>) -> tensor<?x4x5x3xf32> {
  %to_nchw = "tosa.const"() <{value = dense<[0, 3, 1, 2]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %to_nhwc = "tosa.const"() <{value = dense<[0, 2, 3, 1]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %0 = tosa.transpose %a, %to_nchw : (tensor<?x4x5x3xf32>, tensor<4xi32>) -> tensor<?x3x4x5xf32>
  %1 = tosa.transpose %b, %to_nchw : (tensor<?x4x5x3xf32>, tensor<4xi32>) -> tensor<?x3x4x5xf32>
  %2 = tosa.add %0, %1 : (tensor<?x3x4x5xf32>, tensor<?x3x4x5xf32>) -> tensor<?x3x4x5xf32>
  %3 = tosa.clamp %2 {max_fp = 3.40282347E+38 : f32, max_int = 2147483647 : i64, min_fp = 0.000000e+00 : f32, min_int = 0 : i64} : (tensor<?x3x4x5xf32>) -> tensor<?x3x4x5xf32>
  %4 = tosa.transpose %3, %to_nhwc : (tensor<?x3x4x5xf32>, tensor<4xi32>) -> tensor<?x4x5x3xf32>
  return %4 : tensor<?x4x5x3xf32>
}

// -----

// Operands transposed differently, one broadcast along a dimension, or a
// transpose with another user: the op stays below its transposes.

// CHECK-LABEL: func.func @kept
// CHECK: %[[T0:.*]] = tosa.transpose %arg0
// CHECK: %[[T1:.*]] = tosa.transpose %arg1
// CHECK: tosa.add %[[T0]], %[[T1]]
// CHECK: %[[T2:.*]] = tosa.transpose %arg2
// CHECK: tosa.mul %[[T0]], %[[T2]]
// CHECK: %[[T3:.*]] = tosa.transpose %arg3
// CHECK: %[[T4:.*]] = tosa.transpose %arg4
// CHECK: %[[M:.*]] = tosa.maximum %[[T3]], %[[T4]]
// CHECK: return {{.*}}%[[T4]]
func.func @kept(%a: tensor<2x3x4xf32>, %b: tensor<3x4x2xf32>, %c: tensor<2x3x1xf32>, %d: tensor<2x3x4xf32>, %e: tensor<2x3x4xf32>) -> (tensor<3x2x4xf32>, tensor<3x2x4xf32>, tensor<3x2x4xf32>, tensor<3x2x4xf32>) {
  %p = "tosa.const"() <{value = dense<[1, 0, 2]> : tensor<3xi32>}> : () -> tensor<3xi32>
  %q = "tosa.const"() <{value = dense<[0, 2, 1]> : tensor<3xi32>}> : () -> tensor<3xi32>
  %0 = tosa.transpose %a, %p : (tensor<2x3x4xf32>, tensor<3xi32>) -> tensor<3x2x4xf32>
  %1 = tosa.transpose %b, %q : (tensor<3x4x2xf32>, tensor<3xi32>) -> tensor<3x2x4xf32>
  %2 = tosa.add %0, %1 : (tensor<3x2x4xf32>, tensor<3x2x4xf32>) -> tensor<3x2x4xf32>
  %3 = tosa.transpose %c, %p : (tensor<2x3x1xf32>, tensor<3xi32>) -> tensor<3x2x1xf32>
  %4 = tosa.mul %0, %3 {shift = 0 : i8} : (tensor<3x2x4xf32>, tensor<3x2x1xf32>) -> tensor<3x2x4xf32>
  %5 = tosa.transpose %d, %p : (tensor<2x3x4xf32>, tensor<3xi32>) -> tensor<3x2x4xf32>
  %6 = tosa.transpose %e, %p : (tensor<2x3x4xf32>, tensor<3xi32>) -> tensor<3x2x4xf32>
  %7 = tosa.maximum %5, %6 : (tensor<3x2x4xf32>, tensor<3x2x4xf32>) -> tensor<3x2x4xf32>
  return %2, %4, %7, %6 : tensor<3x2x4xf32>, tensor<3x2x4xf32>, tensor<3x2x4xf32>, tensor<3x2x4xf32>
}

// -----

// A batch normalization and a per-tensor quantization between the
// transposes (the binary VGG-small's layers): the per-channel constants
// [1, C, 1, 1] are transposed to [1, 1, 1, C] (the canonicalizer folds that
// into a reshape of the constant), the quantize / dequantize pair moves as
// a unary op, and the transposes cancel.

!t = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>
!b = !qc.binary<f32, alpha = [0.5, 2.0, 1.0], axis = 1>
// CHECK-LABEL: func.func @batch_norm_sign
// CHECK-NOT: tosa.transpose
// CHECK: tosa.mul %arg0, %{{.*}} : (tensor<?x4x5x3xf32>, tensor<1x1x1x3xf32>) -> tensor<?x4x5x3xf32>
// CHECK: tosa.add %{{.*}}, %{{.*}} : (tensor<?x4x5x3xf32>, tensor<1x1x1x3xf32>) -> tensor<?x4x5x3xf32>
// CHECK: qc.quantize %{{.*}} : tensor<?x4x5x3xf32> -> tensor<?x4x5x3x!qc.ternary
// CHECK: qc.dequantize
// CHECK-NOT: tosa.transpose
// CHECK: return
func.func @batch_norm_sign(%x: tensor<?x4x5x3xf32>) -> tensor<?x4x5x3xf32> {
  %to_nchw = "tosa.const"() <{value = dense<[0, 3, 1, 2]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %to_nhwc = "tosa.const"() <{value = dense<[0, 2, 3, 1]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %scale = "tosa.const"() <{value = dense<[[[[1.0]], [[2.0]], [[3.0]]]]> : tensor<1x3x1x1xf32>}> : () -> tensor<1x3x1x1xf32>
  %shift = "tosa.const"() <{value = dense<[[[[0.5]], [[-0.5]], [[0.0]]]]> : tensor<1x3x1x1xf32>}> : () -> tensor<1x3x1x1xf32>
  %0 = tosa.transpose %x, %to_nchw : (tensor<?x4x5x3xf32>, tensor<4xi32>) -> tensor<?x3x4x5xf32>
  %1 = tosa.mul %0, %scale {shift = 0 : i8} : (tensor<?x3x4x5xf32>, tensor<1x3x1x1xf32>) -> tensor<?x3x4x5xf32>
  %2 = tosa.add %1, %shift : (tensor<?x3x4x5xf32>, tensor<1x3x1x1xf32>) -> tensor<?x3x4x5xf32>
  %3 = qc.quantize %2 : tensor<?x3x4x5xf32> -> tensor<?x3x4x5x!t>
  %4 = qc.dequantize %3 : tensor<?x3x4x5x!t> -> tensor<?x3x4x5xf32>
  %5 = tosa.transpose %4, %to_nhwc : (tensor<?x3x4x5xf32>, tensor<4xi32>) -> tensor<?x4x5x3xf32>
  return %5 : tensor<?x4x5x3xf32>
}

// A quantization with one set of parameters per channel stays where it is:
// its axis would move.

// CHECK-LABEL: func.func @per_axis
// CHECK: %[[T:.*]] = tosa.transpose %arg0
// CHECK: qc.quantize %[[T]]
func.func @per_axis(%x: tensor<?x4x5x3xf32>) -> tensor<?x3x4x5x!b> {
  %to_nchw = "tosa.const"() <{value = dense<[0, 3, 1, 2]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %0 = tosa.transpose %x, %to_nchw : (tensor<?x4x5x3xf32>, tensor<4xi32>) -> tensor<?x3x4x5xf32>
  %1 = qc.quantize %0 : tensor<?x3x4x5xf32> -> tensor<?x3x4x5x!b>
  return %1 : tensor<?x3x4x5x!b>
}

// -----

// A binarized residual block: the NCHW sum of one block feeds both the next
// block's sign (a per-tensor quantize-dequantize, transposed back to NHWC
// for its convolution) and the next residual addition. The transpose moves
// below both users, and no transpose to NCHW is left.

// CHECK-LABEL: func.func @shared_by_sign_and_residual
// CHECK-SAME: (%[[A:.*]]: tensor<1x4x5x3xf32>, %[[B:.*]]: tensor<1x4x5x3xf32>)
// CHECK-NOT: tosa.transpose
// CHECK: %[[Q:.*]] = qc.quantize %[[A]] : tensor<1x4x5x3xf32>
// CHECK-NOT: tosa.transpose
// CHECK: tosa.add %[[B]], %[[A]] : (tensor<1x4x5x3xf32>, tensor<1x4x5x3xf32>)
// CHECK-NOT: tosa.transpose
// CHECK: return
func.func @shared_by_sign_and_residual(%a: tensor<1x4x5x3xf32>, %b: tensor<1x4x5x3xf32>) -> (tensor<1x4x5x3xf32>, tensor<1x4x5x3xf32>) {
  %to_nchw = "tosa.const"() <{value = dense<[0, 3, 1, 2]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %to_nhwc = "tosa.const"() <{value = dense<[0, 2, 3, 1]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %x = tosa.transpose %a, %to_nchw : (tensor<1x4x5x3xf32>, tensor<4xi32>) -> tensor<1x3x4x5xf32>
  %q = qc.quantize %x : tensor<1x3x4x5xf32> -> tensor<1x3x4x5x!qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>>
  %d = qc.dequantize %q : tensor<1x3x4x5x!qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>> -> tensor<1x3x4x5xf32>
  %signs = tosa.transpose %d, %to_nhwc : (tensor<1x3x4x5xf32>, tensor<4xi32>) -> tensor<1x4x5x3xf32>
  %y = tosa.transpose %b, %to_nchw : (tensor<1x4x5x3xf32>, tensor<4xi32>) -> tensor<1x3x4x5xf32>
  %sum = tosa.add %y, %x : (tensor<1x3x4x5xf32>, tensor<1x3x4x5xf32>) -> tensor<1x3x4x5xf32>
  %back = tosa.transpose %sum, %to_nhwc : (tensor<1x3x4x5xf32>, tensor<4xi32>) -> tensor<1x4x5x3xf32>
  return %signs, %back : tensor<1x4x5x3xf32>, tensor<1x4x5x3xf32>
}

// -----

// The same, but the NCHW sum is also a result of the function: that user
// keeps the transpose, so nothing moves (the sign would need a second one).

// CHECK-LABEL: func.func @shared_with_a_result
// CHECK: %[[X:.*]] = tosa.transpose %arg0
// CHECK: qc.quantize %[[X]]
// CHECK: tosa.add {{.*}}, %[[X]]
func.func @shared_with_a_result(%a: tensor<1x4x5x3xf32>, %b: tensor<1x4x5x3xf32>) -> (tensor<1x3x4x5xf32>, tensor<1x4x5x3xf32>, tensor<1x4x5x3xf32>) {
  %to_nchw = "tosa.const"() <{value = dense<[0, 3, 1, 2]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %to_nhwc = "tosa.const"() <{value = dense<[0, 2, 3, 1]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %x = tosa.transpose %a, %to_nchw : (tensor<1x4x5x3xf32>, tensor<4xi32>) -> tensor<1x3x4x5xf32>
  %q = qc.quantize %x : tensor<1x3x4x5xf32> -> tensor<1x3x4x5x!qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>>
  %d = qc.dequantize %q : tensor<1x3x4x5x!qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>> -> tensor<1x3x4x5xf32>
  %signs = tosa.transpose %d, %to_nhwc : (tensor<1x3x4x5xf32>, tensor<4xi32>) -> tensor<1x4x5x3xf32>
  %y = tosa.transpose %b, %to_nchw : (tensor<1x4x5x3xf32>, tensor<4xi32>) -> tensor<1x3x4x5xf32>
  %sum = tosa.add %y, %x : (tensor<1x3x4x5xf32>, tensor<1x3x4x5xf32>) -> tensor<1x3x4x5xf32>
  %back = tosa.transpose %sum, %to_nhwc : (tensor<1x3x4x5xf32>, tensor<4xi32>) -> tensor<1x4x5x3xf32>
  return %x, %signs, %back : tensor<1x3x4x5xf32>, tensor<1x4x5x3xf32>, tensor<1x4x5x3xf32>
}
