#!/usr/bin/env python3
"""Checks what the Halide ukernels' AVX-512 variants contain.

qc's answer to Halide's variant check (runtime/CpuFeatures.cpp) lets the
variant compiled for Halide 14's Sapphire Rapids level run on any CPU with
AVX-512 F/CD/BW/DQ/VL, IFMA, VBMI, VBMI2, GFNI, VNNI, BITALG and VPOPCNTDQ
(Ice Lake, Zen 4), because LLVM's sapphirerapids model enables more than
that: AMX, AVX512-FP16, AVX512-BF16, AVX-VNNI and a few system extensions.
This test disassembles every such variant in the built libraries and fails
if any instruction of those extensions is in it, so a new Halide or LLVM
that starts using one turns this test red instead of faulting on Zen 4.
It also checks that the XNOR GEMM's variant does use the vector popcount,
the reason the variant is worth running.

usage: check_halide_variants.py OBJDUMP ARCHIVE...
"""

import re
import subprocess
import sys

# Mnemonics (or prefixes) of the extensions the check does not require.
FORBIDDEN = [
    (re.compile(r"^(ldtilecfg|sttilecfg|tileloadd|tileloaddt1|tilestored|"
                r"tilerelease|tilezero|tdp\w+)$"), "AMX"),
    (re.compile(r"^(vcvtne2ps2bf16|vcvtneps2bf16|vdpbf16ps)$"), "AVX512-BF16"),
    (re.compile(r"^v\w+(ph|sh|phx)$"), "AVX512-FP16"),
    (re.compile(r"^vp2intersect[dq]$"), "AVX512-VP2INTERSECT"),
    (re.compile(r"^(serialize|xsusldtrk|xresldtrk|enqcmds?|uiret|senduipi|"
                r"clui|stui|testui|hreset|movdiri|movdir64b|cldemote|umwait|"
                r"tpause|umonitor|pconfig|wbnoinvd|ptwrite)$"),
     "a system extension"),
]
# F16C conversions end in "ph" too.
F16C = {"vcvtph2ps", "vcvtps2ph"}
VNNI = re.compile(r"^vpdp(bu|bs|wu|ws)\w*$")
LINE = re.compile(r"^\s*[0-9a-f]+:\s+((?:[0-9a-f]{2} )+)\s*(?:\{\w+\}\s+)?(\S+)")


def classify(mnemonic, raw):
    if mnemonic in F16C:
        return None
    for pattern, name in FORBIDDEN:
        if pattern.match(mnemonic):
            return name
    # AVX-VNNI is the VEX encoding of the dot products; AVX512-VNNI's
    # starts with the EVEX byte 0x62.
    if VNNI.match(mnemonic) and not raw.startswith("62"):
        return "AVX-VNNI"
    return None


def main():
    objdump, archives = sys.argv[1], sys.argv[2:]
    failures, variants, popcounts = [], 0, set()
    for archive in archives:
        text = subprocess.run([objdump, "-d", archive], check=True,
                              capture_output=True, text=True).stdout
        member, wanted = None, False
        for line in text.splitlines():
            if "file format" in line:
                member = line.split(":")[0]
                wanted = "avx512_sapphirerapids" in member
                variants += wanted
                continue
            match = LINE.match(line) if wanted else None
            if not match:
                continue
            raw, mnemonic = match.group(1), match.group(2)
            extension = classify(mnemonic, raw)
            if extension:
                failures.append(f"{member}: {mnemonic} ({extension})")
            if mnemonic.startswith("vpopcnt") and "xnor_gemm" in member:
                popcounts.add(mnemonic)
    if variants == 0:
        failures.append("no avx512_sapphirerapids variant in the archives")
    if not popcounts:
        failures.append("the XNOR GEMM's AVX-512 variant has no vpopcnt")
    for failure in failures:
        print("error:", failure)
    print(f"{variants} variants checked, vector popcounts: "
          f"{', '.join(sorted(popcounts)) or 'none'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
