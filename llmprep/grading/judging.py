"""The verdict on one case: the submission's raw result against the reference's, in the parent."""

from __future__ import annotations

import inspect
from typing import Any

from llmprep.execution.calling import CaseOutcome, CaseRequest, Gradients, tensor_slots
from llmprep.exercises import Exercise, Tolerance
from llmprep.grading.cases import Case, reference_entry, run_properties
from llmprep.grading.compare import (
    CaseResult,
    Errors,
    Expectation,
    compare_tensors,
    compare_values,
    shape_text,
)
from llmprep.grading.explain import failure_kind


def _parameter_names(exercise: Exercise) -> list[str]:
    entry = reference_entry(exercise)
    target = entry.forward if exercise.kind == "module" else entry
    return [p for p in inspect.signature(target).parameters if p != "self"]


def describe_inputs(case: Case, names: list[str]) -> str:
    """'q 2×3×4, k 2×5×4, is_causal': what a person needs to picture the case."""
    import torch

    parts = [f"{k}={v}" for k, v in case.init.items()]
    named = [(names[i] if i < len(names) else f"arg{i}", v) for i, v in enumerate(case.args)]
    named += list(case.kwargs.items())
    for name, value in named:
        if isinstance(value, torch.Tensor):
            parts.append(f"{name} {shape_text(value.shape)}")
        elif value is True:
            parts.append(name)
        elif value is False or value is None:
            continue
        else:
            parts.append(f"{name}={value}")
    return ", ".join(parts)


def _slot_name(slot: str, names: list[str]) -> str:
    return names[int(slot)] if slot.isdigit() and int(slot) < len(names) else slot


def judge_case(exercise: Exercise, case: Case, names: list[str], sub_request: CaseRequest,
               reference: CaseOutcome, result: CaseOutcome, dtype: str, device: str) -> CaseResult:
    """The verdict on one case from the submission's raw result and the reference's."""
    verdict = CaseResult(name=case.name, shapes=describe_inputs(case, names), passed=False,
                         seconds=result.seconds)
    if reference.error is not None:
        raise RuntimeError(f"the reference of {exercise.id} failed on case {case.name}: {reference.error.text()}")
    if result.error is not None:
        verdict.error = result.error.text()
        verdict.traceback = result.error.traceback
        verdict.kind, verdict.error_type, verdict.error_line = "error", result.error.type, result.error.line
        return verdict
    verdict.output = result.output
    problems: list[str] = []
    banned = result.banned_used
    if banned:
        problems.append("called a banned built-in: " + ", ".join(banned))

    tolerance = scaled(exercise.tolerance(dtype), case.tolerance_scale)
    expect = Expectation(dtype=exercise.output_dtype or dtype, device=device)
    errors = Errors()
    mismatch = compare_values(reference.output, verdict.output, tolerance, expect, errors)
    verdict.max_abs_err, verdict.max_rel_err = errors.max_abs, errors.max_rel
    if mismatch:
        problems.append(mismatch.message)
        verdict.detail = mismatch.detail
    problems += _mutations(sub_request, result.inputs_after, names)
    if not mismatch:
        problems += _gradient_problems(exercise, reference.grads, result.grads, dtype, names,
                                       case.tolerance_scale)
        problems += run_properties(exercise, case, verdict.output, reference.output)
    verdict.passed = not problems
    verdict.error = "; ".join(problems) or None
    verdict.kind = failure_kind(verdict.error, raised=False)
    return verdict


def _mutations(request: CaseRequest, after: Any, names: list[str]) -> list[str]:
    import torch

    if not isinstance(after, dict):
        return []
    sent = dict(tensor_slots(request.args, request.kwargs))
    changed = []
    for slot, before in sent.items():
        now = after.get(slot)
        if not isinstance(now, torch.Tensor) or now.shape != before.shape or now.dtype != before.dtype:
            changed.append(slot)
        elif not torch.equal(now, before) and not (before.is_floating_point() and bool(
                ((now == before) | (now.isnan() & before.isnan())).all())):
            # NaN stays NaN is unchanged; any other edit (1.5 -> NaN, inf -> a finite value) is not.
            changed.append(slot)
    return [f"modified its input `{_slot_name(s, names)}` in place" for s in changed]


def _gradient_problems(exercise: Exercise, reference: Gradients | None, got: Gradients | None, dtype: str,
                       names: list[str], tolerance_scale: float = 1.0) -> list[str]:
    if reference is None or reference.error is not None:
        return []
    if got is None:
        return ["no gradients came back"]
    if got.error is not None:
        return [f"gradient: {got.error}"]
    tolerance = scaled(exercise.tolerance(dtype, grad=True), tolerance_scale)
    expect = Expectation(dtype=dtype, device=None)
    problems = []
    for group, label in (("inputs", "input"), ("params", "parameter")):
        for name, ref_grad in getattr(reference, group).items():
            shown = _slot_name(name, names) if group == "inputs" else name
            if ref_grad is None:
                continue
            sub_grad = getattr(got, group).get(name)
            if sub_grad is None:
                problems.append(f"wrong gradient: no gradient reached {label} `{shown}`")
                continue
            ref_encoded = {"kind": "tensor", "tensor": ref_grad}
            # Gradients come back on the CPU: only their values, shape and dtype are judged.
            sub_encoded = {"kind": "tensor", "tensor": sub_grad, "dtype": str(sub_grad.dtype).replace("torch.", "")}
            mismatch = compare_tensors(ref_encoded, sub_encoded, tolerance, expect, Errors(),
                                       path=f"the gradient of {label} `{shown}`")
            if mismatch:
                problems.append(f"wrong gradient: {mismatch.message}")
    return problems


def scaled(tolerance: Tolerance, factor: float) -> Tolerance:
    """A tolerance with atol and rtol multiplied by `factor`."""
    return tolerance if factor == 1.0 else Tolerance(tolerance.atol * factor, tolerance.rtol * factor)
