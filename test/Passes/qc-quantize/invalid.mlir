// RUN: not qc-opt %s --qc-quantize="weight-scheme=binary weight-bits=2" 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not qc-opt %s --qc-quantize="weight-scheme=uniform weight-bits=9" 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not qc-opt %s --qc-quantize="weight-scheme=float16" 2>&1 | FileCheck %s --check-prefix=SCHEME
// RUN: not qc-run %S/../../e2e/tools/qc-run-tosa.mlir --quant int9 --input x.npy 2>&1 | FileCheck %s --check-prefix=SPEC
// RUN: not qc-run %S/../../e2e/tools/qc-run-tosa.mlir --quant codebook12 --input x.npy 2>&1 | FileCheck %s --check-prefix=CBK
// RUN: qc-opt %s -split-input-file -verify-diagnostics --qc-quantize="weight-scheme=uniform weight-bits=8 quantize-first-last=1"
// RUN: qc-opt %s -split-input-file -verify-diagnostics --qc-quantize="weight-scheme=dorefa weight-bits=2 quantize-first-last=1"
// RUN: qc-opt %s -split-input-file -verify-diagnostics --qc-quantize="weight-scheme=auto"
// RUN: not qc-opt %s --qc-quantize="weight-scheme=asymmetric weight-bits=9" 2>&1 | FileCheck %s --check-prefix=ASYM
// RUN: not qc-opt %s --qc-quantize="weight-scheme=dorefa weight-bits=8" 2>&1 | FileCheck %s --check-prefix=DOREFA
// RUN: not qc-opt %s --qc-quantize="weight-scheme=threshold" 2>&1 | FileCheck %s --check-prefix=WACT
// RUN: not qc-run %S/../../e2e/tools/qc-run-tosa.mlir --quant uint1 --input x.npy 2>&1 | FileCheck %s --check-prefix=UINT
// RUN: not qc-run %S/../../e2e/tools/qc-run-tosa.mlir --quant dorefa0 --input x.npy 2>&1 | FileCheck %s --check-prefix=DOREFA0
// RUN: not qc-run %S/../../e2e/tools/qc-run-tosa.mlir --quant threshold4 --input x.npy 2>&1 | FileCheck %s --check-prefix=QTHR
// RUN: not qc-run %S/../../e2e/tools/qc-run-tosa.mlir --quant int8 --act pot4 --input x.npy 2>&1 | FileCheck %s --check-prefix=APOT
// RUN: not qc-run %S/../../e2e/tools/qc-run-tosa.mlir --quant int8 --act threshold9 --input x.npy 2>&1 | FileCheck %s --check-prefix=ATHR
// RUN: not qc-opt %s --qc-quantize="weight-scheme=ternary weight-bits=3" 2>&1 | FileCheck %s --check-prefix=TERN
// RUN: not qc-opt %s --qc-quantize="weight-scheme=codebook weight-bits=9" 2>&1 | FileCheck %s --check-prefix=CBBITS
// RUN: not qc-opt %s --qc-quantize="activation-scheme=int8" 2>&1 | FileCheck %s --check-prefix=ASCHEME
// RUN: echo "func.func @g() { return }" | qc-opt --qc-quantize="weight-scheme=auto weight-bits=3 activation-scheme=binary activation-bits=8" | FileCheck %s --check-prefix=NOWIDTH

// Impossible options are errors that name the option and the reason.

// BITS: error: qc-quantize: binary weights take weight-bits=1, got 2
// RANGE: error: qc-quantize: uniform weights take weight-bits in 2..8, got 9
// SCHEME: error: qc-quantize: unknown weight-scheme 'float16' (none, auto, uniform, asymmetric, binary, ternary, pot, dorefa, codebook)
// SPEC: qc-run: error: 'int9': int<k> takes k in 2..8
// CBK: qc-run: error: 'codebook12': codebook<k> takes k = 2, 4, ..., 256
// ASYM: error: qc-quantize: asymmetric weights take weight-bits in 2..8, got 9
// DoReFa's k-bit levels need k + 1 bits of signed codes.
// DOREFA: error: qc-quantize: dorefa weights take weight-bits in 1..7, got 8
// WACT: error: qc-quantize: weight-scheme 'threshold' is an activation scheme; weights take none, auto, uniform, asymmetric, binary, ternary, pot, dorefa, codebook
// UINT: qc-run: error: 'uint1': uint<k> takes k in 2..8
// DOREFA0: qc-run: error: 'dorefa0': dorefa<k> takes k in 1..7
// QTHR: qc-run: error: 'threshold4' is an activation spec; weights take none, auto, int<k>, uint<k>, binary, ternary, pot<k>, dorefa<k>, codebook<k>
// APOT: qc-run: error: --act: 'pot4' is a weight spec: activations are computed at run time and take none, int<k>, binary, threshold<k>
// ATHR: qc-run: error: --act: 'threshold9': threshold<k> takes k in 2..8
// TERN: error: qc-quantize: ternary weights take weight-bits=2, got 3
// codebook's weight-bits is log2 of the centroids.
// CBBITS: error: qc-quantize: codebook weights take weight-bits in 1..8, got 9
// The options take the schemes' option names, not specs.
// ASCHEME: error: qc-quantize: unknown activation-scheme 'int8' (none, uniform, binary, threshold)
// auto and binary activations have no width of their own to check.
// NOWIDTH: func.func @g()
func.func @f(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  return %x : tensor<1x4xf32>
}

// -----

// A weight that is not finite has no finite scale under any scheme: an
// error at the layer, not an invalid type.
func.func @infinite_weight(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() {value = dense<[[1.0, 0x7F800000], [0.0, 1.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  // expected-error @+1 {{weight 1 is not finite (INF); cannot quantize it to}}
  %y = tosa.fully_connected %x, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

func.func @nan_weight(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() {value = dense<[[1.0, 0.5], [0x7FC00000, 1.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  // expected-error @+1 {{weight 2 is not finite (nan); cannot quantize it to}}
  %y = tosa.fully_connected %x, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
