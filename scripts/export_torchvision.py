#!/usr/bin/python3
"""export_torchvision.py - torchvision classifiers as ONNX, as torch exports them.

Exports the torchvision image classifiers that qc's importer is checked
against (and resnet18_binary, ResNet-18 with binary 3x3 convolutions in its
blocks: see binarize_3x3_convs) with random weights (nothing is downloaded: weights=None), in eval
mode, at ONNX opset 13 with torch's default exporter settings (constant
folding on), batch 1, 3 x SIZE x SIZE input named "input", output "logits".
BatchNorm running statistics and affine parameters are randomized too
(seeded), so that every BatchNormalization does real work.

Needs Debian's python3-torch and python3-torchvision:

    /usr/bin/python3 scripts/export_torchvision.py OUTDIR [--models a,b] [--size 224]

Prints one line per model: name, file, seconds taken.
"""
import argparse
import os
import sys
import time

MODELS = ["resnet18", "mobilenet_v2", "squeezenet1_1", "shufflenet_v2_x1_0",
          "googlenet", "efficientnet_b0", "densenet121"]
# Variants for the bench, exported on request only (not in the importer's
# checked set).
VARIANTS = ["resnet18_binary"]


def binarize_3x3_convs(model):
    """resnet18_binary: every 3x3 convolution after the stem (those of the
    residual blocks) takes the sign of its input and weights of +-alpha per
    output channel (alpha = mean |w| of the channel, XNOR-Net), as a binary
    ResNet-18 for speed measurements (the weights stay random)."""
    import torch

    class SignConv(torch.nn.Module):
        def __init__(self, conv):
            super().__init__()
            self.conv = conv
            with torch.no_grad():
                w = conv.weight
                alpha = w.abs().mean(dim=(1, 2, 3), keepdim=True)
                w.copy_(torch.where(w >= 0, alpha, -alpha))

        def forward(self, x):
            return self.conv(torch.sign(x))

    for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
        for block in layer:
            block.conv1 = SignConv(block.conv1)
            block.conv2 = SignConv(block.conv2)
    return model


def build(name):
    import torchvision
    if name == "resnet18_binary":
        return binarize_3x3_convs(build("resnet18"))
    kwargs = {"weights": None}
    if name == "googlenet":
        kwargs.update(aux_logits=False, init_weights=True)
    return getattr(torchvision.models, name)(**kwargs)


def randomize_batchnorm(model, generator):
    import torch
    for module in model.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
            n = module.num_features
            with torch.no_grad():
                module.running_mean.copy_(0.1 * torch.randn(n, generator=generator))
                module.running_var.copy_(0.5 + torch.rand(n, generator=generator))
                if module.affine:
                    module.weight.copy_(0.5 + torch.rand(n, generator=generator))
                    module.bias.copy_(0.1 * torch.randn(n, generator=generator))


def export(name, outdir, size, opset, seed):
    import torch
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = build(name).eval()
    randomize_batchnorm(model, generator)
    x = torch.randn(1, 3, size, size, generator=generator)
    path = os.path.join(outdir, f"{name}.onnx")
    with torch.no_grad():
        torch.onnx.export(model, x, path, opset_version=opset,
                          input_names=["input"], output_names=["logits"])
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--opset", type=int, default=13)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    for name in args.models.split(","):
        if name not in MODELS + VARIANTS:
            print(f"unknown model '{name}'; known: {', '.join(MODELS + VARIANTS)}",
                  file=sys.stderr)
            return 2
        start = time.monotonic()
        path = export(name, args.outdir, args.size, args.opset, args.seed)
        print(f"{name} {path} {time.monotonic() - start:.1f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
