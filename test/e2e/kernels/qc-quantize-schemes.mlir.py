"""numpy reference for qc-quantize-schemes.mlir.

`inputs DIR` writes the inputs; `check DIR` compares qc-run's outputs with
numpy evaluations of each scheme's definition, written here from the
formulas (REFERENCE.md section 1, the DoReFa-Net paper, FINN's
MultiThreshold), not from qc's code.
"""
import sys

import numpy as np

W = np.array([[0.31, -0.72, 0.05, 1.13], [0.4, 0.0, 0.9, 0.25],
              [0.0, 0.0, 0.0, 0.0], [-0.5, -0.125, -0.3, 0.0]],
             np.float32).astype(np.float64)
EYE = np.eye(4)
UNSIGNED = (0.0, 3.75)  # calibrated ranges of the layers' inputs
SIGNED = (-1.75, 1.75)


def asymmetric(w, bits, per_channel):
    """Affine k-bit: range [min(w, 0), max(w, 0)], unsigned codes, zero
    point round(-lo / s); round half to even."""
    qmax = 2 ** bits - 1
    out = np.empty_like(w)
    groups = [(i, w[i]) for i in range(len(w))] if per_channel else [(slice(None), w)]
    for index, g in groups:
        lo, hi = min(g.min(), 0.0), max(g.max(), 0.0)
        s = (hi - lo) / qmax if hi > lo else 1.0
        z = np.clip(np.round(-lo / s), 0, qmax)
        q = np.clip(np.round(g / s) + z, 0, qmax)
        out[index] = (q - z) * s
    return out


def dorefa(w, bits):
    """DoReFa-Net: 2 quantize_k(tanh(w) / (2 max|tanh w|) + 1/2) - 1 per
    layer (np.round: half to even, as torch.round), scaled by the
    least-squares factor sum(w wq) / sum(wq^2)."""
    n = 2 ** bits - 1
    t = np.tanh(w)
    m = np.abs(t).max()
    if m == 0:
        return np.zeros_like(w)
    wq = 2 * (np.round(n * (t / (2 * m) + 0.5)) / n) - 1
    return wq * (w * wq).sum() / (wq * wq).sum()


def uniform_act(x, lo, hi, bits, half_up):
    """The calibrated activation quantizer: unsigned levels on [0, hi] or
    signed narrow ones on [-c, c]."""
    if lo >= 0:
        qmin, qmax = 0, 2 ** bits - 1
        s = hi / qmax
    else:
        qmax = 2 ** (bits - 1) - 1
        qmin = -qmax
        s = max(-lo, hi) / qmax
    q = np.floor(x / s + 0.5) if half_up else np.round(x / s)
    return np.clip(q, qmin, qmax) * s


def inputs(d):
    np.save(f"{d}/eye.npy", np.eye(4, dtype=np.float32))
    x = np.arange(-3.0, 5.0, 1.0 / 32).reshape(-1, 4).astype(np.float32)
    np.save(f"{d}/x.npy", x)


def weights_output(wq, eq):
    """The model's output on the identity input: the three layers' weights,
    transposed."""
    return np.concatenate([wq.T, eq.T, eq.T], axis=1)


def expect(name, got, want, tol):
    if got.shape != want.shape or not np.allclose(got, want, rtol=0, atol=tol):
        print(f"{name} FAIL\n", got, "\n", want)
        sys.exit(1)
    print(f"{name} ok")


def check(d):
    load = lambda name: np.load(f"{d}/{name}.npy").astype(np.float64)
    ulp = 1e-6  # float32 rounding of the stored values
    for name, fn in [("asym4", lambda w: asymmetric(w, 4, True)),
                     ("asym3t", lambda w: asymmetric(w, 3, False)),
                     ("dorefa2", lambda w: dorefa(w, 2)),
                     ("dorefa1", lambda w: dorefa(w, 1))]:
        expect(name, load(name), weights_output(fn(W), fn(EYE)), ulp)

    x = np.load(f"{d}/x.npy").astype(np.float64)
    thr = load("thr4")
    u = uniform_act(x, *UNSIGNED, 4, half_up=True)
    s = uniform_act(x, *SIGNED, 4, half_up=True)
    expect("thr4", thr, np.concatenate([u @ W.T, u, s], axis=1), 1e-5)
    uni = load("uni4")
    u_even = uniform_act(x, *UNSIGNED, 4, half_up=False)
    s_even = uniform_act(x, *SIGNED, 4, half_up=False)
    expect("uni4", uni, np.concatenate([u_even @ W.T, u_even, s_even], axis=1),
           1e-5)
    midpoint = (np.abs(x / 0.25 - np.floor(x / 0.25) - 0.5) == 0)
    differs = np.concatenate([thr[:, 4:8] != uni[:, 4:8],
                              thr[:, 8:] != uni[:, 8:]], axis=1)
    at_midpoint = np.concatenate([midpoint & (x >= 0) & (x <= 3.75),
                                  midpoint & (x >= -1.75) & (x <= 1.75)],
                                 axis=1)
    if not differs.any() or (differs & ~at_midpoint).any():
        print("uni4 and thr4 differ elsewhere than at midpoints (or nowhere)")
        sys.exit(1)
    print("uni4 differs from thr4 only at midpoints")

    for name, fn in [("asym8-int", lambda w: asymmetric(w, 8, True)),
                     ("dorefa3-int", lambda w: dorefa(w, 3))]:
        want = np.concatenate([u_even @ fn(W).T, u_even @ fn(EYE).T,
                               s_even @ fn(EYE).T], axis=1)
        expect(name, load(name), want, 1e-5)
    wq = asymmetric(W, 8, True)
    eq = asymmetric(EYE, 8, True)
    expect("thr4-int", load("thr4-int"),
           np.concatenate([u @ wq.T, u @ eq.T, s @ eq.T], axis=1), 1e-5)


if __name__ == "__main__":
    {"inputs": inputs, "check": check}[sys.argv[1]](sys.argv[2])
