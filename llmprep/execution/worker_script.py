"""The sandboxed worker: imports a submission and runs it on case inputs, never judging it.

Run by llmprep as `python -I <this file> REQUEST_FD RESULT_FD POLICY_FILE`, with stdin from
/dev/null and stdout/stderr going to capture files in its private folder. It isolates itself
(see isolation.py) while it still has one thread, imports torch, says `ready`, reads one request
(the submission, the entry, the banned built-ins, the inputs file), then writes one frame per
case on RESULT_FD: the raw output, gradients and the inputs as they were after the call. llmprep
compares them with the reference; this process never sees reference outputs and never decides
pass or fail.

This file imports nothing from llmprep (it runs under `-I` from a file path, and the submission
must not reach llmprep): its siblings are loaded by path before the file system closes.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import json
import os
import sys
import time

_HERE = os.path.dirname(os.path.abspath(__file__))
# Modules a submission may not import: the grader, its references and mistakes.
_BLOCKED_PACKAGES = ("llmprep", "exercises")
# Parts of torch imported on first use that take seconds: torch._dynamo, the first time any
# optimizer is built. A worker says which it imported in its `done` frame; llmprep passes the names
# on with the next fork request, and the fork server imports them (these names only) before forking,
# so that `watch` and later checks of a training exercise do not pay for them again.
WARMABLE = ("torch._dynamo",)


def load_file(path: str, module_name: str):
    """Import a Python file by path as a fresh module named `module_name`."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _sibling(name: str):
    return load_file(os.path.join(_HERE, f"{name}.py"), f"llmprep_engine_{name}")


class _BlockGraderImports(importlib.abc.MetaPathFinder):
    """Refuse `import llmprep` and `import exercises` inside the worker (where the file system
    is not closed, this is the only guard; where it is, the files are unreadable anyway)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in _BLOCKED_PACKAGES:
            raise ModuleNotFoundError(
                f"No module named {fullname!r} (the grader is not available to submissions)", name=fullname)
        return None


def isolate(isolation, policy: dict) -> dict:
    """Apply every layer the policy asks for; returns what is enforced."""
    enforced: dict = {"namespaces": [], "landlock": {"abi": 0}, "limits": []}
    if policy.get("namespaces"):
        enforced["namespaces"] = isolation.enter_namespaces(pid=not policy.get("cuda"))
        if "pid" in enforced["namespaces"]:
            child = os.fork()
            if child:
                isolation.supervise(child, os.path.join(policy["write"][0], "worker.pid"))  # never returns
            isolation.die_with_parent(0)   # in a pid namespace the parent outside reads as 0
        if "net" in enforced["namespaces"] and isolation.loopback_up():
            enforced["namespaces"].append("loopback")
    enforced["limits"] = ["pdeathsig", *isolation.limit_processes(policy["nproc"], policy["cpu_s"], policy["fsize"])]
    if policy.get("landlock"):
        # This process's own /proc entry (torch reads it), resolved here: llmprep cannot know the pid.
        own = os.path.realpath("/proc/self")
        # The bench resets its peak-memory mark; CUDA did not start on an H200 without writes to
        # this process's own /proc entries.
        writable = [*policy["write"], own if policy.get("cuda") else own + "/clear_refs"]
        enforced["landlock"] = isolation.apply_landlock([*policy["read"], own], writable,
                                                        tcp="net" not in enforced["namespaces"])
    return enforced


def _isolated_start(argv: list[str]):
    request_fd, result_fd = int(argv[1]), int(argv[2])
    # Nothing the submission starts may inherit the channels.
    os.set_inheritable(request_fd, False)
    os.set_inheritable(result_fd, False)
    with open(argv[3], encoding="utf-8") as policy_file:
        policy = json.load(policy_file)
    isolation = _sibling("isolation")
    isolation.die_with_parent(int(policy["parent"]))
    modules = {name: _sibling(name) for name in ("wire", "calling", "banned")}
    for path, name in policy.get("preload", []):  # trusted code (the bench runner) loaded before the doors close
        modules[name] = load_file(path, name)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
    began = time.perf_counter()
    enforced = isolate(isolation, policy)
    enforced["seconds"] = time.perf_counter() - began
    return request_fd, result_fd, modules, enforced


def main(argv: list[str]) -> int:
    """Worker entry point: request in, one frame per case out."""
    request_fd, result_fd, modules, enforced = _isolated_start(argv)
    wire, calling, banned = modules["wire"], modules["calling"], modules["banned"]
    started = time.perf_counter()
    import torch

    banned.warm_up()
    wire.write_frame(result_fd, {"event": "ready", "import_s": time.perf_counter() - started, "sandbox": enforced})
    request = wire.read_frame(request_fd)
    os.close(request_fd)
    torch.set_num_threads(int(request.get("threads", 1)))
    submission = os.path.abspath(request["submission"])
    harness = load_file(request["harness"], "llmprep_harness").run if request.get("harness") else None
    bench_runner = modules.get("llmprep_bench_runner") if request.get("bench") else None
    if bench_runner is not None:
        bench_runner.bind_clocks()  # before the submission can patch `time`

    recorder = banned.BannedCallRecorder()
    recorder.ban(request.get("banned", []))
    for name in [m for m in sys.modules if m.split(".")[0] in _BLOCKED_PACKAGES]:
        del sys.modules[name]
    sys.meta_path.insert(0, _BlockGraderImports())
    sys.path.insert(0, os.path.dirname(submission))

    def send(document: dict) -> None:
        wire.write_frame(result_fd, document)

    try:
        module = load_file(submission, "submission")
    except BaseException as exc:  # SystemExit and KeyboardInterrupt at import are the submission's too
        send({"event": "import_error", "error": calling.describe_exception(exc, submission).__dict__})
        return 0
    entry = getattr(module, request["entry"], None)
    if entry is None:
        send({"event": "no_entry", "defined": sorted(n for n in vars(module) if not n.startswith("_"))})
        return 0
    send({"event": "imported"})

    cases = [calling.CaseRequest.from_wire(case) for case in torch.load(request["inputs"], weights_only=True)]
    if bench_runner is not None:
        bench_runner.run_in_worker(entry, request, cases, send, harness, calling)
        send({"event": "done", "warm": [name for name in WARMABLE if name in sys.modules]})
        return 0
    for index, case in enumerate(cases):
        del recorder.used[:]
        began = time.perf_counter()
        try:
            outcome = calling.run_case(entry, request["kind"], case, request["device"], harness,
                                       watch=recorder.recording)
        except BaseException as exc:
            outcome = calling.CaseOutcome(error=calling.describe_exception(exc, submission))
        outcome.banned_used = sorted(set(recorder.used))
        outcome.seconds = time.perf_counter() - began
        try:
            send({"event": "case", "index": index, **outcome.to_wire()})
        except Exception as exc:  # an output torch.save cannot write: report that instead
            failed = calling.CaseOutcome(banned_used=outcome.banned_used, error=calling.ErrorInfo(
                type(exc).__name__, f"the result could not be sent: {exc}"))
            send({"event": "case", "index": index, **failed.to_wire()})
    send({"event": "done", "warm": [name for name in WARMABLE if name in sys.modules]})
    return 0


def serve_forks(control_fd: int, parent: int) -> int:
    """The fork server: import torch once, then fork one worker per request on CONTROL_FD.

    Each request is one message: a JSON document (cwd, env, memory limit, policy file) and four
    file descriptors (request, result, stdout, stderr). The reply is {"forked": pid}; when a
    worker ends, {"exited": pid, "status": wait status} follows. The server runs no torch operation
    (no thread pool, no autograd engine, no CUDA: a forked worker starts as clean as an exec'd
    one) and holds nothing of llmprep's: only torch and this file's siblings are in its memory."""
    import socket

    _sibling("isolation").die_with_parent(parent)
    import torch  # noqa: F401  -- what every worker would otherwise import for itself

    control = socket.socket(fileno=control_fd)

    def reply(document: dict) -> None:
        control.send(json.dumps(document).encode())

    try:
        reply({"event": "ready"})
        fork_per_request(control, reply, lambda document, fds: _become_worker(control, document, fds), 4)
    except OSError:  # llmprep closed the channel while a reply was under way
        pass
    return 0


def fork_per_request(control, reply, become, fd_count: int) -> None:
    """Serve CONTROL until it closes: per request (a JSON document and `fd_count` file descriptors),
    import the WARMABLE modules it names, fork a child that leads its own session and runs
    `become(document, fds)` (which must not return), and reply {"forked": pid, "token": ...};
    reply {"exited": pid, "status": wait status} when a child ends. The tests' llmprep zygote
    serves its requests with this loop too."""
    import select
    import signal
    import socket

    # A SIGCHLD wakes the select below through this pipe: no polling while the server waits.
    wake_read, wake_write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    children: set[int] = set()
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
            try:
                message, fds, _, _ = socket.recv_fds(control, 1 << 16, fd_count)
            except OSError:
                return
            if not message:  # llmprep closed the channel
                return
            document = json.loads(message)
            _import_warm(document.get("warm"))
            session_read, session_write = os.pipe()
            pid = os.fork()
            if pid == 0:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.close(session_read)
                os.setsid()  # before the reply: llmprep kills the worker by its process group
                os.close(session_write)
                become(document, fds)
            os.close(session_write)
            os.read(session_read, 1)  # returns at EOF: the child leads its own session now
            os.close(session_read)
            for fd in fds:
                os.close(fd)
            children.add(pid)
            reply({"forked": pid, "token": document.get("token")})
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            children.discard(pid)
            reply({"exited": pid, "status": status})


def _import_warm(names) -> None:
    """Import the WARMABLE modules among `names` into the server, before it forks."""
    import importlib

    for name in names if isinstance(names, list) else []:
        if name in WARMABLE and name not in sys.modules:
            try:
                importlib.import_module(name)
            except Exception:  # the worker imports it for itself then, as before
                pass


def _become_worker(control, document: dict, fds: list[int]) -> None:
    """In the forked child: take the state a fresh `python -I` worker would have, then run main()."""
    import resource
    import tempfile

    code = 1
    try:
        request_fd, result_fd, stdout_fd, stderr_fd = fds
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(stdout_fd, 1)
        os.dup2(stderr_fd, 2)
        control.close()
        keep = {0, 1, 2, request_fd, result_fd}
        for name in os.listdir("/proc/self/fd"):  # nothing of the server's may stay open
            if int(name) not in keep:
                try:
                    os.close(int(name))
                except OSError:
                    pass
        os.chdir(document["cwd"])
        os.environ.clear()
        os.environ.update(document["env"])
        tempfile.tempdir = None
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if document.get("memory"):
            resource.setrlimit(resource.RLIMIT_AS, (document["memory"], document["memory"]))
        code = main([__file__, str(request_fd), str(result_fd), document["policy"]])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--fork-server"]:
        sys.exit(serve_forks(int(sys.argv[2]), int(sys.argv[3])))
    sys.exit(main(sys.argv))
