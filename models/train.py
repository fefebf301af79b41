# models/train.py - regenerates qc's whole bundled model zoo in one command.
#
# Runs, in order: make_slices.py (the 1000-image test slices), train_lenet.py
# (float and QAT LeNet-5s), train_vgg.py (float and binary VGG-small),
# export_qdq_qonnx.py (QDQ / QONNX variants, built from the exported LeNets)
# and check_models.py (checker, op types, weight grids, numpy and
# onnxruntime reproduction of the reference logits). --all first removes the
# float-model cache under models/.cache so everything is trained from the
# seeds; --only NAME ... regenerates single models (reusing the cached float
# starting points if present). Training is seeded and single-threaded, so a
# rerun on the same machine reproduces the same weights and files.
#
# Usage: /usr/bin/python3 models/train.py --all
#        /usr/bin/python3 models/train.py --only lenet5_int4_mnist lenet5_int4_qonnx_mnist
#        /usr/bin/python3 models/train.py --check

import argparse
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402
import check_models  # noqa: E402
import export_qdq_qonnx  # noqa: E402
import make_slices  # noqa: E402
import train_lenet  # noqa: E402
import train_vgg  # noqa: E402

STAGES = [train_lenet, train_vgg, export_qdq_qonnx]


README = os.path.join(C.MODELS_DIR, "README.md")
BEGIN, END = "<!-- BEGIN ACCURACY TABLE (train.py) -->", "<!-- END ACCURACY TABLE -->"


def update_readme_table():
    """Rewrites the accuracy table in models/README.md from manifest.json."""
    import json
    with open(C.MANIFEST) as f:
        entries = json.load(f)
    rows = ["| model | dataset | scheme | first/last | accuracy | correct / total | ONNX ops | bytes |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for e in entries:
        rows.append(f"| `{e['name']}` | {e['dataset']} | {e['scheme']} | {e['first_last']} | "
                    f"{e['accuracy']:.4f} | {e['correct']} / {e['total']} | "
                    f"{', '.join(e['onnx_ops'])} | {e['bytes']} |")
    if not os.path.exists(README):
        return
    with open(README) as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        return
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(README, "w") as f:
        f.write(head + BEGIN + "\n" + "\n".join(rows) + "\n" + END + tail)


def main():
    ap = argparse.ArgumentParser(description="Regenerates qc's model zoo (models/).")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--all", action="store_true", help="regenerate everything from scratch")
    g.add_argument("--only", nargs="+", metavar="NAME", help="regenerate these models")
    g.add_argument("--check", action="store_true", help="only run check_models.py")
    args = ap.parse_args()
    t0 = time.time()
    if args.all:
        shutil.rmtree(C.CACHE_DIR, ignore_errors=True)
        make_slices.main()
        for stage in STAGES:
            stage.main([])
    elif args.only:
        known = {n: s for s in STAGES for n in s.MODELS}
        for n in args.only:
            if n not in known:
                sys.exit(f"unknown model {n}; known: {', '.join(known)}")
        for n in args.only:
            known[n].main([n])
    if not args.check:
        update_readme_table()
    check_models.main()
    C.log(f"done in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
