// RUN: qc-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(qc-shrink-pad-fills))' | FileCheck %s

// A padded buffer filled whole and then given its interior by a copy is
// filled on its border only: one slab above and one below the interior in
// each padded dimension (the batch, not padded, needs none that is not
// empty), the copy unchanged.

// CHECK-LABEL: func.func @pad
// CHECK-SAME: %[[X:.*]]: memref<?x4x5x3xf32>, %[[P:.*]]: memref<?x6x8x3xf32>
// CHECK-NOT: linalg.fill ins(%{{.*}} : f32) outs(%[[P]] :
// CHECK: %[[TOP:.*]] = memref.subview %[[P]][0, 0, 0, 0] [%{{.*}}, 1, 8, 3]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[TOP]] :
// CHECK: %[[BOTTOM:.*]] = memref.subview %[[P]][0, 5, 0, 0] [%{{.*}}, 1, 8, 3]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[BOTTOM]] :
// CHECK: %[[LEFT:.*]] = memref.subview %[[P]][0, 1, 0, 0] [%{{.*}}, 4, 2, 3]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[LEFT]] :
// CHECK: %[[RIGHT:.*]] = memref.subview %[[P]][0, 1, 7, 0] [%{{.*}}, 4, 1, 3]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[RIGHT]] :
// CHECK-NOT: linalg.fill
// CHECK: linalg.copy ins(%[[X]]
func.func @pad(%x: memref<?x4x5x3xf32>, %padded: memref<?x6x8x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?x4x5x3xf32>
  linalg.fill ins(%zero : f32) outs(%padded : memref<?x6x8x3xf32>)
  %inner = memref.subview %padded[0, 1, 2, 0] [%n, 4, 5, 3] [1, 1, 1, 1] : memref<?x6x8x3xf32> to memref<?x4x5x3xf32, strided<[144, 24, 3, 1], offset: 30>>
  linalg.copy ins(%x : memref<?x4x5x3xf32>) outs(%inner : memref<?x4x5x3xf32, strided<[144, 24, 3, 1], offset: 30>>)
  return
}

// -----

// Something touching the buffer between the fill and the copy keeps the
// whole fill.

// CHECK-LABEL: func.func @no_shrink_when_used_between
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%arg1 : memref<?x6x8x3xf32>)
func.func @no_shrink_when_used_between(%x: memref<?x4x5x3xf32>, %padded: memref<?x6x8x3xf32>, %y: memref<?x6x8x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?x4x5x3xf32>
  linalg.fill ins(%zero : f32) outs(%padded : memref<?x6x8x3xf32>)
  linalg.copy ins(%padded : memref<?x6x8x3xf32>) outs(%y : memref<?x6x8x3xf32>)
  %inner = memref.subview %padded[0, 1, 2, 0] [%n, 4, 5, 3] [1, 1, 1, 1] : memref<?x6x8x3xf32> to memref<?x4x5x3xf32, strided<[144, 24, 3, 1], offset: 30>>
  linalg.copy ins(%x : memref<?x4x5x3xf32>) outs(%inner : memref<?x4x5x3xf32, strided<[144, 24, 3, 1], offset: 30>>)
  return
}
