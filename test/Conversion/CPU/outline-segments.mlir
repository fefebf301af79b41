// RUN: qc-opt %s -qc-outline-segments=max-ops=2 | FileCheck %s
// RUN: qc-opt %s -qc-outline-segments | FileCheck %s --check-prefix=SHORT
// RUN: not qc-opt %s -qc-outline-segments=max-ops=0 2>&1 | FileCheck %s --check-prefix=BAD

// Four operations besides those computed from the arguments alone (the
// constants, the view), at most two per function: two private noinline
// parts called in program order. A value the first part loads is its
// result and the second's argument; what is computed without touching
// memory (the view, the constants, the sum) is recomputed in each part that
// uses it instead of being passed, and no longer appears in the caller.

// CHECK-LABEL: func.func private @entry_part0
// CHECK-SAME: (%{{.*}}: memref<16xf32>) -> f32
// CHECK-SAME: passthrough = ["noinline"]
// CHECK: memref.load
// CHECK: return
// CHECK-LABEL: func.func private @entry_part1
// CHECK-SAME: (%[[V:.*]]: f32, %[[ARG:.*]]: memref<16xf32>)
// CHECK-SAME: passthrough = ["noinline"]
// CHECK: %[[SUM:.*]] = arith.addf %[[V]], %[[V]]
// CHECK: %[[VIEW:.*]] = memref.subview %[[ARG]][8] [8] [1]
// CHECK: memref.store %[[SUM]], %[[VIEW]]
// CHECK: memref.store %[[V]], %[[ARG]]
// CHECK-LABEL: func.func @entry
// CHECK-SAME: %[[A:.*]]: memref<16xf32>
// CHECK-NEXT: %[[R:.*]] = call @entry_part0(%[[A]])
// CHECK-NEXT: call @entry_part1(%[[R]], %[[A]])
// CHECK-NEXT: return
// SHORT-NOT: _part
// BAD: max-ops must be at least 1, got 0
func.func @entry(%a: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %v = memref.load %a[%c0] : memref<16xf32>
  %view = memref.subview %a[8] [8] [1] : memref<16xf32> to memref<8xf32, strided<[1], offset: 8>>
  %w = arith.addf %v, %v : f32
  memref.store %w, %view[%c0] : memref<8xf32, strided<[1], offset: 8>>
  %c1 = arith.constant 1 : index
  memref.store %v, %a[%c1] : memref<16xf32>
  return
}
