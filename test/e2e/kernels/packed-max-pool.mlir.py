"""numpy reference for packed-max-pool.mlir: binary quantization, float
max-pool with -inf padding, then signs packed (bit 1 = negative, channel
32 * j + t in bit t of word j, tail bits 0)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "lib"))
from qctest import max_pool_nhwc, pack_bits  # noqa: E402

x = np.load(sys.argv[1]).astype(np.float64)
values = np.where(x < 0, -0.5, 0.5)
pooled = max_pool_nhwc(values, (3, 3), (2, 2), (1, 1, 0, 1))
expected = pack_bits(pooled < 0)

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
