"""The calling convention: how an entry (function, module or harness) is called on one case.

The worker runs the submission through `run_case`, llmprep runs the reference and the mistakes
through the very same function, and the bench prepares its timed calls with `prepare_call`: so
all of them are called the same way. Requests and outcomes are dataclasses here, and plain dicts
(`to_wire`/`from_wire`) only on the wire. This file imports nothing from llmprep (the worker
loads it by path) and torch only inside functions.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

TRACEBACK_LIMIT = 4000


def _wire(obj: Any) -> dict:
    # Not dataclasses.asdict: it deep-copies every tensor.
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


@dataclass
class CaseRequest:
    """The inputs of one case and how to call the entry on them."""

    args: list = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)
    init: dict = field(default_factory=dict)      # constructor arguments of a module entry
    state_dict: dict | None = None               # the weights a module entry is loaded with
    dtype: str | None = None                     # a module entry is moved to it
    seed: int = 0                                # seed_torch before the call
    grad: bool = False                           # backward of a random cotangent after the call
    cotangent_seed: int = 0
    cotangent_dtype: str | None = None

    def to_wire(self) -> dict:
        """The request as a document."""
        return _wire(self)

    @classmethod
    def from_wire(cls, document: dict) -> CaseRequest:
        """The request from a document (unknown keys are ignored)."""
        return cls(**{f.name: document[f.name] for f in fields(cls) if f.name in document})


@dataclass
class ErrorInfo:
    """An exception raised by the code under test: type, message, the line in its file, traceback."""

    type: str
    message: str
    line: int | None = None
    traceback: str = ""

    def text(self) -> str:
        """'TypeError: ... (line 4)'."""
        return f"{self.type}: {self.message}" + (f" (line {self.line})" if self.line else "")


@dataclass
class Gradients:
    """Gradients of the inputs (by slot: `0`, `1`, ... or keyword) and of a module's parameters."""

    inputs: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    error: str | None = None


@dataclass
class CaseOutcome:
    """What one call produced, unjudged: the encoded output, the inputs after the call, gradients."""

    output: dict | None = None
    inputs_after: dict | None = None
    grads: Gradients | None = None
    error: ErrorInfo | None = None
    banned_used: list[str] = field(default_factory=list)
    seconds: float | None = None
    bench: dict | None = None                    # one bench row measured in the worker

    def to_wire(self) -> dict:
        """The outcome as a document."""
        document = _wire(self)
        document["grads"] = None if self.grads is None else _wire(self.grads)
        document["error"] = None if self.error is None else _wire(self.error)
        return document

    @classmethod
    def from_wire(cls, document: dict) -> CaseOutcome:
        """Rebuild an outcome from a worker's frame, keeping only fields of the right type."""
        def typed(key: str, kind: type | tuple) -> Any:
            value = document.get(key)
            return value if isinstance(value, kind) else None

        error, grads = typed("error", dict), typed("grads", dict)
        return cls(
            output=typed("output", dict), inputs_after=typed("inputs_after", dict),
            grads=None if grads is None else Gradients(
                grads.get("inputs") if isinstance(grads.get("inputs"), dict) else {},
                grads.get("params") if isinstance(grads.get("params"), dict) else {},
                None if grads.get("error") is None else str(grads["error"])),
            error=None if error is None else ErrorInfo(
                str(error.get("type")), str(error.get("message")),
                error["line"] if isinstance(error.get("line"), int) else None, str(error.get("traceback") or "")),
            banned_used=[str(name) for name in typed("banned_used", list) or []],
            seconds=typed("seconds", (int, float)), bench=typed("bench", dict))


def describe_exception(exc: BaseException, file: str | None) -> ErrorInfo:
    """Exception type, message and a traceback trimmed to the frames in `file` (the submission)."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if file and os.path.abspath(f.filename) == file]
    lines = traceback.format_list(own) if own else []
    line = own[-1].lineno if own else None
    if isinstance(exc, SyntaxError) and exc.filename and file and os.path.abspath(exc.filename) == file:
        line = exc.lineno
        lines = traceback.format_exception_only(type(exc), exc)[:-1]
    text = "".join(lines) + "".join(traceback.format_exception_only(type(exc), exc))
    return ErrorInfo(type(exc).__name__, str(exc)[:TRACEBACK_LIMIT], line, text[-TRACEBACK_LIMIT:])


# ---------------------------------------------------------------- values


def _map_tensors(value: Any, convert: Callable[[Any], Any]) -> Any:
    import torch

    if isinstance(value, torch.Tensor):
        return convert(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_map_tensors(item, convert) for item in value)
    if isinstance(value, dict):
        return {key: _map_tensors(item, convert) for key, item in value.items()}
    return value


def move(value: Any, device: str) -> Any:
    """Every tensor inside `value` (lists, tuples, dicts) on `device`."""
    return _map_tensors(value, lambda tensor: tensor.to(device))


def clone_values(value: Any) -> Any:
    """A copy of `value` with every tensor cloned."""
    return _map_tensors(value, lambda tensor: tensor.clone())


def cast_floats(value: Any, dtype: Any) -> Any:
    """A copy of `value` with floating tensors in `dtype` (a torch dtype or its name), others cloned."""
    import torch

    torch_dtype = getattr(torch, dtype) if isinstance(dtype, str) else dtype
    return _map_tensors(value, lambda tensor: tensor.detach().to(torch_dtype, copy=True)
                        if tensor.is_floating_point() else tensor.detach().clone())


def encode_value(value: Any, depth: int = 0) -> dict:
    """Describe a returned value with safe types only (tensors go to the CPU, detached)."""
    import torch

    if isinstance(value, torch.Tensor):
        return {"kind": "tensor", "tensor": value.detach().to("cpu", copy=True), "device": value.device.type,
                "dtype": str(value.dtype).replace("torch.", "")}
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


# ---------------------------------------------------------------- calling


@dataclass
class PreparedCall:
    """One case, ready to call (again and again): the inputs live on the device already."""

    fn: Callable[[], Any]
    target: Any                       # the entry, or the module built from it
    args: list = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)
    harness: bool = False
    leaves: dict = field(default_factory=dict)  # slot -> the leaf tensor whose .grad is wanted


def tensor_slots(args: list, kwargs: dict) -> list[tuple[str, Any]]:
    """Every top-level tensor argument, named `0`, `1`, ... for positionals and by keyword."""
    import torch

    slots = [(str(i), a) for i, a in enumerate(args) if isinstance(a, torch.Tensor)]
    return slots + [(k, a) for k, a in kwargs.items() if isinstance(a, torch.Tensor)]


def seed_torch(seed: int) -> None:
    """torch.manual_seed for the devices llmprep runs on: the CPU and, in a CUDA build of torch,
    CUDA (queued until CUDA starts, as torch does). torch.manual_seed also seeds MPS, XPU and MTIA,
    queuing each call for a device not started with a formatted stack trace: about a millisecond a
    call on a CPU build, and checking a file makes hundreds of calls."""
    import torch

    torch.default_generator.manual_seed(seed)
    if torch.backends.cuda.is_built() and not torch.cuda._is_in_bad_fork():
        torch.cuda.manual_seed_all(seed)


def prepare_call(entry: Any, kind: str, request: CaseRequest, device: str, harness: Any = None,
                 *, evaluate: bool = False) -> PreparedCall:
    """Move the inputs to `device`, build the module (kind "module") and return the call.

    kind "function": entry(*args, **kwargs). kind "module": entry(**init), moved to the case's
    dtype and device, loaded with the case's state_dict, then called (in eval mode with
    `evaluate`, for timing). A `harness` (from the exercise's harness.py) replaces both:
    harness(entry, inputs) returns the outputs. With request.grad, every floating tensor argument
    is a leaf whose gradient is wanted; the callee gets a non-leaf copy, so an in-place edit is
    allowed by autograd and still shows up in the arguments afterwards.
    """
    import torch

    seed_torch(int(request.seed))
    args, kwargs = list(move(request.args, device)), dict(move(request.kwargs, device))
    if harness is not None:
        inputs = {"args": args, "kwargs": kwargs, "init": request.init, "state_dict": request.state_dict,
                  "device": device, "dtype": request.dtype, "seed": request.seed}
        return PreparedCall(lambda: harness(entry, inputs), entry, args, kwargs, harness=True)
    leaves: dict[str, Any] = {}
    if request.grad:
        for slot, value in tensor_slots(args, kwargs):
            if value.is_floating_point():
                leaves[slot] = value.detach().clone().requires_grad_(True)
                if slot.isdigit():
                    args[int(slot)] = leaves[slot].clone()
                else:
                    kwargs[slot] = leaves[slot].clone()
    target = entry
    if kind == "module":
        target = entry(**request.init)
        if request.dtype:
            target.to(getattr(torch, request.dtype))
        target.to(device)
        if request.state_dict is not None:
            target.load_state_dict(move(request.state_dict, device), strict=True)
        if evaluate:
            target.eval()
    return PreparedCall(lambda: target(*args, **kwargs), target, args, kwargs, leaves=leaves)


def run_case(entry: Any, kind: str, request: CaseRequest, device: str, harness: Any = None,
             watch: Callable[[], Any] = contextlib.nullcontext) -> CaseOutcome:
    """Call `entry` on one case (see `prepare_call`) and return raw results; the caller judges them.

    `watch()` is entered around building and calling (the banned-call recorder in the worker)."""
    with watch():
        call = prepare_call(entry, kind, request, device, harness)
        output = call.fn()
    outcome = CaseOutcome(output=encode_value(output))
    if call.harness:
        return outcome
    outcome.inputs_after = {slot: value.detach().to("cpu", copy=True)
                            for slot, value in tensor_slots(call.args, call.kwargs)}
    if request.grad:
        try:
            outcome.grads = _backward(output, request, call)
        except Exception as exc:  # the forward result still counts; the gradient check fails
            outcome.grads = Gradients(error=f"backward failed: {type(exc).__name__}: {str(exc)[:300]}")
    return outcome


def _backward(output: Any, request: CaseRequest, call: PreparedCall) -> Gradients:
    import torch

    if not isinstance(output, torch.Tensor) or not output.is_floating_point():
        return Gradients(error="no floating-point tensor output to differentiate")
    # The cotangent is drawn in float64 and rounded to the checked dtype, so the reference
    # (in float64) and the submission get the same values.
    generator = torch.Generator().manual_seed(int(request.cotangent_seed))
    cotangent = torch.randn(tuple(output.shape), generator=generator, dtype=torch.float64)
    cotangent = cotangent.to(getattr(torch, request.cotangent_dtype or "float64")).to(output.dtype)
    if not output.requires_grad:
        return Gradients(error="the output is not connected to the inputs by autograd (detached, "
                               "computed outside torch, or under no_grad)")
    # The same vector-Jacobian product as output.backward(cotangent), but a scalar backward
    # does not import sympy (torch checks an explicit gradient's shape symbolically: ~2 s).
    (output * cotangent.to(output.device)).sum().backward()
    grads = Gradients()
    for slot, leaf in call.leaves.items():
        grads.inputs[slot] = None if leaf.grad is None else leaf.grad.detach().cpu()
    if isinstance(call.target, torch.nn.Module):
        for name, parameter in call.target.named_parameters():
            grads.params[name] = None if parameter.grad is None else parameter.grad.detach().cpu()
    return grads
