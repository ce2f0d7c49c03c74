"""The bench's part of the store: one row per bench run (its device) and the rows it measured."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from llmprep.store.database import Database, database_errors, iso, new_uid, now_utc

_LATEST = 2**62  # "before_run" when there is no run to be before


def device_name(device: dict) -> str:
    """The name that identifies a device across runs."""
    return str(device.get("name") or device.get("device") or "unknown")


def size_key(size: Any) -> str | None:
    """Sizes may be ints or dicts ({"T": 1024, ...}); a canonical text compares equal for equal sizes."""
    return None if size is None else json.dumps(size, sort_keys=True, default=str)


def insert_run(db: sqlite3.Connection, uid: str, run_at: str, device: dict, rows: list[dict]) -> int:
    """Insert one run and its rows (inside a write); returns the run id."""
    cursor = db.execute("INSERT INTO bench_runs (uid, run_at, device_name, device) VALUES (?, ?, ?, ?)",
                        (uid, run_at, device_name(device), json.dumps(device, default=str)))
    run_id = cursor.lastrowid
    db.executemany(
        "INSERT INTO bench_rows (run_id, exercise, backend, size, dtype, median_ms, row) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(run_id, row.get("exercise"), row.get("backend"), size_key(row.get("size")), row.get("dtype"),
          row.get("median_ms"), json.dumps(row, default=str)) for row in rows])
    return run_id


class BenchRuns:
    """Bench runs and their rows."""

    def __init__(self, database: Database):
        self.database = database
        self._db = database.connection

    @database_errors
    def record_run(self, device: dict, rows: list[dict]) -> int:
        """Record one bench run: the device (its `name` identifies it) and the rows of `--json`; returns the run id."""
        with self.database.write() as db:
            return insert_run(db, new_uid(), iso(now_utc()), device, rows)

    @database_errors
    def previous_rows(self, device_name: str, dtype: str, *, before_run: int | None = None) -> list[dict]:
        """The rows of the latest run on this device with this dtype (call before recording the new run,
        or pass the new run's id as `before_run`); [] when there is none."""
        found = self._db.execute(
            "SELECT r.id FROM bench_runs r WHERE r.device_name = ? AND r.id < ? AND EXISTS"
            " (SELECT 1 FROM bench_rows b WHERE b.run_id = r.id AND b.dtype = ?) ORDER BY r.run_at DESC, r.id DESC"
            " LIMIT 1", (device_name, before_run if before_run is not None else _LATEST, dtype)).fetchone()
        if found is None:
            return []
        return [json.loads(row) for (row,) in self._db.execute(
            "SELECT row FROM bench_rows WHERE run_id = ? AND dtype = ? ORDER BY rowid", (found[0], dtype))]

    @database_errors
    def earlier_row(self, device_name: str, exercise: str, backend: str, size: Any, dtype: str,
                    before_run: int | None = None) -> dict | None:
        """The latest row with a median measured before run `before_run` (default: any) with the same device,
        exercise, backend, size and dtype, with its `run_id` and `run_at`; None when there is none."""
        found = self._db.execute(
            "SELECT b.row, r.id, r.run_at FROM bench_rows b JOIN bench_runs r ON r.id = b.run_id"
            " WHERE r.device_name = ? AND b.exercise IS ? AND b.backend IS ? AND b.size IS ? AND b.dtype IS ?"
            " AND typeof(b.median_ms) IN ('real', 'integer') AND r.id < ? ORDER BY r.run_at DESC, r.id DESC, b.rowid DESC LIMIT 1",
            (device_name, exercise, backend, size_key(size), dtype,
             before_run if before_run is not None else _LATEST)).fetchone()
        return None if found is None else {**json.loads(found[0]), "run_id": found[1], "run_at": found[2]}

    @database_errors
    def best_rows(self) -> list[dict]:
        """The fastest row ever measured per (device, exercise, backend, size, dtype), each with `device_name` and
        `run_at`. Rows whose median is not a number (imported before imports were checked) are left out."""
        rows = self._db.execute(
            "SELECT r.device_name, r.run_at, b.row FROM bench_rows b JOIN bench_runs r ON r.id = b.run_id"
            " WHERE typeof(b.median_ms) IN ('real', 'integer') AND b.rowid = (SELECT b2.rowid FROM bench_rows b2"
            " JOIN bench_runs r2 ON r2.id = b2.run_id WHERE r2.device_name = r.device_name"
            " AND b2.exercise IS b.exercise AND b2.backend IS b.backend AND b2.size IS b.size AND b2.dtype IS b.dtype"
            " AND typeof(b2.median_ms) IN ('real', 'integer') ORDER BY b2.median_ms, b2.rowid LIMIT 1)"
            " ORDER BY r.device_name, b.exercise, b.backend, b.dtype, b.size")
        return [{**json.loads(row), "device_name": device_name, "run_at": run_at} for device_name, run_at, row in rows]

    @database_errors
    def runs(self) -> list[dict[str, Any]]:
        """Every run with its rows, oldest first (what an export holds)."""
        runs = []
        for run_id, uid, run_at, device in self._db.execute(
                "SELECT id, uid, run_at, device FROM bench_runs ORDER BY id").fetchall():
            rows = [json.loads(row) for (row,) in self._db.execute(
                "SELECT row FROM bench_rows WHERE run_id = ? ORDER BY rowid", (run_id,))]
            runs.append({"uid": uid, "run_at": run_at, "device": json.loads(device), "rows": rows})
        return runs
