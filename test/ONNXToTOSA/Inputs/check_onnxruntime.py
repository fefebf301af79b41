#!/usr/bin/python3
"""Runs small importer test models through qc-run and onnxruntime-node.

Usage: check_onnxruntime.py QC_RUN MODEL.onnx:DIMS [MODEL.onnx:DIMS ...]

DIMS is the shape of the model's single float input (2x3x4). The input is
seeded random data; every output of qc-run must match onnxruntime's (npm
onnxruntime-node through scripts/ort_infer.js, graph as written) in shape
and within atol 1e-5 + rtol 1e-5. Prints one line per model and exits
non-zero when any output differs.
"""

import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
ATOL = RTOL = 1e-5


def check(qc_run, spec, tmp):
    model, _, dims = spec.rpartition(":")
    name = os.path.basename(model)
    shape = tuple(int(d) for d in dims.split("x"))
    x = np.random.default_rng(5).standard_normal(shape).astype(np.float32)
    x_npy, x_bin = os.path.join(tmp, "x.npy"), os.path.join(tmp, "x.bin")
    np.save(x_npy, x)
    x.tofile(x_bin)
    ort = subprocess.run(["node", os.path.join(ROOT, "scripts/ort_infer.js"),
                          model, tmp, x_bin + ":" + ",".join(map(str, shape))],
                         capture_output=True, text=True)
    if ort.returncode != 0:
        return f"{name}: onnxruntime failed: {ort.stderr.strip()}"
    ref_shapes = [tuple(int(d) for d in line.split(",") if d)
                  for line in ort.stdout.splitlines()]
    args = [qc_run, model, "--quant", "none", "--input", x_npy]
    outputs = [os.path.join(tmp, f"qc{i}.npy") for i in range(len(ref_shapes))]
    for path in outputs:
        args += ["--output", path]
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        return f"{name}: qc-run failed: {proc.stderr.strip()}"
    worst = 0.0
    for i, (path, ref_shape) in enumerate(zip(outputs, ref_shapes)):
        ref = np.fromfile(os.path.join(tmp, f"out{i}.bin"), np.float32).reshape(ref_shape)
        got = np.load(path)
        if got.shape != ref.shape:
            return f"{name}: output {i} has shape {got.shape}, onnxruntime {ref.shape}"
        if not np.allclose(got, ref, atol=ATOL, rtol=RTOL):
            diff = np.abs(got.astype(np.float64) - ref).max()
            return f"{name}: output {i} differs: max abs diff {diff:.3g}"
        worst = max(worst, float(np.abs(got.astype(np.float64) - ref).max()))
    return f"{name}: {len(outputs)} outputs match onnxruntime (max abs diff {worst:.2g})"


def main():
    qc_run, specs = sys.argv[1], sys.argv[2:]
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            line = check(qc_run, spec, tmp)
            failed |= "match" not in line
            print(line, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
