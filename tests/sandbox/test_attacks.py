"""One test per attack on the grading worker: each asserts the verdict, and (in the `hostile`
fixture) that no process the submission started survived and the worker's folder is gone.

llmprep runs as a process of its own here (forked, with llmprep and torch already imported, by the
zygote in conftest.py), so an attack that got through would hit a real llmprep, not the test runner."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3

import pytest

pytestmark = pytest.mark.slow

CHECK = ("check", "FILE", "--seed", "5", "--json")
WRONG = "\ndef softmax(x, dim=-1):\n    return x\n"
RIGHT = """
def softmax(x, dim=-1):
    e = (x - x.amax(dim=dim, keepdim=True)).exp()
    return e / e.sum(dim=dim, keepdim=True)
"""


def _failed(outcome) -> dict:
    assert outcome.returncode == 1, (outcome.returncode, outcome.stderr[-2000:])
    assert outcome.document is not None and outcome.document["passed"] is False
    return outcome.document


def test_a_passing_record_cannot_be_forged_in_the_store(hostile, llmprep_home):
    outcome = hostile("""
import os, sqlite3
for source in ("/proc/%d/environ" % os.getppid(), "/proc/LLMPREP_PID/environ"):
    try:
        print("ENVIRON", open(source, "rb").read()[:50])
    except OSError as error:
        print("refused", source, error)
try:
    db = sqlite3.connect("LLMPREP_HOME/llmprep.sqlite3")
    db.execute("INSERT INTO check_attempts (uid, exercise_id, passed, attempted_at) "
               "VALUES ('forged', 'softmax', 1, '2026-01-01T00:00:00+00:00')")
    db.commit()
    print("FORGED")
except Exception as error:
    print("refused", error)
""" + WRONG, *CHECK)
    document = _failed(outcome)
    assert "FORGED" not in document["stdout"] and "ENVIRON" not in document["stdout"]
    rows = sqlite3.connect(llmprep_home / "llmprep.sqlite3").execute(
        "SELECT uid, passed FROM check_attempts").fetchall()
    assert rows and all(passed == 0 for _, passed in rows), rows


def test_the_json_verdict_cannot_be_forged_on_llmprep_stdout(hostile):
    outcome = hostile("""
import os
for pid in (os.getppid(), LLMPREP_PID, 1):
    for fd in (1, 2):
        try:
            with open("/proc/%d/fd/%d" % (pid, fd), "w") as out:
                out.write('{"passed": true, "exercise": "softmax"}\\n')
        except OSError:
            pass
""" + WRONG, *CHECK)
    _failed(outcome)  # stdout parsed as one JSON document: nothing was written before it
    assert '"passed": true' not in outcome.stdout + outcome.stderr


def test_the_aten_route_around_a_banned_function_fails_by_name(hostile):
    outcome = hostile("""
import torch

def scaled_dot_product_attention(q, k, v, mask=None, is_causal=False):
    return torch.ops.aten.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=is_causal)
""", "check", "FILE", "--exercise", "scaled-dot-product-attention", "--seed", "5", "--json")
    document = _failed(outcome)
    errors = " ".join(case["error"] or "" for case in document["cases"])
    assert "called a banned built-in" in errors and "aten.scaled_dot_product_attention" in errors


def test_removing_the_import_blocker_does_not_reach_llmprep(hostile):
    outcome = hostile("""
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "Block" not in type(f).__name__]
sys.path.insert(0, "REPO")
from llmprep.grading.cases import reference_entry
from llmprep.exercises import get_exercise
softmax = reference_entry(get_exercise("softmax"))
""", *CHECK)
    document = _failed(outcome)
    assert "ModuleNotFoundError" in document["problem"] or "PermissionError" in document["problem"]


def test_the_reference_cannot_be_loaded_by_path(hostile):
    outcome = hostile("""
import importlib.util, os, sys
softmax = None
for path in (os.path.join(os.path.dirname(sys.argv[0]), "..", "..", "exercises", "softmax", "reference.py"),
             "REPO/exercises/softmax/reference.py"):
    try:
        spec = importlib.util.spec_from_file_location("stolen", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        softmax = module.softmax
        print("STOLEN", path)
    except Exception as error:
        print("refused", error)
if softmax is None:
    def softmax(x, dim=-1):
        return x
""", *CHECK)
    document = _failed(outcome)
    assert "STOLEN" not in document["stdout"]


def test_a_double_fork_with_setsid_does_not_outlive_the_check(hostile):
    outcome = hostile("""
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/bin/sh", ["sh", "-c", "sleep MARKER"])
    if os.fork() == 0:
        time.sleep(120)   # a Python grandchild: its command line is the worker's
        os._exit(0)
    os._exit(0)
time.sleep(0.2)
""" + RIGHT, *CHECK)
    assert outcome.returncode == 0 and outcome.document["passed"] is True
    # the fixture then finds neither the sleep nor the Python grandchild


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGSTOP])
def test_the_worker_cannot_kill_or_stop_llmprep(hostile, signum):
    outcome = hostile(f"""
import os
for pid in (os.getppid(), LLMPREP_PID):
    try:
        os.kill(pid, {int(signum)})
        print("SIGNALLED", pid)
    except OSError as error:
        print("refused", error)
""" + WRONG, *CHECK)  # llmprep answering at all (no hang, no -9) is the point
    document = _failed(outcome)
    assert f"SIGNALLED {outcome.pid}" not in document["stdout"]


def test_llmprep_memory_command_line_and_environment_stay_private(hostile):
    outcome = hostile("""
import ctypes, os
for name in ("cmdline", "environ", "mem", "maps", "status"):
    try:
        with open("/proc/LLMPREP_PID/" + name, "rb") as source:
            print("LEAK", name, source.read(4096))
    except OSError as error:
        print("refused", name, error.errno)
libc = ctypes.CDLL(None, use_errno=True)
buffer = ctypes.create_string_buffer(64)
class IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
local, remote = IoVec(ctypes.addressof(buffer), 64), IoVec(0x400000, 64)
if libc.process_vm_readv(LLMPREP_PID, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0) > 0:
    print("LEAK memory")
""" + WRONG, *CHECK)
    document = _failed(outcome)
    assert "LEAK" not in document["stdout"] and hostile.marker not in document["stdout"]


def test_no_connection_reaches_a_listener_on_the_loopback(hostile):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        outcome = hostile(f"""
import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).sendall(b"stolen")
    print("CONNECTED")
except OSError as error:
    print("refused", error)
""" + WRONG, *CHECK)
        with pytest.raises(TimeoutError):
            listener.accept()
    document = _failed(outcome)
    assert "CONNECTED" not in document["stdout"]


def test_writing_gigabytes_is_stopped_and_nothing_stays(hostile, tmp_path):
    outcome = hostile("""
import os
for folder in ("/tmp", os.getcwd()):
    written = 0
    try:
        with open(os.path.join(folder, "attack-MARKER"), "wb") as out:
            block = b"x" * (1 << 20)
            for _ in range(2048):
                out.write(block)
                written += len(block)
    except OSError as error:
        print("stopped", folder, written, type(error).__name__)
    print("WROTE", folder, written)
""" + WRONG, *CHECK)
    document = _failed(outcome)
    lines = [line.split() for line in document["stdout"].splitlines() if line.startswith("WROTE")]
    assert lines and all(int(written) <= 256 * 2**20 for _, _, written in lines), lines
    assert not os.path.exists(f"/tmp/attack-{hostile.marker}")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_to_llmprep_ends_the_worker_and_removes_its_folder(hostile, signum):
    process = hostile.start("""
import time
def softmax(x, dim=-1):
    while True:
        time.sleep(0.01)
""", *CHECK, "--timeout", "120")
    assert hostile.wait_until(lambda: hostile.survivors(process.pid) and hostile.folders(process.pid), 120)
    assert hostile.wait_until(lambda: hostile.workers(process.pid), 60)
    os.kill(process.pid, signum)
    process.wait(timeout=60)  # the fixture then finds no worker and no folder


def test_a_killed_llmprep_takes_its_worker_along(hostile):
    from llmprep.execution.process import _remove_stale_folders

    process = hostile.start("import time\ntime.sleep(300)\n" + RIGHT, *CHECK, "--timeout", "120")
    assert hostile.wait_until(lambda: hostile.workers(process.pid), 120)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert hostile.wait_until(lambda: not hostile.survivors(process.pid), 10)
    _remove_stale_folders()  # what the next llmprep run does first: nothing could clean up after SIGKILL
