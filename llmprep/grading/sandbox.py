"""Starting and policing the worker process that runs a submission.

Limits: wall time (counted from when the worker has imported torch, so the limit is the
submission's own time), address space, no stdin, no core dumps; a new session so that the
whole process group (anything the submission forks) is killed at the end. Results arrive on a
private pipe; stdout and stderr go to files that are shown to the user, trimmed.
"""

from __future__ import annotations

import os
import resource
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WORKER_SCRIPT = Path(__file__).with_name("worker.py")
# torch maps about 1-2 GB of address space on import; 8 GiB leaves room for real work and
# turns a 100 GB allocation into a MemoryError instead of the OOM killer.
DEFAULT_MEMORY_BYTES = 8 * 2**30
STARTUP_LIMIT_S = 120.0
MAX_FRAME_BYTES = 512 * 2**20
CAPTURE_LIMIT = 4000


@dataclass
class WorkerRun:
    """Everything the worker sent back, and how it ended."""

    cases: dict[int, dict] = field(default_factory=dict)
    import_error: dict | None = None
    missing_entry: list[str] | None = None
    ended: str = "done"  # done | timeout | exited | channel
    exit_status: str = ""
    stdout: str = ""
    stderr: str = ""
    timings: dict[str, float] = field(default_factory=dict)


def _limit_resources(memory_bytes: int | None) -> None:
    # Runs in the child between fork and exec.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


class WorkerProcess:
    """One worker for one check: start it early, send the request, collect the results."""

    def __init__(self, timeout_s: float, memory_bytes: int | None = DEFAULT_MEMORY_BYTES):
        self.timeout_s = timeout_s
        self.started = time.perf_counter()
        self.folder = Path(tempfile.mkdtemp(prefix="llmprep-check-"))
        self._stdout = open(self.folder / "stdout.txt", "w+b")  # noqa: SIM115 - closed in close()
        self._stderr = open(self.folder / "stderr.txt", "w+b")  # noqa: SIM115
        request_read, self._request_write = os.pipe()
        self._result_read, result_write = os.pipe()
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_NUM_THREADS": "1",
               "HOME": str(self.folder), "TMPDIR": str(self.folder)}
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(WORKER_SCRIPT), str(request_read), str(result_write)],
            stdin=subprocess.DEVNULL, stdout=self._stdout, stderr=self._stderr,
            pass_fds=(request_read, result_write), cwd=self.folder, env=env,
            start_new_session=True, preexec_fn=lambda: _limit_resources(memory_bytes),
        )
        os.close(request_read)
        os.close(result_write)
        self._buffer = b""
        self.run = WorkerRun()

    # -- reading frames with a deadline

    def _next_frame(self, deadline: float) -> dict | None:
        """The next frame, or None at EOF; raises TimeoutError past the deadline."""
        from llmprep.grading.worker import decode_payload

        header = struct.calcsize("<Q")
        while True:
            if len(self._buffer) >= header:
                (size,) = struct.unpack("<Q", self._buffer[:header])
                if size > MAX_FRAME_BYTES:
                    raise ValueError(f"a frame of {size} bytes")
                if len(self._buffer) >= header + size:
                    payload = self._buffer[header:header + size]
                    self._buffer = self._buffer[header + size:]
                    document = decode_payload(payload)
                    if not isinstance(document, dict):
                        raise ValueError("a frame that is not a dict")
                    return document
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self._result_read], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = os.read(self._result_read, 1 << 20)
            if not chunk:
                return None
            self._buffer += chunk

    def wait_ready(self) -> bool:
        """Wait until the worker has imported torch; False if it died or hung first."""
        try:
            frame = self._next_frame(time.perf_counter() + STARTUP_LIMIT_S)
        except Exception:  # a timeout, or a frame that is not one
            frame = None
        if frame is None or frame.get("event") != "ready":
            self.run.ended = "exited"
            return False
        self.run.timings["worker_import_torch_s"] = float(frame.get("import_s", 0.0))
        self.run.timings["worker_ready_s"] = time.perf_counter() - self.started
        return True

    def send(self, request: dict, case_requests: list[dict]) -> None:
        """Write the inputs file and the request; the worker then imports the submission."""
        import torch

        from llmprep.grading.worker import write_frame

        inputs = self.folder / "inputs.pt"
        torch.save(case_requests, inputs)
        write_frame(self._request_write, {**request, "inputs": str(inputs)})
        os.close(self._request_write)
        self._request_write = -1
        self._deadline = time.perf_counter() + self.timeout_s

    def collect(self, case_count: int, on_case: Any = None) -> WorkerRun:
        """Read results until `done`, EOF or the deadline, then end the process group.

        `on_case(frame)`, when given, is called as each case's frame arrives (a progress bar)."""
        run = self.run
        began = time.perf_counter()
        try:
            while True:
                frame = self._next_frame(self._deadline)
                if frame is None:
                    run.ended = "exited"
                    break
                event = frame.get("event")
                if event == "imported":
                    run.timings["submission_import_s"] = time.perf_counter() - began
                elif event == "import_error":
                    run.import_error = frame.get("error") or {}
                    break
                elif event == "no_entry":
                    run.missing_entry = [str(n) for n in frame.get("defined", [])]
                    break
                elif event == "case" and isinstance(frame.get("index"), int):
                    run.cases[frame["index"]] = frame
                    if on_case is not None:
                        on_case(frame)
                elif event == "done" and len(run.cases) >= case_count:
                    break
        except TimeoutError:
            run.ended = "timeout"
        except Exception:  # a corrupted channel: whatever the submission wrote there
            run.ended = "channel"
        run.timings["cases_s"] = time.perf_counter() - began
        self.close()
        return run

    def close(self) -> None:
        """Kill the worker's whole process group and read what it printed."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not ignorable
            pass
        code = self.process.returncode
        if code is not None and code < 0:
            try:
                self.run.exit_status = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                self.run.exit_status = f"killed by signal {-code}"
        elif code is not None:
            self.run.exit_status = f"exit code {code}"
        for fd in (self._result_read, self._request_write):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._result_read = self._request_write = -1
        self.run.stdout = _read_capture(self._stdout)
        self.run.stderr = _read_capture(self._stderr)
        self._stdout.close()
        self._stderr.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _read_capture(handle: Any) -> str:
    handle.flush()
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - CAPTURE_LIMIT))
    text = handle.read().decode("utf-8", errors="replace")
    return ("…" + text) if size > CAPTURE_LIMIT else text
