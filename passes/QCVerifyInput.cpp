//===- QCVerifyInput.cpp - Reject IR that verifies but crashes later ------===//
//
// Implements qc-verify-input, the first pass of qc's pipelines: the checks
// of passes/Analysis/InputVerification.h as a pass.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/InputVerification.h"
#include "passes/Passes.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCVERIFYINPUT
#include "passes/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;

namespace {
struct QCVerifyInputPass
    : public qc::impl::QCVerifyInputBase<QCVerifyInputPass> {
  void runOnOperation() override {
    if (failed(qc::verifyModelInput(getOperation())))
      signalPassFailure();
  }
};
} // namespace
