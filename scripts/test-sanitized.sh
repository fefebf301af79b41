#!/usr/bin/env bash
#===- scripts/test-sanitized.sh - qc under ASan and UBSan ------------------===#
#
# The sanitizer job of CI: configures build-asan/ (or $QC_ASAN_BUILD_DIR)
# with -DQC_SANITIZE=ON, builds every tool and the fuzz targets with
# AddressSanitizer and UndefinedBehaviorSanitizer, then
#   1. replays the fuzz corpora (seeds built by test/Fuzz/make_seed_corpus.py
#      plus the committed regression corpus test/Fuzz/corpus/<target>/)
#      through each fuzz target, and
#   2. runs the part of the lit suite that feeds tools bad input: every
#      -verify-diagnostics file, the importer tests (test/ONNXToTOSA without
#      the node-test conformance run and the onnxruntime comparisons of real
#      models, which are correctness tests, not bad input), test/Tools, the
#      tool error tests
#      (test/e2e/tools/*error*) and test/Passes/**/*invalid*,
#   3. and the GoogleTest units of the .npy / IDX readers.
# Any sanitizer report fails the job. Prints the time of each phase.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_ASAN_BUILD_DIR:-$root/build-asan}"
jobs="${QC_JOBS:-$(nproc)}"

bash "$root/scripts/install-deps.sh"
start=$SECONDS
phase() { echo "== test-sanitized: $1 (${2}s)"; }

if [[ ! -f "$build/build.ninja" ]]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DQC_SANITIZE=ON
fi
cmake --build "$build" -j "$jobs"
cmake --build "$build" -j "$jobs" --target qc-fuzzers
phase "build" $((SECONDS - start))

# Sanitizer reports end the process with an error; leaks in the shared LLVM
# and MLIR libraries' globals are suppressed (see the file for why).
# allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons its free slab
# space when the including file is built with ASan, but the uninstrumented
# libMLIR.so allocates from the same allocators (attribute and type storage)
# without unpoisoning, which ASan would report as use-after-poison.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:allow_user_poisoning=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/test/Fuzz/lsan.supp:print_suppressions=0"
symbolizer=/usr/lib/llvm-19/bin/llvm-symbolizer
[[ -x "$symbolizer" ]] && export ASAN_SYMBOLIZER_PATH="$symbolizer"

step=$SECONDS
corpus="$build/fuzz-corpus"
/usr/bin/python3 "$root/test/Fuzz/make_seed_corpus.py" "$corpus"
for target in onnx-import onnx-proto mlir-pipeline quant-config npy idx; do
  inputs=("$corpus/$target")
  [[ -d "$root/test/Fuzz/corpus/$target" ]] &&
    inputs+=("$root/test/Fuzz/corpus/$target")
  echo "-- replaying $target"
  "$build/bin/qc-fuzz-$target" "${inputs[@]}"
done
phase "fuzz corpora replayed" $((SECONDS - step))

step=$SECONDS
cd "$root/test"
tests=(
  $(grep -rl --include='*.mlir' -- '-verify-diagnostics' .)
  $(find ONNXToTOSA -maxdepth 1 \( -name '*.mlir' -o -name '*.test' \) \
    ! -name 'torchvision.test' ! -name '*-onnxruntime.test')
  $(find Tools -maxdepth 1 \( -name '*.mlir' -o -name '*.test' \))
  $(find e2e/tools -maxdepth 1 -name '*error*')
  $(find Passes -name '*invalid*' \( -name '*.mlir' -o -name '*.test' \))
)
cd "$root"
# One anchored alternative per file, as lit names tests ("qc :: path").
filter="^qc :: ($(printf '%s\n' "${tests[@]}" | sed 's|^\./||' | sort -u |
  sed 's/[.+]/\\&/g' | paste -sd '|'))\$"
/usr/bin/python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv \
  --filter "$filter" "$build/test"
phase "lit subset" $((SECONDS - step))

step=$SECONDS
"$build/bin/qc-host-io-tests"
phase "TensorIO unit tests" $((SECONDS - step))
phase "total" $((SECONDS - start))
