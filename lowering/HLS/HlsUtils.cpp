//===- HlsUtils.cpp - Helpers the FPGA passes share -----------------------===//
//
// Implements HlsUtils.h.
//
//===----------------------------------------------------------------------===//

#include "lowering/HLS/HlsUtils.h"

#include "dialects/QC/QCTypes.h"
#include "passes/Analysis/HlsLayers.h"

using namespace mlir;
using namespace mlir::qc;

FailureOr<func::FuncOp> mlir::qc::findHlsFunction(ModuleOp module,
                                                  StringRef pass) {
  SmallVector<func::FuncOp> funcs;
  for (auto func : module.getOps<func::FuncOp>()) {
    auto hasKernel = [](Operation *op) {
      return isHlsMacKernel(op) ? WalkResult::interrupt()
                                : WalkResult::advance();
    };
    if (!func.isExternal() && func.walk(hasKernel).wasInterrupted())
      funcs.push_back(func);
  }
  if (funcs.size() > 1)
    return module.emitError(pass)
           << ": expected one function with quantized kernels for the FPGA, "
              "found "
           << funcs.size();
  if (funcs.empty())
    return module.emitError(pass)
           << ": expected one function with quantized kernels for the FPGA, "
              "found 0 (layers on the integer-MAC route, every W4A4 layer "
              "among them, have no FPGA kernel yet; --mac-route ternary or "
              "bitserial keeps a layer on its popcount kernel where its "
              "weights allow)";
  return funcs.front();
}

SmallVector<int64_t> mlir::qc::getKeptLevels(Type type) {
  Type element = getElementTypeOrSelf(type);
  auto isOne = [](DenseF64ArrayAttr values) {
    return values.size() == 1 && values[0] == 1.0;
  };
  if (auto binary = dyn_cast<BinaryType>(element))
    if (isOne(binary.getAlpha()))
      return {-1, 1};
  if (auto ternary = dyn_cast<TernaryType>(element))
    if (isOne(ternary.getAlphaN()) && isOne(ternary.getAlphaP()) &&
        ternary.getDelta().size() == 1 && ternary.getDelta()[0] >= 0 &&
        ternary.getDelta()[0] < 1)
      return {-1, 0, 1};
  return {};
}
