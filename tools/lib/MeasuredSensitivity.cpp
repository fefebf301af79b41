//===- MeasuredSensitivity.cpp - Per-layer loss measured on data ----------===//
//
// Clones the model once per (layer, choice), marks that one layer with
// `qc.precision`, runs qc-quantize and the JIT CPU pipeline on the clone and
// compares its softmax output with the float model's on the same images.
// The evaluations run one after the other: each JIT compile owns the
// process's LLVM state while it runs.
//
//===----------------------------------------------------------------------===//

#include "tools/lib/MeasuredSensitivity.h"
#include "lowering/CPU/JITModel.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/PassManager.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qc;

/// The conv and dense layers of `model` with a constant float weight, in
/// walk order (the same in every clone).
static SmallVector<Operation *> getLayers(func::FuncOp model) {
  SmallVector<Operation *> layers;
  model.walk([&](Operation *op) {
    DenseFPElementsAttr weights;
    if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::FullyConnectedOp>(
            op) &&
        matchPattern(op->getOperand(1), m_Constant(&weights)))
      layers.push_back(op);
  });
  return layers;
}

/// Compiles a clone of `module` (with `mark` applied to the clone's layers
/// first, and `quantize` then running qc-quantize) and runs it on `images`;
/// the logits, or failure (diagnostics suppressed) with `error` set.
static FailureOr<HostTensor>
runClone(ModuleOp module, StringRef name, const HostTensor &images,
         function_ref<void(ArrayRef<Operation *>)> mark, bool quantize,
         std::string &error) {
  OwningOpRef<ModuleOp> clone = module.clone();
  auto model = clone->lookupSymbol<func::FuncOp>(name);
  mark(getLayers(model));
  // A choice the layer cannot take fails quietly here; the caller leaves
  // it out.
  ScopedDiagnosticHandler quiet(module.getContext(),
                                [](Diagnostic &) { return success(); });
  if (quantize) {
    PassManager pm(module.getContext());
    QCQuantizeOptions options;
    options.weightScheme = "none";
    pm.addNestedPass<func::FuncOp>(createQCQuantize(options));
    if (failed(pm.run(*clone))) {
      error = "qc-quantize failed";
      return failure();
    }
  }
  auto compiled = JITModel::compile(*clone, name);
  if (failed(compiled)) {
    error = "the model does not compile for the CPU";
    return failure();
  }
  std::vector<HostTensor> results;
  if (!(*compiled)->run({images}, results, 1, error))
    return failure();
  if (results.empty() || results[0].type != DType::F32 ||
      results[0].shape.size() != 2 || results[0].shape[0] != images.shape[0]) {
    error = "the model's first result is not N x classes float logits";
    return failure();
  }
  return std::move(results[0]);
}

/// Softmax of each row of the N x C `logits`, in double.
static std::vector<double> softmaxRows(const HostTensor &logits) {
  int64_t n = logits.shape[0], c = logits.shape[1];
  std::vector<double> p(n * c);
  for (int64_t i = 0; i < n; ++i) {
    const float *row = logits.data<float>() + i * c;
    double top = *std::max_element(row, row + c), sum = 0;
    for (int64_t j = 0; j < c; ++j)
      sum += p[i * c + j] = std::exp(double(row[j]) - top);
    for (int64_t j = 0; j < c; ++j)
      p[i * c + j] /= sum;
  }
  return p;
}

LogicalResult mlir::qc::measureSensitivities(ModuleOp module,
                                             func::FuncOp model,
                                             const HostTensor &images,
                                             ArrayRef<std::string> choices,
                                             std::string &error) {
  StringRef name = model.getSymName();
  FailureOr<HostTensor> reference = runClone(
      module, name, images, [](ArrayRef<Operation *>) {}, false, error);
  if (failed(reference)) {
    error = "--sensitivity measured: float model: " + error;
    return failure();
  }
  std::vector<double> p = softmaxRows(*reference);
  int64_t n = reference->shape[0], c = reference->shape[1];
  SmallVector<Operation *> layers = getLayers(model);
  MLIRContext *ctx = module.getContext();
  for (auto [index, layer] : llvm::enumerate(layers)) {
    SmallVector<NamedAttribute> entries;
    for (const std::string &choice : choices) {
      double kl = 0;
      if (choice != "none") {
        std::string why;
        FailureOr<HostTensor> logits = runClone(
            module, name, images,
            [&, index = index](ArrayRef<Operation *> cloned) {
              cloned[index]->setAttr("qc.precision",
                                     StringAttr::get(ctx, choice));
            },
            true, why);
        if (failed(logits))
          continue;
        std::vector<double> q = softmaxRows(*logits);
        for (int64_t i = 0; i < n * c; ++i)
          if (p[i] > 0)
            kl += p[i] * (std::log(p[i]) - std::log(std::max(q[i], 1e-300)));
        kl = std::max(0.0, kl / n);
      }
      entries.push_back(
          NamedAttribute(StringAttr::get(ctx, choice),
                         FloatAttr::get(Float64Type::get(ctx), kl)));
    }
    layer->setAttr("qc.sensitivity", DictionaryAttr::get(ctx, entries));
  }
  return success();
}
