// RUN: qc-opt %s -split-input-file -convert-qc-to-linalg -verify-diagnostics | FileCheck %s

// qc.bitpack and qc.xnor_popcount lower to linalg on tensors. The numbers
// they compute are checked against numpy in test/e2e/xnor-kernels.test.

// Signs: the innermost axis is padded with +0.0 to whole words, split into
// (word, bit), and or-reduced over the bit loop; the batch stays dynamic.
// CHECK-LABEL: func.func @bitpack
// CHECK-SAME: (%[[X:.*]]: tensor<?x40xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0] high[0, 24]
// CHECK: tensor.yield %[[ZERO]] : f32
// CHECK: } : tensor<?x40xf32> to tensor<?x64xf32>
// CHECK: %[[N:.*]] = tensor.dim %[[PAD]], %{{.*}} : tensor<?x64xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[N]]) : tensor<?x2xi32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%[[EMPTY]] : tensor<?x2xi32>)
// CHECK: %[[SPLIT:.*]] = tensor.expand_shape %[[PAD]] {{\[\[}}0], [1, 2]] output_shape [%[[N]], 2, 32] : tensor<?x64xf32> into tensor<?x2x32xf32>
// CHECK: %[[P:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%[[SPLIT]] : tensor<?x2x32xf32>) outs(%[[INIT]] : tensor<?x2xi32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[WORD:.*]]: i32):
// CHECK: %[[NEG:.*]] = arith.cmpf olt, %[[IN]], %{{.*}} : f32
// CHECK: %[[BIT:.*]] = arith.extui %[[NEG]] : i1 to i32
// CHECK: %[[T:.*]] = linalg.index 2 : index
// CHECK: %[[T32:.*]] = arith.index_castui %[[T]] : index to i32
// CHECK: %[[SHIFTED:.*]] = arith.shli %[[BIT]], %[[T32]] : i32
// CHECK: %[[OR:.*]] = arith.ori %[[WORD]], %[[SHIFTED]] : i32
// CHECK: linalg.yield %[[OR]] : i32
// CHECK: return %[[P]]
// CHECK-NOT: qc.
func.func @bitpack(%x: tensor<?x40xf32>) -> tensor<?x2xi32> {
  %p = qc.bitpack %x : tensor<?x40xf32> -> tensor<?x2xi32>
  return %p : tensor<?x2xi32>
}

// -----

// The mask plane tests "neither zero nor NaN" (ordered not-equal); whole
// words need no padding.
// CHECK-LABEL: func.func @bitpack_nonzero
// CHECK-NOT: tensor.pad
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] output_shape [2, 3, 1, 64] : tensor<2x3x64xf16> into tensor<2x3x1x64xf16>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK: arith.cmpf one, %{{.*}}, %{{.*}} : f16
// CHECK: arith.extui %{{.*}} : i1 to i64
// CHECK: linalg.index 3 : index
// CHECK: arith.shli
// CHECK: arith.ori
// CHECK-NOT: qc.
func.func @bitpack_nonzero(%x: tensor<2x3x64xf16>) -> tensor<2x3x1xi64> {
  %p = qc.bitpack %x {nonzero} : tensor<2x3x64xf16> -> tensor<2x3x1xi64>
  return %p : tensor<2x3x1xi64>
}

// -----

// A binary tensor is packed from its float values (+-alpha).
// CHECK-LABEL: func.func @bitpack_binary
// CHECK-SAME: (%[[X:.*]]: tensor<4x33xf32>) -> tensor<4x2xi32>
// CHECK: tensor.pad %[[X]] low[0, 0] high[0, 31]
// CHECK: arith.cmpf olt
// CHECK-NOT: qc.
func.func @bitpack_binary(%x: tensor<4x33x!qc.binary<f32, alpha = [0.5]>>) -> tensor<4x2xi32> {
  %p = qc.bitpack %x : tensor<4x33x!qc.binary<f32, alpha = [0.5]>> -> tensor<4x2xi32>
  return %p : tensor<4x2xi32>
}

// -----

// Dense: the accumulator starts at depth and every word subtracts twice
// the popcount of its mismatches, reduced over the word loop.
// CHECK-DAG: #[[$MAP_NW:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$MAP_MW:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$MAP_NM:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @xnor_dense
// CHECK-SAME: (%[[A:.*]]: tensor<?x2xi32>, %[[W:.*]]: tensor<3x2xi32>)
// CHECK: %[[N:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<?x2xi32>
// CHECK: %[[DEPTH:.*]] = arith.constant 40 : i32
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[N]]) : tensor<?x3xi32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[DEPTH]] : i32) outs(%[[EMPTY]] : tensor<?x3xi32>)
// CHECK: %[[ACC:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$MAP_NW]], #[[$MAP_MW]], #[[$MAP_NM]]],
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%[[A]], %[[W]] : tensor<?x2xi32>, tensor<3x2xi32>) outs(%[[INIT]] : tensor<?x3xi32>)
// CHECK: ^bb0(%[[X:.*]]: i32, %[[Y:.*]]: i32, %[[OUT:.*]]: i32):
// CHECK: %[[XOR:.*]] = arith.xori %[[X]], %[[Y]] : i32
// CHECK: %[[POP:.*]] = math.ctpop %[[XOR]] : i32
// CHECK: %[[TWICE:.*]] = arith.muli %[[POP]], %{{.*}} : i32
// CHECK: %[[SUB:.*]] = arith.subi %[[OUT]], %[[TWICE]] : i32
// CHECK: linalg.yield %[[SUB]] : i32
// CHECK: return %[[ACC]]
// CHECK-NOT: qc.
func.func @xnor_dense(%a: tensor<?x2xi32>, %w: tensor<3x2xi32>) -> tensor<?x3xi32> {
  %r = qc.xnor_popcount %a, %w {depth = 40 : i64} : tensor<?x2xi32>, tensor<3x2xi32> -> tensor<?x3xi32>
  return %r : tensor<?x3xi32>
}

// -----

// One-padding: zero words padded in, no correction; the constant part is
// depth * KH * KW = 6 * 9; strides and dilation in the input map; popcounts
// of i64 words truncated to the i16 accumulator. Loops (n, oh, ow, kh, kw,
// word, o): the output channels innermost, over weights transposed to
// KH x KW x words x O.
// CHECK-DAG: #[[$MAP_IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d3 * 3, d2 + d4 * 2, d5)>
// CHECK-DAG: #[[$MAP_W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d3, d4, d5, d6)>
// CHECK-DAG: #[[$MAP_OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d6)>
// CHECK-LABEL: func.func @xnor_conv_one_padding
// CHECK-SAME: (%[[A:.*]]: tensor<?x6x5x1xi64>, %[[W:.*]]: tensor<4x3x3x1xi64>)
// CHECK: %[[PAD:.*]] = tensor.pad %[[A]] low[0, 2, 1, 0] high[0, 1, 2, 0]
// CHECK: } : tensor<?x6x5x1xi64> to tensor<?x9x8x1xi64>
// CHECK-NOT: linalg.index
// CHECK: %[[WT:.*]] = linalg.transpose ins(%[[W]] : tensor<4x3x3x1xi64>) outs(%{{.*}} : tensor<3x3x1x4xi64>) permutation = [1, 2, 3, 0]
// CHECK: arith.constant 54 : i16
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : i16) outs(%{{.*}} : tensor<?x2x4x4xi16>)
// CHECK: %[[ACC:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$MAP_IN]], #[[$MAP_W]], #[[$MAP_OUT]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]
// CHECK-SAME: ins(%[[PAD]], %[[WT]] : tensor<?x9x8x1xi64>, tensor<3x3x1x4xi64>) outs(%[[INIT]] : tensor<?x2x4x4xi16>)
// CHECK: arith.xori %{{.*}}, %{{.*}} : i64
// CHECK: %[[POP:.*]] = math.ctpop %{{.*}} : i64
// CHECK: arith.trunci %[[POP]] : i64 to i16
// CHECK: arith.subi
// CHECK: return %[[ACC]]
// CHECK-NOT: qc.
func.func @xnor_conv_one_padding(%a: tensor<?x6x5x1xi64>, %w: tensor<4x3x3x1xi64>) -> tensor<?x2x4x4xi16> {
  %r = qc.xnor_popcount %a, %w {depth = 6 : i64, conv = #qc.conv<strides = [2, 1], pad = [2, 1, 1, 2], dilation = [3, 2]>, pad_value = 1 : i64} : tensor<?x6x5x1xi64>, tensor<4x3x3x1xi64> -> tensor<?x2x4x4xi16>
  return %r : tensor<?x2x4x4xi16>
}

// -----

// Zero-padding: the accumulator starts at depth * KH * KW minus, per output
// position, the weight sums S[o, kh, kw] = depth - 2 popcount(w) of the
// taps that read padding, broadcast over the batch.
// CHECK-LABEL: func.func @xnor_conv_zero_padding
// CHECK-SAME: (%[[A:.*]]: tensor<?x5x5x1xi32>, %[[W:.*]]: tensor<4x3x3x1xi32>)
// CHECK: %[[PAD:.*]] = tensor.pad %[[A]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: arith.constant 6 : i32
// CHECK: %[[SINIT:.*]] = linalg.fill {{.*}} -> tensor<4x3x3xi32>
// CHECK: %[[S:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%[[W]] : tensor<4x3x3x1xi32>) outs(%[[SINIT]] : tensor<4x3x3xi32>)
// CHECK: math.ctpop
// CHECK: arith.subi
// CHECK: arith.constant 54 : i32
// CHECK: %[[CINIT:.*]] = linalg.fill {{.*}} -> tensor<3x3x4xi32>
// CHECK: %[[C:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK-SAME: ins(%[[S]] : tensor<4x3x3xi32>) outs(%[[CINIT]] : tensor<3x3x4xi32>)
// CHECK: ^bb0(%[[SUM:.*]]: i32, %[[COUT:.*]]: i32):
// CHECK: linalg.index 0
// CHECK: linalg.index 3
// CHECK: arith.cmpi ult
// CHECK: arith.cmpi uge
// CHECK: %[[ROW:.*]] = arith.ori %{{.*}}, %{{.*}} : i1
// CHECK: linalg.index 1
// CHECK: linalg.index 4
// CHECK: arith.cmpi ult
// CHECK: arith.cmpi uge
// CHECK: %[[COL:.*]] = arith.ori %{{.*}}, %{{.*}} : i1
// CHECK: %[[PADDED:.*]] = arith.ori %[[ROW]], %[[COL]] : i1
// CHECK: %[[CORR:.*]] = arith.select %[[PADDED]], %[[SUM]], %{{.*}} : i32
// CHECK: %[[NEW:.*]] = arith.subi %[[COUT]], %[[CORR]] : i32
// CHECK: linalg.yield %[[NEW]] : i32
// CHECK: %[[INIT:.*]] = linalg.generic
// CHECK-SAME: ins(%[[C]] : tensor<3x3x4xi32>) outs(%{{.*}} : tensor<?x3x3x4xi32>)
// CHECK: %[[ACC:.*]] = linalg.generic
// CHECK-SAME: ins(%[[PAD]], %{{.*}} : tensor<?x7x7x1xi32>, tensor<3x3x1x4xi32>) outs(%[[INIT]] : tensor<?x3x3x4xi32>)
// CHECK: arith.xori
// CHECK: math.ctpop
// CHECK: return %[[ACC]]
// CHECK-NOT: qc.
func.func @xnor_conv_zero_padding(%a: tensor<?x5x5x1xi32>, %w: tensor<4x3x3x1xi32>) -> tensor<?x3x3x4xi32> {
  %r = qc.xnor_popcount %a, %w {depth = 6 : i64, conv = #qc.conv<strides = [2, 2], pad = [1, 1, 1, 1], dilation = [1, 1]>, pad_value = 0 : i64} : tensor<?x5x5x1xi32>, tensor<4x3x3x1xi32> -> tensor<?x3x3x4xi32>
  return %r : tensor<?x3x3x4xi32>
}

// -----

// Without padding, zero-padding needs no correction.
// CHECK-LABEL: func.func @no_correction_without_padding
// CHECK-NOT: tensor.pad
// CHECK-NOT: linalg.index
// CHECK: arith.constant 360 : i32
// CHECK: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @no_correction_without_padding(%a: tensor<1x5x5x2xi32>, %w: tensor<4x3x3x2xi32>) -> tensor<1x3x3x4xi32> {
  %r = qc.xnor_popcount %a, %w {depth = 40 : i64, conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0], dilation = [1, 1]>} : tensor<1x5x5x2xi32>, tensor<4x3x3x2xi32> -> tensor<1x3x3x4xi32>
  return %r : tensor<1x3x3x4xi32>
}

// -----

// Mask: input and mask padded with zero words, no correction, the
// accumulator starts at 0 and adds popcount(m) - 2 popcount(m & (a ^ w)).
// CHECK-LABEL: func.func @xnor_conv_mask
// CHECK-SAME: (%[[A:.*]]: tensor<1x5x5x1xi32>, %[[W:.*]]: tensor<4x3x3x1xi32>, %[[M:.*]]: tensor<1x5x5x1xi32>)
// CHECK: %[[PA:.*]] = tensor.pad %[[A]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: %[[PM:.*]] = tensor.pad %[[M]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK-NOT: linalg.index
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : i32)
// CHECK: %[[ACC:.*]] = linalg.generic
// CHECK-SAME: ins(%[[PA]], %{{.*}}, %[[PM]] : tensor<1x7x7x1xi32>, tensor<3x3x1x4xi32>, tensor<1x7x7x1xi32>) outs(%[[INIT]] : tensor<1x5x5x4xi32>)
// CHECK: ^bb0(%[[X:.*]]: i32, %[[Y:.*]]: i32, %[[Z:.*]]: i32, %[[OUT:.*]]: i32):
// CHECK: %[[XOR:.*]] = arith.xori %[[X]], %[[Y]] : i32
// CHECK: %[[AND:.*]] = arith.andi %[[Z]], %[[XOR]] : i32
// CHECK: %[[PM_POP:.*]] = math.ctpop %[[Z]] : i32
// CHECK: %[[PLUS:.*]] = arith.addi %[[OUT]], %[[PM_POP]] : i32
// CHECK: %[[MIS:.*]] = math.ctpop %[[AND]] : i32
// CHECK: %[[TWICE:.*]] = arith.muli %[[MIS]], %{{.*}} : i32
// CHECK: %[[SUB:.*]] = arith.subi %[[PLUS]], %[[TWICE]] : i32
// CHECK: linalg.yield %[[SUB]] : i32
// CHECK: return %[[ACC]]
// CHECK-NOT: qc.
func.func @xnor_conv_mask(%a: tensor<1x5x5x1xi32>, %w: tensor<4x3x3x1xi32>, %m: tensor<1x5x5x1xi32>) -> tensor<1x5x5x4xi32> {
  %r = qc.xnor_popcount %a, %w mask %m {depth = 6 : i64, conv = #qc.conv<strides = [1, 1], pad = [1, 1, 1, 1], dilation = [1, 1]>} : tensor<1x5x5x1xi32>, tensor<4x3x3x1xi32>, tensor<1x5x5x1xi32> -> tensor<1x5x5x4xi32>
  return %r : tensor<1x5x5x4xi32>
}

// -----

// Spatial extents must be static.
func.func @conv_dynamic_height(%a: tensor<1x?x5x1xi32>, %w: tensor<4x3x3x1xi32>) -> tensor<1x?x3x4xi16> {
  // expected-error @+2 {{lowering to linalg needs static input H and W and kernel KH and KW}}
  // expected-error @+1 {{failed to legalize operation 'qc.xnor_popcount'}}
  %r = qc.xnor_popcount %a, %w {depth = 6 : i64, conv = #qc.conv<strides = [2, 2], pad = [1, 1, 1, 1], dilation = [1, 1]>} : tensor<1x?x5x1xi32>, tensor<4x3x3x1xi32> -> tensor<1x?x3x4xi16>
  return %r : tensor<1x?x3x4xi16>
}
