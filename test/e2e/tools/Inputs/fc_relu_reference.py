#!/usr/bin/env python3
"""Input of qc-run-tosa.mlir: writes a random batch and its numpy reference.

The reference is relu(x @ W.T + b) with the same W and b as the test's
tosa.const ops, computed by numpy, independently of qc.
"""
import sys

import numpy as np

W = np.array([[0.5, -1.0, 0.25, 2.0],
              [-0.75, 0.5, 1.5, -0.5],
              [1.0, 1.0, -1.0, 0.125]], dtype=np.float32)
B = np.array([0.1, -0.2, 0.3], dtype=np.float32)

prefix = sys.argv[1]
x = np.random.default_rng(7).standard_normal((5, 4)).astype(np.float32)
np.save(prefix + ".x.npy", x)
np.save(prefix + ".ref.npy", np.maximum(x @ W.T + B, 0).astype(np.float32))
np.save(prefix + ".x64.npy", x.astype(np.float64))
np.save(prefix + ".x3.npy", x[:, :3].copy())
