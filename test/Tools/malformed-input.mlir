// RUN: not qc-opt %S/Inputs/truncated.mlir 2>&1 | FileCheck %s --check-prefix=TRUNC
// RUN: not qc-opt %S/Inputs/unknown-type-param.mlir 2>&1 | FileCheck %s --check-prefix=PARAM
// RUN: not qc-opt %S/Inputs/unknown-op.mlir 2>&1 | FileCheck %s --check-prefix=OP
// RUN: not qc-opt %S/Inputs/does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=MISSING

// Malformed IR gets an `error:` with a location and a non-zero exit code
// (`not` fails the test on a zero exit, and on a crash).

// TRUNC: truncated.mlir:{{[0-9]+}}:{{[0-9]+}}: error:
// PARAM: unknown-type-param.mlir:3:65: error: duplicate or unknown struct parameter name: bits
// OP: unknown-op.mlir:4:8: error: custom op 'qc.xnor_gemm' is unknown
// MISSING: cannot open input file '{{.*}}does-not-exist.mlir': No such file or directory
