#!/usr/bin/python3
"""Writes dynamic-batch ONNX models whose shapes fix the batch, and inputs.

Run by qc-run-fixed-batch.test: make_batch_models.py OUT_DIR. Each model
declares a dynamic batch but contains a node that only works at one batch,
as exporters write when a shape was traced as a constant. It also writes
the numpy results the valid batch must give.
"""

import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

RNG = np.random.default_rng(7)


def save(out, name, nodes, inits, out_shape):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       ["N", 4, 2, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)],
        inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())


def shape(name, dims):
    return numpy_helper.from_array(np.array(dims, np.int64), name)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    w = RNG.standard_normal((16, 3)).astype(np.float32)
    weight = numpy_helper.from_array(w, "w")
    # A Reshape to a constant [2, 16]: batch 2 only.
    save(out, "reshape-batch2",
         [helper.make_node("Reshape", ["x", "s"], ["r"], name="/Reshape"),
          helper.make_node("MatMul", ["r", "w"], ["y"], name="/MatMul")],
         [shape("s", [2, 16]), weight], [2, 3])
    # Flatten over the batch (axis 0) into a Gemm of K = 16: batch 1 only.
    save(out, "flatten-axis0",
         [helper.make_node("Flatten", ["x"], ["f"], name="/Flatten", axis=0),
          helper.make_node("Gemm", ["f", "w"], ["y"], name="/Gemm")],
         [weight], [1, 3])
    # Two reshapes that need different batches: no batch runs the model.
    save(out, "conflict",
         [helper.make_node("Reshape", ["x", "s2"], ["a"], name="/ReshapeA"),
          helper.make_node("Reshape", ["x", "s3"], ["b"], name="/ReshapeB"),
          helper.make_node("MatMul", ["a", "w"], ["y"], name="/MatMul")],
         [shape("s2", [2, 16]), shape("s3", [3, 16]), weight], [2, 3])
    # 15 elements are never a multiple of the 16 per image.
    save(out, "never",
         [helper.make_node("Reshape", ["x", "s"], ["y"], name="/Reshape")],
         [shape("s", [3, 5])], [3, 5])
    for batch in (1, 2, 3):
        x = RNG.standard_normal((batch, 4, 2, 2)).astype(np.float32)
        np.save(os.path.join(out, "x%d.npy" % batch), x)
        np.save(os.path.join(out, "ref%d.npy" % batch),
                x.reshape(batch, 16) @ w if batch == 2 else
                x.reshape(1, 16 * batch) @ w if batch == 1 else x[:0])


if __name__ == "__main__":
    main()
