// Pad, Slice, Split and the reductions reject what they cannot compile with
// an error naming the node and the reason: parameters given as run-time
// inputs, reflect pads beyond the tensor, split sizes that do not add up,
// and a mean over a dynamic extent.

// RUN: not qc-translate --import-onnx %S/Inputs/pad-runtime-pads.onnx 2>&1 | FileCheck %s --check-prefix=PADS
// PADS: error: node 'pad_runtime' (Pad): pads must be a 1-D integer tensor known at import time

// RUN: not qc-translate --import-onnx %S/Inputs/pad-reflect-too-far.onnx 2>&1 | FileCheck %s --check-prefix=REFLECT
// REFLECT: error: node 'pad_reflect' (Pad): reflect pads 3, 0 of axis 1 must be smaller than its extent 3

// RUN: not qc-translate --import-onnx %S/Inputs/slice-runtime-ends.onnx 2>&1 | FileCheck %s --check-prefix=ENDS
// ENDS: error: node 'slice_runtime' (Slice): ends must be a 1-D integer tensor known at import time

// RUN: not qc-translate --import-onnx %S/Inputs/split-bad-sizes.onnx 2>&1 | FileCheck %s --check-prefix=SPLIT
// SPLIT: error: node 'split_bad' (Split): split sizes add up to 3, not the extent 4 of axis 1

// RUN: not qc-translate --import-onnx %S/Inputs/reduce-mean-dynamic.onnx 2>&1 | FileCheck %s --check-prefix=MEAN
// MEAN: error: node 'mean_batch' (ReduceMean): the mean over axis 0 of 'tensor<?x4xf32>' needs a static extent
