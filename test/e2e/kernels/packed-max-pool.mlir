// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np, sys; np.save(sys.argv[1], (np.random.default_rng(7).standard_normal((2, 5, 6, 40)) - 1.2).astype(np.float32))" %t/x.npy
// RUN: qc-opt %s -qc-fuse -o %t/fused.mlir
// RUN: FileCheck %s < %t/fused.mlir
// RUN: qc-run %s --input %t/x.npy --output %t/reference.npy
// RUN: qc-run %t/fused.mlir --input %t/x.npy --output %t/fused.npy
// RUN: %python %s.py %t/x.npy %t/reference.npy %t/fused.npy

// Max-pool of binary activations, then their signs packed into words (as a
// binary layer's input): qc-fuse packs first and pools the words with
// qc.packed_max_pool2d (AND of the window's words, padding all ones), whose
// linalg lowering runs here. Both programs are checked against numpy
// (packed-max-pool.mlir.py: float max-pool with -inf padding, then the sign
// bits packed 32 to a word), on 40 channels (a tail word of 8) and padding
// on three sides; the input is shifted negative so that many windows are
// all -alpha and set their bit.

// CHECK-LABEL: func.func @main
// CHECK: %[[D:.*]] = qc.dequantize
// CHECK: %[[P:.*]] = qc.bitpack %[[D]] : tensor<2x5x6x40xf32> -> tensor<2x5x6x2xi32>
// CHECK: %[[W:.*]] = qc.packed_max_pool2d %[[P]] {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 0, 1>, stride = array<i64: 2, 2>} : tensor<2x5x6x2xi32> -> tensor<2x3x3x2xi32>
// CHECK-NOT: tosa.max_pool2d
// CHECK: return %[[W]]

!bin = !qc.binary<f32, alpha = [0.5]>

func.func @main(%x: tensor<2x5x6x40xf32>) -> tensor<2x3x3x2xi32> {
  %q = qc.quantize %x : tensor<2x5x6x40xf32> -> tensor<2x5x6x40x!bin>
  %d = qc.dequantize %q : tensor<2x5x6x40x!bin> -> tensor<2x5x6x40xf32>
  %p = tosa.max_pool2d %d {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 0, 1>} : (tensor<2x5x6x40xf32>) -> tensor<2x3x3x40xf32>
  %w = qc.bitpack %p : tensor<2x3x3x40xf32> -> tensor<2x3x3x2xi32>
  return %w : tensor<2x3x3x2xi32>
}
