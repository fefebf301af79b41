// RUN: qc-translate --mlir-to-llvmir %s | FileCheck %s
// RUN: not qc-translate --mlir-to-llvmir %S/Inputs/not-llvm.mlir 2>&1 | FileCheck %s --check-prefix=ERR

// The last step of the CPU path: LLVM-dialect IR to LLVM IR.

// CHECK-LABEL: define i32 @popcount_xor(i32 %0, i32 %1)
// CHECK: %[[X:.*]] = xor i32 %0, %1
// CHECK: call i32 @llvm.ctpop.i32(i32 %[[X]])
llvm.func @popcount_xor(%a: i32, %b: i32) -> i32 {
  %x = llvm.xor %a, %b : i32
  %p = llvm.intr.ctpop(%x) : (i32) -> i32
  llvm.return %p : i32
}

// Ops that are not in the LLVM dialect are reported, with their location.
// ERR: not-llvm.mlir:3:1: error: cannot be converted to LLVM IR: missing `LLVMTranslationDialectInterface` registration for dialect for op: func.func
