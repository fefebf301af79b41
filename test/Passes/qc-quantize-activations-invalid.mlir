// RUN: not qc-opt %s --qc-quantize="activation-scheme=uniform activation-bits=8" 2>&1 | FileCheck %s --check-prefix=NORANGE
// RUN: not qc-opt %s --qc-quantize="activation-scheme=uniform activation-bits=9" 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not qc-opt %s --qc-quantize="activation-scheme=ternary" 2>&1 | FileCheck %s --check-prefix=SCHEME
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-missing-layer.json" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-bad-bits.json" 2>&1 | FileCheck %s --check-prefix=CFGBITS
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-bad-key.json" 2>&1 | FileCheck %s --check-prefix=CFGKEY
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-truncated.json" 2>&1 | FileCheck %s --check-prefix=CFGJSON
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/no-such-file.json" 2>&1 | FileCheck %s --check-prefix=CFGFILE

// Activation quantization needs a calibrated range; options and config
// files that cannot apply are errors naming the layer, the key and why.

// NORANGE: error: {{.*}}qc-quantize: layer 'fc1' has no calibrated input range (qc.input_range) for its uniform activations; calibrate the model first (qc-run/qcc --calib-idx-images or --calib-npy)
// BITS: error: qc-quantize: uniform activations take activation-bits in 2..8, got 9
// SCHEME: error: qc-quantize: unknown activation-scheme 'ternary' (none, uniform, binary)
// MISSING: error: qc-quantize: {{.*}}quant-config-missing-layer.json: layer 'fc9' is not a conv or dense layer of the model (layers: fc1, fc2)
// CFGBITS: error: qc-quantize: {{.*}}quant-config-bad-bits.json: layer 'fc1': 'int12': int<k> takes k in 2..8
// CFGKEY: error: qc-quantize: {{.*}}quant-config-bad-key.json: layer 'fc1': unknown key 'weight' (weights, activations)
// CFGJSON: error: qc-quantize: {{.*}}quant-config-truncated.json: not valid JSON:
// CFGFILE: error: qc-quantize: {{.*}}no-such-file.json: cannot read: No such file or directory
func.func @f(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0], [-0.75, 0.5, 1.5, -0.5]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %w2 = "tosa.const"() {value = dense<[[0.5, -1.0], [0.25, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = tosa.fully_connected %x, %w1, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc1")
  %1 = tosa.fully_connected %0, %w2, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc2")
  return %1 : tensor<1x2xf32>
}
