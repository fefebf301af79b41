//===- OpSchemas.cpp - What the importer accepts of each ONNX op ----------===//
//
// One table row per supported ONNX op: its importer, how many inputs and
// outputs it may have, and every attribute the importer honours (or that
// cannot change an inference result, such as BatchNormalization's momentum).
// The graph check rejects, before anything is imported, a node with more
// inputs or outputs than its op has, an attribute given twice, and an
// attribute the importer would otherwise ignore, so that no part of a model
// is silently dropped.
//
//===----------------------------------------------------------------------===//

#include "lowering/ONNXToTOSA/GraphImporter.h"

#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::qc;
using namespace mlir::qc::onnx_import;

namespace {
using I = GraphImporter;

/// No upper bound on inputs (Concat).
constexpr unsigned kAny = ~0u;

// Attribute lists shared by several ops.
constexpr StringLiteral kConvAttrs[] = {"auto_pad", "dilations", "group",
                                        "kernel_shape", "pads", "strides"};
constexpr StringLiteral kMaxPoolAttrs[] = {
    "auto_pad", "ceil_mode", "dilations", "kernel_shape",
    "pads",     "strides",   "storage_order"};
constexpr StringLiteral kAvgPoolAttrs[] = {
    "auto_pad", "ceil_mode", "count_include_pad", "dilations",
    "kernel_shape", "pads", "strides"};
// Opset 1-6 leftovers (consumed_inputs, is_test, spatial, broadcast, axis)
// are read and rejected by the importers where they would matter.
constexpr StringLiteral kBatchNormAttrs[] = {
    "epsilon", "momentum", "training_mode", "spatial", "is_test",
    "consumed_inputs"};
constexpr StringLiteral kBinaryAttrs[] = {"broadcast", "axis",
                                          "consumed_inputs"};
constexpr StringLiteral kUnaryAttrs[] = {"consumed_inputs"};
constexpr StringLiteral kAlpha[] = {"alpha", "consumed_inputs"};
constexpr StringLiteral kAlphaBeta[] = {"alpha", "beta", "consumed_inputs"};
constexpr StringLiteral kClipAttrs[] = {"min", "max", "consumed_inputs"};
constexpr StringLiteral kAxis[] = {"axis"};
constexpr StringLiteral kAxes[] = {"axes"};
constexpr StringLiteral kGemmAttrs[] = {"alpha", "beta", "transA", "transB",
                                        "broadcast"};
constexpr StringLiteral kDropoutAttrs[] = {"ratio", "seed", "is_test"};
constexpr StringLiteral kConstantAttrs[] = {
    "value",     "value_float",  "value_floats", "value_int",
    "value_ints", "sparse_value", "value_string", "value_strings"};
constexpr StringLiteral kReshapeAttrs[] = {"allowzero", "shape"};
constexpr StringLiteral kTransposeAttrs[] = {"perm"};
constexpr StringLiteral kShapeAttrs[] = {"start", "end"};
constexpr StringLiteral kCastAttrs[] = {"to", "saturate"};
constexpr StringLiteral kPadAttrs[] = {"mode", "pads", "value"};
constexpr StringLiteral kSliceAttrs[] = {"starts", "ends", "axes"};
constexpr StringLiteral kSplitAttrs[] = {"axis", "split", "num_outputs"};
constexpr StringLiteral kReduceAttrs[] = {"axes", "keepdims",
                                          "noop_with_empty_axes"};
constexpr StringLiteral kQDQAttrs[] = {"axis", "saturate", "block_size"};
constexpr StringLiteral kQuantAttrs[] = {"signed", "narrow", "rounding_mode"};
constexpr StringLiteral kMultiThresholdAttrs[] = {"out_scale", "out_bias",
                                                  "out_dtype", "data_layout"};

/// One supported op.
struct OpSchema {
  StringLiteral name;
  GraphImporter::Handler handler;
  unsigned minInputs, maxInputs, maxOutputs;
  ArrayRef<StringLiteral> attributes;
};

// clang-format off
const OpSchema kDefaultDomainOps[] = {
    {"Conv", &I::importConv, 2, 3, 1, kConvAttrs},
    {"Gemm", &I::importGemm, 2, 3, 1, kGemmAttrs},
    {"MatMul", &I::importMatMul, 2, 2, 1},
    {"MaxPool", &I::importMaxPool, 1, 1, 2, kMaxPoolAttrs},
    {"AveragePool", &I::importAveragePool, 1, 1, 1, kAvgPoolAttrs},
    {"GlobalAveragePool", &I::importGlobalAveragePool, 1, 1, 1},
    {"GlobalMaxPool", &I::importGlobalMaxPool, 1, 1, 1},
    {"BatchNormalization", &I::importBatchNormalization, 5, 5, 5,
     kBatchNormAttrs},
    {"Relu", &I::importRelu, 1, 1, 1, kUnaryAttrs},
    {"LeakyRelu", &I::importLeakyRelu, 1, 1, 1, kAlpha},
    {"Clip", &I::importClip, 1, 3, 1, kClipAttrs},
    {"Sign", &I::importSign, 1, 1, 1},
    {"HardSigmoid", &I::importHardSigmoid, 1, 1, 1, kAlphaBeta},
    {"Sigmoid", &I::importSigmoid, 1, 1, 1, kUnaryAttrs},
    {"Tanh", &I::importTanh, 1, 1, 1, kUnaryAttrs},
    {"Add", &I::importBinary, 2, 2, 1, kBinaryAttrs},
    {"Sub", &I::importBinary, 2, 2, 1, kBinaryAttrs},
    {"Mul", &I::importBinary, 2, 2, 1, kBinaryAttrs},
    {"Div", &I::importBinary, 2, 2, 1, kBinaryAttrs},
    {"Softmax", &I::importSoftmax, 1, 1, 1, kAxis},
    {"Identity", &I::importIdentity, 1, 1, 1},
    {"Dropout", &I::importDropout, 1, 3, 2, kDropoutAttrs},
    {"Constant", &I::importConstant, 0, 0, 1, kConstantAttrs},
    {"Flatten", &I::importFlatten, 1, 1, 1, kAxis},
    {"Reshape", &I::importReshape, 1, 2, 1, kReshapeAttrs},
    {"Transpose", &I::importTranspose, 1, 1, 1, kTransposeAttrs},
    {"Concat", &I::importConcat, 1, kAny, 1, kAxis},
    {"Squeeze", &I::importSqueeze, 1, 2, 1, kAxes},
    {"Unsqueeze", &I::importUnsqueeze, 1, 2, 1, kAxes},
    {"Shape", &I::importShape, 1, 1, 1, kShapeAttrs},
    {"Gather", &I::importGather, 2, 2, 1, kAxis},
    {"Cast", &I::importCast, 1, 1, 1, kCastAttrs},
    {"Slice", &I::importSlice, 1, 5, 1, kSliceAttrs},
    {"Split", &I::importSplit, 1, 2, kAny, kSplitAttrs},
    {"Pad", &I::importPad, 1, 4, 1, kPadAttrs},
    {"ReduceSum", &I::importReduceSum, 1, 2, 1, kReduceAttrs},
    {"ReduceMean", &I::importReduceMean, 1, 2, 1, kReduceAttrs},
    {"ReduceMax", &I::importReduceMax, 1, 2, 1, kReduceAttrs},
    {"ReduceMin", &I::importReduceMin, 1, 2, 1, kReduceAttrs},
    {"ReduceSumSquare", &I::importReduceSumSquare, 1, 2, 1, kReduceAttrs},
    {"QuantizeLinear", &I::importQuantizeLinear, 2, 3, 1, kQDQAttrs},
    {"DequantizeLinear", &I::importDequantizeLinear, 2, 3, 1, kQDQAttrs},
};

const OpSchema kQONNXOps[] = {
    {"Quant", &I::importQONNXQuant, 4, 4, 1, kQuantAttrs},
    {"BipolarQuant", &I::importBipolarQuant, 2, 2, 1},
    {"MultiThreshold", &I::importMultiThreshold, 2, 2, 1,
     kMultiThresholdAttrs},
};
// clang-format on

const OpSchema *lookup(ArrayRef<OpSchema> table, StringRef name) {
  for (const OpSchema &schema : table)
    if (schema.name == name)
      return &schema;
  return nullptr;
}

const OpSchema *findSchema(const onnx::NodeProto &nodeProto) {
  if (isQONNXDomain(nodeProto.domain()))
    return lookup(kQONNXOps, nodeProto.op_type());
  if (isDefaultDomain(nodeProto.domain()))
    return lookup(kDefaultDomainOps, nodeProto.op_type());
  return nullptr;
}
} // namespace

bool onnx_import::isQONNXDomain(StringRef domain) {
  return domain == "qonnx.custom_op.general" ||
         domain == "finn.custom_op.general" || domain == "onnx.brevitas";
}

bool onnx_import::isDefaultDomain(StringRef domain) {
  return domain.empty() || domain == "ai.onnx";
}

GraphImporter::Handler
GraphImporter::findHandler(const onnx::NodeProto &nodeProto) const {
  const OpSchema *schema = findSchema(nodeProto);
  return schema ? schema->handler : nullptr;
}

LogicalResult GraphImporter::checkNodeSignature(const onnx::NodeProto &nodeProto,
                                                Location nodeLoc) {
  const OpSchema *schema = findSchema(nodeProto);
  if (!schema)
    return failure();
  auto describe = [&]() {
    return "node '" + nodeProto.name() + "' (" + nodeProto.op_type() + ")";
  };
  // Trailing empty names are optional inputs left out, as ONNX allows.
  int numInputs = nodeProto.input_size();
  while (numInputs > 0 && nodeProto.input(numInputs - 1).empty())
    --numInputs;
  bool ok = true;
  if (static_cast<unsigned>(numInputs) > schema->maxInputs) {
    emitError(nodeLoc) << describe() << " has " << numInputs
                       << " inputs; " << schema->name << " takes at most "
                       << schema->maxInputs;
    ok = false;
  }
  if (static_cast<unsigned>(numInputs) < schema->minInputs) {
    emitError(nodeLoc) << describe() << " has " << numInputs
                       << " inputs; " << schema->name << " needs at least "
                       << schema->minInputs;
    ok = false;
  }
  if (static_cast<unsigned>(nodeProto.output_size()) > schema->maxOutputs) {
    emitError(nodeLoc) << describe() << " has " << nodeProto.output_size()
                       << " outputs; " << schema->name << " has at most "
                       << schema->maxOutputs;
    ok = false;
  }
  llvm::StringSet<> seen;
  for (const onnx::AttributeProto &attr : nodeProto.attribute()) {
    if (!seen.insert(attr.name()).second) {
      emitError(nodeLoc) << describe() << " has attribute '" << attr.name()
                         << "' more than once";
      ok = false;
      continue;
    }
    if (!llvm::is_contained(schema->attributes, attr.name())) {
      emitError(nodeLoc) << describe() << " has attribute '" << attr.name()
                         << "', which " << schema->name
                         << " does not have or the importer does not support";
      ok = false;
    }
  }
  return success(ok);
}
