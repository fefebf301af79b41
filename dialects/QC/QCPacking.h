//===- QCPacking.h - Packing quantized codes into words ---------*- C++ -*-===//
//
// The one definition of how qc stores quantized tensors: codes packed along
// the innermost axis into 32- or 64-bit words, floor(wordBits / codeBits)
// codes per word, lowest bits first, unused bits zero. Binary codes are one
// bit (1 = -1), so packed binary tensors follow the bitpack convention.
//
//===----------------------------------------------------------------------===//

#ifndef QC_DIALECTS_QC_QCPACKING_H
#define QC_DIALECTS_QC_QCPACKING_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir {
namespace qc {
class QuantizedTypeInterface;

/// Codes of `codeBits` bits that fit in one word of `wordBits` bits.
inline int64_t getCodesPerWord(unsigned codeBits, unsigned wordBits) {
  return wordBits / codeBits;
}

/// Shape of the packed words for an unpacked `shape`; a dynamic innermost
/// extent stays dynamic.
SmallVector<int64_t> getPackedShape(ArrayRef<int64_t> shape,
                                    unsigned codeBits, unsigned wordBits);

/// Index along `axis` of the element at row-major position `linear`.
int64_t getIndexAlongAxis(int64_t linear, ArrayRef<int64_t> shape,
                          int64_t axis);

/// Packs `codes` (row-major over the static `shape`) into words.
DenseIntElementsAttr packCodes(ArrayRef<uint64_t> codes,
                               ArrayRef<int64_t> shape, unsigned codeBits,
                               IntegerType wordType);

/// Unpacks the codes of a tensor of static `shape` from `words`.
SmallVector<uint64_t> unpackCodes(DenseIntElementsAttr words,
                                  ArrayRef<int64_t> shape, unsigned codeBits);

/// Quantizes float `values` of a tensor of static `shape` to codes of
/// `type`, honouring its per-axis parameters.
SmallVector<uint64_t> quantizeValues(QuantizedTypeInterface type,
                                     DenseFPElementsAttr values,
                                     ArrayRef<int64_t> shape);

/// The real values that `codes` of `type` stand for.
SmallVector<double> dequantizeCodes(QuantizedTypeInterface type,
                                    ArrayRef<uint64_t> codes,
                                    ArrayRef<int64_t> shape);

} // namespace qc
} // namespace mlir

#endif // QC_DIALECTS_QC_QCPACKING_H
