"""One `llmprep check` run: cases, reference, worker, verdicts, diagnosis."""

from __future__ import annotations

import inspect
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from llmprep.execution.calling import CaseOutcome, CaseRequest, Gradients, cast_floats, tensor_slots
from llmprep.execution.device import resolve_device
from llmprep.execution.policy import sandbox_summary
from llmprep.execution.process import WorkerProcess, WorkerRequest
from llmprep.execution.trusted import run_trusted as run_trusted_code
from llmprep.exercises import Exercise, Tolerance
from llmprep.grading.cases import (
    Case,
    load_mistakes,
    load_module,
    make_cases,
    reference_entry,
    run_properties,
)
from llmprep.grading.compare import (
    CaseResult,
    Errors,
    Expectation,
    compare_tensors,
    compare_values,
    shape_text,
    values_match,
)

DEFAULT_TIMEOUT_S = 60.0


@dataclass
class Diagnosis:
    """A mistake whose output reproduces the submission's on every failing case."""

    id: str
    message: str


@dataclass
class CheckReport:
    """The whole verdict, as `llmprep check` prints it."""

    exercise: Exercise
    submission: Path
    passed: bool
    seed: int
    device: str
    dtype: str
    cases: list[CaseResult]
    diagnosis: list[Diagnosis] = field(default_factory=list)
    problem: str | None = None          # a failure before any case ran (import error, no entry)
    problem_traceback: str | None = None
    stdout: str = ""
    stderr: str = ""
    duration_s: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    sandbox: dict = field(default_factory=dict)  # which isolation layers held the worker

    @property
    def first_failure(self) -> CaseResult | None:
        """The first case that failed, if any."""
        return next((c for c in self.cases if not c.passed), None)

    def to_json(self) -> dict:
        """The document of `llmprep check --json`."""
        return {
            "exercise": self.exercise.id,
            "passed": self.passed,
            "seed": self.seed,
            "device": self.device,
            "dtype": self.dtype,
            "cases": [c.to_json() for c in self.cases],
            "diagnosis": [{"id": d.id, "message": d.message} for d in self.diagnosis],
            "problem": self.problem,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "duration_s": round(self.duration_s, 3),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "sandbox": self.sandbox,
        }


# ---------------------------------------------------------------- inputs


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
            torch.manual_seed(case_seed)
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


def run_trusted(exercise: Exercise, implementation: Any, request: CaseRequest) -> CaseOutcome:
    """Run the reference or a mistake in this process, the way the worker runs a submission
    (under one torch thread, as in the worker)."""
    harness = load_module(exercise, exercise.harness).run if exercise.harness else None
    return run_trusted_code(implementation, exercise.kind, request, harness)


# ---------------------------------------------------------------- describing cases


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


# ---------------------------------------------------------------- judging


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


# ---------------------------------------------------------------- diagnosis


def scaled(tolerance: Tolerance, factor: float) -> Tolerance:
    """A tolerance with atol and rtol multiplied by `factor`."""
    return tolerance if factor == 1.0 else Tolerance(tolerance.atol * factor, tolerance.rtol * factor)


def diagnose(exercise: Exercise, cases: list[Case], verdicts: list[CaseResult], requests: list[CaseRequest],
             dtype: str, lang: str, run: Callable[[Any, int], CaseOutcome] | None = None) -> list[Diagnosis]:
    """Mistakes that reproduce the submission's output on every case it got wrong by value.

    Each mistake runs on the submission's own inputs in the submission's dtype (on the CPU),
    so a mistake that only bites through float32 underflow bites the same way here.
    """
    failing = [i for i, v in enumerate(verdicts)
               if not v.passed and v.output is not None and v.error
               and (v.error.startswith("wrong values") or v.error.startswith("non-finite"))]
    if not failing:
        return []
    found = []
    for mistake in load_mistakes(exercise):
        matched = True
        for i in failing:
            tolerance = scaled(exercise.tolerance(dtype), cases[i].tolerance_scale)
            outcome = (run(mistake.implementation, i) if run is not None
                       else run_trusted(exercise, mistake.implementation, replace(requests[i], grad=False)))
            if outcome.error is not None or not values_match(outcome.output, verdicts[i].output, tolerance):
                matched = False
                break
        if matched:
            found.append(Diagnosis(mistake.id, mistake.message(lang)))
    return found


# ---------------------------------------------------------------- the run


def start_worker(file: Path, exercise: Exercise, *, device: str = "auto",
                 timeout_s: float = DEFAULT_TIMEOUT_S) -> WorkerProcess:
    """A worker for checking `file`, started now (it imports torch while the caller does other work)."""
    harness = str(exercise.path(exercise.harness)) if exercise.harness else None
    return WorkerProcess(timeout_s, device=device, readable=[str(file.resolve())] + ([harness] if harness else []))


def check_submission(file: Path, exercise: Exercise, *, device: str = "auto", dtype: str = "float32",
                     seed: int | None = None, timeout_s: float = DEFAULT_TIMEOUT_S, lang: str = "en",
                     worker: WorkerProcess | None = None) -> CheckReport:
    """Grade `file` as a solution of `exercise` (the command, not the grader, records the attempt).

    `worker`: one from `start_worker` for this file, started ahead of time (`llmprep watch`)."""
    started = time.perf_counter()
    file = file.resolve()
    seed = secrets.randbelow(2**31) if seed is None else seed
    # Start the worker first: it imports torch while this process does the same.
    harness = str(exercise.path(exercise.harness)) if exercise.harness else None
    worker = worker or start_worker(file, exercise, device=device, timeout_s=timeout_s)
    try:
        resolved, _ = resolve_device(device, "llmprep check")
        cases = make_cases(exercise, seed)
        names = _parameter_names(exercise)
        sub_requests, ref_requests = build_requests(exercise, cases, dtype, seed)
        references = [run_trusted(exercise, reference_entry(exercise), r) for r in ref_requests]
        prepared = time.perf_counter()
        worker.wait_ready_or_fail("grading")
        ready = time.perf_counter()
        worker.send(WorkerRequest(submission=str(file), entry=exercise.entry, kind=exercise.kind, device=resolved,
                                  banned=list(exercise.banned), harness=harness), sub_requests)
        run = worker.collect(len(cases))
    except BaseException:
        worker.close()
        raise

    report = CheckReport(exercise=exercise, submission=file, passed=False, seed=seed, device=resolved,
                         dtype=dtype, cases=[], stdout=run.stdout, stderr=run.stderr,
                         sandbox=sandbox_summary(run.sandbox))
    if run.import_error is not None:
        error = run.import_error
        where = f" (line {error['line']})" if error.get("line") else ""
        report.problem = f"the file failed to import: {error.get('type')}: {error.get('message')}{where}"
        report.problem_traceback = error.get("traceback")
    elif run.missing_entry is not None:
        shown = ", ".join(run.missing_entry[:12]) or "nothing"
        report.problem = (f"the file defines no `{exercise.entry}` (it defines: {shown}); "
                          f"the exercise asks for {exercise.signature}")
    for index, case in enumerate(cases):
        if index in run.cases:
            verdict = judge_case(exercise, case, names, sub_requests[index], references[index],
                                 run.cases[index], dtype, resolved)
        else:
            verdict = CaseResult(case.name, describe_inputs(case, names), False,
                                 error=_missing_reason(report, run, index, timeout_s))
        report.cases.append(verdict)
    report.passed = report.problem is None and all(c.passed for c in report.cases)
    if not report.passed and report.problem is None:
        report.diagnosis = diagnose(exercise, cases, report.cases, sub_requests, dtype, lang)
    report.duration_s = time.perf_counter() - started
    report.timings = {"prepare_s": prepared - started, "wait_worker_s": ready - prepared, **run.timings,
                      "total_s": report.duration_s}
    return report


def _missing_reason(report: CheckReport, run: Any, index: int, timeout_s: float) -> str:
    if report.problem:
        return "not run: " + report.problem
    first_missing = min(i for i in range(index + 1) if i not in run.cases)
    if index != first_missing:
        return "not run"
    if run.ended == "timeout":
        return f"timed out: still running after {timeout_s:g} s (see --timeout)"
    if run.ended == "channel":
        return "the worker's result channel was corrupted while this case ran"
    return f"the process ended while this case ran ({run.exit_status or 'no result'})"


def check_trusted_implementation(exercise: Exercise, implementation: Any, *, dtype: str = "float32",
                                 seed: int = 0, lang: str = "en",
                                 memo: dict | None = None) -> tuple[list[CaseResult], list[Diagnosis]]:
    """Grade a trusted implementation (a mistake, the reference) in this process, without a worker.

    The same cases, comparison and diagnosis as `check_submission`, minus the sandbox and the
    banned-call recorder: for the content tests, which run every mistake of every exercise.
    `memo` (a dict the caller keeps) reuses cases and runs across calls with the same exercise,
    seed and dtype: grading each of M mistakes would otherwise rerun all M to diagnose it.
    """
    memo = {} if memo is None else memo
    key = (exercise.id, seed, dtype)
    if key not in memo:
        cases = make_cases(exercise, seed)
        memo[key] = (cases, *build_requests(exercise, cases, dtype, seed), {})
    cases, sub_requests, ref_requests, runs = memo[key]
    names = _parameter_names(exercise)

    def run(impl: Any, index: int, *, reference: bool = False, grad: bool = True) -> CaseOutcome:
        run_key = (id(impl), index, reference, grad)
        if run_key not in runs:
            request = ref_requests[index] if reference else sub_requests[index]
            runs[run_key] = run_trusted(exercise, impl, request if grad else replace(request, grad=False))
        return runs[run_key]

    verdicts = []
    reference_impl = reference_entry(exercise)
    for index, case in enumerate(cases):
        reference = run(reference_impl, index, reference=True)
        result = run(implementation, index)
        verdicts.append(judge_case(exercise, case, names, sub_requests[index], reference, result, dtype, "cpu"))
    diagnosis = [] if all(v.passed for v in verdicts) else diagnose(
        exercise, cases, verdicts, sub_requests, dtype, lang, run=lambda impl, i: run(impl, i, grad=False))
    return verdicts, diagnosis
