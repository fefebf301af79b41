#!/usr/bin/python3
"""make_chains.py KIND N OUT_DIR - a synthetic ONNX chain for compile time.

KIND is `add` (N Adds, each adding the input again), `sign` (N Signs),
`conv` (N 1x1 Conv + Relu layers on 8 channels with seeded weights) or
`concat` (one Concat of N distinct scalings of the input). Also
writes the model's input as input.npy. Used by bench/compile-time.sh.
"""

import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper


def main():
    kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)
    nodes, inits, prev = [], [], "x"
    shape = [1, 8, 4, 4] if kind == "conv" else [1, 16]
    for i in range(n):
        if kind == "concat":
            inits.append(numpy_helper.from_array(
                np.array([i + 1.0], np.float32), "s%d" % i))
            nodes.append(helper.make_node("Mul", ["x", "s%d" % i],
                                          ["r%d" % i]))
            continue
        if kind == "add":
            nodes.append(helper.make_node("Add", [prev, "x"], ["a%d" % i]))
        elif kind == "sign":
            nodes.append(helper.make_node("Sign", [prev], ["a%d" % i]))
        else:
            inits.append(numpy_helper.from_array(
                (0.5 * rng.standard_normal((8, 8, 1, 1))).astype(np.float32),
                "w%d" % i))
            nodes.append(helper.make_node("Conv", [prev, "w%d" % i],
                                          ["c%d" % i], name="conv%d" % i))
            nodes.append(helper.make_node("Relu", ["c%d" % i], ["a%d" % i]))
        prev = "a%d" % i
    if kind == "concat":
        prev = "y"
        nodes.append(helper.make_node("Concat", ["r%d" % i for i in range(n)],
                                      [prev], axis=1))
    graph = helper.make_graph(
        nodes, "%s_chain" % kind,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info(prev, TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    name = "%s%d.onnx" % (kind, n)
    with open(os.path.join(out, name), "wb") as f:
        f.write(model.SerializeToString())
    np.save(os.path.join(out, "input-%s.npy" % kind),
            rng.standard_normal(shape).astype(np.float32))


if __name__ == "__main__":
    main()
