#!/usr/bin/python3
"""bit_layers.py - qc's binary layers against the popcount roofline and peers.

For each binary layer shape (3x3 convolutions with C = F in 64, 128, 256,
512 at 56x56, 28x28, 14x14 and 7x7 outputs, batch 1; dense layers of 1024,
2048 and 4096 inputs and outputs at batch 64), builds a one-node ONNX model
in a scratch directory: Sign of the input, then the Conv (zero padding 1) or
Gemm with weights of +-alpha per output channel, as a binarized network's
layer is written (Sign of the zero padding is 0, so the convolution runs with
the zero mask). It compiles the model with `qcc --quant auto` (the XNOR
kernels), the binary model again on its integer route (`--mac-route
integer`: the +-1 / 0 codes through qc's u8 x s8 dot-product kernel, the
route the kernel picker weighs against XNOR), and the same layer with float
weights as W8A8 (`--quant int8 --act int8`), times all three
through the library's context API (bench/so_time.c), times the binary ONNX
file in onnxruntime-node fp32 (bench/ort_time.js), all on 1 thread, medians
of repeats, and measures one core's xor + popcount + add roofline
(bench/popcount_peak.c). A convolution is also built as two binary layers
in a chain (the second reads the signs the first one's sums are packed
into); the chain's time less the one-node layer's is that of a layer inside
a network (its convolution and the packing of its input signs), without the
one-node model's input sign packing, transposes and conversion of the sums
to float. Prints a markdown table of G binary MAC/s per layer
(a binary MAC: one +-1 x +-1 product, as one int8 MAC on the int8 route),
the share of the roofline and the ratios to onnxruntime, and writes it as
JSON to bit-layers-results.json (or argv[1]).

Usage: /usr/bin/python3 bench/bit_layers.py [OUT.json]  (QC_BUILD_DIR: build dir)
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.environ.get("QC_BUILD_DIR", os.path.join(ROOT, "build"))

# kind, batch, channels (in = out), output size (conv) or 1 (dense)
LAYERS = [("conv", 1, c, size) for c in (64, 128, 256, 512)
          for size in (56, 28, 14, 7)]
LAYERS += [("dense", 64, n, 1) for n in (1024, 2048, 4096)]


def layer_model(path, kind, c, size, rng, binary, depth=1):
    """Sign -> Conv 3x3 / Gemm with +-alpha weights per output channel (or
    the float weights they came from, for the W8A8 build); with depth 2 (a
    binary conv), a second Sign -> Conv of the same shape on its output."""
    nodes, weights = [], []
    source = "input"
    for d in range(depth):
        if kind == "conv":
            w = rng.standard_normal((c, c, 3, 3)).astype(np.float32) * 0.1
            dims = ["batch", c, size, size]
        else:
            w = rng.standard_normal((c, c)).astype(np.float32) * 0.1
            dims = ["batch", c]
        alpha = np.abs(w).reshape(c, -1).mean(1).astype(np.float32)
        if binary:
            w = (np.where(w >= 0, 1.0, -1.0) *
                 alpha.reshape((-1,) + (1,) * (w.ndim - 1))).astype(
                     np.float32)
        wname, signs = f"w{d}", f"signs{d}"
        result = "output" if d == depth - 1 else f"sums{d}"
        if binary:
            nodes.append(helper.make_node("Sign", [source], [signs]))
            source = signs
        if kind == "conv":
            nodes.append(helper.make_node("Conv", [source, wname], [result],
                                          kernel_shape=[3, 3],
                                          pads=[1, 1, 1, 1]))
        else:
            nodes.append(helper.make_node("Gemm", [source, wname], [result],
                                          transB=1))
        weights.append(numpy_helper.from_array(w, wname))
        source = result
    graph = helper.make_graph(
        nodes, "layer",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, dims)],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, dims)],
        weights)
    onnx.save(helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 13)]), path)


def median_ms(command):
    text = subprocess.run(command, check=True, capture_output=True,
                          text=True).stdout
    return json.loads(text.strip().splitlines()[-1])["median"]


def qcc(model, lib, *options):
    subprocess.run([os.path.join(BUILD, "bin", "qcc"), model, "--name",
                    "layer", "-o", lib, *options], check=True,
                   capture_output=True)


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else "bit-layers-results.json"
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as scratch:
        so_time = os.path.join(scratch, "so_time")
        subprocess.run(["cc", "-O2", os.path.join(ROOT, "bench", "so_time.c"),
                        "-ldl", "-o", so_time], check=True)
        peak_bin = os.path.join(scratch, "popcount_peak")
        subprocess.run(["cc", "-O2", os.path.join(ROOT, "bench",
                                                  "popcount_peak.c"),
                        "-o", peak_bin], check=True)
        peak = json.loads(subprocess.run([peak_bin], check=True,
                                         capture_output=True,
                                         text=True).stdout)["gmacs"]
        print(f"one core's xor + popcount + add roofline: {peak} G binary "
              "MAC/s (bench/popcount_peak.c)")
        print("| layer | batch | C -> F | output | M binary MACs per image "
              "| qc binary G MAC/s | % of roofline "
              "| in a chain G MAC/s | in a chain % of roofline "
              "| qc int8 route G MAC/s | qc W8A8 G MAC/s "
              "| onnxruntime fp32 G MAC/s | binary / onnxruntime "
              "| binary / int8 route |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        rows = []
        for i, (kind, batch, c, size) in enumerate(LAYERS):
            binary = os.path.join(scratch, f"binary{i}.onnx")
            real = os.path.join(scratch, f"float{i}.onnx")
            layer_model(binary, kind, c, size, np.random.default_rng(i), True)
            layer_model(real, kind, c, size, np.random.default_rng(i), False)
            floats = c * size * size
            macs = c * c * size * size * (9 if kind == "conv" else 1)
            lib = os.path.join(scratch, f"lib{i}")
            qcc(binary, lib, "--quant", "auto")
            qc_ms = median_ms([so_time, os.path.join(lib, "liblayer.so"),
                               "layer", str(floats), str(floats), str(batch),
                               "1", "20"])
            # The same binary layer on its integer route (the +-1 / 0 codes
            # through the u8 x s8 kernel), as the kernel picker weighs it.
            libi = os.path.join(scratch, f"lib{i}-int")
            qcc(binary, libi, "--quant", "auto", "--mac-route", "integer")
            int_ms = median_ms([so_time, os.path.join(libi, "liblayer.so"),
                                "layer", str(floats), str(floats), str(batch),
                                "1", "20"])
            calib = os.path.join(scratch, f"calib{i}.npy")
            shape = (batch, c, size, size) if kind == "conv" else (batch, c)
            np.save(calib, rng.standard_normal(shape).astype(np.float32))
            lib8 = os.path.join(scratch, f"lib{i}-w8a8")
            qcc(real, lib8, "--quant", "int8", "--act", "int8",
                "--quantize-first-last", "--calib-npy", calib)
            w8_ms = median_ms([so_time, os.path.join(lib8, "liblayer.so"),
                               "layer", str(floats), str(floats), str(batch),
                               "1", "20"])
            dims = f"{batch},{c},{size},{size}" if kind == "conv" \
                else f"{batch},{c}"
            ort_ms = median_ms(["node", os.path.join(ROOT, "bench",
                                                     "ort_time.js"),
                                binary, dims, "1", "20"])
            # In a network, a binary layer reads the signs the previous
            # layer's sums were packed into: two such layers in a chain,
            # less the one-node layer, leave the second layer's convolution
            # and the packing of its input signs from the first one's sums.
            chain_rate = None
            if kind == "conv":
                chain = os.path.join(scratch, f"chain{i}.onnx")
                layer_model(chain, kind, c, size, np.random.default_rng(i),
                            True, depth=2)
                libc = os.path.join(scratch, f"lib{i}-chain")
                qcc(chain, libc, "--quant", "auto")
                # A difference of two times: both timed again, alternately,
                # with more repeats than the other columns.
                single, double = [], []
                for _ in range(3):
                    for lib_dir, times in ((lib, single), (libc, double)):
                        times.append(median_ms([
                            so_time, os.path.join(lib_dir, "liblayer.so"),
                            "layer", str(floats), str(floats), str(batch),
                            "1", "50"]))
                single_ms = sorted(single)[1]
                chain_ms = sorted(double)[1]
                if chain_ms > single_ms:
                    chain_rate = macs / (chain_ms - single_ms) / 1e6
            qc_rate = macs / qc_ms / 1e6
            int_rate = macs / int_ms / 1e6
            w8_rate = macs / w8_ms / 1e6
            ort_rate = macs / ort_ms / 1e6
            share = f"{100 * qc_rate / peak:.0f}%" if peak else "—"
            name = (f"conv 3x3" if kind == "conv" else "dense")
            rows.append({"layer": name, "batch": batch, "channels": c,
                         "size": size, "binary_macs_per_image": macs,
                         "qc_binary_gmacs": qc_rate,
                         "qc_binary_in_chain_gmacs": chain_rate,
                         "qc_binary_int8_route_gmacs": int_rate,
                         "qc_w8a8_gmacs": w8_rate,
                         "onnxruntime_gmacs": ort_rate,
                         "roofline_gmacs": peak})
            output = f"{size}x{size}" if kind == "conv" else "-"
            chain_cells = (f"{chain_rate:.0f} | {100 * chain_rate / peak:.0f}%"
                           if chain_rate and peak else "— | —")
            print(f"| {name} | {batch} | {c} -> {c} | {output} | "
                  f"{macs / 1e6:.1f} | {qc_rate:.0f} | {share} | "
                  f"{chain_cells} | "
                  f"{int_rate:.0f} | {w8_rate:.0f} | {ort_rate:.0f} | "
                  f"{qc_rate / ort_rate:.1f}x | {qc_rate / int_rate:.1f}x |",
                  flush=True)
    with open(out_path, "w") as f:
        json.dump({"roofline_gmacs": peak, "layers": rows}, f, indent=1)
    print(f"figures in {out_path}")


if __name__ == "__main__":
    main()
