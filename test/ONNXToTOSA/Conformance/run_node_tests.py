#!/usr/bin/env python3
"""run_node_tests.py - ONNX's own node tests through qc-run.

Debian's libonnx-testdata ships ONNX's operator tests: model.onnx plus
test_data_set_*/input_*.pb and output_*.pb (serialized TensorProtos). This
runner selects every test whose nodes are all ops qc imports, converts the
inputs to .npy, runs `qc-run model.onnx --input ... --output ...`, and
compares each output with ONNX's expected output within ONNX's tolerances
(rtol 1e-3, atol 1e-7).

Tests listed in expected-failures.txt (one `name: reason` per line) must
fail; if one passes, the list is stale and the run fails too. Anything else
that fails fails the run.
"""
import argparse
import concurrent.futures
import glob
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

SUPPORTED = {
    "Conv", "Gemm", "MatMul", "Relu", "Clip", "Sign", "HardSigmoid",
    "Sigmoid", "Tanh", "MaxPool", "AveragePool", "GlobalAveragePool",
    "BatchNormalization", "Add", "Sub", "Mul", "Div", "Flatten", "Reshape",
    "Transpose", "Concat", "Softmax", "Identity", "Dropout", "Constant",
}
RTOL, ATOL = 1e-3, 1e-7


def select(data_dir):
    """Node tests whose every node is a supported default-domain op."""
    tests = []
    for model_path in sorted(glob.glob(os.path.join(data_dir, "*", "model.onnx"))):
        model = onnx.load(model_path)
        ops = {n.op_type for n in model.graph.node if n.domain in ("", "ai.onnx")}
        if ops and ops <= SUPPORTED and all(
                n.domain in ("", "ai.onnx") for n in model.graph.node):
            tests.append(os.path.dirname(model_path))
    return tests


def load_tensor(path):
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return numpy_helper.to_array(tensor)


def run_test(qc_run, test_dir, scratch):
    """Returns None when the test passes, else a one-line reason."""
    try:
        return run_data_sets(qc_run, test_dir, scratch)
    except (ValueError, onnx.onnx_cpp2py_export.checker.ValidationError,
            subprocess.TimeoutExpired) as e:
        return f"cannot run: {type(e).__name__}: {str(e)[:150]}"


def run_data_sets(qc_run, test_dir, scratch):
    name = os.path.basename(test_dir)
    for data_set in sorted(glob.glob(os.path.join(test_dir, "test_data_set_*"))):
        inputs = sorted(glob.glob(os.path.join(data_set, "input_*.pb")))
        expected = sorted(glob.glob(os.path.join(data_set, "output_*.pb")))
        args = [qc_run, os.path.join(test_dir, "model.onnx")]
        for i, path in enumerate(inputs):
            npy = os.path.join(scratch, f"{name}.in{i}.npy")
            np.save(npy, load_tensor(path))
            args += ["--input", npy]
        outputs = [os.path.join(scratch, f"{name}.out{i}.npy")
                   for i in range(len(expected))]
        for npy in outputs:
            args += ["--output", npy]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            lines = [l for l in proc.stderr.splitlines() if "error" in l]
            return "qc-run failed: " + (lines[0] if lines else proc.stderr.strip()[:200])
        for path, npy in zip(expected, outputs):
            want = load_tensor(path)
            got = np.load(npy)
            if got.shape != want.shape:
                return f"shape {got.shape} != expected {want.shape}"
            if not np.allclose(got, want, rtol=RTOL, atol=ATOL, equal_nan=True):
                diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
                return f"values differ: max abs diff {np.nanmax(diff):.3g}"
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qc-run", required=True)
    parser.add_argument("--data", default="/usr/share/libonnx-testdata/data/node")
    parser.add_argument("--expected-failures", required=True)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--filter", default="")
    args = parser.parse_args()

    expected_failures = {}
    with open(args.expected_failures) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, reason = line.partition(":")
                expected_failures[name.strip()] = reason.strip()

    tests = [t for t in select(args.data) if args.filter in os.path.basename(t)]
    results = {}
    with tempfile.TemporaryDirectory() as scratch, \
            concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(run_test, args.qc_run, t, scratch): t for t in tests}
        for future in concurrent.futures.as_completed(futures):
            results[os.path.basename(futures[future])] = future.result()

    passed = failed = xfailed = 0
    for name in sorted(results):
        reason = results[name]
        if name in expected_failures:
            if reason is None:
                print(f"UNEXPECTED PASS: {name} (remove it from the expected failures)")
                failed += 1
            else:
                xfailed += 1
        elif reason is None:
            passed += 1
        else:
            print(f"FAIL: {name}: {reason}")
            failed += 1
    stale = sorted(set(expected_failures) - set(results))
    for name in stale if not args.filter else []:
        print(f"STALE: {name} is listed as an expected failure but was not run")
        failed += 1
    print(f"onnx node tests: {passed} passed, {xfailed} expected failures, "
          f"{failed} failed, of {len(results)} selected")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
