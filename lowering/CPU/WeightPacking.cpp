//===- WeightPacking.cpp - Constant weights in the ukernels' layouts ------===//
//
// Implements WeightPacking.h: every layout is a map from packed element to
// source element (-1 for padding), applied by copying bytes.
//
//===----------------------------------------------------------------------===//

#include "lowering/CPU/WeightPacking.h"

#include "runtime/RuntimeCalls.h"

#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <vector>

using namespace mlir;

int64_t qc::padChannels(int64_t count) {
  int64_t m = qc::kPackedChannelMultiple;
  return (count + m - 1) / m * m;
}

/// `weights` rearranged into `shape`: packed element p holds source element
/// layout[p], or zero where layout[p] is -1. Elements move as bytes,
/// whatever their type.
static DenseElementsAttr applyLayout(DenseElementsAttr weights,
                                     ArrayRef<int64_t> shape,
                                     const std::vector<int64_t> &layout) {
  Type element = weights.getElementType();
  size_t bytes = element.getIntOrFloatBitWidth() / 8;
  ArrayRef<char> raw = weights.getRawData();
  std::vector<char> packed(layout.size() * bytes, 0);
  for (size_t i = 0; i < layout.size(); ++i)
    if (layout[i] >= 0)
      std::copy_n(raw.data() + (weights.isSplat() ? 0 : layout[i] * bytes),
                  bytes, packed.data() + i * bytes);
  return DenseElementsAttr::getFromRawBuffer(
      RankedTensorType::get(shape, element), packed);
}

DenseElementsAttr qc::packLayerWeights(DenseElementsAttr weights, bool integer,
                                       int64_t f, int64_t kh, int64_t kw,
                                       int64_t c, WeightSource source) {
  const int64_t fp = padChannels(f), panel = kPackedChannelMultiple;
  std::vector<int64_t> layout(kh * kw * c * fp, -1);
  for (int64_t o = 0; o < f; ++o)
    for (int64_t y = 0; y < kh; ++y)
      for (int64_t x = 0; x < kw; ++x)
        for (int64_t i = 0; i < c; ++i) {
          int64_t at =
              integer ? ((y * kw + x) * c + i) * fp + o
                      : ((((o / panel) * kh + y) * kw + x) * c + i) * panel +
                            o % panel;
          layout[at] = source(o, y, x, i);
        }
  if (integer)
    return applyLayout(weights, {kh, kw, c, fp}, layout);
  return applyLayout(weights, {fp / panel, kh, kw, c, panel}, layout);
}

DenseElementsAttr qc::packDotWeights(DenseElementsAttr weights, int64_t f,
                                     int64_t kh, int64_t kw, int64_t c,
                                     WeightSource source) {
  const int64_t fp = padChannels(f), panel = kPackedChannelMultiple;
  const int64_t blocks = (c + 3) / 4;
  std::vector<int64_t> layout(kh * kw * blocks * fp * 4, -1);
  for (int64_t o = 0; o < f; ++o)
    for (int64_t y = 0; y < kh; ++y)
      for (int64_t x = 0; x < kw; ++x)
        for (int64_t i = 0; i < c; ++i)
          layout[(
              (((((o / panel) * kh + y) * kw + x) * blocks + i / 4) * panel +
               o % panel) *
                  4 +
              i % 4)] = source(o, y, x, i);
  return applyLayout(weights, {fp / panel, kh, kw, blocks, panel, 4}, layout);
}

DenseElementsAttr qc::getFilterSums(DenseElementsAttr weights, int64_t f,
                                    int64_t kh, int64_t kw, int64_t c,
                                    WeightSource source) {
  std::vector<int32_t> sums(padChannels(f), 0);
  auto values = llvm::to_vector(weights.getValues<int8_t>());
  for (int64_t o = 0; o < f; ++o)
    for (int64_t y = 0; y < kh; ++y)
      for (int64_t x = 0; x < kw; ++x)
        for (int64_t i = 0; i < c; ++i)
          sums[o] += values[weights.isSplat() ? 0 : source(o, y, x, i)];
  auto type = RankedTensorType::get({int64_t(sums.size())},
                                    IntegerType::get(weights.getContext(), 32));
  return DenseElementsAttr::get(type, ArrayRef<int32_t>(sums));
}
