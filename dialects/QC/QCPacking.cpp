//===- QCPacking.cpp - Packing quantized codes into words -----------------===//
//
// Implements the packed storage format described in QCPacking.h.
//
//===----------------------------------------------------------------------===//

#include "dialects/QC/QCPacking.h"
#include "dialects/QC/QCTypes.h"

using namespace mlir;
using namespace mlir::qc;

SmallVector<int64_t> mlir::qc::getPackedShape(ArrayRef<int64_t> shape,
                                              unsigned codeBits,
                                              unsigned wordBits) {
  SmallVector<int64_t> packed(shape);
  if (packed.empty())
    return packed;
  int64_t perWord = getCodesPerWord(codeBits, wordBits);
  if (!ShapedType::isDynamic(packed.back()))
    packed.back() = llvm::divideCeil(packed.back(), perWord);
  return packed;
}

int64_t mlir::qc::getIndexAlongAxis(int64_t linear, ArrayRef<int64_t> shape,
                                    int64_t axis) {
  int64_t inner = 1;
  for (size_t d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  return (linear / inner) % shape[axis];
}

DenseIntElementsAttr mlir::qc::packCodes(ArrayRef<uint64_t> codes,
                                         ArrayRef<int64_t> shape,
                                         unsigned codeBits,
                                         IntegerType wordType) {
  unsigned wordBits = wordType.getWidth();
  int64_t perWord = getCodesPerWord(codeBits, wordBits);
  int64_t inner = shape.empty() ? 1 : shape.back();
  int64_t outer = inner == 0 ? 0 : static_cast<int64_t>(codes.size()) / inner;
  int64_t wordsPerRow = llvm::divideCeil(inner, perWord);
  uint64_t mask = codeBits == 64 ? ~uint64_t(0) : (uint64_t(1) << codeBits) - 1;
  SmallVector<APInt> words(outer * wordsPerRow, APInt(wordBits, 0));
  for (int64_t row = 0; row < outer; ++row)
    for (int64_t i = 0; i < inner; ++i) {
      uint64_t code = codes[row * inner + i] & mask;
      APInt &word = words[row * wordsPerRow + i / perWord];
      word |= APInt(wordBits, code) << ((i % perWord) * codeBits);
    }
  auto type = RankedTensorType::get(getPackedShape(shape, codeBits, wordBits),
                                    wordType);
  return DenseIntElementsAttr::get(type, words);
}

SmallVector<uint64_t> mlir::qc::unpackCodes(DenseIntElementsAttr words,
                                            ArrayRef<int64_t> shape,
                                            unsigned codeBits) {
  unsigned wordBits = words.getElementType().getIntOrFloatBitWidth();
  int64_t perWord = getCodesPerWord(codeBits, wordBits);
  int64_t inner = shape.empty() ? 1 : shape.back();
  int64_t wordsPerRow = llvm::divideCeil(inner, perWord);
  int64_t outer = wordsPerRow == 0 ? 0 : words.getNumElements() / wordsPerRow;
  SmallVector<APInt> packed(words.getValues<APInt>());
  SmallVector<uint64_t> codes;
  codes.reserve(outer * inner);
  for (int64_t row = 0; row < outer; ++row)
    for (int64_t i = 0; i < inner; ++i) {
      const APInt &word = packed[row * wordsPerRow + i / perWord];
      codes.push_back(
          word.extractBitsAsZExtValue(codeBits, (i % perWord) * codeBits));
    }
  return codes;
}

SmallVector<uint64_t> mlir::qc::quantizeValues(QuantizedTypeInterface type,
                                               DenseFPElementsAttr values,
                                               ArrayRef<int64_t> shape) {
  int64_t axis = type.getQuantAxis();
  SmallVector<uint64_t> codes;
  codes.reserve(values.getNumElements());
  int64_t i = 0;
  for (const APFloat &v : values.getValues<APFloat>()) {
    int64_t channel = axis < 0 ? 0 : getIndexAlongAxis(i, shape, axis);
    codes.push_back(type.quantizeToCode(v.convertToDouble(), channel));
    ++i;
  }
  return codes;
}

SmallVector<double> mlir::qc::dequantizeCodes(QuantizedTypeInterface type,
                                              ArrayRef<uint64_t> codes,
                                              ArrayRef<int64_t> shape) {
  int64_t axis = type.getQuantAxis();
  SmallVector<double> values;
  values.reserve(codes.size());
  for (auto [i, code] : llvm::enumerate(codes)) {
    int64_t channel = axis < 0 ? 0 : getIndexAlongAxis(i, shape, axis);
    values.push_back(type.dequantizeCode(code, channel));
  }
  return values;
}
