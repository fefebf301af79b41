//===- CentroidKernelCalls.cpp - Codebook layers as runtime calls ---------===//
//
// The part of convert-qc-to-runtime-calls (RuntimeCallBuilder.h) that serves
// codebook layers: the generic QCToLinalg names as a per-centroid
// accumulation (kCentroidKernelAttr) becomes a call of the runtime's
// vectorized kernel, which adds each bucket in the generic's order and so
// gives its results to the bit. The convolution's tables are rewritten from
// the generic's NHWC offsets to the planar offsets the kernel reads.
//
//===----------------------------------------------------------------------===//

#include "lowering/CPU/RuntimeCallBuilder.h"

#include "lowering/QCToLinalg/QCToLinalg.h"
#include "runtime/RuntimeCalls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::qc;

LogicalResult RuntimeCallBuilder::rewriteCentroid(linalg::GenericOp op) {
  auto info = op->getAttrOfType<DictionaryAttr>(kCentroidKernelAttr);
  if (!info || op.getNumDpsInputs() != 0 || op.getNumDpsInits() != 1 ||
      !op.hasPureBufferSemantics())
    return failure();
  auto positions = info.getAs<DenseIntElementsAttr>("positions");
  auto starts = info.getAs<DenseIntElementsAttr>("starts");
  auto centroids = info.getAs<DenseFPElementsAttr>("centroids");
  auto count = info.getAs<IntegerAttr>("count");
  Value output = op.getDpsInits()[0];
  auto outType = cast<MemRefType>(output.getType());
  if (!positions || !starts || !centroids || !count ||
      !outType.getElementType().isF32() ||
      (outType.getRank() != 4 && outType.getRank() != 2))
    return failure();
  // The input: the one buffer the body reads that is not a constant table.
  Value input;
  bool other = false;
  op.getBody()->walk([&](memref::LoadOp load) {
    Value source = load.getMemRef();
    if (source.getDefiningOp<memref::GetGlobalOp>())
      return;
    other |= input && input != source;
    input = source;
  });
  if (!input || other)
    return failure();
  auto inputType = cast<MemRefType>(input.getType());
  Type element = inputType.getElementType();
  if (inputType.getRank() != 2 || !(element.isF32() || element.isInteger(32)))
    return failure();
  bool isFloat = element.isF32();
  // The generic's starts hold k + 1 entries per output (each output's last
  // one is the next output's first); the kernel's, one per bucket and the
  // end: O * k + 1.
  int64_t k = count.getInt();
  SmallVector<int32_t> perOutput(starts.getValues<int32_t>());
  int64_t outputs = outType.getShape().back();
  if (k < 1 || static_cast<int64_t>(perOutput.size()) != outputs * (k + 1))
    return failure();
  SmallVector<int32_t> bucketStarts;
  for (int64_t o = 0; o < outputs; ++o)
    for (int64_t j = 0; j < k; ++j)
      bucketStarts.push_back(perOutput[o * (k + 1) + j]);
  bucketStarts.push_back(perOutput.back());
  OpBuilder builder(op);
  Location loc = op.getLoc();
  auto kernelStarts = DenseIntElementsAttr::get(
      RankedTensorType::get({static_cast<int64_t>(bucketStarts.size())},
                            builder.getI32Type()),
      ArrayRef<int32_t>(bucketStarts));
  SmallVector<int32_t> offsets(positions.getValues<int32_t>());
  SmallVector<Value> args;
  if (outType.getRank() == 4) {
    auto window = info.getAs<DenseI64ArrayAttr>("window");
    auto strides = info.getAs<DenseI64ArrayAttr>("strides");
    auto dilations = info.getAs<DenseI64ArrayAttr>("dilations");
    auto padded = info.getAs<DenseI64ArrayAttr>("padded");
    if (!window || !strides || !dilations || !padded || window.size() != 2 ||
        strides.size() != 2 || dilations.size() != 2 || padded.size() != 3)
      return failure();
    int64_t hp = padded[0], wp = padded[1], c = padded[2];
    if (inputType.getDimSize(1) != hp * wp * c || hp * wp * c > INT32_MAX)
      return failure();
    // The padded NHWC image the flattened input views.
    Value image;
    if (auto collapse = input.getDefiningOp<memref::CollapseShapeOp>();
        collapse && collapse.getSrcType().getRank() == 4 &&
        collapse.getSrcType().getShape().drop_front() ==
            ArrayRef<int64_t>{hp, wp, c})
      image = collapse.getSrc();
    else if (inputType.getLayout().isIdentity())
      image = builder.create<memref::ExpandShapeOp>(
          loc, MemRefType::get({inputType.getDimSize(0), hp, wp, c}, element),
          input, ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}},
          ArrayRef<OpFoldResult>{memref::getMixedSize(builder, loc, input, 0),
                                 builder.getIndexAttr(hp),
                                 builder.getIndexAttr(wp),
                                 builder.getIndexAttr(c)});
    else
      return failure();
    // NHWC offsets (r * Wp + s) * C + c become planar c * Hp * Wp + r * Wp
    // + s, r and s already scaled by the dilation.
    for (int32_t &offset : offsets) {
      int64_t pixel = offset / c, channel = offset % c;
      offset = static_cast<int32_t>(channel * hp * wp + pixel);
    }
    args.push_back(castToAny(builder, loc, image));
    auto planar = DenseIntElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(offsets.size())},
                              builder.getI32Type()),
        ArrayRef<int32_t>(offsets));
    args.push_back(castToAny(
        builder, loc, getConstant(builder, loc, planar, "qc_centroid_planar")));
    args.push_back(castToAny(
        builder, loc,
        getConstant(builder, loc, kernelStarts, "qc_centroid_starts")));
    args.push_back(
        castToAny(builder, loc,
                  getConstant(builder, loc, centroids, "qc_centroid_values")));
    args.push_back(castToAny(builder, loc, output));
    for (int64_t v : {strides[0], strides[1], dilations[0], dilations[1],
                      window[0], window[1], k})
      args.push_back(builder.create<arith::ConstantIntOp>(loc, v, 64));
    replaceWithCall(builder, op,
                    isFloat ? qc::kCentroidConv2DF32Call
                            : qc::kCentroidConv2DI32Call,
                    args);
    return success();
  }
  args = {
      castToAny(builder, loc, input),
      castToAny(builder, loc,
                getConstant(builder, loc, positions, "qc_centroid_columns")),
      castToAny(builder, loc,
                getConstant(builder, loc, kernelStarts, "qc_centroid_starts")),
      castToAny(builder, loc,
                getConstant(builder, loc, centroids, "qc_centroid_values")),
      castToAny(builder, loc, output),
      builder.create<arith::ConstantIntOp>(loc, k, 64)};
  replaceWithCall(
      builder, op,
      isFloat ? qc::kCentroidDenseF32Call : qc::kCentroidDenseI32Call, args);
  return success();
}
