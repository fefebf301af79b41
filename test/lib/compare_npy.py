#!/usr/bin/env python3
"""compare_npy.py - Check that two .npy tensors agree within tolerances.

Used by the end-to-end tests to compare qc's outputs with an independent
reference (numpy, ONNX's own test data, onnxruntime). Exits non-zero with a
message naming the worst element when |a - b| > atol + rtol * |b| anywhere.
"""
import argparse
import sys

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("actual")
    parser.add_argument("expected")
    parser.add_argument("--rtol", type=float, default=0.0)
    parser.add_argument("--atol", type=float, default=0.0)
    args = parser.parse_args()
    a = np.load(args.actual)
    b = np.load(args.expected)
    if a.shape != b.shape or a.dtype != b.dtype:
        print(f"mismatch: {a.shape} {a.dtype} vs {b.shape} {b.dtype}")
        return 1
    diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
    bound = args.atol + args.rtol * np.abs(b.astype(np.float64))
    bad = diff > bound
    if np.isnan(a).any() != np.isnan(b).any() or bad.any():
        index = np.unravel_index(np.argmax(diff - bound), diff.shape)
        print(f"FAIL: {int(bad.sum())} of {a.size} elements differ; worst at "
              f"{index}: {a[index]} vs {b[index]}")
        return 1
    print(f"ok: max abs diff {diff.max() if diff.size else 0.0:.3g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
