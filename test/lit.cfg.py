# -*- Python -*-
# lit configuration for qc: runs the .mlir tests under test/ with qc's tools
# and LLVM 19's FileCheck / not.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "qc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qc_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs", "Runtime", "Fuzz"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%qc_src_root", config.qc_src_root))
config.substitutions.append(("%python", config.python))

# The sanitizer options reach the tools under test (scripts/test-sanitized.sh).
llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP",
                                     "ASAN_OPTIONS", "UBSAN_OPTIONS",
                                     "LSAN_OPTIONS", "ASAN_SYMBOLIZER_PATH"])
llvm_config.use_default_substitutions()

tool_dirs = [os.path.join(config.qc_obj_root, "bin"), config.llvm_tools_dir]
llvm_config.add_tool_substitutions(["qc-opt", "qc-run", "qc-translate", "qcc"], tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# Tests that export torchvision models at run time need Debian's
# python3-torchvision (scripts/install-deps.sh installs it).
import subprocess

# find_spec, not import: importing torch would add seconds to every lit run.
if subprocess.run([config.python, "-c",
                   "import importlib.util, sys; "
                   "sys.exit(importlib.util.find_spec('torchvision') is None)"],
                  capture_output=True).returncode == 0:
    config.available_features.add("torchvision")
