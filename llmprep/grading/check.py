"""One `llmprep check` run: cases, reference, worker, verdicts, diagnosis and error analysis.

The parts: `plan` (the cases, with the framework's edge variants), `trusted` (the reference and
the listed mistakes, run in this process), `judging` (the verdict on one case), `explain` and
`analysis` (what a mismatch no mistake explains is), `verdict` (the report's dataclasses).
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

from llmprep.execution.device import resolve_device
from llmprep.execution.policy import sandbox_summary
from llmprep.execution.process import WorkerProcess, WorkerRequest
from llmprep.exercises import Exercise
from llmprep.grading.cases import reference_entry
from llmprep.grading.compare import CaseResult
from llmprep.grading.explain import explain
from llmprep.grading.judging import _mutations, _parameter_names, describe_inputs, judge_case, scaled
from llmprep.grading.plan import plan_cases
from llmprep.grading.trusted import (
    build_requests,
    check_trusted_implementation,
    diagnose,
    grade_in_process,
    run_in_process,
)
from llmprep.grading.verdict import CheckReport, Diagnosis

DEFAULT_TIMEOUT_S = 60.0

# Names other modules and the tests import from here.
__all__ = ["CheckReport", "Diagnosis", "build_requests", "check_submission", "check_trusted_implementation",
           "grade_in_process", "run_in_process", "scaled", "start_worker", "_mutations"]


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
        plan = plan_cases(exercise, seed, dtype, build_requests,
                          lambda request: run_in_process(exercise, reference_entry(exercise), request))
        cases, sub_requests = plan.cases, plan.sub_requests
        references = list(plan.references)  # now, while the worker imports torch
        names = _parameter_names(exercise)
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
                         sandbox=sandbox_summary(run.sandbox), lang=lang)
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
