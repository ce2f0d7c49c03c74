"""One `llmprep check` run: cases, reference, worker, verdicts, diagnosis."""

from __future__ import annotations

import inspect
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmprep.errors import UserError
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
from llmprep.grading.analysis import Finding
from llmprep.grading.explain import explain, failure_kind
from llmprep.grading.plan import plan_cases
from llmprep.grading.sandbox import DEFAULT_MEMORY_BYTES, WorkerProcess

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
    findings: list[Finding] = field(default_factory=list)  # the error analysis, when no mistake matches
    problem: str | None = None          # a failure before any case ran (import error, no entry)
    problem_traceback: str | None = None
    stdout: str = ""
    stderr: str = ""
    duration_s: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    lang: str = "en"

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
            "findings": [{"id": f.id, "message": f.message(self.lang)} for f in self.findings],
            "problem": self.problem,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "duration_s": round(self.duration_s, 3),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


# ---------------------------------------------------------------- inputs


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


def judge_case(exercise: Exercise, case: Case, names: list[str], sub_request: dict, reference: dict,
               result: dict, dtype: str, device: str) -> CaseResult:
    """The verdict on one case from the submission's raw result and the reference's."""
    verdict = CaseResult(name=case.name, shapes=describe_inputs(case, names), passed=False,
                         seconds=result.get("seconds"))
    if "error" in reference:
        raise RuntimeError(f"the reference of {exercise.id} failed on case {case.name}: {reference['error']}")
    if "error" in result:
        error = result["error"]
        where = f" (line {error['line']})" if error.get("line") else ""
        verdict.error = f"{error.get('type')}: {error.get('message')}{where}"
        verdict.traceback = error.get("traceback")
        verdict.kind, verdict.error_type, verdict.error_line = "error", error.get("type"), error.get("line")
        return verdict
    verdict.output = result.get("output")
    problems: list[str] = []
    banned = result.get("banned_used") or []
    if banned:
        problems.append("called a banned built-in: " + ", ".join(banned))

    tolerance = scaled(exercise.tolerance(dtype), case.tolerance_scale)
    expect = Expectation(dtype=exercise.output_dtype or dtype, device=device)
    errors = Errors()
    mismatch = compare_values(reference["output"], verdict.output, tolerance, expect, errors)
    verdict.max_abs_err, verdict.max_rel_err = errors.max_abs, errors.max_rel
    if mismatch:
        problems.append(mismatch.message)
        verdict.detail = mismatch.detail
    problems += _mutations(sub_request, result.get("inputs_after"), names)
    if not mismatch:
        problems += _gradient_problems(exercise, reference.get("grads"), result.get("grads"), dtype, names,
                                       case.tolerance_scale)
        problems += run_properties(exercise, case, verdict.output, reference["output"])
    verdict.passed = not problems
    verdict.error = "; ".join(problems) or None
    verdict.kind = failure_kind(verdict.error, raised=False)
    return verdict


def _mutations(request: dict, after: Any, names: list[str]) -> list[str]:
    import torch

    if not isinstance(after, dict):
        return []
    sent = {str(i): v for i, v in enumerate(request["args"]) if isinstance(v, torch.Tensor)}
    sent.update({k: v for k, v in request["kwargs"].items() if isinstance(v, torch.Tensor)})
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


def _gradient_problems(exercise: Exercise, reference: Any, got: Any, dtype: str,
                       names: list[str], tolerance_scale: float = 1.0) -> list[str]:
    if not isinstance(reference, dict) or "error" in reference:
        return []
    if not isinstance(got, dict):
        return ["no gradients came back"]
    if "error" in got:
        return [f"gradient: {got['error']}"]
    tolerance = scaled(exercise.tolerance(dtype, grad=True), tolerance_scale)
    expect = Expectation(dtype=dtype, device=None)
    problems = []
    for group, label in (("inputs", "input"), ("params", "parameter")):
        for name, ref_grad in reference.get(group, {}).items():
            shown = _slot_name(name, names) if group == "inputs" else name
            if ref_grad is None:
                continue
            sub_grad = got.get(group, {}).get(name)
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


def diagnose(exercise: Exercise, cases: list[Case], verdicts: list[CaseResult], requests: list[dict],
             dtype: str, lang: str, run: Callable[[Any, int], dict] | None = None) -> list[Diagnosis]:
    """Mistakes that reproduce the submission's output on every case it got wrong by value.

    Each mistake runs on the submission's own inputs in the submission's dtype (on the CPU),
    so a mistake that only bites through float32 underflow bites the same way here.
    """
    failing = [i for i, v in enumerate(verdicts)
               if not v.passed and v.output is not None and v.error
               and (v.error.startswith("wrong values") or v.error.startswith("non-finite"))]
    # A mistake reproduces an exception by raising the same type on the same case.
    # Only when no case failed by value: otherwise the values decide, as they always have.
    raising = [] if failing else [i for i, v in enumerate(verdicts) if not v.passed and v.kind == "error"]
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


# ---------------------------------------------------------------- the run


def resolve_device(requested: str) -> str:
    """"cpu", or "cuda" when asked for (or "auto") and available; UserError when asked for and absent."""
    import torch

    if requested == "cpu":
        return "cpu"
    if torch.cuda.is_available():
        return "cuda"
    if requested == "cuda":
        raise UserError("--device cuda was asked for, but torch sees no CUDA device",
                        where="llmprep check --device cuda",
                        fix="run `llmprep doctor` to see why, or use --device cpu (or auto)")
    return "cpu"


def check_submission(file: Path, exercise: Exercise, *, device: str = "auto", dtype: str = "float32",
                     seed: int | None = None, timeout_s: float = DEFAULT_TIMEOUT_S, lang: str = "en") -> CheckReport:
    """Grade `file` as a solution of `exercise` (the command, not the grader, records the attempt)."""
    started = time.perf_counter()
    file = file.resolve()
    seed = secrets.randbelow(2**31) if seed is None else seed
    # Start the worker first: it imports torch while this process does the same.
    surely_cpu = device == "cpu" or not os.path.exists("/dev/nvidiactl")
    worker = WorkerProcess(timeout_s, memory_bytes=DEFAULT_MEMORY_BYTES if surely_cpu else None)
    try:
        resolved = resolve_device(device)
        plan = plan_cases(exercise, seed, dtype, build_requests,
                          lambda request: run_trusted(exercise, reference_entry(exercise), request))
        cases, sub_requests, references = plan.cases, plan.sub_requests, plan.references
        names = _parameter_names(exercise)
        prepared = time.perf_counter()
        if not worker.wait_ready():
            worker.close()
            raise UserError("the grading worker could not start (python or torch failed to import)",
                            where=worker.run.stderr[-500:] or None, fix="run `llmprep doctor`")
        ready = time.perf_counter()
        worker.send({"submission": str(file), "entry": exercise.entry, "kind": exercise.kind,
                     "device": resolved, "banned": list(exercise.banned),
                     "harness": str(exercise.path(exercise.harness)) if exercise.harness else None},
                    sub_requests)
        run = worker.collect(len(cases))
    except BaseException:
        worker.close()
        raise

    report = CheckReport(exercise=exercise, submission=file, passed=False, seed=seed, device=resolved,
                         dtype=dtype, cases=[], stdout=run.stdout, stderr=run.stderr, lang=lang)
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
        if not report.diagnosis:
            report.findings = explain(exercise, plan, report.cases, names, dtype)
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
