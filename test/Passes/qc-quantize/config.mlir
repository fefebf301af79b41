// RUN: %python -c "print('[' * 100000)" > %t.deep.json
// RUN: not qc-opt %s --qc-quantize="config=%t.deep.json" 2>&1 | FileCheck %s --check-prefix=DEEP
// RUN: %python -c "print('{\"layers\": {\"fc1\": {\"weights\": \"' + '[' * 100 + '\"}}}')" > %t.brackets.json
// RUN: not qc-opt %s --qc-quantize="config=%t.brackets.json" 2>&1 | FileCheck %s --check-prefix=STRING
// RUN: %python -c "print('{\"layers\": ' * 33 + '{}' + '}' * 33)" > %t.depth33.json
// RUN: not qc-opt %s --qc-quantize="config=%t.depth33.json" 2>&1 | FileCheck %s --check-prefix=DEPTH33
// RUN: %python -c "print('{\"layers\": {\"fc1\": {\"weights\": \"int4\", \"x\": ' + '[' * 29 + ']' * 29 + '}}}')" > %t.depth32.json
// RUN: not qc-opt %s --qc-quantize="config=%t.depth32.json" 2>&1 | FileCheck %s --check-prefix=DEPTH32
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-unknown-weights.json" 2>&1 | FileCheck %s --check-prefix=WUNKNOWN
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-unknown-activations.json" 2>&1 | FileCheck %s --check-prefix=AUNKNOWN
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-float-weights.json" 2>&1 | FileCheck %s --check-prefix=WFLOAT
// RUN: qc-opt %s --qc-quantize="weight-scheme=none activation-scheme=uniform config=%S/Inputs/quant-config-float-activations.json" | FileCheck %s --check-prefix=AFLOAT

// A config nested deeper than 32 levels is an error before the JSON parser
// (which recurses once per level) sees it; brackets inside strings do not
// count, and 32 levels parse (the unknown key is then the error).

// DEEP: error: qc-quantize: {{.*}}deep.json: not valid JSON: nested deeper than 32 levels at line 1, column 33
// STRING: error: qc-quantize: {{.*}}brackets.json: layer 'fc1' (tosa.fully_connected): unknown weights '{{\[+}}' (none, auto, int<k>, uint<k>, binary, ternary, pot<k>, dorefa<k>, codebook<k>)
// DEPTH33: error: qc-quantize: {{.*}}depth33.json: not valid JSON: nested deeper than 32 levels at line 1, column 353
// DEPTH32: error: qc-quantize: {{.*}}depth32.json: layer 'fc1' (tosa.fully_connected): unknown key 'x' (weights, activations)

// Unknown specs list what the key takes, from the scheme table; "float"
// names no weight scheme but activations take it for none.
// WUNKNOWN: error: qc-quantize: {{.*}}quant-config-unknown-weights.json: layer 'fc1' (tosa.fully_connected): unknown weights 'float16' (none, auto, int<k>, uint<k>, binary, ternary, pot<k>, dorefa<k>, codebook<k>)
// AUNKNOWN: error: qc-quantize: {{.*}}quant-config-unknown-activations.json: layer 'fc1' (tosa.fully_connected): unknown activation spec 'sign' (none, int<k>, binary, threshold<k>)
// WFLOAT: error: qc-quantize: {{.*}}quant-config-float-weights.json: layer 'fc2' (tosa.fully_connected): 'float' is an activation spec; weights take none, auto, int<k>, uint<k>, binary, ternary, pot<k>, dorefa<k>, codebook<k>
// Without "float" both layers would need a calibrated range.
// AFLOAT-LABEL: func.func @f
// AFLOAT-NOT: qc.
// AFLOAT: return
func.func @f(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0], [-0.75, 0.5, 1.5, -0.5]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %w2 = "tosa.const"() {value = dense<[[0.5, -1.0], [0.25, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = tosa.fully_connected %x, %w1, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc1")
  %1 = tosa.fully_connected %0, %w2, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc2")
  return %1 : tensor<1x2xf32>
}
