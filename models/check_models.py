# models/check_models.py - validates every model of the zoo and writes models/checks.json.
#
# For each entry of models/manifest.json: onnx.checker, the op types, the
# input/output contract ("input" N x 1 x 28 x 28, "logits" N x 10, batch dim
# symbolic), file size < 2 MB, that the quantized weights really lie on their
# grid (binary: +-alpha per output channel; ternary: {-a,0,a}; int4: integers
# -7..7 times max|w_c|/7; power-of-two: 0 or +-2^e with e in the channel's
# 7-exponent window; codebook: <= 16 values per layer), that every Sign
# follows a BatchNormalization, and that the numpy reference interpreter
# (models/onnx_ref.py) and onnxruntime-node reproduce the reference logits on
# the 1000-image slice. Exits non-zero if a check fails.
#
# Usage: /usr/bin/python3 models/check_models.py

import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402
import onnx_ref  # noqa: E402

HIDDEN = {
    "lenet5": ("conv2.weight", "fc1.weight", "fc2.weight"),
    "vgg_small": ("conv2.weight", "conv3.weight", "conv4.weight"),
}


def per_channel(w):
    return w.reshape(w.shape[0], -1)


def grid_check(scheme, w):
    """Returns (ok, detail) for one hidden-layer weight tensor (axis 0 = out)."""
    rows = per_channel(w)
    if scheme.startswith("binary"):
        ok = all(len(np.unique(np.abs(r))) == 1 and len(np.unique(r)) <= 2 for r in rows)
        return ok, f"max distinct per channel {max(len(np.unique(r)) for r in rows)} (+-alpha_c)"
    if scheme.startswith("ternary"):
        ok = all(len(np.unique(np.abs(r[r != 0]))) <= 1 and len(np.unique(r)) <= 3 for r in rows)
        return ok, f"max distinct per channel {max(len(np.unique(r)) for r in rows)} ({{-a,0,a}})"
    if scheme.startswith("int4"):
        s = np.abs(rows).max(1, keepdims=True) / C.INT4_LEVELS
        k = rows / s
        err = float(np.abs(k - np.rint(k)).max())
        ok = err < 1e-4 and np.abs(np.rint(k)).max() <= C.INT4_LEVELS
        return ok, (f"w/(max|w_c|/7) within {err:.1e} of integers in [-7,7]; max distinct "
                    f"per channel {max(len(np.unique(r)) for r in rows)}")
    if scheme.startswith("pot"):
        ok = True
        for r in rows:
            nz = np.abs(r[r != 0]).astype(np.float64)
            e = np.log2(nz)
            if not np.array_equal(e, np.rint(e)) or (len(e) and e.max() - e.min() > C.POT_LEVELS - 1):
                ok = False
        vals = np.unique(np.abs(rows[rows != 0]))
        return ok, (f"nonzero |w| are exact powers of two, 2^{int(np.log2(vals.min()))}.."
                    f"2^{int(np.log2(vals.max()))}, <= 7 exponents per channel; "
                    f"zeros {float((rows == 0).mean()):.1%}")
    if scheme.startswith("codebook16"):
        n = len(np.unique(w))
        return n <= 16, f"{n} distinct values in the layer"
    return True, f"{len(np.unique(w))} distinct values"


def run_ort(path, x, opt_level):
    with tempfile.TemporaryDirectory() as d:
        inp, out = os.path.join(d, "in.bin"), os.path.join(d, "out.bin")
        x.astype("<f4").tofile(inp)
        env = dict(os.environ, ORT_OPT_LEVEL=opt_level)
        r = subprocess.run(["node", os.path.join(C.MODELS_DIR, "ort_run.js"), path, inp,
                            str(len(x)), out], env=env, capture_output=True, text=True)
        if r.returncode != 0:
            return None, r.stderr.strip()
        return np.fromfile(out, "<f4").reshape(len(x), 10), None


def check(entry, slices):
    path = os.path.join(C.REPO_DIR, entry["file"])
    m = onnx.load(path)
    res = {"name": entry["name"], "failures": []}
    fail = res["failures"].append
    try:
        onnx.checker.check_model(m)
        res["checker"] = "ok"
    except Exception as e:  # noqa: BLE001
        res["checker"] = str(e)
        fail("onnx.checker")
    res["ops"] = sorted({(n.domain + "." if n.domain else "") + n.op_type for n in m.graph.node})
    res["opsets"] = {o.domain or "ai.onnx": o.version for o in m.opset_import}
    res["bytes"] = os.path.getsize(path)
    if res["bytes"] >= 2 * 1024 * 1024:
        fail("size")
    gi, go = m.graph.input[0], m.graph.output[0]

    def dims(v):
        return [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]

    res["io"] = {gi.name: dims(gi), go.name: dims(go)}
    if (gi.name, go.name) != ("input", "logits") or dims(gi) != ["N", 1, 28, 28] \
            or dims(go) != ["N", 10] or len(m.graph.input) != 1:
        fail("io contract")
    producers = {n.output[0]: n.op_type for n in m.graph.node}
    signs = [n for n in m.graph.node if n.op_type in ("Sign", "BipolarQuant") and
             n.input[0] not in {i.name for i in m.graph.initializer}]
    if signs:
        res["sign_inputs_from"] = sorted({producers.get(n.input[0], "?") for n in signs})
        if res["sign_inputs_from"] != ["BatchNormalization"]:
            fail("Sign not after BatchNormalization")
    inits = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    arch = entry.get("architecture")
    if entry["scheme"].endswith("-qat") or entry["scheme"] == "pot-inq":
        res["grid"] = {}
        for wn in HIDDEN[arch]:
            ok, detail = grid_check(entry["scheme"], inits[wn])
            res["grid"][wn] = detail
            if not ok:
                fail(f"grid {wn}")
    x, y = slices[entry["dataset"]]
    ref = np.load(os.path.join(C.REPO_DIR, entry["reference_logits"]))
    out = onnx_ref.run_batched(m, x)
    res["numpy_ref"] = {"max_abs_diff": float(np.abs(out - ref).max()),
                        "argmax_agree": int((out.argmax(1) == ref.argmax(1)).sum())}
    if res["numpy_ref"]["argmax_agree"] < 999 or res["numpy_ref"]["max_abs_diff"] > 1e-2:
        fail("numpy reference")
    res["slice_correct_1000"] = int((ref.argmax(1) == y).sum())
    if not any(n.domain for n in m.graph.node):
        for level in ("all", "disabled"):
            o, err = run_ort(path, x, level)
            if o is None:
                res[f"ort_{level}"] = err
                fail(f"ort {level}")
            else:
                res[f"ort_{level}"] = {"max_abs_diff": float(np.abs(o - ref).max()),
                                       "argmax_agree": int((o.argmax(1) == ref.argmax(1)).sum())}
    return res


def main():
    with open(C.MANIFEST) as f:
        entries = json.load(f)
    slices = {}
    for ds, prefix in (("mnist", "mnist"), ("fashion-mnist", "fmnist")):
        xi = C.read_idx(os.path.join(C.DATA_DIR, f"{prefix}-t10k-1000-images-idx3-ubyte.gz"))
        yl = C.read_idx(os.path.join(C.DATA_DIR, f"{prefix}-t10k-1000-labels-idx1-ubyte.gz"))
        slices[ds] = ((xi.astype(np.float32) / 255.0)[:, None], yl.astype(np.int64))
    results = []
    for e in entries:
        r = check(e, slices)
        results.append(r)
        status = "FAIL " + ", ".join(r["failures"]) if r["failures"] else "ok"
        ort = r.get("ort_all")
        ort_s = (f" ort(all) diff {ort['max_abs_diff']:.2g} agree {ort['argmax_agree']}"
                 if isinstance(ort, dict) else "")
        C.log(f"{e['name']:28s} {status}: {' '.join(r['ops'])}; numpy diff "
              f"{r['numpy_ref']['max_abs_diff']:.2g}{ort_s}")
        for wn, d in r.get("grid", {}).items():
            C.log(f"    {wn}: {d}")
    with open(os.path.join(C.MODELS_DIR, "checks.json"), "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    if any(r["failures"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
