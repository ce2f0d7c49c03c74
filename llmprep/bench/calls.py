"""The bench's one doorway to the execution engine: loading an exercise's files, preparing a call
the way `llmprep check` calls an entry, and judging whether two outputs agree.

Everything the bench needs from outside `llmprep/bench/` to run code goes through here, so the
backends never reach into the grader's modules.
"""

from __future__ import annotations

from typing import Any

from llmprep.exercises import Exercise

# Two implementations in the same dtype each carry rounding error; allow a few times the check's tolerance.
AGREEMENT_SCALE = 4.0


def spec_module(exercise: Exercise) -> Any:
    """The exercise's spec.py, imported."""
    from llmprep.grading import load_module

    return load_module(exercise, "spec.py")


def reference_entry(exercise: Exercise) -> Any:
    """The reference implementation's entry (function or class)."""
    from llmprep.grading import reference_entry as entry

    return entry(exercise)


def harness_of(exercise: Exercise) -> Any:
    """The exercise's harness function, or None when calls are plain."""
    from llmprep.grading import load_module

    return load_module(exercise, exercise.harness).run if exercise.harness else None


def prepare_call(entry: Any, kind: str, request: Any, device: str, harness: Any = None) -> Any:
    """One size (a CaseRequest) ready to call again and again, a module in eval mode (see the
    engine's calling convention)."""
    from llmprep.execution.calling import prepare_call as prepare

    return prepare(entry, kind, request, device, harness, evaluate=True)


def encode(output: Any) -> dict:
    """An output in the engine's comparable form."""
    from llmprep.execution.calling import encode_value

    return encode_value(output)


def agrees(exercise: Exercise, dtype: str, truth: dict, output: Any) -> bool:
    """Does `output` match the reference's `truth` within a few times the check's tolerance?"""
    from llmprep.grading import values_match

    tolerance = exercise.tolerance(exercise.output_dtype or dtype)
    tolerance = type(tolerance)(atol=tolerance.atol * AGREEMENT_SCALE, rtol=tolerance.rtol * AGREEMENT_SCALE)
    return values_match(truth, encode(output), tolerance)


def short_error(exc: BaseException) -> str:
    """The first line of an exception, for a row's note."""
    text = f"{type(exc).__name__}: {exc}".strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
