// RUN: qc-opt %s --split-input-file --qc-plan-buffers | FileCheck %s

// Three buffers of 64 bytes: %a dies at the copy into %b, so %c, allocated
// after it, shares %a's slot; %b overlaps both in time and gets its own.
// Two slots of 64 bytes instead of three buffers.

// CHECK: qc.buffer_plan = {buffers = 3 : i64, bytes_per_unit = 128 : i64, bytes_without_reuse = 192 : i64, function = "chain", slots = 2 : i64, unplanned = 0 : i64}
// CHECK-LABEL: func.func @chain
// CHECK-NOT: memref.alloc()
// CHECK: %[[ARENA:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xi8>
// CHECK: %[[A:.*]] = memref.view %[[ARENA]][%[[OFF0:.*]]][] : memref<?xi8> to memref<16xf32>
// CHECK: %[[B:.*]] = memref.view %[[ARENA]][%[[OFF1:.*]]][] : memref<?xi8> to memref<16xf32>
// CHECK: linalg.copy ins(%[[A]] : memref<16xf32>) outs(%[[B]] : memref<16xf32>)
// CHECK: %[[C:.*]] = memref.view %[[ARENA]][%[[OFF0]]][] : memref<?xi8> to memref<16xf32>
// CHECK: linalg.copy ins(%[[B]] : memref<16xf32>) outs(%[[C]] : memref<16xf32>)
// CHECK-NOT: memref.dealloc %[[A]]
// CHECK: scf.if
// CHECK-NEXT: memref.dealloc %[[ARENA]] : memref<?xi8>
// CHECK: return
func.func @chain(%out: memref<16xf32>) {
  %cst = arith.constant 1.0 : f32
  %a = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.fill ins(%cst : f32) outs(%a : memref<16xf32>)
  %b = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.copy ins(%a : memref<16xf32>) outs(%b : memref<16xf32>)
  %c = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.copy ins(%b : memref<16xf32>) outs(%c : memref<16xf32>)
  linalg.copy ins(%c : memref<16xf32>) outs(%out : memref<16xf32>)
  memref.dealloc %a : memref<16xf32>
  memref.dealloc %b : memref<16xf32>
  memref.dealloc %c : memref<16xf32>
  return
}

// -----

// Dynamic extents (the batch) scale the sizes at run time: a slot is the
// largest of its buffers' run-time sizes, and the size of the second
// buffer, computed from a `memref.dim` that follows the first allocation,
// is hoisted above the arena. A buffer that is returned escapes the plan
// and keeps its allocation; so does one allocated in a loop.

// CHECK: qc.buffer_plan = {buffers = 2 : i64, bytes_per_unit = 128 : i64, bytes_without_reuse = 128 : i64, function = "dynamic", slots = 2 : i64, unplanned = 2 : i64}
// CHECK-LABEL: func.func @dynamic
// CHECK-SAME: (%[[X:.*]]: memref<?x4xf32>
// CHECK-DAG: %[[N:.*]] = memref.dim %[[X]], %c0
// CHECK-DAG: %[[M:.*]] = memref.dim %[[X]], %c0_0
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: arith.muli %[[C16]], %[[N]]
// CHECK-DAG: arith.muli %{{.*}}, %[[M]]
// CHECK: %[[ARENA:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xi8>
// CHECK: memref.view %[[ARENA]][%{{.*}}][%[[N]]] : memref<?xi8> to memref<?x4xf32>
// CHECK: memref.view %[[ARENA]][%{{.*}}][%[[M]]] : memref<?xi8> to memref<?x4xf32>
// CHECK: %[[ESC:.*]] = memref.alloc(%[[N]]) : memref<?x4xf32>
// CHECK: scf.for
// CHECK-NEXT: memref.alloc() : memref<4xf32>
// CHECK: return %[[ESC]]
func.func @dynamic(%x: memref<?x4xf32>) -> memref<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?x4xf32>
  %a = memref.alloc(%n) {alignment = 64 : i64} : memref<?x4xf32>
  linalg.copy ins(%x : memref<?x4xf32>) outs(%a : memref<?x4xf32>)
  %c0_0 = arith.constant 0 : index
  %m = memref.dim %x, %c0_0 : memref<?x4xf32>
  %b = memref.alloc(%m) {alignment = 64 : i64} : memref<?x4xf32>
  linalg.copy ins(%a : memref<?x4xf32>) outs(%b : memref<?x4xf32>)
  %e = memref.alloc(%n) : memref<?x4xf32>
  linalg.copy ins(%b : memref<?x4xf32>) outs(%e : memref<?x4xf32>)
  scf.for %i = %c0 to %n step %c1 {
    %t = memref.alloc() : memref<4xf32>
    memref.dealloc %t : memref<4xf32>
  }
  return %e : memref<?x4xf32>
}

// -----

// With a `qc.workspace` argument the arena is the workspace when it holds
// the planned bytes, else an allocation freed before the return.

// CHECK-LABEL: func.func @workspace
// CHECK-SAME: %[[WS:[a-z0-9]*]]: memref<?xi8> {qc.workspace}
// CHECK: %[[CAP:.*]] = memref.dim %[[WS]], %c0{{.*}} : memref<?xi8>
// CHECK: %[[OWN:.*]] = arith.cmpi ugt, %{{.*}}, %[[CAP]] : index
// CHECK: %[[ARENA:.*]] = scf.if %[[OWN]] -> (memref<?xi8>) {
// CHECK-NEXT: %[[NEW:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xi8>
// CHECK-NEXT: scf.yield %[[NEW]]
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %[[WS]]
// CHECK: memref.view %[[ARENA]]
// CHECK: scf.if %[[OWN]] {
// CHECK-NEXT: memref.dealloc %[[ARENA]]
// CHECK: return
func.func @workspace(%out: memref<16xf32>, %ws: memref<?xi8> {qc.workspace}) {
  %cst = arith.constant 1.0 : f32
  %a = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.fill ins(%cst : f32) outs(%a : memref<16xf32>)
  linalg.copy ins(%a : memref<16xf32>) outs(%out : memref<16xf32>)
  memref.dealloc %a : memref<16xf32>
  return
}
