// RUN: qc-opt %s --qc-outline-loop-nests | FileCheck %s
// RUN: qc-opt %s --qc-outline-loop-nests=min-ops=100 | FileCheck %s --check-prefix=SMALL

// Each top-level loop nest moves into a private noinline function called in
// its place: the buffers and the bound it uses from outside become
// arguments (the loop's operands first, then what its body uses), its
// constants are cloned in.
// A loop with iteration arguments stays.

// CHECK-LABEL: func.func private @f_nest0(%arg0: index, %arg1: memref<8xf32>)
// CHECK-SAME: attributes {passthrough = ["noinline"]}
// CHECK-DAG: arith.constant 0 : index
// CHECK-DAG: arith.constant 2.000000e+00 : f32
// CHECK: scf.for %{{.*}} = %{{.*}} to %arg0
// CHECK: return
// CHECK-LABEL: func.func private @f_nest1(%arg0: memref<8xf32>, %arg1: memref<8xf32>)
// CHECK-LABEL: func.func @f(
// CHECK-SAME: %[[A:[a-z0-9]+]]: memref<8xf32>, %[[B:[a-z0-9]+]]: memref<8xf32>, %[[N:[a-z0-9]+]]: index)
// CHECK: call @f_nest0(%[[N]], %[[A]]) : (index, memref<8xf32>) -> ()
// CHECK: call @f_nest1(%[[A]], %[[B]]) : (memref<8xf32>, memref<8xf32>) -> ()
// CHECK: scf.for {{.*}} iter_args
// SMALL-NOT: call
func.func @f(%a: memref<8xf32>, %b: memref<8xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %two = arith.constant 2.0 : f32
  scf.for %i = %c0 to %n step %c1 {
    memref.store %two, %a[%i] : memref<8xf32>
  }
  scf.for %i = %c0 to %c8 step %c1 {
    %v = memref.load %a[%i] : memref<8xf32>
    memref.store %v, %b[%i] : memref<8xf32>
  }
  %zero = arith.constant 0.0 : f32
  %sum = scf.for %i = %c0 to %c8 step %c1 iter_args(%s = %zero) -> (f32) {
    %v = memref.load %b[%i] : memref<8xf32>
    %t = arith.addf %s, %v : f32
    scf.yield %t : f32
  }
  return %sum : f32
}
