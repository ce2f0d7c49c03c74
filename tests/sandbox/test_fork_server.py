"""The fork server: workers forked from it are held exactly as exec'd ones, carry nothing of the
server's, report how they ended, and the server goes when llmprep closes its channel."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from llmprep.execution import forkserver
from llmprep.execution.process import WORKER_SCRIPT
from llmprep.exercises import get_exercise
from llmprep.grading.check import check_submission

pytestmark = pytest.mark.slow  # each test starts a worker (and an exec'd one a torch import)

RIGHT = """
def softmax(x, dim=-1):
    e = (x - x.amax(dim=dim, keepdim=True)).exp()
    return e / e.sum(dim=dim, keepdim=True)
"""
WHAT_IT_HOLDS = """
import os, sys
print("FDS", len(os.listdir("/proc/self/fd")))
print("MODULES", sorted(m for m in sys.modules if m.split(".")[0] in ("llmprep", "exercises", "tests", "conftest")))
"""


def _check(tmp_path: Path, source: str, monkeypatch, start: str):
    monkeypatch.setenv("LLMPREP_WORKER_START", start)
    path = tmp_path / f"{start}.py"
    path.write_text(source)
    return check_submission(path, get_exercise("softmax"), device="cpu", seed=3)


def test_a_forked_worker_is_held_like_an_exec_one_and_holds_no_more(tmp_path, monkeypatch):
    forked = _check(tmp_path, WHAT_IT_HOLDS + RIGHT, monkeypatch, "fork")
    executed = _check(tmp_path, WHAT_IT_HOLDS + RIGHT, monkeypatch, "exec")
    assert forked.passed and executed.passed
    assert forked.sandbox == executed.sandbox
    lines = {kind: [line for line in report.stdout.splitlines() if line.startswith(("FDS", "MODULES"))]
             for kind, report in (("fork", forked), ("exec", executed))}
    assert lines["fork"] == lines["exec"], lines
    assert "MODULES []" in lines["fork"]


def test_one_server_forks_every_worker_of_a_process(tmp_path, monkeypatch):
    first = _check(tmp_path, RIGHT, monkeypatch, "fork")
    server = forkserver.fork_server(WORKER_SCRIPT)
    forked_before = len(server._forked)
    second = _check(tmp_path, RIGHT, monkeypatch, "fork")
    assert first.passed and second.passed
    assert forkserver.fork_server(WORKER_SCRIPT) is server and server.alive()
    assert len(server._forked) == forked_before + 1


def test_how_a_forked_worker_ended_reaches_the_report(tmp_path, monkeypatch):
    report = _check(tmp_path, "import ctypes\ndef softmax(x, dim=-1):\n    return ctypes.string_at(0)\n",
                    monkeypatch, "fork")
    assert not report.passed
    assert "SIGSEGV" in report.to_json()["cases"][0]["error"]


def test_the_server_ends_when_its_channel_closes():
    server = forkserver.ForkServer(WORKER_SCRIPT)
    server._channel.close()
    try:
        assert server.process.wait(timeout=60) == 0
    except subprocess.TimeoutExpired:
        server.close()
        pytest.fail("the fork server outlived its channel")


def test_exec_is_still_a_way_to_start_workers(tmp_path, monkeypatch):
    server = forkserver.fork_server(WORKER_SCRIPT)
    forked_before = len(server._forked)
    report = _check(tmp_path, RIGHT, monkeypatch, "exec")
    assert report.passed
    assert forkserver.fork_server(WORKER_SCRIPT) is None
    assert len(server._forked) == forked_before, "an exec'd check was forked by the server"


SAYS_IF_WARM = 'import sys\nprint("DYNAMO AT START", "torch._dynamo" in sys.modules)\n'
BUILDS_AN_OPTIMIZER = """
import torch
torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)  # the first optimizer imports torch._dynamo
"""


def test_a_slow_import_one_worker_needed_is_made_by_the_server_for_the_next(tmp_path, monkeypatch):
    monkeypatch.setattr(forkserver, "_server", None)  # a server of this test's own
    try:
        first = _check(tmp_path, SAYS_IF_WARM + BUILDS_AN_OPTIMIZER + RIGHT, monkeypatch, "fork")
        server = forkserver._server
        second = _check(tmp_path, SAYS_IF_WARM + RIGHT, monkeypatch, "fork")
    finally:
        if forkserver._server is not None:
            forkserver._server.close()
    assert first.passed and second.passed
    assert "DYNAMO AT START False" in first.stdout and "DYNAMO AT START True" in second.stdout
    assert server.warm == {"torch._dynamo"}


def test_only_the_named_slow_imports_are_learned_and_made(monkeypatch):
    import sys

    from llmprep.execution.worker_script import _import_warm

    server = forkserver.ForkServer.__new__(forkserver.ForkServer)  # learn_warm needs no process
    server.warm = set()
    server.learn_warm(["this", 3, "torch._dynamo", "llmprep.cli"])
    assert server.warm == {"torch._dynamo"}
    monkeypatch.delitem(sys.modules, "this", raising=False)
    _import_warm(["this", "os.path"])  # what a forged `done` frame could ask of the server
    assert "this" not in sys.modules
