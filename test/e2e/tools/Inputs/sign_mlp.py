#!/usr/bin/env python3
"""Input of explain-matmul-mlp.test: a sign-activation MLP as PyTorch exports
nn.Linear(bias=False), and a random batch for it.

Builds input [N, 1, 28, 28] -> Flatten -> MatMul(W1^T) -> Sign ->
MatMul(W2^T) -> Sign -> MatMul(W3^T) -> logits with the onnx helper API. Each
weight is stored transposed, [in, out], as an initializer, which is what
torch.onnx writes for a Linear layer without bias. W1 and W2 are binary:
every row of W (one output channel) is +-alpha with its own power-of-two
alpha, so that sums of +-alpha are exact in float and Sign(0) = 0 happens
the same way in every implementation. W3 is plain random floats, on no
grid. Writes PREFIX.onnx, PREFIX.x.npy and the same batch as raw float32
PREFIX.x.bin (what models/ort_run.js reads).
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

BATCH = 64


def binary_rows(rng, outputs, inputs):
    """W (outputs x inputs) with row o in {-alpha_o, +alpha_o}."""
    alpha = 2.0 ** rng.integers(-3, 2, size=(outputs, 1))
    signs = rng.choice([-1.0, 1.0], size=(outputs, inputs))
    return (alpha * signs).astype(np.float32)


def main():
    prefix = sys.argv[1]
    rng = np.random.default_rng(2024)
    w1 = binary_rows(rng, 64, 784)
    w2 = binary_rows(rng, 32, 64)
    w3 = rng.standard_normal((10, 32)).astype(np.float32)

    initializers = [
        numpy_helper.from_array(np.ascontiguousarray(w.T), name)
        for w, name in ((w1, "fc1.weight_t"), (w2, "fc2.weight_t"),
                        (w3, "fc3.weight_t"))
    ]
    nodes = [
        helper.make_node("Flatten", ["input"], ["flat"], name="/Flatten",
                         axis=1),
        helper.make_node("MatMul", ["flat", "fc1.weight_t"], ["h1"],
                         name="/fc1/MatMul"),
        helper.make_node("Sign", ["h1"], ["s1"], name="/Sign"),
        helper.make_node("MatMul", ["s1", "fc2.weight_t"], ["h2"],
                         name="/fc2/MatMul"),
        helper.make_node("Sign", ["h2"], ["s2"], name="/Sign_1"),
        helper.make_node("MatMul", ["s2", "fc3.weight_t"], ["logits"],
                         name="/fc3/MatMul"),
    ]
    graph = helper.make_graph(
        nodes, "sign_mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                       ["N", 1, 28, 28])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT,
                                       ["N", 10])],
        initializers)
    model = helper.make_model(graph, producer_name="sign_mlp.py",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, prefix + ".onnx")

    x = rng.standard_normal((BATCH, 1, 28, 28)).astype(np.float32)
    np.save(prefix + ".x.npy", x)
    x.tofile(prefix + ".x.bin")


if __name__ == "__main__":
    main()
