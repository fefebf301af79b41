// RUN: qc-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(qc-unshare-destinations))' | FileCheck %s
// RUN: qc-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(qc-unshare-destinations),one-shot-bufferize{bufferize-function-boundaries})' | FileCheck %s --check-prefix=BUF

// Two layers whose zero-filled destination CSE made one: the second gets
// its own empty tensor and fill, right before it; the first keeps the
// original. Bufferized, neither needs a copy.

// CHECK-LABEL: func.func @shared_fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] :
// CHECK: %[[A:.*]] = linalg.matmul ins(%{{.*}}, %{{.*}} : {{.*}}) outs(%[[F]] :
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK: %[[F2:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] :
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : {{.*}}) outs(%[[F2]] :
// BUF-LABEL: func.func @shared_fill
// BUF-NOT: memref.copy
// BUF: return
func.func @shared_fill(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<4x8xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<4x8xf32>) -> tensor<4x8xf32>
  %a = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x8xf32>) outs(%fill : tensor<4x8xf32>) -> tensor<4x8xf32>
  %b = linalg.matmul ins(%a, %w : tensor<4x8xf32>, tensor<8x8xf32>) outs(%fill : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %a, %b : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// A generic without inputs that yields a constant initializes like a fill
// (TOSA's lowering writes zero fills this way), and a shared empty tensor of
// two elementwise ops is cloned too; dynamic sizes go with the clone.

#map = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @generic_init_and_empty
// CHECK-SAME: %[[X:.*]]: tensor<?x8xf32>
// CHECK: %[[N:.*]] = tensor.dim %[[X]]
// CHECK: %[[E:.*]] = tensor.empty(%[[N]])
// CHECK: %[[I:.*]] = linalg.generic {{.*}} outs(%[[E]] :
// CHECK: linalg.matmul {{.*}} outs(%[[I]] :
// CHECK: %[[E2:.*]] = tensor.empty(%[[N]])
// CHECK: %[[I2:.*]] = linalg.generic {{.*}} outs(%[[E2]] :
// CHECK: linalg.matmul {{.*}} outs(%[[I2]] :
// CHECK: %[[E3:.*]] = tensor.empty(%[[N]])
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<?x8xf32>) outs(%[[E3]] :
// CHECK: %[[E4:.*]] = tensor.empty(%[[N]])
// CHECK: linalg.generic {{.*}} ins(%[[R]] : tensor<?x8xf32>) outs(%[[E4]] :
func.func @generic_init_and_empty(%x: tensor<?x8xf32>, %w: tensor<8x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %empty = tensor.empty(%n) : tensor<?x8xf32>
  %init = linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel"]} outs(%empty : tensor<?x8xf32>) {
  ^bb0(%out: f32):
    linalg.yield %zero : f32
  } -> tensor<?x8xf32>
  %a = linalg.matmul ins(%x, %w : tensor<?x8xf32>, tensor<8x8xf32>) outs(%init : tensor<?x8xf32>) -> tensor<?x8xf32>
  %b = linalg.matmul ins(%a, %w : tensor<?x8xf32>, tensor<8x8xf32>) outs(%init : tensor<?x8xf32>) -> tensor<?x8xf32>
  %relu = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%b : tensor<?x8xf32>) outs(%empty : tensor<?x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<?x8xf32>
  %neg = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%relu : tensor<?x8xf32>) outs(%empty : tensor<?x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.negf %in : f32
    linalg.yield %m : f32
  } -> tensor<?x8xf32>
  return %a, %neg : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// A destination that holds data (a layer's result, or a generic that reads
// its output) is shared as it is: cloning it would change what is computed
// or repeat real work.

#map = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @not_initializers
// CHECK-COUNT-1: linalg.generic {{.*}} outs(%{{.*}} : tensor<4x8xf32>) {
// CHECK: linalg.matmul {{.*}} outs(%[[ACC:.*]] :
// CHECK: linalg.matmul {{.*}} outs(%[[ACC]] :
// CHECK-NOT: linalg.generic
func.func @not_initializers(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>, %acc: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %one = arith.constant 1.0 : f32
  %init = linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel"]} outs(%acc : tensor<4x8xf32>) {
  ^bb0(%out: f32):
    %s = arith.addf %out, %one : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %a = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x8xf32>) outs(%init : tensor<4x8xf32>) -> tensor<4x8xf32>
  %b = linalg.matmul ins(%a, %w : tensor<4x8xf32>, tensor<8x8xf32>) outs(%init : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %a, %b : tensor<4x8xf32>, tensor<4x8xf32>
}
