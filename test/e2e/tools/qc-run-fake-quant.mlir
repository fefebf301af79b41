// RUN: %python %S/Inputs/fake_quant_reference.py %t
// RUN: qc-run %s --input %t.x.npy --output %t.binary.npy --output %t.ternary.npy --output %t.pot.npy --output %t.codebook.npy --output %t.uniform.npy
// RUN: %python %S/../../lib/compare_npy.py %t.binary.npy %t.binary.ref.npy
// RUN: %python %S/../../lib/compare_npy.py %t.ternary.npy %t.ternary.ref.npy
// RUN: %python %S/../../lib/compare_npy.py %t.pot.npy %t.pot.ref.npy
// RUN: %python %S/../../lib/compare_npy.py %t.codebook.npy %t.codebook.ref.npy
// RUN: %python %S/../../lib/compare_npy.py %t.uniform.npy %t.uniform.ref.npy

// The float reference of every quantized type (convert-qc-to-linalg, run by
// qc-run) equals numpy's evaluation of the type's definition exactly, on
// values chosen to sit on ties and level boundaries, per tensor and per
// axis.

!binary = !qc.binary<f32, alpha = [0.5, 2.0, 0.5, 2.0, 0.5, 2.0, 0.5, 2.0], axis = 1>
!ternary = !qc.ternary<f32, alpha_n = [0.3], alpha_p = [0.4], delta = [0.25]>
!pot = !qc.pot<f32, scale = [1.0], emin = -3, emax = 1>
!codebook = !qc.codebook<f32, bits = 2, centroids = dense<[-1.0, -0.25, 0.5]> : tensor<3xf64>>
!uniform = !quant.uniform<i8:f32:1, {0.25:3, 0.5:-2, 0.25:3, 0.5:-2, 0.25:3, 0.5:-2, 0.25:3, 0.5:-2}>

func.func @main(%x: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>) {
  %b = qc.quantize %x : tensor<?x8xf32> -> tensor<?x8x!binary>
  %bd = qc.dequantize %b : tensor<?x8x!binary> -> tensor<?x8xf32>
  %t = qc.quantize %x : tensor<?x8xf32> -> tensor<?x8x!ternary>
  %td = qc.dequantize %t : tensor<?x8x!ternary> -> tensor<?x8xf32>
  %p = qc.quantize %x : tensor<?x8xf32> -> tensor<?x8x!pot>
  %pd = qc.dequantize %p : tensor<?x8x!pot> -> tensor<?x8xf32>
  %c = qc.quantize %x : tensor<?x8xf32> -> tensor<?x8x!codebook>
  %cd = qc.dequantize %c : tensor<?x8x!codebook> -> tensor<?x8xf32>
  %u = qc.quantize %x : tensor<?x8xf32> -> tensor<?x8x!uniform>
  %ud = qc.dequantize %u : tensor<?x8x!uniform> -> tensor<?x8xf32>
  return %bd, %td, %pd, %cd, %ud : tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>
}
