"""Every exercise's PyTorch built-in baseline runs on its smallest bench size and agrees with the reference."""

from __future__ import annotations

import json

import pytest

from llmprep.bench.plan import declaration
from llmprep.exercises import list_exercises

pytestmark = pytest.mark.slow  # a bench per exercise

WITH_BUILTIN = [e for e in list_exercises()
                if (bench := declaration(e)[0]) is not None and bench.builtin is not None]


def test_most_exercises_have_a_builtin_baseline():
    assert len(WITH_BUILTIN) >= 15


# Known disagreements, left visible; not strict: bench inputs come from the global RNG, so a run may not hit them.
KNOWN = {
    "kv-cache-decoding": "the no-cache baseline's float32 greedy tokens differ from the cached reference's "
                         "at the bench sizes (the grader's cases avoid near-ties; bench sizes do not)",
    "int8-quantization": "torch.quantize_per_channel rounds w/scale differently from the reference: "
                         "1 code of 1,048,576 is off by one at a bench size",
}
PARAMS = [pytest.param(e, marks=pytest.mark.xfail(strict=False, reason=KNOWN[e.id])) if e.id in KNOWN else e
          for e in WITH_BUILTIN]


@pytest.mark.parametrize("exercise", PARAMS, ids=[e.id for e in WITH_BUILTIN])
def test_the_builtin_runs_and_is_not_found_wrong(exercise, run_cli):
    result = run_cli("bench", "--exercise", exercise.id, "--quick", "--backend", "torch",
                     "--budget", "0.01", "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    torch_rows = [(row, detail) for row, detail in zip(document["rows"], document["details"], strict=True)
                  if row["backend"] == "torch"]
    assert torch_rows, document
    for row, detail in torch_rows:
        assert row["median_ms"] is not None and row["median_ms"] > 0, (row, detail)
        # None only where the built-in has its own weights, so only its speed is comparable;
        # a comparison skipped for any other reason must not pass as "not found wrong".
        assert row["correct"] is True or (row["correct"] is None and "own weights" in (detail["note"] or "")), (row, detail)
