"""qctest.py - What the end-to-end test scripts share.

The repository root, the MNIST-style IDX reader (raw or gzipped, any rank)
and the tolerance comparison of two arrays that every numeric check uses.
The test scripts next to this file import it; nothing in qc does.
"""
import gzip
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read_idx(path):
    """An IDX file (unsigned bytes) as an array of its own shape; a relative
    path is taken from the repository root."""
    path = os.path.join(ROOT, path)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data[4 + 4 * ndim:], np.uint8).reshape(dims)


def read_idx_images(path):
    """N x H x W images as N x 1 x H x W, the bundled models' layout."""
    images = read_idx(path)
    return images.reshape(images.shape[0], 1, *images.shape[1:])


def compare(actual, expected, rtol=0.0, atol=0.0):
    """None when |actual - expected| <= atol + rtol * |expected| everywhere
    (and NaNs agree), else a message naming the worst element."""
    if actual.shape != expected.shape or actual.dtype != expected.dtype:
        return (f"mismatch: {actual.shape} {actual.dtype} vs "
                f"{expected.shape} {expected.dtype}")
    diff = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
    bound = atol + rtol * np.abs(expected.astype(np.float64))
    bad = diff > bound
    if np.isnan(actual).any() != np.isnan(expected).any() or bad.any():
        index = np.unravel_index(np.argmax(diff - bound), diff.shape)
        return (f"FAIL: {int(bad.sum())} of {actual.size} elements differ; "
                f"worst at {index}: {actual[index]} vs {expected[index]}")
    return None


def max_pool_nhwc(x, kernel, stride, pad):
    """Max-pool of an NHWC array with -inf padding (pad = top, bottom,
    left, right), as TOSA's max_pool2d."""
    (kh, kw), (sh, sw), (top, bottom, left, right) = kernel, stride, pad
    padded = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)),
                    constant_values=-np.inf)
    n, h, w, c = padded.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    pooled = np.empty((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            window = padded[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :]
            pooled[:, i, j, :] = window.max(axis=(1, 2))
    return pooled


def pack_bits(bits):
    """Booleans along the innermost axis packed 32 to a uint32 word
    (element 32 j + b in bit b of word j, tail bits 0)."""
    c = bits.shape[-1]
    words = np.zeros(bits.shape[:-1] + ((c + 31) // 32,), np.uint64)
    for ch in range(c):
        words[..., ch // 32] |= bits[..., ch].astype(np.uint64) << np.uint64(ch % 32)
    return words.astype(np.uint32)
