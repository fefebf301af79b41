// sum_rows_fixed.mlir with a free batch, for qcc-entry-point.test.
func.func @main(%x: tensor<?x2x3xf32>) -> tensor<?x3xf32> {
  %s = tosa.reduce_sum %x {axis = 1 : i32} : (tensor<?x2x3xf32>) -> tensor<?x1x3xf32>
  %r = tosa.reshape %s {new_shape = array<i64: -1, 3>} : (tensor<?x1x3xf32>) -> tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}
