"""`llmprep watch`: a verdict on start and one per save, from workers started ahead of time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WRONG = "# llmprep: softmax\ndef softmax(x, dim=-1):\n    return x\n"
RIGHT = """# llmprep: softmax
def softmax(x, dim=-1):
    e = (x - x.amax(dim=dim, keepdim=True)).exp()
    return e / e.sum(dim=dim, keepdim=True)
"""


@pytest.mark.slow
def test_watch_checks_on_start_and_again_on_every_save(tmp_path, llmprep_home):
    path = tmp_path / "mine.py"
    path.write_text(WRONG)
    env = {**os.environ, "PYTHONPATH": str(REPO), "LLMPREP_HOME": str(llmprep_home), "OMP_NUM_THREADS": "1"}
    process = subprocess.Popen([sys.executable, "-m", "llmprep", "watch", str(path), "--json", "--max-runs", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        first = json.loads(process.stdout.readline())
        assert first["passed"] is False and first["exercise"] == "softmax"
        assert first["timings"]["save_to_verdict_s"] > 0
        time.sleep(0.05)  # a new mtime even on a coarse file system clock
        path.write_text(RIGHT)
        second = json.loads(process.stdout.readline())
        assert second["passed"] is True and second["sandbox"]["level"] in ("full", "partial", "none")
        assert process.wait(timeout=120) == 0, process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    # the worker started ahead for a third save was closed on the way out
    assert not list(Path("/tmp").glob(f"llmprep-worker-{process.pid}-*"))
