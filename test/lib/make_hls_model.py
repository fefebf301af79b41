#!/usr/bin/env python3
"""Writes kernel-level MLIR functions for the HLS back end's tests.

A chain of binary layers as qc-lower-macs and qc-fuse leave it, with
random (seeded) weights and thresholds: sign and non-zero packing,
qc.xnor_popcount, a cast of the sums, an optional max-pool, two
thresholds with levels -1, 0, +1 and their ternary quantize-dequantize.
The numbers are checked by running the same function through qc-run (the
CPU path) and through the generated C-simulation.

Integer kinds are integer layers as qc-lower-macs leaves them: float
values on an activation grid, their unsigned codes (a linalg.generic
computing roundeven(x / s) + u0, zero-padded with u0, qc.bitplane_pack),
qc.ternary_popcount or qc.bitserial_popcount, the zero-code correction, the
cast and the float output transform (multiply, add), a ReLU clamp, a
max-pool, the NCHW flatten, and the next activations' uniform
quantize-dequantize.

usage: make_hls_model.py KIND OUT.mlir [--seed N] [--inputs FILE COUNT]
  KIND lenet: conv 5x5 6->16 on 14x14, max-pool 2x2, NCHW flatten,
              dense 400->120, dense 120->84 (the binary LeNet-5's layers)
  KIND small: conv 3x3 pad 1 stride 2 on 7x7x5 -> 4x4x8, dense 128->10
              with a binary (one-threshold) output
  KIND ternary: signed 4-bit inputs (codes + 8) on 6x6x3, ternary conv
              3x3 pad 1 -> 6x6x8, ReLU, max-pool 2x2, u4, NCHW flatten,
              ternary dense 72->10 into signed 8-bit outputs
  KIND bitserial: the same with 3-bit two's complement conv weights and
              sign (+-1) dense weights (qc.bitserial_popcount)
"""

import struct

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


def f32(value):
    """An exact f32 literal."""
    return "0x%08X" % struct.unpack("<I", struct.pack("<f", value))[0]


def identity_map(rank):
    dims = ", ".join(f"d{i}" for i in range(rank))
    return f"affine_map<({dims}) -> ({dims})>"


class IntegerWriter(Writer):
    """Integer layers on unsigned activation codes."""

    def codes(self, x, shape, scale, offset, planes, word_bits, pad=0):
        """Codes of the float values x (shape without the batch), padded."""
        full = ["?"] + list(shape)
        dim, empty, s, o, g = (self.value() for _ in range(5))
        rank = len(full)
        self.emit(f"{dim} = tensor.dim {x}, %c0 : {tensor(full, 'f32')}")
        self.emit(f"{empty} = tensor.empty({dim}) : {tensor(full, 'i32')}")
        self.emit(f"{s} = arith.constant {f32(scale)} : f32")
        self.emit(f"{o} = arith.constant {offset} : i32")
        maps = identity_map(rank)
        iters = ", ".join(['"parallel"'] * rank)
        self.emit(f"{g} = linalg.generic {{indexing_maps = [{maps}, {maps}], "
                  f"iterator_types = [{iters}]}} ins({x} : {tensor(full, 'f32')})"
                  f" outs({empty} : {tensor(full, 'i32')}) {{")
        self.emit("^bb0(%in: f32, %out: i32):")
        self.emit(f"  %q = arith.divf %in, {s} : f32")
        self.emit("  %r = math.roundeven %q : f32")
        self.emit("  %i = arith.fptosi %r : f32 to i32")
        self.emit(f"  %u = arith.addi %i, {o} : i32")
        self.emit("  linalg.yield %u : i32")
        self.emit(f"}} -> {tensor(full, 'i32')}")
        y, ys = g, list(shape)
        if pad:
            p = self.value()
            ys = [shape[0] + 2 * pad, shape[1] + 2 * pad, shape[2]]
            self.emit(f"{p} = tensor.pad {g} low[0, {pad}, {pad}, 0] "
                      f"high[0, {pad}, {pad}, 0] {{")
            self.emit("^bb0(%i0: index, %i1: index, %i2: index, %i3: index):")
            self.emit(f"  tensor.yield {o} : i32")
            self.emit(f"}} : {tensor(full, 'i32')} to {tensor(['?'] + ys, 'i32')}")
            y = p
        packed = [planes, "?"] + ys[:-1] + [(ys[-1] + word_bits - 1) // word_bits]
        pk = self.value()
        self.emit(f"{pk} = qc.bitplane_pack {y} : {tensor(['?'] + ys, 'i32')} "
                  f"-> {tensor(packed, f'i{word_bits}')}")
        return pk, packed

    def layer(self, x, in_shape, name, out_channels, weights_kind, act, out,
              conv=None, pool=False, word_bits=8):
        """x: float values on the grid act = (scale, offset, planes)."""
        scale, offset, planes = act
        channels = in_shape[-1]
        pad = conv[1] if conv else 0
        pk, packed = self.codes(x, in_shape, scale, offset, planes, word_bits,
                                pad)
        w = f"i{word_bits}"
        if conv:
            k, _ = conv
            out_hw = [in_shape[0] + 2 * pad - k + 1, in_shape[1] + 2 * pad - k + 1]
            wshape = [out_channels, k, k, channels]
            out_shape = out_hw + [out_channels]
            conv_attr = ("conv = #qc.conv<strides = [1, 1], pad = [0, 0, 0, 0],"
                         " dilation = [1, 1]>, ")
        else:
            wshape = [out_channels, channels]
            out_shape = [out_channels]
            conv_attr = ""
        acc = self.value()
        result = tensor(["?"] + out_shape, "i32")
        if weights_kind == "ternary":
            values = self.rng.integers(-1, 2, size=wshape)
            pos, neg = self.value(), self.value()
            for v, bits in ((pos, values > 0), (neg, values < 0)):
                words = packed_words(bits.astype(np.int64), word_bits)
                self.emit(f"{v} = arith.constant "
                          f"{dense_attr(words, list(words.shape), w)}")
            wtype = tensor(list(words.shape), w)
            self.emit(f"{acc} = qc.ternary_popcount {pk}, {pos}, {neg} "
                      f"{{{conv_attr}depth = {channels} : i64, input_encoding "
                      f"= #qc.encoding<unsigned>}} : {tensor(packed, w)}, "
                      f"{wtype}, {wtype} -> {result} loc(\"{name}\")")
        else:
            bits_w, encoding = weights_kind
            if encoding == "sign":
                values = 1 - 2 * self.rng.integers(0, 2, size=wshape)
                planes_w = [values < 0]
            else:
                lo = -(1 << (bits_w - 1))
                values = self.rng.integers(lo, -lo, size=wshape)
                planes_w = [((values & ((1 << bits_w) - 1)) >> j) & 1
                            for j in range(bits_w)]
            words = np.stack([packed_words(np.asarray(p, dtype=np.int64),
                                           word_bits) for p in planes_w])
            wv = self.value()
            self.emit(f"{wv} = arith.constant "
                      f"{dense_attr(words, list(words.shape), w)}")
            self.emit(f"{acc} = qc.bitserial_popcount {pk}, {wv} {{{conv_attr}"
                      f"depth = {channels} : i64, input_encoding = "
                      f"#qc.encoding<unsigned>, weight_encoding = "
                      f"#qc.encoding<{encoding}>}} : {tensor(packed, w)}, "
                      f"{tensor(list(words.shape), w)} -> {result} "
                      f"loc(\"{name}\")")
        rank = len(out_shape) + 1
        chan = [1] * (rank - 1) + [out_channels]
        y = acc
        if offset:
            # The zero-code correction: u0 times each channel's weight sum.
            corr, sub = self.value(), self.value()
            sums = offset * values.reshape(out_channels, -1).sum(axis=1)
            self.emit(f"{corr} = \"tosa.const\"() <{{value = "
                      f"{dense_attr(sums, chan, 'i32')}}}> : () -> "
                      f"{tensor(chan, 'i32')}")
            self.emit(f"{sub} = tosa.sub {y}, {corr} : ({result}, "
                      f"{tensor(chan, 'i32')}) -> {result}")
            y = sub
        fl = tensor(["?"] + out_shape, "f32")
        cast, mul, add, mc, bc = (self.value() for _ in range(5))
        depth = int(np.prod(wshape[1:]))
        # Multipliers that spread the outputs over most of their levels.
        spread = np.sqrt(depth * np.abs(values).mean()) * (1 << planes) / 4
        out_scale, out_bits, out_signed, gain = out
        levels = (1 << out_bits) - 1
        mults = self.rng.uniform(0.5, 1.5, size=out_channels) * \
            out_scale * levels * gain / (2 * spread)
        bias = self.rng.normal(0, out_scale * levels / 8, size=out_channels)
        self.emit(f"{cast} = tosa.cast {y} : ({result}) -> {fl}")
        self.emit(f"{mc} = \"tosa.const\"() <{{value = "
                  f"{dense_attr(mults.astype(np.float32), chan, 'f32')}}}> : "
                  f"() -> {tensor(chan, 'f32')}")
        self.emit(f"{mul} = tosa.mul {cast}, {mc} {{shift = 0 : i8}} : ({fl}, "
                  f"{tensor(chan, 'f32')}) -> {fl}")
        self.emit(f"{bc} = \"tosa.const\"() <{{value = "
                  f"{dense_attr(bias.astype(np.float32), chan, 'f32')}}}> : "
                  f"() -> {tensor(chan, 'f32')}")
        self.emit(f"{add} = tosa.add {mul}, {bc} : ({fl}, "
                  f"{tensor(chan, 'f32')}) -> {fl}")
        y, shape = add, out_shape
        if not out_signed:
            relu = self.value()
            self.emit(f"{relu} = tosa.clamp {y} {{max_fp = 0x7F800000 : f32, "
                      f"max_int = 9223372036854775807 : i64, min_fp = "
                      f"0.000000e+00 : f32, min_int = 0 : i64}} : ({fl}) -> {fl}")
            y = relu
        if pool:
            pooled = [shape[0] // 2, shape[1] // 2, out_channels]
            p = self.value()
            self.emit(f"{p} = tosa.max_pool2d {y} {{kernel = array<i64: 2, 2>, "
                      f"pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>}}"
                      f" : ({fl}) -> {tensor(['?'] + pooled, 'f32')}")
            y, shape = p, pooled
        return y, shape

    def flatten(self, y, shape):
        """NHWC -> NCHW, flatten, as the ONNX importer leaves it."""
        perm, tr, flat = self.value(), self.value(), self.value()
        self.emit(f"{perm} = \"tosa.const\"() <{{value = dense<[0, 3, 1, 2]> : "
                  f"tensor<4xi32>}}> : () -> tensor<4xi32>")
        nchw = [shape[2], shape[0], shape[1]]
        n = shape[0] * shape[1] * shape[2]
        self.emit(f"{tr} = tosa.transpose {y}, {perm} : "
                  f"({tensor(['?'] + shape, 'f32')}, tensor<4xi32>) -> "
                  f"{tensor(['?'] + nchw, 'f32')}")
        self.emit(f"{flat} = tosa.reshape {tr} {{new_shape = array<i64: -1, {n}>}}"
                  f" : ({tensor(['?'] + nchw, 'f32')}) -> {tensor(['?', n], 'f32')}")
        return flat, [n]


def integer_model(kind, w):
    """The integer kinds: returns (input shape, output shape)."""
    in_shape = [6, 6, 3]
    s0, s1, s2 = 0.125, 0.25, 0.5
    w.emit("%c0 = arith.constant 0 : index")
    x = w.quantize("%arg0", in_shape, f"!quant.uniform<i4:f32, {s0}>")
    conv_w = "ternary" if kind == "ternary" else (3, "twos_complement")
    dense_w = "ternary" if kind == "ternary" else (1, "sign")
    y, shape = w.layer(x, in_shape, "/conv/Conv", 8, conv_w, (s0, 8, 4),
                       (s1, 4, False, 1.0), conv=(3, 1), pool=True)
    y, shape = w.flatten(y, shape)
    y = w.quantize(y, shape, f"!quant.uniform<u4:f32, {s1}>")
    y, shape = w.layer(y, shape, "/fc/Gemm", 10, dense_w, (s1, 0, 4),
                       (s2, 8, True, 0.3), word_bits=32)
    y = w.quantize(y, shape, f"!quant.uniform<i8:f32, {s2}>")
    return in_shape, shape, y, s0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["lenet", "small", "ternary",
                                         "bitserial"])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--inputs", help="also write this many random input "
                        "images (values -1, 0, +1) to INPUTS.npy",
                        nargs=2, metavar=("INPUTS", "COUNT"))
    args = parser.parse_args()
    integer = args.kind in ("ternary", "bitserial")
    w = (IntegerWriter if integer else Writer)(np.random.default_rng(args.seed))
    if integer:
        in_shape, out, y, s0 = integer_model(args.kind, w)
    elif args.kind == "lenet":
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
        rng = np.random.default_rng(args.seed + 1)
        if integer:
            values = rng.integers(-8, 8, size=[count] + in_shape) * s0
        else:
            values = rng.integers(-1, 2, size=[count] + in_shape)
        np.save(path, values.astype(np.float32))


if __name__ == "__main__":
    main()
