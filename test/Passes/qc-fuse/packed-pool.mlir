// RUN: qc-opt %s -split-input-file -qc-fuse | FileCheck %s

// qc.bitpack of a max-pool of binary values becomes a bitwise max-pool of
// the packed words (numbers: test/e2e/packed-max-pool.mlir).

!bin = !qc.binary<f32, alpha = [1.0]>

// CHECK-LABEL: func.func @packed_max_pool_of_signs
// CHECK: %[[D:.*]] = qc.dequantize
// CHECK: %[[P:.*]] = qc.bitpack %[[D]] : tensor<?x4x4x40xf32> -> tensor<?x4x4x2xi32>
// CHECK: %[[W:.*]] = qc.packed_max_pool2d %[[P]] {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : tensor<?x4x4x2xi32> -> tensor<?x2x2x2xi32>
// CHECK-NOT: tosa.max_pool2d
// CHECK: return %[[W]]
func.func @packed_max_pool_of_signs(%q: tensor<?x4x4x40x!bin>) -> tensor<?x2x2x2xi32> {
  %d = qc.dequantize %q : tensor<?x4x4x40x!bin> -> tensor<?x4x4x40xf32>
  %p = tosa.max_pool2d %d {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<?x4x4x40xf32>) -> tensor<?x2x2x40xf32>
  %w = qc.bitpack %p : tensor<?x2x2x40xf32> -> tensor<?x2x2x2xi32>
  return %w : tensor<?x2x2x2xi32>
}

// -----

!ter = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.5]>

// Ternary values with their non-zero mask: max(-1, 0) = 0 is not what the
// AND of the mask bits says, so neither plane fuses.
// CHECK-LABEL: func.func @no_fuse_ternary
// CHECK: %[[P:.*]] = tosa.max_pool2d
// CHECK: qc.bitpack %[[P]] :
// CHECK: qc.bitpack %[[P]] {nonzero}
// CHECK-NOT: qc.packed_max_pool2d
func.func @no_fuse_ternary(%q: tensor<1x4x4x8x!ter>) -> (tensor<1x2x2x1xi32>, tensor<1x2x2x1xi32>) {
  %d = qc.dequantize %q : tensor<1x4x4x8x!ter> -> tensor<1x4x4x8xf32>
  %p = tosa.max_pool2d %d {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x8xf32>) -> tensor<1x2x2x8xf32>
  %s = qc.bitpack %p : tensor<1x2x2x8xf32> -> tensor<1x2x2x1xi32>
  %m = qc.bitpack %p {nonzero} : tensor<1x2x2x8xf32> -> tensor<1x2x2x1xi32>
  return %s, %m : tensor<1x2x2x1xi32>, tensor<1x2x2x1xi32>
}

// -----

!bin = !qc.binary<f32, alpha = [1.0]>

// Float values that are not a binary activation, and the non-zero mask of
// binary values: nothing fuses.
// CHECK-LABEL: func.func @no_fuse_not_signs
// CHECK-COUNT-2: tosa.max_pool2d
// CHECK-NOT: qc.packed_max_pool2d
func.func @no_fuse_not_signs(%x: tensor<1x4x4x8xf32>, %q: tensor<1x4x4x8x!bin>) -> (tensor<1x2x2x1xi32>, tensor<1x2x2x1xi32>) {
  %p = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x8xf32>) -> tensor<1x2x2x8xf32>
  %s = qc.bitpack %p : tensor<1x2x2x8xf32> -> tensor<1x2x2x1xi32>
  %d = qc.dequantize %q : tensor<1x4x4x8x!bin> -> tensor<1x4x4x8xf32>
  %p2 = tosa.max_pool2d %d {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x8xf32>) -> tensor<1x2x2x8xf32>
  %m = qc.bitpack %p2 {nonzero} : tensor<1x2x2x8xf32> -> tensor<1x2x2x1xi32>
  return %s, %m : tensor<1x2x2x1xi32>, tensor<1x2x2x1xi32>
}
