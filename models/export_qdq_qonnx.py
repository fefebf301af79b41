# models/export_qdq_qonnx.py - builds the QDQ and QONNX variants of the zoo's LeNets.
#
# These models are written with onnx.helper by rewriting already exported
# graphs, and their accuracy is measured with the numpy reference interpreter
# in models/onnx_ref.py (torch never runs them):
#   lenet5_qdq_mnist        lenet5_mnist with int8 QuantizeLinear/DequantizeLinear:
#                           weights per output channel (symmetric, narrow, axis 0),
#                           activations per tensor (int8, zero point -128, min/max
#                           calibrated on the first 500 training images), biases
#                           int32 with scale s_in * s_w.
#   lenet5_qonnx_mnist      the same quantization written with QONNX Quant nodes
#                           (domain qonnx.custom_op.general); numerically identical.
#   lenet5_int4_qonnx_mnist lenet5_int4_mnist in QONNX: 4-bit Quant on the hidden
#                           weights and PACT activations, 8-bit Quant on conv1/fc3
#                           weights and on the input.
#   lenet5_binary_qonnx_mnist lenet5_binary_mnist in QONNX: BipolarQuant on the
#                           hidden weights (per-channel scale) and in place of Sign.
# Run after models/train_lenet.py (it reads the exported float/int4/binary ONNX).
#
# Usage: /usr/bin/python3 models/export_qdq_qonnx.py [NAME ...]   (default: all)

import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402
import onnx_ref  # noqa: E402

CMD = "/usr/bin/python3 models/export_qdq_qonnx.py {}"
QDOMAIN = onnx_ref.QONNX_DOMAIN
CALIBRATION_IMAGES = 500
WEIGHT_NODES = ("Conv", "Gemm")


def path_of(name):
    return os.path.join(C.MODELS_DIR, f"{name}.onnx")


def f32(v):
    return np.asarray(v, dtype=np.float32)


def per_channel_scale(w, levels):
    """max|w| per output channel (axis 0) / levels; 1 for all-zero channels."""
    m = np.abs(w.reshape(w.shape[0], -1)).max(1).astype(np.float32)
    return f32(np.where(m > 0, m / np.float32(levels), np.float32(1.0)))


def broadcast_axis0(v, ndim):
    return v.reshape((-1,) + (1,) * (ndim - 1))


class Graph:
    """Collects nodes and initializers of a rewritten graph."""

    def __init__(self, src):
        self.src = src
        self.inits = {t.name: numpy_helper.to_array(t) for t in src.graph.initializer}
        self.new_inits = []
        self.nodes = []

    def init(self, name, arr):
        self.new_inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def node(self, op, ins, out, name, domain="", **attrs):
        self.nodes.append(helper.make_node(op, ins, [out], name=name, domain=domain, **attrs))
        return out

    def model(self, doc, qonnx=False, keep_inits=()):
        g = self.src.graph
        used = {i for n in self.nodes for i in n.input}
        inits = [numpy_helper.from_array(self.inits[k], k) for k in self.inits
                 if k in used and k in keep_inits] + self.new_inits
        graph = helper.make_graph(self.nodes, g.name or "main", list(g.input),
                                  list(g.output), inits)
        opsets = [helper.make_opsetid("", C.OPSET)]
        if qonnx:
            opsets.append(helper.make_opsetid(QDOMAIN, 1))
        m = helper.make_model(graph, opset_imports=opsets, producer_name="qc-models",
                              producer_version="1", doc_string=doc)
        m.ir_version = 7
        onnx.checker.check_model(m)
        return m


# ----------------------------------------------------------------------------
# int8 calibration of the float LeNet (shared by the QDQ and QONNX variants)
# ----------------------------------------------------------------------------

def calibrate_float_lenet():
    """Returns the float model and {tensor: scale} for the int8 activations:
    the graph input (scale 1/255: pixels are exact) and every Relu output
    (max over the calibration images / 255); MaxPool/Flatten pass through."""
    src = onnx.load(path_of("lenet5_mnist"))
    x, _ = C.load("mnist", "train")
    env = onnx_ref.run(src, {"input": x[:CALIBRATION_IMAGES].numpy()}, keep_all=True)
    scales = {"input": np.float32(1.0 / 255.0)}
    for n in src.graph.node:
        if n.op_type == "Relu":
            scales[n.output[0]] = np.float32(env[n.output[0]].max() / 255.0)
        elif n.op_type in ("MaxPool", "Flatten") and n.input[0] in scales:
            scales[n.output[0]] = scales[n.input[0]]
    return src, scales


def build_qdq():
    src, scales = calibrate_float_lenet()
    G = Graph(src)
    rename = {}  # float tensor -> dequantized tensor consumed downstream

    def qdq(t):
        s = G.init(f"{t}_scale", scales[t])
        z = G.init(f"{t}_zero_point", np.int8(-128))
        q = G.node("QuantizeLinear", [t, s, z], f"{t}_quantized", f"{t}_QuantizeLinear")
        rename[t] = G.node("DequantizeLinear", [q, s, z], f"{t}_dequantized",
                           f"{t}_DequantizeLinear")

    qdq("input")
    for n in src.graph.node:
        ins = [rename.get(i, i) for i in n.input]
        if n.op_type in WEIGHT_NODES:
            w = G.inits[n.input[1]]
            sw = per_channel_scale(w, 127)
            wq = np.clip(np.rint(w / broadcast_axis0(sw, w.ndim)), -127, 127).astype(np.int8)
            wn = n.input[1]
            ins[1] = G.node("DequantizeLinear",
                            [G.init(f"{wn}_quantized", wq), G.init(f"{wn}_scale", sw),
                             G.init(f"{wn}_zero_point", np.zeros(len(sw), np.int8))],
                            f"{wn}_dequantized", f"{wn}_DequantizeLinear", axis=0)
            if len(n.input) > 2:
                b = G.inits[n.input[2]]
                sb = f32(scales[n.input[0]] * sw)
                bq = np.rint(b / sb).astype(np.int32)
                bn = n.input[2]
                ins[2] = G.node("DequantizeLinear",
                                [G.init(f"{bn}_quantized", bq), G.init(f"{bn}_scale", sb)],
                                f"{bn}_dequantized", f"{bn}_DequantizeLinear", axis=0)
        G.nodes.append(helper.make_node(n.op_type, ins, list(n.output), name=n.name,
                                        **{a.name: helper.get_attribute_value(a)
                                           for a in n.attribute}))
        if n.output[0] in scales:
            qdq(n.output[0])
    return G.model("lenet5_mnist with int8 QDQ: per-channel weights, per-tensor "
                   "activations, int32 biases")


def build_qonnx_int8():
    """The QDQ model's quantization with QONNX Quant nodes. An int8 activation
    with zero point -128 equals an unsigned 8-bit Quant with zero point 0."""
    src, scales = calibrate_float_lenet()
    G = Graph(src)
    rename = {}

    def quant(t, scale, bits, signed, narrow, name, zeropt=0.0):
        return G.node("Quant", [t, G.init(f"{name}_scale", scale),
                                G.init(f"{name}_zeropt", np.float32(zeropt)),
                                G.init(f"{name}_bitwidth", np.float32(bits))],
                      f"{name}_quant", f"{name}_Quant", domain=QDOMAIN,
                      signed=signed, narrow=narrow, rounding_mode="ROUND")

    rename["input"] = quant("input", scales["input"], 8, 0, 0, "input")
    for n in src.graph.node:
        ins = [rename.get(i, i) for i in n.input]
        if n.op_type in WEIGHT_NODES:
            w = G.inits[n.input[1]]
            sw = per_channel_scale(w, 127)
            ins[1] = quant(n.input[1], broadcast_axis0(sw, w.ndim), 8, 1, 1, n.input[1])
            if len(n.input) > 2:
                sb = f32(scales[n.input[0]] * sw)
                ins[2] = quant(n.input[2], sb, 32, 1, 0, n.input[2])
        G.nodes.append(helper.make_node(n.op_type, ins, list(n.output), name=n.name,
                                        **{a.name: helper.get_attribute_value(a)
                                           for a in n.attribute}))
        if n.output[0] in scales:
            t = n.output[0]
            rename[t] = quant(t, scales[t], 8, 0, 0, t)
    return G.model("lenet5_mnist quantized to int8 with QONNX Quant nodes (same "
                   "scales as lenet5_qdq_mnist)", qonnx=True,
                   keep_inits=tuple(G.inits))


# ----------------------------------------------------------------------------
# QONNX forms of the QAT models
# ----------------------------------------------------------------------------

def _const_value(src, name):
    for n in src.graph.node:
        if n.op_type == "Constant" and n.output[0] == name:
            return numpy_helper.to_array(n.attribute[0].t)
    for t in src.graph.initializer:
        if t.name == name:
            return numpy_helper.to_array(t)
    raise KeyError(name)


def build_qonnx_int4():
    """lenet5_int4_mnist: Clip -> QuantizeLinear -> DequantizeLinear becomes
    Relu -> Quant(4 bit unsigned, scale alpha/15) (the Quant saturates at
    15*scale = alpha); hidden weights get Quant(4 bit signed narrow, per
    channel), conv1/fc3 weights and the input 8-bit Quant."""
    src = onnx.load(path_of("lenet5_int4_mnist"))
    G = Graph(src)
    nodes = [n for n in src.graph.node if n.op_type != "Constant"]
    consumers = {}
    for n in nodes:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    rename, skip = {}, set()
    hidden = ("conv2.weight", "fc1.weight", "fc2.weight")
    grid = {}

    def quant(t, scale, bits, signed, narrow, name):
        return G.node("Quant", [t, G.init(f"{name}_scale", f32(scale)),
                                G.init(f"{name}_zeropt", np.float32(0.0)),
                                G.init(f"{name}_bitwidth", np.float32(bits))],
                      f"{name}_quant", f"{name}_Quant", domain=QDOMAIN,
                      signed=signed, narrow=narrow, rounding_mode="ROUND")

    rename["input"] = quant("input", np.float32(1.0 / 255.0), 8, 0, 0, "input")
    for n in nodes:
        if n.name in skip:
            continue
        if n.op_type == "Clip":
            q = consumers[n.output[0]][0]
            dq = consumers[q.output[0]][0]
            assert q.op_type == "QuantizeLinear" and dq.op_type == "DequantizeLinear"
            scale = _const_value(src, q.input[1])
            assert int(_const_value(src, q.input[2])) == 0
            lo, hi = _const_value(src, n.input[1]), _const_value(src, n.input[2])
            assert float(lo) == 0.0 and abs(float(hi) - 15 * float(scale)) < 1e-5 * float(hi)
            r = G.node("Relu", [rename.get(n.input[0], n.input[0])], n.output[0] + "_relu",
                       n.name + "_Relu")
            rename[dq.output[0]] = quant(r, scale, 4, 0, 0, n.output[0])
            skip.update({q.name, dq.name})
            continue
        ins = [rename.get(i, i) for i in n.input]
        if n.op_type in WEIGHT_NODES:
            w = G.inits[n.input[1]]
            if n.input[1] in hidden:
                s = per_channel_scale(w, C.INT4_LEVELS)
                k = w / broadcast_axis0(s, w.ndim)
                grid[n.input[1]] = float(np.abs(k - np.rint(k)).max())
                ins[1] = quant(n.input[1], broadcast_axis0(s, w.ndim), 4, 1, 1, n.input[1])
            else:
                ins[1] = quant(n.input[1], broadcast_axis0(per_channel_scale(w, 127), w.ndim),
                               8, 1, 1, n.input[1])
        G.nodes.append(helper.make_node(n.op_type, ins, list(n.output), name=n.name,
                                        **{a.name: helper.get_attribute_value(a)
                                           for a in n.attribute}))
    assert max(grid.values()) < 1e-3, grid  # the baked int4 weights are on their grid
    return G.model("lenet5_int4_mnist in QONNX: W4A4 hidden layers, 8-bit conv1/fc3 "
                   "weights and input", qonnx=True, keep_inits=tuple(G.inits))


def build_qonnx_binary():
    """lenet5_binary_mnist: hidden weights BipolarQuant(w, alpha_c) (they are
    +-alpha_c already), each Sign becomes BipolarQuant(x, 1)."""
    src = onnx.load(path_of("lenet5_binary_mnist"))
    G = Graph(src)
    rename = {}
    hidden = ("conv2.weight", "fc1.weight", "fc2.weight")
    for n in src.graph.node:
        ins = [rename.get(i, i) for i in n.input]
        if n.op_type == "Sign":
            G.node("BipolarQuant", [ins[0], G.init(f"{n.name}_scale", np.float32(1.0))],
                   n.output[0], n.name.replace("Sign", "BipolarQuant"), domain=QDOMAIN)
            continue
        if n.op_type in WEIGHT_NODES and n.input[1] in hidden:
            w = G.inits[n.input[1]]
            a = per_channel_scale(w, 1)
            assert np.array_equal(np.abs(w), np.broadcast_to(broadcast_axis0(a, w.ndim), w.shape))
            ins[1] = G.node("BipolarQuant",
                            [n.input[1], G.init(f"{n.input[1]}_scale", broadcast_axis0(a, w.ndim))],
                            f"{n.input[1]}_quant", f"{n.input[1]}_BipolarQuant", domain=QDOMAIN)
        G.nodes.append(helper.make_node(n.op_type, ins, list(n.output), name=n.name,
                                        **{a.name: helper.get_attribute_value(a)
                                           for a in n.attribute}))
    return G.model("lenet5_binary_mnist in QONNX: BipolarQuant weights and activations",
                   qonnx=True, keep_inits=tuple(G.inits))


# ----------------------------------------------------------------------------

def measure(name, model):
    x, y = C.load("mnist", "test")
    logits = onnx_ref.run_batched(model, x.numpy())
    correct = int((logits.argmax(1) == y.numpy()).sum())
    return correct, len(y), logits


def emit(name, model, scheme, first_last, source, **extra):
    path = path_of(name)
    onnx.save(model, path)
    correct, total, logits = measure(name, model)
    C.save_reference(name, logits)
    entry = C.manifest_entry(
        name, "mnist", scheme, correct, total, first_last, CMD.format(name),
        architecture="lenet5", source_model=source,
        accuracy_measured_with="numpy reference interpreter models/onnx_ref.py "
                               "(reference logits too)", **extra)
    C.update_manifest(entry)
    C.log(f"{name}: {scheme} accuracy {correct}/{total} = {correct / total:.4f}")


def lenet5_qdq_mnist():
    emit("lenet5_qdq_mnist", build_qdq(), "int8-qdq-ptq", "int8", "lenet5_mnist",
         description=("lenet5_mnist post-training quantized in ONNX QDQ form: int8 "
                      "weights per output channel (symmetric, narrow [-127,127], "
                      "DequantizeLinear axis 0), int8 activations per tensor (zero "
                      "point -128, scale = calibrated max / 255, input scale 1/255) "
                      "on the input and after every Relu/MaxPool/Flatten, int32 "
                      "biases (scale s_in * s_w[c], DequantizeLinear axis 0). "
                      f"Calibration: first {CALIBRATION_IMAGES} training images."),
         weights="int8 per-output-channel, all layers",
         activations="int8 per-tensor (asymmetric, zero point -128)")


def lenet5_qonnx_mnist():
    emit("lenet5_qonnx_mnist", build_qonnx_int8(), "int8-qonnx-ptq", "int8", "lenet5_mnist",
         description=("Same quantization as lenet5_qdq_mnist written with QONNX Quant "
                      "nodes (qonnx.custom_op.general, rounding_mode ROUND): weights "
                      "signed narrow 8-bit per output channel, activations unsigned "
                      "8-bit zero point 0 (= int8 with zero point -128), biases signed "
                      "32-bit with scale s_in * s_w[c]. Logits equal the QDQ model's."),
         weights="int8 per-output-channel, all layers",
         activations="uint8 per-tensor")


def lenet5_int4_qonnx_mnist():
    emit("lenet5_int4_qonnx_mnist", build_qonnx_int4(), "int4-qonnx", "int8",
         "lenet5_int4_mnist",
         description=("lenet5_int4_mnist in QONNX form: hidden weights Quant(bitwidth 4, "
                      "signed, narrow, per-channel scale max|w_c|/7) (exact: the baked "
                      "weights are on that grid), each PACT activation Relu -> Quant("
                      "bitwidth 4, unsigned, scale alpha/15), conv1/fc3 weights Quant("
                      "bitwidth 8, signed, narrow, per channel), input Quant(8 bit "
                      "unsigned, scale 1/255). Biases float."),
         weights="int4 hidden layers, int8 conv1/fc3, per output channel",
         activations="uint4 per-tensor (PACT), uint8 input")


def lenet5_binary_qonnx_mnist():
    emit("lenet5_binary_qonnx_mnist", build_qonnx_binary(), "binary-qonnx", "float",
         "lenet5_binary_mnist",
         description=("lenet5_binary_mnist in QONNX form: hidden weights "
                      "BipolarQuant(w, alpha_c) per output channel, every Sign replaced "
                      "by BipolarQuant(x, 1) (differs from Sign only at x == 0, which "
                      "does not occur on the test set). BatchNormalization kept."),
         weights="binary per-output-channel (conv2, fc1, fc2)",
         activations="bipolar after BatchNorm")


MODELS = {
    "lenet5_qdq_mnist": lenet5_qdq_mnist,
    "lenet5_qonnx_mnist": lenet5_qonnx_mnist,
    "lenet5_int4_qonnx_mnist": lenet5_int4_qonnx_mnist,
    "lenet5_binary_qonnx_mnist": lenet5_binary_qonnx_mnist,
}


def main(argv):
    C.run_models(MODELS, argv)


if __name__ == "__main__":
    main(sys.argv[1:])
