//===- QCToRuntimeCalls.cpp - Layers become calls of runtime ukernels -----===//
//
// Implements convert-qc-to-runtime-calls (see Passes.td): after
// bufferization, the ops a ukernel serves become calls of the runtime's C ABI
// (runtime/RuntimeCalls.h), their weights packed at compile time.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "dialects/QC/QCOps.h"
#include "lowering/CPU/LayerEpilogues.h"
#include "lowering/CPU/RuntimeCallBuilder.h"
#include "lowering/CPU/WeightPacking.h"
#include "lowering/QCToLinalg/QCToLinalg.h"
#include "runtime/RuntimeCalls.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

#include <limits>

namespace mlir {
namespace qc {
#define GEN_PASS_DEF_CONVERTQCTORUNTIMECALLS
#include "lowering/Passes.h.inc"
} // namespace qc
} // namespace mlir

using namespace mlir;
using namespace mlir::qc;

/// A memref type of `rank` dynamic sizes, strides and offset: what every
/// runtime function takes, so that one declaration serves every layer.
static MemRefType getAnyMemRefType(Type element, int64_t rank) {
  MLIRContext *context = element.getContext();
  SmallVector<int64_t> shape(rank, ShapedType::kDynamic);
  auto layout =
      StridedLayoutAttr::get(context, ShapedType::kDynamic,
                             SmallVector<int64_t>(rank, ShapedType::kDynamic));
  return MemRefType::get(shape, element, layout);
}

func::FuncOp RuntimeCallBuilder::getDeclaration(StringRef name,
                                                TypeRange argTypes) {
  if (auto existing = symbols.lookup<func::FuncOp>(name))
    return existing;
  OpBuilder builder(module.getBodyRegion());
  builder.setInsertionPointToStart(module.getBody());
  auto type = builder.getFunctionType(argTypes, {builder.getI32Type()});
  auto decl = builder.create<func::FuncOp>(module.getLoc(), name, type);
  decl.setPrivate();
  decl->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                builder.getUnitAttr());
  symbols.insert(decl);
  return decl;
}

void RuntimeCallBuilder::recordCall(Operation *op, func::FuncOp callee) {
  Builder builder(op->getContext());
  calls.push_back(builder.getDictionaryAttr(
      {builder.getNamedAttr("call", callee.getSymNameAttr()),
       builder.getNamedAttr(
           "layer", builder.getStringAttr(qc::getLayerName(op->getLoc())))}));
}

void RuntimeCallBuilder::replaceWithCall(OpBuilder &builder, Operation *op,
                                         StringRef name, ValueRange args) {
  func::FuncOp callee = getDeclaration(name, args.getTypes());
  builder.create<func::CallOp>(op->getLoc(), callee, args);
  recordCall(op, callee);
  op->erase();
}

void RuntimeCallBuilder::appendWindowArgs(OpBuilder &builder, Location loc,
                                          ArrayRef<int64_t> window,
                                          DenseIntElementsAttr strides,
                                          DenseIntElementsAttr dilations,
                                          SmallVectorImpl<Value> &args) {
  SmallVector<int64_t> values(window);
  llvm::append_range(values, strides.getValues<int64_t>());
  llvm::append_range(values, dilations.getValues<int64_t>());
  for (int64_t v : values)
    args.push_back(builder.create<arith::ConstantIntOp>(loc, v, 64));
}

Value RuntimeCallBuilder::castToAny(OpBuilder &builder, Location loc,
                                    Value value) {
  auto type = cast<MemRefType>(value.getType());
  return builder.create<memref::CastOp>(
      loc, getAnyMemRefType(type.getElementType(), type.getRank()), value);
}

/// The 4-D image `matrix` collapses into rows of pixels ([N][H][W][C] into
/// [N*H*W][C]), or null.
static Value getCollapsedImage(Value matrix) {
  auto collapse = matrix.getDefiningOp<memref::CollapseShapeOp>();
  if (!collapse || collapse.getSrcType().getRank() != 4)
    return {};
  SmallVector<ReassociationIndices> groups = collapse.getReassociationIndices();
  if (groups.size() != 2 || groups[0] != ReassociationIndices{0, 1, 2})
    return {};
  return collapse.getSrc();
}

/// Whether every operand of `op` is a memref of f32.
static bool isF32OnMemRefs(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), [](Type type) {
    auto memref = dyn_cast<MemRefType>(type);
    return memref && memref.getElementType().isF32();
  });
}

RuntimeCallBuilder::OutputTransform
RuntimeCallBuilder::getOutputTransform(OpBuilder &builder, Operation *layer,
                                       Value out, int64_t channels) {
  OutputTransform transform;
  transform.output = out;
  transform.last = layer;
  if (linalg::GenericOp init =
          findBiasInit(layer, out, channels, transform.bias)) {
    transform.accumulate = false;
    transform.fused.push_back(init);
  } else {
    transform.bias = getZeroBias(builder, layer->getLoc());
    // Zeros written before the layer become its store of the sums.
    if (Operation *zeroInit = findZeroInit(layer, out)) {
      transform.accumulate = false;
      transform.fused.push_back(zeroInit);
    }
  }
  // The clamp reads the output or a reshaped view of it (a dense layer's
  // [M][N] as NHWC).
  SmallVector<Value> sources = {out};
  for (Operation *user : out.getUsers())
    if (auto view = dyn_cast<memref::ExpandShapeOp>(user))
      sources.push_back(view.getResult());
  for (Value source : sources) {
    Value target;
    float lo, hi;
    linalg::GenericOp clamp =
        findClamp(layer, source, /*inPlaceOnly=*/false, lo, hi, target);
    if (!clamp)
      continue;
    Value output = out;
    if (target != source) {
      // Writing the clamp's buffer instead leaves the output unread:
      // nothing but the layer, the ops folded here and the clamp's view may
      // use it.
      auto targetType = cast<MemRefType>(target.getType());
      bool unread = targetType.getLayout().isIdentity() &&
                    llvm::all_of(out.getUsers(), [&](Operation *user) {
                      if (user == layer || user == clamp ||
                          llvm::is_contained(transform.fused, user) ||
                          isa<memref::DeallocOp>(user))
                        return true;
                      return user == source.getDefiningOp() &&
                             llvm::all_of(user->getUsers(), [&](Operation *u) {
                               return u == clamp;
                             });
                    });
      if (!unread)
        continue;
      output = target;
      if (auto view = source.getDefiningOp<memref::ExpandShapeOp>()) {
        OpBuilder before(clamp);
        output = before.create<memref::CollapseShapeOp>(
            view.getLoc(), target, view.getReassociationIndices());
      }
    }
    transform.lo = lo;
    transform.hi = hi;
    transform.fused.push_back(clamp);
    transform.output = output;
    transform.last = clamp;
    break;
  }
  return transform;
}

void RuntimeCallBuilder::appendTransformArgs(OpBuilder &builder, Location loc,
                                             const OutputTransform &transform,
                                             SmallVectorImpl<Value> &args) {
  args.push_back(
      builder.create<arith::ConstantIntOp>(loc, transform.accumulate, 64));
  for (float bound : {transform.lo, transform.hi})
    args.push_back(builder.create<arith::ConstantFloatOp>(
        loc, APFloat(bound), builder.getF32Type()));
}

/// Whether `op` (a convolution or matmul on memrefs) is one the int32 x int8
/// ukernel serves: int32 activations and output, int8 weights.
static bool isI32I8OnMemRefs(linalg::LinalgOp op) {
  auto elementOf = [](Value v) -> Type {
    auto type = dyn_cast<MemRefType>(v.getType());
    return type ? type.getElementType() : Type();
  };
  Type in = elementOf(op.getDpsInputs()[0]);
  Type w = elementOf(op.getDpsInputs()[1]);
  Type out = elementOf(op.getDpsInits()[0]);
  return in && w && out && in.isInteger(32) && w.isInteger(8) &&
         out.isInteger(32);
}

void RuntimeCallBuilder::replaceLayer(
    OpBuilder &builder, Operation *op, Value input, ArrayRef<Value> packed,
    Value output, int64_t channels, bool integer, StringRef call,
    llvm::function_ref<void(SmallVectorImpl<Value> &)> appendWindow) {
  Location loc = op->getLoc();
  // The integer kernel accumulates into the output (which may hold the zero
  // points' terms) or overwrites it; requantization stays after it.
  SmallVector<Value> args = {castToAny(builder, loc, input)};
  for (Value form : packed)
    args.push_back(castToAny(builder, loc, form));
  if (integer) {
    // A zero init before the layer becomes the kernel's store instead of
    // a separate pass over the output.
    Operation *zeroInit = findZeroInit(op, output);
    IntegerOutputStage stage;
    if (zeroInit && call == qc::kConv2DI32I8Call &&
        findIntegerOutputStage(op, output, channels, stage)) {
      replaceWithFusedStage(builder, op, args, stage, appendWindow);
      zeroInit->erase();
      return;
    }
    args.push_back(castToAny(builder, loc, output));
    appendWindow(args);
    args.push_back(builder.create<arith::ConstantIntOp>(loc, !zeroInit, 64));
    replaceWithCall(builder, op, call, args);
    if (zeroInit)
      zeroInit->erase();
    return;
  }
  OutputTransform transform = getOutputTransform(builder, op, output, channels);
  builder.setInsertionPointAfter(transform.last);
  // A 1x1 convolution that TOSA turned into a matmul between collapsed NHWC
  // images is called as the convolution of the images (the same kernel and
  // weight panels): its output may then be a strided view, the interior of
  // the next layer's padded input (qc-elide-copies).
  Value image = getCollapsedImage(input);
  Value outputImage = getCollapsedImage(transform.output);
  // A plain matrix input (the previous 1x1 layer's rows) is viewed in the
  // output image's pixel grid.
  if (!image && outputImage && call == qc::kMatmulF32Call &&
      isPlainMatrix(input)) {
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d < 3; ++d)
      sizes.push_back(memref::getMixedSize(builder, loc, outputImage, d));
    sizes.push_back(memref::getMixedSize(builder, loc, input, 1));
    auto outType = cast<MemRefType>(outputImage.getType());
    auto inType = cast<MemRefType>(input.getType());
    auto imageType =
        MemRefType::get({outType.getDimSize(0), outType.getDimSize(1),
                         outType.getDimSize(2), inType.getDimSize(1)},
                        inType.getElementType());
    image = builder.create<memref::ExpandShapeOp>(
        loc, imageType, input, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}},
        sizes);
  }
  bool asConv = call == qc::kMatmulF32Call && image && outputImage;
  if (asConv) {
    Operation *matrixCast = args.front().getDefiningOp();
    args.front() = castToAny(builder, loc, image);
    if (matrixCast->use_empty())
      matrixCast->erase();
    call = qc::kConv2DF32Call;
  }
  // The casts above stay where they are: their operands exist there.
  args.push_back(castToAny(builder, loc, transform.bias));
  args.push_back(
      castToAny(builder, loc, asConv ? outputImage : transform.output));
  if (asConv) {
    for (int i = 0; i < 4; ++i) // strides and dilations
      args.push_back(builder.create<arith::ConstantIntOp>(loc, 1, 64));
  } else {
    appendWindow(args);
  }
  appendTransformArgs(builder, loc, transform, args);
  Value matrices[] = {input, transform.output};
  replaceWithCall(builder, op, call, args);
  for (Operation *fused : transform.fused)
    fused->erase();
  // Views a convolution call left unread would keep their buffers from
  // being rewritten by later passes (qc-elide-copies).
  if (!asConv)
    return;
  for (Value matrix : {matrices[0], matrices[1], output})
    for (Value base : {matrix, getCollapsedImage(matrix)})
      if (base)
        for (Operation *user : llvm::make_early_inc_range(base.getUsers()))
          if (isa<memref::CollapseShapeOp, memref::ExpandShapeOp>(user) &&
              user->use_empty())
            user->erase();
}

/// `vector` ([C], or [1]..[1][C] of identity layout) as a [C] vector.
static Value asVector(OpBuilder &builder, Location loc, Value vector) {
  auto type = cast<MemRefType>(vector.getType());
  if (type.getRank() == 1)
    return vector;
  ReassociationIndices all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  return builder.create<memref::CollapseShapeOp>(
      loc, vector, ArrayRef<ReassociationIndices>{all});
}

void RuntimeCallBuilder::appendStageArgs(OpBuilder &builder, Location loc,
                                         const IntegerOutputStage &stage,
                                         SmallVectorImpl<Value> &args) {
  // A stage without vectors scales by one 1 and shifts by one 0.
  Value scale =
      stage.scale
          ? asVector(builder, loc, stage.scale)
          : getConstant(
                builder, loc,
                DenseElementsAttr::get(
                    RankedTensorType::get({1}, builder.getF32Type()), 1.0f),
                "__qc_unit_scale");
  Value shift = stage.shift ? asVector(builder, loc, stage.shift)
                            : getZeroBias(builder, loc);
  args.push_back(castToAny(builder, loc, scale));
  args.push_back(castToAny(builder, loc, shift));
  args.push_back(builder.create<arith::ConstantIntOp>(loc, stage.relu, 64));
  if (stage.requantize) {
    for (float v : {stage.divisor, stage.zeroPoint, stage.lo, stage.hi})
      args.push_back(builder.create<arith::ConstantFloatOp>(
          loc, APFloat(v), builder.getF32Type()));
    args.push_back(
        builder.create<arith::ConstantIntOp>(loc, stage.roundTrip, 64));
  }
}

void RuntimeCallBuilder::replaceWithFusedStage(
    OpBuilder &builder, Operation *op, SmallVectorImpl<Value> &args,
    const IntegerOutputStage &stage,
    llvm::function_ref<void(SmallVectorImpl<Value> &)> appendWindow) {
  // At the stage, where its output exists: nothing between the layer and
  // the stage touches memory (findIntegerOutputStage).
  Location loc = op->getLoc();
  linalg::GenericOp generic = stage.generic;
  builder.setInsertionPoint(generic);
  args.push_back(castToAny(builder, loc, generic.getDpsInits()[0]));
  appendWindow(args);
  appendStageArgs(builder, loc, stage, args);
  replaceWithCall(builder, op,
                  stage.requantize ? qc::kConv2DI32I8RequantCall
                                   : qc::kConv2DI32I8DequantCall,
                  args);
  generic->erase();
}

LogicalResult RuntimeCallBuilder::rewriteConv(linalg::Conv2DNhwcFhwcOp op) {
  bool integer = isI32I8OnMemRefs(op);
  if (!integer && !isF32OnMemRefs(op))
    return failure();
  Value input = op.getDpsInputs()[0], filter = op.getDpsInputs()[1];
  Value output = op.getDpsInits()[0];
  memref::GlobalOp original;
  DenseElementsAttr weights = getConstantWeights(filter, original);
  if (!weights || weights.getElementType().isInteger(8) != integer)
    return failure();
  ArrayRef<int64_t> shape = weights.getType().getShape(); // F, KH, KW, C
  int64_t f = shape[0], kh = shape[1], kw = shape[2], c = shape[3];

  OpBuilder builder(op);
  Location loc = op.getLoc();
  auto source = [&](int64_t o, int64_t y, int64_t x, int64_t i) {
    return ((o * kh + y) * kw + x) * c + i;
  };
  SmallVector<Value> forms = {
      getWeightForm(builder, loc, original, WeightForm::Packed, [&] {
        return packLayerWeights(weights, integer, f, kh, kw, c, source);
      })};
  if (integer) {
    forms.push_back(
        getWeightForm(builder, loc, original, WeightForm::PackedForDot, [&] {
          return packDotWeights(weights, f, kh, kw, c, source);
        }));
    forms.push_back(
        getWeightForm(builder, loc, original, WeightForm::FilterSums, [&] {
          return getFilterSums(weights, f, kh, kw, c, source);
        }));
  }
  replaceLayer(builder, op, input, forms, output, f, integer,
               integer ? qc::kConv2DI32I8Call : qc::kConv2DF32Call,
               [&](SmallVectorImpl<Value> &args) {
                 appendWindowArgs(builder, loc, {}, op.getStrides(),
                                  op.getDilations(), args);
               });
  return success();
}

LogicalResult RuntimeCallBuilder::rewriteMatmul(linalg::LinalgOp op) {
  bool transposedB = isa<linalg::MatmulTransposeBOp>(op);
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
  Value output = op.getDpsInits()[0];
  bool integer = isI32I8OnMemRefs(op);
  if (!integer && !isF32OnMemRefs(op))
    return failure();
  memref::GlobalOp original;
  DenseElementsAttr weights = getConstantWeights(rhs, original);
  if (!weights || weights.getElementType().isInteger(8) != integer)
    return failure();
  // [K][N], or [N][K] for matmul_transpose_b.
  int64_t k = weights.getType().getDimSize(transposedB ? 1 : 0);
  int64_t n = weights.getType().getDimSize(transposedB ? 0 : 1);

  OpBuilder builder(op);
  Location loc = op.getLoc();
  auto source = [&](int64_t o, int64_t, int64_t, int64_t i) {
    return transposedB ? o * k + i : i * n + o;
  };
  Value packed = getWeightForm(builder, loc, original, WeightForm::Packed, [&] {
    return packLayerWeights(weights, integer, n, 1, 1, k, source);
  });
  // An integer dense layer on plain matrices is the integer convolution of
  // a one-row image with a 1 x 1 filter, so it takes the u8 x s8
  // dot-product route where the CPU has one.
  if (integer && isPlainMatrix(lhs) && isPlainMatrix(output)) {
    Value dot =
        getWeightForm(builder, loc, original, WeightForm::PackedForDot, [&] {
          return packDotWeights(weights, n, 1, 1, k, source);
        });
    Value sums =
        getWeightForm(builder, loc, original, WeightForm::FilterSums, [&] {
          return getFilterSums(weights, n, 1, 1, k, source);
        });
    Operation *zeroInit = findZeroInit(op, output);
    SmallVector<Value> args = {
        castToAny(builder, loc, viewAsImageRow(builder, loc, lhs)),
        castToAny(builder, loc, packed), castToAny(builder, loc, dot),
        castToAny(builder, loc, sums),
        castToAny(builder, loc, viewAsImageRow(builder, loc, output))};
    for (int i = 0; i < 4; ++i) // strides and dilations
      args.push_back(builder.create<arith::ConstantIntOp>(loc, 1, 64));
    args.push_back(builder.create<arith::ConstantIntOp>(loc, !zeroInit, 64));
    replaceWithCall(builder, op, qc::kConv2DI32I8Call, args);
    if (zeroInit)
      zeroInit->erase();
    return success();
  }
  replaceLayer(builder, op, lhs, {packed}, output, n, integer,
               integer ? qc::kMatmulI32I8Call : qc::kMatmulF32Call,
               [](SmallVectorImpl<Value> &) {});
  return success();
}

LogicalResult RuntimeCallBuilder::rewritePool(linalg::LinalgOp op) {
  bool i16 = isa<linalg::PoolingNhwcMaxOp>(op) &&
             llvm::all_of(op->getOperandTypes(), [](Type type) {
               auto memref = dyn_cast<MemRefType>(type);
               return memref && memref.getElementType().isInteger(16);
             });
  if (!i16 && !isF32OnMemRefs(op))
    return failure();
  auto strides = op->getAttrOfType<DenseIntElementsAttr>("strides");
  auto dilations = op->getAttrOfType<DenseIntElementsAttr>("dilations");
  if (!strides || !dilations)
    return failure();
  Value input = op.getDpsInputs()[0];
  auto window = cast<MemRefType>(op.getDpsInputs()[1].getType());
  Value output = op.getDpsInits()[0];
  if (!window.hasStaticShape() || window.getRank() != 2)
    return failure();
  OpBuilder builder(op);
  Location loc = op.getLoc();
  SmallVector<Value> args = {castToAny(builder, loc, input),
                             castToAny(builder, loc, output)};
  appendWindowArgs(builder, loc, window.getShape(), strides, dilations, args);
  replaceWithCall(builder, op,
                  i16                                 ? qc::kMaxPool2DI16Call
                  : isa<linalg::PoolingNhwcSumOp>(op) ? qc::kSumPool2DF32Call
                                                      : qc::kMaxPool2DF32Call,
                  args);
  return success();
}

void RuntimeCallBuilder::eraseUnpackedWeights() {
  // One walk: drop the reads the rewrites left unused and note which
  // globals are still read.
  llvm::DenseSet<StringAttr> read;
  SmallVector<Operation *> dead;
  module.walk([&](memref::GetGlobalOp op) {
    if (op->use_empty())
      dead.push_back(op);
    else
      read.insert(op.getNameAttr().getAttr());
  });
  for (Operation *op : dead)
    op->erase();
  llvm::SetVector<Operation *> originals;
  for (auto &entry : weightForms)
    originals.insert(entry.first.first);
  for (Operation *original : originals) {
    auto global = cast<memref::GlobalOp>(original);
    if (global.isPrivate() && !read.contains(global.getSymNameAttr()))
      symbols.erase(global);
  }
}

LogicalResult
RuntimeCallBuilder::rewriteDepthwise(linalg::DepthwiseConv2DNhwcHwcmOp op) {
  if (!isF32OnMemRefs(op))
    return failure();
  Value input = op.getDpsInputs()[0], filter = op.getDpsInputs()[1];
  Value output = op.getDpsInits()[0];
  memref::GlobalOp original;
  DenseElementsAttr weights = getConstantWeights(filter, original);
  auto outType = cast<MemRefType>(output.getType()); // N, H, W, C, 1
  if (!weights || !weights.getElementType().isF32() ||
      weights.getType().getDimSize(3) != 1 || outType.getDimSize(4) != 1 ||
      !outType.getLayout().isIdentity())
    return failure();
  int64_t channels = weights.getType().getDimSize(2);

  // The output transform around it: a zero fill before, a bias added
  // after, then a ReLU or clamp of the 4-D view of the output, in place or
  // into another buffer.
  OutputTransform transform;
  if (Operation *zeroInit = findZeroInit(op, output)) {
    transform.accumulate = false;
    transform.fused.push_back(zeroInit);
  }
  Operation *last = op;
  Value bias, added;
  // `current` holds the layer's values so far: the output, or the buffer
  // an out-of-place bias add writes when nothing else reads the output.
  Value current = output;
  if (linalg::GenericOp add = findBiasAdd(op, output, channels, bias, added)) {
    bool folded = added == output ||
                  llvm::all_of(output.getUsers(), [&](Operation *other) {
                    return other == op || other == add ||
                           llvm::is_contained(transform.fused, other) ||
                           isa<memref::DeallocOp>(other);
                  });
    if (folded) {
      transform.fused.push_back(add);
      last = add;
      current = added;
    } else {
      bias = Value();
    }
  }
  Value target;
  for (Operation *user : current.getUsers()) {
    auto view = dyn_cast<memref::CollapseShapeOp>(user);
    if (!view || view.getResultType().getRank() != 4)
      continue;
    Value clamped;
    linalg::GenericOp clamp =
        findClamp(last, view.getResult(),
                  /*inPlaceOnly=*/false, transform.lo, transform.hi, clamped);
    if (!clamp)
      continue;
    // Writing the clamp's target instead of the output leaves the output
    // unread: nothing but the ops folded here may use it.
    bool unread =
        clamped == view.getResult() ||
        llvm::all_of(current.getUsers(), [&](Operation *other) {
          if (other == op || llvm::is_contained(transform.fused, other) ||
              isa<memref::DeallocOp>(other))
            return true;
          auto otherView = dyn_cast<memref::CollapseShapeOp>(other);
          return otherView &&
                 llvm::all_of(otherView->getUsers(),
                              [&](Operation *u) { return u == clamp; });
        });
    if (!unread)
      continue;
    transform.fused.push_back(clamp);
    target = clamped;
    last = clamp;
    break;
  }

  // The call goes where the last folded op was, where its target exists.
  OpBuilder builder(last);
  Location loc = op.getLoc();
  if (!target)
    target = builder.create<memref::CollapseShapeOp>(
        loc, current, ArrayRef<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
  if (!bias)
    bias = getZeroBias(builder, loc);
  else if (cast<MemRefType>(bias.getType()).getRank() == 2)
    bias = builder.create<memref::CollapseShapeOp>(
        loc, bias, ArrayRef<ReassociationIndices>{{0, 1}});
  transform.bias = bias;
  SmallVector<Value> args = {
      castToAny(builder, loc, input), castToAny(builder, loc, filter),
      castToAny(builder, loc, bias), castToAny(builder, loc, target)};
  appendWindowArgs(builder, loc, {}, op.getStrides(), op.getDilations(), args);
  appendTransformArgs(builder, loc, transform, args);
  func::FuncOp callee =
      getDeclaration(qc::kDepthwiseConv2DF32Call, ValueRange(args).getTypes());
  builder.create<func::CallOp>(loc, callee, args);
  recordCall(op, callee);
  op->erase();
  for (Operation *fused : transform.fused)
    fused->erase();
  return success();
}

namespace {

struct ConvertQCToRuntimeCallsPass
    : public qc::impl::ConvertQCToRuntimeCallsBase<
          ConvertQCToRuntimeCallsPass> {
  using ConvertQCToRuntimeCallsBase::ConvertQCToRuntimeCallsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    RuntimeCallBuilder calls(module);
    SmallVector<Operation *> candidates;
    module.walk([&](Operation *op) {
      if (isa<linalg::Conv2DNhwcFhwcOp, linalg::MatmulOp,
              linalg::MatmulTransposeBOp, linalg::PoolingNhwcMaxOp,
              linalg::PoolingNhwcSumOp, linalg::DepthwiseConv2DNhwcHwcmOp>(
              op) ||
          (isa<linalg::GenericOp>(op) &&
           (op->hasAttr(kXnorConvKernelAttr) ||
            op->hasAttr(kXnorDenseKernelAttr) ||
            op->hasAttr(kBitPackKernelAttr) ||
            op->hasAttr(kThresholdPackKernelAttr) ||
            op->hasAttr(kCentroidKernelAttr))))
        candidates.push_back(op);
    });
    for (Operation *op : candidates) {
      if (auto conv = dyn_cast<linalg::Conv2DNhwcFhwcOp>(op))
        (void)calls.rewriteConv(conv);
      else if (isa<linalg::PoolingNhwcMaxOp, linalg::PoolingNhwcSumOp>(op))
        (void)calls.rewritePool(cast<linalg::LinalgOp>(op));
      else if (auto depthwise = dyn_cast<linalg::DepthwiseConv2DNhwcHwcmOp>(op))
        (void)calls.rewriteDepthwise(depthwise);
      else if (auto generic = dyn_cast<linalg::GenericOp>(op))
        (void)(generic->hasAttr(kBitPackKernelAttr)
                   ? calls.rewriteBitPack(generic)
               : generic->hasAttr(kThresholdPackKernelAttr)
                   ? calls.rewriteThresholdPack(generic)
               : generic->hasAttr(kCentroidKernelAttr)
                   ? calls.rewriteCentroid(generic)
               : generic->hasAttr(kXnorDenseKernelAttr)
                   ? calls.rewriteXnorDense(generic)
                   : calls.rewriteXnorConv(generic));
      else
        (void)calls.rewriteMatmul(cast<linalg::LinalgOp>(op));
    }
    if (!calls.calls.empty()) {
      auto *dialect = getContext().getOrLoadDialect<qc::QCDialect>();
      dialect->getRuntimeCallsAttrHelper().setAttr(
          module, ArrayAttr::get(&getContext(), calls.calls));
    }
    calls.eraseUnpackedWeights();
  }
};

} // namespace
