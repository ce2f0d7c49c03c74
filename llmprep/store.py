"""The progress database: one SQLite file in the data directory.

Quiz cards (FSRS state) and their append-only review log, check attempts, solution views and
bench runs. WAL mode and a busy timeout let two llmprep processes write at once; every write
is one short `BEGIN IMMEDIATE` transaction, so an answer is on disk when `record_review`
returns and a read-modify-write of a card cannot interleave with another process's.

The schema is versioned with `PRAGMA user_version` and upgraded by the forward migrations in
`MIGRATIONS`; `PRAGMA application_id` marks the file as llmprep's, so a foreign SQLite file is
refused rather than written into. Nothing here imports fsrs: the quiz passes the scheduling
step in (`llmprep.quiz.schedule.advance_card`), keeping the data flow cli -> quiz -> store.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from llmprep.errors import UserError

STORE_FILE = "llmprep.sqlite3"
APPLICATION_ID = 0x4C4C4D50  # "LLMP"
BUSY_TIMEOUT_S = 30.0
EXPORT_FORMAT = "llmprep-progress"
EXPORT_VERSION = 1

# MIGRATIONS[i] takes the schema from version i to i + 1. Append, never edit: a user's file
# may be at any earlier version.
MIGRATIONS: list[list[str]] = [
    # 1: the quiz's cards and review log, check attempts, bench runs.
    [
        """CREATE TABLE cards (
            card_id TEXT PRIMARY KEY,      -- a question id, or gen:<family>
            topic TEXT NOT NULL,
            content_hash TEXT,             -- of the question when last reviewed
            fsrs_card TEXT NOT NULL,       -- fsrs.Card.to_json()
            due TEXT NOT NULL,             -- ISO 8601 UTC, copied out of fsrs_card to query on
            last_review TEXT NOT NULL
        )""",
        "CREATE INDEX cards_due ON cards (due)",
        """CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,      -- lets an import merge without duplicating
            card_id TEXT NOT NULL,
            question_id TEXT NOT NULL,     -- for a generated question, gen:<family>:<seed>
            topic TEXT NOT NULL,
            reviewed_at TEXT NOT NULL,
            rating INTEGER,                -- 1 again .. 4 easy; NULL when the answer was not graded
            correct INTEGER,
            given TEXT,
            seconds REAL,
            content_hash TEXT
        )""",
        "CREATE INDEX reviews_card ON reviews (card_id, reviewed_at)",
        """CREATE TABLE check_attempts (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            exercise_id TEXT NOT NULL,
            passed INTEGER NOT NULL,
            attempted_at TEXT NOT NULL,
            seed INTEGER,
            device TEXT,
            dtype TEXT,
            duration_s REAL,
            details TEXT                   -- JSON
        )""",
        """CREATE TABLE bench_runs (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            run_at TEXT NOT NULL,
            device_name TEXT NOT NULL,
            device TEXT NOT NULL           -- JSON
        )""",
        """CREATE TABLE bench_rows (
            run_id INTEGER NOT NULL REFERENCES bench_runs (id) ON DELETE CASCADE,
            exercise TEXT,
            backend TEXT,
            size TEXT,
            dtype TEXT,
            median_ms REAL,
            row TEXT NOT NULL              -- the whole row as JSON
        )""",
    ],
    # 2: content changes of questions, solution views, and indexes for progress.
    [
        """CREATE TABLE content_changes (
            id INTEGER PRIMARY KEY,
            card_id TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            old_hash TEXT,
            new_hash TEXT
        )""",
        """CREATE TABLE solution_views (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            exercise_id TEXT NOT NULL,
            viewed_at TEXT NOT NULL,
            forced INTEGER NOT NULL
        )""",
        "CREATE INDEX reviews_time ON reviews (reviewed_at)",
        "CREATE INDEX check_attempts_exercise ON check_attempts (exercise_id, attempted_at)",
        "CREATE INDEX bench_rows_run ON bench_rows (run_id)",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)


def default_store_path() -> Path:
    """`<data dir>/llmprep.sqlite3`."""
    from llmprep.paths import data_dir

    return data_dir() / STORE_FILE


def iso(moment: datetime) -> str:
    """A time as stored: UTC, ISO 8601 with microseconds, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("store times must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def parse_time(text: str) -> datetime:
    """A stored time back as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _new_uid() -> str:
    return uuid.uuid4().hex


@dataclass
class ReviewRecord:
    """One answered quiz question, as the review log keeps it."""

    card_id: str
    question_id: str
    topic: str
    reviewed_at: datetime
    rating: int | None
    correct: bool | None
    given: str = ""
    seconds: float | None = None
    content_hash: str | None = None
    uid: str | None = None


@dataclass
class CardRow:
    """A scheduled card: its id, topic and when it is due."""

    card_id: str
    topic: str
    due: datetime


# (card JSON or None for a new card, rating, time) -> (new card JSON, due)
AdvanceCard = Callable[[str | None, int, datetime], tuple[str, datetime]]


def _moved_aside(path: Path) -> str:
    return f"move it aside (mv '{path}' '{path}.broken') and llmprep starts a new one; nothing else is touched"


def _database_errors(method):
    """Turn SQLite's errors inside a Store method into a UserError naming the file."""

    @functools.wraps(method)
    def guarded(self: Store, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as error:
            raise self._user_error(error) from error

    return guarded


class Store:
    """An open progress database. Use `open_store()`; close it (or use `with`) when done."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self._db = connection

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (everything is already committed)."""
        self._db.close()

    def _user_error(self, error: sqlite3.DatabaseError) -> UserError:
        message = str(error)
        if "locked" in message or "busy" in message:
            return UserError(f"the progress database stayed locked for {BUSY_TIMEOUT_S:.0f} s",
                             where=str(self.path), fix="another llmprep is writing to it; let it finish and retry")
        if "readonly" in message or "read-only" in message:
            return UserError("the progress database is read-only", where=str(self.path),
                             fix="make the file and its directory writable, or set LLMPREP_HOME elsewhere")
        if "disk" in message and "full" in message:
            return UserError("the disk is full", where=str(self.path), fix="free some space and retry")
        return UserError(f"the progress database is damaged ({message})", where=str(self.path),
                         fix=_moved_aside(self.path))

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front: a card read inside the transaction cannot
        # change under us, and two processes wait for each other (busy timeout), never lose a write.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- the quiz -----------------------------------------------------------------------------

    @_database_errors
    def record_review(self, record: ReviewRecord, advance: AdvanceCard) -> bool:
        """Append one answer to the review log and reschedule its card, in one committed transaction.

        `advance` is the scheduling step (schedule.advance_card); an ungraded answer (rating
        None) is logged but leaves the card as it was. Returns True when the question's content
        changed since the card was last reviewed (the change is noted; the history is kept).
        """
        with self._write() as db:
            row = db.execute("SELECT fsrs_card, content_hash, last_review FROM cards WHERE card_id = ?",
                             (record.card_id,)).fetchone()
            changed = bool(row and record.content_hash and row[1] and row[1] != record.content_hash)
            at = iso(record.reviewed_at)
            if changed:
                db.execute("INSERT INTO content_changes (card_id, changed_at, old_hash, new_hash) VALUES (?, ?, ?, ?)",
                           (record.card_id, at, row[1], record.content_hash))
            db.execute(
                "INSERT INTO reviews (uid, card_id, question_id, topic, reviewed_at, rating, correct, given, seconds,"
                " content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (record.uid or _new_uid(), record.card_id, record.question_id, record.topic, at, record.rating,
                 None if record.correct is None else int(record.correct), record.given, record.seconds,
                 record.content_hash))
            if record.rating is not None and row and row[2] > at:
                # Another process committed a later answer first: replay the log in time order, so the
                # card is always what its reviews, in the order they were given, make it.
                self._rebuild_card(db, record.card_id, advance)
            elif record.rating is not None:
                card_json, due = advance(row[0] if row else None, record.rating, record.reviewed_at)
                db.execute(
                    "INSERT INTO cards (card_id, topic, content_hash, fsrs_card, due, last_review)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (card_id) DO UPDATE SET topic = excluded.topic,"
                    " content_hash = coalesce(excluded.content_hash, cards.content_hash),"
                    " fsrs_card = excluded.fsrs_card, due = excluded.due, last_review = excluded.last_review",
                    (record.card_id, record.topic, record.content_hash, card_json, iso(due), at))
            elif changed:
                db.execute("UPDATE cards SET content_hash = ? WHERE card_id = ?", (record.content_hash, record.card_id))
        return changed

    @_database_errors
    def due_cards(self, now: datetime | None = None) -> list[CardRow]:
        """The cards due at `now` (default: now), most overdue first."""
        rows = self._db.execute("SELECT card_id, topic, due FROM cards WHERE due <= ? ORDER BY due, card_id",
                                (iso(now or _now()),)).fetchall()
        return [CardRow(card_id, topic, parse_time(due)) for card_id, topic, due in rows]

    @_database_errors
    def next_due(self, after: datetime | None = None) -> CardRow | None:
        """The first card due after `after` (default: now), or None."""
        row = self._db.execute("SELECT card_id, topic, due FROM cards WHERE due > ? ORDER BY due LIMIT 1",
                               (iso(after or _now()),)).fetchone()
        return CardRow(row[0], row[1], parse_time(row[2])) if row else None

    @_database_errors
    def scheduled_card_ids(self) -> set[str]:
        """Every card with a schedule (rated at least once)."""
        return {card_id for (card_id,) in self._db.execute("SELECT card_id FROM cards")}

    @_database_errors
    def card_state(self, card_id: str) -> dict[str, Any] | None:
        """A card's stored fsrs state (Card.to_dict()) and content hash, or None for a new card."""
        row = self._db.execute("SELECT fsrs_card, content_hash FROM cards WHERE card_id = ?", (card_id,)).fetchone()
        return {**json.loads(row[0]), "content_hash": row[1]} if row else None

    @_database_errors
    def reviews(self, card_id: str | None = None) -> list[dict[str, Any]]:
        """The review log (of one card, or all), oldest first."""
        where, args = ("WHERE card_id = ?", (card_id,)) if card_id else ("", ())
        return self._rows(f"SELECT uid, card_id, question_id, topic, reviewed_at, rating, correct, given, seconds,"
                          f" content_hash FROM reviews {where} ORDER BY reviewed_at, id", args)

    @_database_errors
    def content_changes(self) -> list[dict[str, Any]]:
        """Every noted change of a question's content, oldest first."""
        return self._rows("SELECT card_id, changed_at, old_hash, new_hash FROM content_changes ORDER BY id")

    @_database_errors
    def topic_activity(self, since: datetime) -> dict[str, dict[str, Any]]:
        """Per topic: the question ids ever answered, and graded/correct answers since `since`."""
        topics: dict[str, dict[str, Any]] = {}
        for topic, question_id in self._db.execute("SELECT DISTINCT topic, question_id FROM reviews"):
            topics.setdefault(topic, {"seen": set(), "graded": 0, "correct": 0})["seen"].add(question_id)
        for topic, graded, correct in self._db.execute(
                "SELECT topic, count(correct), coalesce(sum(correct), 0) FROM reviews WHERE reviewed_at >= ?"
                " GROUP BY topic", (iso(since),)):
            entry = topics.setdefault(topic, {"seen": set(), "graded": 0, "correct": 0})
            entry["graded"], entry["correct"] = graded, correct
        return topics

    @_database_errors
    def topic_schedule(self, now: datetime | None = None) -> dict[str, dict[str, Any]]:
        """Per topic: cards due now, and the next due time after now (None if none)."""
        stamp = iso(now or _now())
        result: dict[str, dict[str, Any]] = {}
        for topic, due_now, next_due in self._db.execute(
                "SELECT topic, sum(due <= ?), min(CASE WHEN due > ? THEN due END) FROM cards GROUP BY topic",
                (stamp, stamp)):
            result[topic] = {"due_now": due_now, "next_due": parse_time(next_due) if next_due else None}
        return result

    @_database_errors
    def activity_times(self, since: datetime) -> list[datetime]:
        """When something was done since `since`: every review and check attempt (for the activity line)."""
        stamp = iso(since)
        rows = self._db.execute("SELECT reviewed_at FROM reviews WHERE reviewed_at >= ? UNION ALL "
                                "SELECT attempted_at FROM check_attempts WHERE attempted_at >= ?", (stamp, stamp))
        return [parse_time(at) for (at,) in rows]

    # -- check (issue 6) ------------------------------------------------------------------------

    @_database_errors
    def record_check_attempt(self, exercise_id: str, passed: bool, *, seed: int, device: str, dtype: str,
                             duration_s: float, details: dict | None = None) -> None:
        """Record one `llmprep check` run of an exercise."""
        with self._write() as db:
            db.execute("INSERT INTO check_attempts (uid, exercise_id, passed, attempted_at, seed, device, dtype,"
                       " duration_s, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (_new_uid(), exercise_id, int(bool(passed)), iso(_now()), seed, device, dtype, duration_s,
                        json.dumps(details, default=str) if details is not None else None))

    @_database_errors
    def exercise_status(self, exercise_id: str) -> str:
        """"new" (never checked), "attempted" (checked, never passed) or "passed"."""
        attempts, passes = self._db.execute(
            "SELECT count(*), coalesce(sum(passed), 0) FROM check_attempts WHERE exercise_id = ?",
            (exercise_id,)).fetchone()
        return "passed" if passes else "attempted" if attempts else "new"

    @_database_errors
    def exercise_summary(self) -> dict[str, dict]:
        """Per exercise checked at least once: attempts, passes, last_result ("passed"/"failed"), last_at."""
        summary: dict[str, dict] = {}
        for exercise_id, attempts, passes, last_at in self._db.execute(
                "SELECT exercise_id, count(*), sum(passed), max(attempted_at) FROM check_attempts"
                " GROUP BY exercise_id ORDER BY exercise_id"):
            (last_passed,) = self._db.execute(
                "SELECT passed FROM check_attempts WHERE exercise_id = ? ORDER BY attempted_at DESC, id DESC LIMIT 1",
                (exercise_id,)).fetchone()
            summary[exercise_id] = {"attempts": attempts, "passes": passes,
                                    "last_result": "passed" if last_passed else "failed", "last_at": last_at}
        return summary

    @_database_errors
    def record_solution_viewed(self, exercise_id: str, forced: bool) -> None:
        """Record that the reference solution was shown (`forced`: before a passing check)."""
        with self._write() as db:
            db.execute("INSERT INTO solution_views (uid, exercise_id, viewed_at, forced) VALUES (?, ?, ?, ?)",
                       (_new_uid(), exercise_id, iso(_now()), int(bool(forced))))

    @_database_errors
    def solution_views(self) -> list[dict[str, Any]]:
        """Every recorded view of a solution, oldest first."""
        return self._rows("SELECT exercise_id, viewed_at, forced FROM solution_views ORDER BY viewed_at, id")

    # -- bench (issue 9) ------------------------------------------------------------------------

    @_database_errors
    def record_bench_rows(self, device: dict, rows: list[dict]) -> int:
        """Record one bench run: the device (its `name` identifies it) and the rows of `--json`; returns the run id."""
        with self._write() as db:
            return self._insert_bench_run(db, _new_uid(), iso(_now()), device, rows)

    def _insert_bench_run(self, db: sqlite3.Connection, uid: str, run_at: str, device: dict,
                          rows: list[dict]) -> int:
        cursor = db.execute("INSERT INTO bench_runs (uid, run_at, device_name, device) VALUES (?, ?, ?, ?)",
                            (uid, run_at, _device_name(device), json.dumps(device, default=str)))
        run_id = cursor.lastrowid
        db.executemany(
            "INSERT INTO bench_rows (run_id, exercise, backend, size, dtype, median_ms, row) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(run_id, row.get("exercise"), row.get("backend"), _size_key(row.get("size")), row.get("dtype"),
              row.get("median_ms"), json.dumps(row, default=str)) for row in rows])
        return run_id

    @_database_errors
    def previous_bench_rows(self, device_name: str, dtype: str, *, before_run: int | None = None) -> list[dict]:
        """The rows of the latest run on this device with this dtype (call before recording the new run,
        or pass the new run's id as `before_run`); [] when there is none."""
        found = self._db.execute(
            "SELECT r.id FROM bench_runs r WHERE r.device_name = ? AND r.id < ? AND EXISTS"
            " (SELECT 1 FROM bench_rows b WHERE b.run_id = r.id AND b.dtype = ?) ORDER BY r.run_at DESC, r.id DESC"
            " LIMIT 1", (device_name, before_run if before_run is not None else 2**62, dtype)).fetchone()
        if found is None:
            return []
        return [json.loads(row) for (row,) in self._db.execute(
            "SELECT row FROM bench_rows WHERE run_id = ? AND dtype = ? ORDER BY rowid", (found[0], dtype))]

    @_database_errors
    def best_bench_rows(self) -> list[dict]:
        """The fastest row ever measured per (device, exercise, backend, size, dtype), each with `device_name` and `run_at`."""
        rows = self._db.execute(
            "SELECT r.device_name, r.run_at, b.row FROM bench_rows b JOIN bench_runs r ON r.id = b.run_id"
            " WHERE b.median_ms IS NOT NULL AND b.rowid = (SELECT b2.rowid FROM bench_rows b2"
            " JOIN bench_runs r2 ON r2.id = b2.run_id WHERE r2.device_name = r.device_name"
            " AND b2.exercise IS b.exercise AND b2.backend IS b.backend AND b2.size IS b.size AND b2.dtype IS b.dtype"
            " AND b2.median_ms IS NOT NULL ORDER BY b2.median_ms, b2.rowid LIMIT 1)"
            " ORDER BY r.device_name, b.exercise, b.backend, b.dtype, b.size")
        return [{**json.loads(row), "device_name": device_name, "run_at": run_at} for device_name, run_at, row in rows]

    # -- export, import, reset ----------------------------------------------------------------

    @_database_errors
    def export_document(self) -> dict[str, Any]:
        """Everything in the store as one versioned JSON document (cards are rebuilt from the log on import)."""
        runs = []
        for run_id, uid, run_at, device in self._db.execute(
                "SELECT id, uid, run_at, device FROM bench_runs ORDER BY id").fetchall():
            rows = [json.loads(row) for (row,) in self._db.execute(
                "SELECT row FROM bench_rows WHERE run_id = ? ORDER BY rowid", (run_id,))]
            runs.append({"uid": uid, "run_at": run_at, "device": json.loads(device), "rows": rows})
        attempts = self._rows("SELECT uid, exercise_id, passed, attempted_at, seed, device, dtype, duration_s, details"
                              " FROM check_attempts ORDER BY attempted_at, id")
        for attempt in attempts:
            attempt["passed"] = bool(attempt["passed"])
            attempt["details"] = json.loads(attempt["details"]) if attempt["details"] else None
        reviews = self.reviews()
        for review in reviews:
            review["correct"] = None if review["correct"] is None else bool(review["correct"])
        views = self._rows("SELECT uid, exercise_id, viewed_at, forced FROM solution_views ORDER BY viewed_at, id")
        for view in views:
            view["forced"] = bool(view["forced"])
        return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "schema": SCHEMA_VERSION,
                "exported_at": iso(_now()), "reviews": reviews, "check_attempts": attempts,
                "solution_views": views, "bench_runs": runs, "content_changes": self.content_changes()}

    @_database_errors
    def import_document(self, document: dict[str, Any], advance: AdvanceCard, *,
                        source: str = "the file") -> dict[str, int]:
        """Merge an export into this store: entries already here (same uid) are skipped; the cards
        touched are rescheduled by replaying their whole review log with `advance`. Returns what was added."""
        _check_export(document, source)
        added = {"reviews": 0, "check_attempts": 0, "solution_views": 0, "bench_runs": 0}
        try:
            with self._write() as db:
                touched: dict[str, str] = {}
                for review in document.get("reviews", []):
                    cursor = db.execute(
                        "INSERT OR IGNORE INTO reviews (uid, card_id, question_id, topic, reviewed_at, rating, correct,"
                        " given, seconds, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (review["uid"], review["card_id"], review["question_id"], review["topic"],
                         iso(parse_time(review["reviewed_at"])), review.get("rating"),
                         None if review.get("correct") is None else int(review["correct"]), review.get("given"),
                         review.get("seconds"), review.get("content_hash")))
                    if cursor.rowcount:
                        added["reviews"] += 1
                        touched[review["card_id"]] = review["topic"]
                for card_id in touched:
                    self._rebuild_card(db, card_id, advance)
                for attempt in document.get("check_attempts", []):
                    details = attempt.get("details")
                    added["check_attempts"] += db.execute(
                        "INSERT OR IGNORE INTO check_attempts (uid, exercise_id, passed, attempted_at, seed, device,"
                        " dtype, duration_s, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (attempt["uid"], attempt["exercise_id"], int(bool(attempt["passed"])),
                         iso(parse_time(attempt["attempted_at"])), attempt.get("seed"), attempt.get("device"),
                         attempt.get("dtype"), attempt.get("duration_s"),
                         json.dumps(details) if details is not None else None)).rowcount
                for view in document.get("solution_views", []):
                    added["solution_views"] += db.execute(
                        "INSERT OR IGNORE INTO solution_views (uid, exercise_id, viewed_at, forced) VALUES (?, ?, ?, ?)",
                        (view["uid"], view["exercise_id"], iso(parse_time(view["viewed_at"])),
                         int(bool(view["forced"])))).rowcount
                known = {uid for (uid,) in db.execute("SELECT uid FROM bench_runs")}
                for run in document.get("bench_runs", []):
                    if run["uid"] not in known:
                        self._insert_bench_run(db, run["uid"], iso(parse_time(run["run_at"])), run["device"],
                                               run["rows"])
                        added["bench_runs"] += 1
        except (KeyError, TypeError, ValueError) as error:
            raise UserError(f"not a valid llmprep progress export ({type(error).__name__}: {error})",
                            where=source, fix="import a file written by `llmprep progress export`") from error
        return added

    def _rebuild_card(self, db: sqlite3.Connection, card_id: str, advance: AdvanceCard) -> None:
        """Replay a card's whole review log, in time order, into its schedule."""
        rows = db.execute("SELECT rating, reviewed_at, topic, content_hash FROM reviews WHERE card_id = ?"
                          " ORDER BY reviewed_at, id", (card_id,)).fetchall()
        state: tuple[str, datetime] | None = None
        last_rated_at = None
        for rating, at, _topic, _hash in rows:
            if rating is not None:
                last_rated_at = parse_time(at)
                state = advance(state[0] if state else None, rating, last_rated_at)
        if state is None or last_rated_at is None:
            return
        last = rows[-1]
        db.execute(
            "INSERT INTO cards (card_id, topic, content_hash, fsrs_card, due, last_review) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (card_id) DO UPDATE SET topic = excluded.topic, content_hash = excluded.content_hash,"
            " fsrs_card = excluded.fsrs_card, due = excluded.due, last_review = excluded.last_review",
            (card_id, last[2], last[3], state[0], iso(state[1]), iso(last_rated_at)))

    @_database_errors
    def counts(self, topic: str | None = None) -> dict[str, int]:
        """How much is stored (what a reset would delete): reviews, cards, and, without a topic, the rest."""
        if topic is not None:
            return {"reviews": self._count("reviews", topic), "cards": self._count("cards", topic)}
        return {table: self._count(table) for table in
                ("reviews", "cards", "check_attempts", "solution_views", "bench_runs")}

    def _count(self, table: str, topic: str | None = None) -> int:
        if topic is None:
            return self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return self._db.execute(f"SELECT count(*) FROM {table} WHERE topic = ?", (topic,)).fetchone()[0]

    @_database_errors
    def reset(self, topic: str | None = None) -> dict[str, int]:
        """Delete the quiz progress of one topic, or (no topic) everything; returns what was deleted."""
        with self._write() as db:
            deleted = self.counts(topic)  # inside the write lock: exactly what is about to go
            if topic is not None:
                db.execute("DELETE FROM content_changes WHERE card_id IN (SELECT card_id FROM cards WHERE topic = ?)",
                           (topic,))
                db.execute("DELETE FROM reviews WHERE topic = ?", (topic,))
                db.execute("DELETE FROM cards WHERE topic = ?", (topic,))
                return deleted
            for table in ("reviews", "cards", "content_changes", "check_attempts", "solution_views", "bench_rows",
                          "bench_runs"):
                db.execute(f"DELETE FROM {table}")
            return deleted

    def _rows(self, sql: str, args: tuple = ()) -> list[dict[str, Any]]:
        cursor = self._db.execute(sql, args)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _device_name(device: dict) -> str:
    return str(device.get("name") or device.get("device") or "unknown")


def _size_key(size: Any) -> str | None:
    # Sizes may be ints or dicts ({"T": 1024, ...}); a canonical text compares equal for equal sizes.
    return None if size is None else json.dumps(size, sort_keys=True, default=str)


def _check_export(document: Any, source: str) -> None:
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise UserError("not an llmprep progress export", where=source,
                        fix="import a file written by `llmprep progress export`")
    version = document.get("version")
    if not isinstance(version, int) or version > EXPORT_VERSION:
        raise UserError(f"an export of version {version!r}; this llmprep reads version {EXPORT_VERSION} and earlier",
                        where=source, fix="upgrade llmprep, then import it")


def open_store(path: Path | None = None) -> Store:
    """Open (creating or upgrading as needed) the progress database; `with open_store() as store: ...`.

    A file that is damaged, is not llmprep's, or was written by a newer llmprep raises
    UserError naming the file and what to do, and is left exactly as it was.
    """
    path = Path(path) if path is not None else default_store_path()
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as error:
        raise UserError(f"cannot open the progress database ({error})", where=str(path),
                        fix="check that the directory exists and is writable, or set LLMPREP_HOME") from error
    store = Store(path, connection)
    try:
        _prepare(store, connection)
    except UserError:
        connection.close()
        raise
    except sqlite3.DatabaseError as error:
        connection.close()
        raise store._user_error(error) from error
    return store


def _prepare(store: Store, db: sqlite3.Connection) -> None:
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    # Read before anything writes: a file that is not ours must stay exactly as it was.
    _refuse_foreign(store, db)
    if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA foreign_keys = ON")
    if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
        _migrate(store, db)


def _refuse_foreign(store: Store, db: sqlite3.Connection) -> None:
    path = store.path
    application_id = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    has_tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    if application_id != APPLICATION_ID and (application_id != 0 or has_tables or version != 0):
        raise UserError("this file is an SQLite database, but not llmprep's progress database", where=str(path),
                        fix=_moved_aside(path) + "; or set LLMPREP_HOME to another directory")
    if version > SCHEMA_VERSION:
        raise UserError(f"the progress database was written by a newer llmprep (schema {version}; this one knows "
                        f"up to {SCHEMA_VERSION}), so it is left untouched", where=str(path),
                        fix="upgrade llmprep (pip install -U llmprep), or set LLMPREP_HOME to another directory")


def _migrate(store: Store, db: sqlite3.Connection) -> None:
    with store._write():
        # Read again under the write lock: another process may have just migrated.
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        for statements in MIGRATIONS[version:]:
            for statement in statements:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
