// RUN: qc-opt %s -qc-outline-loop-nests | FileCheck %s

// Each top-level loop, not only its body, moves into a private noinline
// function called in its place: the caller keeps no loop of calls that
// LLVM could unroll into one long basic block. Values from above (the
// buffers, the bound) become arguments; a loop with iteration arguments
// stays.

// CHECK: func.func private @layers_nest0({{.*}}) attributes {passthrough = ["noinline"]}
// CHECK: scf.for
// CHECK: memref.store
// CHECK: func.func private @layers_nest1({{.*}}) attributes {passthrough = ["noinline"]}
// CHECK: scf.for
// CHECK: memref.load
// CHECK: memref.store
// CHECK-LABEL: func.func @layers
// CHECK-SAME: %[[A:.*]]: memref<16x8xf32>, %[[B:.*]]: memref<16x8xf32>
// CHECK-NOT: scf.for
// CHECK: call @layers_nest0(%{{.*}}, %[[A]]
// CHECK-NOT: scf.for
// CHECK: call @layers_nest1(%[[A]], %{{.*}}, %[[B]]
// CHECK: scf.for {{.*}} iter_args
// CHECK: return
func.func @layers(%a: memref<16x8xf32>, %b: memref<16x8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c16 step %c1 {
    memref.store %zero, %a[%i, %c0] : memref<16x8xf32>
  }
  scf.for %i = %c0 to %c16 step %c1 {
    %v = memref.load %a[%i, %c0] : memref<16x8xf32>
    memref.store %v, %b[%i, %c0] : memref<16x8xf32>
  }
  %sum = scf.for %i = %c0 to %c16 step %c1 iter_args(%acc = %zero) -> (f32) {
    %v = memref.load %b[%i, %c0] : memref<16x8xf32>
    %s = arith.addf %acc, %v : f32
    scf.yield %s : f32
  }
  return %sum : f32
}
