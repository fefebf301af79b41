// RUN: %python %S/Inputs/fc_relu_reference.py %t
// RUN: qc-run %s --input %t.x.npy --output %t.y.npy
// RUN: %python %S/../../lib/compare_npy.py %t.y.npy %t.ref.npy --atol 1e-6 --rtol 1e-6
// RUN: qc-run %s --input %t.x.npy --output %t.y4.npy --threads 4
// RUN: %python %S/../../lib/compare_npy.py %t.y4.npy %t.ref.npy --atol 1e-6 --rtol 1e-6
// RUN: not qc-run %s --input %t.x64.npy --output %t.bad.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// RUN: not qc-run %s --input %t.x3.npy --output %t.bad.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not ls %t.bad.npy
// RUN: not qc-run %s --input %t.x.npy --quant float16 2>&1 | FileCheck %s --check-prefix=QUANT

// qc-run JIT-compiles a TOSA model for this CPU and runs it on .npy data;
// the result matches numpy's relu(x W^T + b), also with the batch split
// over threads. Bad inputs are errors and write no output file.

// DTYPE: qc-run: error: {{.*}}x64.npy: not a valid .npy file: unsupported dtype '<f8'
// SHAPE: qc-run: error: input #0 must be ?x4 float32, got 5x3 float32
// QUANT: qc-run: error: unknown --quant spec 'float16' (none, auto, int<k>, uint<k>, binary, ternary, pot<k>, dorefa<k>, codebook<k>)

func.func @main(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {
  %w = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0], [-0.75, 0.5, 1.5, -0.5], [1.0, 1.0, -1.0, 0.125]]> : tensor<3x4xf32>} : () -> tensor<3x4xf32>
  %b = "tosa.const"() {value = dense<[0.1, -0.2, 0.3]> : tensor<3xf32>} : () -> tensor<3xf32>
  %y = tosa.fully_connected %x, %w, %b : (tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %r = tosa.clamp %y {min_fp = 0.0 : f32, max_fp = 3.4e38 : f32, min_int = 0 : i64, max_int = 2147483647 : i64} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}
