// RUN: qc-opt %s --qc-mixed-precision="cost=latency budget=1 isa=x86-64 activation-bits=2 explain=1" 2>&1 | FileCheck %s --check-prefix=LOOSE
// RUN: qc-opt %s --qc-mixed-precision="cost=latency budget=0.031 isa=x86-64 activation-bits=2" | FileCheck %s --check-prefix=TIGHT
// RUN: not qc-opt %s --qc-mixed-precision="cost=latency budget=0.02 isa=x86-64 activation-bits=2" 2>&1 | FileCheck %s --check-prefix=INFEASIBLE
// RUN: not qc-opt %s --qc-mixed-precision="cost=latency budget=1 isa=avx512 activation-bits=1" 2>&1 | FileCheck %s --check-prefix=PIN

// cost=latency: microseconds of the route the kernel picker takes at the
// isa level, from the built-in cost table, for 64 MACs a layer at 2-bit
// activations. At x86-64, bit-serial is cheapest for binary (2 planes x
// 0.019625 ns) and int2 (4 planes), ternary masks next (4 units x
// 0.019311 ns); int4, int8 and pot4 run on the integer MAC (0.198153 ns a
// MAC). Codebook and float weights have no route the table measures and
// are not offered.

// LOOSE: remark: {{.*}}fc1: int8 (pinned); candidates: binary (latency 0.002512 us, loss 0.1335) ternary (latency 0.00494362 us, loss 0.08608) pot4 (latency 0.0126818 us, loss 0.01402) int2 (latency 0.005024 us, loss 0.1303) int4 (latency 0.0126818 us, loss 0.002659) int8 (latency 0.0126818 us, loss 8.079e-06){{$}}
// LOOSE: remark: {{.*}}fc2: int8;
// LOOSE: remark: {{.*}}fc3: int8;
// LOOSE: remark: {{.*}}fc4: int8 (pinned)

// 0.031 us: the pinned layers take 2 x 0.012682, which leaves 0.005636
// for the two others: binary both.
// TIGHT-LABEL: func.func @mlp
// TIGHT: tosa.fully_connected {{.*}}qc.precision = "int8"
// TIGHT: tosa.fully_connected {{.*}}qc.precision = "binary"
// TIGHT: tosa.fully_connected {{.*}}qc.precision = "binary"
// TIGHT: tosa.fully_connected {{.*}}qc.precision = "int8"

// INFEASIBLE: error: qc-mixed-precision: the latency budget of 0.02 us is infeasible: the cheapest assignment costs 0.0303876 us (most from fc1 pinned to int8: 0.0126818, fc4 pinned to int8: 0.0126818, fc2 at its cheapest, binary: 0.002512, fc3 at its cheapest, binary: 0.002512); latency costs are rounded up to 2e-07 us (budget / resolution)
// With 1-bit activations only binary weights have a measured route (XNOR),
// so the pinned layers cannot take int8.
// PIN: error: qc-mixed-precision: layer 'fc1' is pinned to 'int8', which it cannot take (its choices: binary)
func.func @mlp(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %w = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0, -0.75, 0.5, 1.5, -0.5], [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8], [1.0, -1.0, 1.0, -1.0, 0.5, -0.5, 0.25, -0.25], [0.3, 0.3, -0.3, 0.9, 0.1, -0.2, 0.0, 0.4], [0.5, -1.0, 0.25, 2.0, -0.75, 0.5, 1.5, -0.5], [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8], [1.0, -1.0, 1.0, -1.0, 0.5, -0.5, 0.25, -0.25], [0.3, 0.3, -0.3, 0.9, 0.1, -0.2, 0.0, 0.4]]> : tensor<8x8xf32>} : () -> tensor<8x8xf32>
  %b = "tosa.const"() {value = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %0 = tosa.fully_connected %x, %w, %b : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc1")
  %1 = tosa.fully_connected %0, %w, %b : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc2")
  %2 = tosa.fully_connected %1, %w, %b : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc3")
  %3 = tosa.fully_connected %2, %w, %b : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc4")
  return %3 : tensor<1x8xf32>
}
