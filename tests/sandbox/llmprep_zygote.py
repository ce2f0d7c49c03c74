"""A test helper that forks each llmprep the attack tests run, from one process that has already
imported llmprep and torch: `python -m llmprep` would spend about 3 s of CPU on that import per test.

Each llmprep forked here is a process of its own in a new session, with the test's arguments,
environment, working directory and pipes. It reads one line from its stdin (the test writes it once
the submission, which may name llmprep's pid, is in place), then runs llmprep's command line and
ends as `python -m llmprep` ends: atexit handlers run, stdout and stderr are flushed, the exit code
is click's. Nothing of the zygote reaches it but the imported modules: the zygote holds no worker,
no fork server, no store and no signal handler of llmprep's.

Usage: llmprep_zygote.py CONTROL_FD. A request is a JSON document ({"argv", "env", "cwd"}) with three
file descriptors (stdin, stdout, stderr); the replies are {"forked": pid} and, when that llmprep
ends, {"exited": pid, "status": wait status}. The zygote ends when its channel closes.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import socket
import sys
import traceback

import torch  # noqa: F401  -- the import each llmprep forked here does not repeat

import llmprep.cli
import llmprep.cli.check  # noqa: F401  -- the command modules the attack tests run
import llmprep.grading.check  # noqa: F401


def _run_llmprep(document: dict, fds: list[int]) -> None:
    """In the forked child: become `python -m llmprep ARGV` started with these pipes, then exit."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for name in os.listdir("/proc/self/fd"):  # the channel, the wake-up pipe, the passed copies
            if int(name) > 2:
                try:
                    os.close(int(name))
                except OSError:
                    pass
        os.chdir(document["cwd"])
        os.environ.clear()
        os.environ.update(document["env"])
        os.read(0, 3)  # "go\n": the test has written the submission
        sys.argv = ["llmprep", *document["argv"]]
        llmprep.cli.main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


def serve(control: socket.socket) -> None:
    wake_read, wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    while True:
        ready = select.select([control, wake_read], [], [])[0]
        if wake_read in ready:
            while True:
                try:
                    if not os.read(wake_read, 512):
                        break
                except BlockingIOError:
                    break
        if control in ready:
            message, fds, _, _ = socket.recv_fds(control, 1 << 16, 3)
            if not message:
                return
            pid = os.fork()
            if pid == 0:
                _run_llmprep(json.loads(message), fds)
            for fd in fds:
                os.close(fd)
            control.send(json.dumps({"forked": pid}).encode())
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            control.send(json.dumps({"exited": pid, "status": status}).encode())


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))
