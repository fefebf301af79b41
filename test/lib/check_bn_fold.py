"""Checks that post-training quantization sees batch normalization folded
into the weights before it and `--quant auto` does not.

Reads an ONNX model and two qc-run layer reports (--report): one of
--quant int8, one of --quant auto. For every Gemm followed by a
BatchNormalization, the int8 per-channel scales must be
max_k |W[o, k] * a[o]| / 127 with a = gamma / sqrt(var + eps), computed here
from the ONNX initializers (and must differ from the unfolded max |W| / 127);
the auto report's binary alphas must be the unfolded max |W[o, :]| (the QAT
grid). A BatchNormalization after a max-pool cannot fold: that layer's int8
scales stay max |W| / 127.

Usage: check_bn_fold.py MODEL.onnx INT8.json AUTO.json
"""
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper

model = onnx.load(sys.argv[1])
init = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
int8 = {l["name"]: l["weight_type"] for l in json.load(open(sys.argv[2]))["layers"]}
auto = {l["name"]: l["weight_type"] for l in json.load(open(sys.argv[3]))["layers"]}
consumers = {}
for node in model.graph.node:
    for name in node.input:
        consumers.setdefault(name, []).append(node)


def numbers(text, start, end):
    body = text[text.index(start) + len(start):]
    return np.array([float(v) for v in body[:body.index(end)].split(",")])


failed = False
for node in model.graph.node:
    if node.op_type not in ("Gemm", "Conv"):
        continue
    weight = init[node.input[1]].astype(np.float64)
    rows = weight.reshape(weight.shape[0], -1)
    unfolded = np.abs(rows).max(axis=1) / 127
    scales = numbers(int8[node.name], "{", "}")
    after = consumers.get(node.output[0], [])
    if len(after) == 1 and after[0].op_type == "BatchNormalization":
        bn = after[0]
        eps = [a.f for a in bn.attribute if a.name == "epsilon"][0]
        gamma, var = init[bn.input[1]], init[bn.input[4]]
        a = gamma.astype(np.float64) / np.sqrt(var.astype(np.float64) + eps)
        folded = np.abs(rows * a[:, None]).max(axis=1) / 127
        ok = np.allclose(scales, folded, rtol=1e-5) and not np.allclose(
            scales, unfolded, rtol=1e-5)
        alphas = numbers(auto[node.name], "alpha = [", "]")
        auto_ok = np.allclose(alphas, np.abs(rows).max(axis=1), rtol=1e-5)
        print(f"{node.name}: BN folded before int8 {'ok' if ok else 'FAIL'},"
              f" auto on the trained grid {'ok' if auto_ok else 'FAIL'}")
        failed |= not (ok and auto_ok)
    else:
        ok = np.allclose(scales, unfolded, rtol=1e-5)
        print(f"{node.name}: unchanged {'ok' if ok else 'FAIL'}")
        failed |= not ok
sys.exit(1 if failed else 0)
