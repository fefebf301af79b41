# models/make_slices.py - writes the 1000-image test-set slices under models/data/.
#
# qc's C++ tests need real images and labels without reading the full data
# sets: this script copies the first 1000 test images and labels of MNIST and
# Fashion-MNIST, unchanged, into gzipped IDX files with valid headers (count
# 1000). gzip runs with mtime=0 and no file name, so the bytes are the same on
# every run. The models' reference logits (models/reference/*.logits.npy)
# are computed on exactly these images, in this order.
#
# Usage: /usr/bin/python3 models/make_slices.py

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402

N = 1000
SLICES = {"mnist": "mnist", "fashion-mnist": "fmnist"}


def main():
    for dataset, prefix in SLICES.items():
        images, labels = C.load_raw(dataset, "test")
        img_path = os.path.join(C.DATA_DIR, f"{prefix}-t10k-{N}-images-idx3-ubyte.gz")
        lbl_path = os.path.join(C.DATA_DIR, f"{prefix}-t10k-{N}-labels-idx1-ubyte.gz")
        C.write_idx_gz(img_path, images[:N])
        C.write_idx_gz(lbl_path, labels[:N])
        # Read back through the same reader the training uses.
        assert np.array_equal(C.read_idx(img_path), images[:N])
        assert np.array_equal(C.read_idx(lbl_path), labels[:N])
        C.log(f"{os.path.relpath(img_path, C.REPO_DIR)}: {N} images, "
              f"labels histogram {np.bincount(labels[:N], minlength=10).tolist()}")


if __name__ == "__main__":
    main()
