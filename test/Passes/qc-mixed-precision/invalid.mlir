// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=100" 2>&1 | FileCheck %s --check-prefix=INFEASIBLE
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=250 resolution=10" 2>&1 | FileCheck %s --check-prefix=INFEASIBLE-UNITS
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 sensitivity=attr choices=binary,ternary,int8" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 sensitivity=attr choices=int8,binary" 2>&1 | FileCheck %s --check-prefix=NAN
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 sensitivity=attr choices=int8,int4" 2>&1 | FileCheck %s --check-prefix=NOTFLOAT
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 sensitivity=attr choices=int8,none" 2>&1 | FileCheck %s --check-prefix=NOATTR
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 cost=energy" 2>&1 | FileCheck %s --check-prefix=KIND
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 cost=lut" 2>&1 | FileCheck %s --check-prefix=LUT
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=-5" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=12kb" 2>&1 | FileCheck %s --check-prefix=NONNUMERIC
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=inf" 2>&1 | FileCheck %s --check-prefix=INFINITE
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision 2>&1 | FileCheck %s --check-prefix=NOBUDGET
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 choices=int9" 2>&1 | FileCheck %s --check-prefix=CHOICE
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 choices=float16" 2>&1 | FileCheck %s --check-prefix=UNKNOWN-CHOICE
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 choices=int4,int8,int4" 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 choices=int4,auto" 2>&1 | FileCheck %s --check-prefix=AUTO
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 choices=int4,binary" 2>&1 | FileCheck %s --check-prefix=PINNED
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 cost2=bops" 2>&1 | FileCheck %s --check-prefix=COST2
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 cost2=size budget2=10" 2>&1 | FileCheck %s --check-prefix=SAME
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 sensitivity=hessian" 2>&1 | FileCheck %s --check-prefix=SENS
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 cost=latency" 2>&1 | FileCheck %s --check-prefix=LATENCY
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 resolution=0" 2>&1 | FileCheck %s --check-prefix=RESOLUTION
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 cost=latency activation-bits=4 kernel-costs=%t.absent.json" 2>&1 | FileCheck %s --check-prefix=COSTS
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 isa=neon" 2>&1 | FileCheck %s --check-prefix=ISA
// RUN: not qc-opt %s -split-input-file --qc-mixed-precision="budget=1000 config-out=%t.missing/dir/x.json" 2>&1 | FileCheck %s --check-prefix=WRITE

// INFEASIBLE: error: qc-mixed-precision: the size budget of 100 bytes is infeasible: the cheapest assignment costs 388 bytes (most from fc1 pinned to int8: 160, fc3 pinned to int8: 160, fc2 at its cheapest, pot4: 68)
// INFEASIBLE-UNITS: error: qc-mixed-precision: the size budget of 250 bytes is infeasible: the cheapest assignment costs 425 bytes (most from fc1 pinned to int8: 175, fc3 pinned to int8: 175, fc2 at its cheapest, binary: 75); size costs are rounded up to 25 bytes (budget / resolution)
// MISSING: error: qc-mixed-precision: layer 'fc1', choice 'ternary': missing sensitivity (no predicted loss)
// NAN: error: qc-mixed-precision: layer 'fc2', choice 'binary': sensitivity is NaN; it must be a finite number
// NOTFLOAT: error: {{.*}}qc-mixed-precision: layer 'fc2': qc.sensitivity entry 'int4' is not a float
// NOATTR: error: {{.*}}qc-mixed-precision: layer 'fc3' has no qc.sensitivity (sensitivity=attr): missing sensitivities
// KIND: error: qc-mixed-precision: unknown cost 'energy' (size, bops, latency)
// LUT: error: qc-mixed-precision: cost 'lut': the FPGA LUT cost is not available yet (size, bops, latency)
// ZERO: error: qc-mixed-precision: budget must be positive, got 0
// NEGATIVE: error: qc-mixed-precision: budget must be positive, got -5
// NONNUMERIC: error: qc-mixed-precision: budget '12kb' is not a number
// INFINITE: error: qc-mixed-precision: budget 'inf' is not a number
// NOBUDGET: error: qc-mixed-precision: budget is required (a positive number)
// CHOICE: error: qc-mixed-precision: choices: 'int9': int<k> takes k in 2..8
// UNKNOWN-CHOICE: error: qc-mixed-precision: choices: unknown choice 'float16' (none, auto, int<k>, uint<k>, binary, ternary, pot<k>, dorefa<k>, codebook<k>)
// TWICE: error: qc-mixed-precision: choices: 'int4' is given twice
// AUTO: error: qc-mixed-precision: choice 'auto' keeps weights as trained; it has no cost or loss to weigh
// PINNED: error: qc-mixed-precision: pinned-choice 'int8' is not among the choices
// COST2: error: qc-mixed-precision: cost2 and budget2 go together
// SAME: error: qc-mixed-precision: cost2 must differ from cost ('size')
// SENS: error: qc-mixed-precision: unknown sensitivity 'hessian' (weight, attr)
// LATENCY: error: {{.*}}qc-mixed-precision: layer 'fc1' can take none of the choices with a measured latency (latency needs quantized activations, activation-bits < 32, and weights with a route in the cost table)
// RESOLUTION: error: qc-mixed-precision: resolution must be at least 1
// COSTS: error: qc-mixed-precision: kernel-costs '{{.*}}absent.json': {{.*}}
// ISA: error: qc-mixed-precision: unknown isa 'neon' (native, x86-64, avx2, avx512, avx512-vnni)
// WRITE: error: qc-mixed-precision: cannot write '{{.*}}x.json':
func.func @mlp(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %w = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0, -0.75, 0.5, 1.5, -0.5], [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8], [1.0, -1.0, 1.0, -1.0, 0.5, -0.5, 0.25, -0.25], [0.3, 0.3, -0.3, 0.9, 0.1, -0.2, 0.0, 0.4], [0.5, -1.0, 0.25, 2.0, -0.75, 0.5, 1.5, -0.5], [0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.7, -0.8], [1.0, -1.0, 1.0, -1.0, 0.5, -0.5, 0.25, -0.25], [0.3, 0.3, -0.3, 0.9, 0.1, -0.2, 0.0, 0.4]]> : tensor<8x8xf32>} : () -> tensor<8x8xf32>
  %b = "tosa.const"() {value = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %0 = tosa.fully_connected %x, %w, %b {qc.sensitivity = {binary = 1.0, int8 = 0.01, none = 0.0}} : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc1")
  %1 = tosa.fully_connected %0, %w, %b {qc.sensitivity = {binary = 0x7FC00000 : f32, int4 = "low", int8 = 0.02, none = 0.0}} : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc2")
  %2 = tosa.fully_connected %1, %w, %b {qc.sensitivity = {binary = 1.0, int8 = 0.01, none = 0.0}} : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc3")
  return %2 : tensor<1x8xf32>
}

// -----

// A layer without qc.sensitivity when sensitivity=attr.
func.func @no_sensitivity(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %w = "tosa.const"() {value = dense<0.5> : tensor<8x8xf32>} : () -> tensor<8x8xf32>
  %b = "tosa.const"() {value = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %0 = tosa.fully_connected %x, %w, %b {qc.sensitivity = {int8 = 0.0, none = 0.0}} : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc1")
  %1 = tosa.fully_connected %0, %w, %b : (tensor<1x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x8xf32> loc("fc3")
  return %1 : tensor<1x8xf32>
}
