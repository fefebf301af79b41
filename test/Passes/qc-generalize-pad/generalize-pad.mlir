// RUN: qc-opt %s -qc-generalize-pad | FileCheck %s
// RUN: qc-opt --help | FileCheck %s --check-prefix=HELP

// HELP: --qc-generalize-pad

// A constant-padded tensor with a dynamic batch becomes a filled buffer with
// the source inserted at the low padding offsets.
// CHECK-LABEL: func.func @generalize_dynamic_pad
// CHECK-SAME: (%[[X:.*]]: tensor<?x28x28x1xf32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[EMPTY:.*]] = tensor.empty(%{{.*}}) : tensor<?x32x32x1xf32>
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<?x32x32x1xf32>)
// CHECK: tensor.insert_slice %[[X]] into %[[FILL]][0, 2, 2, 0] [%{{.*}}, 28, 28, 1] [1, 1, 1, 1]
// CHECK-NOT: tensor.pad
func.func @generalize_dynamic_pad(%x: tensor<?x28x28x1xf32>) -> tensor<?x32x32x1xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 2, 2, 0] high[0, 2, 2, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<?x28x28x1xf32> to tensor<?x32x32x1xf32>
  return %p : tensor<?x32x32x1xf32>
}


// Ops other than tensor.pad are left alone.
// CHECK-LABEL: func.func @no_rewrite_without_pad
// CHECK-NEXT: return %arg0
func.func @no_rewrite_without_pad(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
