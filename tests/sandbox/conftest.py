"""Running `llmprep` as a real child process against a hostile submission, and finding what survived.

The submission's source may use placeholders: MARKER (a number unique to the test, e.g. how long
a left-behind `sleep` sleeps, so a survivor can be found by its command line), LLMPREP_PID (the pid
of the llmprep process that checks it), LLMPREP_HOME (its data folder) and REPO (this checkout).
"""

from __future__ import annotations

import glob
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LIMIT_S = 240


@dataclass
class Outcome:
    """How llmprep ended, and what it printed."""

    pid: int
    returncode: int
    document: dict | None
    stdout: str
    stderr: str


def _processes():
    """(pid, command line, working directory) of every live process but zombies."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state not in ("Z", "X"):
            yield entry, cmdline, _cwd(entry)


def workers(llmprep_pid: int) -> list[str]:
    """Command lines of the live workers of `llmprep_pid`: its worker folder is in their command line
    (an exec'd worker) or is their working directory (a worker forked by the fork server)."""
    folder = f"llmprep-worker-{llmprep_pid}-"
    return [cmdline for _, cmdline, cwd in _processes() if folder in cmdline or folder in cwd]


def survivors(marker: str, llmprep_pid: int) -> list[str]:
    """Command lines of live processes carrying `marker`, the workers of `llmprep_pid`, and its
    fork server."""
    found = workers(llmprep_pid)
    for _, cmdline, _ in _processes():
        server = "--fork-server" in cmdline and cmdline.split()[-1] == str(llmprep_pid)
        if (marker in cmdline or server) and cmdline not in found:
            found.append(cmdline)
    return found


def _cwd(pid: str) -> str:
    try:
        return os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return ""


def worker_folders(llmprep_pid: int) -> list[str]:
    """The private folders of the workers of `llmprep_pid` that still exist."""
    return glob.glob(os.path.join(tempfile.gettempdir(), f"llmprep-worker-{llmprep_pid}-*"))


def wait_until(condition, limit_s: float = 20.0) -> bool:
    """Poll `condition()` until it is true or `limit_s` has passed."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def hostile(tmp_path, llmprep_home):
    """Start llmprep on a submission; `start(source, *args)` returns the Popen, `run(...)` its Outcome.

    llmprep is started first (held at a `read` in the shell that execs it) so that its pid can be
    written into the submission; afterwards the fixture asserts that nothing the submission started
    survived and that the worker's folder is gone."""
    marker = f"{60 + random.Random(str(tmp_path)).random():.9f}"
    started: list[subprocess.Popen] = []

    def start(source: str, *args: str, file_name: str = "submission.py") -> subprocess.Popen:
        env = {**os.environ, "PYTHONPATH": str(REPO), "LLMPREP_HOME": str(llmprep_home),
               "LLMPREP_CANARY": f"canary-{marker}", "OMP_NUM_THREADS": "1"}
        path = tmp_path / file_name
        command = [sys.executable, "-m", "llmprep", *[path if a == "FILE" else a for a in args]]
        process = subprocess.Popen(["sh", "-c", 'read go; exec "$@"', "sh", *map(str, command)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=env, cwd=tmp_path, start_new_session=True)
        started.append(process)
        text = (source.replace("MARKER", marker).replace("LLMPREP_PID", str(process.pid))
                .replace("LLMPREP_HOME", str(llmprep_home)).replace("REPO", str(REPO)))
        path.write_text(text)
        process.stdin.write(b"go\n")
        process.stdin.close()
        process.stdin = None  # communicate() must not flush it again
        return process

    def finish(process: subprocess.Popen) -> Outcome:
        stdout, stderr = process.communicate(timeout=LIMIT_S)
        try:
            document = json.loads(stdout)
        except ValueError:
            document = None
        return Outcome(process.pid, process.returncode, document, stdout.decode(errors="replace"),
                       stderr.decode(errors="replace"))

    def run(source: str, *args: str) -> Outcome:
        return finish(start(source, *args))

    run.start, run.finish, run.marker = start, finish, marker
    run.survivors = lambda pid: survivors(marker, pid)
    run.workers = workers
    run.folders, run.wait_until = worker_folders, wait_until
    yield run
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        assert wait_until(lambda p=process: not survivors(marker, p.pid), 10), survivors(marker, process.pid)
        assert wait_until(lambda p=process: not worker_folders(p.pid), 10), worker_folders(process.pid)
