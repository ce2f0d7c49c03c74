"""The seam to the progress store (`llmprep.store`, issue 5), looked up lazily.

When the store module is absent (an older checkout) checks still run; their attempts are
simply not recorded, and `solution` then needs `--force`.
"""

from __future__ import annotations

import importlib
from typing import Any


def _store_module() -> Any:
    try:
        return importlib.import_module("llmprep.store")
    except ModuleNotFoundError as exc:
        if exc.name == "llmprep.store":
            return None
        raise


def store_available() -> bool:
    """True when llmprep has a progress store."""
    return _store_module() is not None


def record_check_attempt(exercise_id: str, passed: bool, *, seed: int, device: str, dtype: str,
                         duration_s: float, details: dict | None = None) -> bool:
    """Record one check in the store; False when there is no store."""
    store = _store_module()
    if store is None:
        return False
    with store.open_store() as db:
        db.record_check_attempt(exercise_id, passed, seed=seed, device=device, dtype=dtype,
                                duration_s=duration_s, details=details)
    return True


def exercise_statuses(exercise_ids: list[str]) -> dict[str, str] | None:
    """"new" / "attempted" / "passed" per exercise, or None when there is no store."""
    store = _store_module()
    if store is None:
        return None
    with store.open_store() as db:
        return {exercise_id: db.exercise_status(exercise_id) for exercise_id in exercise_ids}


def has_passed(exercise_id: str) -> bool:
    """True when a passing check of this exercise is recorded."""
    statuses = exercise_statuses([exercise_id])
    return bool(statuses) and statuses[exercise_id] == "passed"


def record_solution_viewed(exercise_id: str, forced: bool) -> bool:
    """Record that the solution was shown; False when there is no store."""
    store = _store_module()
    if store is None:
        return False
    with store.open_store() as db:
        db.record_solution_viewed(exercise_id, forced)
    return True
