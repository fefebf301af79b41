#!/usr/bin/python3
"""Imports ONNX's node tests (libonnx-testdata) with qc-translate.

Usage: import_node_tests.py QC_TRANSLATE QC_OPT NODE_TEST_DIR

Every test in IMPORTS uses only ops the importer supports and must import;
its output must re-parse and verify with qc-opt. Every test in REJECTED uses
supported op types in a way the importer does not handle (parameters given
as run-time graph inputs, training mode, 3-D pooling, integer arithmetic,
string tensors, ...) and must be rejected with an `error:`, not a crash.
Standard library only: the test needs no python-onnx.
"""

import os
import subprocess
import sys

IMPORTS = [
    "test_add",
    "test_add_bcast",
    "test_averagepool_1d_default",
    "test_averagepool_2d_ceil",
    "test_averagepool_2d_default",
    "test_averagepool_2d_pads",
    "test_averagepool_2d_pads_count_include_pad",
    "test_averagepool_2d_precomputed_pads",
    "test_averagepool_2d_precomputed_pads_count_include_pad",
    "test_averagepool_2d_precomputed_same_upper",
    "test_averagepool_2d_precomputed_strides",
    "test_averagepool_2d_same_lower",
    "test_averagepool_2d_same_upper",
    "test_averagepool_2d_strides",
    "test_basic_conv_with_padding",
    "test_basic_conv_without_padding",
    "test_batchnorm_epsilon",
    "test_batchnorm_example",
    "test_cast_BFLOAT16_to_FLOAT",
    "test_cast_DOUBLE_to_FLOAT",
    "test_cast_DOUBLE_to_FLOAT16",
    "test_cast_FLOAT16_to_DOUBLE",
    "test_cast_FLOAT16_to_FLOAT",
    "test_cast_FLOAT_to_BFLOAT16",
    "test_cast_FLOAT_to_DOUBLE",
    "test_cast_FLOAT_to_FLOAT16",
    "test_castlike_BFLOAT16_to_FLOAT_expanded",
    "test_castlike_DOUBLE_to_FLOAT16_expanded",
    "test_castlike_DOUBLE_to_FLOAT_expanded",
    "test_castlike_FLOAT16_to_DOUBLE_expanded",
    "test_castlike_FLOAT16_to_FLOAT_expanded",
    "test_castlike_FLOAT_to_BFLOAT16_expanded",
    "test_castlike_FLOAT_to_DOUBLE_expanded",
    "test_castlike_FLOAT_to_FLOAT16_expanded",
    "test_clip_default_inbounds",
    "test_concat_1d_axis_0",
    "test_concat_1d_axis_negative_1",
    "test_concat_2d_axis_0",
    "test_concat_2d_axis_1",
    "test_concat_2d_axis_negative_1",
    "test_concat_2d_axis_negative_2",
    "test_concat_3d_axis_0",
    "test_concat_3d_axis_1",
    "test_concat_3d_axis_2",
    "test_concat_3d_axis_negative_1",
    "test_concat_3d_axis_negative_2",
    "test_concat_3d_axis_negative_3",
    "test_constant",
    "test_conv_with_autopad_same",
    "test_conv_with_strides_and_asymmetric_padding",
    "test_conv_with_strides_no_padding",
    "test_conv_with_strides_padding",
    "test_div",
    "test_div_bcast",
    "test_div_example",
    "test_dropout_default",
    "test_dropout_default_mask",
    "test_dropout_default_mask_ratio",
    "test_dropout_default_old",
    "test_dropout_default_ratio",
    "test_dropout_random_old",
    "test_flatten_axis0",
    "test_flatten_axis1",
    "test_flatten_axis2",
    "test_flatten_axis3",
    "test_flatten_default_axis",
    "test_flatten_negative_axis1",
    "test_flatten_negative_axis2",
    "test_flatten_negative_axis3",
    "test_flatten_negative_axis4",
    "test_gemm_all_attributes",
    "test_gemm_alpha",
    "test_gemm_beta",
    "test_gemm_default_matrix_bias",
    "test_gemm_default_no_bias",
    "test_gemm_default_scalar_bias",
    "test_gemm_default_single_elem_vector_bias",
    "test_gemm_default_vector_bias",
    "test_gemm_default_zero_bias",
    "test_gemm_transposeA",
    "test_gemm_transposeB",
    "test_globalaveragepool",
    "test_globalaveragepool_precomputed",
    "test_globalmaxpool",
    "test_globalmaxpool_precomputed",
    "test_hardsigmoid",
    "test_hardsigmoid_default",
    "test_hardsigmoid_example",
    "test_hardswish_expanded",
    "test_identity",
    "test_leakyrelu",
    "test_leakyrelu_default",
    "test_leakyrelu_example",
    "test_matmul_2d",
    "test_matmul_3d",
    "test_matmul_4d",
    "test_maxpool_1d_default",
    "test_maxpool_2d_ceil",
    "test_maxpool_2d_default",
    "test_maxpool_2d_pads",
    "test_maxpool_2d_precomputed_pads",
    "test_maxpool_2d_precomputed_same_upper",
    "test_maxpool_2d_precomputed_strides",
    "test_maxpool_2d_same_lower",
    "test_maxpool_2d_same_upper",
    "test_maxpool_2d_strides",
    "test_mul",
    "test_mul_bcast",
    "test_mul_example",
    "test_relu",
    "test_shape",
    "test_shape_clip_end",
    "test_shape_clip_start",
    "test_shape_end_1",
    "test_shape_end_negative_1",
    "test_shape_example",
    "test_shape_start_1",
    "test_shape_start_1_end_2",
    "test_shape_start_1_end_negative_1",
    "test_shape_start_negative_1",
    "test_sigmoid",
    "test_sigmoid_example",
    "test_sign",
    "test_softmax_axis_0",
    "test_softmax_axis_1",
    "test_softmax_axis_2",
    "test_softmax_default_axis",
    "test_softmax_example",
    "test_softmax_large_number",
    "test_softmax_negative_axis",
    "test_sub",
    "test_sub_bcast",
    "test_sub_example",
    "test_tanh",
    "test_tanh_example",
    "test_transpose_all_permutations_0",
    "test_transpose_all_permutations_1",
    "test_transpose_all_permutations_2",
    "test_transpose_all_permutations_3",
    "test_transpose_all_permutations_4",
    "test_transpose_all_permutations_5",
    "test_transpose_default",
    "test_unsqueeze_axis_3",
]

REJECTED = [
    "test_add_uint8",
    "test_averagepool_3d_default",
    "test_batchnorm_epsilon_training_mode",
    "test_batchnorm_example_training_mode",
    "test_cast_FLOAT_to_STRING",
    "test_cast_STRING_to_FLOAT",
    "test_castlike_FLOAT_to_STRING_expanded",
    "test_castlike_STRING_to_FLOAT_expanded",
    "test_clip",
    "test_clip_default_int8_inbounds",
    "test_clip_default_int8_max",
    "test_clip_default_int8_min",
    "test_clip_default_max",
    "test_clip_default_min",
    "test_clip_example",
    "test_clip_inbounds",
    "test_clip_outbounds",
    "test_clip_splitbounds",
    "test_dequantizelinear",
    "test_dequantizelinear_axis",
    "test_div_uint8",
    "test_gather_0",
    "test_gather_1",
    "test_gather_2d_indices",
    "test_gather_negative_indices",
    "test_identity_opt",
    "test_identity_sequence",
    "test_maxpool_2d_dilations",
    "test_maxpool_2d_uint8",
    "test_maxpool_3d_default",
    "test_maxpool_with_argmax_2d_precomputed_pads",
    "test_maxpool_with_argmax_2d_precomputed_strides",
    "test_mul_uint8",
    "test_quantizelinear",
    "test_quantizelinear_axis",
    "test_reshape_allowzero_reordered",
    "test_reshape_extended_dims",
    "test_reshape_negative_dim",
    "test_reshape_negative_extended_dims",
    "test_reshape_one_dim",
    "test_reshape_reduced_dims",
    "test_reshape_reordered_all_dims",
    "test_reshape_reordered_last_dims",
    "test_reshape_zero_and_negative_dim",
    "test_reshape_zero_dim",
    "test_squeeze",
    "test_squeeze_negative_axes",
    "test_sub_uint8",
    "test_training_dropout",
    "test_training_dropout_default",
    "test_training_dropout_default_mask",
    "test_training_dropout_mask",
    "test_training_dropout_zero_ratio",
    "test_training_dropout_zero_ratio_mask",
    "test_unsqueeze_axis_0",
    "test_unsqueeze_axis_1",
    "test_unsqueeze_axis_2",
    "test_unsqueeze_negative_axes",
    "test_unsqueeze_three_axes",
    "test_unsqueeze_two_axes",
    "test_unsqueeze_unsorted_axes",
]


def main():
    translate, opt, root = sys.argv[1:4]
    failures = []
    for name in IMPORTS:
        model = os.path.join(root, name, "model.onnx")
        imported = subprocess.run([translate, "--import-onnx", model],
                                  capture_output=True, text=True)
        if imported.returncode != 0:
            failures.append(f"{name}: import failed: {imported.stderr.strip()}")
            continue
        reparsed = subprocess.run([opt], input=imported.stdout,
                                  capture_output=True, text=True)
        if reparsed.returncode != 0:
            failures.append(f"{name}: output does not verify: "
                            f"{reparsed.stderr.strip()}")
    for name in REJECTED:
        model = os.path.join(root, name, "model.onnx")
        imported = subprocess.run([translate, "--import-onnx", model],
                                  capture_output=True, text=True)
        if imported.returncode != 1 or "error:" not in imported.stderr:
            failures.append(f"{name}: expected a clean error, got exit code "
                            f"{imported.returncode}: {imported.stderr.strip()}")
    for failure in failures:
        print(failure)
    print(f"imported {len(IMPORTS)}, rejected {len(REJECTED)}, "
          f"failures {len(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
