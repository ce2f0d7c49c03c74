"""The SQLite store: refusing files that are not ours, migrations, and the API check and bench use."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from llmprep.errors import UserError
from llmprep.quiz.schedule import advance_card
from llmprep.store import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, ReviewRecord, open_store, replay

AT = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def test_a_new_store_is_versioned_in_wal_mode_with_a_busy_timeout(tmp_path):
    path = tmp_path / "p.sqlite3"
    with open_store(path) as store:
        assert store.path == path
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(MIGRATIONS) >= 2
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with open_store(path) as store:
        assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_the_default_store_lives_in_the_data_dir(llmprep_home):
    with open_store() as store:
        store.checks.record_attempt("softmax", True, seed=1, device="cpu", dtype="float32", duration_s=0.1)
    assert (llmprep_home / "llmprep.sqlite3").is_file()


@pytest.mark.parametrize("content", [b"this is not a database, it is a shopping list\n" * 50,
                                     b"SQLite format 3\x00" + b"\xff" * 2000])
def test_a_corrupt_file_is_named_with_the_fix_and_left_untouched(tmp_path, content):
    path = tmp_path / "p.sqlite3"
    path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        open_store(path)
    assert str(path) == caught.value.where and "damaged" in caught.value.what
    assert "move it aside" in caught.value.fix and f"mv '{path}'" in caught.value.fix
    assert path.read_bytes() == content


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "p.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE recipes (name TEXT)")
    db.execute("INSERT INTO recipes VALUES ('soup')")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(UserError) as caught:
        open_store(path)
    assert "not llmprep's" in caught.value.what and caught.value.where == str(path)
    assert path.read_bytes() == before


def test_a_newer_schema_is_refused_not_rewritten(tmp_path):
    path = tmp_path / "p.sqlite3"
    open_store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.execute("CREATE TABLE from_the_future (x)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(UserError) as caught:
        open_store(path)
    assert "newer llmprep" in caught.value.what and "upgrade llmprep" in caught.value.fix
    assert path.read_bytes() == before
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def test_the_cli_reports_a_corrupt_store_with_exit_2_and_no_traceback(run_cli, llmprep_home, tiny_bank):
    llmprep_home.mkdir(parents=True, exist_ok=True)
    path = llmprep_home / "llmprep.sqlite3"
    path.write_bytes(b"garbage" * 100)
    for args in (["progress"], ["quiz", "-n", "1"], ["progress", "--json"]):
        result = run_cli(*args, input="")
        assert result.exit_code == 2, args
        assert str(path) in result.stderr and "move it aside" in result.stderr
        assert "Traceback" not in result.output
    assert json.loads(run_cli("progress", "--json").stdout)["where"] == str(path)
    assert path.read_bytes() == b"garbage" * 100


def _make_first_schema(path):
    """A store as llmprep wrote it at schema version 1, with some data in every table."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    card_json, due = advance_card(None, 1, AT)
    db.execute("INSERT INTO cards VALUES ('attention-q1', 'attention', 'h1', ?, ?, ?)",
               (card_json, due.isoformat(timespec="microseconds"), AT.isoformat(timespec="microseconds")))
    db.execute("INSERT INTO reviews (uid, card_id, question_id, topic, reviewed_at, rating, correct, given, seconds,"
               " content_hash) VALUES ('u1', 'attention-q1', 'attention-q1', 'attention', ?, 1, 0, '7', 2.5, 'h1')",
               (AT.isoformat(timespec="microseconds"),))
    db.execute("INSERT INTO check_attempts (uid, exercise_id, passed, attempted_at, seed, device, dtype, duration_s,"
               " details) VALUES ('c1', 'softmax', 1, ?, 5, 'cpu', 'float32', 0.4, '{\"cases\": 9}')",
               (AT.isoformat(timespec="microseconds"),))
    run = db.execute("INSERT INTO bench_runs (uid, run_at, device_name, device) VALUES ('b1', ?, 'cpu', '{}')",
                     (AT.isoformat(timespec="microseconds"),)).lastrowid
    db.execute("INSERT INTO bench_rows VALUES (?, 'softmax', 'torch', '1024', 'float32', 0.5, ?)",
               (run, json.dumps({"exercise": "softmax", "backend": "torch", "size": 1024, "dtype": "float32",
                                 "median_ms": 0.5})))
    db.close()


def test_migrating_from_the_first_schema_keeps_all_data(tmp_path):
    path = tmp_path / "p.sqlite3"
    _make_first_schema(path)
    with open_store(path) as store:
        assert store._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        (review,) = store.reviews.log()
        assert (review["uid"], review["rating"], review["given"], review["seconds"]) == ("u1", 1, "7", 2.5)
        assert [card.card_id for card in store.reviews.due_cards(AT + timedelta(days=1))] == ["attention-q1"]
        assert store.reviews.card_state("attention-q1")["content_hash"] == "h1"
        assert store.checks.summary()["softmax"]["passes"] == 1 and store.checks.status("softmax") == "passed"
        assert [row["median_ms"] for row in store.bench.best_rows()] == [0.5]
        # The tables schema 2 added work on the migrated file.
        store.checks.record_solution_view("softmax", forced=False)
        assert store.checks.solution_views()[0]["exercise_id"] == "softmax"
    with open_store(path) as store:  # opening again migrates nothing twice
        assert len(store.reviews.log()) == 1


def test_check_attempts_status_and_summary(tmp_path):
    with open_store(tmp_path / "p.sqlite3") as store:
        assert store.checks.status("softmax") == "new" and store.checks.summary() == {}
        store.checks.record_attempt("softmax", False, seed=1, device="cpu", dtype="float32", duration_s=1.0,
                                   details={"failed": ["large"]})
        assert store.checks.status("softmax") == "attempted"
        store.checks.record_attempt("softmax", True, seed=2, device="cpu", dtype="float32", duration_s=0.9)
        store.checks.record_attempt("softmax", False, seed=3, device="cuda", dtype="bfloat16", duration_s=0.2)
        store.checks.record_attempt("multi-head-attention", False, seed=4, device="cpu", dtype="float32",
                                   duration_s=2.0)
        assert store.checks.status("softmax") == "passed"  # a later failure does not undo a pass
        summary = store.checks.summary()
        assert summary["softmax"] | {"last_at": None} == {"attempts": 3, "passes": 1, "last_result": "failed",
                                                          "last_at": None, "last_file": None}
        assert summary["multi-head-attention"]["passes"] == 0
        assert datetime.fromisoformat(summary["softmax"]["last_at"]).tzinfo is not None
        store.checks.record_solution_view("softmax", forced=True)
        assert [v["forced"] for v in store.checks.solution_views()] == [1]


def test_bench_rows_previous_run_and_best(tmp_path):
    def row(backend, ms, dtype="float32", size=1024):
        return {"exercise": "softmax", "backend": backend, "provider": None, "size": size, "dtype": dtype,
                "median_ms": ms, "iqr_ms": 0.01, "n": 50, "gflops": 1.0, "gbps": 2.0, "pct_peak": 3.0,
                "peak_mem_bytes": None, "correct": True}

    with open_store(tmp_path / "p.sqlite3") as store:
        assert store.bench.previous_rows("cpu", "float32") == [] and store.bench.best_rows() == []
        first = store.bench.record_run({"name": "cpu"}, [row("torch", 0.50), row("reference", 0.90)])
        store.bench.record_run({"name": "H100"}, [row("torch", 0.01)])
        assert store.bench.previous_rows("cpu", "float32") == [row("torch", 0.50), row("reference", 0.90)]
        second = store.bench.record_run({"name": "cpu"}, [row("torch", 0.40), row("reference", 1.10),
                                                           row("torch", 0.3, dtype="float64")])
        assert second > first
        assert [r["median_ms"] for r in store.bench.previous_rows("cpu", "float32")] == [0.40, 1.10]
        assert [r["median_ms"] for r in store.bench.previous_rows("cpu", "float32", before_run=second)] == \
            [0.50, 0.90]
        assert [r["median_ms"] for r in store.bench.previous_rows("cpu", "float64")] == [0.3]
        best = {(r["device_name"], r["backend"], r["dtype"]): r["median_ms"] for r in store.bench.best_rows()}
        assert best == {("cpu", "torch", "float32"): 0.40, ("cpu", "reference", "float32"): 0.90,
                        ("cpu", "torch", "float64"): 0.3, ("H100", "torch", "float32"): 0.01}


def test_an_ungraded_answer_is_logged_but_schedules_nothing(tmp_path):
    with open_store(tmp_path / "p.sqlite3") as store:
        store.reviews.record(ReviewRecord("training-q1", "training-q1", "training", AT, None, None, "blah"),
                            advance_card)
        assert len(store.reviews.log()) == 1 and store.reviews.card_state("training-q1") is None
        assert store.reviews.scheduled_card_ids() == set()


def test_a_failed_write_leaves_nothing_half_done(tmp_path):
    def broken_scheduler(card_json, rating, at):
        raise RuntimeError("scheduler bug")

    with open_store(tmp_path / "p.sqlite3") as store:
        with pytest.raises(RuntimeError):
            store.reviews.record(ReviewRecord("a", "a", "attention", AT, 3, True), broken_scheduler)
        assert store.reviews.log() == []  # the review and the card change are one transaction
        store.reviews.record(ReviewRecord("a", "a", "attention", AT, 3, True), advance_card)
        assert len(store.reviews.log()) == 1


def test_an_answer_committed_after_a_later_one_is_scheduled_in_time_order(tmp_path):
    # Two processes: the later answer (Good, t+5 min) got the lock first, then the earlier (Again, t) arrives.
    later, earlier = (3, AT + timedelta(minutes=5)), (1, AT)
    with open_store(tmp_path / "p.sqlite3") as store:
        for rating, at in (later, earlier):
            store.reviews.record(ReviewRecord("a", "a", "attention", at, rating, rating > 1), advance_card)
        stored = {k: v for k, v in store.reviews.card_state("a").items() if k != "content_hash"}
    assert stored == json.loads(replay([earlier, later], advance_card)[0])
    naive, _ = advance_card(advance_card(None, *later)[0], *earlier)  # applied in commit order instead
    assert stored != json.loads(naive)  # so the order matters, and this test checks something


def test_earlier_row_is_the_latest_measured_row_of_the_same_device_exercise_backend_size_and_dtype(tmp_path):
    def row(ms, size=8, backend="torch", dtype="float32"):
        return {"exercise": "softmax", "backend": backend, "size": {"N": size}, "dtype": dtype, "median_ms": ms}

    with open_store(tmp_path / "p.sqlite3") as store:
        assert store.bench.earlier_row("cpu", "softmax", "torch", {"N": 8}, "float32") is None
        first = store.bench.record_run({"name": "cpu"}, [row(1.0), row(2.0, size=64)])
        second = store.bench.record_run({"name": "cpu"}, [row(0.9), row(None)])  # a row that was not measured
        store.bench.record_run({"name": "gpu"}, [row(0.01)])
        store.bench.record_run({"name": "cpu"}, [row(0.5, dtype="float64"), row(0.7, backend="reference")])
        latest = store.bench.earlier_row("cpu", "softmax", "torch", {"N": 8}, "float32")
        assert latest["median_ms"] == 0.9 and latest["run_id"] == second
        assert store.bench.earlier_row("cpu", "softmax", "torch", {"N": 8}, "float32", before_run=second)["median_ms"] \
            == 1.0
        assert store.bench.earlier_row("cpu", "softmax", "torch", {"N": 64}, "float32")["run_id"] == first
        assert store.bench.earlier_row("cpu", "softmax", "torch", {"N": 8}, "float32", before_run=first) is None


def test_a_write_that_waits_for_another_process_says_so_then_succeeds(tmp_path, monkeypatch):
    import threading

    from llmprep.store import database

    monkeypatch.setattr(database, "PATIENT_FOR_S", 0.05)
    path = tmp_path / "p.sqlite3"
    open_store(path).close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock...
    waited = []

    def release():
        holder.execute("COMMIT")  # ...and lets go once the waiting writer has said it waits
        holder.close()

    with open_store(path) as store:
        store.database.on_wait = lambda: (waited.append(True), threading.Thread(target=release).start())
        store.checks.record_attempt("softmax", True, seed=1, device="cpu", dtype="float32", duration_s=1)
        assert waited == [True] and store.checks.status("softmax") == "passed"
        store.checks.record_attempt("softmax", False, seed=2, device="cpu", dtype="float32", duration_s=1)
        assert waited == [True]  # no wait, no message


def test_a_bench_row_with_a_word_for_a_median_stored_by_an_old_import_is_ignored(run_cli, llmprep_home):
    with open_store() as store:
        store.bench.record_run({"name": "cpu"}, [{"exercise": "softmax", "backend": "torch", "size": 8,
                                                  "dtype": "float32", "median_ms": "fast"},
                                                 {"exercise": "softmax", "backend": "torch", "size": 8,
                                                  "dtype": "float32", "median_ms": 0.5}])
        assert [row["median_ms"] for row in store.bench.best_rows()] == [0.5]
        assert store.bench.earlier_row("cpu", "softmax", "torch", 8, "float32")["median_ms"] == 0.5
    result = run_cli("progress")
    assert result.exit_code == 0 and "0.5" in result.stdout


def test_a_new_file_migrated_by_another_process_mid_check_is_not_called_foreign(tmp_path):
    # Two llmprep processes opening a new store at once: the other one's first migration can commit
    # while this one checks whose file it is. Here it commits right after this check's first statement.
    from llmprep.store.database import Database
    from llmprep.store.opening import _refuse_foreign

    path = tmp_path / "llmprep.sqlite3"

    class OtherProcessMigratesAfterTheFirstStatement:
        def __init__(self, connection):
            self.connection, self.statements = connection, 0

        def execute(self, sql, *args):
            rows = iter(self.connection.execute(sql, *args).fetchall())  # done: its read has ended
            self.statements += 1
            if self.statements == 1:
                open_store(path).close()
            return type("Rows", (), {"fetchone": lambda _self: next(rows, None)})()

    connection = sqlite3.connect(path, isolation_level=None)
    try:  # raises "not llmprep's progress database" when the check reads a torn state
        _refuse_foreign(Database(path, OtherProcessMigratesAfterTheFirstStatement(connection)))
    finally:
        connection.close()
    with open_store(path) as store:
        assert store.reviews.log() == []
