//===- Explain.h - Which kernel each layer takes, and why -------*- C++ -*-===//
//
// The `--explain` option of qc-run and qcc: one line per layer that
// multiplies and accumulates, naming the layer and the kernel its MACs run
// on, or the condition that keeps it on the float reference path.
//
//===----------------------------------------------------------------------===//

#ifndef QC_TOOLS_LIB_EXPLAIN_H
#define QC_TOOLS_LIB_EXPLAIN_H

#include "tools/lib/QuantOptions.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir {
namespace qc {

/// Registers `--explain` in `category`; tools call it before parsing their
/// command line.
void registerExplainCLOption(llvm::cl::OptionCategory &category);

/// Prints to `os`, one line per layer of `model` (the tensor-level model
/// after qc-quantize, as reports see it), `NAME: KERNEL` or `NAME: float
/// reference path: REASON`. A layer without an ONNX node name is named by
/// its op and source location.
void printKernelExplanation(func::FuncOp model, const QuantSpec &spec,
                            llvm::raw_ostream &os);

/// printKernelExplanation to stdout when `--explain` was given.
void explainIfRequested(func::FuncOp model, const QuantSpec &spec);

/// When `--explain` was given, prints to stdout one line per runtime call of
/// the lowered `module`: `NAME: runtime call FUNCTION`.
void explainRuntimeCallsIfRequested(ModuleOp module);

} // namespace qc
} // namespace mlir

#endif // QC_TOOLS_LIB_EXPLAIN_H
