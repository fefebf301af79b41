//===- RuntimeCallBuilder.h - Layers rewritten into runtime calls -*- C++
//-*-===//
//
// The rewriting behind convert-qc-to-runtime-calls: each method replaces
// one kind of op (after bufferization) by a call of the runtime's C ABI
// (runtime/RuntimeCalls.h), packing constant weights into the kernels'
// layouts and folding what surrounds the layer into the call. The float and
// integer layers are rewritten in QCToRuntimeCalls.cpp, the bit kernels in
// BitKernelCalls.cpp, the codebook layers in CentroidKernelCalls.cpp; the
// constant globals the calls read are made in RuntimeConstants.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_CPU_RUNTIMECALLBUILDER_H
#define QC_LOWERING_CPU_RUNTIMECALLBUILDER_H

#include "lowering/CPU/LayerEpilogues.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"

#include <limits>

namespace mlir {
namespace qc {

class RuntimeCallBuilder {
public:
  explicit RuntimeCallBuilder(ModuleOp module)
      : module(module), symbols(module) {}

  /// The layers rewritten so far and their calls, in IR order.
  SmallVector<Attribute> calls;

  /// Erases the unpacked weight globals nothing reads any more.
  void eraseUnpackedWeights();

  /// Replaces a float convolution with constant weights by a conv2d call.
  LogicalResult rewriteConv(linalg::Conv2DNhwcFhwcOp op);
  /// Replaces a float or int32 x int8 matmul (or matmul_transpose_b) with
  /// constant weights by a matmul call.
  LogicalResult rewriteMatmul(linalg::LinalgOp op);
  /// Replaces a float (or i16) max pooling by a max_pool2d call, or a float
  /// sum pooling (average pooling's sums) by a sum_pool2d call.
  LogicalResult rewritePool(linalg::LinalgOp op);
  /// Replaces a float depthwise convolution (multiplier 1) with constant
  /// weights by a depthwise_conv2d call.
  LogicalResult rewriteDepthwise(linalg::DepthwiseConv2DNhwcHwcmOp op);
  /// Replaces the generic of a binary convolution (kXnorConvKernelAttr) on
  /// memrefs by an xnor_conv2d call (BitKernelCalls.cpp).
  LogicalResult rewriteXnorConv(linalg::GenericOp op);
  /// Replaces the generic of a binary dense layer (kXnorDenseKernelAttr)
  /// with constant weights by an xnor_conv2d call on a 1 x N image
  /// (BitKernelCalls.cpp).
  LogicalResult rewriteXnorDense(linalg::GenericOp op);
  /// Replaces the generic of a bit packing of f32 values into 32-bit words
  /// (kBitPackKernelAttr) on contiguous memrefs by a bitpack_f32 call
  /// (BitKernelCalls.cpp).
  LogicalResult rewriteBitPack(linalg::GenericOp op);
  /// Replaces the generic of a per-centroid accumulation
  /// (kCentroidKernelAttr) of f32 or i32 inputs by a centroid_conv2d or
  /// centroid_dense call (CentroidKernelCalls.cpp).
  LogicalResult rewriteCentroid(linalg::GenericOp op);
  /// Replaces the generic of a threshold packing of i16 or i32 sums into
  /// 32-bit words (kThresholdPackKernelAttr) with a constant table by a
  /// threshold_pack call (BitKernelCalls.cpp).
  LogicalResult rewriteThresholdPack(linalg::GenericOp op);

private:
  /// The values of the constant f32 global `value` reads, if it reads one;
  /// `global` receives that global.
  DenseElementsAttr getConstantWeights(Value value, memref::GlobalOp &global);
  /// The forms of a weight global the kernels read.
  enum class WeightForm { Packed, PackedForDot, FilterSums, Thresholds };
  /// The values of the constant global `value` reads, of any element type,
  /// if it reads one; `global` receives that global.
  DenseElementsAttr getConstantGlobal(Value value, memref::GlobalOp &global);
  /// Reads the `form` of the weights in global `original`, creating it as a
  /// private constant global from `make` the first time.
  Value getWeightForm(OpBuilder &builder, Location loc,
                      memref::GlobalOp original, WeightForm form,
                      llvm::function_ref<DenseElementsAttr()> make);
  /// Reads `value` from a private constant global (one per value, named
  /// after `name`).
  Value getConstant(OpBuilder &builder, Location loc, DenseElementsAttr value,
                    StringRef name);
  /// A private constant global of `value`, 64-byte aligned, named after
  /// `name` (renamed on a clash), created where `moduleBuilder` points.
  memref::GlobalOp createConstantGlobal(OpBuilder &moduleBuilder, Location loc,
                                        DenseElementsAttr value,
                                        StringRef name);
  /// The declaration of runtime function `name` taking `argTypes`.
  func::FuncOp getDeclaration(StringRef name, TypeRange argTypes);
  /// Notes that `op`'s layer now calls `callee`.
  void recordCall(Operation *op, func::FuncOp callee);
  /// Replaces `op` by a call of runtime function `name` with `args`.
  void replaceWithCall(OpBuilder &builder, Operation *op, StringRef name,
                       ValueRange args);
  /// Appends the window (when given), strides and dilations as i64s.
  static void appendWindowArgs(OpBuilder &builder, Location loc,
                               ArrayRef<int64_t> window,
                               DenseIntElementsAttr strides,
                               DenseIntElementsAttr dilations,
                               SmallVectorImpl<Value> &args);
  /// Whether `value` is a memref [rows][cols] of identity layout, which
  /// viewAsImageRow can view as an image.
  static bool isPlainMatrix(Value value);
  /// Matrix `matrix` ([rows][cols], isPlainMatrix) viewed as the NHWC image
  /// [1][1][rows][cols]: one row of `rows` pixels.
  static Value viewAsImageRow(OpBuilder &builder, Location loc, Value matrix);
  /// `value` cast to the fully dynamic memref type of its rank.
  static Value castToAny(OpBuilder &builder, Location loc, Value value);

  /// How a layer's output transform is passed to its ukernel.
  struct OutputTransform {
    /// The bias vector (one zero when the output's initial value is kept).
    Value bias;
    /// The output's initial value is added (no bias fill was folded).
    bool accumulate = true;
    float lo = -std::numeric_limits<float>::infinity();
    float hi = std::numeric_limits<float>::infinity();
    /// The ops folded into the call, erased with the layer.
    SmallVector<Operation *> fused;
    /// Where the call writes: the layer's output, or the buffer its folded
    /// clamp wrote (viewed in the output's shape); the call goes after
    /// `last`, the last op folded, where that buffer exists.
    Value output;
    Operation *last = nullptr;
  };
  /// Folds the bias fill before `layer` and the ReLU/clamp after it, on its
  /// output `out` of `channels` channels, into an OutputTransform. The clamp
  /// may read `out` or an expand_shape of it, and write in place or into
  /// another buffer when nothing else reads `out` then.
  OutputTransform getOutputTransform(OpBuilder &builder, Operation *layer,
                                     Value out, int64_t channels);
  /// Replaces convolution or dense layer `op` by a call of `call` on
  /// `input`, the `packed` weight forms and `output` (then `appendWindow`'s
  /// arguments): integer kernels accumulate into the output; float ones
  /// take the layer's folded output transform (getOutputTransform).
  void
  replaceLayer(OpBuilder &builder, Operation *op, Value input,
               ArrayRef<Value> packed, Value output, int64_t channels,
               bool integer, StringRef call,
               llvm::function_ref<void(SmallVectorImpl<Value> &)> appendWindow);
  /// Replaces integer convolution `op` (`args`: its input and weight
  /// forms) and the output stage after it by one fused call writing the
  /// stage's output.
  void replaceWithFusedStage(
      OpBuilder &builder, Operation *op, SmallVectorImpl<Value> &args,
      const IntegerOutputStage &stage,
      llvm::function_ref<void(SmallVectorImpl<Value> &)> appendWindow);
  /// Appends the arguments of the fused output stage `stage` (its scale and
  /// shift vectors, relu, and for a requantization its scalars).
  void appendStageArgs(OpBuilder &builder, Location loc,
                       const IntegerOutputStage &stage,
                       SmallVectorImpl<Value> &args);
  /// Replaces binary convolution generic `op`, whose output is `sums`, by
  /// an xnor_conv2d call on `buffers` (input, mask, weights), `window`
  /// (strides and dilations, H then W) and whether there is a mask. When
  /// the sums start at a constant and nothing but an output stage reads
  /// them, the call writes the stage's output instead (its _dequant or
  /// _requant form), and the fill and the stage go. With `rowImage` (a
  /// dense layer), the sums and the stage's output are [N][C] matrices,
  /// called as one-row images.
  void replaceWithXnorCall(OpBuilder &builder, linalg::GenericOp op,
                           ArrayRef<Value> buffers, Value sums,
                           ArrayRef<int64_t> window, bool hasMask,
                           bool rowImage);
  /// Appends the output transform's scalar arguments.
  static void appendTransformArgs(OpBuilder &builder, Location loc,
                                  const OutputTransform &transform,
                                  SmallVectorImpl<Value> &args);
  /// A read of the constant vector holding one 0.0f.
  Value getZeroBias(OpBuilder &builder, Location loc);

  ModuleOp module;
  SymbolTable symbols;
  /// Weight forms by the global they were made from and their form.
  llvm::DenseMap<std::pair<Operation *, unsigned>, memref::GlobalOp>
      weightForms;
  /// The globals of getConstant, by value.
  llvm::DenseMap<Attribute, memref::GlobalOp> constants;
  memref::GlobalOp zeroBias;
};

} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_CPU_RUNTIMECALLBUILDER_H
