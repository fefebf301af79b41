# models/train_vgg.py - trains and exports the small VGG-style Fashion-MNIST models.
#
# vgg_small_fmnist: conv3x3(32)-BN-ReLU, conv3x3(32)-BN-ReLU, maxpool,
# conv3x3(64)-BN-ReLU, conv3x3(64)-BN-ReLU, maxpool, fc(10), float; exported in
# eval mode, so the exporter folds each BatchNorm into its Conv.
# vgg_small_binary_fmnist: fine-tuned from the float net with binary weights
# (alpha_c * sign(w) per output channel) in the three hidden convolutions and
# binary activations (Sign after BatchNorm) feeding every layer after conv1;
# conv1 and the fc stay float. Exported with BatchNormalization kept in the
# graph (TrainingMode.PRESERVE on an eval-mode model) so every Sign is
# preceded by its BatchNormalization. Accuracy is measured on the full
# Fashion-MNIST test set and recorded in models/manifest.json.
#
# Usage: /usr/bin/python3 models/train_vgg.py [NAME ...]   (default: both)

import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402

SEED = 4321
CMD = "/usr/bin/python3 models/train_vgg.py {}"
FLOAT_EPOCHS = 2
BINARY_EPOCHS = 2


class VGGSmall(nn.Module):
    """binary=False: conv-BN-ReLU blocks. binary=True: conv1-BN-Sign, then
    binary conv2 -> maxpool -> BN -> Sign, binary conv3 -> BN -> Sign,
    binary conv4 -> maxpool -> BN -> Sign, float fc on the +-1 features."""

    def __init__(self, binary=False):
        super().__init__()
        self.binary = binary
        wq = C.binary_weights if binary else None
        self.conv1 = C.QConv2d(1, 32, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(32)
        self.conv2 = C.QConv2d(32, 32, 3, padding=1, bias=False, wq=wq)
        self.bn2 = nn.BatchNorm2d(32)
        self.conv3 = C.QConv2d(32, 64, 3, padding=1, bias=False, wq=wq)
        self.bn3 = nn.BatchNorm2d(64)
        self.conv4 = C.QConv2d(64, 64, 3, padding=1, bias=False, wq=wq)
        self.bn4 = nn.BatchNorm2d(64)
        self.fc = C.QLinear(64 * 7 * 7, 10)
        if binary:
            self.act1, self.act2, self.act3, self.act4 = (C.SignAct() for _ in range(4))

    def forward(self, x):
        if self.binary:
            x = self.act1(self.bn1(self.conv1(x)))
            x = self.act2(self.bn2(F.max_pool2d(self.conv2(x), 2)))
            x = self.act3(self.bn3(self.conv3(x)))
            x = self.act4(self.bn4(F.max_pool2d(self.conv4(x), 2)))
        else:
            x = F.relu(self.bn1(self.conv1(x)))
            x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
            x = F.relu(self.bn3(self.conv3(x)))
            x = F.max_pool2d(F.relu(self.bn4(self.conv4(x))), 2)
        return self.fc(torch.flatten(x, 1))


def train(model, seed, epochs, lr):
    C.seed_all(seed)
    x, y = C.load("fashion-mnist", "train")
    steps = epochs * ((len(x) + 63) // 64)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    C.train_epochs(model, opt, x, y, epochs, seed, sched=sched, log=C.log)


def float_model():
    path = os.path.join(C.CACHE_DIR, "vgg_small_fmnist.pt")
    C.seed_all(SEED)  # the initial weights must not depend on earlier work
    model = VGGSmall()
    if os.path.exists(path):
        model.load_state_dict(torch.load(path))
        return model
    C.log("training float VGG-small on Fashion-MNIST")
    train(model, SEED, FLOAT_EPOCHS, 2e-3)
    os.makedirs(C.CACHE_DIR, exist_ok=True)
    torch.save(model.state_dict(), path)
    return model


def finish(name, model, scheme, keep_batchnorm, **extra):
    C.bake(model)
    model.eval()
    for m in model.modules():
        if isinstance(m, C.SignAct):
            m.zeros = 0
    xt, yt = C.load("fashion-mnist", "test")
    correct, total, logits = C.evaluate(model, xt, yt)
    if model.binary:
        extra["sign_zero_inputs_on_test_set"] = sum(
            m.zeros for m in model.modules() if isinstance(m, C.SignAct))
    path = os.path.join(C.MODELS_DIR, f"{name}.onnx")
    C.export_onnx(model, path, keep_batchnorm=keep_batchnorm)
    C.save_reference(name, logits.numpy())
    C.update_manifest(C.manifest_entry(name, "fashion-mnist", scheme, correct, total,
                                       "float", CMD.format(name),
                                       architecture="vgg_small", **extra))
    C.log(f"{name}: {scheme} accuracy {correct}/{total} = {correct / total:.4f}")


def vgg_small_fmnist():
    finish("vgg_small_fmnist", float_model(), "float", keep_batchnorm=False,
           description=("VGG-style: conv3x3(32)-BN-ReLU, conv3x3(32)-BN-ReLU, maxpool2, "
                        "conv3x3(64)-BN-ReLU, conv3x3(64)-BN-ReLU, maxpool2, fc(3136->10); "
                        "padding 1, float32. BatchNorm is folded into the Conv weights "
                        "by the exporter (eval mode)."),
           training=f"Adam lr 2e-3 cosine, {FLOAT_EPOCHS} epochs, batch 64")


def vgg_small_binary_fmnist():
    C.log("binary QAT of VGG-small")
    model = VGGSmall(binary=True)
    model.load_state_dict(float_model().state_dict())
    train(model, SEED + 1, BINARY_EPOCHS, 2e-3)
    finish("vgg_small_binary_fmnist", model, "binary-qat", keep_batchnorm=True,
           description=("vgg_small with binary weights alpha_c*sign(w) (per output "
                        "channel) in conv2, conv3, conv4 and binary activations: "
                        "conv1 -> BN -> Sign, conv2 -> maxpool -> BN -> Sign, conv3 -> BN "
                        "-> Sign, conv4 -> maxpool -> BN -> Sign, float fc. Convolutions "
                        "pad with 0 (so border taps see 0, not +-1). BatchNormalization "
                        "nodes are kept in the ONNX graph before each Sign."),
           weights="binary per-output-channel (conv2, conv3, conv4)",
           activations="binary Sign after BatchNorm (inputs of conv2, conv3, conv4, fc)",
           training=f"from vgg_small_fmnist; Adam lr 2e-3 cosine, {BINARY_EPOCHS} epochs")


MODELS = {
    "vgg_small_fmnist": vgg_small_fmnist,
    "vgg_small_binary_fmnist": vgg_small_binary_fmnist,
}


def main(argv):
    C.run_models(MODELS, argv)


if __name__ == "__main__":
    main(sys.argv[1:])
