"""Running trusted code (a reference, a mistake, a built-in) in llmprep's own process,
called exactly the way the worker calls a submission."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

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


def run_trusted(implementation: Any, kind: str, request: CaseRequest, harness: Any = None,
                device: str = "cpu") -> CaseOutcome:
    """Run trusted code on one case in this process; an exception becomes the outcome's error
    (a mistake may well crash on some inputs). The request's tensors are not modified."""
    request = replace(request, args=clone_values(request.args), kwargs=clone_values(request.kwargs),
                      state_dict=clone_values(request.state_dict))
    try:
        with one_torch_thread():
            return run_case(implementation, kind, request, device, harness)
    except Exception as exc:
        return CaseOutcome(error=ErrorInfo(type(exc).__name__, str(exc)))
