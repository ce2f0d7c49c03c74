"""The sandboxed worker: imports a submission and runs it on case inputs, never judging it.

Run by the parent as `python -I <this file> REQUEST_FD RESULT_FD`, with stdin from /dev/null
and stdout/stderr going to capture files. It reads one request (a small frame on REQUEST_FD
naming the submission, the entry, the banned built-ins and the inputs file), then writes one
frame per case on RESULT_FD: the raw output, gradients and the inputs as they were after
the call. The parent compares them with the reference; this process never sees reference
outputs and never decides pass or fail, so nothing the submission prints or patches can
change the verdict.

This file imports nothing from llmprep: the parent also imports it (as
`llmprep.grading.worker`) to run the trusted reference and mistakes through the very same
`run_case`, so the submission and the reference are called the same way.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.util
import io
import os
import struct
import sys
import time
import traceback
from typing import Any

_HEADER = struct.Struct("<Q")
# Modules a submission may not import: the grader, its references and mistakes.
_BLOCKED_PACKAGES = ("llmprep", "exercises")
_TRACEBACK_LIMIT = 4000


# ---------------------------------------------------------------- frames (shared with the parent)


def encode_frame(document: Any) -> bytes:
    """A length-prefixed torch.save of a document of tensors, numbers, strings, lists and dicts."""
    import torch

    buffer = io.BytesIO()
    torch.save(document, buffer)
    payload = buffer.getvalue()
    return _HEADER.pack(len(payload)) + payload


def decode_payload(payload: bytes) -> Any:
    """Load a frame's payload without executing code: weights_only refuses arbitrary pickles."""
    import torch

    return torch.load(io.BytesIO(payload), weights_only=True, map_location="cpu")


def write_frame(fd: int, document: Any) -> None:
    """Write one frame to a file descriptor (blocking until all of it is written)."""
    data = memoryview(encode_frame(document))
    while data:
        written = os.write(fd, data)
        data = data[written:]


def _read_exactly(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError("the request channel closed early")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> Any:
    """Read one frame written by `write_frame`."""
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size))
    return decode_payload(_read_exactly(fd, size))


# ---------------------------------------------------------------- encoding results


def encode_value(value: Any, depth: int = 0) -> dict:
    """Describe a returned value with safe types only (tensors go to the CPU, detached)."""
    import torch

    if isinstance(value, torch.Tensor):
        return {
            "kind": "tensor",
            "tensor": value.detach().to("cpu", copy=True),
            "device": value.device.type,
            "dtype": str(value.dtype).replace("torch.", ""),
        }
    if isinstance(value, bool):
        return {"kind": "bool", "value": value}
    if isinstance(value, (int, float)):
        return {"kind": type(value).__name__, "value": value}
    if value is None:
        return {"kind": "none"}
    if depth < 4 and isinstance(value, (list, tuple)):
        return {"kind": type(value).__name__, "items": [encode_value(item, depth + 1) for item in value]}
    if depth < 4 and isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"kind": "dict", "items": {key: encode_value(item, depth + 1) for key, item in value.items()}}
    kind = type(value)
    return {"kind": "unsupported", "type": f"{kind.__module__}.{kind.__qualname__}"}


# ---------------------------------------------------------------- running one case


def _move(value: Any, device: str) -> Any:
    import torch

    if isinstance(value, torch.Tensor):
        return value.to(device)
    if isinstance(value, list):
        return [_move(item, device) for item in value]
    if isinstance(value, tuple):
        return tuple(_move(item, device) for item in value)
    if isinstance(value, dict):
        return {key: _move(item, device) for key, item in value.items()}
    return value


def _tensor_slots(args: list, kwargs: dict) -> list[tuple[str, Any]]:
    """Every top-level tensor argument, named `0`, `1`, ... for positionals and by keyword."""
    import torch

    slots = [(str(i), a) for i, a in enumerate(args) if isinstance(a, torch.Tensor)]
    slots += [(k, a) for k, a in kwargs.items() if isinstance(a, torch.Tensor)]
    return slots


def run_case(entry: Any, kind: str, request: dict, device: str, harness: Any = None,
             watch: Any = contextlib.nullcontext) -> dict:
    """Call `entry` on one case and return raw results; the caller judges them.

    kind "function": entry(*args, **kwargs). kind "module": entry(**init), moved to the case's
    dtype and device, loaded with the case's state_dict, then called. A `harness` (a callable
    from the exercise's harness.py) replaces both: harness(entry, inputs) returns the outputs.
    With request["grad"], every floating tensor argument (and every parameter) gets a gradient
    from backward of a random cotangent drawn from request["cotangent_seed"].
    """
    import torch

    result: dict[str, Any] = {}
    torch.manual_seed(int(request.get("seed", 0)))
    args = list(_move(request.get("args", []), device))
    kwargs = dict(_move(request.get("kwargs", {}), device))
    if harness is not None:
        with watch():
            output = harness(entry, {"args": args, "kwargs": kwargs, "init": request.get("init", {}),
                                     "state_dict": request.get("state_dict"), "device": device,
                                     "dtype": request.get("dtype"), "seed": request.get("seed", 0)})
        result["output"] = encode_value(output)
        return result

    want_grad = bool(request.get("grad"))
    leaves: dict[str, torch.Tensor] = {}
    if want_grad:
        # The callee gets a non-leaf copy, so an in-place edit is allowed by autograd and
        # still shows up when the arguments are sent back.
        for i, value in enumerate(args):
            if isinstance(value, torch.Tensor) and value.is_floating_point():
                leaves[str(i)] = value.detach().clone().requires_grad_(True)
                args[i] = leaves[str(i)].clone()
        for key, value in kwargs.items():
            if isinstance(value, torch.Tensor) and value.is_floating_point():
                leaves[key] = value.detach().clone().requires_grad_(True)
                kwargs[key] = leaves[key].clone()

    module = None
    with watch():
        if kind == "module":
            module = entry(**request.get("init", {}))
            if request.get("dtype"):
                module.to(getattr(torch, request["dtype"]))
            module.to(device)
            state_dict = request.get("state_dict")
            if state_dict is not None:
                module.load_state_dict(_move(state_dict, device), strict=True)
            output = module(*args, **kwargs)
        else:
            output = entry(*args, **kwargs)

    result["output"] = encode_value(output)
    result["inputs_after"] = {name: value.detach().to("cpu", copy=True) for name, value in _tensor_slots(args, kwargs)}

    if want_grad:
        try:
            result["grads"] = _backward(output, request, leaves, module, device)
        except Exception as exc:  # the forward result still counts; the gradient check fails
            result["grads"] = {"error": f"backward failed: {type(exc).__name__}: {str(exc)[:300]}"}
    return result


def _backward(output: Any, request: dict, leaves: dict, module: Any, device: str) -> dict:
    import torch

    if not isinstance(output, torch.Tensor) or not output.is_floating_point():
        return {"error": "no floating-point tensor output to differentiate"}
    # The cotangent is drawn in float64 and rounded to the checked dtype, so the reference
    # (in float64) and the submission get the same values.
    generator = torch.Generator().manual_seed(int(request.get("cotangent_seed", 0)))
    cotangent = torch.randn(tuple(output.shape), generator=generator, dtype=torch.float64)
    cotangent = cotangent.to(getattr(torch, request.get("cotangent_dtype") or "float64")).to(output.dtype)
    if not output.requires_grad:
        return {"error": "the output is not connected to the inputs by autograd (detached, "
                         "computed outside torch, or under no_grad)"}
    # The same vector-Jacobian product as output.backward(cotangent), but a scalar backward
    # does not import sympy (torch checks an explicit gradient's shape symbolically: ~2 s).
    (output * cotangent.to(output.device)).sum().backward()
    grads = {"inputs": {}, "params": {}}
    for name, leaf in leaves.items():
        grads["inputs"][name] = None if leaf.grad is None else leaf.grad.detach().cpu()
    if module is not None:
        for name, parameter in module.named_parameters():
            grads["params"][name] = None if parameter.grad is None else parameter.grad.detach().cpu()
    return grads


# ---------------------------------------------------------------- banned built-ins


class BannedCallRecorder:
    """Records calls of banned built-ins, by name, while a case runs (the calls still run).

    Two layers: module attributes are replaced by recording wrappers (this catches
    `from torch.nn.functional import softmax` made after the ban), and a TorchFunctionMode
    matches every torch function call against the banned objects by identity, which also
    catches aliases such as torch._C._VariableFunctions.softmax or torch._C.TensorBase.softmax.
    Banned classes (e.g. nn.MultiheadAttention) are recorded when constructed.
    """

    def __init__(self) -> None:
        self.used: list[str] = []
        self._by_identity: dict[int, str] = {}
        self._objects: list[Any] = []  # keeps the banned objects alive, so their ids stay theirs

    def ban(self, dotted_names: list[str]) -> None:
        """Ban each `module.attr`, `Class.method` or class named."""
        for dotted in dotted_names:
            owner_path, _, attr = dotted.rpartition(".")
            owner = _resolve(owner_path)
            if owner is None or not hasattr(owner, attr):
                continue
            original = getattr(owner, attr)
            if isinstance(original, type):
                self._ban_class(original, dotted)
                continue
            self._by_identity[id(original)] = dotted
            self._objects.append(original)
            try:
                setattr(owner, attr, self._wrap(original, dotted))
            except (AttributeError, TypeError):
                pass

    def recording(self):
        """A context manager that watches torch function calls while a case runs."""
        if not self._by_identity:
            return contextlib.nullcontext()
        from torch.overrides import TorchFunctionMode

        by_identity, used = self._by_identity, self.used

        class _BannedCallMode(TorchFunctionMode):
            def __torch_function__(self, func, types, args=(), kwargs=None):
                name = by_identity.get(id(func))
                if name is not None:
                    used.append(name)
                return func(*args, **(kwargs or {}))

        return _BannedCallMode()

    def _wrap(self, original, dotted):
        used = self.used

        def banned_call(*args, **kwargs):
            used.append(dotted)
            return original(*args, **kwargs)

        banned_call.__name__ = getattr(original, "__name__", dotted)
        banned_call.__doc__ = getattr(original, "__doc__", None)
        return banned_call

    def _ban_class(self, cls, dotted):
        used = self.used
        original_init = cls.__init__

        def recording_init(obj, *args, **kwargs):
            used.append(dotted)
            original_init(obj, *args, **kwargs)

        cls.__init__ = recording_init


def _resolve(dotted: str) -> Any:
    parts = dotted.split(".")
    try:
        obj = importlib.import_module(parts[0])
    except ImportError:
        return None
    for part in parts[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


class _BlockGraderImports(importlib.abc.MetaPathFinder):
    """Refuse `import llmprep` and `import exercises` inside the worker."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in _BLOCKED_PACKAGES:
            raise ModuleNotFoundError(
                f"No module named {fullname!r} (the grader is not available to submissions)", name=fullname
            )
        return None


# ---------------------------------------------------------------- errors


def describe_exception(exc: BaseException, submission: str | None) -> dict:
    """Exception type, message and a traceback trimmed to the frames in the submission's file."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if submission and os.path.abspath(f.filename) == submission]
    lines = traceback.format_list(own) if own else []
    line = own[-1].lineno if own else None
    if isinstance(exc, SyntaxError) and exc.filename and submission and os.path.abspath(exc.filename) == submission:
        line = exc.lineno
        lines = traceback.format_exception_only(type(exc), exc)[:-1]
    text = "".join(lines) + "".join(traceback.format_exception_only(type(exc), exc))
    return {
        "type": type(exc).__name__,
        "message": str(exc)[:_TRACEBACK_LIMIT],
        "line": line,
        "traceback": text[-_TRACEBACK_LIMIT:],
    }


def load_submission(path: str, module_name: str = "submission") -> Any:
    """Import a Python file by path as a fresh module."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- the process


def main(argv: list[str]) -> int:
    """Worker entry point: request in, one frame per case out."""
    request_fd, result_fd = int(argv[1]), int(argv[2])
    # Nothing the submission starts may inherit the channels.
    os.set_inheritable(request_fd, False)
    os.set_inheritable(result_fd, False)
    started = time.perf_counter()
    import torch

    write_frame(result_fd, {"event": "ready", "import_s": time.perf_counter() - started})
    request = read_frame(request_fd)
    os.close(request_fd)
    torch.set_num_threads(int(request.get("threads", 1)))
    submission = os.path.abspath(request["submission"])

    harness = None
    if request.get("harness"):
        harness = load_submission(request["harness"], "llmprep_harness").run

    # `llmprep bench FILE`: a trusted runner (llmprep/bench/worker_side.py), loaded by path before the
    # submission, times the entry instead of running the cases once.
    bench_runner = None
    if request.get("bench"):
        bench_runner = load_submission(request["bench"]["runner"], "llmprep_bench_runner")

    recorder = BannedCallRecorder()
    recorder.ban(request.get("banned", []))

    for name in [m for m in sys.modules if m.split(".")[0] in _BLOCKED_PACKAGES]:
        del sys.modules[name]
    sys.meta_path.insert(0, _BlockGraderImports())
    sys.path.insert(0, os.path.dirname(submission))

    try:
        module = load_submission(submission)
    except BaseException as exc:  # SystemExit and KeyboardInterrupt at import are the submission's too
        write_frame(result_fd, {"event": "import_error", "error": describe_exception(exc, submission)})
        return 0
    entry = getattr(module, request["entry"], None)
    if entry is None:
        write_frame(result_fd, {"event": "no_entry", "defined": sorted(n for n in vars(module) if not n.startswith("_"))})
        return 0
    write_frame(result_fd, {"event": "imported"})

    cases = torch.load(request["inputs"], weights_only=True)
    if bench_runner is not None:
        bench_runner.run_in_worker(entry, request, cases, lambda frame: write_frame(result_fd, frame), harness)
        write_frame(result_fd, {"event": "done"})
        return 0
    for index, case in enumerate(cases):
        del recorder.used[:]
        began = time.perf_counter()
        try:
            result = run_case(entry, request["kind"], case, request["device"], harness, watch=recorder.recording)
        except BaseException as exc:
            result = {"error": describe_exception(exc, submission)}
        result["banned_used"] = sorted(set(recorder.used))
        result["seconds"] = time.perf_counter() - began
        result["event"] = "case"
        result["index"] = index
        try:
            write_frame(result_fd, result)
        except Exception as exc:  # an output torch.save cannot write: report that instead
            write_frame(result_fd, {"event": "case", "index": index, "banned_used": result["banned_used"],
                                    "error": {"type": type(exc).__name__, "line": None,
                                              "message": f"the result could not be sent: {exc}", "traceback": ""}})
    write_frame(result_fd, {"event": "done"})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
