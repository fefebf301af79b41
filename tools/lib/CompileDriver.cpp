//===- CompileDriver.cpp - Calibrate, quantize, lower MACs, fuse ----------===//
//
// Loads calibration data for a QuantSpec, builds the quantization (with
// qc-mixed-precision for --quant mixed) and MAC-lowering pipelines, and runs
// them in order around the report hook.
//
//===----------------------------------------------------------------------===//

#include "tools/lib/CompileDriver.h"
#include "passes/Analysis/InputVerification.h"
#include "passes/Passes.h"
#include "tools/lib/Calibration.h"
#include "tools/lib/KernelTuning.h"
#include "tools/lib/MeasuredSensitivity.h"
#include "tools/lib/TensorIO.h"

#include "mlir/Transforms/Passes.h"
#include "llvm/Support/Format.h"

using namespace mlir;
using namespace mlir::qc;

void mlir::qc::buildQuantizationPipeline(OpPassManager &pm,
                                         const QuantSpec &spec) {
  if (spec.none)
    return;
  QCQuantizeOptions options;
  options.weightScheme = spec.weightScheme;
  options.weightBits = spec.weightBits;
  options.quantizeFirstLast = spec.quantizeFirstLast;
  options.activationScheme = spec.activationScheme;
  options.activationBits = spec.activationBits;
  options.configPath = spec.configPath;
  // Post-training quantization rounds whatever weights it gets, so batch
  // normalization folds into them first; `auto` must see the weights as
  // trained (on their grid), and so must a --quant-config, which may ask
  // for `auto` per layer.
  if (spec.weightScheme != "auto" && spec.configPath.empty()) {
    QCFuseOptions fuse;
    fuse.foldBnIntoWeights = true;
    pm.addNestedPass<func::FuncOp>(createQCFuse(fuse));
  }
  if (spec.mixed) {
    // The choice is made on the weights qc-quantize will quantize, and
    // written on each layer (qc.precision) for it.
    QCMixedPrecisionOptions mixed;
    mixed.cost = spec.mixedCost;
    // Measured sensitivities are on the layers by now (quantizeModel).
    mixed.sensitivity = spec.sensitivity == "measured" ? "attr" : "weight";
    llvm::raw_string_ostream(mixed.budget)
        << llvm::format("%.17g", spec.mixedBudget);
    mixed.pinFirstLast = !spec.quantizeFirstLast;
    mixed.activationBits =
        spec.activationScheme == "none" ? 32 : spec.activationBits;
    mixed.isaLevel = spec.isa;
    mixed.kernelCosts = spec.kernelCosts;
    mixed.configOut = spec.mixedConfigOut;
    mixed.paretoJson = spec.paretoJson;
    mixed.paretoSvg = spec.paretoSvg;
    pm.addPass(createQCMixedPrecision(mixed));
  }
  pm.addNestedPass<func::FuncOp>(createQCQuantize(options));
}

void mlir::qc::buildMacLoweringPipeline(OpPassManager &pm,
                                        const QuantSpec &spec) {
  if (spec.none || !spec.lowerMacs)
    return;
  QCLowerMacsOptions options;
  options.route = spec.macRoute;
  options.isaLevel = spec.isa;
  options.kernelCosts = spec.kernelCosts;
  pm.addNestedPass<func::FuncOp>(createQCLowerMacs(options));
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createQCFuse());
}

/// The calibration images `spec` names, the first `count`, laid out as
/// `model`'s input (see calibrateForSpec).
static LogicalResult loadCalibrationImages(func::FuncOp model,
                                           const QuantSpec &spec, float mean,
                                           float std, int64_t count,
                                           HostTensor &images,
                                           std::string &error) {
  auto inputs = model.getArgumentTypes();
  auto inputType =
      inputs.size() == 1 ? dyn_cast<RankedTensorType>(inputs[0]) : nullptr;
  if (!inputType || inputType.getRank() < 1 ||
      !inputType.getElementType().isF32()) {
    error = "calibration needs a model with one float32 input";
    return failure();
  }
  if (!spec.calibNpy.empty()) {
    if (!readNpy(spec.calibNpy, images, error))
      return failure();
    if (images.type != DType::F32 ||
        images.shape.size() != static_cast<size_t>(inputType.getRank())) {
      error = spec.calibNpy + ": calibration data must be float32 of rank " +
              std::to_string(inputType.getRank()) + ", got " +
              images.formatShape();
      return failure();
    }
    int64_t n = images.shape.empty() ? 0 : images.shape[0];
    if (n > count) {
      int64_t perImage = images.getNumElements() / n;
      images.shape[0] = count;
      images.bytes.resize(count * perImage * sizeof(float));
    }
  } else {
    HostTensor raw;
    if (!readIdx(spec.calibIdxImages, raw, error, count))
      return failure();
    if (raw.shape.size() != 3 || raw.type != DType::U8) {
      error = spec.calibIdxImages + ": expected N x H x W uint8 images, got " +
              raw.formatShape();
      return failure();
    }
    int64_t n = raw.shape[0], pixels = raw.shape[1] * raw.shape[2];
    std::vector<int64_t> shape(inputType.getShape().begin(),
                               inputType.getShape().end());
    shape[0] = n;
    int64_t perImage = 1;
    for (size_t d = 1; d < shape.size(); ++d)
      perImage *= shape[d];
    if (perImage != pixels) {
      error = spec.calibIdxImages + ": " + std::to_string(pixels) +
              " pixels per image do not fit the model input";
      return failure();
    }
    images = HostTensor(DType::F32, shape);
    for (int64_t i = 0; i < n * pixels; ++i)
      images.data<float>()[i] = (raw.data<uint8_t>()[i] / 255.0f - mean) / std;
  }
  return success();
}

LogicalResult mlir::qc::calibrateForSpec(ModuleOp module, func::FuncOp model,
                                         const QuantSpec &spec, float mean,
                                         float std, std::string &error) {
  if (spec.calibIdxImages.empty() && spec.calibNpy.empty())
    return success();
  HostTensor images;
  if (failed(loadCalibrationImages(model, spec, mean, std, spec.calibCount,
                                   images, error)))
    return failure();
  CalibrationOptions options;
  options.method = *parseCalibrationMethod(spec.calibMethod);
  options.percentile = spec.calibPercentile;
  options.bits = spec.activationBits;
  return calibrateModel(module, model, images, options, error);
}

LogicalResult
mlir::qc::quantizeModel(ModuleOp module, func::FuncOp model,
                        const QuantSpec &spec, float mean, float std,
                        function_ref<LogicalResult(func::FuncOp)> describe,
                        std::string &error) {
  // Calibration runs the model through the JIT before any pipeline does.
  if (failed(verifyModelInput(module)))
    return failure();
  if (failed(calibrateForSpec(module, model, spec, mean, std, error))) {
    error = "calibration: " + error;
    return failure();
  }
  if (spec.mixed && spec.sensitivity == "measured") {
    HostTensor images;
    static const std::string kChoices[] = {"binary",     "ternary", "pot4",
                                           "codebook16", "int2",    "int4",
                                           "int8",       "none"};
    if (failed(loadCalibrationImages(model, spec, mean, std,
                                     spec.sensitivityCount, images, error)) ||
        failed(measureSensitivities(module, model, images, kChoices, error)))
      return failure();
  }
  PassManager quantization(module.getContext());
  buildQuantizationPipeline(quantization, spec);
  if (failed(quantization.run(module)))
    return failure();
  // Tuned routes are marked on the layers before reports describe them.
  if (spec.tune && !spec.none && spec.lowerMacs &&
      failed(tuneKernelRoutes(model, spec, error)))
    return failure();
  if (failed(describe(model)))
    return failure();
  PassManager macLowering(module.getContext());
  buildMacLoweringPipeline(macLowering, spec);
  return macLowering.run(module);
}
