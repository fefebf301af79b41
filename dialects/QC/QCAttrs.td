//===- QCAttrs.td - qc attributes and enums ----------------*- tablegen -*-===//
//
// Attributes shared by the qc ops: the convolution window, the fused
// activation of the per-channel output transform, and the encodings of
// bit-planes in the kernel-level popcount ops.
//
//===----------------------------------------------------------------------===//

#ifndef QC_ATTRS_TD
#define QC_ATTRS_TD

include "dialects/QC/QCBase.td"

def QC_ConvAttr : QC_Attr<"Conv", "conv"> {
  let summary = "2-D convolution window: strides, padding, dilation, groups";
  let description = [{
    `pad` is [top, bottom, left, right]. Padded positions hold the value
    zero unless an op says otherwise.

    ```mlir
    #qc.conv<strides = [1, 1], pad = [1, 1, 1, 1], dilation = [1, 1]>
    #qc.conv<strides = [2, 2], pad = [0, 0, 0, 0], dilation = [1, 1], groups = 4>
    ```
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$strides,
                        ArrayRefParameter<"int64_t">:$pad,
                        ArrayRefParameter<"int64_t">:$dilation,
                        DefaultValuedParameter<"int64_t", "1">:$groups);
  let assemblyFormat = [{
    `<` `strides` `=` `[` $strides `]` `,` `pad` `=` `[` $pad `]` `,`
        `dilation` `=` `[` $dilation `]` (`,` `groups` `=` $groups^)? `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Output extent of spatial dimension `dim` (0 = H, 1 = W) for an input
    /// extent and kernel extent; ShapedType::kDynamic if the input is.
    int64_t getOutputSize(unsigned dim, int64_t input, int64_t kernel) const;
  }];
}

def QC_Activation : I32EnumAttr<"Activation",
    "activation applied after the per-channel affine output transform", [
      I32EnumAttrCase<"None", 0, "none">,
      I32EnumAttrCase<"Relu", 1, "relu">,
      I32EnumAttrCase<"Clamp", 2, "clamp">,
      I32EnumAttrCase<"Sign", 3, "sign">
    ]> {
  let cppNamespace = "::mlir::qc";
  let genSpecializedAttr = 0;
}
def QC_ActivationAttr : EnumAttr<QC_Dialect, QC_Activation, "activation"> {
  let assemblyFormat = "`<` $value `>`";
}

def QC_BitEncoding : I32EnumAttr<"BitEncoding",
    "how the bit-planes of a packed operand encode its values", [
      I32EnumAttrCase<"Sign", 0, "sign">,
      I32EnumAttrCase<"Unsigned", 1, "unsigned">,
      I32EnumAttrCase<"TwosComplement", 2, "twos_complement">
    ]> {
  let cppNamespace = "::mlir::qc";
  let genSpecializedAttr = 0;
}
def QC_BitEncodingAttr : EnumAttr<QC_Dialect, QC_BitEncoding, "encoding"> {
  let assemblyFormat = "`<` $value `>`";
}

#endif // QC_ATTRS_TD
