// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py inputs %t
// RUN: qc-opt %s --qc-quantize="weight-scheme=asymmetric weight-bits=4 quantize-first-last=1" -o %t/asym4.mlir
// RUN: qc-opt %s --qc-quantize="weight-scheme=asymmetric weight-bits=3 per-channel=0 quantize-first-last=1" -o %t/asym3t.mlir
// RUN: qc-opt %s --qc-quantize="weight-scheme=dorefa weight-bits=2 quantize-first-last=1" -o %t/dorefa2.mlir
// RUN: qc-opt %s --qc-quantize="weight-scheme=dorefa weight-bits=1 quantize-first-last=1" -o %t/dorefa1.mlir
// RUN: qc-opt %s --qc-quantize="weight-scheme=none activation-scheme=threshold activation-bits=4 quantize-first-last=1" -o %t/thr4.mlir
// RUN: qc-opt %s --qc-quantize="weight-scheme=none activation-scheme=uniform activation-bits=4 quantize-first-last=1" -o %t/uni4.mlir
// RUN: qc-opt %s --qc-quantize="weight-scheme=asymmetric weight-bits=8 activation-scheme=uniform activation-bits=4 quantize-first-last=1" --qc-lower-macs -o %t/asym8-int.mlir
// RUN: qc-opt %s --qc-quantize="weight-scheme=dorefa weight-bits=3 activation-scheme=uniform activation-bits=4 quantize-first-last=1" --qc-lower-macs -o %t/dorefa3-int.mlir
// RUN: qc-opt %s --qc-quantize="weight-scheme=asymmetric weight-bits=8 activation-scheme=threshold activation-bits=4 quantize-first-last=1" --qc-lower-macs -o %t/thr4-int.mlir
// RUN: FileCheck %s --check-prefix=INT --input-file %t/asym8-int.mlir
// RUN: FileCheck %s --check-prefix=INT --input-file %t/thr4-int.mlir
// RUN: FileCheck %s --check-prefix=INT --input-file %t/dorefa3-int.mlir
// RUN: qc-run %t/asym4.mlir --input %t/eye.npy --output %t/asym4.npy
// RUN: qc-run %t/asym3t.mlir --input %t/eye.npy --output %t/asym3t.npy
// RUN: qc-run %t/dorefa2.mlir --input %t/eye.npy --output %t/dorefa2.npy
// RUN: qc-run %t/dorefa1.mlir --input %t/eye.npy --output %t/dorefa1.npy
// RUN: qc-run %t/thr4.mlir --input %t/x.npy --output %t/thr4.npy
// RUN: qc-run %t/uni4.mlir --input %t/x.npy --output %t/uni4.npy
// RUN: qc-run %t/asym8-int.mlir --input %t/x.npy --output %t/asym8-int.npy
// RUN: qc-run %t/dorefa3-int.mlir --input %t/x.npy --output %t/dorefa3-int.npy
// RUN: qc-run %t/thr4-int.mlir --input %t/x.npy --output %t/thr4-int.npy
// RUN: %python %s.py check %t | FileCheck %s --check-prefix=NUM

// qc-quantize's asymmetric uniform and DoReFa weights and its
// multi-threshold activations, run by qc-run and checked against numpy
// evaluations of the schemes' definitions (qc-quantize-schemes.mlir.py):
//  - weights: the layer computes x W^T, so the identity input returns the
//    dequantized weights, which must equal numpy's quantizer (per channel
//    and per tensor asymmetric, DoReFa 1 and 2 bits);
//  - thresholds: three layers read the same input, two calibrated to
//    [0, 3.75] (unsigned 4-bit, scale 0.25), one to [-1.75, 1.75] (signed
//    narrow, scale 0.25); the inputs step by 1/32 from -3 to 5, so they hit
//    every level midpoint exactly. Through the identity weights the
//    thresholds must give numpy's clamp(floor(x / s + 1/2)) s exactly
//    (midpoints round up), and the uniform quantizer's values everywhere
//    but at midpoints;
//  - integer kernels: with 4-bit activations (uniform or thresholds),
//    qc-lower-macs rewrites the asymmetric 8-bit and DoReFa 3-bit layers
//    into integer matmuls (INT), whose result must be numpy's
//    fake-quantized float product.

// INT-LABEL: func.func @main
// INT-NOT: tosa.fully_connected
// INT: linalg.matmul_transpose_b
// INT-NOT: tosa.fully_connected
// INT: return

// NUM: asym4 ok
// NUM: asym3t ok
// NUM: dorefa2 ok
// NUM: dorefa1 ok
// NUM: thr4 ok
// NUM: uni4 ok
// NUM: uni4 differs from thr4 only at midpoints
// NUM: asym8-int ok
// NUM: dorefa3-int ok
// NUM: thr4-int ok

func.func @main(%x: tensor<?x4xf32>) -> tensor<?x12xf32> {
  // Row 0 straddles 0, row 1 is non-negative, row 2 is all zero, row 3
  // non-positive.
  %w = "tosa.const"() {value = dense<[[0.31, -0.72, 0.05, 1.13], [0.4, 0.0, 0.9, 0.25], [0.0, 0.0, 0.0, 0.0], [-0.5, -0.125, -0.3, 0.0]]> : tensor<4x4xf32>} : () -> tensor<4x4xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0, 0.0, 0.0]> : tensor<4xf32>} : () -> tensor<4xf32>
  %eye = "tosa.const"() {value = dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]> : tensor<4x4xf32>} : () -> tensor<4x4xf32>
  %y = tosa.fully_connected %x, %w, %b {qc.input_range = array<f64: 0.0, 3.75, 1.0>} : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %u = tosa.fully_connected %x, %eye, %b {qc.input_range = array<f64: 0.0, 3.75, 1.0>} : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %s = tosa.fully_connected %x, %eye, %b {qc.input_range = array<f64: -1.75, 1.75, 1.0>} : (tensor<?x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %r = tosa.concat %y, %u, %s {axis = 1 : i32} : (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x12xf32>
  return %r : tensor<?x12xf32>
}
