// RUN: qc-opt %s -qc-outline-segments=max-ops=2 | FileCheck %s
// RUN: qc-opt %s -qc-outline-segments | FileCheck %s --check-prefix=SHORT
// RUN: not qc-opt %s -qc-outline-segments=max-ops=0 2>&1 | FileCheck %s --check-prefix=BAD

// Five operations besides constants, at most two per function: three
// private noinline parts called in program order. Values a part defines
// and later parts use (the loaded value, the view) are its results and the
// later parts' arguments; constants are rebuilt in each part that uses them
// instead of being passed. The caller keeps the calls.

// CHECK-LABEL: func.func private @entry_part0
// CHECK-SAME: (%{{.*}}: memref<16xf32>) -> (f32, memref<8xf32, strided<[1], offset: 8>>)
// CHECK-SAME: passthrough = ["noinline"]
// CHECK: memref.load
// CHECK: memref.subview
// CHECK: return
// CHECK-LABEL: func.func private @entry_part1
// CHECK-SAME: (%{{.*}}: f32, %{{.*}}: memref<8xf32, strided<[1], offset: 8>>)
// CHECK-SAME: passthrough = ["noinline"]
// CHECK: arith.constant 0 : index
// CHECK: arith.addf
// CHECK: memref.store
// CHECK-LABEL: func.func private @entry_part2
// CHECK-SAME: (%{{.*}}: f32, %{{.*}}: memref<16xf32>)
// CHECK: arith.constant 1 : index
// CHECK: memref.store
// CHECK-LABEL: func.func @entry
// CHECK-SAME: %[[A:.*]]: memref<16xf32>
// CHECK: %[[R:.*]]:2 = call @entry_part0(%[[A]])
// CHECK-NEXT: call @entry_part1(%[[R]]#0, %[[R]]#1)
// CHECK-NEXT: call @entry_part2(%[[R]]#0, %[[A]])
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
