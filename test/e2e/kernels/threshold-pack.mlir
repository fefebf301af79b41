// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np, sys; np.save(sys.argv[1], np.random.default_rng(11).integers(-40, 41, (2, 7, 6, 40)).astype(np.float32))" %t/x.npy
// RUN: qc-opt %s -qc-fuse -o %t/fused.mlir
// RUN: FileCheck %s < %t/fused.mlir
// RUN: qc-opt %t/fused.mlir --qc-cpu-pipeline | FileCheck %s --check-prefix=CALLS
// RUN: qc-run %s --input %t/x.npy --output %t/reference.npy
// RUN: qc-run %t/fused.mlir --input %t/x.npy --output %t/fused.npy
// RUN: qc-run %t/fused.mlir --ukernels=false --input %t/x.npy --output %t/loops.npy
// RUN: env QC_ISA_CAP=x86-64 qc-run %t/fused.mlir --input %t/x.npy --output %t/portable.npy
// RUN: %python %s.py %t/x.npy %t/reference.npy %t/fused.npy %t/loops.npy %t/portable.npy

// Ternary (Sign) activations of integer sums, max-pooled and packed for the
// next binary layer: qc-fuse pools the i16 sums and packs the signs and
// the nonzero mask straight from them with qc.threshold_pack, whose float
// thresholds become integers (ceil). The unfused program, the fused one on
// the runtime's kernels (AVX-512 where the CPU has it, and the portable
// loops under the x86-64 cap) and on linalg loops are all checked against
// numpy (threshold-pack.mlir.py). 40 channels leave a tail word of 8;
// thresholds hit integers exactly, lie between them, are -inf/+inf/equal,
// and come in descending order in one channel.

// CHECK-LABEL: func.func @main
// CHECK-DAG: %[[T:.*]] = "tosa.const"() <{value = dense<{{.*}}> : tensor<40x2xi32>}>
// CHECK: %[[P:.*]] = tosa.max_pool2d %{{.*}} {kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 0, 1>, stride = array<i64: 2, 2>} : (tensor<2x7x6x40xi16>) -> tensor<2x4x3x40xi16>
// CHECK-DAG: qc.threshold_pack %[[P]], %[[T]] : tensor<2x4x3x40xi16>, tensor<40x2xi32> -> tensor<2x4x3x2xi32>
// CHECK-DAG: qc.threshold_pack %[[P]], %[[T]] {nonzero} : tensor<2x4x3x40xi16>, tensor<40x2xi32> -> tensor<2x4x3x2xi32>
// CHECK-NOT: qc.multi_threshold
// CHECK-NOT: qc.bitpack

// Both steps run on the runtime's kernels, one call for the pool and one
// per plane.
// CALLS-COUNT-1: llvm.call @qc_rt_max_pool2d_i16(
// CALLS-NOT: llvm.call @qc_rt_max_pool2d_i16(
// CALLS-COUNT-2: llvm.call @qc_rt_threshold_pack_i16(
// CALLS-NOT: llvm.call @qc_rt_threshold_pack_i16(

!sign = !qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>

func.func @main(%x: tensor<2x7x6x40xf32>) -> tensor<2x4x3x4xi32> {
  %acc = tosa.cast %x : (tensor<2x7x6x40xf32>) -> tensor<2x7x6x40xi16>
  %f = tosa.cast %acc : (tensor<2x7x6x40xi16>) -> tensor<2x7x6x40xf32>
  %p = tosa.max_pool2d %f {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 0, 1>} : (tensor<2x7x6x40xf32>) -> tensor<2x4x3x40xf32>
  %t = "tosa.const"() {value = dense<[[-3.0, 4.0], [0.5, 0.5], [0xFF800000, 2.0], [-1.5, 0x7F800000], [10.0, 10.0], [20.25, 30.75], [-30.0, -29.5], [5.0, -5.0], [0.0, 1.0], [-0.5, 0.5], [33.0, 34.0], [-8.0, 8.0], [1.0, 2.0], [2.0, 3.0], [3.0, 4.0], [4.0, 5.0], [-4.0, -3.0], [-5.0, 6.0], [6.5, 7.5], [-7.5, 0.25], [0.0, 0.0], [1.0, 1.0], [-1.0, -1.0], [12.0, 15.0], [-12.0, 15.0], [25.0, 26.0], [-25.0, 26.0], [0xFF800000, 0x7F800000], [0xFF800000, 0xFF800000], [0x7F800000, 0x7F800000], [2.5, 3.5], [-2.5, -1.5], [9.0, 11.0], [-9.0, -11.0], [14.0, 40.0], [-40.0, 14.0], [7.0, 7.5], [-7.0, 7.0], [3.25, 3.75], [0.75, 36.0]]> : tensor<40x2xf32>} : () -> tensor<40x2xf32>
  %m = qc.multi_threshold %p, %t {out_bias = -1.0 : f64} : tensor<2x4x3x40xf32>, tensor<40x2xf32> -> tensor<2x4x3x40xf32>
  %q = qc.quantize %m : tensor<2x4x3x40xf32> -> tensor<2x4x3x40x!sign>
  %d = qc.dequantize %q : tensor<2x4x3x40x!sign> -> tensor<2x4x3x40xf32>
  %s = qc.bitpack %d : tensor<2x4x3x40xf32> -> tensor<2x4x3x2xi32>
  %z = qc.bitpack %d {nonzero} : tensor<2x4x3x40xf32> -> tensor<2x4x3x2xi32>
  %w = tosa.concat %s, %z {axis = 3 : i32} : (tensor<2x4x3x2xi32>, tensor<2x4x3x2xi32>) -> tensor<2x4x3x4xi32>
  return %w : tensor<2x4x3x4xi32>
}
