"""numpy reference for threshold-pack.mlir: max-pool of the integer sums
(padding never wins), per channel the number of thresholds reached (x >=
t) minus 1, then the sign bits and the nonzero bits packed 32 channels to
a word (channel 32 j + b in bit b of word j, tail bits 0), signs first."""
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "lib"))
from qctest import max_pool_nhwc, pack_bits  # noqa: E402

source = open(sys.argv[0][:-3]).read()
table = re.search(r"dense<(\[\[.*?\]\])> : tensor<40x2xf32>", source).group(1)
table = table.replace("0xFF800000", "-np.inf").replace("0x7F800000", "np.inf")
thresholds = np.array(eval(table), np.float64)

x = np.load(sys.argv[1]).astype(np.float64)
pooled = max_pool_nhwc(x, (3, 3), (2, 2), (1, 1, 0, 1))
level = (pooled[..., None] >= thresholds).sum(axis=-1) - 1

expected = np.concatenate([pack_bits(level < 0), pack_bits(level != 0)], axis=-1)
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
