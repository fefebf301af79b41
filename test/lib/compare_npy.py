#!/usr/bin/env python3
"""compare_npy.py - Check that two .npy tensors agree within tolerances.

Used by the end-to-end tests to compare qc's outputs with an independent
reference (numpy, ONNX's own test data, onnxruntime). Exits non-zero with a
message naming the worst element when |a - b| > atol + rtol * |b| anywhere,
or with --bits the first element whose bytes differ (-0 against +0 too).
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
    parser.add_argument("--bits", action="store_true",
                        help="the same bytes, element for element")
    args = parser.parse_args()
    a = np.load(args.actual)
    b = np.load(args.expected)
    if args.bits and a.shape == b.shape and a.dtype == b.dtype:
        bytes_a = a.reshape(a.size, 1).view(np.uint8)
        bytes_b = b.reshape(b.size, 1).view(np.uint8)
        differ = np.flatnonzero((bytes_a != bytes_b).any(axis=1))
        if differ.size:
            index = np.unravel_index(differ[0], a.shape)
            print(f"FAIL: {differ.size} of {a.size} elements differ in their "
                  f"bits; first at {index}: {a[index]!r} vs {b[index]!r}")
            return 1
    failure = compare(a, b, args.rtol, args.atol)
    if failure:
        print(failure)
        return 1
    diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
    print(f"ok: max abs diff {diff.max() if diff.size else 0.0:.3g}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
