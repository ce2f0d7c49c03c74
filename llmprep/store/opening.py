"""Opening the progress database: `open_store()` and the `Store` it returns, with one part per concern.

The parts (`reviews`, `checks`, `bench`) sit on `llmprep.store.database`; this module is the one
place that assembles them, so no part imports another.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

from llmprep.errors import UserError
from llmprep.messages import said
from llmprep.store.bench import BenchRuns
from llmprep.store.checks import CheckAttempts
from llmprep.store.database import (
    BUSY_TIMEOUT_S,
    Database,
    database_errors,
    default_store_path,
)
from llmprep.store.migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from llmprep.store.reviews import Reviews


class Store:
    """An open progress database. Use `open_store()`; close it (or use `with`) when done."""

    def __init__(self, database: Database):
        self.database = database
        self.path = database.path
        self._db = database.connection
        self.reviews = Reviews(database)
        self.checks = CheckAttempts(database)
        self.bench = BenchRuns(database)

    @property
    def read_only(self) -> bool:
        """True for a snapshot of a file llmprep may not write."""
        return self.database.read_only

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (everything is already committed)."""
        self._db.close()

    @database_errors
    def counts(self, topic: str | None = None) -> dict[str, int]:
        """How much is stored (what a reset would delete): reviews, cards, and, without a topic, the rest."""
        if topic is not None:
            return {"reviews": self.database.count("reviews", topic), "cards": self.database.count("cards", topic)}
        return {table: self.database.count(table) for table in
                ("reviews", "cards", "check_attempts", "solution_views", "bench_runs")}

    @database_errors
    def reset(self, topic: str | None = None) -> dict[str, int]:
        """Delete the quiz progress of one topic, or (no topic) everything; returns what was deleted."""
        with self.database.write() as db:
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


def open_store(path: Path | None = None, *, read_only: bool = False) -> Store:
    """Open (creating or upgrading as needed) the progress database; `with open_store() as store: ...`.

    `read_only`: for commands that only read. When the file or its folder cannot be written, they
    get a snapshot of it (or an empty store when there is none) instead of an error.
    A file that is damaged, is not llmprep's, or was written by a newer llmprep raises
    UserError naming the file and what to do, and is left exactly as it was.
    """
    if path is None:
        try:
            path = default_store_path()
        except UserError:  # the data directory cannot be created: a reader still gets an (empty) store
            if not read_only:
                raise
            path = default_store_path(create_dir=False)
    path = Path(path)
    if read_only and not _writable(path):
        return _open_snapshot(path)
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as error:
        raise UserError(said("store.cannot_open", error=str(error)), where=str(path),
                        fix=said("store.cannot_open_fix")) from error
    database = Database(path, connection)
    _prepare_or_close(database, _prepare)
    return Store(database)


def _writable(path: Path) -> bool:
    """Whether SQLite could write `path` and its -wal/-shm files beside it (probed, since root ignores modes)."""
    folder = path.parent
    if not folder.is_dir():
        return False
    if path.exists() and not os.access(path, os.W_OK):
        return False
    try:
        probe = folder / f".{path.name}.probe-{uuid.uuid4().hex[:8]}"
        probe.touch()
        probe.unlink()
    except OSError:
        return False
    return True


def _open_snapshot(path: Path) -> Store:
    """A read-only store in memory: a copy of `path`, upgraded there, or empty when there is no file."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    if path.exists():
        source = None
        for options in ("mode=ro", "immutable=1"):  # WAL needs its -shm file; immutable does without
            try:
                source = sqlite3.connect(f"file:{path}?{options}", uri=True, timeout=BUSY_TIMEOUT_S)
                source.execute("PRAGMA schema_version").fetchone()
                break
            except sqlite3.DatabaseError as error:
                if source is not None:
                    source.close()
                source, last_error = None, error
        if source is None:
            memory.close()
            raise Database(path, memory).user_error(last_error)
        try:
            _prepare_or_close(Database(path, source), _refuse_foreign)
            source.backup(memory)
        finally:
            source.close()
    database = Database(path, memory)
    _prepare_or_close(database, _migrate)
    database.read_only = True
    return Store(database)


def _prepare_or_close(database: Database, step) -> None:
    try:
        step(database)
    except UserError:
        database.connection.close()
        raise
    except sqlite3.DatabaseError as error:
        database.connection.close()
        raise database.user_error(error) from error


def _prepare(database: Database) -> None:
    db = database.connection
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    # Read before anything writes: a file that is not ours must stay exactly as it was.
    _refuse_foreign(database)
    if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA foreign_keys = ON")
    _migrate(database)


def _refuse_foreign(database: Database) -> None:
    db, path = database.connection, database.path
    # One statement, so one read: three apart could see another process's first migration commit
    # between them (an id of 0 read before it, its tables after) and call a new file foreign.
    application_id, version, tables = db.execute(
        "SELECT (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version),"
        " (SELECT count(*) FROM sqlite_master)").fetchone()
    has_tables = tables > 0
    if application_id != APPLICATION_ID and (application_id != 0 or has_tables or version != 0):
        raise UserError(said("store.foreign"), where=str(path), fix=said("store.foreign_fix", path=path))
    if version > SCHEMA_VERSION:
        raise UserError(said("store.newer", version=version, supported=SCHEMA_VERSION), where=str(path),
                        fix=said("store.newer_fix"))


def _migrate(database: Database) -> None:
    db = database.connection
    if db.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
        return
    with database.write():
        # Read again under the write lock: another process may have just migrated.
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        for statements in MIGRATIONS[version:]:
            for statement in statements:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
