//===- quant-config-fuzzer.cpp - Fuzz the --quant-config reader -----------===//
//
// libFuzzer target: the input is the text of a --quant-config JSON file,
// read by parseQuantConfig against a fixed model with the kinds of layer a
// config can name: float constant weights, a weight computed at run time,
// a weight the model already quantizes, and an op that is no layer.
//
//===----------------------------------------------------------------------===//

#include "test/Fuzz/FuzzSupport.h"

#include "passes/Analysis/QuantConfig.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace mlir;

/// The model: layers fc1 and fc2 (constant weights), fc_runtime (weight
/// is an argument), fc_qonnx (qc.dequantize weight), relu1 (not a layer).
static const char kModel[] = R"mlir(
func.func @f(%x: tensor<1x4xf32>, %w3: tensor<2x2xf32>) -> tensor<1x2xf32> {
  %w1 = "tosa.const"() {value = dense<[[0.5, -1.0, 0.25, 2.0], [-0.75, 0.5, 1.5, -0.5]]> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %w2 = "tosa.const"() {value = dense<[[0.5, -1.0], [0.25, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = tosa.fully_connected %x, %w1, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc1")
  %1 = tosa.fully_connected %0, %w2, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc2")
  %2 = tosa.clamp %1 {min_fp = 0.0 : f32, max_fp = 6.0 : f32, min_int = 0 : i64, max_int = 6 : i64} : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("relu1")
  %3 = tosa.fully_connected %2, %w3, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc_runtime")
  %q = qc.quantize %w2 : tensor<2x2xf32> -> tensor<2x2x!qc.binary<f32, alpha = [1.0]>>
  %w4 = qc.dequantize %q : tensor<2x2x!qc.binary<f32, alpha = [1.0]>> -> tensor<2x2xf32>
  %4 = tosa.fully_connected %3, %w4, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc_qonnx")
  return %4 : tensor<1x2xf32>
}
)mlir";

namespace {
/// The parsed model, shared by every input: parseQuantConfig only reads it.
struct Model {
  std::unique_ptr<MLIRContext> context;
  OwningOpRef<ModuleOp> module;
  SmallVector<Operation *> layers;
};
} // namespace

static Model &getModel() {
  static Model model;
  return model;
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  qc::fuzz::registerEverything();
  Model &model = getModel();
  model.context = qc::fuzz::makeSilentContext();
  model.module =
      parseSourceString<ModuleOp>(kModel, ParserConfig(model.context.get()));
  if (!model.module || failed(verify(*model.module))) {
    std::fprintf(stderr,
                 "quant-config-fuzzer: the built-in model is invalid\n");
    std::abort();
  }
  model.module->walk(
      [&](tosa::FullyConnectedOp op) { model.layers.push_back(op); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Model &model = getModel();
  std::string error;
  (void)qc::parseQuantConfig(
      StringRef(reinterpret_cast<const char *>(data), size), *model.module,
      model.layers, error);
  return 0;
}
