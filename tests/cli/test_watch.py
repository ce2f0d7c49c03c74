"""`llmprep watch`: a verdict on start and one per save, from workers started ahead of time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from llmprep.cli.watch import Stamp, _settled, _stamp

REPO = Path(__file__).resolve().parents[2]
REFERENCE = (REPO / "exercises" / "softmax" / "reference.py").read_text()
WRONG = "# llmprep: softmax\ndef softmax(x, dim=-1):\n    return x\n"
HALF_WRITTEN = "# llmprep: softmax\ndef softmax(x, dim=-1):\n    return (x - x.amax(dim=dim, keepdim=True"


def _start(path: Path, home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), "LLMPREP_HOME": str(home), "OMP_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-m", "llmprep", "watch", str(path), "--exercise", "softmax",
                             "--seed", "1", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)


def _save(path: Path, text: str, *, by_rename: bool = False) -> None:
    time.sleep(0.05)  # a new mtime even on a coarse file system clock
    if by_rename:  # how vim and JetBrains' "safe write" save: a new file (new inode) renamed over the old
        fresh = path.with_suffix(".tmp")
        fresh.write_text(text)
        os.replace(fresh, path)
    else:
        path.write_text(text)


def _worker_folders(pid: int) -> list[Path]:
    return list(Path(os.environ.get("TMPDIR", "/tmp")).glob(f"llmprep-worker-{pid}-*"))


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.mark.slow
def test_a_wrong_file_then_a_half_written_one_then_the_reference(tmp_path, llmprep_home):
    path = tmp_path / "mine.py"
    path.write_text(WRONG)
    process = _start(path, llmprep_home, "--json", "--max-runs", "3")
    try:
        first = json.loads(process.stdout.readline())
        assert (first["exercise"], first["passed"], first["seed"]) == ("softmax", False, 1)
        _save(path, HALF_WRITTEN)
        second = json.loads(process.stdout.readline())  # a syntax error is a failing verdict, not a crash
        assert second["passed"] is False
        assert "SyntaxError" in json.dumps(second) or "syntax" in json.dumps(second).lower()
        _save(path, REFERENCE, by_rename=True)
        third = json.loads(process.stdout.readline())
        assert third["passed"] is True, third
        assert third["timings"]["save_to_verdict_s"] > 0
        assert process.wait(timeout=120) == 0, process.stderr.read()
    finally:
        _stop(process)
    assert not _worker_folders(process.pid)  # the worker started ahead for a fourth save was closed


@pytest.mark.slow
def test_ctrl_c_exits_130_without_a_traceback_or_a_worker_left(tmp_path, llmprep_home):
    path = tmp_path / "mine.py"
    path.write_text(REFERENCE)
    process = _start(path, llmprep_home)
    try:
        lines = []
        while not any("PASSED" in line for line in lines):
            line = process.stdout.readline()
            assert line, process.stderr.read()
            lines.append(line)
        time.sleep(0.5)  # the next worker is being started ahead now
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 130
        stderr = process.stderr.read()
        assert "Traceback" not in stderr and "llmprep next" in stderr, stderr
    finally:
        _stop(process)
    assert not _worker_folders(process.pid)


def test_the_stamp_of_a_missing_file_is_none_and_changes_with_the_content(tmp_path):
    path = tmp_path / "mine.py"
    assert _stamp(path) is None
    path.write_text(WRONG)
    before = _stamp(path)
    assert isinstance(before, Stamp) and before.size == len(WRONG)
    time.sleep(0.02)
    path.write_text(WRONG + "# more\n")
    assert _stamp(path) != before
    assert _settled(path, before) == _stamp(path)  # settles on what is there now
    path.unlink()
    assert _settled(path, before) is None
