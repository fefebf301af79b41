#!/usr/bin/env python3
"""check_context.py - A qcc context's workspace against the buffer plan.

Usage: check_context.py OUTPUT REPORT

OUTPUT is what test/e2e/tools/Inputs/context-api.c printed, REPORT the
library's report.json. A context of max_batch items on T threads must hold,
per thread, the plan's scratch bytes per image for the items of one call of
the model (its largest slice, or fewer: as many as half of L2 holds, at
least 1; L2's size as getconf reports it, 1 MiB when it cannot) plus 64
bytes per arena slot (rounded up to 64), and nothing more than that plus
its own bookkeeping; the plan itself must reuse memory (fewer bytes than its
buffers take one after another).
"""
import json
import re
import subprocess
import sys

output = open(sys.argv[1]).read()
memory = json.load(open(sys.argv[2]))["memory"]
per_image = memory["scratch_bytes_per_image"]
if not 0 < per_image < memory["scratch_bytes_per_image_without_reuse"]:
    sys.exit(f"FAIL: the plan reuses nothing: {memory}")
try:
    l2 = int(subprocess.run(["getconf", "LEVEL2_CACHE_SIZE"],
                            capture_output=True, text=True).stdout.strip())
except ValueError:
    l2 = 0
budget = (l2 if l2 > 0 else 1 << 20) // 2
items_per_call = max(1, budget // per_image)
for max_batch, threads, got in re.findall(
        r"create\((\d+), (\d+)\) allocated (\d+) bytes", output):
    max_batch, threads, got = int(max_batch), int(threads), int(got)
    largest = min(-(-max_batch // threads), items_per_call)
    workspace = per_image * largest + 64 * memory["arena_slots"]
    workspace = -(-workspace // 64) * 64
    bookkeeping = 64 + 16 * threads
    if not threads * workspace <= got <= threads * workspace + bookkeeping:
        sys.exit(f"FAIL: create({max_batch}, {threads}) allocated {got} "
                 f"bytes; the plan needs {threads} x {workspace}")
print(f"workspaces match the plan: {per_image} bytes per image")
