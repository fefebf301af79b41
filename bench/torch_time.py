#!/usr/bin/python3
"""torch_time.py - times a torchvision classifier in torch, as users run it.

Builds MODEL as scripts/export_torchvision.py exports it (random weights,
eval mode), sets torch's intra-op threads to THREADS, runs a seeded random
1 x 3 x SIZE x SIZE input under torch.no_grad() after three warm-up runs,
REPEATS times, and prints one JSON line: median, min and max milliseconds
per image, as bench/ort_time.js does.

Usage: /usr/bin/python3 bench/torch_time.py MODEL SIZE THREADS REPEATS
"""
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts"))
import export_torchvision  # noqa: E402


def main():
    import torch
    name, size, threads, repeats = sys.argv[1], *map(int, sys.argv[2:5])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = export_torchvision.build(name).eval()
    x = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(1))
    times = []
    with torch.no_grad():
        for i in range(3 + repeats):
            start = time.perf_counter()
            model(x)
            if i >= 3:
                times.append((time.perf_counter() - start) * 1e3)
    print(json.dumps({"median": statistics.median(times), "min": min(times),
                      "max": max(times)}, separators=(",", ":")))


if __name__ == "__main__":
    main()
