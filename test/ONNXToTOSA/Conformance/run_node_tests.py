#!/usr/bin/env python3
"""run_node_tests.py - ONNX's own node tests through qc-run.

Debian's libonnx-testdata ships ONNX's operator tests: model.onnx plus
test_data_set_*/input_*.pb and output_*.pb (serialized TensorProtos). This
runner selects every test whose nodes are all ops qc imports, converts the
inputs to .npy, runs `qc-run model.onnx --input ... --output ...`, and
compares each output with ONNX's expected output within ONNX's tolerances
(rtol 1e-3, atol 1e-7).

ONNX's node tests pass op parameters (Reshape's target shape, Pad's pads,
Slice's bounds, Split's sizes, reduction axes, Clip's bounds) as graph
inputs. Models exported from a framework carry them as constants, and qc,
which compiles static programs, requires them to be known at import. The
runner therefore folds a graph input that feeds only such parameter slots
(PARAMETER_INPUTS) into an initializer holding the data set's value, and
runs the rest of the test unchanged; the summary counts those tests.

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
    "LeakyRelu", "GlobalMaxPool", "Pad", "Slice", "Split", "ReduceSum",
    "ReduceMean", "ReduceMax", "ReduceMin", "ReduceSumSquare",
}
RTOL, ATOL = 1e-3, 1e-7
# Input positions of each op that hold parameters, not data.
PARAMETER_INPUTS = {
    "Reshape": {1}, "Pad": {1, 2, 3}, "Slice": {1, 2, 3, 4}, "Split": {1},
    "ReduceSum": {1}, "ReduceMean": {1}, "ReduceMax": {1}, "ReduceMin": {1},
    "ReduceSumSquare": {1}, "Clip": {1, 2},
}


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


def parameter_inputs(model):
    """Indices of the graph inputs used only as op parameters."""
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in initializers]
    uses = {}
    for node in model.graph.node:
        for slot, value in enumerate(node.input):
            uses.setdefault(value, []).append(
                slot in PARAMETER_INPUTS.get(node.op_type, ()))
    outputs = {o.name for o in model.graph.output}
    return [i for i, name in enumerate(inputs)
            if uses.get(name) and all(uses[name]) and name not in outputs]


def freeze(model, frozen, inputs, path):
    """Writes `model` with graph inputs `frozen` turned into initializers."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    initializers = {t.name for t in model.graph.initializer}
    names = [i.name for i in model.graph.input if i.name not in initializers]
    for i in frozen:
        tensor = onnx.TensorProto()
        with open(inputs[i], "rb") as f:
            tensor.ParseFromString(f.read())
        tensor.name = names[i]
        model.graph.initializer.append(tensor)
    kept = [i for i in model.graph.input if i.name not in
            {names[i] for i in frozen}]
    del model.graph.input[:]
    model.graph.input.extend(kept)
    onnx.save(model, path)


def run_data_sets(qc_run, test_dir, scratch):
    """Returns None when every data set passes, else a one-line reason."""
    name = os.path.basename(test_dir)
    model = onnx.load(os.path.join(test_dir, "model.onnx"))
    frozen = parameter_inputs(model)
    for k, data_set in enumerate(
            sorted(glob.glob(os.path.join(test_dir, "test_data_set_*")))):
        inputs = sorted(glob.glob(os.path.join(data_set, "input_*.pb")))
        expected = sorted(glob.glob(os.path.join(data_set, "output_*.pb")))
        model_path = os.path.join(test_dir, "model.onnx")
        if frozen:
            model_path = os.path.join(scratch, f"{name}.{k}.onnx")
            freeze(model, frozen, inputs, model_path)
        args = [qc_run, model_path]
        for i, path in enumerate(inputs):
            if i in frozen:
                continue
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
    with_parameters = sum(
        1 for t in tests
        if parameter_inputs(onnx.load(os.path.join(t, "model.onnx"))))
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
          f"{failed} failed, of {len(results)} selected "
          f"({with_parameters} with parameter inputs folded)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
