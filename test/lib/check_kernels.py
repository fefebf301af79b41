#!/usr/bin/env python3
"""check_kernels.py - The integer kernel ops against numpy brute force.

For each case, writes a function that packs integer codes into bit-planes
(qc.bitplane_pack) where the kernel needs them and applies one kernel op --
qc.bitserial_popcount, qc.ternary_popcount, qc.shift_accumulate or
qc.codebook_accumulate -- to random data, runs it with qc-run (lowered by
convert-qc-to-linalg and JIT-compiled), and compares the result with the
plain dot products numpy computes from the decoded values, with the
padding, strides and dilation spelled out as loops. Integer results must be
identical (i32 and i16 accumulators); codebook results over float inputs
agree within 1e-5 relative.

usage: check_kernels.py QC_RUN WORKDIR
"""
import os
import shutil
import subprocess
import sys

import numpy as np

RNG = np.random.default_rng(7)


def conv_attr(conv):
    (sh, sw), pad, (dh, dw) = conv
    return (f"conv = #qc.conv<strides = [{sh}, {sw}], pad = [{', '.join(map(str, pad))}], "
            f"dilation = [{dh}, {dw}]>")


def reference(x, w, conv):
    """Dot products of x (N x K or NHWC) with w (M x K or OHWI), zero padding."""
    x = x.astype(np.float64)
    w = w.astype(np.float64)
    if conv is None:
        return x @ w.T
    (sh, sw), (top, bottom, left, right), (dh, dw) = conv
    n, h, wd, c = x.shape
    o, kh, kw, _ = w.shape
    padded = np.zeros((n, h + top + bottom, wd + left + right, c))
    padded[:, top:top + h, left:left + wd, :] = x
    oh = (h + top + bottom - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + left + right - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, oh, ow, o))
    for y in range(oh):
        for z in range(ow):
            for i in range(kh):
                for j in range(kw):
                    row = padded[:, y * sh + i * dh, z * sw + j * dw, :]
                    out[:, y, z, :] += row @ w[:, i, j, :].T
    return out


def out_shape(xshape, wshape, conv):
    if conv is None:
        return (xshape[0], wshape[0])
    (sh, sw), (top, bottom, left, right), (dh, dw) = conv
    oh = (xshape[1] + top + bottom - dh * (wshape[1] - 1) - 1) // sh + 1
    ow = (xshape[2] + left + right - dw * (wshape[2] - 1) - 1) // sw + 1
    return (xshape[0], oh, ow, wshape[0])


def ttype(shape, elem):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + elem + ">"


def dense_literal(values):
    return "dense<" + np.array2string(
        np.asarray(values), separator=", ", threshold=10**9,
        max_line_width=10**9, floatmode="unique").replace("\n", "") + ">"


def packed_shape(shape, planes, word):
    return (planes, *shape[:-1], -(-shape[-1] // word))


def decode(codes, planes, encoding):
    if encoding == "twos_complement":
        codes = codes & ((1 << planes) - 1)
        return np.where(codes >= 1 << (planes - 1), codes - (1 << planes), codes)
    if encoding == "sign":
        return np.where(codes & 1, -1, 1)
    return codes


def random_codes(shape, planes, encoding):
    if encoding == "twos_complement":
        return RNG.integers(-(1 << (planes - 1)), 1 << (planes - 1), shape)
    return RNG.integers(0, 1 << planes, shape)


def bitserial_case(xshape, wshape, conv, aplanes, aenc, wplanes, wenc, word, acc="i32"):
    x = random_codes(xshape, aplanes, aenc)
    w = random_codes(wshape, wplanes, wenc)
    depth = xshape[-1]
    oshape = out_shape(xshape, wshape, conv)
    wt = f"i{word}"
    ap, wp = packed_shape(xshape, aplanes, word), packed_shape(wshape, wplanes, word)
    attrs = f"depth = {depth} : i64, input_encoding = #qc.encoding<{aenc}>, " \
            f"weight_encoding = #qc.encoding<{wenc}>"
    if conv:
        attrs += ", " + conv_attr(conv)
    body = f"""
  %wc = arith.constant {dense_literal(w)} : {ttype(wshape, 'i32')}
  %a = qc.bitplane_pack %x : {ttype(xshape, 'i32')} -> {ttype(ap, wt)}
  %w = qc.bitplane_pack %wc : {ttype(wshape, 'i32')} -> {ttype(wp, wt)}
  %acc = qc.bitserial_popcount %a, %w {{{attrs}}} : {ttype(ap, wt)}, {ttype(wp, wt)} -> {ttype(oshape, acc)}"""
    ref = reference(decode(x, aplanes, aenc), decode(w, wplanes, wenc), conv)
    return x.astype(np.int32), "i32", body, oshape, ref, acc


def ternary_case(xshape, wshape, conv, aplanes, aenc, word, acc="i32"):
    x = random_codes(xshape, aplanes, aenc)
    w = RNG.integers(-1, 2, wshape)
    depth = xshape[-1]
    oshape = out_shape(xshape, wshape, conv)
    wt = f"i{word}"
    ap, wp = packed_shape(xshape, aplanes, word), packed_shape(wshape, 1, word)
    attrs = f"depth = {depth} : i64, input_encoding = #qc.encoding<{aenc}>"
    if conv:
        attrs += ", " + conv_attr(conv)
    wp1 = wp[1:]
    body = f"""
  %pc = arith.constant {dense_literal((w > 0).astype(np.int32))} : {ttype(wshape, 'i32')}
  %nc = arith.constant {dense_literal((w < 0).astype(np.int32))} : {ttype(wshape, 'i32')}
  %a = qc.bitplane_pack %x : {ttype(xshape, 'i32')} -> {ttype(ap, wt)}
  %p1 = qc.bitplane_pack %pc : {ttype(wshape, 'i32')} -> {ttype(wp, wt)}
  %n1 = qc.bitplane_pack %nc : {ttype(wshape, 'i32')} -> {ttype(wp, wt)}
  %p = tensor.collapse_shape %p1 [{collapse_first(len(wp))}] : {ttype(wp, wt)} into {ttype(wp1, wt)}
  %n = tensor.collapse_shape %n1 [{collapse_first(len(wp))}] : {ttype(wp, wt)} into {ttype(wp1, wt)}
  %acc = qc.ternary_popcount %a, %p, %n {{{attrs}}} : {ttype(ap, wt)}, {ttype(wp1, wt)}, {ttype(wp1, wt)} -> {ttype(oshape, acc)}"""
    ref = reference(decode(x, aplanes, aenc), w, conv)
    return x.astype(np.int32), "i32", body, oshape, ref, acc


def collapse_first(rank):
    groups = [[0, 1]] + [[d] for d in range(2, rank)]
    return ", ".join("[" + ", ".join(map(str, g)) + "]" for g in groups)


def shift_case(xshape, wshape, conv, emin, emax):
    x = RNG.integers(-255, 256, xshape)
    bits = 1 + int(np.ceil(np.log2(emax - emin + 2)))
    codes = RNG.integers(0, 1 << bits, wshape)
    magnitude = codes & ((1 << (bits - 1)) - 1)
    exponent = np.minimum(magnitude - 1, emax - emin)
    values = np.where(magnitude == 0, 0, np.left_shift(1, np.maximum(exponent, 0)))
    values = np.where(codes >> (bits - 1) & 1, -values, values)
    oshape = out_shape(xshape, wshape, conv)
    attrs = f"emin = {emin} : i64, emax = {emax} : i64"
    if conv:
        attrs += ", " + conv_attr(conv)
    body = f"""
  %x16 = tosa.cast %x : ({ttype(xshape, 'i32')}) -> {ttype(xshape, 'i16')}
  %w = arith.constant {dense_literal(codes)} : {ttype(wshape, 'i8')}
  %acc = qc.shift_accumulate %x16, %w {{{attrs}}} : {ttype(xshape, 'i16')}, {ttype(wshape, 'i8')} -> {ttype(oshape, 'i32')}"""
    return x.astype(np.int32), "i32", body, oshape, reference(x, values, conv), "i32"


def codebook_case(xshape, wshape, conv, k, per_output, integer):
    if integer:
        x = RNG.integers(-128, 128, xshape)
    else:
        x = RNG.standard_normal(xshape).astype(np.float32)
    rows = wshape[0] if per_output else 1
    table = RNG.standard_normal((rows, k)).astype(np.float32)
    table[:, 1] = 0.0  # a zero centroid adds nothing
    idx = RNG.integers(0, k, wshape)
    flat = idx.reshape(wshape[0], -1)
    values = np.stack([table[o if per_output else 0][flat[o]] for o in range(wshape[0])])
    values = values.reshape(wshape)
    oshape = out_shape(xshape, wshape, conv)
    tshape = (rows, k) if per_output else (k,)
    attrs = ("{" + conv_attr(conv) + "} ") if conv else ""
    elem = "i32" if integer else "f32"
    body = f"""
  %i = arith.constant {dense_literal(idx)} : {ttype(wshape, 'i8')}
  %t = arith.constant {dense_literal(table if per_output else table[0])} : {ttype(tshape, 'f32')}
  %accf = qc.codebook_accumulate %x, %i, %t {attrs}: {ttype(xshape, elem)}, {ttype(wshape, 'i8')}, {ttype(tshape, 'f32')} -> {ttype(oshape, 'f32')}"""
    xin = x.astype(np.int32) if integer else x
    return xin, elem, body, oshape, reference(x, values, conv), None


CASES = {
    # name: builder()
    "bitserial_dense_u3_t3": lambda: bitserial_case((3, 70), (5, 70), None, 3, "unsigned", 3, "twos_complement", 32),
    "bitserial_dense_u2_sign": lambda: bitserial_case((2, 45), (4, 45), None, 2, "unsigned", 1, "sign", 64),
    "bitserial_conv_u2_sign": lambda: bitserial_case(
        (2, 6, 7, 40), (3, 3, 3, 40), ((2, 1), (1, 2, 0, 1), (1, 2)), 2, "unsigned", 1, "sign", 32),
    "bitserial_conv_t4_t2": lambda: bitserial_case(
        (1, 5, 5, 6), (4, 3, 3, 6), ((1, 1), (1, 1, 1, 1), (1, 1)), 4, "twos_complement", 2, "twos_complement", 8,
        "i16"),
    "ternary_dense_u4": lambda: ternary_case((3, 45), (6, 45), None, 4, "unsigned", 32),
    "ternary_conv_t3": lambda: ternary_case(
        (2, 6, 6, 20), (5, 3, 2, 20), ((2, 2), (2, 0, 1, 1), (1, 1)), 3, "twos_complement", 16, "i16"),
    "shift_dense": lambda: shift_case((3, 33), (4, 33), None, -3, 0),
    "shift_conv": lambda: shift_case((2, 5, 6, 3), (4, 3, 3, 3), ((1, 2), (1, 1, 2, 0), (2, 1)), -7, 0),
    "codebook_dense_float": lambda: codebook_case((3, 30), (4, 30), None, 4, False, False),
    "codebook_conv_float": lambda: codebook_case(
        (2, 7, 6, 5), (3, 3, 3, 5), ((2, 1), (1, 1, 0, 2), (1, 2)), 16, True, False),
    "codebook_conv_int": lambda: codebook_case(
        (2, 5, 5, 4), (3, 2, 3, 4), ((1, 1), (1, 0, 1, 1), (1, 1)), 3, True, True),
    # Rows and pixels past one 16-lane vector, for the runtime kernel.
    "codebook_dense_float_rows": lambda: codebook_case((37, 50), (9, 50), None, 3, True, False),
    "codebook_dense_int_rows": lambda: codebook_case((20, 40), (7, 40), None, 5, True, True),
    "codebook_conv_float_wide": lambda: codebook_case(
        (3, 9, 21, 6), (16, 3, 3, 6), ((1, 1), (1, 1, 1, 1), (1, 1)), 3, True, False),
}


def main():
    qc_run, workdir = sys.argv[1], sys.argv[2]
    qc_opt = os.path.join(os.path.dirname(shutil.which(qc_run)), "qc-opt")
    os.makedirs(workdir, exist_ok=True)
    failed = 0
    for name, build in CASES.items():
        x, elem, body, oshape, ref, acc_type = build()
        exact = acc_type is not None
        acc = "%acc" if exact else "%accf"
        cast = (f"\n  %y = tosa.cast %acc : ({ttype(oshape, acc_type)}) -> {ttype(oshape, 'f32')}"
                if exact else "")
        result = "%y" if exact else acc
        src = (f"func.func @main(%x: {ttype(x.shape, elem)}) -> {ttype(oshape, 'f32')} {{"
               f"{body}{cast}\n  return {result} : {ttype(oshape, 'f32')}\n}}\n")
        mlir = os.path.join(workdir, name + ".mlir")
        with open(mlir, "w") as f:
            f.write(src)
        xin, yout = os.path.join(workdir, name + ".x.npy"), os.path.join(workdir, name + ".y.npy")
        np.save(xin, x)
        run = subprocess.run([qc_run, mlir, "--input", xin, "--output", yout],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print(f"{name}: qc-run failed\n{run.stderr}")
            failed += 1
            continue
        y = np.load(yout).astype(np.float64)
        if name.startswith("codebook"):
            # The runtime's per-centroid kernel (the default) must give the
            # generated loops' result to the bit, and must be the one that
            # ran.
            loops = os.path.join(workdir, name + ".loops.npy")
            subprocess.run([qc_run, mlir, "--ukernels=false", "--input", xin,
                            "--output", loops], check=True, capture_output=True)
            if np.load(loops).tobytes() != np.load(yout).tobytes():
                print(f"{name}: FAIL (runtime kernel differs from the loops)")
                failed += 1
                continue
            lowered = subprocess.run([qc_opt, mlir, "--qc-cpu-pipeline"],
                                     check=True, capture_output=True,
                                     text=True).stdout
            if "qc_rt_centroid_" not in lowered:
                print(f"{name}: FAIL (no runtime call)")
                failed += 1
                continue
        if exact:
            ok = np.array_equal(y, ref)
            detail = f"{int((y != ref).sum())} of {y.size} differ"
        else:
            err = np.abs(y - ref).max() / max(np.abs(ref).max(), 1e-30)
            ok = err <= 1e-5
            detail = f"max relative difference {err:.2g}"
        print(f"{name}: {'ok' if ok else 'FAIL'} ({detail})")
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
