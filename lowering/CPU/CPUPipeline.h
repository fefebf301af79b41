//===- CPUPipeline.h - Lowering qc programs to native CPU code --*- C++ -*-===//
//
// The CPU path of qc: a model function over tensors (TOSA, linalg, tensor,
// arith) gets an entry point with caller-provided buffers, is lowered to the
// LLVM dialect, and is either JIT-compiled for the host (qc-run) or emitted
// as an object file (qcc).
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_CPU_CPUPIPELINE_H
#define QC_LOWERING_CPU_CPUPIPELINE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "mlir/Support/LogicalResult.h"

namespace mlir {
class DialectRegistry;
namespace qc {

/// Name of the entry point added by `addBufferEntryPoint`.
inline constexpr llvm::StringLiteral kEntryPointName = "qc_entry";

/// Registers every dialect and translation interface the CPU path needs.
void registerCPUPipelineDialects(DialectRegistry &registry);

/// Adds `qc_entry(inputs..., outputs...)` taking one memref per argument and
/// per result of `model`, which computes the model and writes its results
/// into the output buffers. `model` is made private so that the pipeline
/// inlines it. Fails (with a diagnostic) when an argument or result is not a
/// ranked tensor.
LogicalResult addBufferEntryPoint(ModuleOp module, func::FuncOp model);

/// Adds the passes that lower func + TOSA/linalg/tensor/arith on tensors to
/// the LLVM dialect.
void buildCPULoweringPipeline(OpPassManager &pm);

/// What a `--quant` spec of qc-run / qcc stands for.
struct QuantSpec {
  /// The spec as written, e.g. "int4".
  std::string name = "none";
  /// `none`: the model runs as given.
  bool none = true;
  std::string weightScheme;
  unsigned weightBits = 8;
  bool quantizeFirstLast = false;
  /// Activations: "none", "uniform", "threshold" or "binary", and bits;
  /// anything but none needs calibration data.
  std::string activationScheme = "none";
  unsigned activationBits = 8;
  /// Per-layer overrides (qc-quantize's `config`), or "".
  std::string configPath;
  /// Calibration: IDX images or a .npy batch, how many images, the method
  /// (max, percentile, mse) and the percentile.
  std::string calibIdxImages, calibNpy, calibMethod = "max";
  int64_t calibCount = 256;
  double calibPercentile = 99.99;
  /// Rewrite quantized MACs into kernel ops (qc-lower-macs); when false the
  /// quantized model runs on its float reference path.
  bool lowerMacs = true;
};

/// Parses none, auto, int<k> (int8, int4, ...), uint<k>, binary, ternary,
/// pot<k>, dorefa<k> and codebook<k>. On failure returns nullopt and sets
/// `error`.
std::optional<QuantSpec> parseQuantSpec(StringRef spec, std::string &error);

/// Registers the command-line options that make a QuantSpec (--quant,
/// --quantize-first-last, --lower-macs) in `category`; tools call it before
/// parsing their command line.
void registerQuantCLOptions(llvm::cl::OptionCategory &category);

/// The spec the options of registerQuantCLOptions give, or nullopt with
/// `error` set.
std::optional<QuantSpec> getQuantSpecFromCLOptions(std::string &error);

/// Adds the passes that quantize a tensor-level model as `spec` says: for
/// post-training specs (not `auto`, no --quant-config) qc-fuse folds batch
/// normalization into the float weights first, then qc-quantize.
void buildQuantizationPipeline(OpPassManager &pm, const QuantSpec &spec);

/// Adds qc-lower-macs when `spec` quantizes and asks for it. Runs after
/// buildQuantizationPipeline's passes (reports describe the model between
/// the two).
void buildMacLoweringPipeline(OpPassManager &pm, const QuantSpec &spec);

/// Registers the pipeline with the pass registry as `qc-cpu-pipeline`, so
/// that `qc-opt` can run and print it.
void registerCPULoweringPipeline();

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_CPU_CPUPIPELINE_H
