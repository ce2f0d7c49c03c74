"""Export the store to one versioned JSON file, and merge such a file back in.

An import is read and validated whole before anything is written (`export_format`); then it is
written in short batches, so a quiz answering at the same time waits milliseconds, not the whole
import. Every entry carries a uid, so an import that stopped half way is finished by running it
again, and nothing is ever added twice. Cards are rebuilt by replaying their review log.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llmprep.errors import UserError
from llmprep.messages import said
from llmprep.store.bench import insert_run
from llmprep.store.database import database_errors, iso, now_utc
from llmprep.store.export_format import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    MAX_IMPORT_BYTES,
    Export,
    describe_problems,
)
from llmprep.store.migrations import SCHEMA_VERSION
from llmprep.store.reviews import AdvanceCard, ReviewRecord, insert_review, rebuild_card

if TYPE_CHECKING:
    from llmprep.store.opening import Store

# Entries written per transaction; each transaction holds the write lock for milliseconds, and the
# lock is then left free for as long again, so a quiz waiting on it (busy timeout) gets in.
BATCH_SIZE = 200
MAX_PAUSE_S = 0.05
FIX_EXPORT = said("progress.import_fix")


@database_errors
def export_document(store: Store) -> dict[str, Any]:
    """Everything in the store as one versioned JSON document (cards are rebuilt from the log on import)."""
    attempts = store.database.rows("SELECT uid, exercise_id, passed, attempted_at, seed, device, dtype, duration_s,"
                                   " details FROM check_attempts ORDER BY attempted_at, id")
    for attempt in attempts:
        attempt["passed"] = bool(attempt["passed"])
        attempt["details"] = json.loads(attempt["details"]) if attempt["details"] else None
    reviews = store.reviews.log()
    for review in reviews:
        review["correct"] = None if review["correct"] is None else bool(review["correct"])
    views = store.database.rows("SELECT uid, exercise_id, viewed_at, forced FROM solution_views"
                                " ORDER BY viewed_at, id")
    for view in views:
        view["forced"] = bool(view["forced"])
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "schema": SCHEMA_VERSION,
            "exported_at": iso(now_utc()), "reviews": reviews, "check_attempts": attempts,
            "solution_views": views, "bench_runs": store.bench.runs(),
            "content_changes": store.reviews.content_changes()}


def export_progress(store: Store, path: Path) -> dict[str, int]:
    """Write the whole store to `path` as versioned JSON, atomically: a failure leaves no file behind."""
    document = export_document(store)
    text = json.dumps(document, ensure_ascii=False, indent=1)
    path = Path(path)
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.",
                                             suffix=".partial")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        raise UserError(said("progress.export_unwritable", reason=error.strerror), where=str(path),
                        fix=said("progress.export_unwritable_fix")) from error
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    return {key: len(document[key]) for key in
            ("reviews", "check_attempts", "solution_views", "bench_runs", "content_changes")}


def read_export(path: Path) -> Export:
    """Read and validate an export file whole; a UserError names the first problems."""
    path = Path(path)
    source = str(path)
    try:
        info = path.stat()
    except FileNotFoundError as error:
        raise UserError(said("progress.import_no_file"), where=source, fix=said("progress.import_no_file_fix")) \
            from error
    except OSError as error:
        raise UserError(said("progress.import_unreadable", reason=error.strerror), where=source,
                        fix=said("progress.import_unreadable_fix")) from error
    # Checked before opening: a FIFO would block the open, /dev/zero would never end.
    if not stat.S_ISREG(info.st_mode):
        raise UserError(said("progress.import_not_regular"), where=source, fix=FIX_EXPORT)
    if info.st_size > MAX_IMPORT_BYTES:
        raise UserError(said("progress.import_too_big", size=f"{info.st_size / 2**20:.0f}",
                             limit=f"{MAX_IMPORT_BYTES / 2**20:.0f}"), where=source, fix=said("progress.import_too_big_fix"))
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as error:
        raise UserError(said("progress.import_unreadable", reason=error.strerror), where=source,
                        fix=said("progress.import_unreadable_fix")) from error
    if len(data) > MAX_IMPORT_BYTES:
        raise UserError(said("progress.import_grew"), where=source, fix=FIX_EXPORT)
    return parse_export(data, source)


def parse_export(data: bytes | str, source: str) -> Export:
    """Parse and validate an export's text; a UserError names the first problems."""
    from pydantic import ValidationError

    try:
        document = json.loads(data)
    except RecursionError as error:
        raise UserError(said("progress.import_too_deep_json"), where=source,
                        fix=FIX_EXPORT) from error
    except UnicodeDecodeError as error:
        raise UserError(said("progress.import_not_utf8"), where=source, fix=FIX_EXPORT) from error
    except ValueError as error:  # JSONDecodeError, and integers of more than 4300 digits
        raise UserError(said("progress.import_not_json", error=str(error)), where=source, fix=FIX_EXPORT) from error
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise UserError(said("progress.import_not_export"), where=source, fix=FIX_EXPORT)
    version = document.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > EXPORT_VERSION:
        raise UserError(said("progress.import_newer", version=version, supported=EXPORT_VERSION),
                        where=source, fix=said("progress.import_newer_fix"))
    try:
        return Export.model_validate(document)
    except ValidationError as error:
        problems = describe_problems(error)
        more = error.error_count() - len(problems)
        what = said("progress.import_invalid_more", problems="; ".join(problems), more=more) if more > 0 \
            else said("progress.import_invalid", problems="; ".join(problems))
        raise UserError(what, where=source, fix=FIX_EXPORT) from error
    except RecursionError as error:
        raise UserError(said("progress.import_too_deep"), where=source,
                        fix=FIX_EXPORT) from error


@database_errors
def import_export(store: Store, export: Export, advance: AdvanceCard) -> dict[str, int]:
    """Merge a validated export into the store; entries already here (same uid) are skipped and the
    cards touched are rebuilt by replaying their whole review log. Returns what was added."""
    from datetime import datetime

    database = store.database
    added = {"reviews": 0, "check_attempts": 0, "solution_views": 0, "bench_runs": 0, "content_changes": 0}
    touched: dict[str, None] = {}
    for batch in _batches(export.reviews):
        with _paced_write(database) as db:
            for review in batch:
                record = ReviewRecord(review.card_id, review.question_id, review.topic,
                                      datetime.fromisoformat(review.reviewed_at), review.rating, review.correct,
                                      review.given, review.seconds, review.content_hash, review.uid)
                if insert_review(db, record):
                    added["reviews"] += 1
                    touched[review.card_id] = None
    for batch in _batches(list(touched), size=max(1, BATCH_SIZE // 10)):
        with _paced_write(database) as db:
            for card_id in batch:
                rebuild_card(db, card_id, advance)
    for batch in _batches(export.check_attempts):
        with _paced_write(database) as db:
            for attempt in batch:
                added["check_attempts"] += db.execute(
                    "INSERT OR IGNORE INTO check_attempts (uid, exercise_id, passed, attempted_at, seed, device,"
                    " dtype, duration_s, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (attempt.uid, attempt.exercise_id, int(attempt.passed), attempt.attempted_at, attempt.seed,
                     attempt.device, attempt.dtype, attempt.duration_s,
                     json.dumps(attempt.details) if attempt.details is not None else None)).rowcount
    for batch in _batches(export.solution_views):
        with _paced_write(database) as db:
            for view in batch:
                added["solution_views"] += db.execute(
                    "INSERT OR IGNORE INTO solution_views (uid, exercise_id, viewed_at, forced) VALUES (?, ?, ?, ?)",
                    (view.uid, view.exercise_id, view.viewed_at, int(view.forced))).rowcount
    for batch in _batches(export.content_changes):
        with _paced_write(database) as db:
            for change in batch:
                added["content_changes"] += db.execute(
                    "INSERT INTO content_changes (card_id, changed_at, old_hash, new_hash) SELECT ?, ?, ?, ?"
                    " WHERE NOT EXISTS (SELECT 1 FROM content_changes WHERE card_id = ? AND changed_at = ?"
                    " AND old_hash IS ? AND new_hash IS ?)",
                    (change.card_id, change.changed_at, change.old_hash, change.new_hash,
                     change.card_id, change.changed_at, change.old_hash, change.new_hash)).rowcount
    for run in export.bench_runs:  # a run and its rows are one transaction
        with _paced_write(database) as db:
            if db.execute("SELECT 1 FROM bench_runs WHERE uid = ?", (run.uid,)).fetchone() is None:
                insert_run(db, run.uid, run.run_at, run.device.model_dump(exclude_unset=True),
                           [row.model_dump(exclude_unset=True) for row in run.rows])
                added["bench_runs"] += 1
    return added


@contextmanager
def _paced_write(database) -> Iterator:
    started = time.monotonic()
    with database.write() as db:
        yield db
    time.sleep(min(time.monotonic() - started, MAX_PAUSE_S))


def _batches(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start:start + size]

