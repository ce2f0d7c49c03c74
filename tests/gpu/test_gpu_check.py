"""The grader on a real GPU: every reference through the sandboxed worker on CUDA, skipped, saying
why, on a machine without CUDA.

A worker that may use CUDA is exec'd (not forked from the fork server) and runs without a pid
namespace, with writes to its own /proc entries: on an H200, CUDA did not start otherwise. The
distributed exercises run their ranks on the CPU, forked from the process that runs the entry.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from llmprep.exercises import get_exercise, list_exercises
from llmprep.grading.check import check_submission

pytestmark = [pytest.mark.skipif(not torch.cuda.is_available(),
                                 reason="needs a CUDA GPU (torch.cuda.is_available() is False here); "
                                        "run scripts/gpu-check on a machine with one"),
              pytest.mark.slow]

# The distributed exercises fork their ranks from the process that computes the reference, here
# pytest's, which has run backward passes: they are checked through the CLI below, as users run them.
DISTRIBUTED = ("data-parallel-step", "tensor-parallel-linear")
EXERCISES = [exercise.id for exercise in list_exercises() if exercise.id not in DISTRIBUTED]
REPO = Path(__file__).resolve().parents[2]


def _failed_cases(report) -> list[str]:
    document = report.to_json()
    return [f"{case.get('name')}: {case.get('error') or case.get('message')}"
            for case in document.get("cases", []) if not case.get("passed")] or [str(document.get("error"))]


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_reference_passes_on_cuda_in_the_sandboxed_worker(exercise_id):
    exercise = get_exercise(exercise_id)
    report = check_submission(exercise.path("reference.py"), exercise, device="cuda", seed=0)
    assert report.passed, (exercise_id, _failed_cases(report)[:3])
    assert report.to_json()["device"] == "cuda"


def _cli_check(*args: str) -> tuple[int, dict]:
    """`llmprep check ... --json` in a fresh process, as a user runs it (llmprep's own process then
    has run no backward before the distributed harnesses fork their ranks)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "llmprep", "check", *args, "--json"], capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=300)
    try:
        return done.returncode, json.loads(done.stdout)
    except ValueError:
        return done.returncode, {"stdout": done.stdout[-2000:], "stderr": done.stderr[-2000:]}


@pytest.mark.parametrize("device", ["cuda", "cpu"])
@pytest.mark.parametrize("exercise_id", DISTRIBUTED)
def test_the_distributed_references_pass_on_a_gpu_machine(exercise_id, device):
    reference = get_exercise(exercise_id).path("reference.py")
    code, document = _cli_check(str(reference), "--exercise", exercise_id, "--device", device, "--seed", "1")
    assert code == 0 and document.get("passed"), document


def test_a_wrong_data_parallel_step_is_diagnosed_on_a_gpu_machine():
    """The diagnosis runs mistakes and properties in llmprep's process, whose ranks are forked too."""
    wrong = REPO / "tests" / "exercises" / "unseen" / "data-parallel-step" / "returns_global_loss.py"
    named_if = re.search(r"^named_if: (.*)$", wrong.read_text(), re.M).group(1)
    code, document = _cli_check(str(wrong), "--exercise", "data-parallel-step", "--seed", "1")
    assert code == 1, document
    assert re.search(named_if, json.dumps(document, ensure_ascii=False), re.I), document


def test_a_cuda_worker_reports_the_layers_that_held_it():
    exercise = get_exercise("scaled-dot-product-attention")
    report = check_submission(exercise.path("reference.py"), exercise, device="cuda", seed=2)
    assert report.passed, _failed_cases(report)[:3]
    sandbox = report.to_json()["sandbox"]
    assert "filesystem" in sandbox["enforced"] and "pid namespace" in sandbox["not_enforced"], sandbox
