"""numpy reference for threshold-pack.mlir: max-pool of the integer sums
(padding never wins), per channel the number of thresholds reached (x >=
t) minus 1, then the sign bits and the nonzero bits packed 32 channels to
a word (channel 32 j + b in bit b of word j, tail bits 0), signs first."""
import re
import sys

import numpy as np

source = open(sys.argv[0][:-3]).read()
table = re.search(r"dense<(\[\[.*?\]\])> : tensor<40x2xf32>", source).group(1)
table = table.replace("0xFF800000", "-np.inf").replace("0x7F800000", "np.inf")
thresholds = np.array(eval(table), np.float64)

x = np.load(sys.argv[1]).astype(np.float64)
kh, kw, sh, sw = 3, 3, 2, 2
top, bottom, left, right = 1, 1, 0, 1
padded = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)),
                constant_values=-np.inf)
n, h, w, c = padded.shape
oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
pooled = np.empty((n, oh, ow, c))
for i in range(oh):
    for j in range(ow):
        window = padded[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :]
        pooled[:, i, j, :] = window.max(axis=(1, 2))
level = (pooled[..., None] >= thresholds).sum(axis=-1) - 1


def pack(bits):
    words = np.zeros(bits.shape[:-1] + ((c + 31) // 32,), np.uint64)
    for ch in range(c):
        words[..., ch // 32] |= bits[..., ch].astype(np.uint64) << np.uint64(ch % 32)
    return words.astype(np.uint32)


expected = np.concatenate([pack(level < 0), pack(level != 0)], axis=-1)
counts = [int((level == v).sum()) for v in (-1, 0, 1)]
if min(counts) == 0:
    print("FAIL: degenerate levels", counts)
    sys.exit(1)
for path in sys.argv[2:]:
    y = np.load(path)
    if y.shape != expected.shape or not (y.view(np.uint32) == expected).all():
        print("FAIL", path, "\n", y.view(np.uint32), "\n", expected)
        sys.exit(1)
print("ok: levels -1/0/+1:", counts)
