# models/onnx_ref.py - a small numpy reference interpreter for the zoo's ONNX graphs.
#
# Independent of torch: it executes an ONNX graph node by node with numpy, so
# the QDQ and QONNX models (which torch never ran) get a measured accuracy, and
# the torch exports can be checked against their torch logits. It implements
# only the ops the zoo uses: Conv, MaxPool, Relu, Gemm, MatMul, Add, Sub, Mul,
# Div, Flatten, Reshape, Transpose, BatchNormalization (inference), Sign, Clip,
# Round, Identity, Constant, QuantizeLinear / DequantizeLinear (opset 13,
# per-tensor and per-axis, round half to even, saturating) and the QONNX
# custom ops Quant and BipolarQuant (domain qonnx.custom_op.general).
# Arithmetic is float32 like the ONNX types (float64 only where QONNX says
# so: none here).

import numpy as np
import onnx
from onnx import numpy_helper

QONNX_DOMAIN = "qonnx.custom_op.general"


def _attrs(node):
    out = {}
    for a in node.attribute:
        v = onnx.helper.get_attribute_value(a)
        out[a.name] = v.decode() if isinstance(v, bytes) else v
    return out


def _conv(x, w, b, a):
    pads = a.get("pads", [0, 0, 0, 0])
    strides = a.get("strides", [1, 1])
    assert a.get("group", 1) == 1 and a.get("dilations", [1, 1]) == [1, 1]
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    kh, kw = w.shape[2:]
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))
    win = win[:, :, ::strides[0], ::strides[1]]  # N C Ho Wo kh kw
    y = np.tensordot(win, w, axes=([1, 4, 5], [1, 2, 3]))  # N Ho Wo O
    y = np.ascontiguousarray(y.transpose(0, 3, 1, 2)).astype(np.float32)
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def _maxpool(x, a):
    k = a["kernel_shape"]
    s = a.get("strides", k)
    pads = a.get("pads", [0] * 4)
    assert a.get("ceil_mode", 0) == 0
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])),
               constant_values=-np.inf)
    win = np.lib.stride_tricks.sliding_window_view(x, tuple(k), axis=(2, 3))
    return win[:, :, ::s[0], ::s[1]].max(axis=(4, 5))


def _axis_shape(param, x, axis):
    """Reshapes a per-axis parameter to broadcast along `axis` of x."""
    if param.ndim == 0 or param.size == 1:
        return param.reshape(())
    shape = [1] * x.ndim
    shape[axis] = param.size
    return param.reshape(shape)


def quantize_linear(x, scale, zp, axis=1):
    zp = np.zeros((), np.uint8) if zp is None else zp
    info = np.iinfo(zp.dtype)
    s = _axis_shape(scale, x, axis % x.ndim)
    z = _axis_shape(zp, x, axis % x.ndim).astype(np.float32)
    q = np.rint(x / s) + z  # np.rint: round half to even
    return np.clip(q, info.min, info.max).astype(zp.dtype)


def dequantize_linear(x, scale, zp, axis=1):
    s = _axis_shape(scale, x, axis % x.ndim)
    z = 0 if zp is None else _axis_shape(zp, x, axis % x.ndim).astype(np.int64)
    return ((x.astype(np.int64) - z).astype(np.float32) * s).astype(np.float32)


def qonnx_quant(x, scale, zeropt, bitwidth, signed, narrow, rounding_mode):
    """QONNX Quant: y = (clip(round(x/scale + zeropt), lo, hi) - zeropt) * scale."""
    b = float(bitwidth)
    if signed:
        lo = -(2.0 ** (b - 1)) + (1 if narrow else 0)
        hi = 2.0 ** (b - 1) - 1
    else:
        lo = 0.0
        hi = 2.0 ** b - 1 - (1 if narrow else 0)
    v = x / scale + zeropt
    mode = rounding_mode.upper()
    if mode == "ROUND":
        r = np.rint(v)
    elif mode == "FLOOR":
        r = np.floor(v)
    elif mode == "CEIL":
        r = np.ceil(v)
    else:
        raise NotImplementedError(rounding_mode)
    return ((np.clip(r, lo, hi) - zeropt) * scale).astype(np.float32)


def bipolar_quant(x, scale):
    return (np.where(x >= 0, 1.0, -1.0) * scale).astype(np.float32)


def run(model, inputs, keep_all=False):
    """Runs `model` (onnx.ModelProto or path) on {name: array}; returns the
    graph outputs (a dict), or every tensor if keep_all."""
    if isinstance(model, str):
        model = onnx.load(model)
    g = model.graph
    env = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    env.update(inputs)
    for node in g.node:
        a = _attrs(node)
        ins = [env[n] if n else None for n in node.input]
        op = node.op_type
        if node.domain == QONNX_DOMAIN:
            if op == "Quant":
                out = qonnx_quant(ins[0], ins[1], ins[2], ins[3], a.get("signed", 1),
                                  a.get("narrow", 0), a.get("rounding_mode", "ROUND"))
            elif op == "BipolarQuant":
                out = bipolar_quant(ins[0], ins[1])
            else:
                raise NotImplementedError(op)
        elif node.domain not in ("", "ai.onnx"):
            raise NotImplementedError(f"{node.domain}.{op}")
        elif op == "Conv":
            out = _conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)
        elif op == "MaxPool":
            out = _maxpool(ins[0], a)
        elif op == "GlobalAveragePool":
            out = ins[0].mean(axis=(2, 3), keepdims=True, dtype=np.float32)
        elif op == "Relu":
            out = np.maximum(ins[0], 0).astype(np.float32)
        elif op == "Gemm":
            A, B = ins[0], ins[1]
            if a.get("transA", 0):
                A = A.T
            if a.get("transB", 0):
                B = B.T
            out = (a.get("alpha", 1.0) * (A @ B)).astype(np.float32)
            if len(ins) > 2 and ins[2] is not None:
                out = out + np.float32(a.get("beta", 1.0)) * ins[2]
        elif op == "MatMul":
            out = ins[0] @ ins[1]
        elif op == "Add":
            out = ins[0] + ins[1]
        elif op == "Sub":
            out = ins[0] - ins[1]
        elif op == "Mul":
            out = ins[0] * ins[1]
        elif op == "Div":
            out = ins[0] / ins[1]
        elif op == "Flatten":
            ax = a.get("axis", 1)
            out = ins[0].reshape(int(np.prod(ins[0].shape[:ax])), -1)
        elif op == "Reshape":
            shape = [d if d != 0 else ins[0].shape[i] for i, d in enumerate(ins[1])]
            out = ins[0].reshape(shape)
        elif op == "Transpose":
            out = np.transpose(ins[0], a.get("perm"))
        elif op == "BatchNormalization":
            x, s, bias, mean, var = ins
            eps = np.float32(a.get("epsilon", 1e-5))
            sh = (1, -1) + (1,) * (x.ndim - 2)
            out = ((x - mean.reshape(sh)) / np.sqrt(var.reshape(sh) + eps)
                   * s.reshape(sh) + bias.reshape(sh)).astype(np.float32)
        elif op == "Sign":
            out = np.sign(ins[0])
        elif op == "Clip":
            lo = ins[1] if len(ins) > 1 and ins[1] is not None else -np.inf
            hi = ins[2] if len(ins) > 2 and ins[2] is not None else np.inf
            out = np.clip(ins[0], lo, hi).astype(ins[0].dtype)
        elif op == "Round":
            out = np.rint(ins[0])
        elif op == "Identity":
            out = ins[0]
        elif op == "Constant":
            out = numpy_helper.to_array(a["value"])
        elif op == "QuantizeLinear":
            out = quantize_linear(ins[0], ins[1], ins[2] if len(ins) > 2 else None,
                                  a.get("axis", 1))
        elif op == "DequantizeLinear":
            out = dequantize_linear(ins[0], ins[1], ins[2] if len(ins) > 2 else None,
                                    a.get("axis", 1))
        else:
            raise NotImplementedError(op)
        assert len(node.output) == 1, op
        env[node.output[0]] = out
    if keep_all:
        return env
    return {o.name: env[o.name] for o in g.output}


def run_batched(model, x, batch=500, output="logits"):
    if isinstance(model, str):
        model = onnx.load(model)
    return np.concatenate([run(model, {"input": x[i:i + batch]})[output]
                           for i in range(0, len(x), batch)])
