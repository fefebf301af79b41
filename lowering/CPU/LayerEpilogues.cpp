//===- LayerEpilogues.cpp - What surrounds a layer after bufferization ----===//
//
// Implements the matchers of LayerEpilogues.h.
//
//===----------------------------------------------------------------------===//

#include "lowering/CPU/LayerEpilogues.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <limits>

using namespace mlir;

/// The first operation after (`forward`) or before `op` in its block that
/// may touch memory: views, casts, constants, global reads and allocations
/// (of fresh memory) are skipped.
static Operation *getNeighbourWithEffects(Operation *op, bool forward) {
  for (Operation *next = forward ? op->getNextNode() : op->getPrevNode(); next;
       next = forward ? next->getNextNode() : next->getPrevNode())
    if (!isMemoryEffectFree(next) && !isa<memref::AllocOp>(next))
      return next;
  return nullptr;
}

/// Whether maps `a` and `b` index the same elements over loops of extents
/// `loops`: equal once every loop of extent 1 is replaced by 0 (TOSA writes
/// a static batch of 1 as the constant 0, `(0, d1, d2, d3)`).
static bool isSameOverLoops(AffineMap a, AffineMap b, ArrayRef<int64_t> loops) {
  if (a.getNumDims() != b.getNumDims() ||
      a.getNumDims() != static_cast<unsigned>(loops.size()) ||
      a.getNumResults() != b.getNumResults())
    return false;
  MLIRContext *context = a.getContext();
  SmallVector<AffineExpr> dims;
  for (size_t d = 0; d < loops.size(); ++d)
    dims.push_back(loops[d] == 1 ? getAffineConstantExpr(0, context)
                                 : getAffineDimExpr(d, context));
  auto fold = [&](AffineMap map) {
    return simplifyAffineMap(
        map.replaceDimsAndSymbols(dims, {}, map.getNumDims(), 0));
  };
  return fold(a) == fold(b);
}

/// Whether `generic` is all-parallel, writes `out` (identity map) and reads
/// its inputs through `inputMaps` (both up to loops of extent 1).
static bool isParallelInto(linalg::GenericOp generic, Value out,
                           ArrayRef<AffineMap> inputMaps) {
  if (generic.getNumDpsInputs() != static_cast<int64_t>(inputMaps.size()) ||
      generic.getNumDpsInits() != 1 || generic.getDpsInits()[0] != out ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return false;
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  ArrayRef<int64_t> loops = cast<MemRefType>(out.getType()).getShape();
  AffineMap identity =
      AffineMap::getMultiDimIdentityMap(loops.size(), out.getContext());
  if (!isSameOverLoops(maps.back(), identity, loops))
    return false;
  for (size_t i = 0; i < inputMaps.size(); ++i)
    if (!isSameOverLoops(maps[i], inputMaps[i], loops))
      return false;
  return true;
}

/// The map from an output of rank `rank` to its last `count` dimensions.
static AffineMap getTrailingMap(int64_t rank, int64_t count,
                                MLIRContext *context) {
  SmallVector<AffineExpr> dims;
  for (int64_t d = rank - count; d < rank; ++d)
    dims.push_back(getAffineDimExpr(d, context));
  return AffineMap::get(rank, 0, dims, context);
}

/// Whether `bias` is an f32 vector of `channels` values, possibly with a
/// trailing dimension of 1, matching the last dimensions of an output.
static bool isBiasVector(Value bias, int64_t channels) {
  auto type = dyn_cast<MemRefType>(bias.getType());
  if (!type || !type.getElementType().isF32() || type.getRank() < 1 ||
      type.getRank() > 2 || type.getDimSize(0) != channels)
    return false;
  return type.getRank() == 1 || type.getDimSize(1) == 1;
}

linalg::GenericOp mlir::qc::findBiasInit(Operation *layer, Value out,
                                         int64_t channels, Value &bias) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(
      getNeighbourWithEffects(layer, /*forward=*/false));
  if (!generic)
    return {};
  int64_t rank = cast<MemRefType>(out.getType()).getRank();
  if (!isParallelInto(generic, out,
                      getTrailingMap(rank, 1, layer->getContext())))
    return {};
  Value input = generic.getDpsInputs()[0];
  auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
  if (!isBiasVector(input, channels) ||
      cast<MemRefType>(input.getType()).getRank() != 1 ||
      yield.getValues()[0] != generic.getBody()->getArgument(0))
    return {};
  bias = input;
  return generic;
}

/// The value `op` fills the whole of `buffer` with, or null: a
/// `linalg.fill` of a constant, or an all-parallel `linalg.generic` without
/// inputs that yields one (TOSA's lowering writes its fills so).
static Value getFillValue(Operation *op, Value buffer) {
  Value value;
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(op)) {
    if (fill.getDpsInits()[0] == buffer)
      value = fill.getDpsInputs()[0];
  } else if (auto generic = dyn_cast_or_null<linalg::GenericOp>(op)) {
    if (isParallelInto(generic, buffer, {}))
      value = cast<linalg::YieldOp>(generic.getBody()->getTerminator())
                  .getValues()[0];
  }
  return value && matchPattern(value, m_Constant()) ? value : Value();
}

/// Whether `value` is a zero (integer 0 or +0.0).
static bool isZero(Value value) {
  return matchPattern(value, m_Zero()) || matchPattern(value, m_PosZeroFloat());
}

/// Whether `op` reads or writes `buffer` or a view of it.
static bool usesBuffer(Operation *op, Value buffer) {
  return llvm::any_of(op->getOperands(), [&](Value operand) {
    while (operand != buffer) {
      auto view = operand.getDefiningOp<ViewLikeOpInterface>();
      if (!view)
        return false;
      operand = view.getViewSource();
    }
    return true;
  });
}

/// The op before `layer` that fills `out` with a constant accepted by
/// `accept` (findZeroInit, findConstantInit); `value` receives the constant.
static Operation *findInit(Operation *layer, Value out,
                           llvm::function_ref<bool(Value)> accept,
                           Value &value) {
  auto isFill = [&](Operation *op, Value buffer) {
    Value filled = getFillValue(op, buffer);
    if (!filled || !accept(filled))
      return false;
    value = filled;
    return true;
  };
  Operation *init = getNeighbourWithEffects(layer, /*forward=*/false);
  if (isFill(init, out))
    return init;
  // A fill further up of a buffer of the function's own, which nothing
  // uses before the layer (another allocation cannot alias it).
  if (out.getDefiningOp<memref::AllocOp>()) {
    for (Operation *prev = layer->getPrevNode(); prev;
         prev = prev->getPrevNode()) {
      if (isFill(prev, out))
        return prev;
      if (usesBuffer(prev, out))
        break;
    }
  }
  auto copy = dyn_cast_or_null<linalg::CopyOp>(init);
  if (!copy || copy.getDpsInits()[0] != out)
    return nullptr;
  // The copy's source was last written by such a fill: no op in between
  // uses it (through a view or otherwise).
  Value source = copy.getDpsInputs()[0];
  for (Operation *prev = copy->getPrevNode(); prev;
       prev = prev->getPrevNode()) {
    if (isFill(prev, source))
      return copy;
    if (llvm::is_contained(prev->getOperands(), source))
      return nullptr;
  }
  return nullptr;
}

Operation *mlir::qc::findZeroInit(Operation *layer, Value out) {
  Value zero;
  return findInit(layer, out, isZero, zero);
}

Operation *mlir::qc::findConstantInit(Operation *layer, Value out,
                                      int64_t &value) {
  Value constant;
  Operation *init = findInit(
      layer, out,
      [](Value v) {
        IntegerAttr attr;
        return matchPattern(v, m_Constant(&attr));
      },
      constant);
  IntegerAttr attr;
  if (!init || !matchPattern(constant, m_Constant(&attr)))
    return nullptr;
  value = attr.getValue().getSExtValue();
  return init;
}

linalg::GenericOp mlir::qc::findBiasAdd(Operation *layer, Value out,
                                        int64_t channels, Value &bias,
                                        Value &target) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(
      getNeighbourWithEffects(layer, /*forward=*/true));
  if (!generic || generic.getNumDpsInputs() != 2)
    return {};
  Value candidate = generic.getDpsInputs()[0];
  if (!isBiasVector(candidate, channels))
    return {};
  auto type = cast<MemRefType>(out.getType());
  MLIRContext *context = layer->getContext();
  AffineMap biasMap = getTrailingMap(
      type.getRank(), cast<MemRefType>(candidate.getType()).getRank(), context);
  AffineMap identity =
      AffineMap::getMultiDimIdentityMap(type.getRank(), context);
  if (generic.getDpsInputs()[1] != out || generic.getNumDpsInits() != 1 ||
      generic.getDpsInits()[0].getType() != out.getType() ||
      !isParallelInto(generic, generic.getDpsInits()[0], {biasMap, identity}))
    return {};
  // The body adds the two inputs, in either order.
  Block *body = generic.getBody();
  Value yielded = cast<linalg::YieldOp>(body->getTerminator()).getValues()[0];
  auto add = yielded.getDefiningOp<arith::AddFOp>();
  if (!add || body->getOperations().size() != 2)
    return {};
  Value a = body->getArgument(0), b = body->getArgument(1);
  if (!((add.getLhs() == a && add.getRhs() == b) ||
        (add.getLhs() == b && add.getRhs() == a)))
    return {};
  bias = candidate;
  target = generic.getDpsInits()[0];
  return generic;
}

linalg::GenericOp mlir::qc::findClamp(Operation *after, Value source,
                                      bool inPlaceOnly, float &lo, float &hi,
                                      Value &target) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(
      getNeighbourWithEffects(after, /*forward=*/true));
  if (!generic || generic.getNumDpsInits() != 1 ||
      generic.getNumDpsInputs() != 1 || generic.getDpsInputs()[0] != source)
    return {};
  Value written = generic.getDpsInits()[0];
  auto sourceType = cast<MemRefType>(source.getType());
  if ((inPlaceOnly && written != source) ||
      written.getType() != source.getType() ||
      !isParallelInto(generic, written,
                      {AffineMap::getMultiDimIdentityMap(sourceType.getRank(),
                                                         source.getContext())}))
    return {};
  Block *body = generic.getBody();
  Value value = cast<linalg::YieldOp>(body->getTerminator()).getValues()[0];
  float low = -std::numeric_limits<float>::infinity(), high = -low;
  unsigned steps = 0;
  while (value != body->getArgument(0)) {
    Operation *def = value.getDefiningOp();
    if (!def || def->getBlock() != body ||
        !isa<arith::MaximumFOp, arith::MinimumFOp>(def) || ++steps > 2)
      return {};
    FloatAttr bound;
    Value operand;
    for (int side = 0; side < 2 && !bound; ++side)
      if (matchPattern(def->getOperand(side), m_Constant(&bound)))
        operand = def->getOperand(1 - side);
    if (!bound)
      return {};
    float v = bound.getValue().convertToFloat();
    if (isa<arith::MaximumFOp>(def))
      low = std::max(low, v);
    else
      high = std::min(high, v);
    value = operand;
  }
  if (steps == 0 || low > high)
    return {};
  lo = low;
  hi = high;
  target = written;
  return generic;
}

namespace {

/// Walks a generic's body backwards from its yielded value, one op at a
/// time, checking each against the expected op and constant operand.
struct BodyWalk {
  Block *body;
  Value value;
  /// The body's ops the walk has taken.
  unsigned taken = 0;

  /// The op defining the current value if it is an `Op` of the body.
  template <typename Op> Op take() {
    auto op = value.getDefiningOp<Op>();
    if (!op || op->getBlock() != body)
      return {};
    ++taken;
    return op;
  }
  /// Steps through a binary `Op` of the current value with a float constant
  /// on either side (`commutative`) or on its right; the constant goes to
  /// `constant`, the walk to the other operand.
  template <typename Op> bool stepConstant(float &constant, bool commutative) {
    Op op = take<Op>();
    if (!op)
      return false;
    for (int side = commutative ? 0 : 1; side < 2; ++side) {
      FloatAttr attr;
      if (matchPattern(op->getOperand(side), m_Constant(&attr))) {
        constant = attr.getValue().convertToFloat();
        value = op->getOperand(1 - side);
        return true;
      }
    }
    return false;
  }
  /// Steps through a binary `Op` of the current value with block argument
  /// `arg` on either side.
  template <typename Op> bool stepArgument(Value arg) {
    Op op = take<Op>();
    if (!op)
      return false;
    for (int side = 0; side < 2; ++side)
      if (op->getOperand(side) == arg) {
        value = op->getOperand(1 - side);
        return true;
      }
    return false;
  }
};

/// Whether `v` is a finite float whose magnitude the requantization's
/// integer codes can hold exactly.
bool isCodeBound(float v) { return std::isfinite(v) && std::fabs(v) <= 1e7f; }

/// Whether `vector` ([C], or [1]..[1][C] of the loops' rank; f32, identity
/// layout) is read by `map` along the last of its loops.
bool isChannelVector(Value vector, AffineMap map, int64_t channels) {
  auto type = dyn_cast<MemRefType>(vector.getType());
  if (!type || !type.getElementType().isF32() ||
      !type.getLayout().isIdentity() || type.getShape().back() != channels)
    return false;
  MLIRContext *context = map.getContext();
  unsigned loops = map.getNumDims();
  AffineExpr last = getAffineDimExpr(loops - 1, context);
  if (type.getRank() == 1)
    return map == AffineMap::get(loops, 0, {last}, context);
  SmallVector<AffineExpr> reads(loops - 1, getAffineConstantExpr(0, context));
  reads.push_back(last);
  return type.getRank() == loops &&
         llvm::all_of(type.getShape().drop_back(),
                      [](int64_t d) { return d == 1; }) &&
         map == AffineMap::get(loops, 0, reads, context);
}

} // namespace

bool mlir::qc::findIntegerOutputStage(Operation *layer, Value sums,
                                      int64_t channels,
                                      IntegerOutputStage &stage) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(
      getNeighbourWithEffects(layer, /*forward=*/true));
  auto sumsType = cast<MemRefType>(sums.getType());
  int64_t rank = sumsType.getRank();
  // The sums with their scale and shift, or alone (a bare conversion).
  bool scaled = generic && generic.getNumDpsInputs() == 3;
  if (!generic || (!scaled && generic.getNumDpsInputs() != 1) ||
      generic.getNumDpsInits() != 1 || generic.getDpsInputs()[0] != sums ||
      (rank != 2 && rank != 4) || generic.getNumLoops() != rank ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !(sumsType.getElementType().isInteger(16) ||
        sumsType.getElementType().isInteger(32)))
    return false;
  // Nothing else reads the sums: the layer, its zero init, the stage and
  // deallocations are their only users.
  for (Operation *user : sums.getUsers())
    if (user != layer && user != generic.getOperation() &&
        !isa<memref::DeallocOp, linalg::FillOp>(user) &&
        !(isa<linalg::GenericOp>(user) && user->isBeforeInBlock(layer)))
      return false;
  Value out = generic.getDpsInits()[0];
  auto outType = cast<MemRefType>(out.getType());
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  AffineMap identity =
      AffineMap::getMultiDimIdentityMap(rank, generic.getContext());
  SmallVector<int64_t> loops = generic.getStaticLoopRanges();
  if (outType.getShape() != sumsType.getShape() ||
      !isSameOverLoops(maps.front(), identity, loops) ||
      !isSameOverLoops(maps.back(), identity, loops) ||
      (scaled &&
       (!isChannelVector(generic.getDpsInputs()[1], maps[1], channels) ||
        !isChannelVector(generic.getDpsInputs()[2], maps[2], channels))))
    return false;
  Block *body = generic.getBody();
  BodyWalk walk{body,
                cast<linalg::YieldOp>(body->getTerminator()).getValues()[0]};
  IntegerOutputStage found;
  found.generic = generic;
  if (scaled) {
    found.scale = generic.getDpsInputs()[1];
    found.shift = generic.getDpsInputs()[2];
  }
  if (outType.getElementType().isInteger(32)) {
    found.requantize = true;
    auto toInt = walk.take<arith::FPToSIOp>();
    if (!toInt)
      return false;
    walk.value = toInt.getIn();
    // The round trip: roundeven((q * divisor) / divisor).
    if (auto round = walk.take<math::RoundEvenOp>()) {
      walk.value = round.getOperand();
      float down, up;
      if (!walk.stepConstant<arith::DivFOp>(down, /*commutative=*/false) ||
          !walk.stepConstant<arith::MulFOp>(up, /*commutative=*/true) ||
          down != up)
        return false;
      found.roundTrip = true;
      found.divisor = down;
    }
    float hi, lo, zeroPoint, divisor;
    if (!walk.stepConstant<arith::MinimumFOp>(hi, true) ||
        !walk.stepConstant<arith::MaximumFOp>(lo, true) ||
        !walk.stepConstant<arith::AddFOp>(zeroPoint, true))
      return false;
    auto round = walk.take<math::RoundEvenOp>();
    if (!round)
      return false;
    walk.value = round.getOperand();
    if (!walk.stepConstant<arith::DivFOp>(divisor, false) ||
        (found.roundTrip && divisor != found.divisor) || !(divisor > 0.0f) ||
        !std::isfinite(divisor) || !isCodeBound(lo) || !isCodeBound(hi) ||
        !isCodeBound(zeroPoint) || lo > hi)
      return false;
    found.divisor = divisor;
    found.zeroPoint = zeroPoint;
    found.lo = lo;
    found.hi = hi;
  } else if (!outType.getElementType().isF32()) {
    return false;
  }
  // ReLU: maximumf with +0 (not -0).
  float zero;
  BodyWalk relu = walk;
  if (relu.stepConstant<arith::MaximumFOp>(zero, true)) {
    if (zero != 0.0f || std::signbit(zero))
      return false;
    walk = relu;
    found.relu = true;
  }
  auto toFloat = [&]() -> bool {
    auto convert = walk.take<arith::SIToFPOp>();
    return convert && convert.getIn() == body->getArgument(0) &&
           convert.getType().isF32();
  };
  if (scaled && (!walk.stepArgument<arith::AddFOp>(body->getArgument(2)) ||
                 !walk.stepArgument<arith::MulFOp>(body->getArgument(1))))
    return false;
  if (!toFloat())
    return false;
  // Every op of the body was taken (constants may be defined inside it).
  unsigned ops = 0;
  for (Operation &op : body->without_terminator())
    ops += !isa<arith::ConstantOp>(op);
  if (ops != walk.taken)
    return false;
  stage = found;
  return true;
}
