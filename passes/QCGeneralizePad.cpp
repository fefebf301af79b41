//===- QCGeneralizePad.cpp - tensor.pad as fill + insert_slice ------------===//
//
// Implements qc-generalize-pad with upstream's GeneralizePadOpPattern.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCGENERALIZEPAD
#include "passes/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;

namespace {
struct QCGeneralizePadPass
    : public qc::impl::QCGeneralizePadBase<QCGeneralizePadPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<linalg::GeneralizePadOpPattern>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
