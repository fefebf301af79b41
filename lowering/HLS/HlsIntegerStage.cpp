//===- HlsIntegerStage.cpp - Integer layers' codes and output stage -------===//
//
// Implements HlsIntegerStage.h: matches the ops qc-lower-macs and qc-fuse
// leave around an integer kernel and evaluates them on one sum at a time
// with f32 arithmetic, one IEEE operation per op, as the CPU path does.
//
//===----------------------------------------------------------------------===//

#include "lowering/HLS/HlsIntegerStage.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <limits>
#include <numeric>

using namespace mlir;
using namespace mlir::qc;

namespace {

/// The one user of `value` that computes with it (tensor.dim only reads
/// its shape); null when there is none or more than one.
Operation *getSoleUser(Value value) {
  Operation *found = nullptr;
  for (Operation *user : value.getUsers()) {
    if (isa<tensor::DimOp>(user))
      continue;
    if (found && found != user)
      return nullptr;
    found = user;
  }
  return found;
}

/// The values of a constant (seen through reshapes) broadcast along the
/// innermost axis: one per channel of `channels`, or one for all.
std::optional<SmallVector<double>> getChannelConstant(Value value,
                                                      int64_t channels) {
  while (auto reshape = value.getDefiningOp<tosa::ReshapeOp>())
    value = reshape.getInput1();
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  ArrayRef<int64_t> shape = attr.getType().getShape();
  int64_t count = attr.getNumElements();
  if (count != 1 &&
      (count != channels || shape.empty() || shape.back() != channels))
    return std::nullopt;
  SmallVector<double> values;
  if (isa<FloatType>(attr.getElementType())) {
    for (const APFloat &v : attr.getValues<APFloat>())
      values.push_back(v.convertToDouble());
  } else if (attr.getElementType().isSignlessInteger()) {
    for (const APInt &v : attr.getValues<APInt>())
      values.push_back(double(v.getSExtValue()));
  } else {
    return std::nullopt;
  }
  return values;
}

/// Round half to even, as math.roundeven.
float roundEven(float x) {
  float r = std::round(x);
  if (std::fabs(x - std::trunc(x)) == 0.5f)
    r = 2.0f * std::round(x / 2.0f);
  return r;
}

SmallVector<int64_t> getShapeWithoutBatch(Value value) {
  auto type = cast<ShapedType>(value.getType());
  return SmallVector<int64_t>(type.getShape().drop_front());
}

bool isIdentity(ArrayRef<int64_t> order) {
  for (size_t k = 0; k < order.size(); ++k)
    if (order[k] != int64_t(k))
      return false;
  return true;
}

/// `order` after a transpose by `perms` (with the batch at 0) of a tensor
/// of `shape` (without the batch).
SmallVector<int64_t> transposeOrder(ArrayRef<int64_t> order,
                                    ArrayRef<int64_t> shape,
                                    ArrayRef<int64_t> perms,
                                    ArrayRef<int64_t> newShape) {
  SmallVector<int64_t> oldStrides(shape.size(), 1);
  for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
    oldStrides[d] = oldStrides[d + 1] * shape[d + 1];
  SmallVector<int64_t> next(order.size());
  for (int64_t k = 0; k < int64_t(order.size()); ++k) {
    int64_t rest = k, old = 0;
    for (int64_t d = int64_t(newShape.size()) - 1; d >= 0; --d) {
      old += (rest % newShape[d]) * oldStrides[perms[d + 1] - 1];
      rest /= newShape[d];
    }
    next[k] = order[old];
  }
  return next;
}

} // namespace

int64_t HlsCodes::getCode(float x) const {
  float q = roundEven(x / scale);
  // NaN or beyond any code: a value no level check accepts.
  if (!(std::fabs(q) < 1e15f))
    return std::numeric_limits<int64_t>::min();
  return int64_t(q) + offset;
}

FailureOr<HlsCodes> mlir::qc::matchHlsCodes(Value packed, std::string &why) {
  HlsCodes codes;
  codes.pack = packed.getDefiningOp<BitplanePackOp>();
  if (!codes.pack) {
    why = "its activations must be qc.bitplane_pack of integer codes";
    return failure();
  }
  codes.planes = cast<ShapedType>(packed.getType()).getDimSize(0);
  Value v = codes.pack.getInput();
  if (auto pad = v.getDefiningOp<tensor::PadOp>()) {
    ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
    Value padValue = pad.getConstantPaddingValue();
    IntegerAttr code;
    if (low.size() != 4 || low[0] != 0 || low[3] != 0 || high[0] != 0 ||
        high[3] != 0 || llvm::any_of(low, ShapedType::isDynamic) ||
        llvm::any_of(high, ShapedType::isDynamic) || !padValue ||
        !matchPattern(padValue, m_Constant(&code))) {
      why = "its codes' padding must be a constant on the spatial axes";
      return failure();
    }
    codes.pad[0] = low[1];
    codes.pad[1] = high[1];
    codes.pad[2] = low[2];
    codes.pad[3] = high[2];
    codes.padCode = code.getInt();
    v = pad.getSource();
  }
  auto generic = v.getDefiningOp<linalg::GenericOp>();
  auto fail = [&]() -> FailureOr<HlsCodes> {
    why = "its codes must be a linalg.generic computing roundeven(x / s) "
          "(+ u0) of one float tensor";
    return failure();
  };
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return fail();
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  Value y = yield.getOperand(0);
  auto add = y.getDefiningOp<arith::AddIOp>();
  if (add) {
    IntegerAttr offset;
    if (!matchPattern(add.getRhs(), m_Constant(&offset)))
      return fail();
    codes.offset = offset.getInt();
    y = add.getLhs();
  }
  auto toInt = y.getDefiningOp<arith::FPToSIOp>();
  auto round = toInt ? toInt.getIn().getDefiningOp<math::RoundEvenOp>()
                     : math::RoundEvenOp();
  auto div = round ? round.getOperand().getDefiningOp<arith::DivFOp>()
                   : arith::DivFOp();
  FloatAttr scale;
  if (!div || div.getLhs() != body.getArgument(0) || !div.getType().isF32() ||
      !matchPattern(div.getRhs(), m_Constant(&scale)) ||
      body.getOperations().size() != size_t(add ? 5 : 4))
    return fail();
  codes.scale = float(scale.getValueAsDouble());
  codes.values = generic.getDpsInputOperand(0)->get();
  return codes;
}

int64_t HlsIntegerStage::evaluate(int64_t channel, int64_t sum) const {
  int64_t i = sum, code = 0;
  float f = 0;
  for (const Step &step : steps) {
    double operand =
        step.values.empty()
            ? 0.0
            : step.values[step.values.size() == 1 ? 0 : size_t(channel)];
    switch (step.kind) {
    case StepKind::AddInt:
      i += int64_t(operand);
      break;
    case StepKind::ClampInt:
      i = std::min(std::max(i, int64_t(step.lo)), int64_t(step.hi));
      break;
    case StepKind::ToFloat:
      f = float(i);
      break;
    case StepKind::MulF:
      f = f * float(operand);
      break;
    case StepKind::AddF:
      f = f + float(operand);
      break;
    case StepKind::ClampF: {
      float lo = float(step.lo), hi = float(step.hi);
      f = f < lo ? lo : f;
      f = f > hi ? hi : f;
      break;
    }
    case StepKind::Quant: {
      float q = f / step.scale;
      q = roundEven(q);
      q = q + step.zero;
      float lo = float(step.lo), hi = float(step.hi);
      q = q < lo ? lo : q;
      q = q > hi ? hi : q;
      float r = q - step.zero;
      if (std::isnan(r))
        return std::numeric_limits<int64_t>::min();
      code = int64_t(r);
      f = r * step.scale;
      break;
    }
    }
  }
  return next ? next->getCode(f) : code;
}

FailureOr<HlsIntegerStage> mlir::qc::analyzeHlsIntegerStage(Operation *kernel,
                                                            StringRef layer) {
  HlsIntegerStage stage;
  auto fail = [&](Operation *at, const Twine &why) {
    return at->emitError("HLS layer '") << layer << "': " << why;
  };
  Value v = kernel->getResult(0);
  SmallVector<int64_t> kernelShape = getShapeWithoutBatch(v);
  const int64_t channels = kernelShape.back();
  SmallVector<int64_t> shape = kernelShape;
  SmallVector<int64_t> order;
  auto resetOrder = [&](ArrayRef<int64_t> s) {
    int64_t count = 1;
    for (int64_t d : s)
      count *= d;
    order.assign(count, 0);
    std::iota(order.begin(), order.end(), 0);
  };
  resetOrder(shape);
  bool isFloat = false, quantized = false;
  // Per-channel operands need the channels on the innermost axis, as the
  // kernel wrote them.
  auto inKernelLayout = [&] {
    return isIdentity(order) && shape == kernelShape;
  };
  using Kind = HlsIntegerStage::StepKind;
  while (true) {
    Operation *user = getSoleUser(v);
    bool reorder = user && isa<tosa::TransposeOp, tosa::ReshapeOp>(user) &&
                   user->getOperand(0) == v;
    if (quantized && !reorder) {
      // After the quantize-dequantize and any reorders: the next integer
      // layer's codes, or the end of the chain.
      stage.order = order;
      auto generic = dyn_cast_or_null<linalg::GenericOp>(user);
      Operation *next = generic ? getSoleUser(generic->getResult(0)) : nullptr;
      if (auto pad = dyn_cast_or_null<tensor::PadOp>(next))
        next = getSoleUser(pad.getResult());
      Operation *kernelUser = nullptr;
      if (auto pack = dyn_cast_or_null<BitplanePackOp>(next))
        kernelUser = getSoleUser(pack.getResult());
      if (!kernelUser ||
          !isa<TernaryPopcountOp, BitserialPopcountOp>(kernelUser)) {
        stage.result = v;
        return stage;
      }
      std::string why;
      FailureOr<HlsCodes> codes = matchHlsCodes(kernelUser->getOperand(0), why);
      if (failed(codes))
        return fail(user, "the next layer's codes: " + why);
      stage.next = *codes;
      stage.levelLo = 0;
      stage.levelHi = (int64_t(1) << codes->planes) - 1;
      return stage;
    }
    if (!user)
      return fail(kernel, "a value after its sums must have one user");
    auto operandIs = [&](unsigned i) { return user->getOperand(i) == v; };
    if (reorder) {
      SmallVector<int64_t> newShape = getShapeWithoutBatch(user->getResult(0));
      if (auto transpose = dyn_cast<tosa::TransposeOp>(user)) {
        SmallVector<int64_t> perms;
        if (failed(transpose.getConstantPerms(perms)) || perms.empty() ||
            perms[0] != 0)
          return fail(user, "a transpose must keep the batch first");
        order = transposeOrder(order, shape, perms, newShape);
      }
      shape = newShape;
    } else if (auto cast = dyn_cast<tosa::CastOp>(user)) {
      if (isFloat || !getElementTypeOrSelf(cast.getType()).isF32())
        return fail(user, "only a cast of its integer sums to f32 is "
                          "supported");
      stage.steps.push_back({Kind::ToFloat, {}});
      isFloat = true;
    } else if (isa<tosa::AddOp, tosa::SubOp, tosa::MulOp>(user)) {
      Value other = user->getOperand(operandIs(0) ? 1 : 0);
      bool sub = isa<tosa::SubOp>(user);
      if (sub && !operandIs(0))
        return fail(user, "only a constant subtracted from the sums is "
                          "supported");
      std::optional<SmallVector<double>> values =
          getChannelConstant(other, channels);
      if (!values || (values->size() > 1 && !inKernelLayout()))
        return fail(user, "its operand must be a constant per output "
                          "channel, applied in the kernel's layout");
      if (sub)
        for (double &x : *values)
          x = -x;
      if (auto mul = dyn_cast<tosa::MulOp>(user)) {
        if (!isFloat || mul.getShift() != 0)
          return fail(user, "only a float multiply is supported");
        stage.steps.push_back({Kind::MulF, *values});
      } else {
        stage.steps.push_back({isFloat ? Kind::AddF : Kind::AddInt, *values});
      }
    } else if (auto clamp = dyn_cast<tosa::ClampOp>(user)) {
      HlsIntegerStage::Step step{isFloat ? Kind::ClampF : Kind::ClampInt, {}};
      step.lo = isFloat ? clamp.getMinFp().convertToDouble()
                        : double(clamp.getMinInt());
      step.hi = isFloat ? clamp.getMaxFp().convertToDouble()
                        : double(clamp.getMaxInt());
      stage.steps.push_back(step);
    } else if (auto pool = dyn_cast<tosa::MaxPool2dOp>(user)) {
      if (stage.pool)
        return fail(user, "only one max-pool per layer is supported");
      if (!inKernelLayout())
        return fail(user, "a max-pool must see the sums' NHWC layout");
      if (llvm::any_of(pool.getPad(), [](int64_t p) { return p != 0; }))
        return fail(user, "a max-pool with padding is not supported");
      stage.pool = pool;
      kernelShape = getShapeWithoutBatch(pool.getResult());
      shape = kernelShape;
      resetOrder(shape);
    } else if (auto quantize = dyn_cast<QuantizeOp>(user)) {
      auto uniform = dyn_cast<quant::UniformQuantizedType>(
          getElementTypeOrSelf(quantize.getType()));
      if (!isFloat || !uniform)
        return fail(user, "the next activations must be quantized to a "
                          "per-tensor uniform type");
      Operation *dq = getSoleUser(quantize.getResult());
      if (!dq || !isa<DequantizeOp>(dq))
        return fail(user, "its quantization must be dequantized");
      HlsIntegerStage::Step step{Kind::Quant, {}};
      step.scale = float(uniform.getScale());
      step.zero = float(uniform.getZeroPoint());
      step.lo = double(uniform.getStorageTypeMin());
      step.hi = double(uniform.getStorageTypeMax());
      stage.steps.push_back(step);
      stage.outputScale = step.scale;
      stage.levelLo = uniform.getStorageTypeMin() - uniform.getZeroPoint();
      stage.levelHi = uniform.getStorageTypeMax() - uniform.getZeroPoint();
      quantized = true;
      user = dq;
    } else {
      return fail(user, "'" + user->getName().getStringRef() +
                            "' after its sums is not supported on the FPGA");
    }
    v = user->getResult(0);
  }
}

Value mlir::qc::getHlsIntegerStageEnd(Operation *kernel) {
  // Without diagnostics: the partition only looks for where to cut.
  ScopedDiagnosticHandler quiet(kernel->getContext(),
                                [](Diagnostic &) { return success(); });
  FailureOr<HlsIntegerStage> stage = analyzeHlsIntegerStage(kernel, "");
  if (failed(stage) || stage->next)
    return Value();
  return stage->result;
}
