// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np, sys; np.save(sys.argv[1], np.ones((2, 4), np.float32)); np.save(sys.argv[2], np.ones((3, 4), np.float32))" %t/a.npy %t/b.npy
// RUN: not qc-run %s --input %t/a.npy --input %t/b.npy --output %t/y.npy 2>&1 | FileCheck %s
// RUN: not ls %t/y.npy
// RUN: qc-run %s --input %t/a.npy --input %t/a.npy --output %t/y.npy
// RUN: %python -c "import numpy as np, sys; y = np.load(sys.argv[1]); assert y.shape == (2, 4) and (y == 2).all(), y" %t/y.npy

// Both inputs have a dynamic batch, which sizes the output: inputs of
// different batch sizes are an error, not a heap overrun.
// CHECK: input #1 has batch 3 but input #0 has 2; inputs must share the batch size

func.func @main(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = tosa.add %a, %b : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
