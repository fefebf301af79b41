#!/usr/bin/env python3
"""Input of qc-run-fake-quant.mlir: inputs and numpy references.

Writes x (rows of values chosen to hit ties and boundaries) and, for each
quantized type of the test, numpy's evaluation of that type's definition,
independently of qc's C++ folds and its linalg lowering.
"""
import sys

import numpy as np

prefix = sys.argv[1]
boundaries = [0.0, -0.0, 0.25, -0.25, 0.75, -0.75, 0.125, 0.1875, 1.5, -1.5,
              3.0, -3.0, 0.7, -0.7, 0.35, 0.5, 1e-9, -1e-9, 1e9, -1e9]
rng = np.random.default_rng(3)
x = np.concatenate([np.array(boundaries, np.float32),
                    rng.standard_normal(300).astype(np.float32) * 2]).reshape(-1, 8)
np.save(prefix + ".x.npy", x)
f32 = np.float32
ch = np.arange(8) % 2  # channel parity selects per-axis parameters

# !qc.binary per axis 1 (8 channels): alpha_c = 0.5 for even c, 2 for odd.
alpha = np.where(ch == 0, f32(0.5), f32(2.0))
binary = np.where(x < 0, -alpha, alpha).astype(f32)

# !qc.ternary<alpha_n = 0.3, alpha_p = 0.4, delta = 0.25>, per tensor.
ternary = np.where(x > f32(0.25), f32(0.4), np.where(x < f32(-0.25), f32(-0.3), f32(0))).astype(f32)

# !qc.pot<scale = 1.0, emin = -3, emax = 1>: nearest of {0, 2^-3 .. 2^1}.
m = np.abs(x)
levels = np.zeros_like(x)
levels = np.where(m >= f32(2.0**-4), f32(2.0**-3), levels)
for e in range(-3, 1):
    levels = np.where(m >= f32(1.5 * 2.0**e), f32(2.0**(e + 1)), levels)
pot = np.where(x < 0, -levels, levels).astype(f32)

# !qc.codebook<bits = 2, centroids = [-1.0, -0.25, 0.5]>: nearest, ties low.
c = np.array([-1.0, -0.25, 0.5], np.float32)
dist = np.abs(x[..., None].astype(np.float64) - c.astype(np.float64))
codebook = c[np.argmin(dist, axis=-1)]  # argmin takes the first (lowest) tie

# !quant.uniform<i8:f32:1, {0.25:3, 0.5:-2, ...}> per axis 1.
s = np.where(ch == 0, f32(0.25), f32(0.5))
z = np.where(ch == 0, f32(3), f32(-2))
q = np.clip(np.round(x / s) + z, -128, 127)  # np.round is half to even
uniform = ((q - z) * s).astype(f32)

for name, value in [("binary", binary), ("ternary", ternary), ("pot", pot),
                    ("codebook", codebook), ("uniform", uniform)]:
    np.save(f"{prefix}.{name}.ref.npy", value)
