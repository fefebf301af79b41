//===- QuantConfig.cpp - Per-layer quantization specs from JSON -----------===//
//
// The --quant-config reader: bounds the nesting of the JSON before
// llvm::json parses it (the parser recurses once per level), parses each
// layer's specs through the scheme table and checks them against the layer
// they name, so that every mistake is reported with the layer, its op and
// why.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/QuantConfig.h"
#include "dialects/QC/QCOps.h"

#include "mlir/IR/Matchers.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;
using namespace mlir::qc;

LogicalResult mlir::qc::checkJsonNestingDepth(StringRef text,
                                              std::string &error) {
  unsigned depth = 0, line = 1, column = 0;
  bool inString = false, escaped = false;
  for (char c : text) {
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
    }
    if (inString) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxQuantConfigDepth) {
        error = "nested deeper than " + std::to_string(kMaxQuantConfigDepth) +
                " levels at line " + std::to_string(line) + ", column " +
                std::to_string(column);
        return failure();
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return success();
}

/// Fails with `error` set when the weight of `layer` cannot take `spec`
/// (written `text` in the config): only a float constant can be quantized;
/// `auto` also accepts a weight that the model already quantizes (it keeps
/// it).
static LogicalResult checkWeightsTakeScheme(Operation *layer,
                                            const SchemeSpec &spec,
                                            StringRef text,
                                            std::string &error) {
  Value weight = layer->getOperand(1);
  DenseFPElementsAttr values;
  if (spec.scheme == QuantScheme::None ||
      matchPattern(weight, m_Constant(&values)))
    return success();
  bool quantized = weight.getDefiningOp<DequantizeOp>() != nullptr;
  if (quantized && spec.scheme == QuantScheme::Auto)
    return success();
  std::string why =
      quantized ? "already quantized in the model (a qc.dequantize); use "
                  "none or auto to keep it"
      : matchPattern(weight, m_Constant())
          ? "a constant of a non-float type; only float weights are "
            "quantized"
          : "not a constant (it is computed at run time); only constant "
            "weights are quantized";
  error = ("weights '" + text + "' cannot apply: its weight is " + why).str();
  return failure();
}

FailureOr<QuantConfig> mlir::qc::parseQuantConfig(StringRef text,
                                                  Operation *scope,
                                                  ArrayRef<Operation *> layers,
                                                  std::string &error) {
  auto bad = [&](const Twine &why) {
    error = why.str();
    return failure();
  };
  std::string depthError;
  if (failed(checkJsonNestingDepth(text, depthError)))
    return bad("not valid JSON: " + depthError);
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(text);
  if (!json)
    return bad("not valid JSON: " + llvm::toString(json.takeError()));
  const llvm::json::Object *root = json->getAsObject();
  const llvm::json::Object *entries =
      root ? root->getObject("layers") : nullptr;
  if (!entries)
    return bad("expected an object with a \"layers\" object, keyed by "
               "ONNX node name");
  llvm::StringMap<Operation *> known;
  std::string names;
  for (Operation *op : layers) {
    std::string name = getLayerName(op->getLoc());
    known[name] = op;
    names += (names.empty() ? "" : ", ") + name;
  }
  // Sorted, so that the first error is the same on every run.
  SmallVector<StringRef> keys;
  for (const auto &entry : *entries)
    keys.push_back(entry.first);
  llvm::sort(keys);
  QuantConfig config;
  for (StringRef key : keys) {
    Operation *op = known.lookup(key);
    if (!op) {
      // Another op of that name: say what it is.
      Operation *other = nullptr;
      scope->walk([&](Operation *candidate) {
        if (!other && getLayerName(candidate->getLoc()) == key)
          other = candidate;
      });
      if (other)
        return bad(
            "layer '" + key + "' is a " + other->getName().getStringRef() +
            ", not a conv or dense layer of the model (layers: " + names + ")");
      return bad("layer '" + key +
                 "' is not a conv or dense layer of the model (layers: " +
                 names + ")");
    }
    std::string layer =
        ("layer '" + key + "' (" + op->getName().getStringRef() + ")").str();
    const llvm::json::Object *fields = entries->getObject(key);
    if (!fields)
      return bad(layer + ": expected an object with \"weights\" and/or "
                         "\"activations\"");
    LayerQuantSpecs &specs = config[key];
    SmallVector<StringRef> fieldNames;
    for (const auto &field : *fields)
      fieldNames.push_back(field.first);
    llvm::sort(fieldNames);
    for (StringRef name : fieldNames) {
      std::optional<StringRef> value = fields->get(name)->getAsString();
      std::string why;
      if (name == "weights") {
        if (!value)
          return bad(layer + ": \"weights\" must be a string");
        specs.weights =
            parseSchemeSpec(*value, QuantTarget::Weights, "weights", why);
        if (!specs.weights ||
            failed(checkWeightsTakeScheme(op, *specs.weights, *value, why)))
          return bad(layer + ": " + why);
      } else if (name == "activations") {
        if (!value)
          return bad(layer + ": \"activations\" must be a string");
        specs.activations = parseSchemeSpec(*value, QuantTarget::Activations,
                                            "activation spec", why);
        if (!specs.activations)
          return bad(layer + ": " + why);
      } else {
        return bad(layer + ": unknown key '" + name +
                   "' (weights, activations)");
      }
    }
  }
  return config;
}

FailureOr<QuantConfig> mlir::qc::readQuantConfig(StringRef path,
                                                 Operation *scope,
                                                 ArrayRef<Operation *> layers,
                                                 std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    error = (path + ": cannot read: " + buffer.getError().message()).str();
    return failure();
  }
  FailureOr<QuantConfig> config =
      parseQuantConfig((*buffer)->getBuffer(), scope, layers, error);
  if (failed(config))
    error = (path + ": " + error).str();
  return config;
}
