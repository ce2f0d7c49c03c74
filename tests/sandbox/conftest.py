"""Running `llmprep` as a process of its own against a hostile submission, and finding what survived.

Each llmprep is forked by a zygote (llmprep_zygote.py, spoken to as llmprep's fork server is) that
has imported llmprep and torch once per test process, instead of being exec'd as `python -m llmprep`
(3 s of CPU for the import each time); it is still a separate process, in its own session, with its
own fork server and workers.

The submission's source may use placeholders: MARKER (a number unique to the test, e.g. how long
a left-behind `sleep` sleeps, so a survivor can be found by its command line), LLMPREP_PID (the pid
of the llmprep process that checks it), LLMPREP_HOME (its data folder) and REPO (this checkout).
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import random
import selectors
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from llmprep.execution.forkserver import ForkedWorker, ForkServer

REPO = Path(__file__).resolve().parents[2]
LIMIT_S = 240
ZYGOTE = Path(__file__).with_name("llmprep_zygote.py")


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


class ForkedLlmprep:
    """What these tests use of a Popen, for an llmprep the zygote forked."""

    def __init__(self, forked: ForkedWorker, stdin: int, stdout: int, stderr: int):
        self._forked, self.pid = forked, forked.pid
        self.stdin = os.fdopen(stdin, "wb")
        self._outputs = {stdout: bytearray(), stderr: bytearray()}
        self._open = {stdout, stderr}

    @property
    def returncode(self) -> int | None:
        return self._forked.returncode

    def poll(self) -> int | None:
        try:
            return self._forked.wait(0)
        except subprocess.TimeoutExpired:
            return None

    def wait(self, timeout: float | None = None) -> int | None:
        return self._forked.wait(timeout)

    def communicate(self, timeout: float) -> tuple[bytes, bytes]:
        """Read stdout and stderr to their end, then wait: (stdout, stderr)."""
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            for fd in self._open:
                selector.register(fd, selectors.EVENT_READ)
            while selector.get_map():
                ready = selector.select(max(deadline - time.monotonic(), 0.0))
                if not ready:
                    raise subprocess.TimeoutExpired(f"llmprep {self.pid}", timeout)
                for key, _ in ready:
                    chunk = os.read(key.fd, 1 << 16)
                    if chunk:
                        self._outputs[key.fd] += chunk
                    else:
                        selector.unregister(key.fd)
                        self._open.discard(key.fd)
                        os.close(key.fd)
        self.wait(max(deadline - time.monotonic(), 0.01))
        stdout, stderr = self._outputs.values()
        return bytes(stdout), bytes(stderr)

    def close_pipes(self) -> None:
        """Close what communicate() did not read to its end."""
        for fd in self._open:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._open.clear()


def start_llmprep(zygote: ForkServer, argv: list[str], env: dict, cwd: Path) -> ForkedLlmprep:
    """Fork an llmprep from the zygote; it runs once a line is written to its stdin."""
    stdin_read, stdin_write = os.pipe()
    stdout_read, stdout_write = os.pipe()
    stderr_read, stderr_write = os.pipe()
    token = zygote.request({"argv": argv, "env": env, "cwd": str(cwd)}, [stdin_read, stdout_write, stderr_write])
    for fd in (stdin_read, stdout_write, stderr_write):
        os.close(fd)
    forked = ForkedWorker(zygote, token)
    if forked.pid == 0:
        raise RuntimeError(f"the llmprep zygote ended (exit status {zygote.process.poll()})")
    return ForkedLlmprep(forked, stdin_write, stdout_read, stderr_read)


@pytest.fixture(scope="session")
def zygote():
    started = ForkServer(ZYGOTE)
    yield started
    started.close()


@pytest.fixture
def hostile(tmp_path, llmprep_home, zygote):
    """Start llmprep on a submission; `start(source, *args)` returns the process, `run(...)` its Outcome.

    llmprep is started first (held until it reads a line on its stdin) so that its pid can be
    written into the submission; afterwards the fixture asserts that nothing the submission started
    survived and that the worker's folder is gone."""
    marker = f"{60 + random.Random(str(tmp_path)).random():.9f}"
    started: list[ForkedLlmprep] = []

    def start(source: str, *args: str, file_name: str = "submission.py") -> ForkedLlmprep:
        env = {**os.environ, "PYTHONPATH": str(REPO), "LLMPREP_HOME": str(llmprep_home),
               "LLMPREP_CANARY": f"canary-{marker}", "OMP_NUM_THREADS": "1"}
        path = tmp_path / file_name
        process = start_llmprep(zygote, [str(path) if a == "FILE" else a for a in args], env, tmp_path)
        started.append(process)
        text = (source.replace("MARKER", marker).replace("LLMPREP_PID", str(process.pid))
                .replace("LLMPREP_HOME", str(llmprep_home)).replace("REPO", str(REPO)))
        path.write_text(text)
        process.stdin.write(b"go\n")
        process.stdin.close()
        return process

    def finish(process: ForkedLlmprep) -> Outcome:
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
        process.close_pipes()
        assert wait_until(lambda p=process: not survivors(marker, p.pid), 10), survivors(marker, process.pid)
        assert wait_until(lambda p=process: not worker_folders(p.pid), 10), worker_folders(process.pid)
