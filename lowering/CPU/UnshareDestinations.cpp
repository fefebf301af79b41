//===- UnshareDestinations.cpp - One destination tensor per linalg op -----===//
//
// Implements qc-unshare-destinations (see Passes.td): the empty tensors and
// initializing fills that CSE shares between layers are cloned before each
// further destination use, so that one-shot bufferization finds every layer
// in place without comparing it with all the others.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_QCUNSHAREDESTINATIONS
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;

namespace {

/// Whether `op` initializes a fresh tensor without reading it: a fill, or an
/// all-parallel generic without inputs whose body ignores the output's
/// element, of a `tensor.empty`.
bool isInitializer(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || linalgOp.getNumDpsInits() != 1 ||
      !linalgOp.getDpsInits()[0].getDefiningOp<tensor::EmptyOp>())
    return false;
  if (isa<linalg::FillOp>(op))
    return true;
  auto generic = dyn_cast<linalg::GenericOp>(op);
  return generic && generic.getNumDpsInputs() == 0 &&
         generic.getNumLoops() == generic.getNumParallelLoops() &&
         !generic.payloadUsesValueFromOperand(generic.getDpsInitOperand(0));
}

struct QCUnshareDestinationsPass
    : public qc::impl::QCUnshareDestinationsBase<QCUnshareDestinationsPass> {
  void runOnOperation() override {
    DenseSet<Operation *> used;
    OpBuilder builder(&getContext());
    getOperation().walk([&](DestinationStyleOpInterface user) {
      for (OpOperand &init : user.getDpsInitsMutable()) {
        Operation *producer = init.get().getDefiningOp();
        if (!producer || producer->getNumResults() != 1 ||
            !(isa<tensor::EmptyOp>(producer) || isInitializer(producer)))
          continue;
        // The first destination use keeps the original.
        if (used.insert(producer).second)
          continue;
        builder.setInsertionPoint(user);
        IRMapping mapping;
        if (!isa<tensor::EmptyOp>(producer)) {
          Operation *empty = cast<DestinationStyleOpInterface>(producer)
                                 .getDpsInits()[0]
                                 .getDefiningOp();
          mapping.map(empty->getResult(0), builder.clone(*empty)->getResult(0));
        }
        init.set(builder.clone(*producer, mapping)->getResult(0));
      }
    });
  }
};

} // namespace
