#!/usr/bin/env python3
#===- test/Fuzz/make_seed_corpus.py - Seed corpora for the fuzz targets ----===#
#
# Builds one seed directory per fuzz target from what the repository and
# Debian's test data already hold, so that no binary corpus is committed:
#   onnx-import, onnx-proto: models/*.onnx, test/ONNXToTOSA/Inputs/*.onnx and
#     the ONNX node tests (libonnx-testdata) whose ops qc imports;
#   mlir-pipeline: every test/**/*.mlir, split at `// -----` like
#     -split-input-file does;
#   quant-config: test/Passes/qc-quantize/Inputs/*.json and configs naming
#     the layers of quant-config-fuzzer's model;
#   npy: small .npy files of every dtype qc reads, written here byte by byte;
#   idx: small IDX files, raw and gzipped, and slices of models/data.
# Output is deterministic: the same tree gives the same files.
#
# Usage: make_seed_corpus.py OUT_DIR
#
#===----------------------------------------------------------------------===#
import glob
import gzip
import os
import shutil
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NODE_TESTS = "/usr/share/libonnx-testdata/data/node"

# Node tests whose ops are all among these are seeds (the importer's ops in
# the default domain; the others are rejected in the first few lines).
IMPORTED_OPS = {
    "Add", "AveragePool", "BatchNormalization", "Cast", "Clip", "Concat",
    "Constant", "Conv", "DequantizeLinear", "Div", "Dropout", "Flatten",
    "Gather", "Gemm", "GlobalAveragePool", "GlobalMaxPool", "HardSigmoid",
    "Identity", "LeakyRelu", "MatMul", "MaxPool", "Mul", "QuantizeLinear",
    "Relu", "Reshape", "Shape", "Sigmoid", "Sign", "Softmax", "Squeeze",
    "Sub", "Tanh", "Transpose", "Unsqueeze",
}


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)


def onnx_seeds(out):
    for pattern in ("models/*.onnx", "test/ONNXToTOSA/Inputs/*.onnx"):
        for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
            shutil.copyfile(path, os.path.join(out, os.path.basename(path)))
    try:
        import onnx
    except ImportError:
        print("make_seed_corpus: python3-onnx missing, no node-test seeds")
        return
    for model_path in sorted(glob.glob(os.path.join(NODE_TESTS, "*", "model.onnx"))):
        model = onnx.load(model_path)
        nodes = model.graph.node
        if nodes and all(n.domain in ("", "ai.onnx") and n.op_type in IMPORTED_OPS
                         for n in nodes):
            name = os.path.basename(os.path.dirname(model_path))
            shutil.copyfile(model_path, os.path.join(out, name + ".onnx"))


def mlir_seeds(out):
    for path in sorted(glob.glob(os.path.join(ROOT, "test", "**", "*.mlir"),
                                 recursive=True)):
        rel = os.path.relpath(path, os.path.join(ROOT, "test"))
        stem = rel.replace(os.sep, "_")[:-len(".mlir")]
        with open(path) as f:
            parts = f.read().split("// -----")
        for i, part in enumerate(parts):
            write(os.path.join(out, f"{stem}.{i}.mlir"), part)


def config_seeds(out):
    for path in sorted(glob.glob(os.path.join(
            ROOT, "test", "Passes", "qc-quantize", "Inputs", "*.json"))):
        shutil.copyfile(path, os.path.join(out, os.path.basename(path)))
    # The layers of quant-config-fuzzer's model, with every spec kind.
    configs = {
        "all-layers": '{"layers": {"fc1": {"weights": "int4"}, "fc2": '
                      '{"weights": "binary", "activations": "int8"}, '
                      '"fc_runtime": {"activations": "threshold4"}, '
                      '"fc_qonnx": {"weights": "auto"}}}',
        "schemes": '{"layers": {"fc1": {"weights": "codebook16"}, '
                   '"fc2": {"weights": "dorefa3", "activations": "float"}}}',
        "not-a-layer": '{"layers": {"relu1": {"weights": "pot4"}}}',
        "escapes": '{"layers": {"fc\\u0031": {"weights": "uint8"}}}',
    }
    for name, text in configs.items():
        write(os.path.join(out, name + ".json"), text)


def npy_file(descr, shape, data):
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (descr, dims)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


def npy_v2(header, data):
    """Format 2.0: a 4-byte header length."""
    return b"\x93NUMPY\x02\x00" + struct.pack("<I", len(header)) + header + data


def npy_seeds(out):
    seeds = {
        "f32-2x3": npy_file("<f4", (2, 3), struct.pack("<6f", 0, 1, -1, 0.5, 1e30, -2)),
        "i8-4": npy_file("|i1", (4,), bytes([0, 127, 128, 255])),
        "u8-2x2x2": npy_file("|u1", (2, 2, 2), bytes(range(8))),
        "i32-3": npy_file("<i4", (3,), struct.pack("<3i", 1, -1, 2**31 - 1)),
        "i64-2": npy_file("<i8", (2,), struct.pack("<2q", -1, 2**62)),
        "scalar": npy_file("<f4", (), struct.pack("<f", 3.5)),
        "empty": npy_file("<f4", (0, 4), b""),
        "v2": npy_v2(b"{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n",
                     struct.pack("<f", 1.0)),
    }
    for name, data in seeds.items():
        write(os.path.join(out, name + ".npy"), data)


def idx_file(shape, data):
    return bytes([0, 0, 8, len(shape)]) + b"".join(struct.pack(">I", d) for d in shape) + data


def idx_seeds(out):
    seeds = {
        "labels": idx_file((5,), bytes([0, 1, 2, 9, 255])),
        "images": idx_file((2, 3, 3), bytes(range(18))),
        "rank4": idx_file((1, 1, 2, 2), bytes(4)),
    }
    for name, data in seeds.items():
        write(os.path.join(out, name + ".idx"), data)
        write(os.path.join(out, name + ".idx.gz"), gzip.compress(data, mtime=0))
    # The first images and labels of the bundled MNIST slices.
    for path in sorted(glob.glob(os.path.join(ROOT, "models", "data", "*.gz"))):
        with gzip.open(path) as f:
            raw = f.read()
        rank = raw[3]
        dims = struct.unpack(">%dI" % rank, raw[4:4 + 4 * rank])
        per_item = 1
        for d in dims[1:]:
            per_item *= d
        head = idx_file((4,) + dims[1:], raw[4 + 4 * rank:4 + 4 * rank + 4 * per_item])
        name = os.path.basename(path)[:-len(".gz")] + "-4"
        write(os.path.join(out, name), head)
        write(os.path.join(out, name + ".gz"), gzip.compress(head, mtime=0))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_seed_corpus.py OUT_DIR")
    out = sys.argv[1]
    builders = {
        "onnx-import": onnx_seeds, "mlir-pipeline": mlir_seeds,
        "quant-config": config_seeds, "npy": npy_seeds, "idx": idx_seeds,
    }
    for target, build in builders.items():
        directory = os.path.join(out, target)
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        build(directory)
    # Both ONNX targets start from the same models.
    shutil.rmtree(os.path.join(out, "onnx-proto"), ignore_errors=True)
    shutil.copytree(os.path.join(out, "onnx-import"), os.path.join(out, "onnx-proto"))
    for target in sorted(os.listdir(out)):
        print(f"make_seed_corpus: {target}: "
              f"{len(os.listdir(os.path.join(out, target)))} seeds")


if __name__ == "__main__":
    main()
