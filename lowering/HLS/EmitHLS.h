//===- EmitHLS.h - HLS C++ from a prepared kernel-level function -*- C++
//-*-===//
//
// The FPGA back end's printer: a function that qc-hls-fold and
// qc-hls-prepare have annotated becomes a streaming dataflow kernel in HLS
// C++ (hls::stream<ap_uint<N>> between one function per stage, DATAFLOW,
// PIPELINE II=1 matrix-vector units folded by PE and SIMD), and a project
// around it: the kernel and its ROM data, a testbench checking qc's CPU
// path's outputs bit for bit, a Makefile (C-simulation against qc's
// ap_int/hls::stream headers, sanitizers, or the vendor's headers),
// run_hls.tcl for Vitis HLS, FINN-style estimates and a README.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_HLS_EMITHLS_H
#define QC_LOWERING_HLS_EMITHLS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mlir {
namespace qc {

/// Prints the kernel source (src/<top>.cpp with its parameters inline) of
/// the prepared function in `module`. Fails with an error on the op it
/// cannot print; nothing in `module` changes.
LogicalResult emitHLS(ModuleOp module, llvm::raw_ostream &os);

/// What goes into a project besides the kernel.
struct HlsProjectOptions {
  /// Clock for the estimates and run_hls.tcl (MHz), and the FPGA part
  /// run_hls.tcl targets.
  double clockMhz = 100.0;
  std::string part = "xczu3eg-sbva484-1-e";
  /// The model the project was made from, for its README.
  std::string modelName;
  /// qc's ap_int.h and hls_stream.h, copied into the project's shim/.
  std::string apIntHeader, hlsStreamHeader;
};

/// One file of a project: its path relative to the project directory.
struct HlsFile {
  std::string path, contents;
};

/// The project's files (src/, tb/, shim/, Makefile, run_hls.tcl,
/// estimates.json, README.md); the caller writes them.
LogicalResult emitHLSProject(ModuleOp module, const HlsProjectOptions &options,
                             std::vector<HlsFile> &files);

/// Registers `--emit-hls` with mlir-translate.
void registerEmitHLSTranslation();

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_HLS_EMITHLS_H
