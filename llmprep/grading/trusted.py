"""Trusted code run in llmprep's own process: the reference, the listed mistakes (to diagnose a
failure) and the tests' implementations, graded the way `check_submission` grades a file."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from llmprep.execution.banned import BannedCallRecorder
from llmprep.execution.calling import CaseOutcome, CaseRequest, cast_floats, seed_torch
from llmprep.execution.trusted import run_trusted
from llmprep.exercises import Exercise
from llmprep.grading.cases import Case, load_mistakes, load_module, reference_entry
from llmprep.grading.compare import CaseResult, values_match
from llmprep.grading.explain import explain
from llmprep.grading.judging import _parameter_names, judge_case, scaled
from llmprep.grading.plan import plan_cases
from llmprep.grading.verdict import CheckReport, Diagnosis


def build_requests(exercise: Exercise, cases: list[Case], dtype: str,
                   seed: int) -> tuple[list[CaseRequest], list[CaseRequest]]:
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
            seed_torch(case_seed)
            state_dict = {k: v.detach().to(torch_dtype) for k, v in reference(**case.init).state_dict().items()}
        grad = exercise.differentiable if case.grad is None else case.grad
        submission = CaseRequest(args=cast_floats(list(case.args), torch_dtype),
                                 kwargs=cast_floats(dict(case.kwargs), torch_dtype), init=dict(case.init),
                                 state_dict=state_dict, dtype=dtype, seed=case_seed, grad=grad,
                                 cotangent_seed=case_seed + 1, cotangent_dtype=dtype)
        submission_requests.append(submission)
        reference_requests.append(replace(
            submission, args=cast_floats(submission.args, torch.float64),
            kwargs=cast_floats(submission.kwargs, torch.float64),
            state_dict=None if state_dict is None else cast_floats(state_dict, torch.float64), dtype="float64"))
    return submission_requests, reference_requests


def run_in_process(exercise: Exercise, implementation: Any, request: CaseRequest,
                   banned: BannedCallRecorder | None = None) -> CaseOutcome:
    """Run the reference, a mistake or a test's implementation on one case in this process,
    through the exercise's harness, the way the worker runs a submission (see `run_trusted`)."""
    harness = load_module(exercise, exercise.harness).run if exercise.harness else None
    return run_trusted(implementation, exercise.kind, request, harness, banned=banned)


def diagnose(exercise: Exercise, cases: list[Case], verdicts: list[CaseResult], requests: list[CaseRequest],
             dtype: str, lang: str, run: Callable[[Any, int], CaseOutcome] | None = None) -> list[Diagnosis]:
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
                       else run_in_process(exercise, mistake.implementation, replace(requests[i], grad=False)))
            if outcome.error is not None or not values_match(outcome.output, verdicts[i].output, tolerance):
                matched = False
                break
        for i in raising if matched else []:
            outcome = (run(mistake.implementation, i) if run is not None
                       else run_in_process(exercise, mistake.implementation, replace(requests[i], grad=False)))
            if outcome.error is None or outcome.error.type != verdicts[i].error_type:
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


def _memoised_plan(exercise: Exercise, seed: int, dtype: str, memo: dict | None) -> tuple[Any, dict]:
    """The cases and the reference's outcomes for (exercise, seed, dtype), made once per `memo`,
    with the dict of runs kept beside them."""
    memo = {} if memo is None else memo
    key = (exercise.id, seed, dtype)
    if key not in memo:
        reference_impl = reference_entry(exercise)
        memo[key] = (plan_cases(exercise, seed, dtype, build_requests,
                                lambda request: run_in_process(exercise, reference_impl, request)), {})
    return memo[key]


def _grade_trusted(exercise: Exercise, implementation: Any, dtype: str, seed: int, lang: str,
                   memo: dict | None, banned: BannedCallRecorder | None = None,
                   ) -> tuple[list[CaseResult], list[Diagnosis], Any]:
    plan, runs = _memoised_plan(exercise, seed, dtype, memo)
    names = _parameter_names(exercise)

    def run(impl: Any, index: int, *, grad: bool = True) -> CaseOutcome:
        run_key = (id(impl), index, grad)
        if run_key not in runs:
            request = plan.sub_requests[index]
            runs[run_key] = run_in_process(exercise, impl, request if grad else replace(request, grad=False),
                                           banned=banned if impl is implementation else None)
        return runs[run_key]

    verdicts = [judge_case(exercise, case, names, plan.sub_requests[index], plan.references[index],
                           run(implementation, index), dtype, "cpu") for index, case in enumerate(plan.cases)]
    diagnosis = [] if all(v.passed for v in verdicts) else diagnose(
        exercise, plan.cases, verdicts, plan.sub_requests, dtype, lang, run=lambda impl, i: run(impl, i, grad=False))
    return verdicts, diagnosis, plan


def grade_in_process(file: Path, exercise: Exercise, implementation: Any, *, dtype: str = "float32",
                     seed: int = 0, lang: str = "en", memo: dict | None = None,
                     record_banned: bool = False) -> CheckReport:
    """The report `check_submission` would give, for an implementation already imported in this
    process (trusted code: the tests' corpora and solutions), without a worker and without
    recording anything. `record_banned` watches for the exercise's banned built-ins as the worker
    does, except that a banned class is seen only through its aten operators (nothing is patched)."""
    started = time.perf_counter()
    recorder = None
    if record_banned and exercise.banned:
        recorder = BannedCallRecorder()
        recorder.ban(list(exercise.banned), patch=False)
    verdicts, diagnosis, plan = _grade_trusted(exercise, implementation, dtype, seed, lang, memo, recorder)
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
    plan, _ = _memoised_plan(exercise, seed, dtype, memo)
    names = _parameter_names(exercise)
    order = sorted(range(len(plan.cases)), key=lambda i: plan.cases[i].name.startswith("random-"))
    for index in order:
        if index in plan.repeats:  # a repeat means something only after the cases before it ran
            continue
        verdict = judge_case(exercise, plan.cases[index], names, plan.sub_requests[index], plan.references[index],
                             run_in_process(exercise, implementation, plan.sub_requests[index]), dtype, "cpu")
        if not verdict.passed:
            return plan.cases[index].name
    for index in plan.repeats:
        verdict = judge_case(exercise, plan.cases[index], names, plan.sub_requests[index], plan.references[index],
                             run_in_process(exercise, implementation, plan.sub_requests[index]), dtype, "cpu")
        if not verdict.passed:
            return plan.cases[index].name
    return None
