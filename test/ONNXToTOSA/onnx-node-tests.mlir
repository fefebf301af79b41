// ONNX's own node tests for the supported op types: the ones listed as
// importable must import and verify, the others must be rejected with an
// error. libonnx-testdata comes with scripts/install-deps.sh.

// RUN: %python %S/Inputs/import_node_tests.py qc-translate qc-opt /usr/share/libonnx-testdata/data/node | FileCheck %s
// CHECK: imported 179, rejected 85, failures 0
