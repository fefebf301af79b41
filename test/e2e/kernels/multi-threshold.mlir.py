"""numpy reference for multi-threshold.mlir."""
import sys

import numpy as np

x = np.load(sys.argv[1]).astype(np.float64)
y = np.load(sys.argv[2])
t = np.array([[-1.0, 0.0, 1.0], [0.5, 0.5, 2.0], [-np.inf, 0.0, np.inf],
              [-8.0, 0.0, 7.0]])
count = (x[:, :, None] >= t[None, :, :]).sum(axis=2)
expected = (count * 2.0 - 3.0).astype(np.float32)
if y.shape != expected.shape or not (y == expected).all():
    print("FAIL\n", y, "\n", expected)
    sys.exit(1)
print("ok")
