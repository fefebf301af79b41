#!/usr/bin/env python3
"""make_binary_resnet.py - A small binary ResNet as ONNX, for the e2e tests.

The layout of scripts/export_torchvision.py's resnet18_binary at a fraction
of its size, with every convolution binary so that the float arithmetic
left between the layers (batch norms, residual additions, ReLU, average
pooling) is elementwise or a fixed-order sum, and the same bits on every
path: a binary stem (3x3, sign of the input, +-alpha weights per output
channel), BN and ReLU; torchvision BasicBlocks whose 3x3 convolutions take
the sign of their input (two of 32 channels, then a strided one of 64
whose shortcut is a binary 1x1 convolution and BN); global average
pooling; and a binary dense layer with a bias that writes the logits.
Random (seeded) weights and BN statistics; dynamic batch.

usage: make_binary_resnet.py OUT.onnx [--size 16] [--seed 0]
"""
import argparse
import sys

import torch
import torchvision


def binarize(module):
    """Weights of +-alpha per output channel, alpha the channel's mean |w|."""
    with torch.no_grad():
        w = module.weight
        dims = tuple(range(1, w.dim()))
        alpha = w.abs().mean(dim=dims, keepdim=True)
        w.copy_(torch.where(w >= 0, alpha, -alpha))


class Sign(torch.nn.Module):
    """A binarized layer: the sign of its input, then `layer`."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer
        binarize(layer)

    def forward(self, x):
        return self.layer(torch.sign(x))


def bn(channels, generator):
    """BN with random statistics (as export_torchvision.py randomizes)."""
    b = torch.nn.BatchNorm2d(channels)
    with torch.no_grad():
        b.running_mean.copy_(0.1 * torch.randn(channels, generator=generator))
        b.running_var.copy_(0.5 + torch.rand(channels, generator=generator))
        b.weight.copy_(0.5 + torch.rand(channels, generator=generator))
        b.bias.copy_(0.1 * torch.randn(channels, generator=generator))
    return b


class Net(torch.nn.Module):
    def __init__(self, generator):
        super().__init__()
        block = torchvision.models.resnet.BasicBlock
        self.stem = torch.nn.Sequential(
            Sign(torch.nn.Conv2d(3, 32, 3, 1, 1, bias=False)),
            bn(32, generator), torch.nn.ReLU())
        down = torch.nn.Sequential(
            Sign(torch.nn.Conv2d(32, 64, 1, 2, bias=False)), bn(64, generator))
        self.blocks = torch.nn.Sequential(block(32, 32), block(32, 32),
                                          block(32, 64, 2, down))
        for b in self.blocks:
            b.conv1 = Sign(b.conv1)
            b.conv2 = Sign(b.conv2)
            b.bn1 = bn(b.bn1.num_features, generator)
            b.bn2 = bn(b.bn2.num_features, generator)
        self.dense = Sign(torch.nn.Linear(64, 10))

    def forward(self, x):
        x = self.blocks(self.stem(x))
        x = torch.flatten(torch.nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return self.dense(x)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--size", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    model = Net(torch.Generator().manual_seed(args.seed)).eval()
    x = torch.randn(1, 3, args.size, args.size)
    with torch.no_grad():
        torch.onnx.export(model, x, args.out, opset_version=13,
                          input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "n"}, "logits": {0: "n"}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
