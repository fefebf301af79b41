// RUN: not qc-opt %s --qc-quantize="weight-scheme=binary weight-bits=2" 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not qc-opt %s --qc-quantize="weight-scheme=uniform weight-bits=9" 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not qc-opt %s --qc-quantize="weight-scheme=float16" 2>&1 | FileCheck %s --check-prefix=SCHEME
// RUN: not qc-run %S/../e2e/qc-run-tosa.mlir --quant int9 --input x.npy 2>&1 | FileCheck %s --check-prefix=SPEC
// RUN: not qc-run %S/../e2e/qc-run-tosa.mlir --quant codebook12 --input x.npy 2>&1 | FileCheck %s --check-prefix=CBK

// Impossible options are errors that name the option and the reason.

// BITS: error: qc-quantize: binary weights take weight-bits=1, got 2
// RANGE: error: qc-quantize: uniform weights take weight-bits in 2..8, got 9
// SCHEME: error: qc-quantize: unknown weight-scheme 'float16' (auto, binary, ternary, pot, codebook, uniform)
// SPEC: qc-run: error: 'int9': int<k> takes k in 2..8
// CBK: qc-run: error: 'codebook12': codebook<k> takes k = 2, 4, ..., 256
func.func @f(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  return %x : tensor<1x4xf32>
}
