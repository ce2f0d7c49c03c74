"""Calling an entry repeatedly for timing, and the bench's part inside the grading worker.

The grading worker (`llmprep/grading/worker.py`) loads this file by path when its request has a
`bench` section, before the submission is imported, and hands it the imported entry: so the
submission is timed (and exported to ONNX) only in the worker, never in llmprep's process. The
timing results travel back on the worker's private result channel, one frame per row.

Like the worker, this file imports nothing from llmprep at module level: its siblings
`timing.py` and `onnx_runtime.py` (which import nothing from llmprep either) are loaded by path.
llmprep's own process imports it normally to call the reference and the built-ins the same way.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent


@dataclass
class PreparedCall:
    """One size, ready to call again and again: the inputs live on the device already."""

    fn: Callable[[], Any]
    target: Any                       # the entry, or the module built from it
    args: list = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)
    harness: bool = False


def _move(value: Any, device: str) -> Any:
    import torch

    if isinstance(value, torch.Tensor):
        return value.to(device)
    if isinstance(value, (list, tuple)):
        return type(value)(_move(item, device) for item in value)
    if isinstance(value, dict):
        return {key: _move(item, device) for key, item in value.items()}
    return value


def prepare_call(entry: Any, kind: str, request: dict, device: str, harness: Any = None) -> PreparedCall:
    """Move one case's inputs to `device`, build the module (kind "module") and return the call.

    The same convention as `llmprep check`: a module gets the case's dtype and state_dict; a
    harness, when the exercise has one, replaces the call.
    """
    import torch

    torch.manual_seed(int(request.get("seed", 0)))
    args = list(_move(request.get("args", []), device))
    kwargs = dict(_move(request.get("kwargs", {}), device))
    if harness is not None:
        inputs = {"args": args, "kwargs": kwargs, "init": request.get("init", {}),
                  "state_dict": request.get("state_dict"), "device": device,
                  "dtype": request.get("dtype"), "seed": request.get("seed", 0)}
        return PreparedCall(lambda: harness(entry, inputs), entry, args, kwargs, harness=True)
    if kind == "module":
        module = entry(**request.get("init", {}))
        if request.get("dtype"):
            module.to(getattr(torch, request["dtype"]))
        module.to(device)
        state_dict = request.get("state_dict")
        if state_dict is not None:
            module.load_state_dict(_move(state_dict, device), strict=True)
        module.eval()  # no dropout while timing
        return PreparedCall(lambda: module(*args, **kwargs), module, args, kwargs)
    return PreparedCall(lambda: entry(*args, **kwargs), entry, args, kwargs)


def no_grad_unless_harness(call: PreparedCall):
    """torch.no_grad() for a plain forward; a harness decides for itself (it may need gradients)."""
    import contextlib

    import torch

    return contextlib.nullcontext() if call.harness else torch.no_grad()


def tensor_slots(call: PreparedCall) -> list[tuple[str, Any]]:
    """The call's top-level tensor arguments as (ONNX input name, tensor): `arg0`, ... and keywords."""
    import torch

    slots = [(f"arg{i}", a) for i, a in enumerate(call.args) if isinstance(a, torch.Tensor)]
    slots += [(k, a) for k, a in call.kwargs.items() if isinstance(a, torch.Tensor)]
    return slots


def bound_module(call: PreparedCall):
    """An nn.Module whose forward takes only the tensor arguments (the rest are fixed), for export."""
    import torch

    slots = [name for name, _ in tensor_slots(call)]

    class Bound(torch.nn.Module):
        def __init__(self):
            super().__init__()
            if isinstance(call.target, torch.nn.Module):
                self.target = call.target
            else:
                self._function = call.target

        def forward(self, *tensors):
            args, kwargs = list(call.args), dict(call.kwargs)
            for name, tensor in zip(slots, tensors, strict=True):
                if name.startswith("arg") and name[3:].isdigit() and name not in kwargs:
                    args[int(name[3:])] = tensor
                else:
                    kwargs[name] = tensor
            target = self.target if isinstance(call.target, torch.nn.Module) else self._function
            return target(*args, **kwargs)

    return Bound()


def compiled_call(call: PreparedCall) -> Callable[[], Any]:
    """The call through torch.compile (compiled on its first run, which the warm-up absorbs)."""
    import torch

    if call.harness:
        raise RuntimeError("the exercise runs through a harness; nothing single to compile")
    compiled = torch.compile(call.target)
    return lambda: compiled(*call.args, **call.kwargs)


def export_reason(call: PreparedCall) -> str | None:
    """Why this call cannot be exported to ONNX meaningfully, or None when it can."""
    if call.harness:
        return "the exercise runs through a harness (several calls per case), which ONNX cannot express"
    if not tensor_slots(call):
        return "no tensor inputs: the exported graph would be a constant"
    return None


def short_error(exc: BaseException) -> str:
    """The first line of an exception, for a row's note."""
    text = f"{type(exc).__name__}: {exc}".strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


# ---------------------------------------------------------------- inside the worker


def _load_sibling(name: str):
    # By path, under a private name: the worker refuses `import llmprep` once the submission loads.
    path = _HERE / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"llmprep_bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def run_in_worker(entry: Any, request: dict, cases: list[dict], emit: Callable[[dict], None],
                  harness: Any = None) -> None:
    """Time the submission on each case and export it to ONNX, emitting one frame per result.

    request["bench"]: {"backends": subset of ["submission", "torch-compile", "onnx-export"],
    "budget_s", "warmup_s", "deadline_s" (the whole run's budget), "folder" (for ONNX files)}.
    Frames: {"event": "case", "index": k, "bench": {"case", "backend", ...}} with k counting results.
    """

    timing = _load_sibling("timing")
    onnx_runtime = _load_sibling("onnx_runtime")
    settings = request["bench"]
    device, kind = request["device"], request["kind"]
    started = time.perf_counter()
    counter = 0

    def send(document: dict) -> None:
        nonlocal counter
        emit({"event": "case", "index": counter, "bench": document})
        counter += 1

    for index, case in enumerate(cases):
        for backend in settings["backends"]:
            result: dict[str, Any] = {"case": index, "backend": backend}
            if time.perf_counter() - started > settings["deadline_s"]:
                result["error"] = "skipped: the time budget was spent"
                send(result)
                continue
            try:
                call = prepare_call(entry, kind, case, device, harness)
                if backend == "onnx-export":
                    result.update(_export(call, onnx_runtime, settings["folder"], index))
                else:
                    fn = compiled_call(call) if backend == "torch-compile" else call.fn
                    with no_grad_unless_harness(call):
                        measured = timing.time_call(fn, device, budget_s=settings["budget_s"],
                                                    warmup_s=settings["warmup_s"])
                        result["timing"] = measured.to_dict()
                        result["peak_mem_bytes"] = timing.measure_peak_memory(fn, device)
            except BaseException as exc:  # the submission's failure belongs in its row
                result["error"] = short_error(exc)
            send(result)


def _export(call: PreparedCall, onnx_runtime: Any, folder: str, index: int) -> dict:
    reason = export_reason(call)
    if reason:
        return {"error": reason}
    path = Path(folder) / f"submission-{index}.onnx"
    os.makedirs(folder, exist_ok=True)
    names = [name for name, _ in tensor_slots(call)]
    tensors = tuple(tensor for _, tensor in tensor_slots(call))
    exported = onnx_runtime.export_module(bound_module(call), tensors, path, names)
    return {"model": path.read_bytes(), "exporter": exported.exporter, "opset": exported.opset,
            "note": exported.note}
