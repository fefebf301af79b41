//===- QCTypes.td - qc quantized element types -------------*- tablegen -*-===//
//
// Quantized element types and the interface every quantized element type
// (including upstream `!quant.uniform`, through an external model) provides:
// bit width, quantization axis, and the scalar quantize/dequantize maps that
// folding, packing and the reference execution path share.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TYPES_TD
#define QC_TYPES_TD

include "dialects/QC/QCBase.td"
include "mlir/IR/BuiltinAttributes.td"

def QC_QuantizedTypeInterface : TypeInterface<"QuantizedTypeInterface"> {
  let cppNamespace = "::mlir::qc";
  let description = [{
    A quantized element type: every value is one of finitely many codes, each
    code stands for a real number, and the parameters may vary along one axis
    of the tensor (per-channel quantization). Codes are non-negative integers
    below 2^bits; their meaning is defined by each type.
  }];
  let methods = [
    InterfaceMethod<"The float type the quantized values approximate.",
      "::mlir::FloatType", "getExpressedFloatType">,
    InterfaceMethod<"Number of bits one stored code takes (1..8).",
      "unsigned", "getCodeBits">,
    InterfaceMethod<"The quantization axis, or -1 when per tensor.",
      "int64_t", "getQuantAxis">,
    InterfaceMethod<[{Number of parameter sets along the axis (1 when per
      tensor).}], "int64_t", "getNumChannels">,
    InterfaceMethod<"The code whose value is nearest to `value` in `channel`.",
      "uint64_t", "quantizeToCode", (ins "double":$value, "int64_t":$channel)>,
    InterfaceMethod<"The real value `code` stands for in `channel`.",
      "double", "dequantizeCode", (ins "uint64_t":$code, "int64_t":$channel)>
  ];
}

def QC_BinaryType : QC_Type<"Binary", "binary",
    [DeclareTypeInterfaceMethods<QC_QuantizedTypeInterface>]> {
  let summary = "binary values {-alpha, +alpha}";
  let description = [{
    Each value is -alpha or +alpha (XNOR-Net). `alpha` holds one scale per
    tensor, or one per slice along `axis`. Code 0 is +alpha and code 1 is
    -alpha, the bit convention of packed binary tensors (bit 1 = -1).

    ```mlir
    !qc.binary<f32, alpha = [0.5]>
    !qc.binary<f32, alpha = [0.5, 0.25], axis = 0>
    ```
  }];
  let parameters = (ins "::mlir::FloatType":$expressedType,
                        "::mlir::DenseF64ArrayAttr":$alpha,
                        DefaultValuedParameter<"int64_t", "-1">:$axis);
  let assemblyFormat = "`<` $expressedType `,` struct($alpha, $axis) `>`";
  let genVerifyDecl = 1;
}

def QC_TernaryType : QC_Type<"Ternary", "ternary",
    [DeclareTypeInterfaceMethods<QC_QuantizedTypeInterface>]> {
  let summary = "ternary values {-alpha_n, 0, +alpha_p}";
  let description = [{
    Each value is -alpha_n, 0 or +alpha_p. Symmetric ternary (TWN) has
    alpha_n = alpha_p; trained ternary (TTQ) learns both. `delta` records the
    threshold that quantization used: |x| <= delta maps to 0. Codes: 0 is
    zero, 1 is +alpha_p, 3 is -alpha_n (bit 0 = non-zero, bit 1 = negative);
    code 2 is unused.

    ```mlir
    !qc.ternary<f32, alpha_n = [0.3], alpha_p = [0.3],
                delta = [0.2]>
    ```
  }];
  let parameters = (ins "::mlir::FloatType":$expressedType,
                        "::mlir::DenseF64ArrayAttr":$alpha_n,
                        "::mlir::DenseF64ArrayAttr":$alpha_p,
                        "::mlir::DenseF64ArrayAttr":$delta,
                        DefaultValuedParameter<"int64_t", "-1">:$axis);
  let assemblyFormat = [{
    `<` $expressedType `,` struct($alpha_n, $alpha_p, $delta, $axis) `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// True when alpha_n equals alpha_p in every channel.
    bool isSymmetric() const;
  }];
}

def QC_PowerOfTwoType : QC_Type<"PowerOfTwo", "pot",
    [DeclareTypeInterfaceMethods<QC_QuantizedTypeInterface>]> {
  let summary = "power-of-two values {0, +-scale * 2^e}, e in [emin, emax]";
  let description = [{
    INQ / LogQuant weights. Each value is 0 or +-scale * 2^e with integer e in
    [emin, emax]. Codes are sign-magnitude: the top bit is the sign, the low
    bits m are 0 for zero and e - emin + 1 otherwise. The bit width follows
    from the range: 1 + ceil(log2(emax - emin + 2)) (INQ 5-bit: 8 exponents).

    ```mlir
    !qc.pot<f32, scale = [1.0], emin = -7, emax = 0>
    ```
  }];
  let parameters = (ins "::mlir::FloatType":$expressedType,
                        "::mlir::DenseF64ArrayAttr":$scale,
                        "int64_t":$emin, "int64_t":$emax,
                        DefaultValuedParameter<"int64_t", "-1">:$axis);
  let assemblyFormat = [{
    `<` $expressedType `,` struct($scale, $emin, $emax, $axis) `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Bits needed for the exponent range plus sign and zero code.
    static unsigned bitsForRange(int64_t emin, int64_t emax);
  }];
}

def QC_CodebookType : QC_Type<"Codebook", "codebook",
    [DeclareTypeInterfaceMethods<QC_QuantizedTypeInterface>]> {
  let summary = "clustered values: bits-wide indices into a centroid table";
  let description = [{
    Deep Compression weights: each value is one of k <= 2^bits centroids,
    stored as a bits-wide index. Per tensor, `centroids` is a 1-D table of k
    sorted values; per axis it is a 2-D [channels, k] table, each row sorted.

    ```mlir
    !qc.codebook<f32, bits = 2, centroids = dense<[-1.0, 0.0, 0.5]> : tensor<3xf64>>
    ```
  }];
  let parameters = (ins "::mlir::FloatType":$expressedType, "unsigned":$bits,
                        "::mlir::DenseFPElementsAttr":$centroids,
                        DefaultValuedParameter<"int64_t", "-1">:$axis);
  let assemblyFormat = [{
    `<` $expressedType `,` struct($bits, $centroids, $axis) `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of centroids per table.
    int64_t getNumCentroids() const;
    /// Centroid `index` of the table used by `channel`.
    double getCentroid(int64_t channel, int64_t index) const;
  }];
}

#endif // QC_TYPES_TD
