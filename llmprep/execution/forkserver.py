"""The fork server: one process per llmprep that imports torch once and forks the workers.

A worker exec'd from scratch spends most of its start importing torch (about 2 s of CPU). The
fork server (worker_script.py's `serve_forks`) pays that once; each worker is then forked from
it and isolates itself exactly as an exec'd one does (isolation.py), so `watch`, a bench with
several workers, and the test suite start each worker in a fraction of the time. The server
holds nothing of llmprep's (it is started with `python -I` from the worker script's path and
imports only torch), dies with llmprep (PR_SET_PDEATHSIG), and ends when llmprep closes the channel.
It also imports, before forking, the slow parts of torch that earlier workers reported importing
(worker_script.WARMABLE: a fixed list, so a worker can name nothing else).

`LLMPREP_WORKER_START=exec` starts every worker as its own `python -I` process instead.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

SERVER_START_LIMIT_S = 120.0


class ForkServer:
    """The llmprep side of the fork server's channel: ask for a worker, learn its pid and its end."""

    def __init__(self, script: Path):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_NUM_THREADS": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-u", str(script), "--fork-server", str(theirs.fileno()), str(os.getpid())],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(theirs.fileno(),), cwd="/", env=env, start_new_session=True)
        theirs.close()
        self._channel = ours
        self._lock = threading.Lock()
        self._tokens = itertools.count(1)
        self._forked: dict[int, int] = {}   # token -> pid
        self._exits: dict[int, int] = {}    # pid -> wait status
        self.warm: set[str] = set()         # worker_script.WARMABLE names a worker has imported

    def alive(self) -> bool:
        return self.process.poll() is None and self._channel.fileno() >= 0

    def request(self, document: dict, fds: list[int]) -> int:
        """Ask for a worker without waiting for it; returns the token that `pid` resolves."""
        token = next(self._tokens)
        message = json.dumps({**document, "token": token, "warm": sorted(self.warm)}).encode()
        socket.send_fds(self._channel, [message], fds)
        return token

    def learn_warm(self, names: object) -> None:
        """Remember the slow imports a worker reported (`done` frame), for the next requests."""
        from llmprep.execution.worker_script import WARMABLE

        if isinstance(names, list):
            self.warm.update(name for name in names if name in WARMABLE)

    def pid(self, token: int, timeout_s: float = SERVER_START_LIMIT_S) -> int | None:
        """The pid of the worker forked for `token`, or None if the server ended first."""
        deadline = time.monotonic() + timeout_s
        while token not in self._forked:
            if not self._read_one(deadline):
                return None
        return self._forked[token]

    def wait(self, pid: int, timeout_s: float) -> int | None:
        """The worker's wait status once the server has reaped it; None on timeout."""
        deadline = time.monotonic() + timeout_s
        while pid not in self._exits:
            if not self._read_one(deadline):
                return None
        return self._exits.pop(pid)

    def _read_one(self, deadline: float) -> bool:
        """Read one message from the server; False on timeout or a closed channel."""
        with self._lock:
            self._channel.settimeout(max(deadline - time.monotonic(), 0.0))
            try:
                message = self._channel.recv(1 << 16)
            except (TimeoutError, OSError):
                return False
        if not message:
            return False
        document = json.loads(message)
        if "forked" in document:
            self._forked[int(document["token"])] = int(document["forked"])
        elif "exited" in document:
            self._exits[int(document["exited"])] = int(document["status"])
        return True  # {"event": "ready"} needs nothing: requests queue in the channel until then

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._channel.close()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)


class ForkedWorker:
    """What WorkerProcess needs of a worker forked by the server: the Popen calls it makes."""

    def __init__(self, server: ForkServer, token: int):
        self._server = server
        self._token = token
        self.returncode: int | None = None

    @property
    def pid(self) -> int:
        pid = self._server.pid(self._token)
        return 0 if pid is None else pid

    def wait(self, timeout: float | None = None) -> int | None:
        if self.returncode is not None:  # as Popen.wait: the server reports an end once
            return self.returncode
        pid = self._server.pid(self._token, timeout or SERVER_START_LIMIT_S)
        if pid is None:
            self.returncode = -9
            return self.returncode
        status = self._server.wait(pid, timeout if timeout is not None else 1e9)
        if status is None:
            raise subprocess.TimeoutExpired("worker", timeout or 0)
        self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


_server: ForkServer | None = None
_server_lock = threading.Lock()


def fork_server(script: Path) -> ForkServer | None:
    """This process's fork server (started on first use, again if it died); None when workers are
    to be exec'd (LLMPREP_WORKER_START=exec, or no fork on this platform)."""
    global _server
    if os.environ.get("LLMPREP_WORKER_START", "fork").lower() == "exec" or not sys.platform.startswith("linux"):
        return None
    with _server_lock:
        if _server is not None and _server.alive():
            return _server
        if _server is not None:
            _server.close()
        try:
            _server = ForkServer(script)
        except OSError:
            _server = None
        return _server


@atexit.register
def _close_server() -> None:
    if _server is not None:
        _server.close()
