//===- KernelTuning.h - Routes measured on this machine (--tune) -*- C++
//-*-===//
//
// `--tune`: instead of estimating from the cost table, qc-run and qcc time
// every exact route of each layer that has more than one on this machine,
// and the layer takes the fastest. Each layer is cut out with its shapes,
// quantized types and constants into a one-layer model, compiled once per
// route as the tools compile models, and timed; the times are cached by the
// layer's IR, the route and the machine's instruction-set level, so that
// the next compile of the same model measures nothing and gives the same
// choices (and byte-identical output).
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_LIB_KERNELTUNING_H
#define QC_TOOLS_LIB_KERNELTUNING_H

#include "tools/lib/QuantOptions.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>

namespace mlir {
namespace qc {

/// The cache file `--tune` uses when `--tune-cache` names none:
/// $XDG_CACHE_HOME/qc/tune.json, else ~/.cache/qc/tune.json.
std::string getDefaultTuneCachePath();

/// Times the routes of every layer of the quantized tensor-level `model`
/// that has more than one, and marks each such layer with the fastest
/// (kTunedRouteAttr, with the times as kTunedReasonAttr), reading and
/// updating the cache at `spec.tuneCache`. A layer whose one-layer model
/// does not compile or run keeps the picker's estimate. Fails, with `error`
/// set, only when the cache cannot be read or written.
LogicalResult tuneKernelRoutes(func::FuncOp model, const QuantSpec &spec,
                               std::string &error);

} // namespace qc
} // namespace mlir

#endif // QC_TOOLS_LIB_KERNELTUNING_H
