# models/train_lenet.py - trains and exports the LeNet-5 models of qc's model zoo.
#
# Float LeNet-5 on MNIST and Fashion-MNIST, and five quantization-aware
# variants on MNIST fine-tuned from the float MNIST model: binary weights and
# activations (XNOR-style), TWN ternary weights, DoReFa/PACT 4-bit, INQ
# power-of-two weights and a 16-entry k-means codebook. The quantized layers
# are the hidden ones (conv2, fc1, fc2); conv1 and fc3 stay float. Every
# export bakes the quantized weights into plain float weight tensors, so the
# ONNX files hold ordinary Conv/Gemm nodes whose weights lie exactly on the
# quantization grid. Each model's full-test-set accuracy goes to
# models/manifest.json and its logits on the first 1000 test images to
# models/reference/<name>.logits.npy.
#
# Usage: /usr/bin/python3 models/train_lenet.py [NAME ...]   (default: all)

import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402

SEED = 1234
FLOAT_EPOCHS = 3
CMD = "/usr/bin/python3 models/train_lenet.py {}"


class LeNet5(nn.Module):
    """LeNet-5 with optional hidden-layer weight quantizer and activation kind.

    act="relu":  conv-relu-pool x2, fc-relu x2, fc          (float / weight-only QAT)
    act="pact4": as relu, but every ReLU is a 4-bit PACT fake-quant
    act="sign":  conv-pool-BN-sign x2, fc-BN-sign x2, fc     (binary activations)
    """

    def __init__(self, act="relu", wq=None, pact_alphas=(6.0, 6.0, 6.0, 6.0)):
        super().__init__()
        self.act_kind = act
        self.conv1 = C.QConv2d(1, 6, 5, padding=2)
        self.conv2 = C.QConv2d(6, 16, 5, wq=wq)
        self.fc1 = C.QLinear(16 * 5 * 5, 120, wq=wq)
        self.fc2 = C.QLinear(120, 84, wq=wq)
        self.fc3 = C.QLinear(84, 10)
        if act == "relu":
            acts = [nn.ReLU() for _ in range(4)]
        elif act == "pact4":
            acts = [C.PACT(a, bits=4) for a in pact_alphas]
        elif act == "sign":
            acts = [C.SignAct() for _ in range(4)]
            self.bn1 = nn.BatchNorm2d(6)
            self.bn2 = nn.BatchNorm2d(16)
            self.bn3 = nn.BatchNorm1d(120)
            self.bn4 = nn.BatchNorm1d(84)
        else:
            raise ValueError(act)
        self.act1, self.act2, self.act3, self.act4 = acts

    def forward(self, x):
        if self.act_kind == "sign":
            x = self.act1(self.bn1(F.max_pool2d(self.conv1(x), 2)))
            x = self.act2(self.bn2(F.max_pool2d(self.conv2(x), 2)))
            x = torch.flatten(x, 1)
            x = self.act3(self.bn3(self.fc1(x)))
            x = self.act4(self.bn4(self.fc2(x)))
            return self.fc3(x)
        x = F.max_pool2d(self.act1(self.conv1(x)), 2)
        x = F.max_pool2d(self.act2(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = self.act3(self.fc1(x))
        x = self.act4(self.fc2(x))
        return self.fc3(x)

    def hidden(self):
        return [self.conv2, self.fc1, self.fc2]


def adam_cosine(params, lr, steps):
    opt = torch.optim.Adam(params, lr=lr)
    return opt, torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)


def steps_per_epoch(n, batch_size=64):
    return (n + batch_size - 1) // batch_size


# ----------------------------------------------------------------------------
# Float models
# ----------------------------------------------------------------------------

def train_float(dataset, seed):
    C.seed_all(seed)
    x, y = C.load(dataset, "train")
    model = LeNet5()
    opt, sched = adam_cosine(model.parameters(), 2e-3, FLOAT_EPOCHS * steps_per_epoch(len(x)))
    C.train_epochs(model, opt, x, y, FLOAT_EPOCHS, seed, sched=sched, log=C.log)
    return model


def float_mnist_model():
    """The float MNIST LeNet that every QAT model starts from (cached)."""
    path = os.path.join(C.CACHE_DIR, "lenet5_mnist.pt")
    model = LeNet5()
    if os.path.exists(path):
        model.load_state_dict(torch.load(path))
        return model
    C.log("training float LeNet-5 on MNIST (QAT starting point)")
    model = train_float("mnist", SEED)
    os.makedirs(C.CACHE_DIR, exist_ok=True)
    torch.save(model.state_dict(), path)
    return model


def finish(name, model, dataset, scheme, first_last="float", keep_batchnorm=False,
           **extra):
    """Bakes, evaluates on the full test set, exports, records."""
    C.bake(model)
    model.eval()
    xt, yt = C.load(dataset, "test")
    for m in model.modules():
        if isinstance(m, C.SignAct):
            m.zeros = 0
    correct, total, logits = C.evaluate(model, xt, yt)
    zeros = sum(m.zeros for m in model.modules() if isinstance(m, C.SignAct))
    if any(isinstance(m, C.SignAct) for m in model.modules()):
        extra["sign_zero_inputs_on_test_set"] = zeros
    path = os.path.join(C.MODELS_DIR, f"{name}.onnx")
    C.export_onnx(model, path, keep_batchnorm=keep_batchnorm)
    C.save_reference(name, logits.numpy())
    entry = C.manifest_entry(name, dataset, scheme, correct, total, first_last,
                             CMD.format(name), architecture="lenet5", **extra)
    C.update_manifest(entry)
    C.log(f"{name}: {scheme} accuracy {correct}/{total} = {correct / total:.4f}")
    return model


def lenet5_mnist():
    model = float_mnist_model()
    finish("lenet5_mnist", model, "mnist", "float",
           description="LeNet-5 (conv5x5x6 pad 2, conv5x5x16, fc120, fc84, fc10), float32.",
           training=f"Adam lr 2e-3 cosine, {FLOAT_EPOCHS} epochs, batch 64")


def lenet5_fmnist():
    C.log("training float LeNet-5 on Fashion-MNIST")
    model = train_float("fashion-mnist", SEED + 1)
    finish("lenet5_fmnist", model, "fashion-mnist", "float",
           description="LeNet-5 as lenet5_mnist, trained on Fashion-MNIST, float32.",
           training=f"Adam lr 2e-3 cosine, {FLOAT_EPOCHS} epochs, batch 64")


# ----------------------------------------------------------------------------
# QAT models (fine-tuned from the float MNIST LeNet)
# ----------------------------------------------------------------------------

def qat_start(act="relu", wq=None, **kw):
    C.seed_all(SEED)  # nothing random survives the load, but keep it order-independent
    model = LeNet5(act=act, wq=wq, **kw)
    missing, unexpected = model.load_state_dict(float_mnist_model().state_dict(), strict=False)
    assert not unexpected, unexpected
    return model


def fine_tune(model, seed, epochs, lr, params=None):
    C.seed_all(seed)
    x, y = C.load("mnist", "train")
    params = list(model.parameters()) if params is None else params
    opt, sched = adam_cosine(params, lr, epochs * steps_per_epoch(len(x)))
    C.train_epochs(model, opt, x, y, epochs, seed, sched=sched, log=C.log)


def lenet5_binary_mnist():
    C.log("binary QAT (XNOR-style weights + sign activations)")
    model = qat_start(act="sign", wq=C.binary_weights)
    fine_tune(model, SEED + 10, 3, 2e-3)
    finish("lenet5_binary_mnist", model, "mnist", "binary-qat", keep_batchnorm=True,
           description=("Hidden layers conv2/fc1/fc2 have binary weights alpha_c*sign(w) "
                        "(alpha_c = mean|w| per output channel, exactly two values +-alpha_c "
                        "per channel) and take binary activations: every hidden layer's "
                        "input is Sign(BatchNorm(.)) in {-1,+1}. conv1 and fc3 have float "
                        "weights; fc3 takes binary inputs. Order: conv -> maxpool -> "
                        "BatchNormalization -> Sign. Biases float."),
           weights="binary per-output-channel (conv2, fc1, fc2)",
           activations="binary Sign after BatchNorm (inputs of conv2, fc1, fc2, fc3)",
           training="from lenet5_mnist; Adam lr 2e-3 cosine, 3 epochs; STE: identity for weights, hardtanh for Sign")


def lenet5_ternary_mnist():
    C.log("ternary QAT (TWN)")
    model = qat_start(wq=C.ternary_weights)
    fine_tune(model, SEED + 11, 2, 5e-4)
    finish("lenet5_ternary_mnist", model, "mnist", "ternary-qat",
           description=("TWN ternary weights in conv2/fc1/fc2: per output channel "
                        "delta = 0.7*mean|w|, alpha = mean(|w| : |w| > delta), values "
                        "{-alpha, 0, +alpha}. Float ReLU activations; conv1/fc3 float."),
           weights="ternary per-output-channel (conv2, fc1, fc2)",
           activations="float ReLU",
           training="from lenet5_mnist; Adam lr 5e-4 cosine, 2 epochs; STE identity")


def pact_init_alphas(model, q=99.9):
    """Initial PACT clip levels: a high percentile of each ReLU output of the
    float model on the first 2000 training images."""
    x, _ = C.load("mnist", "train")
    x = x[:2000]
    acts = (model.act1, model.act2, model.act3, model.act4)
    outs = {m: [] for m in acts}
    hooks = [m.register_forward_hook(lambda mod, i, o: outs[mod].append(o.detach().flatten()))
             for m in acts]
    C.predict(model, x)
    for h in hooks:
        h.remove()
    return [float(np.percentile(torch.cat(outs[m]).numpy(), q)) for m in acts]


def lenet5_int4_mnist():
    C.log("4-bit QAT (DoReFa weights, PACT activations)")
    alphas = pact_init_alphas(float_mnist_model())
    C.log(f"  initial PACT alphas {[round(a, 3) for a in alphas]}")
    model = qat_start(act="pact4", wq=C.dorefa4_weights, pact_alphas=alphas)
    fine_tune(model, SEED + 12, 2, 5e-4)
    alphas = [round(float(np.float32(m.alpha.detach().abs())), 6)
              for m in (model.act1, model.act2, model.act3, model.act4)]
    finish("lenet5_int4_mnist", model, "mnist", "int4-qat",
           description=("4-bit weights in conv2/fc1/fc2 (DoReFa tanh normalisation, "
                        "symmetric narrow int4 grid: integers -7..7 times a per-output-"
                        "channel scale max|w_c|/7). All four ReLUs are 4-bit PACT "
                        "activations: Clip(x, 0, alpha) -> QuantizeLinear(scale alpha/15, "
                        "zero point 0, uint8) -> DequantizeLinear, so the codes are 0..15. "
                        "conv1/fc3 weights float; input pixels float."),
           weights="int4 symmetric narrow per-output-channel (conv2, fc1, fc2)",
           activations="uint4 PACT (Clip + QuantizeLinear/DequantizeLinear, codes 0..15)",
           pact_alphas=alphas,
           training="from lenet5_mnist; Adam lr 5e-4 cosine, 2 epochs; STE identity through round")


def lenet5_pot_mnist():
    C.log("power-of-two weights (INQ)")
    model = qat_start()
    layers = model.hidden()
    n1 = [C.pot_exponent_top(l.weight.detach()) for l in layers]
    masks = [torch.zeros_like(l.weight, dtype=torch.bool) for l in layers]
    qvals = [torch.zeros_like(l.weight) for l in layers]
    seed = SEED + 13
    x, y = C.load("mnist", "train")
    stage_steps = steps_per_epoch(len(x)) // 2  # half an epoch per stage

    def project(_model):
        with torch.no_grad():
            for l, m, q in zip(layers, masks, qvals):
                l.weight[m] = q[m]

    for stage, frac in enumerate((0.5, 0.75, 0.875, 1.0)):
        with torch.no_grad():
            for l, n, m, q in zip(layers, n1, masks, qvals):
                w = l.weight
                want = int(round(frac * w.numel()))
                remaining = want - int(m.sum())
                if remaining > 0:
                    # Quantize the largest-magnitude weights not yet quantized.
                    mag = torch.where(m, torch.full_like(w, -1.0), w.abs()).flatten()
                    idx = torch.sort(mag, descending=True, stable=True).indices[:remaining]
                    m.view(-1)[idx] = True
                q.copy_(C.pot_quantize(w, n))
        project(model)
        if frac < 1.0:
            C.seed_all(seed + stage)
            opt, sched = adam_cosine(model.parameters(), 2e-4, stage_steps)
            C.train_epochs(model, opt, x, y, 1, seed + stage, sched=sched,
                           after_step=project, max_steps=stage_steps)
            C.log(f"  INQ stage {stage + 1}: {frac:.3f} of hidden weights fixed")
    finish("lenet5_pot_mnist", model, "mnist", "pot-inq",
           description=("INQ power-of-two weights in conv2/fc1/fc2: w = sign * 2^e with "
                        "e in {n1-6, ..., n1} per output channel (n1 = floor(log2(4/3 * "
                        "max|w_c|)) of the float weights), or 0: a 4-bit code (sign + "
                        "3-bit exponent index with a zero code), i.e. s_c*2^-k with "
                        "s_c = 2^n1, k in 0..6. Float ReLU activations; conv1/fc3 float."),
           weights="power-of-two per-output-channel range (conv2, fc1, fc2)",
           activations="float ReLU",
           pot_exponent_top={l: [int(v) for v in n.flatten()] for l, n in
                             zip(("conv2", "fc1", "fc2"), n1)},
           training=("from lenet5_mnist; INQ: 50%/75%/87.5%/100% of weights (largest "
                     "first) fixed to powers of two, half an epoch of Adam lr 2e-4 "
                     "cosine on the rest after each of the first three stages"))


class Codebook(nn.Module):
    """Weight sharing: weight = centroids[index]; only the centroids train, each
    receiving the summed gradient of its weights (Deep Compression)."""

    def __init__(self, weight, k=16, iters=100):
        super().__init__()
        w = weight.detach().numpy().astype(np.float64).ravel()
        c = np.linspace(w.min(), w.max(), k)  # deterministic linear init
        for _ in range(iters):
            idx = np.abs(w[:, None] - c[None, :]).argmin(1)
            newc = np.array([w[idx == j].mean() if np.any(idx == j) else c[j]
                             for j in range(k)])
            if np.array_equal(newc, c):
                break
            c = newc
        idx = np.abs(w[:, None] - c[None, :]).argmin(1)
        self.centroids = nn.Parameter(torch.tensor(c, dtype=torch.float32))
        self.register_buffer("index", torch.tensor(idx.reshape(weight.shape), dtype=torch.int64))

    def forward(self, _w):
        return self.centroids[self.index]


def lenet5_codebook16_mnist():
    C.log("16-entry k-means codebook")
    model = qat_start()
    for l in model.hidden():
        l.wq = Codebook(l.weight, 16)
        l.weight.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    fine_tune(model, SEED + 14, 1, 2e-4, params=params)
    finish("lenet5_codebook16_mnist", model, "mnist", "codebook16-qat",
           description=("conv2/fc1/fc2 each share a 16-entry codebook: k-means (linear "
                        "init over [min,max], Lloyd iterations) of the float weights, then "
                        "1 epoch fine-tuning of the centroids with fixed assignments. At "
                        "most 16 distinct values per layer. Float ReLU activations; "
                        "conv1/fc3 float."),
           weights="16-centroid codebook per layer (conv2, fc1, fc2)",
           activations="float ReLU",
           training="from lenet5_mnist; k-means then Adam lr 2e-4 cosine on centroids + float params, 1 epoch")


MODELS = {
    "lenet5_mnist": lenet5_mnist,
    "lenet5_fmnist": lenet5_fmnist,
    "lenet5_binary_mnist": lenet5_binary_mnist,
    "lenet5_ternary_mnist": lenet5_ternary_mnist,
    "lenet5_int4_mnist": lenet5_int4_mnist,
    "lenet5_pot_mnist": lenet5_pot_mnist,
    "lenet5_codebook16_mnist": lenet5_codebook16_mnist,
}


def main(argv):
    C.run_models(MODELS, argv)


if __name__ == "__main__":
    main(sys.argv[1:])
