#!/usr/bin/env python3
"""check_xnor.py - Inputs and numpy references of xnor-kernels.test.

Writes, for every case of the test, its float inputs (<case>.x.npy,
<case>.w.npy) and the expected result (<case>.ref.npy): the plain integer
dot product of sign(x) and sign(w), by brute force over the convolution
window with the padding, strides and dilation spelled out as loops,
independently of qc. Signs: w and a binary x are -1 below 0, else +1; a
ternary x (the masked cases) is -1, 0 or +1, with NaN and -0.0 as 0.

usage: check_xnor.py OUTDIR
"""
import os
import sys

import numpy as np

# name: (x shape, w shape, conv or None, pad_value, ternary input)
# The test runs all cases as one function; qc-run gives every dynamic batch
# dimension the batch of input #0, so the dynamic cases share N = 3.
# conv = (strides, pad [top, bottom, left, right], dilation)
CASES = {
    "dense_dyn": ((3, 40), (5, 40), None, 0, False),
    "dense_mask": ((3, 70), (3, 70), None, 0, True),
    "conv_s2_zero": ((3, 7, 7, 6), (4, 3, 3, 6),
                     ((2, 2), (1, 1, 1, 1), (1, 1)), 0, False),
    "conv_d2_zero": ((1, 8, 7, 40), (3, 3, 2, 40),
                     ((2, 1), (2, 1, 0, 3), (2, 2)), 0, False),
    "conv_d2_one": ((2, 6, 5, 40), (3, 3, 3, 40),
                    ((1, 2), (2, 2, 1, 2), (2, 2)), 1, False),
    "conv_mask": ((2, 5, 6, 40), (4, 3, 3, 40),
                  ((2, 2), (1, 2, 1, 0), (1, 2)), 0, True),
}


def binary_sign(v):
    return np.where(v < 0, -1, 1).astype(np.int64)


def ternary_sign(v):
    with np.errstate(invalid="ignore"):
        return np.where(v < 0, -1, np.where(v > 0, 1, 0)).astype(np.int64)


def reference(x, w, conv, pad_value):
    if conv is None:
        n, m = x.shape[0], w.shape[0]
        out = np.zeros((n, m), dtype=np.int64)
        for i in range(n):
            for j in range(m):
                out[i, j] = sum(int(a) * int(b) for a, b in zip(x[i], w[j]))
        return out
    (sh, sw), (top, bottom, left, right), (dh, dw) = conv
    n, h, wd, c = x.shape
    o, kh, kw, _ = w.shape
    padded = np.full((n, h + top + bottom, wd + left + right, c), pad_value,
                     dtype=np.int64)
    padded[:, top:top + h, left:left + wd, :] = x
    oh = (h + top + bottom - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + left + right - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, oh, ow, o), dtype=np.int64)
    for b in range(n):
        for y in range(oh):
            for z in range(ow):
                for k in range(o):
                    total = 0
                    for i in range(kh):
                        for j in range(kw):
                            row = padded[b, y * sh + i * dh, z * sw + j * dw]
                            total += int(np.dot(row, w[k, i, j]))
                    out[b, y, z, k] = total
    return out


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    rng = np.random.default_rng(2024)
    for name, (xshape, wshape, conv, pad_value, ternary) in CASES.items():
        if ternary:
            choices = np.array([-1.5, -1.0, 0.0, -0.0, np.nan, 0.5, 2.0],
                               dtype=np.float32)
            x = rng.choice(choices, size=xshape).astype(np.float32)
            xs = ternary_sign(x)
        else:
            x = rng.standard_normal(xshape).astype(np.float32)
            # Signed zeros count as +1.
            flat = x.reshape(-1)
            flat[rng.integers(0, flat.size, 5)] = -0.0
            flat[rng.integers(0, flat.size, 5)] = 0.0
            xs = binary_sign(x)
        w = rng.standard_normal(wshape).astype(np.float32)
        ref = reference(xs, binary_sign(w), conv, pad_value)
        np.save(os.path.join(outdir, name + ".x.npy"), x)
        np.save(os.path.join(outdir, name + ".w.npy"), w)
        np.save(os.path.join(outdir, name + ".ref.npy"), ref.astype(np.float32))
    return 0


if __name__ == "__main__":
    sys.exit(main())
