"""Trusted code run in llmprep's own process: the reference, the listed mistakes (to diagnose a
failure) and the tests' implementations, graded the way `check_submission` grades a file."""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from llmprep.exercises import Exercise
from llmprep.grading.cases import Case, load_mistakes, load_module, reference_entry
from llmprep.grading.compare import CaseResult, values_match
from llmprep.grading.explain import explain
from llmprep.grading.judging import _parameter_names, judge_case, scaled
from llmprep.grading.plan import plan_cases
from llmprep.grading.verdict import CheckReport, Diagnosis


def _cast(value: Any, dtype) -> Any:
    import torch

    if isinstance(value, torch.Tensor):
        return value.to(dtype) if value.is_floating_point() else value.clone()
    if isinstance(value, list):
        return [_cast(v, dtype) for v in value]
    if isinstance(value, tuple):
        return tuple(_cast(v, dtype) for v in value)
    if isinstance(value, dict):
        return {k: _cast(v, dtype) for k, v in value.items()}
    return value


def _clone(value: Any) -> Any:
    import torch

    if isinstance(value, torch.Tensor):
        return value.clone()
    if isinstance(value, (list, tuple)):
        return type(value)(_clone(v) for v in value)
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    return value


def build_requests(exercise: Exercise, cases: list[Case], dtype: str, seed: int) -> tuple[list[dict], list[dict]]:
    """Per case, the request for the submission (inputs in `dtype`) and for the reference and
    mistakes (the same values, in float64)."""
    import torch

    torch_dtype = getattr(torch, dtype)
    reference = reference_entry(exercise)
    submission_requests, reference_requests = [], []
    for index, case in enumerate(cases):
        case_seed = (seed * 1_000_003 + index) % 2**63
        state_dict = None
        if exercise.kind == "module":
            torch.manual_seed(case_seed)
            state_dict = {k: v.detach().to(torch_dtype) for k, v in reference(**case.init).state_dict().items()}
        grad = exercise.differentiable if case.grad is None else case.grad
        rounded_args = _cast(list(case.args), torch_dtype)
        rounded_kwargs = _cast(dict(case.kwargs), torch_dtype)
        common = {"init": dict(case.init), "grad": grad, "seed": case_seed, "cotangent_seed": case_seed + 1}
        submission_requests.append({**common, "args": rounded_args, "kwargs": rounded_kwargs,
                                    "state_dict": state_dict, "dtype": dtype, "cotangent_dtype": dtype})
        reference_requests.append({
            **common, "args": _cast(rounded_args, torch.float64), "kwargs": _cast(rounded_kwargs, torch.float64),
            "state_dict": None if state_dict is None else _cast(state_dict, torch.float64),
            "dtype": "float64", "cotangent_dtype": dtype,
        })
    return submission_requests, reference_requests


def run_trusted(exercise: Exercise, implementation: Any, request: dict) -> dict:
    """Run the reference or a mistake in this process, the way the worker runs a submission."""
    import torch

    from llmprep.grading.worker import run_case

    harness = load_module(exercise, exercise.harness).run if exercise.harness else None
    request = {**request, "args": _clone(request["args"]), "kwargs": _clone(request["kwargs"]),
               "state_dict": _clone(request.get("state_dict"))}
    # One thread, as in the worker: with the default pool, the many small ops of a case (a harness
    # calls the entry several times) run many times slower on a busy machine.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return run_case(implementation, exercise.kind, request, "cpu", harness)
    except Exception as exc:  # a mistake may well crash on some inputs
        return {"error": _trusted_error(exc, implementation)}
    finally:
        torch.set_num_threads(threads)


def _trusted_error(exc: Exception, implementation: Any) -> dict:
    """The error of an in-process run, with the line of the implementation's own file."""
    import traceback

    try:
        source = inspect.getsourcefile(implementation)
    except TypeError:
        source = None
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if source and f.filename == source]
    return {"type": type(exc).__name__, "message": str(exc), "line": frames[-1].lineno if frames else None,
            "traceback": "".join(traceback.format_exception_only(type(exc), exc))}


def diagnose(exercise: Exercise, cases: list[Case], verdicts: list[CaseResult], requests: list[dict],
             dtype: str, lang: str, run: Callable[[Any, int], dict] | None = None) -> list[Diagnosis]:
    """Mistakes that reproduce the submission's output on every case it got wrong by value.

    Each mistake runs on the submission's own inputs in the submission's dtype (on the CPU),
    so a mistake that only bites through float32 underflow bites the same way here.
    """
    # Every case that failed by its output (values, non-finite, shape) must be reproduced, and every
    # case that raised must raise the same exception: a diagnosis never contradicts a failing case.
    failing = [i for i, v in enumerate(verdicts)
               if not v.passed and v.output is not None and v.kind in ("values", "nonfinite", "shape")]
    raising = [i for i, v in enumerate(verdicts) if not v.passed and v.kind == "error"]
    if not failing and not raising:
        return []
    found = []
    for mistake in load_mistakes(exercise):
        matched = True
        for i in failing:
            tolerance = scaled(exercise.tolerance(dtype), cases[i].tolerance_scale)
            outcome = (run(mistake.implementation, i) if run is not None
                       else run_trusted(exercise, mistake.implementation, {**requests[i], "grad": False}))
            if "error" in outcome or not values_match(outcome["output"], verdicts[i].output, tolerance):
                matched = False
                break
        for i in raising if matched else []:
            outcome = (run(mistake.implementation, i) if run is not None
                       else run_trusted(exercise, mistake.implementation, {**requests[i], "grad": False}))
            if "error" not in outcome or outcome["error"].get("type") != verdicts[i].error_type:
                matched = False
                break
        if matched:
            found.append(Diagnosis(mistake.id, mistake.message(lang)))
    return found


def check_trusted_implementation(exercise: Exercise, implementation: Any, *, dtype: str = "float32",
                                 seed: int = 0, lang: str = "en",
                                 memo: dict | None = None) -> tuple[list[CaseResult], list[Diagnosis]]:
    """Grade a trusted implementation (a mistake, the reference) in this process, without a worker.

    The same cases, comparison and diagnosis as `check_submission`, minus the sandbox and the
    banned-call recorder: for the content tests, which run every mistake of every exercise.
    `memo` (a dict the caller keeps) reuses cases and runs across calls with the same exercise,
    seed and dtype: grading each of M mistakes would otherwise rerun all M to diagnose it.
    """
    verdicts, diagnosis, _ = _grade_trusted(exercise, implementation, dtype, seed, lang, memo)
    return verdicts, diagnosis


def _grade_trusted(exercise: Exercise, implementation: Any, dtype: str, seed: int, lang: str,
                   memo: dict | None) -> tuple[list[CaseResult], list[Diagnosis], Any]:
    memo = {} if memo is None else memo
    key = (exercise.id, seed, dtype)
    reference_impl = reference_entry(exercise)
    if key not in memo:
        memo[key] = (plan_cases(exercise, seed, dtype, build_requests,
                                lambda request: run_trusted(exercise, reference_impl, request)), {})
    plan, runs = memo[key]
    names = _parameter_names(exercise)

    def run(impl: Any, index: int, *, grad: bool = True) -> dict:
        run_key = (id(impl), index, grad)
        if run_key not in runs:
            request = plan.sub_requests[index]
            runs[run_key] = run_trusted(exercise, impl, request if grad else {**request, "grad": False})
        return runs[run_key]

    verdicts = [judge_case(exercise, case, names, plan.sub_requests[index], plan.references[index],
                           run(implementation, index), dtype, "cpu") for index, case in enumerate(plan.cases)]
    diagnosis = [] if all(v.passed for v in verdicts) else diagnose(
        exercise, plan.cases, verdicts, plan.sub_requests, dtype, lang, run=lambda impl, i: run(impl, i, grad=False))
    return verdicts, diagnosis, plan


def grade_in_process(file: Path, exercise: Exercise, implementation: Any, *, dtype: str = "float32",
                     seed: int = 0, lang: str = "en", memo: dict | None = None) -> CheckReport:
    """The report `check_submission` would give, for an implementation already imported in this
    process (trusted code: the tests' corpora), without a worker and without recording anything."""
    started = time.perf_counter()
    verdicts, diagnosis, plan = _grade_trusted(exercise, implementation, dtype, seed, lang, memo)
    report = CheckReport(exercise=exercise, submission=Path(file), passed=all(v.passed for v in verdicts),
                         seed=seed, device="cpu", dtype=dtype, cases=verdicts, diagnosis=diagnosis, lang=lang,
                         duration_s=time.perf_counter() - started)
    if not report.passed and not diagnosis:
        report.findings = explain(exercise, plan, verdicts, _parameter_names(exercise), dtype)
    return report


def first_failure_in_process(exercise: Exercise, implementation: Any, *, seed: int, dtype: str = "float32",
                             memo: dict | None = None) -> str | None:
    """The name of the first case `implementation` fails (None when it passes every case), stopping
    there: the verdict without its cost. Fixed cases and framework variants run before random ones."""
    memo = {} if memo is None else memo
    key = (exercise.id, seed, dtype)
    reference_impl = reference_entry(exercise)
    if key not in memo:
        memo[key] = (plan_cases(exercise, seed, dtype, build_requests,
                                lambda request: run_trusted(exercise, reference_impl, request)), {})
    plan, _ = memo[key]
    names = _parameter_names(exercise)
    order = sorted(range(len(plan.cases)), key=lambda i: plan.cases[i].name.startswith("random-"))
    for index in order:
        if index in plan.repeats:  # a repeat means something only after the cases before it ran
            continue
        verdict = judge_case(exercise, plan.cases[index], names, plan.sub_requests[index], plan.references[index],
                             run_trusted(exercise, implementation, plan.sub_requests[index]), dtype, "cpu")
        if not verdict.passed:
            return plan.cases[index].name
    for index in plan.repeats:
        verdict = judge_case(exercise, plan.cases[index], names, plan.sub_requests[index], plan.references[index],
                             run_trusted(exercise, implementation, plan.sub_requests[index]), dtype, "cpu")
        if not verdict.passed:
            return plan.cases[index].name
    return None
