//===- ConvertQCToLinalg.cpp - The convert-qc-to-linalg pass --------------===//
//
// Runs the reference patterns (QCToLinalg.cpp), the kernel patterns
// (KernelsToLinalg.cpp) and the packed max-pool pattern as one partial
// conversion: every qc op and quantized type is gone afterwards, and
// function signatures are converted with them.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCOps.h"
#include "lowering/Passes.h"
#include "lowering/QCToLinalg/QCToLinalg.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_CONVERTQCTOLINALG
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;
using namespace mlir::qc;

namespace {

struct ConvertQCToLinalgPass
    : public qc::impl::ConvertQCToLinalgBase<ConvertQCToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    QuantizedToFloatTypeConverter converter;
    RewritePatternSet patterns(context);
    populateQCToLinalgReferencePatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*context);
    target
        .addIllegalOp<QuantizeOp, DequantizeOp, ConstantOp, BitpackOp,
                      XnorPopcountOp, MultiThresholdOp, BitplanePackOp,
                      BitserialPopcountOp, TernaryPopcountOp, ShiftAccumulateOp,
                      CodebookAccumulateOp, ThresholdPackOp>();
    target.addIllegalOp<PackedMaxPool2dOp>();
    target.markUnknownOpDynamicallyLegal(
        [&](Operation *op) { return converter.isLegal(op); });
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp f) {
      return converter.isSignatureLegal(f.getFunctionType());
    });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
