#!/usr/bin/python3
"""check_torchvision.py - torchvision classifiers through qc-run against onnxruntime.

For each model: export it (scripts/export_torchvision.py: random weights,
opset 13, batch 1), run one seeded random input through `qc-run --quant
none` and through onnxruntime-node (scripts/ort_infer.js, graph as
written), and compare. The error is the max abs difference of the logits
divided by the largest |logit| of onnxruntime (random-weight networks have
logits of any scale); it must be at most --tolerance (1e-4).

Prints one line per model: import OK or the error, the error, the max abs
difference, export, import, qc-run (import + compile + one inference) and,
with --qcc, qcc (import + compile to a shared library) seconds.
Exits non-zero when any model fails.

    /usr/bin/python3 scripts/check_torchvision.py --qc-run build/bin/qc-run \
        --qc-translate build/bin/qc-translate [--qcc build/bin/qcc] [--models a,b]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import export_torchvision  # noqa: E402


def timed(args, **kwargs):
    start = time.monotonic()
    proc = subprocess.run(args, capture_output=True, text=True, **kwargs)
    return proc, time.monotonic() - start


def first_error(proc):
    lines = [l for l in proc.stderr.splitlines() if "error" in l]
    return lines[0] if lines else proc.stderr.strip()[-300:]


def check(name, args, tmp):
    row = {"model": name}
    start = time.monotonic()
    model = export_torchvision.export(name, tmp, args.size, 13, args.seed)
    row["export"] = time.monotonic() - start

    proc, row["import"] = timed([args.qc_translate,
                                 "--import-onnx", model, "-o", os.devnull])
    if proc.returncode != 0:
        row["status"] = "import failed: " + first_error(proc)
        return row

    rng = np.random.default_rng(args.seed)
    x = rng.standard_normal((1, 3, args.size, args.size)).astype(np.float32)
    x_npy, x_bin = os.path.join(tmp, "x.npy"), os.path.join(tmp, "x.bin")
    np.save(x_npy, x)
    x.tofile(x_bin)
    proc = subprocess.run(["node", os.path.join(HERE, "ort_infer.js"), model, tmp,
                           x_bin + ":" + ",".join(map(str, x.shape))],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        row["status"] = "onnxruntime failed: " + proc.stderr.strip()[-300:]
        return row
    ref_shape = tuple(int(d) for d in proc.stdout.splitlines()[0].split(","))
    ref = np.fromfile(os.path.join(tmp, "out0.bin"), np.float32).reshape(ref_shape)

    y_npy = os.path.join(tmp, "qc.npy")
    proc, row["qc-run"] = timed([args.qc_run, model, "--quant",
                                 "none", "--input", x_npy, "--output", y_npy])
    if proc.returncode != 0:
        row["status"] = "qc-run failed: " + first_error(proc)
        return row
    got = np.load(y_npy)
    if got.shape != ref.shape:
        row["status"] = f"shape {got.shape} != onnxruntime's {ref.shape}"
        return row
    diff = np.abs(got.astype(np.float64) - ref.astype(np.float64))
    scale = float(np.abs(ref).max())
    row["max abs diff"] = float(diff.max())
    row["error"] = row["max abs diff"] / scale if scale > 0 else row["max abs diff"]
    if not np.isfinite(row["error"]) or row["error"] > args.tolerance:
        row["status"] = (f"logits differ: max abs diff {row['max abs diff']:.3g}, "
                         f"{row['error']:.3g} of the largest |logit| {scale:.3g}")
        return row

    if args.qcc:
        proc, row["qcc"] = timed([args.qcc, model, "--quant",
                                  "none", "--target", "cpu", "-o",
                                  os.path.join(tmp, "lib")])
        if proc.returncode != 0:
            row["status"] = "qcc failed: " + first_error(proc)
            return row
    row["status"] = "OK"
    return row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qc-run", required=True)
    parser.add_argument("--qc-translate", required=True)
    parser.add_argument("--qcc", help="also time qcc (compile to a shared library)")
    parser.add_argument("--models", default=",".join(export_torchvision.MODELS))
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()

    failed = 0
    total = time.monotonic()
    for name in args.models.split(","):
        if name not in export_torchvision.MODELS:
            print(f"unknown model '{name}'", file=sys.stderr)
            return 2
        with tempfile.TemporaryDirectory() as tmp:
            row = check(name, args, tmp)
        times = " ".join(f"{key} {row[key]:.1f}s" for key in
                         ("export", "import", "qc-run", "qcc") if key in row)
        diff = (f"error {row['error']:.2g} (max abs diff {row['max abs diff']:.2g})"
                if "error" in row else "")
        print(f"{name}: {row['status']} {diff} {times}".replace("  ", " "), flush=True)
        failed += row["status"] != "OK"
    print(f"torchvision: {len(args.models.split(',')) - failed} passed, {failed} failed, "
          f"{time.monotonic() - total:.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
