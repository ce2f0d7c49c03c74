"""The bench's part of calling an entry: timing it in the worker, exporting it, binding it for ONNX.

The worker (`llmprep/execution/worker_script.py`) loads this file, `timing.py` and
`onnx_runtime.py` by path when its request is a bench run, before it closes its file system and
before the submission is imported; `bind_clocks` then fixes the timing functions' clocks, so a
submission that patches `time.perf_counter_ns` changes nothing. The submission is timed (and
exported to ONNX) only in the worker; each row travels back on the worker's private channel,
after a `clock` frame, so llmprep can hold the reported time against its own clock
(`timing_disagreement`).

Like the worker, this file imports nothing from llmprep at module level. llmprep's own process
imports it normally for the trusted rows; calls are prepared by `llmprep.execution.calling`.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
SIBLINGS = ("timing", "onnx_runtime")
_clock = time.perf_counter


def preload_files() -> list[tuple[str, str]]:
    """(path, module name) of the files the worker loads before the submission, for a bench run."""
    return [(str(_HERE / "worker_side.py"), "llmprep_bench_runner")] + [
        (str(_HERE / f"{name}.py"), f"llmprep_bench_{name}") for name in SIBLINGS]


def _load_sibling(name: str):
    # By path, under a private name: the worker refuses `import llmprep` once the submission loads.
    module_name = f"llmprep_bench_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, _HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


_bound: dict[str, Any] = {}


def bind_clocks() -> None:
    """Before the submission runs: give timing.py the clocks as they are now, keep its functions here,
    and take the bench's modules out of sys.modules, so a submission that patches `time` or looks
    the timing module up by name changes nothing."""
    global _clock
    frozen = types.SimpleNamespace(perf_counter_ns=time.perf_counter_ns, perf_counter=time.perf_counter,
                                   monotonic=time.monotonic, sleep=time.sleep, time=time.time)
    timing = _load_sibling("timing")
    timing.time = frozen
    _clock = frozen.perf_counter
    _bound.update(time_call=timing.time_call, measure_peak_memory=timing.measure_peak_memory,
                  onnx_runtime=_load_sibling("onnx_runtime"))
    for name in [n for n in sys.modules if n.startswith("llmprep_bench_")]:
        del sys.modules[name]


def no_grad_unless_harness(call: Any):
    """torch.no_grad() for a plain forward; a harness decides for itself (it may need gradients)."""
    import contextlib

    import torch

    return contextlib.nullcontext() if call.harness else torch.no_grad()


def tensor_slots(call: Any) -> list[tuple[str, Any]]:
    """The call's top-level tensor arguments as (ONNX input name, tensor): `arg0`, ... and keywords."""
    import torch

    slots = [(f"arg{i}", a) for i, a in enumerate(call.args) if isinstance(a, torch.Tensor)]
    slots += [(k, a) for k, a in call.kwargs.items() if isinstance(a, torch.Tensor)]
    return slots


def bound_module(call: Any):
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


def compiled_call(call: Any) -> Callable[[], Any]:
    """The call through torch.compile (compiled on its first run, which the warm-up absorbs)."""
    import torch

    if call.harness:
        raise RuntimeError("the exercise runs through a harness; nothing single to compile")
    compiled = torch.compile(call.target)
    return lambda: compiled(*call.args, **call.kwargs)


def export_reason(call: Any) -> str | None:
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


# ---------------------------------------------------------------- checking the worker's clock


def timing_disagreement(timing: dict, elapsed_s: Any, parent_s: float | None, warmup_s: float) -> str | None:
    """Why a row timed in the worker cannot be believed, or None.

    `elapsed_s` is the timing phase on the worker's (bound) clock; `parent_s` the same phase on
    llmprep's clock, from the `clock` frame to the row's frame. The samples must fit inside the
    phase, the two clocks must agree, and the samples must account for the phase (less warm-up)."""
    try:
        sampled = float(timing["median_ms"]) * int(timing["n"]) * int(timing.get("calls_per_sample", 1)) / 1e3
        elapsed = float(elapsed_s)
    except (KeyError, TypeError, ValueError):
        return "the worker reported no time for its timing phase"
    if parent_s is None:
        return "llmprep did not see the timing phase begin"
    if sampled > elapsed * 1.05 + 0.005:
        return f"its samples add up to {sampled:.3f} s inside a {elapsed:.3f} s phase"
    if parent_s < 0.9 * warmup_s:
        return f"the timing phase took {parent_s:.3f} s by llmprep's clock, less than its {warmup_s:g} s warm-up"
    if abs(elapsed - parent_s) > 0.5 * max(elapsed, parent_s) + 0.1:
        return f"the worker's clock says {elapsed:.3f} s where llmprep's says {parent_s:.3f} s"
    unexplained = parent_s - warmup_s - float(timing["median_ms"]) / 1e3 - 0.1
    if sampled < 0.2 * unexplained:
        return f"its samples add up to {sampled:.3f} s of a {parent_s:.3f} s phase (by llmprep's clock)"
    return None


# ---------------------------------------------------------------- inside the worker


def run_in_worker(entry: Any, request: dict, cases: list, emit: Callable[[dict], None],
                  harness: Any = None, calling: Any = None) -> None:
    """Time the submission on each case and export it to ONNX, emitting one frame per result.

    request["bench"]: {"backends": subset of ["submission", "torch-compile", "onnx-export"],
    "budget_s", "warmup_s", "deadline_s" (the whole run's budget), "folder" (for ONNX files)}.
    `cases` are CaseRequests and `calling` the worker's copy of llmprep/execution/calling.py.
    Frames: {"event": "case", "index": k, "bench": {"case", "backend", ...}} with k counting results,
    each timed row preceded by {"event": "clock"}.
    """
    if not _bound:
        bind_clocks()
    time_call, measure_peak_memory = _bound["time_call"], _bound["measure_peak_memory"]
    onnx_runtime = _bound["onnx_runtime"]
    settings = request["bench"]
    device, kind = request["device"], request["kind"]
    started = _clock()
    counter = 0

    def send(document: dict) -> None:
        nonlocal counter
        emit({"event": "case", "index": counter, "bench": document})
        counter += 1

    for index, case in enumerate(cases):
        for backend in settings["backends"]:
            result: dict[str, Any] = {"case": index, "backend": backend}
            if _clock() - started > settings["deadline_s"]:
                result["error"] = "skipped: the time budget was spent"
                send(result)
                continue
            try:
                call = calling.prepare_call(entry, kind, case, device, harness, evaluate=True)
                if backend == "onnx-export":
                    result.update(_export(call, onnx_runtime, settings["folder"], index))
                else:
                    fn = compiled_call(call) if backend == "torch-compile" else call.fn
                    with no_grad_unless_harness(call):
                        result["peak_mem_bytes"] = measure_peak_memory(fn, device)
                        emit({"event": "clock", "what": "timing"})  # llmprep's clock starts here
                        phase = _clock()
                        measured = time_call(fn, device, budget_s=settings["budget_s"],
                                             warmup_s=settings["warmup_s"])
                        result["elapsed_s"] = _clock() - phase
                        result["timing"] = measured.to_dict()
            except BaseException as exc:  # the submission's failure belongs in its row
                result["error"] = short_error(exc)
            send(result)


def _export(call: Any, onnx_runtime: Any, folder: str, index: int) -> dict:
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
