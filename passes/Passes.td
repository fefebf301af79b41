//===- Passes.td - qc passes -------------------------------*- tablegen -*-===//
//
// Declarations of every qc pass.
//
//===----------------------------------------------------------------------===//

#ifndef QC_PASSES_TD
#define QC_PASSES_TD

include "mlir/Pass/PassBase.td"

def QCVerifyInput : Pass<"qc-verify-input", "ModuleOp"> {
  let summary = "Reject IR that verifies but that later passes crash on";
  let description = [{
    The first pass of qc's quantization and CPU pipelines. MLIR 19's TOSA
    verifiers accept a `tosa.transpose` whose constant permutation is not a
    permutation of its input's dimensions (`[0, 4, 1, -1]`), on which
    qc-lower-macs and the upstream TOSA-to-linalg lowering index out of
    bounds. This pass makes such ops errors that name the op and the
    permutation.
  }];
}

def QCGeneralizePad : Pass<"qc-generalize-pad", "func::FuncOp"> {
  let summary = "Rewrite tensor.pad as a filled tensor with the source "
                "inserted";
  let description = [{
    Replaces each `tensor.pad` with a constant padding value by
    `tensor.empty` + `linalg.fill` + `tensor.insert_slice`. The CPU pipeline
    runs it before bufferization: MLIR 19 bufferizes a `tensor.pad` whose
    result has a dynamic dimension (a dynamic batch) into IR where the
    allocation's size uses the allocation itself, which fails to verify.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QCQuantize : Pass<"qc-quantize", "func::FuncOp"> {
  let summary = "Quantize the constant weights and the calibrated input "
                "activations of convolutions and dense layers";
  let description = [{
    Post-training weight quantization. Every `tosa.conv2d`,
    `tosa.depthwise_conv2d` and `tosa.fully_connected` with a constant
    weight gets `qc.dequantize(qc.constant)` in its place: the weight's
    codes stored packed, with the quantized type computed from the weights.
    The schemes, their option names and bit ranges are the rows of the
    scheme table (dialects/QC/Utils/QuantSchemes.cpp; an unknown name's
    error lists them); what each computes is documented with its quantizer
    (dialects/QC/Utils/Quantizers.h).
    Per-channel parameters follow the output-channel axis unless
    `per-channel=false` (depthwise weights, pot, codebook and dorefa are
    per layer). The first and last such layers stay 8-bit uniform
    (first and last layers are the most sensitive) unless
    `quantize-first-last`. An all-zero channel gets alpha / levels 0 (scale
    1, zero point 0) and quantizes to exact zeros; per-layer codebook and
    dorefa treat its zeros like any other weights (nearest centroid, +-a/n);
    an all-zero layer stays 0. A non-finite weight is an error at the
    layer. Biases stay float.

    `auto` recognizes weights already on a grid, as quantization-aware
    training exports them (recognizeWeightGrid in Quantizers.h), and gives
    them the qc type holding exactly those values: no quantization error is
    added. Weights on no grid stay float.

    Activations (`activation-scheme`) are quantized from the calibrated
    `qc.input_range = array<f64: lo, hi, mean|x|>` of each layer
    (passes/QCQuantizeActivations.h says how); a missing, NaN, infinite or
    empty range is an error at the layer.

    A layer's `qc.precision` (a weight spec, as qc-mixed-precision writes
    it) overrides the options and the first/last policy for its weights;
    a malformed spec or one on a weight that is not a float constant is an
    error at the layer.

    `config` (JSON, per layer by ONNX node name) overrides the options and
    `qc.precision`;
    a spec a layer cannot take (an activation spec as weights or the other
    way round, weights that are computed at run time or already quantized,
    a name that is not a conv or dense layer) is an error naming the layer,
    its op and why.

    An ONNX `Sign` (as the importer writes it, a pair of
    `tosa.greater` and `tosa.select`) becomes `qc.quantize` to
    `!qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta = [0.0]>` and
    `qc.dequantize`, which is exactly Sign, including Sign(0) = 0.
  }];
  let options = [
    Option<"weightScheme", "weight-scheme", "std::string", "\"uniform\"",
           "Weight scheme, by its option name in the scheme table "
           "(dialects/QC/Utils/QuantSchemes.cpp)">,
    Option<"weightBits", "weight-bits", "unsigned", "8",
           "Bits per weight, in the scheme's range of the scheme table">,
    Option<"perChannel", "per-channel", "bool", "true",
           "Parameters per output channel (else per tensor)">,
    Option<"quantizeFirstLast", "quantize-first-last", "bool", "false",
           "Apply the scheme to the first and last layers too">,
    Option<"activationScheme", "activation-scheme", "std::string",
           "\"none\"",
           "Input activation scheme of every layer, by its option name in "
           "the scheme table, from the calibrated qc.input_range">,
    Option<"activationBits", "activation-bits", "unsigned", "8",
           "Bits per activation, for the schemes of the table that take "
           "a width">,
    Option<"configPath", "config", "std::string", "\"\"",
           "JSON file of per-layer overrides by ONNX node name (see the "
           "README)">,
    Option<"recognizeSign", "recognize-sign", "bool", "true",
           "Make ONNX Sign activations ternary activations "
           "(alpha 1, delta 0: exactly Sign)">
  ];
  let dependentDialects = ["::mlir::qc::QCDialect",
                           "::mlir::quant::QuantizationDialect",
                           "::mlir::tosa::TosaDialect"];
}

def QCLowerMacs : Pass<"qc-lower-macs", "func::FuncOp"> {
  let summary = "Rewrite quantized convolutions and dense layers into "
                "kernel-level qc ops on packed data";
  let description = [{
    Rewrites a `tosa.conv2d` or `tosa.fully_connected` whose weight is
    `qc.dequantize(qc.constant)` into kernel-level ops, chosen by what its
    input holds (a `qc.dequantize`, seen through transposes, reshapes and
    max-pools whose windows all hold an element) and by its weight type:
    - per-tensor binary or symmetric ternary activations, binary weights:
      `qc.bitpack` of the signs (and, for ternary activations, of the
      non-zero mask) and `qc.xnor_popcount` against the constant's own
      words (zero padding exact: border correction or mask);
    - per-tensor uniform activations: the codes c - z = roundeven(x / s),
      exact on the grid, or the unsigned codes u = c - qmin in bit-planes
      (`qc.bitplane_pack`, padding filled with u0 = z - qmin and the sum
      corrected by -u0 * sum(w) per channel), into
      `qc.bitserial_popcount` (binary or uniform weights with activation
      bits x weight bits <= `bitserial-max-bits`), `qc.ternary_popcount`
      (symmetric ternary weights: +1 and -1 masks), `qc.shift_accumulate`
      (power-of-two weights), `qc.codebook_accumulate` (codebook and
      asymmetric ternary weights: per-centroid sums) or an integer
      `linalg.conv_2d_nhwc_fhwc` / `linalg.matmul_transpose_b` (any other
      weight with an integer form);
    - float activations with codebook, ternary, power-of-two or binary
      weights: `qc.codebook_accumulate` over the weight's levels.
    When a layer with uniform activations has more than one exact route
    (bit-serial, ternary or shift-add on the codes, and always the integer
    MAC on the runtime's int8 dot products), the picker
    (passes/Analysis/KernelPicker.h) takes the one with the least estimated
    time: work units times the cost table's nanoseconds per unit for the
    route at the `isa` level. All routes give the same integer
    accumulators.
    Every kernel ends in the float output transform acc * unit[o] * s_a +
    bias[o]. Accumulators are i16 when the kernel's bound fits, else i32;
    a kernel whose bound needs more is not used. The integer accumulators
    are exact, so the result equals the reference path (dequantize, then
    float convolution) up to float rounding of the products. Other layers
    (float activations with uniform weights, per-channel activation scales,
    convolutions with a dynamic H or W) stay as they are and run on the
    reference path.
  }];
  let options = [
    Option<"bitserialMaxBits", "bitserial-max-bits", "int64_t", "5",
           "Consider the bit-serial kernel for uniform activations with "
           "binary or uniform weights only when activation bits x weight "
           "bits is at most this">,
    Option<"isaLevel", "isa", "std::string", "\"native\"",
           "Instruction-set level the kernel picker costs routes for: "
           "native (this machine's CPUID features), x86-64, avx2, avx512 or "
           "avx512-vnni">,
    Option<"kernelCosts", "kernel-costs", "std::string", "\"\"",
           "Cost table for the kernel picker (KernelCosts.json's format, as "
           "bench/kernel_costs.py writes it); empty: the built-in one">,
    Option<"route", "route", "std::string", "\"auto\"",
           "Route of every layer that has it: xnor, integer, bitserial, "
           "ternary, shift, or auto (the cheapest by the cost table)">,
    Option<"explain", "explain", "bool", "false",
           "Emit a remark on each conv2d and fully_connected naming the "
           "kernel it takes, or why it stays on the reference path">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::qc::QCDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::tosa::TosaDialect"];
}

def QCFuse : Pass<"qc-fuse", "func::FuncOp"> {
  let summary = "Fuse activations, batch normalization and pooling into "
                "quantized layers";
  let description = [{
    Local rewrites, applied greedily in two rounds.

    First round:
    - Thresholds. Runs after qc-lower-macs. A sign activation -- ONNX Sign
      as `!qc.ternary<f32, alpha_n = [1.0], alpha_p = [1.0], delta =
      [0.0]>`, or a per-tensor `!qc.binary` one -- whose input is a
      per-channel affine function of a `qc.xnor_popcount` accumulator (the
      output transform acc * alpha + bias, a batch normalization's multiply
      and add, a ReLU or other clamp, and transposes and one max-pool in
      between, each used once)
      becomes a `qc.multi_threshold` on the accumulator (max-pooled first
      when the chain pools). The thresholds are found per channel by
      evaluating the chain's float operations at every reachable integer
      accumulator, so the result is bit for bit the one of the unfused
      chain; a decreasing channel (negative gamma) is compared in the
      flipped direction, a channel whose sign never changes gets +-inf; a
      max-pool moves onto the accumulator only when the steps before it
      never decrease, where max-pool and the steps commute.
    - Cancellation. `qc.quantize(qc.dequantize(x))` of x's own type is x;
      `qc.dequantize(qc.quantize(y))` is y when y holds the values of a
      per-tensor binary or ternary `qc.dequantize` (through transposes,
      reshapes and max-pools with pad < kernel) that the quantize maps to
      themselves (the sign of a sign).
    - Max-pool of signs. `qc.bitpack(tosa.max_pool2d(x))`, x the values of
      a per-tensor binary activation, becomes
      `qc.packed_max_pool2d(qc.bitpack(x))`: with bit 1 = -1 the maximum of
      a window is the AND of its words (padding smaller than the kernel).
    - With `fold-bn-into-weights` (before qc-quantize): a per-channel
      constant multiply, add or subtract after a float `tosa.conv2d`,
      `tosa.depthwise_conv2d` or `tosa.fully_connected` with constant
      weight and bias (through transposes, following the channel axis)
      folds into them: W * a, B * a + beta.

    Second round, on what the first left:
    - A per-channel constant multiply, add or subtract after a layer's
      output transform cast(acc) * s + t (through transposes) composes into
      its constants: s * g, t * g + beta (one float rounding less).
    - A ReLU (`tosa.clamp` from 0, to +inf or an integer) of an output
      transform whose multiplier is exactly 1 and bias exactly 0 in every
      channel becomes an integer clamp of the accumulator before the cast.
    - Packed thresholds. `qc.bitpack` (signs or nonzero mask) of a
      `qc.multi_threshold` of `tosa.cast(acc)` -- acc an i16 accumulator,
      or an i32 one of a `qc.xnor_popcount` whose sums stay within 2^24;
      through one max-pool after the cast, which moves onto acc, and a
      quantize/dequantize pair after the thresholds that keeps the levels'
      signs -- becomes `qc.threshold_pack` of acc with the thresholds
      rounded up to integers (x >= t exactly when x >= ceil(t) for integer
      x). One threshold per channel must give levels -1, +1, two must give
      -1, 0, +1. The next binary layer then reads words the previous one's
      sums were packed into, with no float tensor in between.
  }];
  let options = [
    Option<"foldBnIntoWeights", "fold-bn-into-weights", "bool",
           /*default=*/"false",
           "Fold per-channel multiplies and adds after float layers with "
           "constant weights into those weights and biases (before "
           "qc-quantize, for post-training quantization only)">
  ];
  let dependentDialects = ["::mlir::qc::QCDialect",
                           "::mlir::tosa::TosaDialect"];
}

def QCHlsFold : Pass<"qc-hls-fold", "func::FuncOp"> {
  let summary = "Choose each FPGA layer's parallelism (PE and SIMD)";
  let description = [{
    Sets `qc.hls.pe` (outputs computed in parallel; divides the layer's
    matrix height MH, its output channels) and `qc.hls.simd` (input
    elements consumed per cycle; divides the input channels of a
    convolution, whose sliding window streams one pixel's channels at a
    time, or the input length of a dense layer) on every MAC kernel op
    (`qc.xnor_popcount`, `qc.bitserial_popcount`, `qc.ternary_popcount`,
    `qc.shift_accumulate`). The HLS emitter derives the loop bounds,
    pragmas and memory layouts from them.

    Values come from, in order:
    - `folding`: a JSON file `{"layers": {"<ONNX node name>": {"pe": P,
      "simd": S}}}`. A value that is not legal (PE not dividing MH, SIMD
      not dividing the input elements, a stream wider than
      `max-stream-bits`) or a name that is no layer is an error naming the
      layer, the value and the legal ones; nothing is replaced silently.
    - `target-fps` at `clock-mhz`: FINN's rule. A layer whose estimated
      cycles per image exceed clock / fps walks its legal SIMD values
      upwards, then (at the largest SIMD) its legal PE values, until it
      meets the target. A layer that cannot meet it is an error stating
      its best cycles.
    - `lut-budget`: starting from the above (or PE = SIMD = 1), the layer
      with the most cycles takes its next folding step (SIMD first, then
      PE) as long as the estimated LUTs of the network stay within the
      budget; ties go to the earlier layer. A budget below the smallest
      folding's LUTs is an error stating those.
    Without options every layer gets PE = SIMD = 1. Estimates are FINN's
    formulas (passes/Analysis/HlsLayers.h), uncalibrated.
  }];
  let options = [
    Option<"folding", "folding", "std::string", "\"\"",
           "JSON file of per-layer PE and SIMD by ONNX node name">,
    Option<"targetFps", "target-fps", "double", "0.0",
           "Images per second every layer must reach (0: no target)">,
    Option<"clockMhz", "clock-mhz", "double", "100.0",
           "Clock the cycle estimates are converted at">,
    Option<"lutBudget", "lut-budget", "int64_t", "0",
           "Estimated LUTs the network may use (0: no budget)">,
    Option<"maxStreamBits", "max-stream-bits", "int64_t", "1024",
           "Widest stream a layer may read or write (ap_uint's default "
           "limit is 1024 bits)">
  ];
  let dependentDialects = ["::mlir::qc::QCDialect"];
}

def QCMixedPrecision : Pass<"qc-mixed-precision", "ModuleOp"> {
  let summary = "Choose each layer's weight quantization under a budget, "
                "exactly under an additive model";
  let description = [{
    Runs before qc-quantize. Every `tosa.conv2d`, `tosa.depthwise_conv2d`
    and `tosa.fully_connected` with a constant float weight gets the
    candidates of `choices` (weight specs of the scheme table) that it can
    take: specs qc-quantize accepts for it (passes/Analysis/QuantConfig),
    and for `cost=latency` only those with a route the cost table measures.
    The first and last such layers are pinned to `pinned-choice` unless
    `pin-first-last=false`; layers whose outputs meet in a residual
    `tosa.add` or a `tosa.concat` (seen back through single-input ops and
    constant scales) are tied and take the same choice unless `ties=false`.

    Each choice has a predicted loss (`sensitivity`): `weight`, the mean
    squared quantization error ||Q(W) - W||^2 / n of the layer's weights
    (HAWQ's Tr(H)/n x ||Q(W) - W||^2 with the curvature taken as 1, a
    parameter-normalized proxy that needs no data), or `attr`, read from a
    `qc.sensitivity` dictionary on the layer (choice -> loss). And a cost:
    `size`, the bytes its weights, bias and quantization parameters are
    stored in; `bops`, MACs x weight bits x activation bits; `latency`,
    microseconds from the kernel picker's route and cost table
    (passes/Analysis/KernelPicker.h). Costs are rounded up to budget units
    of budget / `resolution` (1 byte or BOP when the budget is at most
    `resolution`), so the choice always meets the real budget.

    The least-loss assignment within `budget` is found by the exact
    multiple-choice knapsack DP of passes/Analysis/MixedPrecisionSolver.h;
    with `cost2`/`budget2` as well, by a 2-D DP (exact) or, when its table
    would be too large, Lagrangian relaxation (then a remark says whether
    it is proven optimal). Each layer gets `qc.precision` (the chosen spec,
    as a --quant-config names it); `config-out` writes the choices as a
    --quant-config JSON file for qc-quantize, `pareto-json` / `pareto-svg`
    the frontier of the cost against predicted loss with the uniform
    configurations and the chosen point. Errors name the layer, choice or
    option: an infeasible budget (with the cheapest assignment's cost and
    the layers that force it), missing or NaN sensitivities, an unknown
    cost kind, a budget that is not a positive number, tied layers with no
    common choice. The FPGA LUT cost is not available yet.
  }];
  let options = [
    Option<"budget", "budget", "std::string", "\"\"",
           "Budget of `cost`: bytes (size), bit operations (bops) or "
           "microseconds (latency)">,
    Option<"cost", "cost", "std::string", "\"size\"",
           "Cost kind the budget limits: size, bops or latency">,
    Option<"budget2", "budget2", "std::string", "\"\"",
           "Optional budget of a second cost kind, `cost2`">,
    Option<"cost2", "cost2", "std::string", "\"\"",
           "The second cost kind (size, bops or latency)">,
    ListOption<"choices", "choices", "std::string",
               "Weight specs to choose from (default: binary, ternary, "
               "pot4, codebook16, int2, int4, int8, none)">,
    Option<"sensitivity", "sensitivity", "std::string", "\"weight\"",
           "Predicted loss per choice: weight (quantization error, no "
           "data) or attr (the layer's qc.sensitivity dictionary)">,
    Option<"pinFirstLast", "pin-first-last", "bool", "true",
           "Pin the first and last layers to `pinned-choice`">,
    Option<"pinnedChoice", "pinned-choice", "std::string", "\"int8\"",
           "The spec pinned layers take">,
    Option<"ties", "ties", "bool", "true",
           "Tie layers that meet in a residual add or a concat">,
    Option<"perChannel", "per-channel", "bool", "true",
           "Weights quantized per output channel, as qc-quantize's option">,
    Option<"activationBits", "activation-bits", "unsigned", "32",
           "Bits of the layers' input activations where the IR does not "
           "quantize them yet (32: float), for bops and latency">,
    Option<"resolution", "resolution", "int64_t", "100000",
           "Budget units the budget is divided into at most">,
    Option<"maxExactStates", "max-exact-states", "int64_t", "67108864",
           "With two budgets, the exact 2-D DP is used when layer groups x "
           "(units + 1) x (units2 + 1) is at most this, else Lagrangian "
           "relaxation">,
    Option<"isaLevel", "isa", "std::string", "\"native\"",
           "Instruction-set level latency is costed for (as qc-lower-macs)">,
    Option<"kernelCosts", "kernel-costs", "std::string", "\"\"",
           "Cost table for latency; empty: the built-in one">,
    Option<"configOut", "config-out", "std::string", "\"\"",
           "Write the choices as a --quant-config JSON file">,
    Option<"paretoJson", "pareto-json", "std::string", "\"\"",
           "Write the Pareto frontier, uniform and chosen points as JSON">,
    Option<"paretoSvg", "pareto-svg", "std::string", "\"\"",
           "Write the Pareto frontier as an SVG plot">,
    Option<"paretoPoints", "pareto-points", "unsigned", "64",
           "Frontier points the reports keep at most">,
    Option<"explain", "explain", "bool", "false",
           "Emit a remark on each layer with its choice, and every "
           "candidate's budgeted costs and predicted loss">
  ];
  let dependentDialects = ["::mlir::qc::QCDialect",
                           "::mlir::quant::QuantizationDialect",
                           "::mlir::tosa::TosaDialect"];
}

#endif // QC_PASSES_TD
