// Input of malformed-input.mlir: a binary type given a parameter it lacks.

func.func @f(%x: tensor<4x!qc.binary<f32, alpha = [0.5], bits = 2>>) {
  return
}
