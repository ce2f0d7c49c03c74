"""The grader on a real GPU: every reference through sandboxed workers on CUDA, skipped, saying
why, on a machine without CUDA.

The workers are forked from the fork server (which imported torch but never touched CUDA), so
each initialises CUDA itself; one check also runs in an exec'd worker. The distributed exercises
run their ranks on the CPU; on a machine with a GPU, autograd's device threads must not have been
started in the process their ranks are forked from, which these checks would show.
"""

from __future__ import annotations

import pytest
import torch

from llmprep.exercises import get_exercise, list_exercises
from llmprep.grading.check import check_submission

pytestmark = [pytest.mark.skipif(not torch.cuda.is_available(),
                                 reason="needs a CUDA GPU (torch.cuda.is_available() is False here); "
                                        "run scripts/gpu-check on a machine with one"),
              pytest.mark.slow]

EXERCISES = [exercise.id for exercise in list_exercises()]


def _failed_cases(report) -> list[str]:
    document = report.to_json()
    return [f"{case.get('name')}: {case.get('error') or case.get('message')}"
            for case in document.get("cases", []) if not case.get("passed")] or [str(document.get("error"))]


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_reference_passes_on_cuda_in_a_forked_worker(exercise_id, monkeypatch):
    monkeypatch.setenv("LLMPREP_WORKER_START", "fork")
    exercise = get_exercise(exercise_id)
    report = check_submission(exercise.path("reference.py"), exercise, device="cuda", seed=0)
    assert report.passed, (exercise_id, _failed_cases(report)[:3])
    assert report.to_json()["device"] == "cuda"


@pytest.mark.parametrize("exercise_id", ["data-parallel-step", "tensor-parallel-linear"])
def test_the_distributed_references_pass_on_the_cpu_of_a_gpu_machine(exercise_id):
    exercise = get_exercise(exercise_id)
    report = check_submission(exercise.path("reference.py"), exercise, device="cpu", seed=1)
    assert report.passed, (exercise_id, _failed_cases(report)[:3])


def test_an_exec_worker_runs_on_cuda_too(monkeypatch):
    monkeypatch.setenv("LLMPREP_WORKER_START", "exec")
    exercise = get_exercise("scaled-dot-product-attention")
    report = check_submission(exercise.path("reference.py"), exercise, device="cuda", seed=2)
    assert report.passed, _failed_cases(report)[:3]
