//===- QCOps.td - qc operations ----------------------------*- tablegen -*-===//
//
// Tensor-level ops (quantize, dequantize, constant, conv2d, dense), bit
// packing, and the kernel-level ops that cheap multiply-accumulates lower to.
//
//===----------------------------------------------------------------------===//

#ifndef QC_OPS_TD
#define QC_OPS_TD

include "dialects/QC/QCBase.td"
include "dialects/QC/QCTypes.td"
include "dialects/QC/QCAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def QC_QuantizedElement : Type<
    CPred<"::llvm::isa<::mlir::qc::QuantizedTypeInterface>($_self)">,
    "quantized type", "::mlir::Type">;
def QC_QuantizedTensor : RankedTensorOf<[QC_QuantizedElement]>;
def QC_FloatTensor : RankedTensorOf<[AnyFloat]>;
def QC_FloatOrQuantizedTensor : RankedTensorOf<[AnyFloat, QC_QuantizedElement]>;
def QC_PackedTensor : RankedTensorOf<[I8, I16, I32, I64]>;
def QC_IntegerTensor : RankedTensorOf<[AnySignlessInteger]>;
def QC_AccumulatorTensor : RankedTensorOf<[I16, I32, I64]>;
def QC_ChannelVector : 1DTensorOf<[F32]>;

//===----------------------------------------------------------------------===//
// Conversions between float and quantized tensors
//===----------------------------------------------------------------------===//

def QC_QuantizeOp : QC_Op<"quantize", [Pure]> {
  let summary = "round float values to a quantized type";
  let description = [{
    Maps every value to the code of the nearest value the result element
    type can represent (ties away from zero for binary and power-of-two,
    half to even for `!quant.uniform`, as ONNX QuantizeLinear).

    ```mlir
    %q = qc.quantize %w : tensor<8x3x3x4xf32> -> tensor<8x3x3x4x!qc.binary<f32, alpha = [0.5]>>
    ```
  }];
  let arguments = (ins QC_FloatTensor:$input);
  let results = (outs QC_QuantizedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QC_DequantizeOp : QC_Op<"dequantize", [Pure]> {
  let summary = "the real values a quantized tensor stands for";
  let arguments = (ins QC_QuantizedTensor:$input);
  let results = (outs QC_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QC_ConstantOp : QC_Op<"constant", [ConstantLike, Pure]> {
  let summary = "a quantized constant, stored packed";
  let description = [{
    The codes of a quantized tensor, packed along the innermost axis into
    8-, 16-, 32- or 64-bit words: floor(wordbits / codebits) codes per word,
    code t of a word in bits [t * codebits, (t + 1) * codebits), unused high
    bits 0. qc-quantize picks the narrowest word that holds a whole
    innermost row (at most 32 bits), so that a few channels do not leave
    most of a 32-bit word empty. A binary tensor with 32 or more channels
    takes 1/32 of its float size, in text and in bytecode.

    ```mlir
    %w = qc.constant dense<[[5]]> : tensor<1x1xi32> -> tensor<1x3x!qc.binary<f32, alpha = [1.0]>>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs QC_QuantizedTensor:$result);
  let assemblyFormat = "$value attr-dict `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Tensor-level quantized compute
//===----------------------------------------------------------------------===//

class QC_ComputeOp<string mnemonic> : QC_Op<mnemonic, [Pure]> {
  code commonDescription = [{
    The per-output-channel transform is fused: with acc the exact sum of
    products of the dequantized operands, the result is
    act(acc * multiplier[c] + bias[c]), where act is `none`, `relu`,
    `clamp` (to [clamp_min, clamp_max]) or `sign` (+1 when >= 0, else -1: a
    per-channel threshold on acc). A quantized result type requantizes.
  }];
  let results = (outs QC_FloatOrQuantizedTensor:$result);
  let hasVerifier = 1;
  let assemblyFormat = [{
    $input `,` $weight `,` $multiplier `,` $bias attr-dict `:`
    type($input) `,` type($weight) `,` type($multiplier) `,` type($bias)
    `->` type($result)
  }];
}

def QC_Conv2DOp : QC_ComputeOp<"conv2d"> {
  let summary = "quantized 2-D convolution, NHWC input, OHWI weights";
  let description = !strconcat([{
    Input N x H x W x C, weights O x KH x KW x (C / groups), result
    N x OH x OW x O.
  }], commonDescription);
  let arguments = (ins QC_FloatOrQuantizedTensor:$input,
                       QC_QuantizedTensor:$weight,
                       QC_ChannelVector:$multiplier, QC_ChannelVector:$bias,
                       QC_ConvAttr:$conv,
                       DefaultValuedAttr<QC_ActivationAttr,
                                         "::mlir::qc::Activation::None">:$act,
                       OptionalAttr<F32Attr>:$clamp_min,
                       OptionalAttr<F32Attr>:$clamp_max);
}

def QC_DenseOp : QC_ComputeOp<"dense"> {
  let summary = "quantized fully connected layer";
  let description = !strconcat([{
    Input N x K, weights M x K (one row per output), result N x M.
  }], commonDescription);
  let arguments = (ins QC_FloatOrQuantizedTensor:$input,
                       QC_QuantizedTensor:$weight,
                       QC_ChannelVector:$multiplier, QC_ChannelVector:$bias,
                       DefaultValuedAttr<QC_ActivationAttr,
                                         "::mlir::qc::Activation::None">:$act,
                       OptionalAttr<F32Attr>:$clamp_min,
                       OptionalAttr<F32Attr>:$clamp_max);
}

//===----------------------------------------------------------------------===//
// Bit packing
//===----------------------------------------------------------------------===//

def QC_BitpackOp : QC_Op<"bitpack", [Pure]> {
  let summary = "pack signs along the innermost axis into words";
  let description = [{
    Bit t of word j is 1 when element j * wordbits + t is negative (for a
    binary tensor: is -alpha). With `nonzero`, the bit is 1 when the element
    is neither zero nor NaN instead: the mask plane of a tensor of values in {-1, 0, +1}
    (e.g. ONNX Sign outputs), whose sign plane is the plain bitpack. Tail
    bits of the last word are 0. The word width is the result element type
    (i32 or i64).

    ```mlir
    %p = qc.bitpack %x : tensor<1x4x4x40xf32> -> tensor<1x4x4x2xi32>
    %m = qc.bitpack %x {nonzero} : tensor<1x4x4x40xf32> -> tensor<1x4x4x2xi32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, QC_BinaryType]>:$input,
                       UnitAttr:$nonzero);
  let results = (outs QC_PackedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QC_BitunpackOp : QC_Op<"bitunpack", [Pure]> {
  let summary = "expand packed signs to +-1 (or +-alpha) values";
  let arguments = (ins QC_PackedTensor:$input);
  let results = (outs RankedTensorOf<[AnyFloat, QC_BinaryType]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QC_BitplanePackOp : QC_Op<"bitplane_pack", [Pure]> {
  let summary = "pack the bit-planes of integer codes into words";
  let description = [{
    Plane i of the result holds bit i of every code (plane 0 is the least
    significant bit), packed along the innermost axis like `qc.bitpack`:
    element k goes to bit k mod w of word k / w, and the tail bits of the
    last word are 0. The leading result dimension counts the planes; the
    codes must fit them (unsigned codes in [0, 2^planes), or the low bits of
    two's-complement codes), which is what the kernels that read the planes
    declare with their encoding.

    ```mlir
    %p = qc.bitplane_pack %codes : tensor<?x40xi32> -> tensor<4x?x2xi32>
    ```
  }];
  let arguments = (ins QC_IntegerTensor:$input);
  let results = (outs QC_PackedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Kernel-level ops on packed operands
//===----------------------------------------------------------------------===//

class QC_KernelOp<string mnemonic, list<Trait> traits = []>
    : QC_Op<mnemonic, !listconcat([Pure], traits)> {
  code layoutDescription = [{
    Dense form: activations N x Kp, weights M x Kp, result N x M. With a
    `conv` window: activations N x H x W x Kp, weights O x KH x KW x Kp,
    result N x OH x OW x O, with one packed group (groups = 1). `depth` is
    the unpacked length of the packed axis.
  }];
  let results = (outs QC_AccumulatorTensor:$result);
  let hasVerifier = 1;
}

def QC_XnorPopcountOp : QC_KernelOp<"xnor_popcount"> {
  let summary = "binary dot products: K - 2 * popcount(a xor w)";
  let description = !strconcat([{
    Both operands are sign-packed (bit 1 = -1). Each output is the exact
    +-1 dot product over the K = depth (x KH x KW) elements of its window.
    `pad_value` says what padded positions hold: 1 ("one-padding": pad bits
    are 0, free) or 0 (zero-padding; lowering adds a border correction).

    With `mask`, activations take values in {-1, 0, +1}: a mask bit of 0
    (same layout as `input`) marks a zero, which adds nothing. Each output
    is then sum(popcount(m)) - 2 * sum(popcount(m and (a xor w))); padded
    positions have mask 0, so `pad_value` must be 0.
  }], layoutDescription);
  let arguments = (ins QC_PackedTensor:$input, QC_PackedTensor:$weight,
                       Optional<QC_PackedTensor>:$mask,
                       I64Attr:$depth, OptionalAttr<QC_ConvAttr>:$conv,
                       DefaultValuedAttr<I64Attr, "0">:$pad_value);
  let assemblyFormat = [{
    $input `,` $weight (`mask` $mask^)? attr-dict `:` type($input) `,`
    type($weight) (`,` type($mask)^)? `->` type($result)
  }];
}

def QC_BitserialPopcountOp : QC_KernelOp<"bitserial_popcount"> {
  let summary = "bit-serial dot products: sum 2^(i+j) popcount(a_i and w_j)";
  let description = !strconcat([{
    Both operands carry a leading bit-plane dimension (plane 0 is the least
    significant bit). The result is sum_i sum_j s_i s_j 2^(i+j) *
    popcount(a_i & w_j) where s is -1 for the top plane of a
    `twos_complement` operand and +1 otherwise; `sign` operands have one
    plane and stand for +-1. Zero-point offsets of asymmetric encodings are
    applied by the consumer. Padded positions hold code 0.
  }], layoutDescription);
  let arguments = (ins QC_PackedTensor:$input, QC_PackedTensor:$weight,
                       I64Attr:$depth, QC_BitEncodingAttr:$input_encoding,
                       QC_BitEncodingAttr:$weight_encoding,
                       OptionalAttr<QC_ConvAttr>:$conv);
  let assemblyFormat = [{
    $input `,` $weight attr-dict `:` type($input) `,` type($weight) `->`
    type($result)
  }];
}

def QC_TernaryPopcountOp : QC_KernelOp<"ternary_popcount"> {
  let summary = "ternary dot products from two weight bit-planes";
  let description = !strconcat([{
    Weights are given as two packed masks of the same shape, `positive`
    (w = +1) and `negative` (w = -1); zero weights are in neither and cost
    nothing. Activations carry a leading bit-plane dimension as in
    `qc.bitserial_popcount`. The result is sum over positive positions of a
    minus sum over negative positions of a.
  }], layoutDescription);
  let arguments = (ins QC_PackedTensor:$input, QC_PackedTensor:$positive,
                       QC_PackedTensor:$negative, I64Attr:$depth,
                       QC_BitEncodingAttr:$input_encoding,
                       OptionalAttr<QC_ConvAttr>:$conv);
  let assemblyFormat = [{
    $input `,` $positive `,` $negative attr-dict `:` type($input) `,`
    type($positive) `,` type($negative) `->` type($result)
  }];
}

def QC_ShiftAccumulateOp : QC_KernelOp<"shift_accumulate"> {
  let summary = "power-of-two weights: sum of +-(x << (e - emin))";
  let description = [{
    Activations are integers (N x K, or N x H x W x C with `conv`), weights
    are power-of-two codes as in `!qc.pot` (sign-magnitude, m = 0 is zero,
    else exponent emin + m - 1), M x K or O x KH x KW x C. The result is
    sum of sign * (x << (e - emin)); its real value is acc * scale * 2^emin.
  }];
  let arguments = (ins QC_IntegerTensor:$input, QC_IntegerTensor:$weight,
                       I64Attr:$emin, I64Attr:$emax,
                       OptionalAttr<QC_ConvAttr>:$conv);
  let assemblyFormat = [{
    $input `,` $weight attr-dict `:` type($input) `,` type($weight) `->`
    type($result)
  }];
}

def QC_CodebookAccumulateOp : QC_Op<"codebook_accumulate", [Pure]> {
  let summary = "clustered weights: sum_k c_k * (sum of x where idx = k)";
  let description = [{
    Activations are N x K (or N x H x W x C with `conv`), weights are
    centroid indices M x K (or O x KH x KW x C), `centroids` is one table of
    k values or one row of k values per output. Inputs are first summed per
    centroid, then multiplied once per centroid.
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnySignlessInteger]>:$input,
                       QC_IntegerTensor:$indices,
                       RankedTensorOf<[F32]>:$centroids,
                       OptionalAttr<QC_ConvAttr>:$conv);
  let results = (outs RankedTensorOf<[F32]>:$result);
  let assemblyFormat = [{
    $input `,` $indices `,` $centroids attr-dict `:` type($input) `,`
    type($indices) `,` type($centroids) `->` type($result)
  }];
  let hasVerifier = 1;
}

def QC_MultiThresholdOp : QC_Op<"multi_threshold", [Pure]> {
  let summary = "activation quantization by counting reached thresholds";
  let description = [{
    For each element x of channel c (the innermost axis), counts the
    thresholds t of row c with x >= t and returns
    count * out_scale + out_bias. `thresholds` is C x T (or 1 x T, shared),
    each row ascending. This is FINN's MultiThreshold.
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnySignlessInteger]>:$input,
                       RankedTensorOf<[AnyFloat, AnySignlessInteger]>:$thresholds,
                       DefaultValuedAttr<F64Attr, "1.0">:$out_scale,
                       DefaultValuedAttr<F64Attr, "0.0">:$out_bias);
  let results = (outs RankedTensorOf<[AnyFloat, AnySignlessInteger]>:$result);
  let assemblyFormat = [{
    $input `,` $thresholds attr-dict `:` type($input) `,` type($thresholds)
    `->` type($result)
  }];
  let hasVerifier = 1;
}

def QC_ThresholdPackOp : QC_Op<"threshold_pack", [Pure]> {
  let summary = "threshold integer sums straight into packed signs";
  let description = [{
    The binary or ternary activation of integer sums, packed as
    `qc.bitpack` packs it, without the float values in between. For each
    element x of channel c (the innermost axis), the level is the number of
    thresholds t in row c of `thresholds` (C x T, or 1 x T shared) with
    x >= t. With one threshold the levels 0, 1 stand for -1, +1; with two
    the levels 0, 1, 2 stand for -1, 0, +1. Bit j of a result word is 1 when
    element j stands for -1, or with `nonzero` when it is not 0 (the mask
    plane of ternary values; it needs two thresholds). Tail bits are 0.

    This is `qc.multi_threshold` followed by `qc.bitpack` on sums of binary
    layers, whose thresholds become integers: x >= t exactly when
    x >= ceil(t).

    ```mlir
    %s = qc.threshold_pack %acc, %t : tensor<1x4x4x64xi16>, tensor<64x2xi32> -> tensor<1x4x4x2xi32>
    %m = qc.threshold_pack %acc, %t {nonzero} : tensor<1x4x4x64xi16>, tensor<64x2xi32> -> tensor<1x4x4x2xi32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[I16, I32]>:$input,
                       RankedTensorOf<[I32]>:$thresholds, UnitAttr:$nonzero);
  let results = (outs QC_PackedTensor:$result);
  let assemblyFormat = [{
    $input `,` $thresholds attr-dict `:` type($input) `,` type($thresholds)
    `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling on packed operands
//===----------------------------------------------------------------------===//

def QC_PackedMaxPool2dOp : QC_Op<"packed_max_pool2d", [Pure]> {
  let summary = "max-pool of sign-packed values: bitwise AND over the window";
  let description = [{
    Input N x H x W x Cw words of signs packed along the channels (bit 1 =
    -1, as `qc.bitpack` makes them), result N x OH x OW x Cw. With bit 1
    meaning -1, the maximum of a window is -1 exactly when all its
    elements are, so each result word is the AND of the window's words.
    `kernel` and `stride` are [KH, KW] and [SH, SW]; `pad` is [top, bottom,
    left, right]. Padded positions are all-ones words (-1, which never
    wins); every pad is smaller than the kernel so that each window holds
    an element, and the tail bits of the result stay 0. OH = (H + top +
    bottom - KH) / SH + 1 (rounded down), OW likewise.

    ```mlir
    %p = qc.packed_max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : tensor<1x8x8x2xi32> -> tensor<1x4x4x2xi32>
    ```
  }];
  let arguments = (ins QC_PackedTensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$pad);
  let results = (outs QC_PackedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

#endif // QC_OPS_TD
