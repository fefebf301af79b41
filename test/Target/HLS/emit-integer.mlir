// An integer layer whose bounds and thresholds are known by hand: a ternary
// dense layer on 4-bit codes u = roundeven(x / 0.5), channel 0 all +1 and
// channel 1 all -1, so its sums lie in [0, 8 * 15] and [-120, 0]: a signed
// accumulator of 8 bits (the weights' own bounds, here as wide as FINN's
// MW * |w| * |u| = 120). The output stage roundeven(sum * 0.25)
// clamped to u4 reaches code j from the least sum s with roundeven(s / 4)
// >= j: ties go to even, so 3 (0.75 -> 1), 6 (1.5 -> 2), 11 (2.5 -> 2,
// 2.75 -> 3), 14, ... 59; channel 1 never leaves 0 (every threshold is
// 1, above its largest sum).
// RUN: qc-opt %s -qc-hls-prepare | qc-translate --emit-hls | FileCheck %s --implicit-check-not=RESOURCE

// CHECK: // Input: per image 8 words of 1 lane(s) of 4 bit(s), unsigned codes roundeven(x / 0.5) + 0
// CHECK: // Output: per image 2 words of 1 lane(s) of 5-bit two's complement integers r, standing for r * 1,
// CHECK: typedef ap_uint<8> qc_top_in_word;
// CHECK: typedef ap_uint<8> qc_top_out_word;

// Weights as non-zero (bit 0) and negative (bit 1) planes, by PE and SIMD.
// CHECK-LABEL: // fc_Gemm: dense, MH 2, MW 8, PE 1, SIMD 1.
// CHECK: static const ap_uint<2> fc_Gemm_weights[1][16] = {
// CHECK-NEXT: {0x1ull, 0x1ull, 0x1ull, 0x1ull, 0x1ull, 0x1ull, 0x1ull, 0x1ull, 0x3ull, 0x3ull, 0x3ull, 0x3ull, 0x3ull, 0x3ull, 0x3ull, 0x3ull}
// CHECK: static const ap_int<7> fc_Gemm_thresholds[1][2][15] = {
// CHECK-NEXT: {{[{][{]}}3, 6, 11, 14, 19, 22, 27, 30, 35, 38, 43, 46, 51, 54, 59}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1{{[}][}]}}
// CHECK: static const ap_int<5> fc_Gemm_levels[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// The matrix-vector unit: the accumulator from the weights' bounds, each
// lane adding the code, its negation or nothing.
// CHECK-LABEL: static void fc_Gemm_mvau(hls::stream<ap_uint<8>> &in, hls::stream<ap_uint<8>> &out) {
// CHECK: ap_int<8> acc[1];
// CHECK: for (unsigned i = 0; i < 16; ++i) {
// CHECK-NEXT: #pragma HLS PIPELINE II=1
// CHECK: const ap_uint<2> w = fc_Gemm_weights[p][nf * 8 + sf];
// CHECK: const ap_int<5> u = ap_int<5>(ap_uint<4>(x.range(j * 4 + 3, j * 4)));
// CHECK: const ap_int<5> term = c[0] ? (c[1] ? ap_int<5>(-u) : u) : ap_int<5>(0);
// CHECK: acc[p] = ap_int<8>(base + dot);

// The thresholds write the output integers.
// CHECK-LABEL: static void fc_Gemm_threshold(hls::stream<ap_uint<8>> &in, hls::stream<ap_uint<8>> &out) {
// CHECK: if (sum >= fc_Gemm_thresholds[p][nf][k])
// CHECK: result.range(p * 5 + 4, p * 5) = ap_uint<5>(level);

func.func @main(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
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
  %acc = qc.ternary_popcount %planes, %pos, %neg {depth = 8 : i64, input_encoding = #qc.encoding<unsigned>} : tensor<4x?x1xi8>, tensor<2x1xi8>, tensor<2x1xi8> -> tensor<?x2xi16> loc("/fc/Gemm")
  %f = tosa.cast %acc : (tensor<?x2xi16>) -> tensor<?x2xf32>
  %m = "tosa.const"() <{value = dense<2.500000e-01> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %y = tosa.mul %f, %m {shift = 0 : i8} : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32>
  %q = qc.quantize %y : tensor<?x2xf32> -> tensor<?x2x!quant.uniform<u4:f32, 1.0>>
  %v = qc.dequantize %q : tensor<?x2x!quant.uniform<u4:f32, 1.0>> -> tensor<?x2xf32>
  return %v : tensor<?x2xf32>
}
