// Input of malformed-input.mlir: a function cut off mid-type.

func.func @f(%x: tensor<4x!qc.binary<f32, alpha = [0.5
