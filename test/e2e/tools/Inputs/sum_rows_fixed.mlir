// A model with a fixed batch of 2 for qcc-entry-point.test: each item is a
// 2x3 matrix and the result is the sum of its two rows.
func.func @main(%x: tensor<2x2x3xf32>) -> tensor<2x3xf32> {
  %s = tosa.reduce_sum %x {axis = 1 : i32} : (tensor<2x2x3xf32>) -> tensor<2x1x3xf32>
  %r = tosa.reshape %s {new_shape = array<i64: 2, 3>} : (tensor<2x1x3xf32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}
