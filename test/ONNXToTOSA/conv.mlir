// Conv: weight layouts (OIHW -> OHWI for conv2d, -> HWCM for depthwise),
// general groups (per-group slices + concat), auto_pad, dilations, strides
// whose windows do not divide the padded input, and 1-D convolutions.

// RUN: qc-translate --import-onnx %S/Inputs/conv-layout.onnx | qc-opt | FileCheck %s --check-prefix=LAYOUT
// RUN: qc-translate --import-onnx %S/Inputs/conv-variants.onnx | qc-opt --mlir-elide-elementsattrs-if-larger=4 | FileCheck %s --check-prefix=VARIANTS
// RUN: qc-translate --import-onnx %S/Inputs/conv1d.onnx | qc-opt --mlir-elide-elementsattrs-if-larger=4 | FileCheck %s --check-prefix=CONV1D

// W[o, i, h, w] = o*8 + i*4 + h*2 + w, so OHWI reads 0, 4, 1, 5, ...
// LAYOUT-LABEL: func.func @main(
// LAYOUT: %[[ZERO2:.*]] = "tosa.const"() <{value = dense<0.000000e+00> : tensor<2xf32>}>
// LAYOUT: %[[X:.*]] = tosa.transpose %arg0
// LAYOUT: %[[OHWI:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}0.000000e+00, 4.000000e+00], [1.000000e+00, 5.000000e+00]], {{\[\[}}2.000000e+00, 6.000000e+00], [3.000000e+00, 7.000000e+00]]], {{\[\[\[}}8.000000e+00, 1.200000e+01], [9.000000e+00, 1.300000e+01]], {{\[\[}}1.000000e+01, 1.400000e+01], [1.100000e+01, 1.500000e+01]]]]> : tensor<2x2x2x2xf32>}>
// LAYOUT: tosa.conv2d %[[X]], %[[OHWI]], %[[ZERO2]] {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x2xf32>, tensor<2x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
// Depthwise, multiplier 2: output channel c*2+j reads input channel c, so
// HWCM[0, kw, c, j] = W[c*2+j, 0, 0, kw] = (c*2+j)*2 + kw.
// LAYOUT: %[[HWCM:.*]] = "tosa.const"() <{value = dense<{{\[\[\[\[}}0.000000e+00, 2.000000e+00], [4.000000e+00, 6.000000e+00]], {{\[\[}}1.000000e+00, 3.000000e+00], [5.000000e+00, 7.000000e+00]]]]> : tensor<1x2x2x2xf32>}>
// LAYOUT: tosa.depthwise_conv2d %{{.*}}, %[[HWCM]], %{{.*}} {{.*}} : (tensor<1x3x3x2xf32>, tensor<1x2x2x2xf32>, tensor<4xf32>) -> tensor<1x3x2x4xf32>
// LAYOUT: return {{.*}} : tensor<1x2x2x2xf32>, tensor<1x4x3x2xf32>

// VARIANTS-LABEL: func.func @main(
// VARIANTS-SAME: tensor<1x4x8x8xf32>
// VARIANTS-SAME: -> (tensor<1x2x2x2xf32> {onnx.name = "v"}, tensor<1x2x3x3xf32> {onnx.name = "s"})
// group = C = 4, 8 outputs: depthwise with multiplier 2.
// VARIANTS: tosa.depthwise_conv2d {{.*}} {dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
// group = 2: two convolutions over channel slices, concatenated. SAME_UPPER
// with stride 2 on 8 pads 0 before and 1 after.
// VARIANTS: tosa.transpose {{.*}} -> tensor<1x8x8x8xf32>
// VARIANTS: %[[G:.*]] = tosa.transpose {{.*}} -> tensor<1x8x8x8xf32>
// VARIANTS: %[[S0:.*]] = tosa.slice %[[G]] {size = array<i64: 1, 8, 8, 4>, start = array<i64: 0, 0, 0, 0>}
// VARIANTS: %[[C0:.*]] = tosa.conv2d %[[S0]], {{.*}} {dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xf32>, tensor<3x3x3x4xf32>, tensor<3xf32>) -> tensor<1x4x4x3xf32>
// VARIANTS: %[[S1:.*]] = tosa.slice %[[G]] {size = array<i64: 1, 8, 8, 4>, start = array<i64: 0, 0, 0, 4>}
// VARIANTS: %[[C1:.*]] = tosa.conv2d %[[S1]], {{.*}} -> tensor<1x4x4x3xf32>
// VARIANTS: tosa.concat %[[C0]], %[[C1]] {axis = 3 : i32} : (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x6xf32>
// SAME_LOWER, kernel 2: the odd padding goes before.
// VARIANTS: tosa.conv2d {{.*}} {dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x6xf32>, tensor<6x2x2x6xf32>, tensor<6xf32>) -> tensor<1x4x4x6xf32>
// VALID with dilation 2.
// VARIANTS: tosa.conv2d {{.*}} {dilation = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x6xf32>, tensor<2x2x2x6xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
// Stride 3 over 8 + 1 padding: floor((9 - 3) / 3) + 1 = 3 outputs; the end
// padding stays 1 so that 2 * 3 + 3 covers the padded input exactly.
// VARIANTS: tosa.conv2d {{.*}} {dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 3, 3>} : (tensor<1x8x8x4xf32>, tensor<2x3x3x4xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>

// A 1-D convolution is a 2-D one with a unit height.
// CONV1D-LABEL: func.func @main(
// CONV1D-SAME: tensor<?x3x10xf32>
// CONV1D: %[[X:.*]] = tosa.reshape %arg0 {new_shape = array<i64: -1, 3, 1, 10>}
// CONV1D: %[[XT:.*]] = tosa.transpose %[[X]], {{.*}} -> tensor<?x1x10x3xf32>
// CONV1D: %[[C:.*]] = tosa.conv2d %[[XT]], {{.*}} {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 1, 0>, stride = array<i64: 1, 2>} : (tensor<?x1x10x3xf32>, tensor<5x1x3x3xf32>, tensor<5xf32>) -> tensor<?x1x5x5xf32>
// CONV1D: %[[CT:.*]] = tosa.transpose %[[C]], {{.*}} -> tensor<?x5x1x5xf32>
// CONV1D: %[[Y:.*]] = tosa.reshape %[[CT]] {new_shape = array<i64: -1, 5, 5>}
// CONV1D: return %[[Y]] : tensor<?x5x5xf32>
