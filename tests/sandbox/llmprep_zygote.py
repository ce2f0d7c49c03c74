"""A test helper that forks each llmprep the attack tests run, from one process that has already
imported llmprep and torch: `python -m llmprep` would spend about 3 s of CPU on that import per test.

It is started and spoken to as llmprep's fork server is (`forkserver.ForkServer(this file)`: the
same arguments, channel and replies; the same serving loop, worker_script.fork_per_request). Each
llmprep forked here is a process of its own in a new session, with the test's arguments,
environment, working directory and pipes (a request's document {"argv", "env", "cwd"} and three
file descriptors: stdin, stdout, stderr). It reads one line from its stdin (the test writes it once
the submission, which may name llmprep's pid, is in place), then runs llmprep's command line and
ends as `python -m llmprep` ends: atexit handlers run, stdout and stderr are flushed, the exit code
is click's. Nothing of the zygote reaches it but the imported modules: the zygote holds no worker,
no fork server, no store and no signal handler of llmprep's.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # started with -I, as the fork server is

import torch  # noqa: E402, F401  -- the import each llmprep forked here does not repeat

import llmprep.cli  # noqa: E402
import llmprep.cli.check  # noqa: E402, F401  -- the command modules the attack tests run
import llmprep.grading.check  # noqa: E402, F401
from llmprep.execution import isolation, worker_script  # noqa: E402


def _run_llmprep(document: dict, fds: list[int]) -> None:
    """In the forked child (its own session already): become `python -m llmprep ARGV` started with
    these pipes, then exit."""
    code = 1
    try:
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


if __name__ == "__main__":  # ZYGOTE --fork-server CONTROL_FD PARENT_PID
    isolation.die_with_parent(int(sys.argv[3]))
    control = socket.socket(fileno=int(sys.argv[2]))
    try:
        worker_script.fork_per_request(control, lambda document: control.send(json.dumps(document).encode()),
                                       _run_llmprep, 3)
    except OSError:  # the test process closed the channel while a reply was under way
        pass
