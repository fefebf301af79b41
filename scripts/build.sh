#!/usr/bin/env bash
#===- scripts/build.sh - Configure and build qc ---------------------------===#
#
# Installs missing system packages, then configures (once) and builds qc with
# CMake + Ninja into build/ (or $QC_BUILD_DIR).
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"

bash "$root/scripts/install-deps.sh"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19
fi
cmake --build "$build" -j "$(nproc)"
