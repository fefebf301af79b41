// RUN: qc-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(qc-vectorize-elementwise))' | FileCheck %s

// A requantization after an integer layer (per-channel scale and bias
// broadcast along the rows, a dynamic batch) becomes loops over the rows
// around vector loads, arithmetic and stores of one 32-channel row.

// CHECK-LABEL: func.func @requantize
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: vector.load %{{.*}} : memref<32xi32, {{.*}}>, vector<32xi32>
// CHECK: arith.sitofp %{{.*}} : vector<32xi32> to vector<32xf32>
// CHECK: math.roundeven %{{.*}} : vector<32xf32>
// CHECK: arith.fptosi %{{.*}} : vector<32xf32> to vector<32xi32>
// CHECK: vector.store %{{.*}} : memref<32xi32, {{.*}}>, vector<32xi32>
// CHECK-NOT: linalg.generic
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bcast = affine_map<(d0, d1, d2, d3) -> (0, 0, 0, d3)>
func.func @requantize(%acc: memref<?x28x28x32xi32>, %scale: memref<1x1x1x32xf32>, %out: memref<?x28x28x32xi32>) {
  %step = arith.constant 0.5 : f32
  linalg.generic {indexing_maps = [#map, #bcast, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%acc, %scale : memref<?x28x28x32xi32>, memref<1x1x1x32xf32>) outs(%out : memref<?x28x28x32xi32>) {
  ^bb0(%a: i32, %s: f32, %o: i32):
    %f = arith.sitofp %a : i32 to f32
    %m = arith.mulf %f, %s : f32
    %d = arith.divf %m, %step : f32
    %r = math.roundeven %d : f32
    %i = arith.fptosi %r : f32 to i32
    linalg.yield %i : i32
  }
  return
}

// -----

// Fills and copies (the padding of a convolution's input) are vectorized
// too; a row of 224 floats goes in vectors of 32.

// CHECK-LABEL: func.func @pad_fill_copy
// CHECK: vector.store %{{.*}} : memref<32xf32, {{.*}}>, vector<32xf32>
// CHECK: vector.load %{{.*}} : memref<32xf32, {{.*}}>, vector<32xf32>
// CHECK: vector.store
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C224:.*]] step %[[C32:.*]] {
// CHECK: vector.load %{{.*}}, vector<32xf32>
// CHECK-NOT: linalg.
func.func @pad_fill_copy(%x: memref<?x28x28x32xf32>, %padded: memref<?x30x30x32xf32>, %wide: memref<?x224xf32>, %wide2: memref<?x224xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?x28x28x32xf32>
  linalg.fill ins(%zero : f32) outs(%padded : memref<?x30x30x32xf32>)
  %inner = memref.subview %padded[0, 1, 1, 0] [%n, 28, 28, 32] [1, 1, 1, 1] : memref<?x30x30x32xf32> to memref<?x28x28x32xf32, strided<[28800, 960, 32, 1], offset: 992>>
  linalg.copy ins(%x : memref<?x28x28x32xf32>) outs(%inner : memref<?x28x28x32xf32, strided<[28800, 960, 32, 1], offset: 992>>)
  linalg.copy ins(%wide : memref<?x224xf32>) outs(%wide2 : memref<?x224xf32>)
  return
}

// -----

// What stays for convert-linalg-to-loops: a transposing read, and a
// single-channel innermost dimension.

// CHECK-LABEL: func.func @no_vectorize_transpose_or_unit_rows
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK-NOT: vector.
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#transposed = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
func.func @no_vectorize_transpose_or_unit_rows(%x: memref<?x32x28x28xf32>, %y: memref<?x28x28x32xf32>, %u: memref<?x28x28x1xf32>) {
  linalg.generic {indexing_maps = [#transposed, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : memref<?x32x28x28xf32>) outs(%y : memref<?x28x28x32xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%u : memref<?x28x28x1xf32>) {
  ^bb0(%o: f32):
    %e = math.exp %o : f32
    linalg.yield %e : f32
  }
  return
}

// -----

// An average pool's divisor computed from the window position (linalg.index)
// in place: vectorized, and the pass ends (its patterns once rewrote this
// body back and forth forever).

// CHECK-LABEL: func.func @average_pool_divisor
// CHECK: vector.load
// CHECK: arith.divf %{{.*}} : vector<3xf32>
// CHECK: vector.store
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @average_pool_divisor(%sum: memref<1x30x30x3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c27 = arith.constant 27 : index
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sum : memref<1x30x30x3xf32>) outs(%sum : memref<1x30x30x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %y = linalg.index 1 : index
    %a = arith.subi %y, %c2 : index
    %b = arith.minsi %a, %c0 : index
    %c = arith.addi %b, %c3 : index
    %d = arith.subi %c27, %y : index
    %e = arith.minsi %d, %c0 : index
    %f = arith.addi %c, %e : index
    %g = arith.maxsi %f, %c1 : index
    %h = arith.index_cast %g : index to i32
    %k = arith.sitofp %h : i32 to f32
    %q = arith.divf %in, %k : f32
    linalg.yield %q : f32
  }
  return
}

// -----

// A copy of rows of at least 1024 elements, contiguous on both sides (a
// layer's output into its place in a wider buffer), becomes a loop over
// the rows around a memref.copy of one row, which LLVM lowers to memcpy;
// a shorter row is vectorized as before.

// CHECK-LABEL: func.func @long_rows
// CHECK: scf.for
// CHECK: %[[SRC:.*]] = memref.subview %{{.*}} [1, 2048] [1, 1]
// CHECK: %[[DST:.*]] = memref.subview %{{.*}} [1, 2048] [1, 1]
// CHECK: memref.copy %[[SRC]], %[[DST]]
// CHECK-NOT: linalg.copy
// CHECK: vector.store
// CHECK: return
func.func @long_rows(%x: memref<?x2048xf32>, %wide: memref<?x4096xf32>, %y: memref<?x8xf32>, %z: memref<?x8xf32>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?x2048xf32>
  %place = memref.subview %wide[0, 1024] [%n, 2048] [1, 1] : memref<?x4096xf32> to memref<?x2048xf32, strided<[4096, 1], offset: 1024>>
  linalg.copy ins(%x : memref<?x2048xf32>) outs(%place : memref<?x2048xf32, strided<[4096, 1], offset: 1024>>)
  linalg.copy ins(%y : memref<?x8xf32>) outs(%z : memref<?x8xf32>)
  return
}
