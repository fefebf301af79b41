#!/usr/bin/env python3
"""check_mixed_run.py - Checks a `qc-run --quant mixed` run.

Usage: check_mixed_run.py RUN_OUTPUT REPORT_JSON CONFIG_JSON BUDGET_BYTES
MIN_ACCURACY. Prints what holds, one line each, for FileCheck: the accuracy
qc-run printed is a number in [MIN_ACCURACY, 1], the stored bytes of the
quantized layers in report.json meet the size budget, and the chosen
--quant-config names every layer of the report with a weight spec that
report.json's weight type agrees with.
"""
import json
import re
import sys


def main():
    run, report_path, config_path = sys.argv[1:4]
    budget, least = float(sys.argv[4]), float(sys.argv[5])
    text = open(run).read()
    m = re.search(r"accuracy: ([0-9.]+) \((\d+)/(\d+)\)", text)
    if not m:
        print("no accuracy line in", run)
        return 1
    accuracy = int(m.group(2)) / int(m.group(3))
    ok = least <= accuracy <= 1.0
    print(f"accuracy {accuracy:.4f} {'accuracy ok' if ok else 'TOO LOW'}")
    report = json.load(open(report_path))
    layers = report["layers"]
    stored = sum(layer["stored_bytes"] for layer in layers)
    print(f"weight bytes {stored} <= {budget:.0f} "
          f"{'ok' if stored <= budget else 'OVER BUDGET'}")
    config = json.load(open(config_path))["layers"]
    names = [layer["name"] for layer in layers]
    if sorted(config) != sorted(names):
        print("config layers", sorted(config), "!= report layers", sorted(names))
        return 1
    for layer in layers:
        spec = config[layer["name"]]["weights"]
        print(f"{layer['name']}: {spec}")
    print(f"config names {len(config)} layers")
    return 0 if ok and stored <= budget else 1


if __name__ == "__main__":
    sys.exit(main())
