#!/usr/bin/python3
"""kernel_costs.py - the kernel picker's cost table, measured on this machine.

For every instruction-set level this CPU runs (x86-64, avx2, avx512,
avx512-vnni; the lower ones forced with QC_ISA_CAP at run time and the
matching qcc --mcpu at compile time), builds one-node 3x3 convolutions
(64 -> 64 channels at 28x28, 32 -> 32 at 14x14) and compiles each with a
weight/activation scheme that has a specialized exact route besides the
integer MAC:
  --quant int2 --act int2       bit-serial AND-popcount  (2 x 2 planes)
  --quant ternary --act int4    ternary masked popcount  (4 x 2 planes)
  --quant pot4 --act int4       shift-add
and the layer's binarized form (Sign of the input, +-alpha weights, --quant
auto: the XNOR popcount), forcing each route with --mac-route (the route and the integer MAC on the
same layer), times the library through its context API (bench/so_time.c,
1 thread, batch 8, median of repeats) and divides by the route's units of
work (passes/Analysis/KernelPicker.h: MACs, times activation planes x
weight planes for bit-serial, times activation planes x 2 for ternary). The
cost per unit of a route at a level is the median over its layers (the
integer MAC's over all six). Prints the table and writes it as JSON to
argv[1] (default kernel-costs.json); with --write, to
passes/Analysis/KernelCosts.json, the table qc ships. The figures include
each layer's quantization of its input and its output transform, as a
model's layer does.

Usage: /usr/bin/python3 bench/kernel_costs.py [OUT.json | --write]
       (QC_BUILD_DIR: build dir)
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.environ.get("QC_BUILD_DIR", os.path.join(ROOT, "build"))

# level -> qcc --mcpu for the generated loops (the runtime's kernels follow
# QC_ISA_CAP); the top level is this machine's own.
MCPU = {"x86-64": "x86-64", "avx2": "x86-64-v3", "avx512": "x86-64-v4",
        "avx512-vnni": "native"}
SHAPES = [(64, 28), (32, 14)]  # channels (in = out), output size
BATCH = 8
# scheme options, the route besides the integer MAC, its work units per MAC
# (the xnor row compiles the binarized form of the layer: Sign of the input,
# +-alpha weights, --quant auto)
SCHEMES = [(["--quant", "int2", "--act", "int2"], "bitserial", 2 * 2),
           (["--quant", "ternary", "--act", "int4"], "ternary", 4 * 2),
           (["--quant", "pot4", "--act", "int4"], "shift", 1),
           (["--quant", "auto", "--act", "none"], "xnor", 1)]


def host_levels():
    flags = set()
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    levels = ["x86-64"]
    if {"avx2", "fma"} <= flags:
        levels.append("avx2")
        if {"avx512f", "avx512bw", "avx512dq", "avx512vl"} <= flags:
            levels.append("avx512")
            if "avx512_vnni" in flags:
                levels.append("avx512-vnni")
    return levels


def conv_model(path, c, size, rng, binary=False):
    w = (rng.standard_normal((c, c, 3, 3)) * 0.1).astype(np.float32)
    dims = ["batch", c, size, size]
    nodes = [helper.make_node("Conv", ["input", "w"], ["output"],
                              kernel_shape=[3, 3], pads=[1, 1, 1, 1])]
    if binary:
        alpha = np.abs(w).reshape(c, -1).mean(1).reshape(c, 1, 1, 1)
        w = (np.where(w >= 0, 1.0, -1.0) * alpha).astype(np.float32)
        nodes = [helper.make_node("Sign", ["input"], ["signs"]),
                 helper.make_node("Conv", ["signs", "w"], ["output"],
                                  kernel_shape=[3, 3], pads=[1, 1, 1, 1])]
    graph = helper.make_graph(
        nodes,
        "layer",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, dims)],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, dims)],
        [numpy_helper.from_array(w, "w")])
    onnx.save(helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 13)]), path)


def main():
    write = len(sys.argv) > 1 and sys.argv[1] == "--write"
    out_path = os.path.join(ROOT, "passes", "Analysis", "KernelCosts.json") \
        if write else (sys.argv[1] if len(sys.argv) > 1
                       else "kernel-costs.json")
    levels = host_levels()
    costs = {level: {} for level in levels}
    with tempfile.TemporaryDirectory() as scratch:
        so_time = os.path.join(scratch, "so_time")
        subprocess.run(["cc", "-O2", os.path.join(ROOT, "bench", "so_time.c"),
                        "-ldl", "-o", so_time], check=True)
        layers = []
        for i, (c, size) in enumerate(SHAPES):
            model = os.path.join(scratch, f"conv{i}.onnx")
            conv_model(model, c, size, np.random.default_rng(i))
            signs = os.path.join(scratch, f"sign{i}.onnx")
            conv_model(signs, c, size, np.random.default_rng(i), binary=True)
            calib = os.path.join(scratch, f"calib{i}.npy")
            np.save(calib, np.random.default_rng(100 + i).standard_normal(
                (BATCH, c, size, size)).astype(np.float32))
            layers.append((model, signs, calib, c * size * size,
                           c * c * 9 * size * size))
        print("| level | route | layer | ms per image | ns per unit |")
        print("|---|---|---|---|---|")
        for level in levels:
            samples = {}
            env = dict(os.environ, QC_ISA_CAP=level)
            for options, route, planes in SCHEMES:
                for i, (model, signs, calib, floats, macs) in enumerate(layers):
                    if route == "xnor":
                        model = signs
                    for forced, units in ((route, planes), ("integer", 1)):
                        lib = os.path.join(scratch, f"{level}-{route}-{forced}-{i}")
                        subprocess.run(
                            [os.path.join(BUILD, "bin", "qcc"), model,
                             "--name", "layer", "-o", lib, *options,
                             "--quantize-first-last", "--calib-npy", calib,
                             "--mac-route", forced, "--isa", level,
                             "--mcpu", MCPU[level]],
                            check=True, capture_output=True)
                        text = subprocess.run(
                            [so_time, os.path.join(lib, "liblayer.so"),
                             "layer", str(floats), str(floats), str(BATCH),
                             "1", "20"], check=True, capture_output=True,
                            text=True, env=env).stdout
                        ms = json.loads(text.strip().splitlines()[-1])["median"]
                        ns = ms * 1e6 / (macs * units)
                        samples.setdefault(forced, []).append(ns)
                        print(f"| {level} | {forced} | {options[1]}/"
                              f"{options[3]} {SHAPES[i][0]}ch {SHAPES[i][1]}^2"
                              f" | {ms:.4f} | {ns:.5f} |", flush=True)
            for route, values in samples.items():
                costs[level][route] = round(statistics.median(values), 6)
    table = {
        "description": "Nanoseconds per unit of work of each exact route "
                       "(passes/Analysis/KernelPicker.h), per instruction-"
                       "set level, measured by bench/kernel_costs.py",
        "levels": costs,
        "measured_on": os.environ.get("QC_MACHINE", "this machine") +
                       ", 1 thread; lower levels forced with QC_ISA_CAP and "
                       "qcc --mcpu",
    }
    with open(out_path, "w") as out:
        json.dump(table, out, indent=2, sort_keys=True)
        out.write("\n")
    print(json.dumps(costs, indent=2, sort_keys=True))
    print(f"table in {out_path}")


if __name__ == "__main__":
    main()
