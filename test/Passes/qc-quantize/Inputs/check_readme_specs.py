"""Checks the README's table of quantization specs against `qc-run --help`.

Usage: check_readme_specs.py README.md HELP.txt

The README lists the specs by hand; the tools' help is built from the scheme
table. Each spec must appear in both, for the same targets (weights for
--quant, activations for --act) and with the same range of k.
"""

import re
import sys

HEADER = "| spec | `weight-scheme` / `activation-scheme` | k | weights | activations |"


def readme_specs(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    start = lines.index(HEADER) + 2  # skip the |---| row
    specs = {"--quant": {}, "--act": {}}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        spec = re.match(r"`([^`]+)`", cells[0]).group(1)
        k = re.sub(r" centroids$", "", cells[2])
        k = "" if not k or k.startswith("(") else k
        for option, cell in (("--quant", cells[3]), ("--act", cells[4])):
            if cell == "yes":
                specs[option][spec] = k
    return specs


def help_specs(path):
    specs = {}
    for line in open(path, encoding="utf-8"):
        match = re.match(r"\s*(--quant|--act)=<string>\s+- [^.]*\. (.*)$", line)
        if not match:
            continue
        entries = {}
        for entry in match.group(2).split("; "):
            name, text = entry.split(": ", 1)
            k = re.search(r"k (?:in|=) (.*)$", text)
            entries[name] = k.group(1) if k else ""
        specs[match.group(1)] = entries
    return specs


def main():
    readme, help_text = readme_specs(sys.argv[1]), help_specs(sys.argv[2])
    errors = []
    for option in ("--quant", "--act"):
        if option not in help_text:
            errors.append(f"{option} is not in the help")
            continue
        if readme[option] != help_text[option]:
            errors.append(f"{option}: README lists {readme[option]}, "
                          f"the help {help_text[option]}")
    for error in errors:
        print("error:", error)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
