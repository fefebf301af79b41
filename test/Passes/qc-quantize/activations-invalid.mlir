// RUN: not qc-opt %s --qc-quantize="activation-scheme=uniform activation-bits=8" 2>&1 | FileCheck %s --check-prefix=NORANGE
// RUN: not qc-opt %s --qc-quantize="activation-scheme=uniform activation-bits=9" 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not qc-opt %s --qc-quantize="activation-scheme=ternary" 2>&1 | FileCheck %s --check-prefix=SCHEME
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-missing-layer.json" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-bad-bits.json" 2>&1 | FileCheck %s --check-prefix=CFGBITS
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-bad-key.json" 2>&1 | FileCheck %s --check-prefix=CFGKEY
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-truncated.json" 2>&1 | FileCheck %s --check-prefix=CFGJSON
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/no-such-file.json" 2>&1 | FileCheck %s --check-prefix=CFGFILE
// RUN: not qc-opt %s --qc-quantize="activation-scheme=threshold activation-bits=1" 2>&1 | FileCheck %s --check-prefix=THRBITS
// RUN: not qc-opt %s --qc-quantize="activation-scheme=codebook" 2>&1 | FileCheck %s --check-prefix=ACTCB
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-codebook-activations.json" 2>&1 | FileCheck %s --check-prefix=CFGACTCB
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-threshold-weights.json" 2>&1 | FileCheck %s --check-prefix=CFGWTHR
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-runtime-weight.json" 2>&1 | FileCheck %s --check-prefix=CFGRT
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-quantized-weight.json" 2>&1 | FileCheck %s --check-prefix=CFGQW
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-not-a-layer.json" 2>&1 | FileCheck %s --check-prefix=CFGOP
// RUN: not qc-opt %s --qc-quantize="config=%S/Inputs/quant-config-runtime-activations.json" 2>&1 | FileCheck %s --check-prefix=CFGRTACT

// Activation quantization needs a calibrated range; options and config
// files that cannot apply are errors naming the layer, the key and why.

// NORANGE: error: {{.*}}qc-quantize: layer 'fc1' has no calibrated input range (qc.input_range) for its uniform activations; calibrate the model first (qc-run/qcc --calib-idx-images or --calib-npy)
// BITS: error: qc-quantize: uniform activations take activation-bits in 2..8, got 9
// SCHEME: error: qc-quantize: activation-scheme 'ternary' is a weight scheme; activations, computed at run time, take none, uniform, binary, threshold
// MISSING: error: qc-quantize: {{.*}}quant-config-missing-layer.json: layer 'fc9' is not a conv or dense layer of the model (layers: fc1, fc2, fc_runtime, fc_qonnx)
// CFGBITS: error: qc-quantize: {{.*}}quant-config-bad-bits.json: layer 'fc1' (tosa.fully_connected): 'int12': int<k> takes k in 2..8
// CFGKEY: error: qc-quantize: {{.*}}quant-config-bad-key.json: layer 'fc1' (tosa.fully_connected): unknown key 'weight' (weights, activations)
// CFGJSON: error: qc-quantize: {{.*}}quant-config-truncated.json: not valid JSON:
// CFGFILE: error: qc-quantize: {{.*}}no-such-file.json: cannot read: No such file or directory
// THRBITS: error: qc-quantize: threshold activations take activation-bits in 2..8, got 1
// ACTCB: error: qc-quantize: activation-scheme 'codebook' is a weight scheme; activations, computed at run time, take none, uniform, binary, threshold

// Schemes a layer cannot take name the layer, its op and why.
// CFGACTCB: error: qc-quantize: {{.*}}quant-config-codebook-activations.json: layer 'fc1' (tosa.fully_connected): 'codebook16' is a weight spec: activations are computed at run time and take none, int<k>, binary, threshold<k>
// CFGWTHR: error: qc-quantize: {{.*}}quant-config-threshold-weights.json: layer 'fc2' (tosa.fully_connected): 'threshold4' is an activation spec; weights take none, auto, int<k>, uint<k>, binary, ternary, pot<k>, dorefa<k>, codebook<k>
// CFGRT: error: qc-quantize: {{.*}}quant-config-runtime-weight.json: layer 'fc_runtime' (tosa.fully_connected): weights 'int4' cannot apply: its weight is not a constant (it is computed at run time); only constant weights are quantized
// CFGQW: error: qc-quantize: {{.*}}quant-config-quantized-weight.json: layer 'fc_qonnx' (tosa.fully_connected): weights 'binary' cannot apply: its weight is already quantized in the model (a qc.dequantize); use none or auto to keep it
// CFGOP: error: qc-quantize: {{.*}}quant-config-not-a-layer.json: layer 'relu1' is a tosa.clamp, not a conv or dense layer of the model (layers: fc1, fc2, fc_runtime, fc_qonnx)
// Activations still apply to those layers, which need a calibrated range.
// CFGRTACT: error: {{.*}}qc-quantize: layer 'fc_qonnx' has no calibrated input range (qc.input_range) for its threshold activations
func.func @f(%x: tensor<1x4xf32>, %w3: tensor<2x2xf32>) -> tensor<1x2xf32> {
  %w1 = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0], [-0.75, 0.5, 1.5, -0.5]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %w2 = "tosa.const"() {value = dense<[[0.5, -1.0], [0.25, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = tosa.fully_connected %x, %w1, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc1")
  %1 = tosa.fully_connected %0, %w2, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc2")
  %2 = tosa.clamp %1 {min_fp = 0.0 : f32, max_fp = 6.0 : f32, min_int = 0 : i64, max_int = 6 : i64} : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("relu1")
  %3 = tosa.fully_connected %2, %w3, %b {qc.input_range = array<f64: 0.0, 6.0, 1.0>} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc_runtime")
  %q = qc.quantize %w2 : tensor<2x2xf32> -> tensor<2x2x!qc.binary<f32, alpha = [1.0]>>
  %w4 = qc.dequantize %q : tensor<2x2x!qc.binary<f32, alpha = [1.0]>> -> tensor<2x2xf32>
  %4 = tosa.fully_connected %3, %w4, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc_qonnx")
  return %4 : tensor<1x2xf32>
}
