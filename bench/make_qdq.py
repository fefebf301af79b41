#!/usr/bin/python3
"""make_qdq.py - the int8 QDQ form of a float CNN, for onnxruntime's int8 row.

Writes OUT.onnx: MODEL.onnx with QuantizeLinear/DequantizeLinear pairs as
onnxruntime's own static quantizer lays them out (QDQ format, uint8
activations, int8 weights per output channel): weights symmetric per output
channel (narrow range, DequantizeLinear along axis 0), biases int32 at
scale s_in * s_w, and one uint8 Q/DQ pair, per tensor, on the graph input and
on every output of Conv (unless a Relu alone reads it), Relu, Add, MaxPool
and GlobalAveragePool. onnxruntime fuses DQ -> Conv -> (Relu ->) Q into its
QLinearConv, DQ -> Add -> Q into QLinearAdd, and so on. Activation ranges
are min and max over a calibration batch (CALIB.npy, the model input with a
batch dimension, or the first 64 images of an IDX file scaled to [0, 1]),
run through the numpy interpreter in models/onnx_ref.py; they set the QDQ
model's accuracy, not its speed, which is what bench/run.sh measures.

Usage: /usr/bin/python3 bench/make_qdq.py MODEL.onnx OUT.onnx CALIB
"""
import gzip
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "models"))
import onnx_ref  # noqa: E402

QUANTIZED_OUTPUTS = ("Conv", "Relu", "Add", "MaxPool", "GlobalAveragePool")


def load_calibration(path, shape):
    if path.endswith(".npy"):
        return np.load(path).astype(np.float32)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    count, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
    count = min(count, 64)
    pixels = np.frombuffer(data, np.uint8, count * rows * cols, 16)
    return (pixels.astype(np.float32) / 255.0).reshape((count,) + tuple(shape[1:]))


def activation_qparams(values):
    lo, hi = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
    scale = (hi - lo) / 255.0 if hi > lo else 1.0
    zero = int(np.clip(np.rint(-lo / scale), 0, 255))
    return np.float32(scale), np.uint8(zero)


def main(model_path, out_path, calib_path):
    model = onnx.load(model_path)
    graph = model.graph
    inits = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    input_name = graph.input[0].name
    dims = [d.dim_value or 1 for d in graph.input[0].type.tensor_type.shape.dim]
    env = onnx_ref.run(model, {input_name: load_calibration(calib_path, dims)},
                       keep_all=True)
    readers = {}
    for n in graph.node:
        for i in n.input:
            readers.setdefault(i, []).append(n.op_type)

    quantized = [input_name]
    for n in graph.node:
        out = n.output[0]
        if n.op_type not in QUANTIZED_OUTPUTS:
            continue
        if n.op_type == "Conv" and readers.get(out) == ["Relu"]:
            continue
        quantized.append(out)

    nodes, new_inits, rename = [], [], {}

    def init(name, array):
        new_inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def qdq(t):
        scale, zero = activation_qparams(env[t])
        s, z = init(f"{t}_scale", scale), init(f"{t}_zero_point", zero)
        nodes.append(helper.make_node("QuantizeLinear", [t, s, z], [f"{t}_q"],
                                      name=f"{t}_QuantizeLinear"))
        nodes.append(helper.make_node("DequantizeLinear", [f"{t}_q", s, z],
                                      [f"{t}_dq"], name=f"{t}_DequantizeLinear"))
        rename[t] = f"{t}_dq"
        return scale

    def dequantized(name, codes, scale):
        """A per-channel (axis 0) DequantizeLinear of constant `codes`."""
        zero = np.zeros(len(scale), codes.dtype)
        nodes.append(helper.make_node(
            "DequantizeLinear",
            [init(f"{name}_q", codes), init(f"{name}_scale", scale),
             init(f"{name}_zero_point", zero)],
            [f"{name}_dq"], name=f"{name}_DequantizeLinear", axis=0))
        return f"{name}_dq"

    scales = {input_name: qdq(input_name)}
    for n in graph.node:
        ins = [rename.get(i, i) for i in n.input]
        if n.op_type in ("Conv", "Gemm") and n.input[1] in inits:
            w = inits[n.input[1]]
            m = np.abs(w.reshape(w.shape[0], -1)).max(1)
            sw = np.where(m > 0, m / 127.0, 1.0).astype(np.float32)
            shape = (-1,) + (1,) * (w.ndim - 1)
            wq = np.clip(np.rint(w / sw.reshape(shape)), -127, 127).astype(np.int8)
            ins[1] = dequantized(n.input[1], wq, sw)
            source = n.input[0]
            if len(n.input) > 2 and source in scales:
                sb = (scales[source] * sw).astype(np.float32)
                bq = np.rint(inits[n.input[2]] / sb).astype(np.int32)
                ins[2] = dequantized(n.input[2], bq, sb)
        copy = onnx.NodeProto()
        copy.CopyFrom(n)
        del copy.input[:]
        copy.input.extend(ins)
        nodes.append(copy)
        out = n.output[0]
        if out in quantized:
            scales[out] = qdq(out)
        elif n.op_type == "Flatten" and n.input[0] in scales:
            scales[out] = scales[n.input[0]]

    used = {i for n in nodes for i in n.input}
    kept = [t for t in graph.initializer if t.name in used]
    new_graph = helper.make_graph(nodes, graph.name, graph.input, graph.output,
                                  kept + new_inits)
    qdq_model = helper.make_model(new_graph, opset_imports=model.opset_import)
    qdq_model.ir_version = model.ir_version
    onnx.checker.check_model(qdq_model)
    onnx.save(qdq_model, out_path)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
