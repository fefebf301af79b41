#!/usr/bin/env python3
"""Inputs and numpy reference outputs for matmul.onnx (gemm.mlir).

Reads the initializer w from the ONNX file itself and writes random inputs
a, x3, z3, x1 and the expected y1 = a @ w, y2 = x3 @ w, y3 = x3 @ z3 and
y4 = x1 @ z3 (numpy broadcasting), computed here, independently of qc.
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def main():
    model, prefix = sys.argv[1], sys.argv[2]
    graph = onnx.load(model).graph
    w = numpy_helper.to_array(
        next(t for t in graph.initializer if t.name == "w"))
    rng = np.random.default_rng(11)
    a = rng.standard_normal((3, 4)).astype(np.float32)
    x3 = rng.standard_normal((2, 3, 4)).astype(np.float32)
    z3 = rng.standard_normal((2, 4, 5)).astype(np.float32)
    x1 = rng.standard_normal((1, 3, 4)).astype(np.float32)
    for name, value in (("a", a), ("x3", x3), ("z3", z3), ("x1", x1)):
        np.save(f"{prefix}.{name}.npy", value)
    expected = (a @ w, x3 @ w, x3 @ z3, x1 @ z3)
    for i, value in enumerate(expected, 1):
        np.save(f"{prefix}.ref{i}.npy", value.astype(np.float32))


if __name__ == "__main__":
    main()
