// RUN: qc-opt %s --qc-quantize="weight-scheme=uniform weight-bits=2 activation-scheme=uniform activation-bits=2 quantize-first-last=1" -qc-lower-macs="explain isa=avx2 kernel-costs=%S/Inputs/costs.json" -verify-diagnostics -split-input-file -o /dev/null
// RUN: qc-opt %s --qc-quantize="weight-scheme=uniform weight-bits=2 activation-scheme=uniform activation-bits=2 quantize-first-last=1" -qc-lower-macs="isa=avx512-vnni kernel-costs=%S/Inputs/costs.json" | FileCheck %s --check-prefix=VNNI
// RUN: qc-opt %s --qc-quantize="weight-scheme=uniform weight-bits=2 activation-scheme=uniform activation-bits=2 quantize-first-last=1" -qc-lower-macs="isa=avx512-vnni kernel-costs=%S/Inputs/costs.json route=bitserial" | FileCheck %s --check-prefix=FORCED
// RUN: qc-opt %s --qc-quantize="weight-scheme=uniform weight-bits=2 activation-scheme=uniform activation-bits=2 quantize-first-last=1" -qc-lower-macs="isa=avx512 kernel-costs=%S/Inputs/costs.json" | FileCheck %s --check-prefix=MISSING
// RUN: not qc-opt %s -qc-lower-macs="route=simd" 2>&1 | FileCheck %s --check-prefix=BAD-ROUTE
// RUN: not qc-opt %s -qc-lower-macs="isa=avx1024" 2>&1 | FileCheck %s --check-prefix=BAD-ISA
// RUN: not qc-opt %s -qc-lower-macs="kernel-costs=%S/Inputs/no-such.json" 2>&1 | FileCheck %s --check-prefix=NO-TABLE
// RUN: not qc-opt %s -qc-lower-macs="kernel-costs=%S/Inputs/negative-cost.json" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not qc-opt %s -qc-lower-macs="kernel-costs=%S/Inputs/unknown-level.json" 2>&1 | FileCheck %s --check-prefix=LEVEL

// The kernel picker on a 2-bit x 2-bit layer (activation planes 2, weight
// planes 2), K = 4 products per output, 3 x 3 outputs x 2 channels: 72 MACs
// per image. The bit-serial route spends 72 x 2 x 2 = 288 units, the integer
// MAC 72. With the test table, at avx2: bit-serial 288 x 0.01 ns = 2.9 ns,
// integer 72 x 0.1 ns = 7.2 ns, so bit-serial; at avx512-vnni integer 72 x
// 0.02 = 1.4 ns wins. A forced route wins wherever the layer has it; a level
// the table lacks keeps the specialized kernel.

// VNNI-NOT: qc.bitserial_popcount
// VNNI: linalg.conv_2d_nhwc_fhwc
// FORCED: qc.bitserial_popcount
// MISSING: qc.bitserial_popcount
// BAD-ROUTE: qc-lower-macs: unknown route 'simd' (auto, xnor, integer, bitserial, ternary, shift)
// BAD-ISA: qc-lower-macs: unknown isa 'avx1024' (native, x86-64, avx2, avx512, avx512-vnni)
// NO-TABLE: qc-lower-macs: cost table '{{.*}}no-such.json': {{.*}}o such file or directory
// NEGATIVE: cost of "bitserial" at "avx2" must be a positive number of nanoseconds
// LEVEL: unknown instruction-set level "sse9" (expected x86-64, avx2, avx512 or avx512-vnni)

func.func @conv(%x: tensor<?x4x4x1xf32>, %b: tensor<2xf32>) -> tensor<?x3x3x2xf32> {
  %w = "tosa.const"() {value = dense<[[[[1.0], [-1.0]], [[0.5], [1.0]]], [[[-1.0], [1.0]], [[1.0], [0.0]]]]> : tensor<2x2x2x1xf32>} : () -> tensor<2x2x2x1xf32>
  // expected-remark-re @+1 {{kernel: bit-serial AND-popcount ({{.*}}costs.json at avx2: bitserial 0.003 us, integer 0.007 us)}}
  %y = tosa.conv2d %x, %w, %b {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, qc.input_range = array<f64: 0.0, 3.0, 1.0>} : (tensor<?x4x4x1xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>) -> tensor<?x3x3x2xf32>
  return %y : tensor<?x3x3x2xf32>
}
