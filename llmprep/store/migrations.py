"""The schema of the progress database, as forward migrations.

`MIGRATIONS[i]` takes the schema from version i to i + 1. Append, never edit: a user's file may
be at any earlier version. `PRAGMA user_version` holds the version; `PRAGMA application_id`
marks the file as llmprep's.
"""

from __future__ import annotations

APPLICATION_ID = 0x4C4C4D50  # "LLMP"

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
