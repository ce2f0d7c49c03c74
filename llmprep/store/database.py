"""The progress database: one SQLite file in the data directory, one connection per `Store` (see `opening`).

WAL mode and a busy timeout let two llmprep processes write at once; every write is one short
`BEGIN IMMEDIATE` transaction, so an answer is on disk when it is recorded and a read-modify-write
of a card cannot interleave with another process's. A file that is damaged, is not llmprep's, or
was written by a newer llmprep is refused and left exactly as it was.

The `Store` hands out one part per concern, all over the same connection: `store.reviews` (the
quiz), `store.checks` (check attempts, solution views), `store.bench` (bench runs). Export and
import live in `llmprep.store.transfer`.
"""

from __future__ import annotations

import functools
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from llmprep.errors import UserError
from llmprep.messages import said

STORE_FILE = "llmprep.sqlite3"
BUSY_TIMEOUT_S = 30.0
PATIENT_FOR_S = 1.0  # waiting longer than this for the write lock is worth telling the user (on_wait)


def default_store_path(create_dir: bool = True) -> Path:
    """`<data dir>/llmprep.sqlite3`."""
    from llmprep.paths import data_dir

    return data_dir(create=create_dir) / STORE_FILE


def iso(moment: datetime) -> str:
    """A time as stored: UTC, ISO 8601 with microseconds, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("store times must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def parse_time(text: str) -> datetime:
    """A stored time back as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def now_utc() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(timezone.utc)


def new_uid() -> str:
    """A fresh id for a log entry (lets an import merge without duplicating)."""
    return uuid.uuid4().hex


def database_errors(method):
    """Turn SQLite's errors inside a store method into a UserError naming the file."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as error:
            raise self.database.user_error(error) from error

    return guarded


class Database:
    """One open connection, its write transaction and its error messages; shared by every part."""

    def __init__(self, path: Path, connection: sqlite3.Connection, *, read_only: bool = False):
        self.path = path
        self.connection = connection
        self.read_only = read_only  # a snapshot of a file llmprep may not write: writes are refused
        self.database = self  # so `database_errors` finds it on the parts and here alike
        # Called once when a write has waited PATIENT_FOR_S for another process's lock (e.g. a long import),
        # so a command can say why it pauses; it then waits up to BUSY_TIMEOUT_S in all.
        self.on_wait: Callable[[], None] | None = None

    def user_error(self, error: sqlite3.DatabaseError) -> UserError:
        """What a SQLite error means for the user, naming the file and what to do."""
        message = str(error)
        if "locked" in message or "busy" in message:
            return UserError(said("store.locked", seconds=f"{BUSY_TIMEOUT_S:.0f}"),
                             where=str(self.path), fix=said("store.locked_fix"))
        if "readonly" in message or "read-only" in message:
            return read_only_error(self.path)
        if "disk" in message and "full" in message:
            return UserError(said("store.disk_full"), where=str(self.path), fix=said("store.disk_full_fix"))
        return UserError(said("store.damaged", error=message), where=str(self.path),
                         fix=said("store.moved_aside", path=self.path))

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction. IMMEDIATE takes the write lock up front: what is read inside
        cannot change under us, and two processes wait for each other (busy timeout), never lose a write."""
        if self.read_only:
            raise read_only_error(self.path)
        self._begin()
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def _begin(self) -> None:
        if self.on_wait is None:
            self.connection.execute("BEGIN IMMEDIATE")
            return
        self.connection.execute(f"PRAGMA busy_timeout = {int(PATIENT_FOR_S * 1000)}")
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            self.on_wait()
            self.connection.execute(f"PRAGMA busy_timeout = {int((BUSY_TIMEOUT_S - PATIENT_FOR_S) * 1000)}")
            self.connection.execute("BEGIN IMMEDIATE")
        finally:
            self.connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")

    def rows(self, sql: str, args: tuple = ()) -> list[dict[str, Any]]:
        """The rows of a query as dicts keyed by column name."""
        cursor = self.connection.execute(sql, args)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def count(self, table: str, topic: str | None = None) -> int:
        """Rows in `table` (of one topic)."""
        if topic is None:
            return self.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return self.connection.execute(f"SELECT count(*) FROM {table} WHERE topic = ?", (topic,)).fetchone()[0]


def read_only_error(path: Path) -> UserError:
    """The error for a write into a progress database llmprep may only read."""
    return UserError(said("store.read_only"), where=str(path), fix=said("store.read_only_fix"))
