#!/usr/bin/env python3
"""check_calibration.py - numpy reference of qc-run --act int8 on the
one-layer model of qc-run-tosa.mlir (y = relu(x W^T + b)).

`make DIR` writes calibration and test inputs; `check DIR OUT.npy METHOD`
recomputes what the quantized model defines, independently of qc: weights
int8 per output channel (symmetric, narrow, round half to even), the input
clipped to the range METHOD picks from the calibration batch (max: its
extreme values, signed symmetric since it has negative values) and
quantized to int8, then the float layer.
"""
import sys

import numpy as np

W = np.array([[0.5, -1.0, 0.25, 2.0], [-0.75, 0.5, 1.5, -0.5],
              [1.0, 1.0, -1.0, 0.125]], np.float64)
B = np.array([0.1, -0.2, 0.3], np.float64)


def fake_quant(x, scale, qmin, qmax):
    return np.clip(np.round(x / scale), qmin, qmax) * scale


def main():
    mode, d = sys.argv[1], sys.argv[2]
    if mode == "make":
        rng = np.random.default_rng(7)
        np.save(f"{d}/calib.npy", rng.normal(0, 1, (64, 4)).astype(np.float32))
        np.save(f"{d}/x.npy", rng.normal(0, 1.5, (32, 4)).astype(np.float32))
        np.save(f"{d}/empty.npy", np.zeros((0, 4), np.float32))
        bad = rng.normal(0, 1, (8, 4)).astype(np.float32)
        bad[5, 2] = np.nan
        np.save(f"{d}/nan.npy", bad)
        return 0
    out, method = sys.argv[3], sys.argv[4]
    assert method == "max"
    calib = np.load(f"{d}/calib.npy").astype(np.float64)
    x = np.load(f"{d}/x.npy").astype(np.float64)
    clip = max(-calib.min(), calib.max())
    xq = fake_quant(x, clip / 127, -127, 127)
    scales = np.abs(W).max(axis=1, keepdims=True) / 127
    wq = fake_quant(W, scales, -127, 127)
    expected = np.maximum(xq @ wq.T + B, 0)
    actual = np.load(out).astype(np.float64)
    worst = np.abs(actual - expected).max()
    # Deliberately unquantized: the input rounding must be visible.
    unquantized = np.maximum(x @ wq.T + B, 0)
    print(f"max |qc - reference| = {worst:.3g}; "
          f"quantizing the input changes outputs by up to "
          f"{np.abs(unquantized - expected).max():.3g}")
    return 0 if worst <= 1e-5 else 1


if __name__ == "__main__":
    sys.exit(main())
