// RUN: qc-opt %s -qc-hls-fold | FileCheck %s --check-prefix=ONES
// RUN: qc-opt %s -qc-hls-fold="target-fps=10000 clock-mhz=100" | FileCheck %s --check-prefix=FPS
// RUN: qc-opt %s -qc-hls-fold="folding=%S/Inputs/folding.json" | FileCheck %s --check-prefix=FILE
// RUN: qc-opt %s -qc-hls-fold="folding=%S/Inputs/folding.json target-fps=10000" | FileCheck %s --check-prefix=BOTH
// RUN: qc-opt %s -qc-hls-fold="lut-budget=1000000" | FileCheck %s --check-prefix=LUT

// The binary LeNet-5's second convolution (MH = 16 filters, MW = 5 x 5 x 6,
// 100 output pixels) and first dense layer (MH = 120, MW = 400).
// At 10,000 images/s and 100 MHz a layer may take 10,000 cycles per image:
// the convolution takes 16 * 150 * 100 = 240,000 at PE = SIMD = 1; SIMD
// walks 2, 3, 6 (the divisors of its 6 channels: 40,000 cycles), then PE 2
// (20,000) and 4 (10,000). The dense layer takes 48,000; SIMD 5, the first
// divisor of 400 with 120 * 400 / SIMD <= 10,000, gives 9,600.

// ONES-LABEL: func @lenet
// ONES: qc.xnor_popcount {{.*}}qc.hls.pe = 1 : i64, qc.hls.simd = 1 : i64
// ONES: qc.xnor_popcount {{.*}}qc.hls.pe = 1 : i64, qc.hls.simd = 1 : i64
// FPS-LABEL: func @lenet
// FPS: qc.xnor_popcount {{.*}}qc.hls.pe = 4 : i64, qc.hls.simd = 6 : i64
// FPS: qc.xnor_popcount {{.*}}qc.hls.pe = 1 : i64, qc.hls.simd = 5 : i64
// The file sets the convolution only; the dense layer keeps 1 x 1, or
// walks to the target with one.
// FILE-LABEL: func @lenet
// FILE: qc.xnor_popcount {{.*}}qc.hls.pe = 8 : i64, qc.hls.simd = 3 : i64
// FILE: qc.xnor_popcount {{.*}}qc.hls.pe = 1 : i64, qc.hls.simd = 1 : i64
// BOTH-LABEL: func @lenet
// BOTH: qc.xnor_popcount {{.*}}qc.hls.pe = 8 : i64, qc.hls.simd = 3 : i64
// BOTH: qc.xnor_popcount {{.*}}qc.hls.pe = 1 : i64, qc.hls.simd = 5 : i64
// With a budget that never binds, the slowest layer steps until it cannot:
// the convolution reaches PE 16, SIMD 6 (its sliding window then takes
// 14 * 5 + 10 * 250 = 2,570 cycles), and the dense layer steps while it is
// the slower one, to SIMD 20 (120 * 400 / 20 = 2,400 < 2,570; SIMD 16 gives
// 3,000).
// LUT-LABEL: func @lenet
// LUT: qc.xnor_popcount {{.*}}qc.hls.pe = 16 : i64, qc.hls.simd = 6 : i64
// LUT: qc.xnor_popcount {{.*}}qc.hls.pe = 1 : i64, qc.hls.simd = 20 : i64
func.func @lenet(%a: tensor<?x14x14x1xi8>, %m: tensor<?x14x14x1xi8>, %w: tensor<16x5x5x1xi8>, %d: tensor<?x25xi16>, %dm: tensor<?x25xi16>, %v: tensor<120x25xi16>) -> (tensor<?x10x10x16xi16>, tensor<?x120xi16>) {
  %0 = qc.xnor_popcount %a, %w mask %m {conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>, depth = 6 : i64} : tensor<?x14x14x1xi8>, tensor<16x5x5x1xi8>, tensor<?x14x14x1xi8> -> tensor<?x10x10x16xi16> loc("/conv2/Conv")
  %1 = qc.xnor_popcount %d, %v mask %dm {depth = 400 : i64} : tensor<?x25xi16>, tensor<120x25xi16>, tensor<?x25xi16> -> tensor<?x120xi16> loc("/fc1/Gemm")
  return %0, %1 : tensor<?x10x10x16xi16>, tensor<?x120xi16>
}
