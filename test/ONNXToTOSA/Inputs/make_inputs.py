#!/usr/bin/python3
"""Generates the small ONNX models the importer tests read.

The .onnx files next to this script are committed, so the tests need no
python-onnx. Regenerate them with Debian's python3-onnx and python3-numpy:

    /usr/bin/python3 test/ONNXToTOSA/Inputs/make_inputs.py

Weights are fixed (seeded) so that regenerating gives the same bytes.
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = np.random.default_rng(1234)
QONNX = "qonnx.custom_op.general"


def weights(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def tensor(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def save(name, nodes, inputs, outputs, initializers=(), opset=13,
         extra_opsets=()):
    graph = helper.make_graph(nodes, name.replace("-", "_"), inputs, outputs,
                              list(initializers))
    opsets = [helper.make_opsetid("", opset)]
    opsets += [helper.make_opsetid(d, v) for d, v in extra_opsets]
    model = helper.make_model(graph, opset_imports=opsets,
                              producer_name="qc-make-inputs")
    model.ir_version = 8
    path = os.path.join(HERE, name + ".onnx")
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    return path


# A LeNet-style classifier with a dynamic batch: Conv, Relu, MaxPool,
# Flatten, Gemm (the README's example signature).
def lenet():
    nodes = [
        helper.make_node("Conv", ["input", "w1", "b1"], ["c1"], name="conv1",
                         kernel_shape=[5, 5], pads=[2, 2, 2, 2]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p1"], ["f"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f", "w2", "b2"], ["logits"], name="fc",
                         transB=1),
    ]
    save("lenet", nodes, [tensor("input", ["N", 1, 28, 28])],
         [tensor("logits", ["N", 10])],
         [init("w1", weights(4, 1, 5, 5)), init("b1", weights(4)),
          init("w2", weights(10, 4 * 14 * 14)), init("b2", weights(10))])


def conv_variants():
    # Depthwise with multiplier 2, general groups, SAME_UPPER/SAME_LOWER,
    # VALID with dilation, strides with floor division, no bias.
    nodes = [
        helper.make_node("Conv", ["x", "wd", "bd"], ["d"], name="depthwise",
                         group=4, kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["d", "wg"], ["g"], name="grouped", group=2,
                         auto_pad="SAME_UPPER", strides=[2, 2]),
        helper.make_node("Conv", ["g", "wu"], ["u"], name="same_lower",
                         auto_pad="SAME_LOWER", kernel_shape=[2, 2]),
        helper.make_node("Conv", ["u", "wv"], ["v"], name="valid_dilated",
                         auto_pad="VALID", dilations=[2, 2]),
        helper.make_node("Conv", ["x", "ws"], ["s"], name="strided",
                         strides=[3, 3], pads=[0, 0, 1, 1]),
    ]
    save("conv-variants", nodes, [tensor("x", [1, 4, 8, 8])],
         [tensor("v", None), tensor("s", None)],
         [init("wd", weights(8, 1, 3, 3)), init("bd", weights(8)),
          init("wg", weights(6, 4, 3, 3)), init("wu", weights(6, 6, 2, 2)),
          init("wv", weights(2, 6, 2, 2)), init("ws", weights(2, 4, 3, 3))])

    # Weights with recognizable values, to check the layout changes.
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["y"], name="ohwi"),
        helper.make_node("Conv", ["x", "wd"], ["z"], name="hwcm", group=2),
    ]
    save("conv-layout", nodes, [tensor("x", [1, 2, 3, 3])],
         [tensor("y", None), tensor("z", None)],
         [init("w", np.arange(16, dtype=np.float32).reshape(2, 2, 2, 2)),
          init("wd", np.arange(8, dtype=np.float32).reshape(4, 1, 1, 2))])

    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["y"], name="conv1d",
                              pads=[1, 1], strides=[2])]
    save("conv1d", nodes, [tensor("x", ["N", 3, 10])], [tensor("y", None)],
         [init("w", weights(5, 3, 3)), init("b", weights(5))])


def gemm():
    nodes = [
        helper.make_node("Gemm", ["a", "b1", "c1"], ["y1"], name="gemm_bias",
                         alpha=0.5, beta=2.0, transB=1),
        helper.make_node("Gemm", ["y1", "b2", "c2"], ["y2"], name="gemm_matrix",
                         transA=1),
        helper.make_node("Gemm", ["a", "b3"], ["y3"], name="gemm_no_c"),
    ]
    save("gemm", nodes, [tensor("a", [3, 4])],
         [tensor("y2", None), tensor("y3", None)],
         [init("b1", np.arange(20, dtype=np.float32).reshape(5, 4)),
          init("c1", np.ones(5, np.float32)),
          init("b2", weights(3, 2)), init("c2", weights(5, 2)),
          init("b3", weights(4, 6))])

    nodes = [
        helper.make_node("MatMul", ["a", "w"], ["y1"], name="mm_2d"),
        helper.make_node("MatMul", ["x3", "w"], ["y2"], name="mm_batched_const"),
        helper.make_node("MatMul", ["x3", "z3"], ["y3"], name="mm_batched"),
        helper.make_node("MatMul", ["x1", "z3"], ["y4"], name="mm_broadcast"),
    ]
    save("matmul", nodes,
         [tensor("a", [3, 4]), tensor("x3", [2, 3, 4]), tensor("z3", [2, 4, 5]),
          tensor("x1", [1, 3, 4])],
         [tensor(n, None) for n in ("y1", "y2", "y3", "y4")],
         [init("w", weights(4, 5))])


def pools():
    nodes = [
        helper.make_node("MaxPool", ["x"], ["m"], name="max_ceil",
                         kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
        helper.make_node("AveragePool", ["x"], ["a1"], name="avg_include_pad",
                         kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1], count_include_pad=1, ceil_mode=1),
        helper.make_node("AveragePool", ["x"], ["a0"], name="avg_exclude_pad",
                         kernel_shape=[2, 2], pads=[1, 1, 0, 0]),
        helper.make_node("GlobalAveragePool", ["x"], ["g"], name="global_avg"),
        helper.make_node("MaxPool", ["x"], ["f"], name="max_floor",
                         kernel_shape=[2, 2], strides=[2, 2]),
    ]
    save("pool", nodes, [tensor("x", ["N", 3, 6, 6])],
         [tensor(n, None) for n in ("m", "a1", "a0", "g", "f")])


def batchnorm():
    params = [init("scale", np.array([1.0, 2.0], np.float32)),
              init("bias", np.array([0.5, -0.5], np.float32)),
              init("mean", np.array([0.0, 1.0], np.float32)),
              init("var", np.array([4.0, 0.25], np.float32))]
    node = helper.make_node("BatchNormalization",
                            ["x", "scale", "bias", "mean", "var"], ["y"],
                            name="bn", epsilon=0.0, spatial=1)
    save("batchnorm-opset9", [node], [tensor("x", ["N", 2, 3, 3])],
         [tensor("y", None)], params, opset=9)
    node = helper.make_node("BatchNormalization",
                            ["x", "scale", "bias", "mean", "var"], ["y"],
                            name="bn", epsilon=0.0)
    save("batchnorm-opset15", [node], [tensor("x", ["N", 2, 3, 3])],
         [tensor("y", None)], params, opset=15)
    # Run-time parameters take the general path.
    node = helper.make_node("BatchNormalization",
                            ["x", "s", "b", "m", "v"], ["y"], name="bn_dynamic")
    save("batchnorm-dynamic", [node],
         [tensor("x", [1, 2, 3, 3])] + [tensor(n, [2]) for n in "sbmv"],
         [tensor("y", None)], opset=15)


# Products with a zero factor on a dynamic batch: BatchNormalization with
# gamma = 0 and with var = inf (both give a zero scale), and Mul by zeros,
# one of them broadcasting the product to a larger shape.
def zero_scale():
    def bn(name, gamma, var):
        return ([init(name + "_s", np.array(gamma, np.float32)),
                 init(name + "_b", np.array([1.0, -2.0], np.float32)),
                 init(name + "_m", np.array([0.5, 0.0], np.float32)),
                 init(name + "_v", np.array(var, np.float32))],
                helper.make_node("BatchNormalization",
                                 ["x"] + [name + k for k in
                                          ("_s", "_b", "_m", "_v")],
                                 [name], name=name))
    gamma_params, gamma_node = bn("gamma0", [0.0, 0.0], [1.0, 1.0])
    var_params, var_node = bn("varinf", [1.0, 3.0], [np.inf, np.inf])
    zeros = init("zeros", np.zeros((1, 2, 1, 1), np.float32))
    wide = init("wide", np.zeros((1, 2, 1, 3, 1), np.float32))
    nodes = [gamma_node, var_node,
             helper.make_node("Mul", ["x", "zeros"], ["mul0"], name="mul0"),
             helper.make_node("Mul", ["wide", "x"], ["mulwide"],
                              name="mulwide")]
    save("zero-scale", nodes, [tensor("x", ["N", 2, 3, 3])],
         [tensor(n, None) for n in ("gamma0", "varinf", "mul0", "mulwide")],
         gamma_params + var_params + [zeros, wide])


# Concats of more inputs than the CPU pipeline's in-place limit (16), which
# it copies into one buffer, along two axes of a dynamic-batch input.
def concat_wide():
    nodes, params = [], []
    for i in range(20):
        params.append(init("s%d" % i, np.array([i - 9.5], np.float32)))
        nodes.append(helper.make_node("Mul", ["x", "s%d" % i], ["m%d" % i]))
    parts = ["m%d" % i for i in range(20)]
    nodes.append(helper.make_node("Concat", parts, ["channels"], axis=1))
    nodes.append(helper.make_node("Concat", parts, ["rows"], axis=-1))
    save("concat-wide", nodes, [tensor("x", ["N", 2, 3])],
         [tensor("channels", None), tensor("rows", None)], params)
    # A DenseNet-style block: each 1x1 Conv + Relu reads the concat of every
    # earlier feature map, so one tensor is read by several wide concats.
    nodes, params, features = [], [], ["x"]
    rng = np.random.default_rng(18)  # the shared RNG feeds later models
    for k in range(18):
        params.append(init("w%d" % k, (0.3 * rng.standard_normal(
            (2, 2 * len(features), 1, 1))).astype(np.float32)))
        nodes += [helper.make_node("Concat", list(features), ["cat%d" % k],
                                   axis=1),
                  helper.make_node("Conv", ["cat%d" % k, "w%d" % k],
                                   ["conv%d" % k]),
                  helper.make_node("Relu", ["conv%d" % k], ["f%d" % k])]
        features.append("f%d" % k)
    nodes.append(helper.make_node("Concat", features, ["y"], axis=1))
    save("concat-dense", nodes, [tensor("x", ["N", 2, 4, 4])],
         [tensor("y", None)], params)


def broadcast():
    nodes = [
        helper.make_node("Add", ["x", "c"], ["a"], name="add_channel"),
        helper.make_node("Sub", ["a", "s"], ["b"], name="sub_scalar"),
        helper.make_node("Mul", ["b", "v"], ["c2"], name="mul_vector"),
        helper.make_node("Div", ["c2", "k"], ["d"], name="div_const"),
        helper.make_node("Div", ["d", "x"], ["e"], name="div_tensor"),
    ]
    save("broadcast", nodes, [tensor("x", ["N", 3, 4, 4])], [tensor("e", None)],
         [init("c", np.array([1, 2, 3], np.float32).reshape(3, 1, 1)),
          init("s", np.array(0.5, np.float32)),
          init("v", np.arange(4, dtype=np.float32)),
          init("k", np.array([4.0], np.float32))])


def reshapes():
    nodes = [
        helper.make_node("Flatten", ["x"], ["flat"], name="flatten"),
        helper.make_node("Reshape", ["x", "shape0"], ["r0"], name="reshape_zero"),
        # x.view(x.size(0), -1) as torch exports it with a dynamic batch.
        helper.make_node("Shape", ["x"], ["shp"], name="shape"),
        helper.make_node("Gather", ["shp", "idx0"], ["n"], name="gather", axis=0),
        helper.make_node("Unsqueeze", ["n", "axes0"], ["n1"], name="unsqueeze"),
        helper.make_node("Concat", ["n1", "minus1"], ["newshape"],
                         name="concat_shape", axis=0),
        helper.make_node("Reshape", ["x", "newshape"], ["view"], name="view"),
        helper.make_node("Transpose", ["x"], ["t"], name="transpose",
                         perm=[0, 2, 3, 1]),
        helper.make_node("Concat", ["x", "x"], ["cat"], name="concat", axis=1),
        helper.make_node("Unsqueeze", ["flat", "axes2"], ["u"], name="unsq"),
        helper.make_node("Squeeze", ["u", "axes2"], ["sq"], name="squeeze"),
    ]
    save("reshape", nodes, [tensor("x", ["N", 2, 3, 4])],
         [tensor(n, None) for n in ("r0", "view", "t", "cat", "sq")],
         [init("shape0", np.array([0, 6, -1], np.int64)),
          init("idx0", np.array(0, np.int64)),
          init("axes0", np.array([0], np.int64)),
          init("minus1", np.array([-1], np.int64)),
          init("axes2", np.array([2], np.int64))])
    nodes = [
        helper.make_node("Reshape", ["x", "shape"], ["y"], name="allowzero",
                         allowzero=1),
        helper.make_node("Squeeze", ["x"], ["s"], name="squeeze_attr", axes=[0]),
    ]
    save("reshape-opset11", nodes[1:], [tensor("x", [1, 6])],
         [tensor("s", None)], opset=11)
    # allowzero=1 turns 0 into a literal (empty) extent, which TOSA cannot
    # express; without zeros it must behave like a plain reshape.
    save("reshape-allowzero", nodes[:1], [tensor("x", [2, 4, 3])],
         [tensor("y", None)], [init("shape", np.array([3, -1], np.int64))],
         opset=14)
    save("reshape-allowzero-empty", nodes[:1], [tensor("x", [2, 4, 3])],
         [tensor("y", None)], [init("shape", np.array([0, 3, 2], np.int64))],
         opset=14)


def activations():
    nodes = [
        helper.make_node("Relu", ["x"], ["r"], name="relu"),
        helper.make_node("Clip", ["r", "lo", "hi"], ["c"], name="clip"),
        helper.make_node("Clip", ["c", "", "hi"], ["c2"], name="clip_max_only"),
        helper.make_node("Sign", ["c2"], ["s"], name="sign"),
        helper.make_node("HardSigmoid", ["s"], ["h"], name="hard_sigmoid",
                         alpha=0.25),
        helper.make_node("Sigmoid", ["h"], ["g"], name="sigmoid"),
        helper.make_node("Tanh", ["g"], ["t"], name="tanh"),
        helper.make_node("Identity", ["t"], ["i"], name="identity"),
        helper.make_node("Dropout", ["i"], ["d"], name="dropout"),
        helper.make_node("Softmax", ["d"], ["sm"], name="softmax"),
    ]
    save("activations", nodes, [tensor("x", ["N", 3, 2, 2])],
         [tensor("sm", None)],
         [init("lo", np.array(-1.0, np.float32)),
          init("hi", np.array(6.0, np.float32))])
    nodes = [
        helper.make_node("Clip", ["x"], ["c"], name="clip_attr", min=-1.0,
                         max=1.0),
        helper.make_node("Dropout", ["c"], ["d"], name="dropout_ratio",
                         ratio=0.3),
        helper.make_node("Softmax", ["d"], ["sm"], name="softmax_coerced",
                         axis=1),
    ]
    save("activations-opset9", nodes, [tensor("x", ["N", 3, 2, 2])],
         [tensor("sm", None)], opset=9)


def qdq():
    w = RNG.integers(-127, 128, size=(4, 3, 3, 3)).astype(np.int8)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"],
                         name="quant_x"),
        helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"],
                         name="dequant_x"),
        helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"],
                         name="dequant_w", axis=0),
        helper.make_node("DequantizeLinear", ["bq", "bs"], ["bd"],
                         name="dequant_b"),
        helper.make_node("Conv", ["xd", "wd", "bd"], ["y"], name="conv",
                         pads=[1, 1, 1, 1]),
        # A float weight through a constant QDQ pair.
        helper.make_node("QuantizeLinear", ["fw", "fs"], ["fq"], name="quant_fw"),
        helper.make_node("DequantizeLinear", ["fq", "fs"], ["fd"],
                         name="dequant_fw"),
        helper.make_node("MatMul", ["y2d", "fd"], ["z"], name="matmul"),
        helper.make_node("Flatten", ["y"], ["y2d"], name="flatten"),
    ]
    # Topological order: flatten before matmul.
    nodes = nodes[:5] + [nodes[8], nodes[5], nodes[6], nodes[7]]
    save("qdq", nodes, [tensor("x", ["N", 3, 4, 4])], [tensor("z", None)],
         [init("xs", np.array(0.02, np.float32)),
          init("xz", np.array(128, np.uint8)),
          init("wq", w),
          init("ws", np.array([0.1, 0.2, 0.05, 0.01], np.float32)),
          init("wz", np.zeros(4, np.int8)),
          init("bq", np.array([10, -20, 30, 0], np.int32)),
          init("bs", np.array(0.002, np.float32)),
          init("fw", weights(64, 2)),
          init("fs", np.array(0.5, np.float32))])


def qdq_weights():
    # Known codes, to check the packed constants through qc's folds.
    nodes = [
        helper.make_node("DequantizeLinear", ["w", "s", "z"], ["y"],
                         name="per_axis", axis=0),
        helper.make_node("DequantizeLinear", ["u", "us", "uz"], ["v"],
                         name="per_tensor_uint8"),
    ]
    save("qdq-weights", nodes, [], [tensor("y", None), tensor("v", None)],
         [init("w", np.array([[1, -1, 2], [-128, 127, 0]], np.int8)),
          init("s", np.array([0.5, 0.25], np.float32)),
          init("z", np.array([0, 1], np.int8)),
          init("u", np.array([0, 128, 255], np.uint8)),
          init("us", np.array(0.5, np.float32)),
          init("uz", np.array(128, np.uint8))])


def qonnx():
    nodes = [
        helper.make_node("Quant", ["w", "ws", "wz", "wb"], ["wq"], name="quant_w",
                         domain=QONNX, signed=1, narrow=1,
                         rounding_mode="ROUND"),
        helper.make_node("Quant", ["x", "xs", "xz", "xb"], ["xq"], name="quant_x",
                         domain=QONNX, signed=0, narrow=0),
        helper.make_node("Conv", ["xq", "wq"], ["c"], name="conv",
                         kernel_shape=[3, 3]),
        helper.make_node("BipolarQuant", ["c", "bs"], ["b"], name="bipolar",
                         domain=QONNX),
        helper.make_node("MultiThreshold", ["b", "thr"], ["m"],
                         name="multithreshold", domain=QONNX, out_scale=0.5,
                         out_bias=-1.0, data_layout="NCHW"),
    ]
    save("qonnx", nodes, [tensor("x", ["N", 2, 5, 5])], [tensor("m", None)],
         [init("w", weights(3, 2, 3, 3)),
          init("ws", np.array([0.1, 0.2, 0.3], np.float32).reshape(3, 1, 1, 1)),
          init("wz", np.array(0.0, np.float32)),
          init("wb", np.array(4.0, np.float32)),
          init("xs", np.array(0.25, np.float32)),
          init("xz", np.array(0.0, np.float32)),
          init("xb", np.array(2.0, np.float32)),
          init("bs", np.array(1.5, np.float32)),
          init("thr", np.array([[-1.0, 0.0, 1.0]] * 3, np.float32))],
         opset=11, extra_opsets=[(QONNX, 1)])


def sign_bnn():
    # A sign-activation binary layer as torch exports it: weights are float
    # and binarized with Sign in the graph.
    nodes = [
        helper.make_node("Sign", ["x"], ["xs"], name="sign_act"),
        helper.make_node("Sign", ["w"], ["wsg"], name="sign_w"),
        helper.make_node("Conv", ["xs", "wsg"], ["y"], name="bconv",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization",
                         ["y", "g", "bb", "mu", "var"], ["z"], name="bn"),
    ]
    save("sign-bnn", nodes, [tensor("x", ["N", 2, 4, 4])], [tensor("z", None)],
         [init("w", weights(3, 2, 3, 3)), init("g", np.ones(3, np.float32)),
          init("bb", np.zeros(3, np.float32)),
          init("mu", np.zeros(3, np.float32)),
          init("var", np.ones(3, np.float32))])


def errors():
    nodes = [
        helper.make_node("Erf", ["x"], ["e"], name="erf1"),
        helper.make_node("Relu", ["e"], ["r"], name="relu"),
        helper.make_node("FancyOp", ["r"], ["y"], name="fancy", domain="com.example"),
    ]
    save("unsupported", nodes, [tensor("x", [1, 4])], [tensor("y", None)],
         extra_opsets=[("com.example", 3)])

    nodes = [helper.make_node("Conv", ["x", "missing_w"], ["y"], name="conv")]
    save("missing-initializer", nodes, [tensor("x", [1, 1, 4, 4])],
         [tensor("y", None)])

    w = TensorProto(name="w_ext", data_type=TensorProto.FLOAT, dims=[1, 1, 3, 3])
    w.data_location = TensorProto.EXTERNAL
    entry = w.external_data.add()
    entry.key, entry.value = "location", "weights.bin"
    nodes = [helper.make_node("Conv", ["x", "w_ext"], ["y"], name="conv")]
    save("external-data", nodes, [tensor("x", [1, 1, 4, 4])],
         [tensor("y", None)], [w])

    w = TensorProto(name="w_short", data_type=TensorProto.FLOAT,
                    dims=[1, 1, 3, 3])
    w.raw_data = b"\0" * 12
    nodes = [helper.make_node("Conv", ["x", "w_short"], ["y"], name="conv")]
    save("bad-raw-data", nodes, [tensor("x", [1, 1, 4, 4])],
         [tensor("y", None)], [w])

    nodes = [helper.make_node("Relu", ["x"], ["y"], name="relu")]
    path = save("opset-missing", nodes, [tensor("x", [1, 4])],
                [tensor("y", None)])
    model = onnx.load(path)
    del model.opset_import[:]
    with open(path, "wb") as f:
        f.write(model.SerializeToString())

    with open(os.path.join(HERE, "lenet.onnx"), "rb") as f:
        data = f.read()
    with open(os.path.join(HERE, "truncated.onnx"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(HERE, "random.onnx"), "wb") as f:
        f.write(np.random.default_rng(7).integers(0, 256, 512, np.uint8).tobytes())
    # Valid protobuf wire format, but not a ModelProto with a graph.
    with open(os.path.join(HERE, "no-graph.onnx"), "wb") as f:
        f.write(helper.make_opsetid("", 13).SerializeToString())


def const_i64(name, values):
    return helper.make_node("Constant", [], [name], name=name,
                            value=numpy_helper.from_array(
                                np.asarray(values, np.int64), name))


# Pad in every mode, with negative pads (a crop), a constant_value input
# and all-zero pads before an AveragePool (torch's DenseNet export).
def pads():
    nodes = [
        const_i64("pc", [0, 0, 1, 2, 0, 0, 2, 1]),
        helper.make_node("Constant", [], ["cv"], name="cv",
                         value=numpy_helper.from_array(np.float32(1.5), "cv")),
        helper.make_node("Pad", ["x", "pc", "cv"], ["constant"],
                         name="pad_constant"),
        const_i64("pr", [0, 0, 2, 1, 0, 0, 1, 3]),
        helper.make_node("Pad", ["x", "pr"], ["reflect"], name="pad_reflect",
                         mode="reflect"),
        const_i64("pe", [0, 0, 1, 0, 0, 0, 2, 2]),
        helper.make_node("Pad", ["x", "pe"], ["edge"], name="pad_edge",
                         mode="edge"),
        const_i64("pn", [0, 0, -1, 1, 0, 0, 0, -2]),
        helper.make_node("Pad", ["x", "pn"], ["crop"], name="pad_crop"),
        const_i64("pz", [0] * 8),
        helper.make_node("Pad", ["x", "pz"], ["zero"], name="pad_zero"),
        helper.make_node("AveragePool", ["zero"], ["pooled"], name="pool",
                         kernel_shape=[2, 2], strides=[2, 2]),
    ]
    outputs = [tensor(n, None) for n in
               ("constant", "reflect", "edge", "crop", "pooled")]
    save("pad", nodes, [tensor("x", ["N", 2, 5, 6])], outputs)
    # The attribute form of opset 2-10.
    nodes = [helper.make_node("Pad", ["x"], ["y"], name="pad_attr",
                              mode="constant", pads=[0, 1, 2, 0, 2, 1],
                              value=-2.0)]
    save("pad-opset10", nodes, [tensor("x", [2, 3, 4])], [tensor("y", None)],
         opset=10)


# Slice bounds from shape arithmetic (torch.chunk exports Shape -> Gather ->
# Add -> Div -> Mul -> Slice), steps other than 1, Split, and a Slice of a
# shape vector with a dynamic batch feeding a Reshape.
def slices():
    nodes = [
        helper.make_node("Shape", ["x"], ["shape"], name="shape"),
        const_i64("one", 1),
        helper.make_node("Gather", ["shape", "one"], ["channels"],
                         name="gather", axis=0),
        helper.make_node("Add", ["channels", "one"], ["plus1"], name="add"),
        const_i64("two", 2),
        helper.make_node("Div", ["plus1", "two"], ["half"], name="div"),
        helper.make_node("Mul", ["half", "one"], ["end0"], name="mul0"),
        helper.make_node("Mul", ["half", "two"], ["end1"], name="mul1"),
        const_i64("zero", [0]),
        const_i64("axis1", [1]),
        helper.make_node("Unsqueeze", ["end0", "zero"], ["end0v"], name="u0"),
        helper.make_node("Unsqueeze", ["end1", "zero"], ["end1v"], name="u1"),
        helper.make_node("Slice", ["x", "zero", "end0v", "axis1"], ["first"],
                         name="chunk0"),
        helper.make_node("Slice", ["x", "end0v", "end1v", "axis1"],
                         ["second"], name="chunk1"),
        const_i64("s_starts", [1, -1]),
        const_i64("s_ends", [1000, -1000]),
        const_i64("s_axes", [3, 2]),
        const_i64("s_steps", [2, -2]),
        helper.make_node("Slice", ["x", "s_starts", "s_ends", "s_axes",
                                   "s_steps"], ["strided"], name="strided"),
        const_i64("t_starts", [1]),
        const_i64("t_ends", [5]),
        const_i64("t_axes", [2]),
        const_i64("t_steps", [3]),
        helper.make_node("Slice", ["x", "t_starts", "t_ends", "t_axes",
                                   "t_steps"], ["padded"], name="step_past_end"),
        const_i64("sizes", [3, 5]),
        helper.make_node("Split", ["x", "sizes"], ["part0", "part1"],
                         name="split", axis=1),
        const_i64("b0", [0]),
        const_i64("one_v", [1]),
        helper.make_node("Slice", ["shape", "b0", "one_v"], ["batch"],
                         name="batch_of_shape"),
        const_i64("minus1", [-1]),
        helper.make_node("Concat", ["batch", "minus1"], ["target"],
                         name="target", axis=0),
        helper.make_node("Reshape", ["x", "target"], ["flat"], name="flatten"),
    ]
    outputs = [tensor(n, None) for n in
               ("first", "second", "strided", "padded", "part0", "part1",
                "flat")]
    save("slice", nodes, [tensor("x", ["N", 8, 5, 6])], outputs)


# Reductions with axes as attributes (opset 13) and inputs (ReduceSum 13,
# the others 18), keepdims and noop_with_empty_axes.
def reductions():
    nodes = [
        helper.make_node("ReduceMean", ["x"], ["mean"], name="mean",
                         axes=[2, 3], keepdims=0),
        const_i64("axes1", [1]),
        helper.make_node("ReduceSum", ["x", "axes1"], ["sum"], name="sum",
                         keepdims=0),
        helper.make_node("ReduceMax", ["x"], ["max"], name="max", axes=[-1]),
        helper.make_node("ReduceMin", ["x"], ["min"], name="min",
                         axes=[1, 2, 3]),
        helper.make_node("ReduceSumSquare", ["x"], ["sumsq"], name="sumsq",
                         axes=[1, 3]),
    ]
    outputs = [tensor(n, None) for n in ("mean", "sum", "max", "min", "sumsq")]
    save("reduce", nodes, [tensor("x", ["N", 3, 4, 5])], outputs)
    nodes = [
        const_i64("axes", [0, 2]),
        helper.make_node("ReduceMean", ["x", "axes"], ["mean"], name="mean"),
        helper.make_node("ReduceMax", ["x"], ["same"], name="noop",
                         noop_with_empty_axes=1),
        helper.make_node("ReduceSum", ["x"], ["all"], name="all"),
    ]
    outputs = [tensor(n, None) for n in ("mean", "same", "all")]
    save("reduce-opset18", nodes, [tensor("x", [2, 3, 4])], outputs, opset=18)


# Dilated pooling: MaxPool (dilations since opset 10) and AveragePool
# (since opset 19), with padding, strides, ceil_mode and count_include_pad.
def dilated_pools():
    nodes = [
        helper.make_node("MaxPool", ["x"], ["max_pad"], name="max_pad",
                         kernel_shape=[3, 3], dilations=[2, 2],
                         pads=[1, 1, 1, 1]),
        helper.make_node("MaxPool", ["x"], ["max_ceil"], name="max_ceil",
                         kernel_shape=[2, 2], dilations=[3, 2],
                         strides=[2, 3], ceil_mode=1),
        helper.make_node("AveragePool", ["x"], ["avg"], name="avg",
                         kernel_shape=[3, 3], dilations=[2, 2], strides=[2, 2],
                         pads=[1, 2, 1, 2]),
        helper.make_node("AveragePool", ["x"], ["avg_incl"], name="avg_incl",
                         kernel_shape=[3, 2], dilations=[2, 3], strides=[2, 2],
                         pads=[1, 1, 2, 1], count_include_pad=1, ceil_mode=1),
    ]
    outputs = [tensor(n, None) for n in
               ("max_pad", "max_ceil", "avg", "avg_incl")]
    save("pool-dilated", nodes, [tensor("x", ["N", 2, 9, 10])], outputs,
         opset=19)


# Models the new ops must reject with an error naming the node.
def new_op_errors():
    nodes = [helper.make_node("Pad", ["x", "p"], ["y"], name="pad_runtime")]
    save("pad-runtime-pads", nodes,
         [tensor("x", [1, 2]), tensor("p", [4], TensorProto.INT64)],
         [tensor("y", None)])
    nodes = [const_i64("p", [0, 3, 0, 0]),
             helper.make_node("Pad", ["x", "p"], ["y"], name="pad_reflect",
                              mode="reflect")]
    save("pad-reflect-too-far", nodes, [tensor("x", [1, 3])],
         [tensor("y", None)])
    nodes = [const_i64("s", [0]), const_i64("a", [0]),
             helper.make_node("Slice", ["x", "s", "e", "a"], ["y"],
                              name="slice_runtime")]
    save("slice-runtime-ends", nodes,
         [tensor("x", [4, 2]), tensor("e", [1], TensorProto.INT64)],
         [tensor("y", None)])
    nodes = [const_i64("sizes", [1, 2]),
             helper.make_node("Split", ["x", "sizes"], ["a", "b"],
                              name="split_bad", axis=1)]
    save("split-bad-sizes", nodes, [tensor("x", [1, 4])],
         [tensor("a", None), tensor("b", None)])
    nodes = [helper.make_node("ReduceMean", ["x"], ["y"], name="mean_batch",
                              axes=[0])]
    save("reduce-mean-dynamic", nodes, [tensor("x", ["N", 4])],
         [tensor("y", None)])


if __name__ == "__main__":
    lenet()
    conv_variants()
    gemm()
    pools()
    batchnorm()
    zero_scale()
    concat_wide()
    broadcast()
    reshapes()
    activations()
    qdq()
    qdq_weights()
    qonnx()
    sign_bnn()
    errors()
    pads()
    slices()
    reductions()
    dilated_pools()
    new_op_errors()
