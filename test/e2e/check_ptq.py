#!/usr/bin/env python3
"""check_ptq.py - Post-training quantization accuracy of a bundled float model.

Runs `qc-run --quant SPEC` on the full test set for each spec and compares
with the float accuracy torch recorded (models/manifest.json). Asserts the
bounds issue-level guidance sets for weight PTQ with 8-bit first and last
layers: int8 loses at most 0.1 point, int4 at most 1 point. The other
specs are measured and printed.
"""
import argparse
import json
import os
import re
import subprocess
import sys

from check_model import FULL_SETS, ROOT

BOUNDS = {"int8": 0.1, "int4": 1.0}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qc-run", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--specs", default="int8,int4,binary,ternary,pot4,codebook16")
    args = parser.parse_args()
    with open(os.path.join(ROOT, "models/manifest.json")) as f:
        entry = next(m for m in json.load(f) if m["name"] == args.model)
    images, labels = FULL_SETS[entry["dataset"]]
    reference = 100.0 * entry["correct"] / entry["total"]
    failures = []
    for spec in args.specs.split(","):
        out = subprocess.run([args.qc_run, os.path.join(ROOT, entry["file"]),
                              "--quant", spec, "--idx-images", images,
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
