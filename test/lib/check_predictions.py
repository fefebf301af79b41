#!/usr/bin/env python3
"""check_predictions.py - The C example's predictions against torch's.

Reads `image I: predicted P, label L` lines printed by examples/classify.c
and checks that every prediction is the argmax of the torch logits saved
when the model was trained.
"""
import re
import sys

import numpy as np

lines = open(sys.argv[1]).read().splitlines()
torch = np.load(sys.argv[2]).argmax(axis=1)
predicted = {}
for line in lines:
    m = re.match(r"image (\d+): predicted (\d+), label (\d+)", line)
    if m:
        predicted[int(m.group(1))] = int(m.group(2))
if len(predicted) != len(torch):
    sys.exit(f"FAIL: {len(predicted)} predictions for {len(torch)} images")
wrong = [i for i in range(len(torch)) if predicted[i] != torch[i]]
if wrong:
    sys.exit(f"FAIL: {len(wrong)} predictions differ from torch's, first at image {wrong[0]}")
print(f"all {len(torch)} predictions equal torch's")
