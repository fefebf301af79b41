// RUN: qc-opt %s -split-input-file -qc-fuse | FileCheck %s

// Cancellation of quantization in qc-fuse: quantize(dequantize(q)) of q's
// own type is q, and dequantize(quantize(y)) is y when y lies on a sign
// grid that the quantize maps to itself (the sign of a sign).

!sign = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>

// Sign after sign, both ONNX Sign: the second quantize is the first one's
// result, so one qc.quantize remains and both dequantizes read it.
// CHECK-LABEL: func.func @sign_of_sign
// CHECK-SAME: %[[X:.*]]: tensor<4xf32>
// CHECK: %[[Q:.*]] = qc.quantize %[[X]]
// CHECK-NOT: qc.quantize
// CHECK: %[[D:.*]] = qc.dequantize %[[Q]]
// CHECK: return %[[D]], %[[Q]]
func.func @sign_of_sign(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4x!sign>) {
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!sign>
  %d = qc.dequantize %q : tensor<4x!sign> -> tensor<4xf32>
  %q2 = qc.quantize %d : tensor<4xf32> -> tensor<4x!sign>
  %d2 = qc.dequantize %q2 : tensor<4x!sign> -> tensor<4xf32>
  return %d2, %q2 : tensor<4xf32>, tensor<4x!sign>
}

// -----

!sign = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>
!bin = !qc.binary<f32, alpha = [1.0]>

// Binary +-1 values, max-pooled (still +-1), then ONNX Sign: sign(+-1) is
// +-1, so the sign's dequantize is the pooled values themselves.
// CHECK-LABEL: func.func @sign_of_binary_through_pool
// CHECK: %[[D:.*]] = qc.dequantize %{{.*}} : tensor<1x4x4x2x!qc.binary
// CHECK: %[[P:.*]] = tosa.max_pool2d %[[D]]
// CHECK-NOT: qc.quantize
// CHECK: return %[[P]]
func.func @sign_of_binary_through_pool(%q: tensor<1x4x4x2x!bin>) -> tensor<1x2x2x2xf32> {
  %d = qc.dequantize %q : tensor<1x4x4x2x!bin> -> tensor<1x4x4x2xf32>
  %p = tosa.max_pool2d %d {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
  %s = qc.quantize %p : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!sign>
  %r = qc.dequantize %s : tensor<1x2x2x2x!sign> -> tensor<1x2x2x2xf32>
  return %r : tensor<1x2x2x2xf32>
}

// -----

!bin = !qc.binary<f32, alpha = [0.5]>
!bin1 = !qc.binary<f32, alpha = [1.0]>
!sign = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>

// Different alpha: +-0.5 quantizes to +-1.0 as binary and as ONNX Sign, so
// neither quantize may go.
// CHECK-LABEL: func.func @no_cancel_different_alpha
// CHECK-COUNT-2: qc.quantize
// CHECK: return
func.func @no_cancel_different_alpha(%q: tensor<4x!bin>) -> (tensor<4xf32>, tensor<4xf32>) {
  %d = qc.dequantize %q : tensor<4x!bin> -> tensor<4xf32>
  %a = qc.quantize %d : tensor<4xf32> -> tensor<4x!bin1>
  %b = qc.quantize %d : tensor<4xf32> -> tensor<4x!sign>
  %da = qc.dequantize %a : tensor<4x!bin1> -> tensor<4xf32>
  %db = qc.dequantize %b : tensor<4x!sign> -> tensor<4xf32>
  return %da, %db : tensor<4xf32>, tensor<4xf32>
}

// -----

!bin = !qc.binary<f32, alpha = [1.0]>
!sign = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>

// Different types: ONNX Sign values include 0, which binary quantizes to
// +1, so sign -> binary keeps its quantize; and quantize(dequantize(q)) to
// another type is not q.
// CHECK-LABEL: func.func @no_cancel_different_types
// CHECK: %[[D:.*]] = qc.dequantize
// CHECK: %[[B:.*]] = qc.quantize %[[D]] : tensor<4xf32> -> tensor<4x!qc.binary
// CHECK: %[[R:.*]] = qc.dequantize %[[B]]
// CHECK: return %[[R]], %[[B]]
func.func @no_cancel_different_types(%q: tensor<4x!sign>) -> (tensor<4xf32>, tensor<4x!bin>) {
  %d = qc.dequantize %q : tensor<4x!sign> -> tensor<4xf32>
  %b = qc.quantize %d : tensor<4xf32> -> tensor<4x!bin>
  %r = qc.dequantize %b : tensor<4x!bin> -> tensor<4xf32>
  return %r, %b : tensor<4xf32>, tensor<4x!bin>
}

// -----

!sign = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>

// Float values are not on a grid: the sign stays.
// CHECK-LABEL: func.func @no_cancel_sign_of_float
// CHECK: qc.quantize
// CHECK: qc.dequantize
func.func @no_cancel_sign_of_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qc.quantize %x : tensor<4xf32> -> tensor<4x!sign>
  %d = qc.dequantize %q : tensor<4x!sign> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

!bin = !qc.binary<f32, alpha = [1.0]>
!sign = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>

// A pad as large as the kernel makes windows of padding alone, whose max
// is -inf, not a binary value: sign(-inf) = -1 differs, the sign stays.
// CHECK-LABEL: func.func @no_cancel_sign_of_padding
// CHECK: tosa.max_pool2d
// CHECK: qc.quantize
func.func @no_cancel_sign_of_padding(%q: tensor<1x4x4x2x!bin>) -> tensor<1x4x4x2xf32> {
  %d = qc.dequantize %q : tensor<1x4x4x2x!bin> -> tensor<1x4x4x2xf32>
  %p = tosa.max_pool2d %d {kernel = array<i64: 2, 2>, pad = array<i64: 2, 2, 2, 2>, stride = array<i64: 2, 2>} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %s = qc.quantize %p : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!sign>
  %r = qc.dequantize %s : tensor<1x4x4x2x!sign> -> tensor<1x4x4x2xf32>
  return %r : tensor<1x4x4x2xf32>
}
