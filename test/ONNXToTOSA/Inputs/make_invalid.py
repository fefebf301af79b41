#!/usr/bin/python3
"""Writes minimal invalid ONNX models, one per class of bad input.

Run at test time by invalid-models.test: make_invalid.py OUT_DIR. Each model
is the smallest graph that shows one problem the importer must reject with a
message instead of importing something that computes the wrong thing or
corrupts memory at run time.
"""

import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

INT64_MAX = 2**63 - 1


def tensor(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def save(out, name, nodes, inputs, outputs, inits=(), opsets=(("", 13),)):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets])
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())


def conv(out, name, attrs=None, inputs=("x", "w", "b"), bias=6, extra=(),
         nodes_after=()):
    """A 1x1x8x8 -> 6-channel 3x3 convolution with the given attributes."""
    node = helper.make_node("Conv", list(inputs), ["y"], name="conv",
                            **(attrs or {}))
    for key, value in extra:
        node.attribute.append(helper.make_attribute(key, value))
    inits = [init("w", np.ones((6, 1, 3, 3))), init("b", np.zeros(bias)),
             init("c", np.zeros(6))]
    save(out, name, [node], [tensor("x", [1, 1, 8, 8])],
         [tensor("y", None)], inits)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    # Node signatures: inputs beyond the op's, attributes given twice or
    # unknown to the op.
    conv(out, "extra-input", inputs=("x", "w", "b", "c"))
    conv(out, "duplicate-attribute", attrs={"group": 1},
         extra=[("group", 1)])
    conv(out, "unknown-attribute", attrs={"flavour": 2})
    # Integer attributes out of range.
    conv(out, "pads-int64-max", attrs={"pads": [0, 0, INT64_MAX, 0]})
    conv(out, "dilation-2-62", attrs={"dilations": [2**62, 1]})
    conv(out, "pads-2-15", attrs={"pads": [2**15] * 4})
    conv(out, "bias-length", bias=5)
    for name, attrs in [("maxpool-pads-int64-max",
                         {"kernel_shape": [2, 2], "pads": [INT64_MAX] * 4}),
                        ("maxpool-ceil-mode-99",
                         {"kernel_shape": [2, 2], "ceil_mode": 99})]:
        save(out, name,
             [helper.make_node("MaxPool", ["x"], ["y"], name="pool",
                               **attrs)],
             [tensor("x", [1, 1, 8, 8])], [tensor("y", None)])
    # Dilated pools are built from static tap slices.
    save(out, "avgpool-dilations",
         [helper.make_node("AveragePool", ["x"], ["y"], name="pool",
                           kernel_shape=[2, 2], dilations=[2, 2])],
         [tensor("x", [1, 1, "H", 8])], [tensor("y", None)])
    # Opsets that do not exist or that the importer does not know.
    for version in (99, -5, INT64_MAX):
        save(out, "opset%d" % version,
             [helper.make_node("Relu", ["x"], ["y"], name="relu")],
             [tensor("x", [1, 4])], [tensor("y", [1, 4])],
             opsets=(("", version),))
    # Declared graph outputs the graph does not compute.
    save(out, "output-dtype",
         [helper.make_node("Relu", ["x"], ["y"], name="relu")],
         [tensor("x", [1, 4])], [tensor("y", [1, 4], TensorProto.INT64)])
    save(out, "output-shape",
         [helper.make_node("Relu", ["x"], ["y"], name="relu")],
         [tensor("x", [1, 4])], [tensor("y", [1, 7])])
    # A reshape to more elements than the input has.
    shape = numpy_helper.from_array(np.array([1, 1, 7, 7], np.int64), "s")
    save(out, "reshape-larger",
         [helper.make_node("Reshape", ["x", "s"], ["y"], name="reshape")],
         [tensor("x", [1, 1, 4, 4])], [tensor("y", None)], [shape])

    # Results whose dynamic extent would no longer be the batch: a Concat
    # and a Pad along the dynamic batch axis.
    save(out, "concat-batch",
         [helper.make_node("Concat", ["x", "x"], ["y"], name="cat", axis=0)],
         [tensor("x", ["N", 4])], [tensor("y", None)])
    pads = numpy_helper.from_array(np.array([1, 0, 1, 0], np.int64), "p")
    save(out, "pad-batch",
         [helper.make_node("Pad", ["x", "p"], ["y"], name="pad")],
         [tensor("x", ["N", 4])], [tensor("y", None)], [pads])

    # Found by the onnx-proto fuzzer: integer BatchNormalization statistics
    # (read as floats) and an axis of a rank-0 tensor (read as its extent).
    params = [numpy_helper.from_array(np.ones(2, np.float32), n)
              for n in ("scale", "bias", "var")]
    params.append(numpy_helper.from_array(np.zeros(2, np.int64), "mean"))
    save(out, "batchnorm-int-mean",
         [helper.make_node("BatchNormalization",
                           ["x", "scale", "bias", "mean", "var"], ["y"],
                           name="bn")],
         [tensor("x", [1, 2, 3, 3])], [tensor("y", None)], params)
    axes = numpy_helper.from_array(np.array([0], np.int64), "axes")
    save(out, "squeeze-rank0",
         [helper.make_node("Squeeze", ["x", "axes"], ["y"], name="squeeze")],
         [tensor("x", [])], [tensor("y", None)], [axes])


if __name__ == "__main__":
    main()
