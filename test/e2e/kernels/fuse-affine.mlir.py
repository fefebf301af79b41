"""numpy reference for fuse-affine.mlir.

generate DIR: writes a.npy (5 rows of 40 random signs packed into two i32
words, bit 1 = -1, tail bits 0) and x.npy (a 2x4x4x3 NHWC input).
check DIR: compares reference{0,1,2}.npy (unfused) and fused{0,1,2}.npy
with float64 results computed here from the unpacked signs and a direct
convolution loop."""
import os
import sys

import numpy as np

DEPTH = 40
W_WORDS = [[252645135, 171], [305419896, 90], [-1, 255]]
S = np.array([0.5, -0.25, 1.0])
T = np.array([1.0, 2.0, -3.0])
G = np.array([2.0, 0.5, -1.5])
BETA = np.array([0.25, -1.0, 4.0])
CONV_W = np.array([((o * 27 + h * 9 + x * 3 + i) % 7 - 3) * 0.25
                   for o in range(2) for h in range(3) for x in range(3)
                   for i in range(3)]).reshape(2, 3, 3, 3)
CONV_B = np.array([0.1, -0.2])
BN_A = np.array([1.5, -0.5])
BN_B = np.array([0.3, 0.7])


def unpack(words):
    """+-1 values of the first DEPTH bits of each row of words."""
    words = np.asarray(words, np.int64) & 0xFFFFFFFF
    bits = [(words[:, k // 32] >> (k % 32)) & 1 for k in range(DEPTH)]
    return 1.0 - 2.0 * np.stack(bits, axis=1)


directory = sys.argv[2]
if sys.argv[1] == "generate":
    rng = np.random.default_rng(3)
    bits = rng.integers(0, 2, (5, DEPTH))
    words = np.zeros((5, 2), np.uint32)
    for k in range(DEPTH):
        words[:, k // 32] |= (bits[:, k] << (k % 32)).astype(np.uint32)
    np.save(os.path.join(directory, "a.npy"), words.view(np.int32))
    x = rng.standard_normal((2, 4, 4, 3)).astype(np.float32)
    np.save(os.path.join(directory, "x.npy"), x)
    sys.exit(0)

a = np.load(os.path.join(directory, "a.npy"))
x = np.load(os.path.join(directory, "x.npy")).astype(np.float64)
acc = unpack(a) @ unpack(W_WORDS).T
expected = [(acc * S + T) * G + BETA, np.maximum(acc, 0) * G + BETA]
padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
conv = np.zeros((2, 4, 4, 2))
for i in range(4):
    for j in range(4):
        window = padded[:, i:i + 3, j:j + 3, :]
        conv[:, i, j, :] = np.einsum("nhwc,ohwc->no", window, CONV_W) + CONV_B
nchw = conv.transpose(0, 3, 1, 2)
expected.append(nchw * BN_A[None, :, None, None] + BN_B[None, :, None, None])

for k, want in enumerate(expected):
    for kind in ("reference", "fused"):
        got = np.load(os.path.join(directory, f"{kind}{k}.npy"))
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-5,
                                                      atol=1e-5):
            print(f"FAIL {kind}{k}\n", got, "\n", want)
            sys.exit(1)
print("ok")
