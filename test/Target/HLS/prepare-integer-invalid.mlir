// Errors of qc-hls-prepare on integer layers (ternary, bit-serial): each
// names the layer and what the FPGA cannot take; nothing is printed.
// RUN: qc-opt %s -split-input-file -qc-hls-prepare -verify-diagnostics

// A negative multiplier: the codes fall as the sums grow, which thresholds
// (counts of reached values) cannot express.
func.func @decreasing(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %d = tensor.dim %x, %c0 : tensor<?x8xf32>
  %e = tensor.empty(%d) : tensor<?x8xi32>
  %s = arith.constant 5.000000e-01 : f32
  %codes = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<?x8xf32>) outs(%e : tensor<?x8xi32>) {
  ^bb0(%in: f32, %out: i32):
    %q = arith.divf %in, %s : f32
    %r = math.roundeven %q : f32
    %i = arith.fptosi %r : f32 to i32
    linalg.yield %i : i32
  } -> tensor<?x8xi32>
  %planes = qc.bitplane_pack %codes : tensor<?x8xi32> -> tensor<4x?x1xi8>
  %pos = arith.constant dense<[[-1], [0]]> : tensor<2x1xi8>
  %neg = arith.constant dense<[[0], [-1]]> : tensor<2x1xi8>
  // expected-error @+1 {{HLS layer 'layer0': output channel 1: its output decreases as its sum grows (at -58); only non-decreasing output stages become thresholds}}
  %acc = qc.ternary_popcount %planes, %pos, %neg {depth = 8 : i64, input_encoding = #qc.encoding<unsigned>} : tensor<4x?x1xi8>, tensor<2x1xi8>, tensor<2x1xi8> -> tensor<?x2xi16>
  %f = tosa.cast %acc : (tensor<?x2xi16>) -> tensor<?x2xf32>
  %m = "tosa.const"() <{value = dense<-2.500000e-01> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %y = tosa.mul %f, %m {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %qq = qc.quantize %y : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<u4:f32, 1.0>>
  %v = qc.dequantize %qq : tensor<?x2x!quant.uniform<u4:f32, 1.0>> -> tensor<?x2xf32>
  return %v : tensor<?x2xf32>
}

// -----

func.func @unsupported_op(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %d = tensor.dim %x, %c0 : tensor<?x8xf32>
  %e = tensor.empty(%d) : tensor<?x8xi32>
  %s = arith.constant 5.000000e-01 : f32
  %codes = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<?x8xf32>) outs(%e : tensor<?x8xi32>) {
  ^bb0(%in: f32, %out: i32):
    %q = arith.divf %in, %s : f32
    %r = math.roundeven %q : f32
    %i = arith.fptosi %r : f32 to i32
    linalg.yield %i : i32
  } -> tensor<?x8xi32>
  %planes = qc.bitplane_pack %codes : tensor<?x8xi32> -> tensor<4x?x1xi8>
  %pos = arith.constant dense<[[-1], [0]]> : tensor<2x1xi8>
  %neg = arith.constant dense<[[0], [-1]]> : tensor<2x1xi8>
  %acc = qc.ternary_popcount %planes, %pos, %neg {depth = 8 : i64, input_encoding = #qc.encoding<unsigned>} : tensor<4x?x1xi8>, tensor<2x1xi8>, tensor<2x1xi8> -> tensor<?x2xi16>
  %f = tosa.cast %acc : (tensor<?x2xi16>) -> tensor<?x2xf32>
  %m = "tosa.const"() <{value = dense<2.500000e-01> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %y = tosa.mul %f, %m {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  // expected-error @+1 {{HLS layer 'layer0': 'tosa.exp' after its sums is not supported on the FPGA}}
  %ex = tosa.exp %y : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %ex : tensor<?x2xf32>
}

// -----

func.func @per_channel_output(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %d = tensor.dim %x, %c0 : tensor<?x8xf32>
  %e = tensor.empty(%d) : tensor<?x8xi32>
  %s = arith.constant 5.000000e-01 : f32
  %codes = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<?x8xf32>) outs(%e : tensor<?x8xi32>) {
  ^bb0(%in: f32, %out: i32):
    %q = arith.divf %in, %s : f32
    %r = math.roundeven %q : f32
    %i = arith.fptosi %r : f32 to i32
    linalg.yield %i : i32
  } -> tensor<?x8xi32>
  %planes = qc.bitplane_pack %codes : tensor<?x8xi32> -> tensor<4x?x1xi8>
  %pos = arith.constant dense<[[-1], [0]]> : tensor<2x1xi8>
  %neg = arith.constant dense<[[0], [-1]]> : tensor<2x1xi8>
  %acc = qc.ternary_popcount %planes, %pos, %neg {depth = 8 : i64, input_encoding = #qc.encoding<unsigned>} : tensor<4x?x1xi8>, tensor<2x1xi8>, tensor<2x1xi8> -> tensor<?x2xi16>
  %f = tosa.cast %acc : (tensor<?x2xi16>) -> tensor<?x2xf32>
  %m = "tosa.const"() <{value = dense<2.500000e-01> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %y = tosa.mul %f, %m {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  // expected-error @+1 {{HLS layer 'layer0': the next activations must be quantized to a per-tensor uniform type}}
  %qq = qc.quantize %y : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<u4:f32:1, {1.0, 2.0}>>
  %v = qc.dequantize %qq : tensor<?x2x!quant.uniform<u4:f32:1, {1.0, 2.0}>> -> tensor<?x2xf32>
  return %v : tensor<?x2xf32>
}

// -----

func.func @output_not_result(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %d = tensor.dim %x, %c0 : tensor<?x8xf32>
  %e = tensor.empty(%d) : tensor<?x8xi32>
  %s = arith.constant 5.000000e-01 : f32
  %codes = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<?x8xf32>) outs(%e : tensor<?x8xi32>) {
  ^bb0(%in: f32, %out: i32):
    %q = arith.divf %in, %s : f32
    %r = math.roundeven %q : f32
    %i = arith.fptosi %r : f32 to i32
    linalg.yield %i : i32
  } -> tensor<?x8xi32>
  %planes = qc.bitplane_pack %codes : tensor<?x8xi32> -> tensor<4x?x1xi8>
  %pos = arith.constant dense<[[-1], [0]]> : tensor<2x1xi8>
  %neg = arith.constant dense<[[0], [-1]]> : tensor<2x1xi8>
  // expected-error @+1 {{HLS layer 'layer0': its dequantized output must be the function's result}}
  %acc = qc.ternary_popcount %planes, %pos, %neg {depth = 8 : i64, input_encoding = #qc.encoding<unsigned>} : tensor<4x?x1xi8>, tensor<2x1xi8>, tensor<2x1xi8> -> tensor<?x2xi16>
  %f = tosa.cast %acc : (tensor<?x2xi16>) -> tensor<?x2xf32>
  %m = "tosa.const"() <{value = dense<2.500000e-01> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %y = tosa.mul %f, %m {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %qq = qc.quantize %y : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<u4:f32, 1.0>>
  %v = qc.dequantize %qq : tensor<?x2x!quant.uniform<u4:f32, 1.0>> -> tensor<?x2xf32>
  %ex = tosa.exp %v : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %ex : tensor<?x2xf32>
}

// -----

func.func @codes_not_computed(%a: tensor<?x8xi32>) -> tensor<?x2xf32> {
  %planes = qc.bitplane_pack %a : tensor<?x8xi32> -> tensor<4x?x1xi8>
  %pos = arith.constant dense<[[-1], [0]]> : tensor<2x1xi8>
  %neg = arith.constant dense<[[0], [-1]]> : tensor<2x1xi8>
  // expected-error @+1 {{HLS layer 'layer0': its codes must be a linalg.generic computing roundeven(x / s) (+ u0) of one float tensor}}
  %acc = qc.ternary_popcount %planes, %pos, %neg {depth = 8 : i64, input_encoding = #qc.encoding<unsigned>} : tensor<4x?x1xi8>, tensor<2x1xi8>, tensor<2x1xi8> -> tensor<?x2xi16>
  %f = tosa.cast %acc : (tensor<?x2xi16>) -> tensor<?x2xf32>
  %m = "tosa.const"() <{value = dense<2.500000e-01> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %y = tosa.mul %f, %m {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %qq = qc.quantize %y : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<u4:f32, 1.0>>
  %v = qc.dequantize %qq : tensor<?x2x!quant.uniform<u4:f32, 1.0>> -> tensor<?x2xf32>
  return %v : tensor<?x2xf32>
}

// -----

// Power-of-two weights are not on the FPGA yet.
func.func @shift(%a: tensor<?x8xi8>) -> tensor<?x2xi32> {
  %w = arith.constant dense<1> : tensor<2x8xi8>
  // expected-error @+1 {{HLS layer 'layer0': shift layers are not supported by the HLS back end yet (binary, ternary and bit-serial uniform layers are)}}
  %0 = qc.shift_accumulate %a, %w {emin = 0 : i64, emax = 2 : i64} : tensor<?x8xi8>, tensor<2x8xi8> -> tensor<?x2xi32>
  return %0 : tensor<?x2xi32>
}
