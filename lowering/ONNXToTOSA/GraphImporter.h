//===- GraphImporter.h - ONNX graph import state ----------------*- C++ -*-===//
//
// Internal to the ONNX importer: the state of one graph import (the ONNX
// value names bound so far, the constants known at import time, the node being
// imported) and the builder helpers the per-op-group files share. Each op
// group lives in its own file: ImportNN.cpp (Conv, Gemm, MatMul, pools,
// BatchNormalization), ImportElementwise.cpp (activations and arithmetic),
// ImportShape.cpp (Reshape, Transpose, Concat, ...), ImportSlice.cpp (Slice,
// Split), ImportPad.cpp, ImportReduce.cpp (Reduce*), ImportQuant.cpp (QDQ and
// QONNX).
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_ONNXTOTOSA_GRAPHIMPORTER_H
#define QC_LOWERING_ONNXTOTOSA_GRAPHIMPORTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>

#include "onnx/onnx_pb.h"

namespace mlir {
namespace qc {
namespace onnx_import {

/// Imports the main graph of one ONNX model into a `func.func @main`.
///
/// ONNX values are bound by name either to an SSA value or, when known at
/// import time (initializers, Constant nodes, folded shape computations), to
/// a DenseElementsAttr that is materialized as a `tosa.const` at each use.
/// Keeping constants symbolic lets the importer read shapes, scales and zero
/// points, and fold weight layout changes, without leaving dead constants.
class GraphImporter {
public:
  GraphImporter(MLIRContext *context, StringRef filename,
                const onnx::ModelProto &model);

  /// Imports the graph; null after reporting errors.
  OwningOpRef<ModuleOp> import();

  //===--------------------------------------------------------------------===//
  // The node being imported
  //===--------------------------------------------------------------------===//

  /// The opset version of the default ONNX domain.
  int64_t getOpset() const { return defaultOpset; }
  const onnx::NodeProto &getNode() const { return *node; }
  Location getLoc() const { return loc; }
  OpBuilder &getBuilder() { return builder; }
  MLIRContext *getContext() { return context; }

  /// Reports an error at the current node; the message names the node and
  /// its op type.
  InFlightDiagnostic emitNodeError();

  /// Whether input `index` is present (ONNX marks skipped optional inputs
  /// with an empty name).
  bool hasInput(unsigned index) const;
  /// The value of input `index`; constants are materialized as `tosa.const`.
  /// Reports an error when the input is absent.
  FailureOr<Value> getInput(unsigned index);
  /// The value of input `index` when it is known at import time, else null.
  DenseElementsAttr getConstantInput(unsigned index);
  /// The static type of input `index`, for inputs bound to values or
  /// constants; null when absent.
  RankedTensorType getInputType(unsigned index);

  /// Binds output `index` of the current node. A value produced by a
  /// `tosa.const` is kept as a constant (and the op dropped when unused).
  void setOutput(unsigned index, Value value);
  void setConstantOutput(unsigned index, DenseElementsAttr value);
  /// Number of outputs with a non-empty name.
  unsigned getNumUsedOutputs() const;

  //===--------------------------------------------------------------------===//
  // Attributes of the current node. A present attribute of the wrong kind is
  // reported and makes the node fail.
  //===--------------------------------------------------------------------===//

  const onnx::AttributeProto *findAttr(StringRef name) const;
  int64_t getIntAttr(StringRef name, int64_t defaultValue);
  /// A 0/1 integer attribute (ceil_mode, transA, ...); any other value is
  /// an error naming the attribute.
  bool getBoolAttr(StringRef name, bool defaultValue);
  float getFloatAttr(StringRef name, float defaultValue);
  std::string getStringAttr(StringRef name, StringRef defaultValue);
  std::optional<SmallVector<int64_t>> getIntsAttr(StringRef name);
  std::optional<SmallVector<float>> getFloatsAttr(StringRef name);
  /// True once an attribute error has been reported for the current node.
  bool hasAttrError() const { return attrError; }

  //===--------------------------------------------------------------------===//
  // Building blocks shared by the op groups
  //===--------------------------------------------------------------------===//

  /// Converts an ONNX TensorProto (raw or typed fields) to an attribute,
  /// reporting unsupported data types and external data.
  FailureOr<DenseElementsAttr> convertTensor(const onnx::TensorProto &tensor);

  Value createConstant(DenseElementsAttr value);
  /// A constant of `rank` ones in every dimension holding `value`, so that it
  /// broadcasts against a tensor of that rank.
  Value createSplat(Type elementType, double value, int64_t rank);
  /// `tosa.reshape`; `shape` may hold one dynamic extent. Constants fold.
  Value createReshape(Value input, ArrayRef<int64_t> shape);
  /// `tosa.transpose` by `perm`; constants fold.
  Value createTranspose(Value input, ArrayRef<int64_t> perm);
  /// Prepends unit dimensions to reach `rank` (numpy broadcasting).
  Value expandRank(Value input, int64_t rank);
  /// `tosa.slice` along one axis.
  Value createSlice(Value input, int64_t axis, int64_t start, int64_t size);
  /// `tosa.clamp` for float tensors.
  Value createClamp(Value input, float lo, float hi);
  /// `tosa.mul` with shift 0.
  Value createMul(Value lhs, Value rhs);

  /// What a pooling window computes.
  enum class PoolKind { Max, AvgExcludePad, AvgIncludePad };
  /// A 2-D pool of NHWC `input` with a dilated window (ImportDilatedPool.cpp).
  /// Each list holds the (height, width) values; `padEnd` is the declared
  /// end padding and `output` the output extents, ceil_mode included.
  FailureOr<Value> createDilatedPool(Value input, PoolKind kind,
                                     ArrayRef<int64_t> kernel,
                                     ArrayRef<int64_t> stride,
                                     ArrayRef<int64_t> dilation,
                                     ArrayRef<int64_t> padBegin,
                                     ArrayRef<int64_t> padEnd,
                                     ArrayRef<int64_t> output);

  /// The numpy broadcast of two shapes, or failure (reported).
  FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs,
                                                  ArrayRef<int64_t> rhs);
  /// Brings two operands to a common rank and returns the broadcast result
  /// type with `elementType`.
  FailureOr<RankedTensorType> prepareBroadcast(Value &lhs, Value &rhs,
                                               Type elementType);

  /// Reports unless `value` is a ranked float tensor of one of `ranks`
  /// (any rank when empty).
  LogicalResult requireFloatTensor(Value value, StringRef what,
                                   ArrayRef<int64_t> ranks = {});

  /// Normalizes a possibly negative `axis` of a rank-`rank` tensor; reports
  /// out-of-range axes.
  FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank);

  //===--------------------------------------------------------------------===//
  // Op importers, one per ONNX op type (defined in the op group files)
  //===--------------------------------------------------------------------===//

  // ImportNN.cpp
  LogicalResult importConv();
  LogicalResult importGemm();
  LogicalResult importMatMul();
  LogicalResult importMaxPool();
  LogicalResult importAveragePool();
  LogicalResult importGlobalAveragePool();
  LogicalResult importGlobalMaxPool();
  LogicalResult importBatchNormalization();

  // ImportElementwise.cpp
  LogicalResult importRelu();
  LogicalResult importLeakyRelu();
  LogicalResult importClip();
  LogicalResult importSign();
  LogicalResult importHardSigmoid();
  LogicalResult importSigmoid();
  LogicalResult importTanh();
  LogicalResult importBinary();
  LogicalResult importSoftmax();
  LogicalResult importIdentity();
  LogicalResult importDropout();

  // ImportShape.cpp
  LogicalResult importConstant();
  LogicalResult importFlatten();
  LogicalResult importReshape();
  LogicalResult importTranspose();
  LogicalResult importConcat();
  LogicalResult importSqueeze();
  LogicalResult importUnsqueeze();
  LogicalResult importShape();
  LogicalResult importGather();
  LogicalResult importCast();

  // ImportSlice.cpp
  LogicalResult importSlice();
  LogicalResult importSplit();
  /// Folds Add/Sub/Mul/Div of two integer constants (the shape arithmetic
  /// exporters compute slice bounds with). Nullopt when the operands are not
  /// both integer constants of a shape it folds.
  std::optional<LogicalResult> foldIntegerBinary();

  // ImportPad.cpp
  LogicalResult importPad();

  // ImportReduce.cpp
  LogicalResult importReduceSum();
  LogicalResult importReduceMean();
  LogicalResult importReduceMax();
  LogicalResult importReduceMin();
  LogicalResult importReduceSumSquare();

  // ImportQuant.cpp
  LogicalResult importQuantizeLinear();
  LogicalResult importDequantizeLinear();
  LogicalResult importQONNXQuant();
  LogicalResult importBipolarQuant();
  LogicalResult importMultiThreshold();

  //===--------------------------------------------------------------------===//
  // Shapes computed at import time from tensors with dynamic extents
  //===--------------------------------------------------------------------===//

  /// One element of an integer shape vector: a known value, or the extent of
  /// dimension `sourceDim` of `source`, known only at run time.
  struct ShapeElement {
    int64_t value = 0;
    Value source;
    int64_t sourceDim = -1;
    bool isKnown() const { return !source; }
  };
  /// An int64 scalar or 1-D tensor computed from shapes (Shape, Gather,
  /// Unsqueeze, Concat, ...) that involves dynamic extents. Tracked
  /// symbolically so that `x.view(x.size(0), -1)` exported with a dynamic
  /// batch still reshapes with static inner extents.
  struct SymbolicShape {
    SmallVector<ShapeElement> elements;
    bool isScalar = false;
  };
  /// Input `index` as a shape vector: a symbolic one, or an integer constant
  /// of rank <= 1. Nullopt otherwise.
  std::optional<SymbolicShape> getShapeInput(unsigned index);
  void setShapeOutput(unsigned index, SymbolicShape shape);

  //===--------------------------------------------------------------------===//
  // Batch constraints (BatchConstraints.cpp)
  //===--------------------------------------------------------------------===//

  /// The c with `value`'s extent along `dim` = c x batch at run time, when
  /// the importer can follow that extent back to the batch of the inputs.
  std::optional<int64_t> getBatchFactor(Value value, unsigned dim);
  /// Records that the current node needs the dynamic extent `dim` of `value`
  /// to be `extent`, which fixes the batch; fails with an error naming
  /// `what` when no batch, or not the batch an earlier node fixed, does.
  LogicalResult requireExtent(Value value, unsigned dim, int64_t extent,
                              StringRef what);
  /// The same for the element count of `value`, which has one dynamic
  /// extent (a reshape to a static shape).
  LogicalResult requireElementCount(Value value, int64_t count,
                                    StringRef what);

  /// A member that imports the current node.
  using Handler = LogicalResult (GraphImporter::*)();

private:
  /// The importer for `nodeProto`, or null when the op is unsupported
  /// (OpSchemas.cpp).
  Handler findHandler(const onnx::NodeProto &nodeProto) const;
  /// Checks `nodeProto` (of a supported op) against its op's schema: input
  /// and output counts, and attributes that are unknown or given twice.
  /// Reports each problem at `nodeLoc`.
  LogicalResult checkNodeSignature(const onnx::NodeProto &nodeProto,
                                   Location nodeLoc);
  int64_t getOpsetFor(StringRef domain) const;
  Location getNodeLoc(const onnx::NodeProto &nodeProto, int index);
  /// Reports every unsupported node and every input name that is used before
  /// it is defined; succeeds when there is none.
  LogicalResult checkGraph();
  FailureOr<RankedTensorType>
  convertValueInfo(const onnx::ValueInfoProto &info);
  /// Fails with an error when graph output `output` declares an element
  /// type or static extents that `value`, which the graph computes, does
  /// not have.
  LogicalResult checkDeclaredOutput(const onnx::ValueInfoProto &output,
                                    Value value);
  DenseElementsAttr lookupConstant(StringRef name);

  MLIRContext *context;
  std::string filename;
  const onnx::ModelProto &model;
  OpBuilder builder;
  int64_t defaultOpset = 0;

  /// SSA values bound to ONNX names.
  llvm::StringMap<Value> values;
  /// Constants bound to ONNX names (converted initializers, Constant nodes,
  /// folded results).
  llvm::StringMap<DenseElementsAttr> constants;
  /// Shape vectors with dynamic elements bound to ONNX names.
  llvm::StringMap<SymbolicShape> shapeValues;
  /// Initializers not converted yet: most are converted on first use.
  llvm::StringMap<const onnx::TensorProto *> initializers;

  const onnx::NodeProto *node = nullptr;
  Location loc;
  /// The batch some node fixed (requireExtent), and that node's name.
  std::optional<int64_t> requiredBatch;
  std::string requiredBatchNode;
  bool attrError = false;
};

/// The constant `value` holds when it comes straight from a `tosa.const`.
DenseElementsAttr getConstValue(Value value);

/// Erases the producer of `value` when nothing uses it any more (a constant
/// that has been folded into another).
void dropIfUnused(Value value);

/// `[2, ?, 3]`, for diagnostics.
std::string formatShape(ArrayRef<int64_t> shape);

/// ONNX TensorProto data type to MLIR element type; null when unsupported.
Type convertDataType(MLIRContext *context, int32_t dataType);

/// True for the domains QONNX and FINN custom ops are exported under.
bool isQONNXDomain(StringRef domain);
/// True for ONNX's default domain ("" or "ai.onnx").
bool isDefaultDomain(StringRef domain);

/// The ONNX name of element type `dataType` (FLOAT, INT8, ...), for errors.
std::string getDataTypeName(int32_t dataType);

} // namespace onnx_import
} // namespace qc
} // namespace mlir

#endif // QC_LOWERING_ONNXTOTOSA_GRAPHIMPORTER_H
