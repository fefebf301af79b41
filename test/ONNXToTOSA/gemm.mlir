// Gemm (alpha, beta, transA, transB, C as bias row or full matrix) and
// MatMul (2-D, batched against a shared operand, batched, broadcast batch),
// also run by qc-run against numpy's matmul on the file's own initializer.

// RUN: qc-translate --import-onnx %S/Inputs/gemm.onnx | qc-opt | FileCheck %s --check-prefix=GEMM
// RUN: qc-translate --import-onnx %S/Inputs/matmul.onnx | qc-opt --mlir-elide-elementsattrs-if-larger=4 | FileCheck %s --check-prefix=MATMUL
// RUN: %python %S/Inputs/matmul_reference.py %S/Inputs/matmul.onnx %t
// RUN: qc-run %S/Inputs/matmul.onnx --input %t.a.npy --input %t.x3.npy --input %t.z3.npy --input %t.x1.npy --output %t.y1.npy --output %t.y2.npy --output %t.y3.npy --output %t.y4.npy
// RUN: %python %S/../lib/compare_npy.py %t.y1.npy %t.ref1.npy --rtol 1e-5 --atol 1e-6
// RUN: %python %S/../lib/compare_npy.py %t.y2.npy %t.ref2.npy --rtol 1e-5 --atol 1e-6
// RUN: %python %S/../lib/compare_npy.py %t.y3.npy %t.ref3.npy --rtol 1e-5 --atol 1e-6
// RUN: %python %S/../lib/compare_npy.py %t.y4.npy %t.ref4.npy --rtol 1e-5 --atol 1e-6

// gemm_bias: transB = 1 is fully_connected's weight layout; alpha = 0.5
// folds into B = arange(20), beta = 2 into C = ones(5).
// GEMM-LABEL: func.func @main(
// GEMM-SAME: %[[A:.*]]: tensor<3x4xf32> {onnx.name = "a"}
// GEMM: %[[B1:.*]] = "tosa.const"() <{value = dense<{{\[\[}}0.000000e+00, 5.000000e-01, 1.000000e+00, 1.500000e+00], [2.000000e+00, {{.*}} : tensor<5x4xf32>}>
// GEMM: %[[C1:.*]] = "tosa.const"() <{value = dense<2.000000e+00> : tensor<5xf32>}>
// GEMM: %[[Y1:.*]] = tosa.fully_connected %[[A]], %[[B1]], %[[C1]] : (tensor<3x4xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
// gemm_matrix: transA transposes A; B (3x2, transB = 0) is stored transposed;
// a 5x2 C is added after the product.
// GEMM: %[[Y1T:.*]] = tosa.transpose %[[Y1]], %{{.*}} : (tensor<3x5xf32>, tensor<2xi32>) -> tensor<5x3xf32>
// GEMM: %[[B2:.*]] = "tosa.const"() {{.*}} : () -> tensor<2x3xf32>
// GEMM: %[[C2:.*]] = "tosa.const"() {{.*}} : () -> tensor<5x2xf32>
// GEMM: %[[Z2:.*]] = "tosa.const"() <{value = dense<0.000000e+00> : tensor<2xf32>}>
// GEMM: %[[P2:.*]] = tosa.fully_connected %[[Y1T]], %[[B2]], %[[Z2]] : (tensor<5x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<5x2xf32>
// GEMM: %[[Y2:.*]] = tosa.add %[[P2]], %[[C2]] : (tensor<5x2xf32>, tensor<5x2xf32>) -> tensor<5x2xf32>
// gemm_no_c: a zero bias.
// GEMM: %[[B3:.*]] = "tosa.const"() {{.*}} : () -> tensor<6x4xf32>
// GEMM: %[[Z3:.*]] = "tosa.const"() <{value = dense<0.000000e+00> : tensor<6xf32>}>
// GEMM: %[[Y3:.*]] = tosa.fully_connected %[[A]], %[[B3]], %[[Z3]]
// GEMM: return %[[Y2]], %[[Y3]] : tensor<5x2xf32>, tensor<3x6xf32>

// A constant 2-D right operand (the initializer w, 4x5) is a dense layer's
// weight: tosa.fully_connected against w^T (5x4, transposed at import) and a
// zero bias.
// MATMUL-LABEL: func.func @main(
// MATMUL-SAME: %[[A:.*]]: tensor<3x4xf32> {{.*}}, %[[X3:.*]]: tensor<2x3x4xf32> {{.*}}, %[[Z3:.*]]: tensor<2x4x5xf32> {{.*}}, %[[X1:.*]]: tensor<1x3x4xf32>
// MATMUL: %[[W:.*]] = "tosa.const"() {{.*}} : () -> tensor<5x4xf32>
// MATMUL: %[[Z:.*]] = "tosa.const"() <{value = dense<0.000000e+00> : tensor<5xf32>}>
// MATMUL: %[[Y1:.*]] = tosa.fully_connected %[[A]], %[[W]], %[[Z]] : (tensor<3x4xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
// A batched left operand against the constant: the batch folds into rows.
// MATMUL: %[[X6:.*]] = tosa.reshape %[[X3]] {new_shape = array<i64: 6, 4>}
// MATMUL: %[[F2:.*]] = tosa.fully_connected %[[X6]], %{{.*}}, %{{.*}} : (tensor<6x4xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<6x5xf32>
// MATMUL: %[[Y2:.*]] = tosa.reshape %[[F2]] {new_shape = array<i64: 2, 3, 5>}
// Two activations stay a tosa.matmul.
// MATMUL: %[[Y3:.*]] = tosa.matmul %[[X3]], %[[Z3]] : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
// A unit batch broadcasts by tiling.
// MATMUL: %[[T:.*]] = tosa.tile %[[X1]] {multiples = array<i64: 2, 1, 1>} : (tensor<1x3x4xf32>) -> tensor<2x3x4xf32>
// MATMUL: %[[Y4:.*]] = tosa.matmul %[[T]], %[[Z3]]
// MATMUL: return %[[Y1]], %[[Y2]], %[[Y3]], %[[Y4]]
// MATMUL-NOT: tosa.matmul
