// Every illegal folding is an error that names the layer, the value and
// the legal ones; nothing is replaced by a legal value.
// RUN: not qc-opt %s -qc-hls-fold="folding=%S/Inputs/bad-pe.json" 2>&1 | FileCheck %s --check-prefix=PE
// RUN: not qc-opt %s -qc-hls-fold="folding=%S/Inputs/bad-simd.json" 2>&1 | FileCheck %s --check-prefix=SIMD
// RUN: not qc-opt %s -qc-hls-fold="folding=%S/Inputs/unknown-layer.json" 2>&1 | FileCheck %s --check-prefix=NAME
// RUN: not qc-opt %s -qc-hls-fold="folding=%S/Inputs/wide.json max-stream-bits=8" 2>&1 | FileCheck %s --check-prefix=WIDE
// RUN: not qc-opt %s -qc-hls-fold="folding=%S/Inputs/unknown-key.json" 2>&1 | FileCheck %s --check-prefix=KEY
// RUN: not qc-opt %s -qc-hls-fold="folding=%S/Inputs/zero.json" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not qc-opt %s -qc-hls-fold="folding=%S/Inputs/broken.json" 2>&1 | FileCheck %s --check-prefix=JSON
// RUN: not qc-opt %s -qc-hls-fold="folding=%S/Inputs/missing.json" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not qc-opt %s -qc-hls-fold="target-fps=1000000" 2>&1 | FileCheck %s --check-prefix=FPS
// RUN: not qc-opt %s -qc-hls-fold="folding=%S/Inputs/bad-simd.json target-fps=100000" 2>&1 | FileCheck %s --check-prefix=SIMD
// RUN: not qc-opt %s -qc-hls-fold="lut-budget=100" 2>&1 | FileCheck %s --check-prefix=LUT
// RUN: not qc-opt %s -qc-hls-fold="clock-mhz=0" 2>&1 | FileCheck %s --check-prefix=CLOCK

// PE: layer '/conv2/Conv': PE 3 does not divide its 16 outputs; legal: 1, 2, 4, 8, 16
// SIMD: layer '/conv2/Conv': SIMD 4 does not divide its 6 input channels; legal: 1, 2, 3, 6
// NAME: layer '/conv9/Conv' is not a layer of the model; its FPGA layers are: /conv2/Conv, /fc1/Gemm
// The dense layer's activations are ternary: 2 bits each.
// WIDE: layer '/fc1/Gemm': SIMD 5 makes its input stream 10 bits wide, above max-stream-bits = 8
// KEY: layer '/fc1/Gemm': unknown key 'lanes' (expected pe and simd)
// ZERO: layer '/fc1/Gemm': pe must be a positive integer
// JSON: broken.json: not valid JSON
// MISSING: missing.json: cannot read
// At the convolution's fastest folding (PE 16, SIMD 6) its MVAU takes
// 16/16 * 150/6 * 100 = 2,500 cycles and its sliding window 14 * 5 * 6/6 +
// 10 * max(10 * 25 * 6/6, 1 * 14 * 6/6) = 2,570: above the 100 cycles
// that 10^6 images/s at 100 MHz allow.
// FPS: layer '/conv2/Conv' cannot reach 1e+06 images/s at 100 MHz (at most 100 cycles per image): its fastest legal folding, PE 16 SIMD 6, takes 2570 cycles
// LUT: the LUT budget 100 is below the {{[0-9]+}} LUTs the network needs at its smallest folding
// CLOCK: clock-mhz and max-stream-bits must be positive
func.func @lenet(%a: tensor<?x14x14x1xi8>, %m: tensor<?x14x14x1xi8>, %w: tensor<16x5x5x1xi8>, %d: tensor<?x25xi16>, %dm: tensor<?x25xi16>, %v: tensor<120x25xi16>) -> (tensor<?x10x10x16xi16>, tensor<?x120xi16>) {
  %0 = qc.xnor_popcount %a, %w mask %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>, depth = 6 : i64} : tensor<?x14x14x1xi8>, tensor<16x5x5x1xi8>, tensor<?x14x14x1xi8> -> tensor<?x10x10x16xi16> loc("/conv2/Conv")
  %1 = qc.xnor_popcount %d, %v mask %dm {depth = 400 : i64} : tensor<?x25xi16>, tensor<120x25xi16>, tensor<?x25xi16> -> tensor<?x120xi16> loc("/fc1/Gemm")
  return %0, %1 : tensor<?x10x10x16xi16>, tensor<?x120xi16>
}
