"""Running trusted code (a reference, a mistake, a built-in) in llmprep's own process,
called exactly the way the worker calls a submission."""

from __future__ import annotations

import contextlib
import inspect
import traceback
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from llmprep.execution.banned import BannedCallRecorder
from llmprep.execution.calling import CaseOutcome, CaseRequest, ErrorInfo, clone_values, run_case


@contextlib.contextmanager
def one_torch_thread() -> Iterator[None]:
    """One torch thread inside, as in the worker, so that results do not depend on the thread
    count (reductions split differently); the previous count is restored after."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def run_trusted(implementation: Any, kind: str, request: CaseRequest, harness: Any = None, device: str = "cpu",
                banned: BannedCallRecorder | None = None) -> CaseOutcome:
    """Run trusted code on one case in this process, under one torch thread, the way the worker
    runs a submission; an exception becomes the outcome's error, with the line of the
    implementation's own file (a mistake may well crash on some inputs). The request's tensors are
    not modified. `banned` (a recorder made with `patch=False`) records banned calls, as the worker does."""
    request = replace(request, args=clone_values(request.args), kwargs=clone_values(request.kwargs),
                      state_dict=clone_values(request.state_dict))
    if banned is not None:
        del banned.used[:]
    try:
        with one_torch_thread():
            outcome = run_case(implementation, kind, request, device, harness,
                               watch=banned.recording if banned is not None else contextlib.nullcontext)
    except Exception as exc:
        outcome = CaseOutcome(error=ErrorInfo(type(exc).__name__, str(exc), _own_line(exc, implementation)))
    if banned is not None:
        outcome.banned_used = sorted(set(banned.used))
    return outcome


def _own_line(exc: Exception, implementation: Any) -> int | None:
    """The last line of the implementation's own file in the exception's traceback."""
    try:
        source = inspect.getsourcefile(implementation)
    except TypeError:
        return None
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == source]
    return frames[-1].lineno if frames else None
