// RUN: qc-opt %s --qc-mixed-precision="budget=100000 choices=binary,ternary,int2,int4,int8,none explain=1" 2>&1 | FileCheck %s
// RUN: qc-opt %s --qc-mixed-precision="budget=100000 choices=binary,ternary,int2,int4,int8,none config-out=%t.json pareto-json=%t.pareto.json pareto-svg=%t.svg" -o /dev/null
// RUN: qc-opt %s --qc-mixed-precision="budget=100000 choices=binary,ternary,int2,int4,int8,none config-out=%t2.json pareto-json=%t2.pareto.json pareto-svg=%t2.svg" -o /dev/null
// RUN: qc-opt %s --qc-mixed-precision="budget=100000" | FileCheck %s --check-prefix=DEFAULT
// RUN: FileCheck %s --check-prefix=CONFIG < %t.json
// RUN: FileCheck %s --check-prefix=PARETO < %t.pareto.json
// RUN: FileCheck %s --check-prefix=SVG < %t.svg
// RUN: diff %t.json %t2.json
// RUN: diff %t.pareto.json %t2.pareto.json
// RUN: diff %t.svg %t2.svg
// RUN: qc-opt %s --qc-quantize="config=%t.json" | FileCheck %s --check-prefix=QUANT

// sensitivity=weight: the loss of a choice is the mean squared error it
// makes on the layer's weights. fc2's weights are +-0.5 (every scheme
// holds them exactly, binary in the fewest bytes), fc3's are -0.5, 0 and
// 0.5 (binary cannot hold the zeros, error ((0.5 - 0.3125)^2 x 5 + 0.3125^2
// x 3) / 8 = 0.05859; ternary can, in as few bytes as int2 and listed
// first); fc1 and fc4 are pinned to int8. With room for all, each free
// layer takes the cheapest exact choice, never float. Among the default
// choices that is pot4, whose one per-layer scale takes fewer bytes than
// per-channel alphas.

// CHECK: remark: {{.*}}qc-mixed-precision: fc1: int8 (pinned); candidates: binary (size 72 bytes, loss 0.1335) ternary (size 112 bytes, loss 0.08608) int2 (size 112 bytes, loss 0.1303) int4 (size 128 bytes, loss 0.002659) int8 (size 160 bytes, loss 8.079e-06) none (size 288 bytes, loss 0)
// CHECK: remark: {{.*}}qc-mixed-precision: fc2: binary; candidates: binary (size 72 bytes, loss 0) ternary
// CHECK: remark: {{.*}}qc-mixed-precision: fc3: ternary; candidates: binary (size 72 bytes, loss 0.05859) ternary (size 112 bytes, loss 0) int2 (size 112 bytes, loss 0)
// CHECK: remark: {{.*}}qc-mixed-precision: fc4: int8 (pinned)
// DEFAULT: tosa.fully_connected {{.*}}qc.precision = "int8"
// DEFAULT: tosa.fully_connected {{.*}}qc.precision = "pot4"
// DEFAULT: tosa.fully_connected {{.*}}qc.precision = "pot4"
// DEFAULT: tosa.fully_connected {{.*}}qc.precision = "int8"

// The config qc-quantize reads back, one entry per layer.
// CONFIG:      {
// CONFIG-NEXT:   "layers": {
// CONFIG-NEXT:     "fc1": {
// CONFIG-NEXT:       "weights": "int8"
// CONFIG-NEXT:     },
// CONFIG-NEXT:     "fc2": {
// CONFIG-NEXT:       "weights": "binary"
// CONFIG-NEXT:     },
// CONFIG-NEXT:     "fc3": {
// CONFIG-NEXT:       "weights": "ternary"
// CONFIG-NEXT:     },
// CONFIG-NEXT:     "fc4": {
// CONFIG-NEXT:       "weights": "int8"
// CONFIG-NEXT:     }
// CONFIG-NEXT:   }
// CONFIG-NEXT: }

// PARETO: "cost_kind": "size",
// PARETO: "cost_unit": "bytes",
// PARETO: "budget": 100000,
// PARETO: "frontier": [
// PARETO: "uniform": [
// PARETO: "label": "binary",
// PARETO: "label": "int8",
// PARETO: "chosen": {
// PARETO-NEXT: "label": "chosen",

// SVG: <svg xmlns="http://www.w3.org/2000/svg"
// SVG: >size (bytes)</text>
// SVG: >predicted loss (weight quantization MSE)</text>
// SVG: <g class="frontier"
// SVG: <g class="uniform"
// SVG: <g class="chosen">
// SVG: </svg>

// QUANT-LABEL: func.func @mlp
// QUANT: qc.constant {{.*}}!quant.uniform<i8
// QUANT: qc.constant {{.*}}!qc.binary
// QUANT: qc.constant {{.*}}!qc.ternary
// QUANT: qc.constant {{.*}}!quant.uniform<i8
func.func @mlp(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %w = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0, -0.75, 0.5, 1.5, -0.5], [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8], [1.0, -1.0, 1.0, -1.0, 0.5, -0.5, 0.25, -0.25], [0.3, 0.3, -0.3, 0.9, 0.1, -0.2, 0.0, 0.4], [0.5, -1.0, 0.25, 2.0, -0.75, 0.5, 1.5, -0.5], [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8], [1.0, -1.0, 1.0, -1.0, 0.5, -0.5, 0.25, -0.25], [0.3, 0.3, -0.3, 0.9, 0.1, -0.2, 0.0, 0.4]]> : tensor<8x8xf32>} : () -> tensor<8x8xf32>
  %wb = "tosa.const"() {value = dense<[[0.5, -0.5, 0.5, 0.5, -0.5, 0.5, 0.5, -0.5], [-0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 0.5, -0.5], [0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5], [0.5, 0.5, -0.5, 0.5, 0.5, -0.5, -0.5, 0.5], [0.5, -0.5, 0.5, 0.5, -0.5, 0.5, 0.5, -0.5], [-0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 0.5, -0.5], [0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5], [0.5, 0.5, -0.5, 0.5, 0.5, -0.5, -0.5, 0.5]]> : tensor<8x8xf32>} : () -> tensor<8x8xf32>
  %wt = "tosa.const"() {value = dense<[[0.5, 0.0, -0.5, 0.5, 0.0, 0.5, -0.5, 0.0], [0.0, 0.5, -0.5, 0.0, 0.5, 0.5, 0.0, -0.5], [0.5, -0.5, 0.0, 0.0, 0.5, -0.5, 0.0, 0.5], [0.0, 0.0, 0.5, -0.5, 0.5, 0.0, -0.5, 0.5], [0.5, 0.0, -0.5, 0.5, 0.0, 0.5, -0.5, 0.0], [0.0, 0.5, -0.5, 0.0, 0.5, 0.5, 0.0, -0.5], [0.5, -0.5, 0.0, 0.0, 0.5, -0.5, 0.0, 0.5], [0.0, 0.0, 0.5, -0.5, 0.5, 0.0, -0.5, 0.5]]> : tensor<8x8xf32>} : () -> tensor<8x8xf32>
  %b = "tosa.const"() {value = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %0 = tosa.fully_connected %x, %w, %b : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc1")
  %1 = tosa.fully_connected %0, %wb, %b : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc2")
  %2 = tosa.fully_connected %1, %wt, %b : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc3")
  %3 = tosa.fully_connected %2, %w, %b : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc4")
  return %3 : tensor<1x8xf32>
}
