//===- QCBase.td - qc dialect definition -------------------*- tablegen -*-===//
//
// The qc dialect: quantized element types, tensor-level quantized ops and the
// kernel-level bit operations that quantized multiply-accumulates lower to.
//
//===----------------------------------------------------------------------===//

#ifndef QC_BASE_TD
#define QC_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def QC_Dialect : Dialect {
  let name = "qc";
  let cppNamespace = "::mlir::qc";
  let summary = "Quantized CNN inference: types, quantized ops and bit kernels";
  let description = [{
    The qc dialect models low-bit inference of image-classification networks.
    Element types describe how a tensor's values are quantized (binary,
    ternary, power-of-two, codebook; uniform k-bit reuses `!quant.uniform`).
    Tensor-level ops (`qc.conv2d`, `qc.dense`) compute with quantized
    operands and carry a fused per-channel output transform. Kernel-level ops
    (`qc.xnor_popcount`, `qc.bitserial_popcount`, ...) work on bit-packed
    integer tensors and are what the cheap-MAC rewrites produce.

    Layout: activations are NHWC and convolution weights OHWI, so that the
    channel axis is innermost and bit-packing runs along it.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::quant::QuantizationDialect"
  ];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  // Discardable attributes qc's passes read and write on TOSA layers:
  // `qc.input_range = array<f64: lo, hi, mean |x|>`, the calibrated clip
  // range of a conv or dense layer's input, written by calibration and read
  // by qc-quantize, which checks its values.
  //
  // `qc.required_batch` (with `qc.required_batch_node`) on a model function
  // whose inputs have a dynamic batch: the one batch its shapes allow, fixed
  // by the named node (a Reshape to a constant shape, say). The importer
  // writes it; the JIT and the C entry point refuse any other batch.
  //
  // `qc.runtime_calls` on a module: the layers convert-qc-to-runtime-calls
  // turned into calls of runtime ukernels, in IR order, as
  // `{layer = "<ONNX node>", call = "<function>"}` dictionaries; `--explain`
  // and the report show them.
  //
  // `qc.workspace` on the argument of an entry point that receives the
  // caller's scratch memory (a `memref<?xi8>`); qc-plan-buffers places the
  // function's buffers in it when it is large enough.
  //
  // `qc.buffer_plan` on a module: what qc-plan-buffers did to the entry
  // point's buffers (`buffers`, `slots`, `bytes_per_unit`: the arena's size
  // when every dynamic extent is 1, i.e. per image; `unplanned`: buffers
  // left to malloc), read by the report and by hosts sizing a workspace.
  let discardableAttrs = (ins "::mlir::DenseF64ArrayAttr":$input_range,
                              "::mlir::IntegerAttr":$required_batch,
                              "::mlir::StringAttr":$required_batch_node,
                              "::mlir::ArrayAttr":$runtime_calls,
                              "::mlir::UnitAttr":$workspace,
                              "::mlir::DictionaryAttr":$buffer_plan);
  let extraClassDeclaration = [{
    void registerTypes();
    void registerAttributes();
  }];
}

/// Base class of every qc op.
class QC_Op<string mnemonic, list<Trait> traits = []>
    : Op<QC_Dialect, mnemonic, traits>;

/// Base class of every qc type.
class QC_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<QC_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

/// Base class of every qc attribute.
class QC_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<QC_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

#endif // QC_BASE_TD
