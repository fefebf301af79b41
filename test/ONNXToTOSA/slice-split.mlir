// Slice and Split. torch.chunk's bounds (Shape -> Gather -> Add -> Div ->
// Mul) fold to constants when the sliced extent is static, even with a
// dynamic batch; steps other than 1 become slice + reshape to (count, step)
// + slice of the first column, with zero padding past the end and a
// reverse for negative steps; a Slice of a shape vector keeps the dynamic
// batch symbolic for the Reshape it feeds.

// RUN: qc-translate --import-onnx %S/Inputs/slice.onnx | qc-opt | FileCheck %s

// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<?x8x5x6xf32>
// CHECK-NOT: tosa.const
// CHECK: %[[FIRST:.*]] = tosa.slice %[[X]] {size = array<i64: -1, 4, 5, 6>, start = array<i64: 0, 0, 0, 0>}
// CHECK: %[[SECOND:.*]] = tosa.slice %[[X]] {size = array<i64: -1, 4, 5, 6>, start = array<i64: 0, 4, 0, 0>}
// strided: x[..., ::-2, 1::2]; columns 1, 3, 5 (the 6th padded), then rows
// 4, 2, 0 from the reversed rows.
// CHECK: %[[COLS:.*]] = tosa.slice %[[X]] {size = array<i64: -1, 8, 5, 5>, start = array<i64: 0, 0, 0, 1>}
// CHECK: %[[COLSP:.*]] = tosa.pad %[[COLS]], %{{.*}} -> tensor<?x8x5x6xf32>
// CHECK: %[[COLSR:.*]] = tosa.reshape %[[COLSP]] {new_shape = array<i64: -1, 8, 5, 3, 2>}
// CHECK: %[[COLSS:.*]] = tosa.slice %[[COLSR]] {size = array<i64: -1, 8, 5, 3, 1>, start = array<i64: 0, 0, 0, 0, 0>}
// CHECK: %[[COLS3:.*]] = tosa.reshape %[[COLSS]] {new_shape = array<i64: -1, 8, 5, 3>}
// CHECK: %[[REV:.*]] = tosa.reverse %[[COLS3]] {axis = 2 : i32}
// CHECK: %[[STRIDED:.*]] = tosa.reshape %{{.*}} {new_shape = array<i64: -1, 8, 3, 3>}
// step 3 from row 1 of 5: rows 1 and 4.
// CHECK: %[[ROWS:.*]] = tosa.slice %[[X]] {size = array<i64: -1, 8, 4, 6>, start = array<i64: 0, 0, 1, 0>}
// CHECK: %[[PADDED:.*]] = tosa.reshape %{{.*}} {new_shape = array<i64: -1, 8, 2, 6>}
// CHECK: %[[PART0:.*]] = tosa.slice %[[X]] {size = array<i64: -1, 3, 5, 6>, start = array<i64: 0, 0, 0, 0>}
// CHECK: %[[PART1:.*]] = tosa.slice %[[X]] {size = array<i64: -1, 5, 5, 6>, start = array<i64: 0, 3, 0, 0>}
// CHECK: %[[FLAT:.*]] = tosa.reshape %[[X]] {new_shape = array<i64: -1, 240>}
// CHECK: return %[[FIRST]], %[[SECOND]], %[[STRIDED]], %[[PADDED]], %[[PART0]], %[[PART1]], %[[FLAT]]
