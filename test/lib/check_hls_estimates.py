#!/usr/bin/env python3
"""Checks an HLS project's estimates.json against FINN's formulas.

The formulas (REFERENCE section 4, FINN's analytical models) are written
out again here, from the layer shapes given on the command line, so that a
slip in qc's C++ implementation shows; and two projects of the same model
at different foldings are compared: doubling a layer's PE or SIMD must
halve its matrix-vector cycles.

usage: check_hls_estimates.py EST.json LAYER=MH,MW,VECTORS,PE,SIMD,W,A[,M] ...
       check_hls_estimates.py --halved EST1.json EST2.json LAYER ...
M = 1 for a layer with LUT multipliers (uniform weights); XNOR and ternary
layers (M = 0, the default) multiply nothing.
"""

import json
import math
import sys


def bram18(depth, width):
    if width == 1:
        return math.ceil(depth / 16384)
    if width == 2:
        return math.ceil(depth / 8192)
    if width <= 4:
        return math.ceil(depth / 4096) * math.ceil(width / 4)
    if width <= 9:
        return math.ceil(depth / 2048) * math.ceil(width / 9)
    if width <= 18 or depth > 512:
        return math.ceil(depth / 1024) * math.ceil(width / 18)
    return math.ceil(depth / 512) * math.ceil(width / 36)


def expected(mh, mw, vectors, pe, simd, w, a, multiplies=0):
    """MVAU cycles, LUTs and BRAMs of a layer (FINN's LUT multipliers when
    `multiplies`, at most 4 x 4 bits here)."""
    cycles = (mh // pe) * (mw // simd) * vectors
    mult = simd * (2 * math.ceil((w + a) / 6) - 1) * (w + a) if multiplies else 0
    wmem, tmem = mw * mh // (pe * simd), mh // pe
    acc = w + a + math.ceil(math.log2(mw))
    adder = (w + a) * (2 * simd - 1)
    thr, cmp = acc * math.ceil(tmem / 64), acc
    lutram = pe * simd * w * math.ceil(wmem / 64) if wmem <= 128 else 0
    lut = int(300 + 1.1 * pe * (mult + adder + acc + thr + cmp) + lutram)
    bram = 0 if wmem <= 128 else bram18(wmem, pe * simd * w)
    return cycles, lut, bram


def parse(spec):
    name, values = spec.split("=")
    return name, [int(v) for v in values.split(",")]


def main():
    args = sys.argv[1:]
    errors = []
    if args[0] == "--halved":
        first, second = (json.load(open(p)) for p in args[1:3])
        for name in args[3:]:
            c1 = first["estimate_layer_cycles"][name]
            c2 = second["estimate_layer_cycles"][name]
            if c1 != 2 * c2:
                errors.append(f"{name}: {c1} cycles, then {c2}: not halved")
            l1 = first["estimate_layer_resources"][name]["LUT"]
            l2 = second["estimate_layer_resources"][name]["LUT"]
            if l2 <= l1:
                errors.append(f"{name}: LUT {l1} -> {l2} did not grow")
    else:
        est = json.load(open(args[0]))
        for spec in args[1:]:
            name, values = parse(spec)
            cycles, lut, bram = expected(*values)
            got = (est["estimate_layer_cycles"][name],
                   est["estimate_layer_resources"][name]["LUT"],
                   est["estimate_layer_resources"][name]["BRAM_18K"])
            if got != (cycles, lut, bram):
                errors.append(f"{name}: cycles, LUT, BRAM {got}, expected "
                              f"{(cycles, lut, bram)}")
        perf = est["estimate_network_performance"]
        fps = est["clock_mhz"] * 1e6 / perf["max_cycles"]
        if abs(perf["estimated_throughput_fps"] - fps) > 1e-6 * fps:
            errors.append(f"throughput {perf['estimated_throughput_fps']}, "
                          f"expected {fps}")
    for error in errors:
        print("error:", error)
    print("ok" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
