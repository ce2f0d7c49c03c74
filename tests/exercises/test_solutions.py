"""Correct solutions written in other styles (tests/exercises/solutions/<id>/*.py) must pass.

They are graded in this process (the same cases, comparison and banned-call record as `check`,
without the worker's start-up, a torch import per file): what the worker adds is tested on every
exercise's reference in test_content.py and on hostile files in tests/grading and tests/sandbox.
A few go through the real worker and CLI too, one per way of calling the entry.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from llmprep.execution.worker_script import load_file
from llmprep.exercises import get_exercise
from llmprep.grading.check import grade_in_process

SOLUTIONS = sorted(Path(__file__).parent.joinpath("solutions").glob("*/*.py"))
IDS = [f"{p.parent.name}/{p.name}" for p in SOLUTIONS]
# One solution per way of calling the entry (function, module, harness) through the worker and CLI.
THROUGH_THE_WORKER = ["softmax/moved_axis_loop.py", "transformer-encoder-block/functional_sdpa.py",
                      "train-step/manual_clip_and_loss.py"]


def _entry(path: Path, entry: str):
    name = "solution_" + re.sub(r"\W", "_", f"{path.parent.name}_{path.stem}")
    module = sys.modules.get(name) or load_file(str(path), name)
    return getattr(module, entry)


@pytest.mark.slow  # 0.3 s each in process, 22 s in all: the fast subset has the mistakes and references
@pytest.mark.parametrize("path", SOLUTIONS, ids=IDS)
def test_solution_in_another_style_passes(path, test_seed):
    # A fixed seed per solution (printed by conftest when the test fails): a failure reproduces with
    # `llmprep check PATH --exercise ID --seed N`.
    exercise = get_exercise(path.parent.name)
    report = grade_in_process(path, exercise, _entry(path, exercise.entry), seed=test_seed, record_banned=True)
    assert report.passed, [(c.name, c.error) for c in report.cases if not c.passed]


def test_the_solutions_through_the_worker_exist():
    assert set(THROUGH_THE_WORKER) <= set(IDS)
    kinds = {get_exercise(i.split("/")[0]).kind for i in THROUGH_THE_WORKER}
    harnessed = [i for i in THROUGH_THE_WORKER if get_exercise(i.split("/")[0]).harness]
    assert kinds == {"function", "module"} and harnessed, (kinds, harnessed)


@pytest.mark.slow  # each check starts a worker process (a torch import)
@pytest.mark.parametrize("solution", THROUGH_THE_WORKER)
def test_solution_passes_through_the_worker(solution, run_cli, test_seed):
    path = Path(__file__).parent / "solutions" / solution
    result = run_cli("check", str(path), "--exercise", path.parent.name, "--json", "--seed", str(test_seed))
    document = json.loads(result.stdout)
    assert document["seed"] == test_seed
    assert result.exit_code == 0, [c for c in document["cases"] if not c["passed"]] or document["problem"]
    assert document["passed"] is True


def test_in_process_grading_records_banned_calls(tmp_path):
    # The in-process grading above must be able to fail a solution the way `check` would.
    path = tmp_path / "uses_the_builtin.py"
    path.write_text("import torch\n\ndef softmax(x, dim=-1):\n    return torch.softmax(x, dim)\n")
    exercise = get_exercise("softmax")
    report = grade_in_process(path, exercise, _entry(path, exercise.entry), seed=0, record_banned=True)
    assert not report.passed
    assert all("called a banned built-in: torch.softmax" in (c.error or "") for c in report.cases)
