#!/usr/bin/env python3
"""Writes kernel-level MLIR functions for the HLS back end's tests.

A chain of binary layers as qc-lower-macs and qc-fuse leave it, with
random (seeded) weights and thresholds: sign and non-zero packing,
qc.xnor_popcount, a cast of the sums, an optional max-pool, two
thresholds with levels -1, 0, +1 and their ternary quantize-dequantize.
The numbers are checked by running the same function through qc-run (the
CPU path) and through the generated C-simulation.

usage: make_hls_model.py KIND OUT.mlir [--seed N] [--inputs FILE COUNT]
  KIND lenet: conv 5x5 6->16 on 14x14, max-pool 2x2, NCHW flatten,
              dense 400->120, dense 120->84 (the binary LeNet-5's layers)
  KIND small: conv 3x3 pad 1 stride 2 on 7x7x5 -> 4x4x8, dense 128->10
              with a binary (one-threshold) output
"""

import argparse
import numpy as np

TERNARY = ("!qc.ternary<f32, alpha_n = [1.000000e+00], alpha_p = "
           "[1.000000e+00], delta = [0.000000e+00]>")
BINARY = "!qc.binary<f32, alpha = [1.000000e+00]>"


def tensor(shape, element):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + element + ">"


def packed_words(bits, word_bits):
    """Packs the last axis of a 0/1 array into words, lowest bit first."""
    k = bits.shape[-1]
    words = (k + word_bits - 1) // word_bits
    padded = np.zeros(bits.shape[:-1] + (words * word_bits,), dtype=np.uint64)
    padded[..., :k] = bits
    padded = padded.reshape(bits.shape[:-1] + (words, word_bits))
    weights = (np.uint64(1) << np.arange(word_bits, dtype=np.uint64))
    values = (padded * weights).sum(axis=-1).astype(np.uint64)
    signed = values.astype(np.int64)
    signed[signed >= 1 << (word_bits - 1)] -= 1 << word_bits
    return signed


def dense_attr(values, shape, element):
    """An elements literal in MLIR's hex form (little-endian bytes)."""
    dtype = {"i8": "<i1", "i16": "<i2", "i32": "<i4", "i64": "<i8",
             "f32": "<f4"}[element]
    data = np.asarray(values).reshape(-1).astype(dtype).tobytes()
    return f'dense<"0x{data.hex().upper()}"> : {tensor(shape, element)}'


class Writer:
    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.count = 0

    def value(self):
        self.count += 1
        return f"%v{self.count}"

    def emit(self, text):
        self.lines.append("  " + text)

    def quantize(self, x, shape, qtype):
        q, dq = self.value(), self.value()
        full = ["?"] + list(shape)
        self.emit(f"{q} = qc.quantize {x} : {tensor(full, 'f32')} -> "
                  f"{tensor(full, qtype)}")
        self.emit(f"{dq} = qc.dequantize {q} : {tensor(full, qtype)} -> "
                  f"{tensor(full, 'f32')}")
        return dq

    def layer(self, x, in_shape, name, out_channels, word_bits, conv=None,
              pool=False, thresholds=2, masked=True):
        """One binary layer on values x (in_shape without the batch)."""
        channels = in_shape[-1]
        packed = list(in_shape[:-1]) + [(channels + word_bits - 1) // word_bits]
        w = f"i{word_bits}"
        signs, mask = self.value(), self.value()
        self.emit(f"{signs} = qc.bitpack {x} : {tensor(['?'] + in_shape, 'f32')}"
                  f" -> {tensor(['?'] + packed, w)}")
        if masked:
            self.emit(f"{mask} = qc.bitpack {x} {{nonzero}} : "
                      f"{tensor(['?'] + in_shape, 'f32')} -> "
                      f"{tensor(['?'] + packed, w)}")
        if conv:
            k, stride, pad = conv
            out_hw = [(in_shape[0] + 2 * pad - k) // stride + 1,
                      (in_shape[1] + 2 * pad - k) // stride + 1]
            wshape = [out_channels, k, k, channels]
            out_shape = out_hw + [out_channels]
        else:
            wshape = [out_channels, channels]
            out_shape = [out_channels]
        bits = self.rng.integers(0, 2, size=wshape)
        words = packed_words(bits, word_bits)
        weight = self.value()
        self.emit(f"{weight} = arith.constant "
                  f"{dense_attr(words, list(words.shape), w)}")
        acc = self.value()
        attrs = f"depth = {channels} : i64"
        if conv:
            k, stride, pad = conv
            attrs = (f"conv = #qc.conv<strides = [{stride}, {stride}], pad = "
                     f"[{pad}, {pad}, {pad}, {pad}], dilation = [1, 1]>, "
                     + attrs)
        mask_part = f" mask {mask}" if masked else ""
        mask_type = f", {tensor(['?'] + packed, w)}" if masked else ""
        self.emit(f"{acc} = qc.xnor_popcount {signs}, {weight}{mask_part} "
                  f"{{{attrs}}} : {tensor(['?'] + packed, w)}, "
                  f"{tensor(list(words.shape), w)}{mask_type} -> "
                  f"{tensor(['?'] + out_shape, 'i16')} loc(\"{name}\")")
        cast = self.value()
        self.emit(f"{cast} = tosa.cast {acc} : ({tensor(['?'] + out_shape, 'i16')})"
                  f" -> {tensor(['?'] + out_shape, 'f32')}")
        y, shape = cast, out_shape
        if pool:
            pooled = [out_shape[0] // 2, out_shape[1] // 2, out_channels]
            p = self.value()
            self.emit(f"{p} = tosa.max_pool2d {y} {{kernel = array<i64: 2, 2>, "
                      f"pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>}}"
                      f" : ({tensor(['?'] + out_shape, 'f32')}) -> "
                      f"{tensor(['?'] + pooled, 'f32')}")
            y, shape = p, pooled
        # Thresholds around the sums' spread, some fractional, one row
        # per channel, ascending.
        depth = int(np.prod(wshape[1:]))
        spread = max(2.0, np.sqrt(depth))
        table = np.sort(self.rng.normal(0, spread, size=(out_channels, thresholds))
                        .round(1), axis=1).astype(np.float32)
        thr = self.value()
        self.emit(f"{thr} = arith.constant "
                  f"{dense_attr(table, [out_channels, thresholds], 'f32')}")
        t = self.value()
        bias = -1.0
        scale = 1.0 if thresholds == 2 else 2.0
        self.emit(f"{t} = qc.multi_threshold {y}, {thr} {{out_bias = {bias} : "
                  f"f64, out_scale = {scale} : f64}} : "
                  f"{tensor(['?'] + shape, 'f32')}, "
                  f"{tensor([out_channels, thresholds], 'f32')} -> "
                  f"{tensor(['?'] + shape, 'f32')}")
        return self.quantize(t, shape, TERNARY if thresholds == 2 else BINARY), shape


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["lenet", "small"])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--inputs", help="also write this many random input "
                        "images (values -1, 0, +1) to INPUTS.npy",
                        nargs=2, metavar=("INPUTS", "COUNT"))
    args = parser.parse_args()
    w = Writer(np.random.default_rng(args.seed))
    if args.kind == "lenet":
        in_shape = [14, 14, 6]
        x = w.quantize("%arg0", in_shape, TERNARY)
        y, shape = w.layer(x, in_shape, "/conv2/Conv", 16, 8, conv=(5, 1, 0),
                           pool=True)
        # NHWC -> NCHW, flatten: the dense layer's weights absorb the order.
        perm, tr, flat = w.value(), w.value(), w.value()
        w.emit(f"{perm} = \"tosa.const\"() <{{value = dense<[0, 3, 1, 2]> : "
               f"tensor<4xi32>}}> : () -> tensor<4xi32>")
        nchw = [shape[2], shape[0], shape[1]]
        w.emit(f"{tr} = tosa.transpose {y}, {perm} : "
               f"({tensor(['?'] + shape, 'f32')}, tensor<4xi32>) -> "
               f"{tensor(['?'] + nchw, 'f32')}")
        w.emit(f"{flat} = tosa.reshape {tr} {{new_shape = array<i64: -1, 400>}}"
               f" : ({tensor(['?'] + nchw, 'f32')}) -> {tensor(['?', 400], 'f32')}")
        y, shape = w.layer(flat, [400], "/fc1/Gemm", 120, 16)
        y, shape = w.layer(y, [120], "/fc2/Gemm", 84, 8)
        out = [84]
    else:
        in_shape = [7, 7, 5]
        x = w.quantize("%arg0", in_shape, TERNARY)
        y, shape = w.layer(x, in_shape, "/conv/Conv", 8, 8, conv=(3, 2, 1))
        flat = w.value()
        w.emit(f"{flat} = tosa.reshape {y} {{new_shape = array<i64: -1, 128>}}"
               f" : ({tensor(['?'] + shape, 'f32')}) -> {tensor(['?', 128], 'f32')}")
        y, shape = w.layer(flat, [128], "/fc/Gemm", 10, 32, thresholds=1)
        out = [10]
    text = [f"func.func @main(%arg0: {tensor(['?'] + in_shape, 'f32')}) -> "
            f"{tensor(['?'] + out, 'f32')} {{"] + w.lines + [
            f"  return {y} : {tensor(['?'] + out, 'f32')}", "}", ""]
    with open(args.out, "w") as f:
        f.write("\n".join(text))
    if args.inputs:
        path, count = args.inputs[0], int(args.inputs[1])
        values = np.random.default_rng(args.seed + 1).integers(
            -1, 2, size=[count] + in_shape)
        np.save(path, values.astype(np.float32))


if __name__ == "__main__":
    main()
