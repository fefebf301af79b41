// RUN: qc-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(qc-elide-copies))' | FileCheck %s

// A convolution's output copied into the interior of a padded buffer: the
// padded buffer, its border fill and the interior view move before the
// call, which writes the interior through a cast; the copy and the
// unpadded buffer are gone.

func.func private @qc_rt_conv2d_f32(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>) -> i32
func.func private @qc_rt_bitpack_f32(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>) -> i32


// CHECK-LABEL: func.func @conv_into_padding
// CHECK-SAME: (%[[IN:.*]]: memref<1x4x4x8xf32>)
// CHECK-NOT: memref.alloc() {alignment = 64 : i64} : memref<1x4x4x8xf32>
// CHECK: %[[PADDED:.*]] = memref.alloc() {{.*}} : memref<1x6x6x8xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[PADDED]] :
// CHECK: %[[INTERIOR:.*]] = memref.subview %[[PADDED]][0, 1, 1, 0] [1, 4, 4, 8]
// CHECK: %[[VIEW:.*]] = memref.cast %[[INTERIOR]] : memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>> to memref<?x?x?x?xf32
// CHECK: call @qc_rt_conv2d_f32(%{{.*}}, %[[VIEW]])
// CHECK-NOT: linalg.copy
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<1x4x4x8xf32>
// CHECK: call @qc_rt_conv2d_f32(%{{.*}}, %{{.*}})
// CHECK-NEXT: memref.dealloc %[[PADDED]]
// CHECK-NEXT: memref.dealloc %{{.*}} : memref<1x4x4x8xf32>
// CHECK-NEXT: return
func.func @conv_into_padding(%in: memref<1x4x4x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %a = memref.alloc() {alignment = 64 : i64} : memref<1x4x4x8xf32>
  %in_cast = memref.cast %in : memref<1x4x4x8xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
  %a_cast = memref.cast %a : memref<1x4x4x8xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
  %0 = call @qc_rt_conv2d_f32(%in_cast, %a_cast) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>) -> i32
  %p = memref.alloc() {alignment = 64 : i64} : memref<1x6x6x8xf32>
  linalg.fill ins(%zero : f32) outs(%p : memref<1x6x6x8xf32>)
  %interior = memref.subview %p[0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1] : memref<1x6x6x8xf32> to memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>
  linalg.copy ins(%a : memref<1x4x4x8xf32>) outs(%interior : memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>)
  %p_cast = memref.cast %p : memref<1x6x6x8xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
  %b = memref.alloc() {alignment = 64 : i64} : memref<1x4x4x8xf32>
  %b_cast = memref.cast %b : memref<1x4x4x8xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
  %1 = call @qc_rt_conv2d_f32(%p_cast, %b_cast) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>) -> i32
  memref.dealloc %a : memref<1x4x4x8xf32>
  memref.dealloc %p : memref<1x6x6x8xf32>
  memref.dealloc %b : memref<1x4x4x8xf32>
  return
}

// -----

// Linalg writers (an initializing fill and a generic that reads and writes
// the buffer) and a dim take the view; the size the padded buffer needs is
// computed after the first writer and moves with it.

// CHECK-LABEL: func.func @linalg_writers
// CHECK: memref.dim %arg0
// CHECK-NEXT: %[[N:.*]] = memref.dim %arg0
// CHECK: %[[PADDED:.*]] = memref.alloc(%[[N]])
// CHECK: %[[INTERIOR:.*]] = memref.subview %[[PADDED]]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[INTERIOR]] :
// CHECK: linalg.generic {{.*}} ins(%arg0 : memref<?x4xf32>) outs(%[[INTERIOR]] :
// CHECK: memref.dim %[[INTERIOR]]
// CHECK-NOT: linalg.copy
#map = affine_map<(d0, d1) -> (d0, d1)>
func.func @linalg_writers(%x: memref<?x4xf32>) -> index {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n0 = memref.dim %x, %c0 : memref<?x4xf32>
  %a = memref.alloc(%n0) : memref<?x4xf32>
  linalg.fill ins(%zero : f32) outs(%a : memref<?x4xf32>)
  %n = memref.dim %x, %c0 : memref<?x4xf32>
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%x : memref<?x4xf32>) outs(%a : memref<?x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  }
  %d = memref.dim %a, %c0 : memref<?x4xf32>
  %p = memref.alloc(%n) : memref<?x6xf32>
  %interior = memref.subview %p[0, 1] [%n, 4] [1, 1] : memref<?x6xf32> to memref<?x4xf32, strided<[6, 1], offset: 1>>
  linalg.copy ins(%a : memref<?x4xf32>) outs(%interior : memref<?x4xf32, strided<[6, 1], offset: 1>>)
  return %d : index
}

// -----

// The copy stays when the source is read after it, when the destination
// is not a fresh buffer, when something between the first writer and the
// copy touches the destination buffer, when a call that needs contiguous
// buffers writes the source, and when the destination's innermost stride
// is not 1.

func.func private @qc_rt_conv2d_f32(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>) -> i32
func.func private @qc_rt_bitpack_f32(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>) -> i32

// CHECK-LABEL: func.func @kept
// CHECK-COUNT-6: linalg.copy
func.func @kept(%in: memref<1x4x4x8xf32>, %out: memref<1x4x4x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %in_cast = memref.cast %in : memref<1x4x4x8xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>

  // Read after the copy.
  %a = memref.alloc() : memref<1x4x4x8xf32>
  linalg.fill ins(%zero : f32) outs(%a : memref<1x4x4x8xf32>)
  %p = memref.alloc() : memref<1x6x6x8xf32>
  %interior = memref.subview %p[0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1] : memref<1x6x6x8xf32> to memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>
  linalg.copy ins(%a : memref<1x4x4x8xf32>) outs(%interior : memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>)
  linalg.copy ins(%a : memref<1x4x4x8xf32>) outs(%out : memref<1x4x4x8xf32>)

  // Into a function argument.
  %b = memref.alloc() : memref<1x4x4x8xf32>
  linalg.fill ins(%zero : f32) outs(%b : memref<1x4x4x8xf32>)
  %out_view = memref.subview %out[0, 0, 0, 0] [1, 4, 4, 8] [1, 1, 1, 1] : memref<1x4x4x8xf32> to memref<1x4x4x8xf32, strided<[128, 32, 8, 1]>>
  linalg.copy ins(%b : memref<1x4x4x8xf32>) outs(%out_view : memref<1x4x4x8xf32, strided<[128, 32, 8, 1]>>)

  // The destination buffer is read between the first writer and the copy.
  %c = memref.alloc() : memref<1x4x4x8xf32>
  %q = memref.alloc() : memref<1x6x6x8xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<1x4x4x8xf32>)
  %q_cast = memref.cast %q : memref<1x6x6x8xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
  %0 = call @qc_rt_conv2d_f32(%q_cast, %in_cast) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>) -> i32
  %q_interior = memref.subview %q[0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1] : memref<1x6x6x8xf32> to memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>
  linalg.copy ins(%c : memref<1x4x4x8xf32>) outs(%q_interior : memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>)

  // Written by a call that is not known to take strided views.
  %d = memref.alloc() : memref<1x4x4x8xf32>
  %d_cast = memref.cast %d : memref<1x4x4x8xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
  %1 = call @qc_rt_bitpack_f32(%in_cast, %d_cast) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>) -> i32
  %r = memref.alloc() : memref<1x6x6x8xf32>
  %r_interior = memref.subview %r[0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1] : memref<1x6x6x8xf32> to memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>
  linalg.copy ins(%d : memref<1x4x4x8xf32>) outs(%r_interior : memref<1x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>)

  // Every other channel: innermost stride 2.
  %e = memref.alloc() : memref<1x4x4x8xf32>
  linalg.fill ins(%zero : f32) outs(%e : memref<1x4x4x8xf32>)
  %s = memref.alloc() : memref<1x4x4x16xf32>
  %s_view = memref.subview %s[0, 0, 0, 0] [1, 4, 4, 8] [1, 1, 1, 2] : memref<1x4x4x16xf32> to memref<1x4x4x8xf32, strided<[256, 64, 16, 2]>>
  linalg.copy ins(%e : memref<1x4x4x8xf32>) outs(%s_view : memref<1x4x4x8xf32, strided<[256, 64, 16, 2]>>)
  return
}
