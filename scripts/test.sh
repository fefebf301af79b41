#!/usr/bin/env bash
#===- scripts/test.sh - The whole qc test suite ---------------------------===#
#
# Installs what is missing, builds qc, and runs every test through CTest
# (lit + FileCheck suites and GoogleTest units). Exits non-zero when any test
# fails.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"

bash "$root/scripts/build.sh"
ctest --test-dir "$build" --output-on-failure
