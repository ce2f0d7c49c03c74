"""Every numeric answer of the bank is recomputed from first principles.

Each `tests/bank/recompute_*.py` defines `RECOMPUTE = {question_id: zero-argument function}`.
The bank is read with yaml.safe_load (raw_bank.py), independent of llmprep's loader, so a loader bug
cannot hide a wrong answer. Tolerance as in FORMAT.md: the YAML answer must lie within `abs`
of the recomputed value, or within `rel` times its magnitude (the looser of the two).
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest
from raw_bank import RAW

HERE = Path(__file__).resolve().parent


def _load_recompute() -> tuple[dict[str, tuple[str, object]], list[str]]:
    """Every RECOMPUTE entry with the module it came from, and ids defined in more than one module."""
    entries: dict[str, tuple[str, object]] = {}
    clashes = []
    for path in sorted(HERE.glob("recompute_*.py")):
        spec = importlib.util.spec_from_file_location(f"bank_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        table = getattr(module, "RECOMPUTE", None)
        assert isinstance(table, dict), f"{path.name} must define RECOMPUTE = {{question_id: function}}"
        for question_id, function in table.items():
            assert callable(function), f"{path.name}: RECOMPUTE[{question_id!r}] is not callable"
            if question_id in entries:
                clashes.append(f"{question_id}: in {entries[question_id][0]} and {path.name}")
            entries[question_id] = (path.name, function)
    return entries, clashes


QUESTION_LIST = [q for items in RAW.values() for q in items if isinstance(q, dict)]
NUMERIC = {q.get("id"): q for q in QUESTION_LIST if q.get("type") == "numeric"}
ALL_IDS = {q.get("id") for q in QUESTION_LIST}
RECOMPUTE, CLASHES = _load_recompute()


def test_every_numeric_question_has_exactly_one_recompute_entry():
    missing = sorted(set(NUMERIC) - set(RECOMPUTE))
    assert not missing, f"no RECOMPUTE entry for: {', '.join(missing)}"
    assert not CLASHES, "defined twice:\n" + "\n".join(CLASHES)


def test_no_entry_names_a_missing_or_non_numeric_question():
    stray = [f"{qid} ({module}): " + ("not a numeric question" if qid in ALL_IDS else "no such question")
             for qid, (module, _) in sorted(RECOMPUTE.items()) if qid not in NUMERIC]
    assert not stray, "\n".join(stray)


def _as_float(value) -> float:
    # numpy scalars and 0-d arrays have .item(), as do one-element torch tensors.
    if hasattr(value, "item"):
        value = value.item()
    assert isinstance(value, (int, float)) and not isinstance(value, bool), f"not a number: {value!r}"
    return float(value)


@pytest.mark.parametrize("question_id", sorted(set(NUMERIC) & set(RECOMPUTE)))
def test_yaml_answer_matches_the_recomputed_value(question_id):
    question = NUMERIC[question_id]
    module, function = RECOMPUTE[question_id]
    recomputed = _as_float(function())
    answer = question.get("answer")
    assert isinstance(answer, (int, float)) and not isinstance(answer, bool), f"answer {answer!r} is not a number"
    tolerance = question.get("tolerance") or {}
    assert tolerance.get("abs") is not None or tolerance.get("rel") is not None, "no tolerance"
    allowed = max(float(tolerance.get("abs") or 0.0), float(tolerance.get("rel") or 0.0) * abs(recomputed))
    assert math.isfinite(recomputed), f"{module} recomputes {recomputed}"
    assert abs(float(answer) - recomputed) <= allowed + 1e-12 * abs(recomputed), (
        f"{question_id}: YAML says {answer!r}, {module} recomputes {recomputed!r} (allowed difference {allowed:g})"
    )
