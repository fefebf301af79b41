//===- Calibration.cpp - Activation ranges from calibration data ----------===//
//
// Clones the model, returns every layer input as an extra result (packed
// into one when their shapes allow), runs the clone through the JIT on the
// calibration set and turns what each layer saw into a clip range.
//
//===----------------------------------------------------------------------===//

#include "tools/lib/Calibration.h"
#include "dialects/QC/QCOps.h"
#include "lowering/CPU/CPUPipeline.h"
#include "lowering/CPU/JITModel.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/PassManager.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::qc;

std::optional<CalibrationMethod>
mlir::qc::parseCalibrationMethod(StringRef name) {
  if (name == "max")
    return CalibrationMethod::Max;
  if (name == "percentile")
    return CalibrationMethod::Percentile;
  if (name == "mse")
    return CalibrationMethod::MSE;
  return std::nullopt;
}

/// The layers whose inputs are calibrated, in walk order.
static SmallVector<Operation *> collectLayers(func::FuncOp model) {
  SmallVector<Operation *> layers;
  model.walk([&](Operation *op) {
    if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::FullyConnectedOp>(
            op))
      layers.push_back(op);
  });
  return layers;
}

/// Each layer input's elements per image when every input is an f32 tensor
/// whose first dimension is the same (static or dynamic) batch and whose
/// other dimensions are static; empty otherwise.
static SmallVector<int64_t> getPackedSizes(ArrayRef<Operation *> layers) {
  SmallVector<int64_t> sizes;
  std::optional<int64_t> batch;
  for (Operation *layer : layers) {
    auto type = dyn_cast<RankedTensorType>(layer->getOperand(0).getType());
    if (!type || type.getRank() < 2 || !type.getElementType().isF32())
      return {};
    if (batch && *batch != type.getDimSize(0))
      return {};
    batch = type.getDimSize(0);
    int64_t size = 1;
    for (int64_t dim : type.getShape().drop_front()) {
      if (ShapedType::isDynamic(dim))
        return {};
      size *= dim;
    }
    sizes.push_back(size);
  }
  return sizes;
}

/// Mean squared error of quantizing `values` with clip `clip` to `bits`
/// bits: unsigned levels on [0, clip] or symmetric signed ones.
static double quantizationError(ArrayRef<float> values, double clip,
                                unsigned bits, bool isUnsigned) {
  double levels =
      isUnsigned ? std::ldexp(1.0, bits) - 1 : std::ldexp(1.0, bits - 1) - 1;
  double scale = clip / levels, lo = isUnsigned ? 0 : -levels;
  double sum = 0;
  for (float v : values) {
    double q = std::clamp(std::nearbyint(v / scale), lo, levels) * scale;
    sum += (q - v) * (q - v);
  }
  return sum / values.size();
}

/// The clip range [lo, hi] for one layer's values.
static std::pair<double, double>
chooseRange(std::vector<float> &values, const CalibrationOptions &options) {
  auto [minIt, maxIt] = std::minmax_element(values.begin(), values.end());
  double lo = *minIt, hi = *maxIt;
  bool isUnsigned = lo >= 0;
  if (options.method == CalibrationMethod::Max || hi == lo)
    return {lo, hi};
  // Both other methods pick a clip c: [0, c] for non-negative values,
  // [-c, c] otherwise.
  std::vector<float> magnitudes(values.size());
  std::transform(values.begin(), values.end(), magnitudes.begin(),
                 [](float v) { return std::fabs(v); });
  double top = std::max(std::fabs(lo), std::fabs(hi));
  double clip = top;
  if (options.method == CalibrationMethod::Percentile) {
    size_t k = std::min(
        magnitudes.size() - 1,
        static_cast<size_t>(options.percentile / 100.0 * magnitudes.size()));
    std::nth_element(magnitudes.begin(), magnitudes.begin() + k,
                     magnitudes.end());
    clip = magnitudes[k];
  } else {
    // MSE: the best of 100 clips evenly spaced up to the maximum, on a
    // deterministic subsample of at most 65536 values.
    std::vector<float> sample;
    size_t stride = std::max<size_t>(1, values.size() / 65536);
    for (size_t i = 0; i < values.size(); i += stride)
      sample.push_back(values[i]);
    double best = -1;
    for (int i = 1; i <= 100; ++i) {
      double c = top * i / 100.0;
      double error = quantizationError(sample, c, options.bits, isUnsigned);
      if (best < 0 || error < best) {
        best = error;
        clip = c;
      }
    }
  }
  if (!(clip > 0))
    clip = top;
  return {isUnsigned ? 0.0 : -clip, clip};
}

LogicalResult mlir::qc::calibrateModel(ModuleOp module, func::FuncOp model,
                                       const HostTensor &images,
                                       const CalibrationOptions &options,
                                       std::string &error) {
  if (images.shape.empty() || images.shape[0] == 0) {
    error = "the calibration set is empty";
    return failure();
  }
  if (images.type != DType::F32) {
    error = "calibration data must be float32";
    return failure();
  }
  const float *pixels = images.data<float>();
  for (int64_t i = 0, n = images.getNumElements(); i < n; ++i)
    if (!std::isfinite(pixels[i])) {
      error = "the calibration data holds a non-finite value (" +
              std::to_string(pixels[i]) + ") in image " +
              std::to_string(i / (n / images.shape[0]));
      return failure();
    }
  SmallVector<Operation *> layers = collectLayers(model);
  if (layers.empty())
    return success();

  // A clone whose model function also returns every layer input. When the
  // inputs all lead with the same batch dimension, they are flattened per
  // image and returned side by side as one [N][sum of sizes] result: one
  // output per layer made the compiled clone pass hundreds of memref
  // descriptors between its functions, which LLVM compiles in quadratic
  // time.
  OwningOpRef<ModuleOp> clone = module.clone();
  auto cloned = clone->lookupSymbol<func::FuncOp>(model.getSymName());
  SmallVector<Operation *> clonedLayers = collectLayers(cloned);
  auto ret = cast<func::ReturnOp>(cloned.getBody().back().getTerminator());
  SmallVector<Value> results(ret.getOperands());
  OpBuilder builder(ret);
  Type f32 = builder.getF32Type();
  SmallVector<int64_t> sizes = getPackedSizes(clonedLayers);
  bool packed = !sizes.empty();
  if (packed) {
    SmallVector<Value> rows;
    int64_t batch =
        cast<RankedTensorType>(clonedLayers[0]->getOperand(0).getType())
            .getDimSize(0);
    for (auto [layer, size] : llvm::zip(clonedLayers, sizes))
      rows.push_back(builder.create<tosa::ReshapeOp>(
          layer->getLoc(), RankedTensorType::get({batch, size}, f32),
          layer->getOperand(0),
          builder.getDenseI64ArrayAttr(
              {ShapedType::isDynamic(batch) ? -1 : batch, size})));
    int64_t total = std::accumulate(sizes.begin(), sizes.end(), int64_t(0));
    results.push_back(builder.create<tosa::ConcatOp>(
        ret.getLoc(), RankedTensorType::get({batch, total}, f32), rows,
        builder.getI32IntegerAttr(1)));
  } else {
    for (Operation *layer : clonedLayers)
      results.push_back(layer->getOperand(0));
  }
  builder.create<func::ReturnOp>(ret.getLoc(), results);
  ret.erase();
  cloned.removeResAttrsAttr();
  cloned.setFunctionType(builder.getFunctionType(
      cloned.getArgumentTypes(), ValueRange(results).getTypes()));
  unsigned firstExtra = model.getNumResults();

  // The clone runs once: LLVM's level 1 compiles it in about half the time.
  CPUPipelineOptions calibrationBuild;
  calibrationBuild.llvmOptLevel = 1;
  FailureOr<std::unique_ptr<JITModel>> jit =
      JITModel::compile(*clone, cloned.getSymName(), /*printIRAfterAll=*/false,
                        /*dumpPipeline=*/false, calibrationBuild);
  if (failed(jit)) {
    error = "the model could not be compiled for calibration";
    return failure();
  }
  std::vector<HostTensor> outputs;
  if (!(*jit)->run({images}, outputs, /*threads=*/1, error))
    return failure();

  // Layer i's values, image by image, in the layout its input has; in the
  // packed result, its columns start after those of the layers before it.
  SmallVector<int64_t> offsets(sizes.size() + 1, 0);
  std::partial_sum(sizes.begin(), sizes.end(), offsets.begin() + 1);
  auto getValues = [&](size_t i) {
    if (!packed) {
      const HostTensor &seen = outputs[firstExtra + i];
      return std::vector<float>(seen.data<float>(),
                                seen.data<float>() + seen.getNumElements());
    }
    const HostTensor &all = outputs[firstExtra];
    int64_t rows = all.shape[0], width = all.shape[1];
    std::vector<float> values;
    values.reserve(rows * sizes[i]);
    for (int64_t row = 0; row < rows; ++row) {
      const float *start = all.data<float>() + row * width + offsets[i];
      values.insert(values.end(), start, start + sizes[i]);
    }
    return values;
  };
  for (auto [i, layer] : llvm::enumerate(layers)) {
    std::vector<float> values = getValues(i);
    std::string name = getLayerName(layer->getLoc());
    if (values.empty())
      continue;
    if (!llvm::all_of(values, [](float v) { return std::isfinite(v); })) {
      error = "layer '" + name +
              "': its input holds a non-finite value on the calibration data";
      return failure();
    }
    double meanAbs = 0;
    for (float v : values)
      meanAbs += std::fabs(v);
    meanAbs /= values.size();
    auto [lo, hi] = chooseRange(values, options);
    layer->setAttr(
        kInputRangeAttrName,
        DenseF64ArrayAttr::get(module.getContext(), {lo, hi, meanAbs}));
  }
  return success();
}
