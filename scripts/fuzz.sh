#!/usr/bin/env bash
#===- scripts/fuzz.sh - Run qc's libFuzzer targets -------------------------===#
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Configures build-fuzz/ (or $QC_FUZZ_BUILD_DIR) with -DQC_FUZZ=ON, builds
# the fuzz targets of test/Fuzz, builds their seed corpora
# (test/Fuzz/make_seed_corpus.py), and runs each TARGET (default: all of
# onnx-import onnx-proto mlir-pipeline quant-config npy idx) for SECONDS
# (default 60) of fuzzing. A crash stops libFuzzer; the run then resumes
# from the corpus until the time is used up, so one bug does not end it.
# Inputs that find new coverage are kept in build-fuzz/fuzz-corpus/<target>
# for the next run; crashing inputs land in build-fuzz/fuzz-crashes/<target>.
# Prints per target: executions, coverage of the corpus at the start and
# after fuzzing (libFuzzer's cov: edges and ft: features) and crashes.
# Exits 1 when a target crashed.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QC_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${1:-60}"
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(onnx-import onnx-proto mlir-pipeline quant-config npy idx)
fi
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
  exit 2
fi

bash "$root/scripts/install-deps.sh"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 -DQC_FUZZ=ON
fi
cmake --build "$build" -j "${QC_JOBS:-$(nproc)}" --target qc-fuzzers
/usr/bin/python3 "$root/test/Fuzz/make_seed_corpus.py" "$build/fuzz-seeds"

# allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons its free slab
# space when the including file is built with ASan, but the uninstrumented
# libMLIR.so allocates from the same allocators (attribute and type storage)
# without unpoisoning, which ASan would report as use-after-poison.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:allow_user_poisoning=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/test/Fuzz/lsan.supp:print_suppressions=0"
symbolizer=/usr/lib/llvm-19/bin/llvm-symbolizer
[[ -x "$symbolizer" ]] && export ASAN_SYMBOLIZER_PATH="$symbolizer"

# Crashing inputs in a directory (libFuzzer also writes slow-unit-* there).
count_crashes() { ls "$1" | grep -cE '^(crash|leak|timeout|oom)-' || true; }

summary=()
status=0
for target in "${targets[@]}"; do
  binary="$build/bin/qc-fuzz-$target"
  if [[ ! -x "$binary" ]]; then
    echo "fuzz.sh: unknown target '$target'" >&2
    exit 2
  fi
  corpus="$build/fuzz-corpus/$target"
  crashes="$build/fuzz-crashes/$target"
  logs="$build/fuzz-logs/$target"
  mkdir -p "$corpus" "$crashes" "$logs"
  sources=("$build/fuzz-seeds/$target")
  [[ -d "$root/test/Fuzz/corpus/$target" ]] &&
    sources+=("$root/test/Fuzz/corpus/$target")
  # The ONNX targets start from the bundled models (up to 400 KB).
  maxlen=()
  [[ "$target" == onnx-* ]] && maxlen=(-max_len=524288)
  before=$(count_crashes "$crashes")
  executions=0
  start=$SECONDS
  run=0
  first_cov=""
  last=""
  while ((SECONDS - start < seconds && run < 20)); do
    run=$((run + 1))
    log="$logs/run-$run.log"
    left=$((seconds - (SECONDS - start)))
    echo "== fuzz.sh: $target, run $run, ${left}s"
    "$binary" -max_total_time="$left" -print_final_stats=1 -timeout=60 \
      -rss_limit_mb=4096 -artifact_prefix="$crashes/" "${maxlen[@]}" \
      "$corpus" "${sources[@]}" >"$log" 2>&1 || true
    units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    executions=$((executions + ${units:-0}))
    [[ -z "$first_cov" ]] &&
      first_cov=$(grep -m1 -o 'INITED cov: [0-9]* ft: [0-9]*' "$log" |
        sed 's/INITED //')
    line=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
    [[ -n "$line" ]] && last="$line"
    grep -E '^SUMMARY: |Test unit written to' "$log" | sed 's/^/   /' || true
  done
  found=$(($(count_crashes "$crashes") - before))
  ((found > 0)) && status=1
  summary+=("$(printf '%-14s %10d execs  %-22s -> %-22s %d crash(es)' \
    "$target" "$executions" "${first_cov:-?}" "${last:-?}" "$found")")
done

echo "== fuzz.sh: ${seconds}s per target" \
  "(coverage: corpus at the start -> after fuzzing)"
printf '%s\n' "${summary[@]}"
if ((status)); then
  echo "crashing inputs: $build/fuzz-crashes/<target>/ (logs in fuzz-logs/)"
fi
exit $status
