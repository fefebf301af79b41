//===- Passes.td - qc conversion passes --------------------*- tablegen -*-===//
//
// The conversions out of the qc dialect: to its float reference semantics
// and kernel loops in linalg. Transforms within qc (qc-quantize,
// qc-lower-macs, qc-fuse, ...) are declared in passes/Passes.td.
//
//===----------------------------------------------------------------------===//

#ifndef QC_LOWERING_PASSES_TD
#define QC_LOWERING_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertQCToLinalg : Pass<"convert-qc-to-linalg", "ModuleOp"> {
  let summary = "Lower qc quantization to its float reference semantics";
  let description = [{
    Every tensor of a quantized element type becomes a tensor of its
    expressed float type holding the values its codes stand for.
    `qc.quantize` becomes an element-wise linalg.generic computing exactly
    the rounding the type defines (round half to even and clamp for
    `!quant.uniform`, sign for binary, threshold for ternary, nearest level
    for power-of-two, nearest centroid for codebook), per tensor or per
    axis; `qc.dequantize` becomes the identity; `qc.constant` becomes a
    float constant. Function signatures are converted too. This is the
    plain reference path that quantized kernels are checked against.

    The kernel-level ops that qc-lower-macs creates lower here too:
    `qc.bitpack` to an or-reduction over the bits of each word, and
    `qc.xnor_popcount` (dense or convolution, with a mask or a zero-padding
    border correction) to linalg.generic reductions of `math.ctpop`.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QCLinalgElementwiseFusion
    : Pass<"qc-linalg-elementwise-fusion", "func::FuncOp"> {
  let summary = "Fuse elementwise linalg ops, with a bound on the fused body";
  let description = [{
    Upstream's elementwise fusion (producer into consumer when the producer
    has one use, reshapes folded by expansion, constant folding of linalg
    ops) with three differences:
    - a fusion is skipped when the fused body would hold more than
      `max-body-ops` operations. Each fusion clones the producer's body, so
      an unbounded chain of n elementwise ops costs O(n^2); with the bound a
      chain becomes ceil(n / max-body-ops) loops and compiles in linear
      time. Real networks' elementwise chains (bias, BN, activation,
      requantization) stay far below the bound and fuse as before;
    - producers fuse only into consumers whose loops are all parallel, and
      reshapes fold only into `linalg.generic` ops: fused into a reduction
      (a 1x1 convolution in matmul form), an activation would be recomputed
      for every output channel, and a matmul turned into a generic is no
      longer one a ukernel serves;
    - a `linalg.transpose` of a dense constant folds into the transposed
      constant (TOSA's fully connected layers, which 1x1 convolutions
      decompose into, transpose their weights).
  }];
  let options = [
    Option<"maxBodyOps", "max-body-ops", "int64_t", /*default=*/"128",
           "Largest number of operations a fused body may hold">
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QCUnshareDestinations
    : Pass<"qc-unshare-destinations", "func::FuncOp"> {
  let summary = "Give every linalg op its own destination tensor";
  let description = [{
    CSE merges the `tensor.empty` and the initializing fill (a `linalg.fill`
    or a generic without inputs) of every layer that has the same shape, so
    that one fill feeds the destinations of many layers. One-shot
    bufferization then checks every write into that tensor against every
    other use of it (time quadratic in the number of layers: 300 layers of a
    1x1 conv chain took 2 s) and gives each layer but one an allocation and
    a copy of the fill. Before bufferization, this pass clones the empty
    tensor, or the fill and its empty tensor, right before each further
    destination use, so that each layer writes its own tensor in place. The
    values are the same; a fill per layer replaces a copy per layer.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QCElideCopies : Pass<"qc-elide-copies", "func::FuncOp"> {
  let summary = "Let producers write into the view a copy would fill";
  let description = [{
    After bufferization, a layer whose result is padded for the next layer
    writes its own buffer, which a `linalg.copy` then copies into the
    interior `memref.subview` of the padded buffer. When the copied buffer
    is a fresh allocation of the same block that nothing but its writers
    before the copy and its deallocation use, and the destination views a
    fresh allocation of that block, the writers get the destination view
    instead and the copy and the source buffer go away. Writers are linalg
    ops, `memref.dim`s, and `memref.cast`s that only feed calls of runtime
    functions that honour strided views (the NHWC convolution and pooling
    calls). The destination buffer, its subviews and fills, and the
    side-effect-free ops they use move before the first writer; when any
    other op between the first writer and the copy touches the destination
    buffer, or an op the move needs has side effects, the copy stays. The
    values are the same; the copy's memory traffic and the source buffer are
    gone.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def QCShrinkPadFills : Pass<"qc-shrink-pad-fills", "func::FuncOp"> {
  let summary = "Fill only the border of a padded buffer";
  let description = [{
    After bufferization, padding is a `linalg.fill` of the padded buffer
    followed by a `linalg.copy` of the unpadded tensor into an interior
    `memref.subview` (unit strides) of it. When only side-effect-free ops
    and allocations lie between the two, the fill is replaced by fills of
    the border slabs: for each dimension d, the part below and the part
    above the interior along d, over the interior in the dimensions before
    d and whole in the ones after. The values written are the same; the
    interior is no longer written twice.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::memref::MemRefDialect"];
}

def QCVectorizeElementwise
    : Pass<"qc-vectorize-elementwise", "func::FuncOp"> {
  let summary = "Vectorize the elementwise linalg ops left on buffers";
  let description = [{
    After bufferization (and the runtime calls), each `linalg.fill`,
    `linalg.copy` and all-parallel `linalg.generic` on memrefs whose output
    map is the identity, whose innermost output dimension is static, and
    whose inputs read along that dimension or not at all (broadcasts) is
    tiled to one row of the innermost dimension (the whole row up to 64
    elements, else 64, 32, 16 or 8 elements that divide it) and vectorized
    by upstream's linalg vectorizer; leading unit dimensions are dropped and
    in-bounds transfers become vector loads and stores. Ops with transposing
    reads, dynamic or unit innermost dimensions, or bodies the vectorizer
    refuses stay for convert-linalg-to-loops. LLVM does not vectorize these
    loops itself: their buffers are views of one arena it cannot prove
    disjoint. Copies of rows of at least 1024 elements contiguous on both
    sides become a `memref.copy` (memcpy) per row instead: vector loops over
    such rows were unrolled into hundreds of loads and stores that LLVM's
    schedulers took seconds to order.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def QCOutlineSegments : Pass<"qc-outline-segments", "ModuleOp"> {
  let summary = "Cut long straight-line functions into functions of bounded size";
  let description = [{
    Once its loop nests are outlined, the model's entry is a sequence of
    every layer's calls, their arguments' setup and the loops that call the
    nests, which LLVM unrolls when their trip counts are small: one long
    basic block. LLVM schedules each basic block as one DAG, in time
    quadratic in its length (a chain of 300 small layers spent seconds
    there). This pass cuts the top-level operations of
    every single-block function into consecutive segments of at most
    `max-ops` operations and moves each into a private `noinline` function
    called in its place. What is computed without touching memory (views of
    the arena and the arguments, casts, constants, index arithmetic) is
    recomputed in each part that uses it; other values a part uses become
    its arguments, and those it defines that later parts use become its
    results. Passing views instead made calls with thousands of scalar
    arguments (a memref is 3 + 2 x rank of them), whose instruction
    selection is quadratic too. Program order and the values computed are
    unchanged.
  }];
  let options = [
    Option<"maxOps", "max-ops", "int64_t", /*default=*/"256",
           "Largest number of top-level operations left in one function">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect"];
}

def QCOutlineLoopNests : Pass<"qc-outline-loop-nests", "ModuleOp"> {
  let summary = "Give each top-level loop nest of a function its own function";
  let description = [{
    After linalg is lowered to loops, the model is one function holding
    every layer's loop nest. LLVM's loop and scheduling analyses grow faster
    than linearly in the size of a function (a 300-layer chain did not
    compile in minutes), so this pass moves every top-level `scf.for` of
    each function into a private function of its own, called in its place,
    and marks it `noinline`: the values the nest uses from outside become
    arguments, constants are cloned in. Each layer then compiles on its own,
    for one call per nest. Loops with iteration arguments stay in place, and
    so do nests smaller than `min-ops` operations (by default every nest
    moves).
  }];
  let options = [
    Option<"minOps", "min-ops", "int64_t", /*default=*/"1",
           "Smallest number of operations a loop body must hold to be "
           "outlined">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect"];
}

def QCBufferizeWideConcats
    : Pass<"qc-bufferize-wide-concats", "func::FuncOp"> {
  let summary = "Copy the inputs of a tosa.concat of many inputs into one buffer";
  let description = [{
    tosa-to-tensor lowers a concat of N inputs to a chain of N
    `tensor.insert_slice` ops into one destination, and one-shot
    bufferization's alias analysis takes time cubic in the length of such a
    chain (a 400-input Concat took over 7 minutes; splitting it into a tree of
    concats does not help, canonicalization merges the chains again). This
    pass bufferizes every concat of more than `max-inputs` inputs on its own:
    a `memref.alloc` of the result, one
    `bufferization.materialize_in_destination` of each input into its
    subview, and a `restrict` `bufferization.to_tensor` of the buffer, which
    one-shot bufferization takes as it is. Its time is then linear in N. Smaller concats keep the
    usual path, which can write their inputs in place.
  }];
  let options = [
    Option<"maxInputs", "max-inputs", "int64_t", /*default=*/"16",
           "Largest number of inputs a concat may have to keep the usual path">
  ];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QCSinkTransposes : Pass<"qc-sink-transposes", "func::FuncOp"> {
  let summary = "Move tosa.transpose below elementwise ops";
  let description = [{
    ONNX models are NCHW and TOSA convolutions NHWC, so the importer puts a
    transpose to NCHW after every convolution and one back before the next;
    an activation between them (`transpose -> clamp -> transpose back`)
    keeps both, and each costs a pass over the activation at run time. This
    pass rewrites `op(transpose(x, P))` into `transpose(op(x), P)` for unary
    elementwise ops, and `op(transpose(x, P), transpose(y, P))` into
    `transpose(op(x, y), P)` for binary ones (add, sub, mul, maximum,
    minimum) on operands of one shape (a residual addition), when the
    transpose has no other user or moves below every user it has (a
    binarized residual block's sum feeds the next block's sign and its
    residual addition), so that no transpose is ever computed twice; the
    canonicalizer then folds the inverse transposes away. Elementwise ops
    commute with any permutation, so values are unchanged.
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
}

def ConvertQCToRuntimeCalls
    : Pass<"convert-qc-to-runtime-calls", "ModuleOp"> {
  let summary = "Call the runtime's ukernels for the layers they serve";
  let description = [{
    After bufferization, rewrites each kernel-level op that a runtime ukernel
    serves into a `func.call` of the runtime's C ABI (runtime/RuntimeCalls.h),
    in the style of IREE's lowering to ukernels. The calls take memref
    descriptors (`llvm.emit_c_interface`); ops no ukernel serves keep the
    linalg path. Served today:
    - `linalg.conv_2d_nhwc_fhwc` on f32 with constant weights: the direct
      convolution ukernel; on int32 activations with constant int8 weights
      (qc's quantized layers on the reference path): the same kernel in
      int32 arithmetic, accumulating into the output (bit-exact);
    - `linalg.matmul` and `linalg.matmul_transpose_b` on f32, or on int32
      activations with int8 weights, with constant weights (dense layers):
      the same ukernels as a 1x1 convolution;
    - `linalg.depthwise_conv_2d_nhwc_hwcm` on f32 with constant weights and
      multiplier 1: the depthwise ukernel, with its zero fill before, its
      bias added after and a ReLU/clamp of its output's 4-D view (in place
      or into another buffer, which the call then writes) folded in;
    - `linalg.pooling_nhwc_max` on f32: the max-pooling ukernel.
    The output transform of convolutions and dense layers is fused into the
    call: a `linalg.generic` that fills the output with a per-channel bias
    vector right before the layer becomes the kernel's bias argument, and a
    `linalg.generic` right after it that applies
    `arith.maximumf`/`arith.minimumf` with constants (ReLU, clamp) to the
    output or an expand_shape of it becomes its clamp bounds; both ops go.
    When that clamp writes another buffer and nothing else reads the
    output, the call writes the clamp's buffer instead. "Right before/after" means that only ops
    without memory effects (and allocations) lie between
    (lowering/CPU/LayerEpilogues.h). Without a bias fill the kernel adds the
    output's initial value, as the linalg op does.
    Convolution and dense weights are packed at compile time into the kernel's layout
    ([KH][KW][C][F] with F padded by zeros to a multiple of 32), as a new
    constant global; the unpacked global goes when nothing else reads it.
  }];
  let dependentDialects = ["::mlir::qc::QCDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def QCPlanBuffers : Pass<"qc-plan-buffers", "ModuleOp"> {
  let summary = "Place a function's buffers in one arena, reused over time";
  let description = [{
    After bufferization every activation is a `memref.alloc`, freed at the
    end of the function: a model call mallocs and frees each one, and the
    kernel's page faults on the fresh memory cost as much as the small
    layers. This pass plans the buffers of each function at compile time:

    - A buffer is planned when it is allocated in the function's entry block
      with an identity layout and its pointer never escapes: every use, and
      every use of a view of it, reads or writes it in place (linalg,
      load/store, copy, dim, dealloc, calls of external functions such as
      the runtime's ukernels). Others keep their allocation.
    - Its lifetime runs from the allocation to the last operation of the
      entry block that touches it or a view of it.
    - Buffers are visited in program order and each goes into a slot whose
      buffers are all dead by then, the free slot closest in size (the
      smallest that fits, else the largest), or a new slot. A slot's size is
      the largest of its buffers, rounded up to 64 bytes.

    Dynamic extents (the batch) are known only at run time, so slot sizes
    and offsets are computed at the top of the function from the buffers'
    dynamic sizes, and each allocation becomes a `memref.view` of one
    arena. If an argument carries `qc.workspace` (a `memref<?xi8>`, the
    caller's scratch memory) and is large enough, it is the arena and the
    call allocates nothing; otherwise the arena is allocated once and freed
    before each return. The module's `qc.buffer_plan` records the count of
    planned and unplanned buffers, slots, and the arena's bytes when every
    dynamic extent is 1 (per image for a batched model).
  }];
  let dependentDialects = ["::mlir::qc::QCDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

def QCHlsPartition : Pass<"qc-hls-partition", "ModuleOp"> {
  let summary = "Outline the FPGA part of a model into its own function";
  let description = [{
    A quantized model usually keeps its first and last layers in float, for
    the host. The FPGA part is the chain of binary layers: from the values
    the first binary layer packs (the output of a binary or ternary
    quantize-dequantize of scale 1, seen through transposes and reshapes)
    to the last binary layer's levels (or its sums after the cast and
    max-pool). A chain of integer layers (qc.ternary_popcount,
    qc.bitserial_popcount) goes from the float values whose codes the first
    one reads to the last one's dequantized output. This pass moves that
    chain into a private function
    `@qc_fpga` (recording the input's levels) and calls it from the model.
    Every op of the chain must be used only inside it; a layer off the
    chain, or a value leaving it other than its output, is an error naming
    it.
  }];
}

def QCHlsPrepare : Pass<"qc-hls-prepare", "ModuleOp"> {
  let summary = "Check and annotate a kernel-level function for the HLS "
                "printer";
  let description = [{
    Recognizes the FPGA function: one tensor in, one out, a chain of
    binary layers. Each layer is `qc.bitpack` of the signs (and `qc.bitpack
    {nonzero}` of the same values for inputs that can be 0) into a
    `qc.xnor_popcount` (dense, or a convolution without dilation or
    groups), `tosa.cast` of the sums to f32, an optional unpadded
    `tosa.max_pool2d`, and `qc.multi_threshold` with integer levels
    (followed by a binary or ternary quantize-dequantize of scale 1 that
    keeps them), or the function's result. The values a layer reads come
    from the previous layer's levels (the function's argument, through such
    a quantize-dequantize, for the first), through transposes and reshapes:
    a convolution must read them in NHWC order; a dense layer's packed
    weight columns are permuted into the order the values arrive in.

    It records on each `qc.xnor_popcount` its C name (from the ONNX node
    name), the accumulator width from the weights' bound (signed,
    ceil(log2(MW + 1)) + 1 bits for MW +-1 products), the input lanes'
    width, the max-pool window, the thresholds as integers (x >= t exactly
    when x >= ceil(t) for an integer sum x; thresholds beyond the sums'
    bound become bound + 1 or -bound) and the levels; on the function its
    top name and input levels.

    A chain of integer layers (ternary weights, or uniform weights on the
    bit-serial route, on unsigned activation codes) is prepared by
    HlsPrepareInteger.cpp: each layer reads qc.bitplane_pack of (padded)
    codes roundeven(x / s) + u0 of the previous layer's output (the
    function's argument for the first); the accumulator is as wide as the
    weights' bounds on the sums; the float chain after the sums (zero-code
    correction, cast, multiply, add, clamp, max-pool, reorders, the next
    activations' per-tensor uniform quantize-dequantize and codes) is
    evaluated with the CPU's f32 operations at every reachable sum and
    becomes integer thresholds (it must never decrease); the last layer's
    dequantized output is the function's result. Binary and integer layers
    do not mix. Anything else is an error naming the layer or op; the
    printer (`qc-translate --emit-hls`) then only reads.
  }];
  let options = [
    Option<"topName", "top", "std::string", "\"qc_top\"",
           "Name of the HLS top function">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

#endif // QC_LOWERING_PASSES_TD
