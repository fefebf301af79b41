//===- Outlining.h - Consecutive ops moved into a function of their own --*- C++
//-*-===//
//
// What qc-outline-loop-nests and qc-outline-segments share: consecutive ops
// of one block become a private `noinline` function called in their place.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_CPU_OUTLINING_H
#define QC_LOWERING_CPU_OUTLINING_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace qc {

/// Moves `ops` (consecutive, in one block of `function`) into a new private
/// `noinline` function `name`, inserted before `function` and called where
/// `ops` were. The values the ops use from outside become its arguments, in
/// the order the ops first use them, except constants, which are cloned in;
/// the values they define that other ops use become its results. Linear in
/// the size of `ops` and the uses of their results (MLIR's
/// outlineSingleBlockRegion walks every use of each captured value, and
/// values such as shared constants are used all over the function).
func::FuncOp outlineOps(RewriterBase &rewriter, ArrayRef<Operation *> ops,
                        func::FuncOp function, StringRef name);

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_CPU_OUTLINING_H
