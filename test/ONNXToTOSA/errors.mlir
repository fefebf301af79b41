// Malformed and unsupported models give an `error:` naming the file, the
// node and the tensor involved, and a non-zero exit code; every unsupported
// node is reported in one run.

// RUN: not qc-translate --import-onnx %S/Inputs/truncated.onnx 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// RUN: head -c 100 %S/Inputs/lenet.onnx > %t.head.onnx
// RUN: not qc-translate --import-onnx %t.head.onnx 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: .onnx:0:0: error: not a valid ONNX ModelProto: protobuf parsing failed (truncated or corrupt file?)

// RUN: not qc-translate --import-onnx %S/Inputs/random.onnx 2>&1 | FileCheck %s --check-prefix=RANDOM
// RANDOM: random.onnx:0:0: error: not a valid ONNX ModelProto

// A valid protobuf message that is not a model.
// RUN: not qc-translate --import-onnx %S/Inputs/no-graph.onnx 2>&1 | FileCheck %s --check-prefix=NOGRAPH
// NOGRAPH: no-graph.onnx:0:0: error: not a valid ONNX ModelProto: no ir_version

// RUN: printf '' > %t.empty.onnx
// RUN: not qc-translate --import-onnx %t.empty.onnx 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: error: not a valid ONNX ModelProto: the file is empty

// Both unsupported nodes are listed, the supported one between them is not.
// RUN: not qc-translate --import-onnx %S/Inputs/unsupported.onnx 2>&1 | FileCheck %s --check-prefix=UNKNOWN_OPS
// UNKNOWN_OPS: unsupported.onnx:0:0: error: unsupported ONNX op 'Erf' (domain 'ai.onnx', opset 13) in node 'erf1'
// UNKNOWN_OPS-NOT: Relu
// UNKNOWN_OPS: unsupported.onnx:0:0: error: unsupported ONNX op 'FancyOp' (domain 'com.example', opset 3) in node 'fancy'
// UNKNOWN_OPS-NOT: error

// RUN: not qc-translate --import-onnx %S/Inputs/missing-initializer.onnx 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: node 'conv' (Conv) uses 'missing_w', which is not a graph input, an initializer or the output of an earlier node

// RUN: not qc-translate --import-onnx %S/Inputs/external-data.onnx 2>&1 | FileCheck %s --check-prefix=EXTERNAL
// EXTERNAL: error: node 'conv' (Conv): tensor 'w_ext' stores its data in an external file

// RUN: not qc-translate --import-onnx %S/Inputs/bad-raw-data.onnx 2>&1 | FileCheck %s --check-prefix=RAW
// RAW: error: node 'conv' (Conv): tensor 'w_short' has 12 bytes of raw data, expected 36 for shape [1, 1, 3, 3]

// RUN: not qc-translate --import-onnx %S/Inputs/opset-missing.onnx 2>&1 | FileCheck %s --check-prefix=OPSET
// OPSET: error: node 'relu' (Relu): the model imports no opset of the default ONNX domain

// RUN: not qc-translate --import-onnx %S/Inputs/reshape-allowzero-empty.onnx 2>&1 | FileCheck %s --check-prefix=EMPTYSHAPE
// EMPTYSHAPE: error: node 'allowzero' (Reshape): cannot reshape [2, 4, 3] to [0, 3, 2]
