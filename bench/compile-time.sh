#!/usr/bin/env bash
# bench/compile-time.sh - qc-run's compile time against graph size.
#
# Builds synthetic chains (bench/make_chains.py) of Adds and Signs at 1k, 2k,
# 4k and 8k nodes, one Concat of 250 to 2,000 inputs, and of 1x1 Conv + Relu layers at 50 to 400 layers under
# `--quant int4 --act int4`, runs each once through qc-run on one input
# (import, quantization, lowering, JIT compilation and one inference), and
# prints the wall time and the time per node, so that the slope is visible:
# linear growth keeps the last column flat. Median of 3 runs per size.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QC_BUILD_DIR:-$root/build}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

seconds() { # command... -> wall seconds of the median of 3 runs
  local times=()
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    times+=("$(awk "BEGIN { print $end - $start }")")
  done
  printf '%s\n' "${times[@]}" | sort -g | sed -n 2p
}

printf '%-6s %6s %10s %14s\n' chain nodes seconds 'ms per node'
run_chain() { # kind n quant-options...
  local kind="$1" n="$2"
  shift 2
  /usr/bin/python3 "$root/bench/make_chains.py" "$kind" "$n" "$work"
  local s
  s=$(seconds "$build/bin/qc-run" "$work/$kind$n.onnx" "$@" \
    --input "$work/input-$kind.npy" --output "$work/y.npy")
  printf '%-6s %6d %10.2f %14.3f\n' "$kind" "$n" "$s" \
    "$(awk "BEGIN { print 1000 * $s / $n }")"
}
for n in 1000 2000 4000 8000; do run_chain add "$n"; done
for n in 1000 2000 4000 8000; do run_chain sign "$n"; done
for n in 250 500 1000 2000; do run_chain concat "$n"; done
calib="--calib-npy $work/input-conv.npy --calib-count 1"
for n in 50 100 200 400; do
  # shellcheck disable=SC2086 # calib is a word list
  run_chain conv "$n" --quant int4 --act int4 $calib
done
