#!/usr/bin/env bash
#===- bench/torchvision.sh - torchvision classifiers vs onnxruntime ------===#
#
# Exports resnet18, mobilenet_v2, squeezenet1_1, shufflenet_v2_x1_0,
# googlenet, efficientnet_b0 and densenet121 (random weights, opset 13,
# batch 1, 224 x 224) with Debian's torch, runs each through qc-run
# --quant none and onnxruntime-node on one random input, and prints per
# model: import OK or the error, the max logit difference relative to the
# largest |logit|, and the export, import, qc-run (import + compile + one
# inference) and qcc (import + compile to a library) seconds. The test
# suite checks the same set without the timings
# (test/ONNXToTOSA/torchvision.test). Needs python3-torchvision
# (scripts/install-deps.sh).
#
# Usage: bench/torchvision.sh [BUILD_DIR] [--models a,b] [--size N]
#
#===----------------------------------------------------------------------===#
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
[[ $# -gt 0 ]] && shift
exec /usr/bin/python3 "$here/scripts/check_torchvision.py" \
  --qc-run "$build/bin/qc-run" --qc-translate "$build/bin/qc-translate" \
  --qcc "$build/bin/qcc" "$@"
