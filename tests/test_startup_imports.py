"""Start-up commands must not import torch, onnx or onnxruntime (they cost seconds)."""

import json
import subprocess
import sys

import pytest

HEAVY = ("torch", "onnx", "onnxruntime", "onnxscript", "numpy")

PROBE = """
import json, sys
from llmprep.cli import cli
try:
    cli(sys.argv[1:], prog_name="llmprep")
except SystemExit:
    pass
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(json.loads(%r)))
sys.__stdout__.write("\\nHEAVY=" + json.dumps(heavy) + "\\n")
"""

FAST_COMMANDS = [
    ["--help"],
    ["--version"],
    ["doctor", "--help"],
    ["quiz", "--help"],
    ["quiz", "-n", "1", "--seed", "1"],
    ["quiz", "-n", "1"],
    ["progress"],
    ["progress", "--help"],
    ["bench", "--help"],
    ["check", "--help"],
    ["exercises"],
    ["hint", "softmax"],
]


@pytest.mark.parametrize("args", FAST_COMMANDS, ids=" ".join)
def test_command_imports_no_heavy_module(args, tmp_path):
    code = PROBE % json.dumps(HEAVY)
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        env={"LLMPREP_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("HEAVY=")]
    assert line, proc.stdout + proc.stderr
    assert json.loads(line[-1][len("HEAVY="):]) == []
