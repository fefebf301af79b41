// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np, sys; np.save(sys.argv[1], np.array([[-2.0, 0.5, 0.25, 7.0], [1.0, -1.0, 3.0, 0.0], [0.75, 2.0, -0.5, -9.0]], np.float32))" %t/x.npy
// RUN: qc-run %s --input %t/x.npy --output %t/y.npy
// RUN: %python %s.py %t/x.npy %t/y.npy

// qc.multi_threshold (FINN's MultiThreshold) lowered to linalg: per
// channel, count the thresholds x reaches (x >= t), then count * out_scale +
// out_bias. Row 2 holds -inf/+inf thresholds, as a constant-sign channel
// gets them. Checked against numpy (multi-threshold.mlir.py), including
// values exactly on a threshold.

func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %t = arith.constant dense<[[-1.0, 0.0, 1.0], [0.5, 0.5, 2.0], [0xFF800000, 0.0, 0x7F800000], [-8.0, 0.0, 7.0]]> : tensor<4x3xf32>
  %y = qc.multi_threshold %x, %t {out_scale = 2.0 : f64, out_bias = -3.0 : f64} : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
