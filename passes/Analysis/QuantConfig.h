//===- QuantConfig.h - Per-layer quantization specs from JSON ---*- C++ -*-===//
//
// Reads a --quant-config file: a JSON object whose "layers" object gives,
// by ONNX node name, a weight and/or an activation spec per conv or dense
// layer, and checks that each layer can take what it is given.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_ANALYSIS_QUANTCONFIG_H
#define QC_PASSES_ANALYSIS_QUANTCONFIG_H

#include "dialects/QC/Utils/QuantSchemes.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>

namespace mlir {
namespace qc {

/// What a config gives one layer; an unset spec leaves the layer to the
/// pass options.
struct LayerQuantSpecs {
  std::optional<SchemeSpec> weights, activations;
};

/// The specs of a config, by layer name.
using QuantConfig = llvm::StringMap<LayerQuantSpecs>;

/// The deepest nesting of arrays and objects a config may have; a config
/// needs 3.
inline constexpr unsigned kMaxQuantConfigDepth = 32;

/// Fails with `error` set when the JSON `text` nests arrays and objects
/// deeper than kMaxQuantConfigDepth, naming where (llvm::json::parse
/// recurses once per level). Brackets inside strings do not count.
LogicalResult checkJsonNestingDepth(StringRef text, std::string &error);

/// Reads the config file at `path` for the conv and dense `layers` of
/// `scope` (each named by its ONNX node name). On failure returns failure
/// with `error` = "<path>: why": the file cannot be read, is not JSON or
/// nests deeper than kMaxQuantConfigDepth, names no such layer (or another
/// op), has an unknown key, or gives a layer a spec it cannot take (named
/// with the layer and its op).
FailureOr<QuantConfig> readQuantConfig(StringRef path, Operation *scope,
                                       ArrayRef<Operation *> layers,
                                       std::string &error);

/// As readQuantConfig, from the text of a config; `error` then has no path.
FailureOr<QuantConfig> parseQuantConfig(StringRef text, Operation *scope,
                                        ArrayRef<Operation *> layers,
                                        std::string &error);

} // namespace qc
} // namespace mlir

#endif // QC_PASSES_ANALYSIS_QUANTCONFIG_H
