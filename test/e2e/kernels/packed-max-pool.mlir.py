"""numpy reference for packed-max-pool.mlir: binary quantization, float
max-pool with -inf padding, then signs packed (bit 1 = negative, channel
32 * j + t in bit t of word j, tail bits 0)."""
import sys

import numpy as np

x = np.load(sys.argv[1]).astype(np.float64)
values = np.where(x < 0, -0.5, 0.5)
kh, kw, sh, sw = 3, 3, 2, 2
top, bottom, left, right = 1, 1, 0, 1
padded = np.pad(values, ((0, 0), (top, bottom), (left, right), (0, 0)),
                constant_values=-np.inf)
n, h, w, c = padded.shape
oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
pooled = np.empty((n, oh, ow, c))
for i in range(oh):
    for j in range(ow):
        window = padded[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :]
        pooled[:, i, j, :] = window.max(axis=(1, 2))
words = np.zeros((n, oh, ow, (c + 31) // 32), np.uint64)
for ch in range(c):
    words[..., ch // 32] |= (pooled[..., ch] < 0).astype(np.uint64) << np.uint64(ch % 32)
expected = words.astype(np.uint32)

set_bits = int((pooled < 0).sum())
if not 0 < set_bits < pooled.size:
    print("FAIL: degenerate input,", set_bits, "of", pooled.size, "set")
    sys.exit(1)
for path in sys.argv[2:]:
    y = np.load(path)
    if y.shape != expected.shape or not (y.view(np.uint32) == expected).all():
        print("FAIL", path, "\n", y.view(np.uint32), "\n", expected)
        sys.exit(1)
print("ok:", set_bits, "of", pooled.size, "pooled signs negative")
