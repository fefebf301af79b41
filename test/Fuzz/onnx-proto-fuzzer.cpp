//===- onnx-proto-fuzzer.cpp - Structure-aware fuzzing of the importer ----===//
//
// libFuzzer target with a custom mutator: inputs are serialized ONNX
// ModelProtos, and instead of flipping bytes (which mostly breaks the
// protobuf encoding) the mutator parses the model, changes it the way a
// broken or hostile exporter would (edge-value attributes, missing or extra
// inputs and attributes, odd shapes and data types, other op types,
// truncated tensor data, other opsets) and serializes it again. Bytes that
// do not parse are mutated as bytes. Models that import are compiled with
// one of the qc pipelines, chosen by the input's length.
//
//===----------------------------------------------------------------------===//

#include "test/Fuzz/FuzzSupport.h"

#include "onnx/onnx_pb.h"

#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

namespace {

/// Integers that sit on the boundaries importers get wrong: zero, negative,
/// overflowing 32 bits, overflowing any product, and small valid ones.
// clang-format off
constexpr int64_t kEdgeInts[] = {
    0, -1, 1, 2, 3, 7, -2, INT64_MAX, INT64_MIN, int64_t(1) << 62,
    int64_t(1) << 31, -(int64_t(1) << 31), int64_t(1) << 32, 65535};
// clang-format on

/// Op types to swap in: every op the importer supports (so that a node
/// meets another op's checks with the wrong inputs and attributes), and a
/// few it rejects.
// clang-format off
const char *const kOpTypes[] = {
    "Add", "AveragePool", "BatchNormalization", "BipolarQuant", "Cast",
    "Clip", "Concat", "Constant", "Conv", "DequantizeLinear", "Div",
    "Dropout", "Flatten", "Gather", "Gemm", "GlobalAveragePool",
    "GlobalMaxPool", "HardSigmoid", "Identity", "LeakyRelu", "MatMul",
    "MaxPool", "Mul", "MultiThreshold", "Quant", "QuantizeLinear", "Relu",
    "Reshape", "Shape", "Sigmoid", "Sign", "Softmax", "Squeeze", "Sub", "Tanh",
    "Transpose", "Unsqueeze", "Pad", "Resize", "If"};
// clang-format on

/// Domains: ONNX's, QONNX's custom ops, and one nobody implements.
const char *const kDomains[] = {"", "ai.onnx", "qonnx.custom_op.general",
                                "finn.custom_op.general", "com.example"};

/// One mutation pass over a parsed model. Each step picks a kind of change
/// and returns false when the model has nothing it applies to, so that the
/// caller tries another kind.
class ModelMutator {
public:
  ModelMutator(onnx::ModelProto &model, unsigned seed)
      : model(model), rng(seed) {}

  /// Applies one to three changes; false when none applied.
  bool mutate() {
    unsigned wanted = 1 + pick(3), done = 0;
    for (unsigned attempt = 0; attempt < 16 && done < wanted; ++attempt)
      done += step();
    return done > 0;
  }

private:
  onnx::ModelProto &model;
  std::minstd_rand rng;

  size_t pick(size_t n) { return n ? rng() % n : 0; }
  bool coin() { return rng() & 1; }
  int64_t edgeInt() {
    return coin() ? kEdgeInts[pick(std::size(kEdgeInts))]
                  : static_cast<int64_t>(pick(9)) - 1;
  }

  onnx::GraphProto *graph() { return model.mutable_graph(); }
  onnx::NodeProto *anyNode() {
    int n = graph()->node_size();
    return n ? graph()->mutable_node(pick(n)) : nullptr;
  }
  onnx::AttributeProto *anyAttribute() {
    onnx::NodeProto *node = anyNode();
    if (!node || !node->attribute_size())
      return nullptr;
    return node->mutable_attribute(pick(node->attribute_size()));
  }
  /// An initializer or the tensor of a Constant node.
  onnx::TensorProto *anyTensor() {
    std::vector<onnx::TensorProto *> tensors;
    for (onnx::TensorProto &t : *graph()->mutable_initializer())
      tensors.push_back(&t);
    for (onnx::NodeProto &node : *graph()->mutable_node())
      for (onnx::AttributeProto &a : *node.mutable_attribute())
        if (a.has_t())
          tensors.push_back(a.mutable_t());
    return tensors.empty() ? nullptr : tensors[pick(tensors.size())];
  }
  /// A graph input, output or value_info with a tensor type.
  onnx::TypeProto_Tensor *anyValueType() {
    std::vector<onnx::ValueInfoProto *> values;
    for (auto *list : {graph()->mutable_input(), graph()->mutable_output(),
                       graph()->mutable_value_info()})
      for (onnx::ValueInfoProto &v : *list)
        values.push_back(&v);
    if (values.empty())
      return nullptr;
    return values[pick(values.size())]->mutable_type()->mutable_tensor_type();
  }
  /// A name some value of the graph has, or a fresh one.
  std::string anyValueName() {
    std::vector<std::string> names;
    for (const onnx::ValueInfoProto &v : graph()->input())
      names.push_back(v.name());
    for (const onnx::TensorProto &t : graph()->initializer())
      names.push_back(t.name());
    for (const onnx::NodeProto &n : graph()->node())
      for (const std::string &o : n.output())
        names.push_back(o);
    if (names.empty() || pick(8) == 0)
      return pick(2) ? "" : "no_such_value";
    return names[pick(names.size())];
  }
  /// Removes one element of a repeated field, if any.
  template <typename Field> void dropOne(Field *field) {
    if (field->size())
      field->erase(field->begin() + pick(field->size()));
  }

  bool step();
};

bool ModelMutator::step() {
  switch (pick(14)) {
  case 0: { // An int attribute (or one element of an ints list) to an edge.
    onnx::AttributeProto *a = anyAttribute();
    if (!a)
      return false;
    if (a->ints_size() && coin())
      a->set_ints(pick(a->ints_size()), edgeInt());
    else if (a->ints_size() && coin())
      coin() ? a->add_ints(edgeInt()) : dropOne(a->mutable_ints());
    else
      a->set_i(edgeInt());
    return true;
  }
  case 1: { // A float attribute to a value no model should hold.
    onnx::AttributeProto *a = anyAttribute();
    if (!a)
      return false;
    const float values[] = {NAN,   INFINITY, -INFINITY, 0.0f,
                            -1.0f, 1e30f,    1e-40f};
    float v = values[pick(std::size(values))];
    if (a->floats_size())
      a->set_floats(pick(a->floats_size()), v);
    else
      a->set_f(v);
    return true;
  }
  case 2: { // Drop, duplicate or retype an attribute.
    onnx::NodeProto *node = anyNode();
    if (!node || !node->attribute_size())
      return false;
    size_t i = pick(node->attribute_size());
    switch (pick(3)) {
    case 0:
      node->mutable_attribute()->DeleteSubrange(i, 1);
      break;
    case 1:
      *node->add_attribute() = node->attribute(i);
      break;
    default:
      node->mutable_attribute(i)->set_type(
          static_cast<onnx::AttributeProto_AttributeType>(pick(15)));
    }
    return true;
  }
  case 3: { // Drop, duplicate or rename an input of a node.
    onnx::NodeProto *node = anyNode();
    if (!node)
      return false;
    if (node->input_size() && coin())
      node->mutable_input()->DeleteSubrange(pick(node->input_size()), 1);
    else if (node->input_size() && coin())
      node->add_input(node->input(pick(node->input_size())));
    else if (node->input_size())
      node->set_input(pick(node->input_size()), anyValueName());
    else
      node->add_input(anyValueName());
    return true;
  }
  case 4: { // Another op type or domain.
    onnx::NodeProto *node = anyNode();
    if (!node)
      return false;
    if (pick(4))
      node->set_op_type(kOpTypes[pick(std::size(kOpTypes))]);
    else
      node->set_domain(kDomains[pick(std::size(kDomains))]);
    return true;
  }
  case 5: { // The dims of a tensor: one to an edge value, one more or less.
    onnx::TensorProto *t = anyTensor();
    if (!t)
      return false;
    if (t->dims_size() && pick(3))
      t->set_dims(pick(t->dims_size()), edgeInt());
    else if (coin())
      t->add_dims(edgeInt());
    else
      dropOne(t->mutable_dims());
    return true;
  }
  case 6: { // The shape of a graph input or output.
    onnx::TypeProto_Tensor *type = anyValueType();
    if (!type)
      return false;
    onnx::TensorShapeProto *shape = type->mutable_shape();
    if (shape->dim_size() && pick(3)) {
      onnx::TensorShapeProto_Dimension *d =
          shape->mutable_dim(pick(shape->dim_size()));
      if (pick(4))
        d->set_dim_value(edgeInt());
      else
        d->set_dim_param("N");
    } else if (coin()) {
      shape->add_dim()->set_dim_value(edgeInt());
    } else {
      dropOne(shape->mutable_dim());
    }
    return true;
  }
  case 7: { // The element type of a tensor or of a graph input/output.
    int type = static_cast<int>(pick(26));
    if (coin()) {
      onnx::TensorProto *t = anyTensor();
      if (!t)
        return false;
      t->set_data_type(type);
    } else {
      onnx::TypeProto_Tensor *value = anyValueType();
      if (!value)
        return false;
      value->set_elem_type(type);
    }
    return true;
  }
  case 8: { // Tensor data: truncated, extended, or moved out of raw_data.
    onnx::TensorProto *t = anyTensor();
    if (!t)
      return false;
    if (!t->raw_data().empty() && pick(4)) {
      std::string *raw = t->mutable_raw_data();
      if (coin())
        raw->resize(pick(raw->size()));
      else
        raw->append(1 + pick(8), '\x7f');
    } else if (t->float_data_size() && coin()) {
      dropOne(t->mutable_float_data());
    } else {
      t->clear_raw_data();
      t->add_float_data(NAN);
      t->add_int64_data(edgeInt());
    }
    return true;
  }
  case 9: { // Opset versions, and opset entries missing or doubled.
    if (!model.opset_import_size() || pick(4) == 0) {
      onnx::OperatorSetIdProto *opset = model.add_opset_import();
      opset->set_domain(kDomains[pick(std::size(kDomains))]);
      opset->set_version(edgeInt());
      return true;
    }
    int i = pick(model.opset_import_size());
    if (pick(3))
      model.mutable_opset_import(i)->set_version(
          coin() ? static_cast<int64_t>(pick(25)) : edgeInt());
    else
      model.mutable_opset_import()->DeleteSubrange(i, 1);
    return true;
  }
  case 10: { // Nodes dropped, doubled or reordered.
    int n = graph()->node_size();
    if (!n)
      return false;
    size_t i = pick(n), j = pick(n);
    switch (pick(3)) {
    case 0:
      graph()->mutable_node()->DeleteSubrange(i, 1);
      break;
    case 1:
      *graph()->add_node() = graph()->node(i);
      break;
    default:
      graph()->mutable_node()->SwapElements(i, j);
    }
    return true;
  }
  case 11: { // Graph inputs, outputs or initializers dropped or renamed.
    switch (pick(4)) {
    case 0:
      dropOne(graph()->mutable_input());
      break;
    case 1:
      dropOne(graph()->mutable_output());
      break;
    case 2:
      dropOne(graph()->mutable_initializer());
      break;
    default:
      if (!graph()->output_size())
        return false;
      graph()
          ->mutable_output(pick(graph()->output_size()))
          ->set_name(anyValueName());
    }
    return true;
  }
  case 12: { // A node output renamed to an existing value or dropped.
    onnx::NodeProto *node = anyNode();
    if (!node || !node->output_size())
      return false;
    if (coin())
      node->set_output(pick(node->output_size()), anyValueName());
    else
      dropOne(node->mutable_output());
    return true;
  }
  default: // The IR version, and external data references.
    if (coin()) {
      model.set_ir_version(edgeInt());
      return true;
    }
    if (onnx::TensorProto *t = anyTensor()) {
      t->set_data_location(onnx::TensorProto_DataLocation_EXTERNAL);
      onnx::StringStringEntryProto *entry = t->add_external_data();
      entry->set_key(coin() ? "location" : "offset");
      entry->set_value(coin() ? "../../etc/passwd" : "-1");
      return true;
    }
    return false;
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  mlir::qc::fuzz::registerEverything();
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned seed) {
  onnx::ModelProto model;
  // One in eight rounds mutates bytes anyway: it reaches the protobuf
  // decoding errors the structured changes never produce.
  if (seed % 8 == 0 || !model.ParseFromArray(data, static_cast<int>(size)))
    return LLVMFuzzerMutate(data, size, maxSize);
  ModelMutator mutator(model, seed);
  if (!mutator.mutate())
    return LLVMFuzzerMutate(data, size, maxSize);
  std::string bytes;
  if (!model.SerializeToString(&bytes) || bytes.size() > maxSize)
    return LLVMFuzzerMutate(data, size, maxSize);
  std::memcpy(data, bytes.data(), bytes.size());
  return bytes.size();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::qc::fuzz::importONNX(
      llvm::StringRef(reinterpret_cast<const char *>(data), size),
      /*compile=*/true, /*pipeline=*/static_cast<unsigned>(size));
  return 0;
}
