"""The exercises' part of the store: `llmprep check` attempts and views of reference solutions.

The command records the attempt (`llmprep check`), never the grader: grading knows nothing of
the store.
"""

from __future__ import annotations

import json
from typing import Any

from llmprep.store.database import Database, database_errors, iso, new_uid, now_utc


class CheckAttempts:
    """Check attempts and solution views."""

    def __init__(self, database: Database):
        self.database = database
        self._db = database.connection

    @database_errors
    def record_attempt(self, exercise_id: str, passed: bool, *, seed: int | None, device: str | None,
                       dtype: str | None, duration_s: float | None, details: dict | None = None) -> None:
        """Record one `llmprep check` run of an exercise."""
        with self.database.write() as db:
            db.execute("INSERT INTO check_attempts (uid, exercise_id, passed, attempted_at, seed, device, dtype,"
                       " duration_s, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (new_uid(), exercise_id, int(bool(passed)), iso(now_utc()), seed, device, dtype, duration_s,
                        json.dumps(details, default=str) if details is not None else None))

    @database_errors
    def status(self, exercise_id: str) -> str:
        """"new" (never checked), "attempted" (checked, never passed) or "passed"."""
        attempts, passes = self._db.execute(
            "SELECT count(*), coalesce(sum(passed), 0) FROM check_attempts WHERE exercise_id = ?",
            (exercise_id,)).fetchone()
        return "passed" if passes else "attempted" if attempts else "new"

    @database_errors
    def summary(self) -> dict[str, dict]:
        """Per exercise checked at least once: attempts, passes, last_result ("passed"/"failed"), last_at,
        and last_file (the file of the last attempt, when it was recorded)."""
        summary: dict[str, dict] = {}
        for exercise_id, attempts, passes, last_at in self._db.execute(
                "SELECT exercise_id, count(*), sum(passed), max(attempted_at) FROM check_attempts"
                " GROUP BY exercise_id ORDER BY exercise_id").fetchall():
            last_passed, details = self._db.execute(
                "SELECT passed, details FROM check_attempts WHERE exercise_id = ? ORDER BY attempted_at DESC, id DESC"
                " LIMIT 1", (exercise_id,)).fetchone()
            summary[exercise_id] = {"attempts": attempts, "passes": passes,
                                    "last_result": "passed" if last_passed else "failed", "last_at": last_at,
                                    "last_file": _file_of(details)}
        return summary

    @database_errors
    def record_solution_view(self, exercise_id: str, forced: bool) -> None:
        """Record that the reference solution was shown (`forced`: before a passing check)."""
        with self.database.write() as db:
            db.execute("INSERT INTO solution_views (uid, exercise_id, viewed_at, forced) VALUES (?, ?, ?, ?)",
                       (new_uid(), exercise_id, iso(now_utc()), int(bool(forced))))

    @database_errors
    def solution_views(self) -> list[dict[str, Any]]:
        """Every recorded view of a solution, oldest first."""
        return self.database.rows("SELECT exercise_id, viewed_at, forced FROM solution_views ORDER BY viewed_at, id")


def _file_of(details: str | None) -> str | None:
    try:
        found = json.loads(details).get("file") if details else None
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None
