#!/usr/bin/python3
"""layers.py - qc's conv ukernels per layer against onnxruntime and the peaks.

For each conv layer of VGG-small (batch 64, 28 x 28 input) and ResNet-18
(batch 1, 224 x 224 input), builds a one-node ONNX model (Conv with bias,
random weights, the layer's stride and padding) in a scratch directory,
compiles it with qcc in float and as W8A8 (`--quant int8 --act int8`,
calibrated on one random batch in [0, 1)) and times both through the
library's context API (bench/so_time.c), times the same file in
onnxruntime-node fp32 (bench/ort_time.js), all on 1 thread, medians of
repeats, and measures one core's fp32 and u8 x s8 multiply-accumulate peaks
(bench/fma_peak.c, bench/vnni_peak.c; the latter null without
AVX512-VNNI). Prints a markdown table of G MAC/s per layer, the ratios to
onnxruntime and the shares of the peaks, and writes it as JSON to
layers-results.json (or argv[1]).

Usage: /usr/bin/python3 bench/layers.py [OUT.json]  (QC_BUILD_DIR: build dir)
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

# name, batch, in channels, out channels, input size, kernel, stride, pad
LAYERS = [
    ("vgg conv1", 64, 1, 32, 28, 3, 1, 1),
    ("vgg conv2", 64, 32, 32, 28, 3, 1, 1),
    ("vgg conv3", 64, 32, 64, 14, 3, 1, 1),
    ("vgg conv4", 64, 64, 64, 14, 3, 1, 1),
    ("resnet18 conv1", 1, 3, 64, 224, 7, 2, 3),
    ("resnet18 layer1", 1, 64, 64, 56, 3, 1, 1),
    ("resnet18 layer2 down", 1, 64, 128, 56, 3, 2, 1),
    ("resnet18 layer2", 1, 128, 128, 28, 3, 1, 1),
    ("resnet18 layer3 down", 1, 128, 256, 28, 3, 2, 1),
    ("resnet18 layer3", 1, 256, 256, 14, 3, 1, 1),
    ("resnet18 layer4 down", 1, 256, 512, 14, 3, 2, 1),
    ("resnet18 layer4", 1, 512, 512, 7, 3, 1, 1),
]


def conv_model(path, c, f, size, k, stride, pad, rng):
    w = rng.standard_normal((f, c, k, k)).astype(np.float32) * 0.1
    b = rng.standard_normal(f).astype(np.float32) * 0.1
    out = (size + 2 * pad - k) // stride + 1
    node = helper.make_node("Conv", ["input", "w", "b"], ["output"],
                            kernel_shape=[k, k], strides=[stride, stride],
                            pads=[pad] * 4)
    graph = helper.make_graph(
        [node], "layer",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                       ["batch", c, size, size])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT,
                                       ["batch", f, out, out])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, path)
    return out


def median_ms(command):
    text = subprocess.run(command, check=True, capture_output=True,
                          text=True).stdout
    return json.loads(text.strip().splitlines()[-1])["median"]


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else "layers-results.json"
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as scratch:
        so_time = os.path.join(scratch, "so_time")
        peak_bin = os.path.join(scratch, "fma_peak")
        subprocess.run(["cc", "-O2", os.path.join(ROOT, "bench", "so_time.c"),
                        "-ldl", "-o", so_time], check=True)
        subprocess.run(["cc", "-O2", "-march=native", "-ffp-contract=fast",
                        os.path.join(ROOT, "bench", "fma_peak.c"), "-o",
                        peak_bin], check=True)
        peak = json.loads(subprocess.run([peak_bin], check=True,
                                         capture_output=True,
                                         text=True).stdout)["gmacs"]
        vnni_bin = os.path.join(scratch, "vnni_peak")
        subprocess.run(["cc", "-O2", os.path.join(ROOT, "bench", "vnni_peak.c"),
                        "-o", vnni_bin], check=True)
        vnni_peak = json.loads(subprocess.run([vnni_bin], check=True,
                                              capture_output=True,
                                              text=True).stdout)["gmacs"]
        rows = []
        print(f"one core's fp32 peak: {peak:.1f} G MAC/s (bench/fma_peak.c); "
              f"u8 x s8 peak: {vnni_peak} G MAC/s (bench/vnni_peak.c)")
        print("| layer | batch | C -> F | input | k / s | M MACs per image "
              "| qc G MAC/s | onnxruntime G MAC/s | qc / onnxruntime "
              "| qc % of peak | onnxruntime % of peak | qc W8A8 G MAC/s "
              "| W8A8 / onnxruntime fp32 | W8A8 % of u8 x s8 peak |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for i, (name, batch, c, f, size, k, stride, pad) in enumerate(LAYERS):
            onnx_path = os.path.join(scratch, f"layer{i}.onnx")
            out = conv_model(onnx_path, c, f, size, k, stride, pad, rng)
            lib = os.path.join(scratch, f"lib{i}")
            subprocess.run([os.path.join(BUILD, "bin", "qcc"), onnx_path,
                            "--name", "layer", "-o", lib], check=True,
                           capture_output=True)
            macs = out * out * f * c * k * k  # per image
            qc_ms = median_ms([so_time, os.path.join(lib, "liblayer.so"),
                               "layer", str(c * size * size),
                               str(f * out * out), str(batch), "1", "20"])
            calib = os.path.join(scratch, f"calib{i}.npy")
            np.save(calib, rng.random((batch, c, size, size), np.float32))
            lib8 = os.path.join(scratch, f"lib{i}-w8a8")
            subprocess.run([os.path.join(BUILD, "bin", "qcc"), onnx_path,
                            "--quant", "int8", "--act", "int8", "--calib-npy",
                            calib, "--name", "layer", "-o", lib8], check=True,
                           capture_output=True)
            w8_ms = median_ms([so_time, os.path.join(lib8, "liblayer.so"),
                               "layer", str(c * size * size),
                               str(f * out * out), str(batch), "1", "20"])
            ort_ms = median_ms(["node", os.path.join(ROOT, "bench",
                                                     "ort_time.js"),
                                onnx_path, f"{batch},{c},{size},{size}", "1",
                                "20"])
            qc_rate = macs / qc_ms / 1e6
            ort_rate = macs / ort_ms / 1e6
            w8_rate = macs / w8_ms / 1e6
            w8_share = (f"{100 * w8_rate / vnni_peak:.0f}%" if vnni_peak
                        else "—")
            rows.append({"layer": name, "batch": batch, "c": c, "f": f,
                         "size": size, "kernel": k, "stride": stride,
                         "macs_per_image": macs, "qc_gmacs": qc_rate,
                         "onnxruntime_gmacs": ort_rate, "peak_gmacs": peak,
                         "qc_w8a8_gmacs": w8_rate,
                         "vnni_peak_gmacs": vnni_peak})
            print(f"| {name} | {batch} | {c} -> {f} | {size}x{size} | {k} / "
                  f"{stride} | {macs / 1e6:.1f} | {qc_rate:.1f} | "
                  f"{ort_rate:.1f} | {qc_rate / ort_rate:.2f}x | "
                  f"{100 * qc_rate / peak:.0f}% | {100 * ort_rate / peak:.0f}% | "
                  f"{w8_rate:.1f} | {w8_rate / ort_rate:.2f}x | {w8_share} |",
                  flush=True)
    with open(out_path, "w") as f:
        json.dump({"peak_gmacs": peak, "vnni_peak_gmacs": vnni_peak,
                   "layers": rows}, f, indent=1)
    print(f"figures in {out_path}")


if __name__ == "__main__":
    main()
