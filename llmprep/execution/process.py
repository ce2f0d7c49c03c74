"""Starting and policing the worker process that runs a submission.

Limits: wall time (counted from when the worker is ready, so the limit is the submission's own
time), address space, CPU time, processes, file size, no stdin, no core dumps; the isolation
layers of isolation.py. Results arrive on a private pipe; stdout and stderr go to files in the
worker's private folder, shown to the user trimmed. When the worker ends, or llmprep is told to
stop (SIGTERM, SIGHUP, SIGINT), everything the worker started is killed and its folder removed.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmprep.execution.calling import CaseOutcome, CaseRequest
from llmprep.execution.forkserver import ForkedWorker, fork_server
from llmprep.execution.wire import FrameReader, write_frame

WORKER_SCRIPT = Path(__file__).with_name("worker_script.py")
# torch maps about 1-2 GB of address space on import; 8 GiB leaves room for real work and
# turns a 100 GB allocation into a MemoryError instead of the OOM killer.
DEFAULT_MEMORY_BYTES = 8 * 2**30
STARTUP_LIMIT_S = 120.0
CAPTURE_LIMIT = 4000
FOLDER_PREFIX = "llmprep-worker-"


@dataclass
class WorkerRequest:
    """What the worker runs: the submission's entry, how, where, and what it may not call."""

    submission: str
    entry: str
    kind: str
    device: str
    banned: list[str] = field(default_factory=list)
    harness: str | None = None
    threads: int = 1
    bench: dict | None = None


@dataclass
class WorkerRun:
    """Everything the worker sent back, and how it ended."""

    cases: dict[int, CaseOutcome] = field(default_factory=dict)
    import_error: dict | None = None
    missing_entry: list[str] | None = None
    ended: str = "done"  # done | timeout | exited | channel
    exit_status: str = ""
    stdout: str = ""
    stderr: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    sandbox: dict = field(default_factory=dict)   # what the worker enforced on itself
    arrivals: dict[int, float] = field(default_factory=dict)  # perf_counter when each case's frame came
    marks: list[tuple[str, float]] = field(default_factory=list)  # ("clock", time) frames, for the bench


_LIVE: weakref.WeakSet = weakref.WeakSet()
_PREVIOUS_HANDLERS: dict[int, Any] = {}


def _stop_workers(signum: int, frame: Any) -> None:
    for worker in list(_LIVE):
        worker.close()
    previous = _PREVIOUS_HANDLERS.get(signum)
    if callable(previous):
        previous(signum, frame)
    elif signum == signal.SIGINT and previous != signal.SIG_IGN:
        raise KeyboardInterrupt
    elif previous != signal.SIG_IGN:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def _install_signal_handlers() -> None:
    """SIGTERM, SIGHUP and SIGINT first end every live worker, then do what they did before."""
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        if signum in _PREVIOUS_HANDLERS:
            continue
        try:
            _PREVIOUS_HANDLERS[signum] = signal.signal(signum, _stop_workers)
        except ValueError:  # not the main thread: the caller handles its own signals
            return


def _remove_stale_folders() -> None:
    """Folders of workers whose llmprep was killed with SIGKILL (nothing could clean up then)."""
    for path in glob.glob(os.path.join(tempfile.gettempdir(), FOLDER_PREFIX + "*")):
        match = re.match(re.escape(FOLDER_PREFIX) + r"(\d+)-", os.path.basename(path))
        if match and not os.path.exists(f"/proc/{match.group(1)}"):
            shutil.rmtree(path, ignore_errors=True)


def _limit_resources(memory_bytes: int | None) -> None:
    # Runs in the child between fork and exec.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def may_use_cuda(device: str) -> bool:
    """False when the run is surely on the CPU (no address-space limit is safe with CUDA)."""
    return device != "cpu" and os.path.exists("/dev/nvidiactl")


class WorkerProcess:
    """One worker for one run: start it early, send the request, collect the results."""

    def __init__(self, timeout_s: float, *, device: str = "auto", readable: list[str] = (),
                 preload: list[tuple[str, str]] = ()):
        from llmprep.execution.policy import worker_policy

        self.timeout_s = timeout_s
        self.started = time.perf_counter()
        _remove_stale_folders()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        self._closed = False
        cuda = may_use_cuda(device)
        policy = worker_policy(self.folder, list(readable), cuda=cuda, cpu_s=int(timeout_s + STARTUP_LIMIT_S + 60),
                               preload=list(preload))
        # A worker that may use CUDA is exec'd: that is the start that was seen to run CUDA on an H200
        # under the sandbox; a CUDA worker forked from the server has not been run on a GPU yet.
        server = None if cuda else fork_server(WORKER_SCRIPT)
        if server is not None:
            policy["parent"] = server.process.pid  # the worker's parent; the server dies with llmprep
        (self.folder / "policy.json").write_text(json.dumps(policy), encoding="utf-8")
        self._stdout = open(self.folder / "stdout.txt", "w+b")  # noqa: SIM115 - closed in close()
        self._stderr = open(self.folder / "stderr.txt", "w+b")  # noqa: SIM115
        request_read, self._request_write = os.pipe()
        self._result_read, result_write = os.pipe()
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_NUM_THREADS": "1",
               "HOME": str(self.folder), "TMPDIR": str(self.folder)}
        _install_signal_handlers()
        memory = None if cuda else DEFAULT_MEMORY_BYTES
        if server is not None:
            token = server.request({"cwd": str(self.folder), "env": env, "memory": memory,
                                    "policy": str(self.folder / "policy.json")},
                                   [request_read, result_write, self._stdout.fileno(), self._stderr.fileno()])
            self.process = ForkedWorker(server, token)
        else:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-u", str(WORKER_SCRIPT), str(request_read), str(result_write),
                 str(self.folder / "policy.json")],
                stdin=subprocess.DEVNULL, stdout=self._stdout, stderr=self._stderr,
                pass_fds=(request_read, result_write), cwd=self.folder, env=env,
                start_new_session=True, preexec_fn=lambda: _limit_resources(memory),
            )
        self._server = server
        _LIVE.add(self)
        os.close(request_read)
        os.close(result_write)
        self._reader = FrameReader(self._result_read)
        self._deadline = 0.0
        self.run = WorkerRun()

    def wait_ready(self) -> bool:
        """Wait until the worker has isolated itself and imported torch; False if it died or hung first."""
        try:
            frame = self._reader.next(time.perf_counter() + STARTUP_LIMIT_S)
        except Exception:  # a timeout, or a frame that is not one
            frame = None
        if frame is None or frame.get("event") != "ready":
            self.run.ended = "exited"
            return False
        self.run.timings["worker_import_torch_s"] = float(frame.get("import_s", 0.0))
        self.run.timings["worker_ready_s"] = time.perf_counter() - self.started
        self.run.sandbox = frame.get("sandbox") if isinstance(frame.get("sandbox"), dict) else {}
        if isinstance(self.run.sandbox.get("seconds"), float):
            self.run.timings["worker_isolation_s"] = self.run.sandbox["seconds"]
        return True

    def wait_ready_or_fail(self, command: str) -> None:
        """`wait_ready`, or close and raise the UserError that says the worker could not start."""
        from llmprep.errors import UserError

        if not self.wait_ready():
            self.close()
            raise UserError(f"the {command} worker could not start (python or torch failed to import)",
                            where=self.run.stderr[-500:] or None, fix="run `llmprep doctor`")

    def send(self, request: WorkerRequest, cases: list[CaseRequest]) -> None:
        """Write the inputs file and the request; the worker then imports the submission."""
        import torch

        inputs = self.folder / "inputs.pt"
        torch.save([case.to_wire() for case in cases], inputs)
        write_frame(self._request_write, {**request.__dict__, "inputs": str(inputs)})
        os.close(self._request_write)
        self._request_write = -1
        self._deadline = time.perf_counter() + self.timeout_s

    def collect(self, case_count: int, on_case: Any = None) -> WorkerRun:
        """Read results until `done`, EOF or the deadline, then end the worker.

        `on_case(outcome)`, when given, is called as each case's frame arrives (a progress bar)."""
        run = self.run
        began = time.perf_counter()
        try:
            while True:
                frame = self._reader.next(self._deadline)
                if frame is None:
                    run.ended = "exited"
                    break
                event = frame.get("event")
                if event == "imported":
                    run.timings["submission_import_s"] = time.perf_counter() - began
                elif event == "import_error":
                    run.import_error = frame.get("error") if isinstance(frame.get("error"), dict) else {}
                    break
                elif event == "no_entry":
                    run.missing_entry = [str(n) for n in frame.get("defined", [])]
                    break
                elif event == "clock":
                    run.marks.append((str(frame.get("what")), time.perf_counter()))
                elif event == "case" and isinstance(frame.get("index"), int):
                    run.cases[frame["index"]] = CaseOutcome.from_wire(frame)
                    run.arrivals[frame["index"]] = time.perf_counter()
                    if on_case is not None:
                        on_case(run.cases[frame["index"]])
                elif event == "done" and len(run.cases) >= case_count:
                    if self._server is not None:
                        self._server.learn_warm(frame.get("warm"))
                    break
        except TimeoutError:
            run.ended = "timeout"
        except Exception:  # a corrupted channel: whatever the submission wrote there
            run.ended = "channel"
        run.timings["cases_s"] = time.perf_counter() - began
        self.close()
        return run

    def close(self) -> None:
        """Kill the worker and everything it started, read what it printed, remove its folder."""
        if self._closed:
            return
        self._closed = True
        _LIVE.discard(self)
        pid = self.process.pid
        if pid > 1:  # a fork server that ended before forking leaves no pid
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        _wait_for_worker_end(self.folder)
        self.run.exit_status = _exit_status(self.process.returncode)
        for fd in (self._result_read, self._request_write):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._result_read = self._request_write = -1
        self.run.stdout = _read_capture(self._stdout)
        self.run.stderr = _read_capture(self._stderr)
        self._stdout.close()
        self._stderr.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        # Once in many runs on a loaded machine the folder outlived a SIGHUP's close: something still
        # dying wrote into it while it was removed. Try again for a moment rather than leave it.
        deadline = time.perf_counter() + 2.0
        while self.folder.exists() and time.perf_counter() < deadline:
            time.sleep(0.05)
            shutil.rmtree(self.folder, ignore_errors=True)


def _wait_for_worker_end(folder: Path, limit_s: float = 5.0) -> None:
    """Wait until the worker is gone. It is pid 1 of its pid namespace and dies of PR_SET_PDEATHSIG
    when its supervisor is killed; the kernel kills and reaps the whole namespace before it ends."""
    try:
        pid = int((folder / "worker.pid").read_text(encoding="ascii"))
    except (OSError, ValueError):
        return  # no pid namespace: killing the process group was all there was to do
    deadline = time.perf_counter() + limit_s
    while time.perf_counter() < deadline:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return
        except OSError:
            return
        time.sleep(0.005)


def _exit_status(code: int | None) -> str:
    if code is None:
        return ""
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _read_capture(handle: Any) -> str:
    handle.flush()
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - CAPTURE_LIMIT))
    text = handle.read().decode("utf-8", errors="replace")
    return ("…" + text) if size > CAPTURE_LIMIT else text

