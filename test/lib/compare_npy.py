#!/usr/bin/env python3
"""compare_npy.py - Check that two .npy tensors agree within tolerances.

Used by the end-to-end tests to compare qc's outputs with an independent
reference (numpy, ONNX's own test data, onnxruntime). Exits non-zero with a
message naming the worst element when |a - b| > atol + rtol * |b| anywhere.
"""
import argparse
import sys

import numpy as np

from qctest import compare


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("actual")
    parser.add_argument("expected")
    parser.add_argument("--rtol", type=float, default=0.0)
    parser.add_argument("--atol", type=float, default=0.0)
    args = parser.parse_args()
    a = np.load(args.actual)
    b = np.load(args.expected)
    failure = compare(a, b, args.rtol, args.atol)
    if failure:
        print(failure)
        return 1
    diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
    print(f"ok: max abs diff {diff.max() if diff.size else 0.0:.3g}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
