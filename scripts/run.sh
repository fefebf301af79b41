#!/usr/bin/env bash
#===- scripts/run.sh - The main job on the bundled example ----------------===#
#
# Installs what is missing, builds qc, then runs qc-opt on the bundled
# example: a binary convolution layer whose float weights are quantized and
# packed at compile time. Prints the resulting IR.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"

bash "$root/scripts/build.sh"
echo "== qc-opt -canonicalize examples/binary-conv.mlir"
"$build/bin/qc-opt" -canonicalize "$root/examples/binary-conv.mlir"
