"""`llmprep progress import/export`: a bad file is refused whole, with its first problems named, and
nothing is written; a good one round-trips everything; a long import lets a quiz answer meanwhile."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from llmprep.quiz.schedule import advance_card
from llmprep.store import ReviewRecord, open_store
from llmprep.store import transfer as transfer_module
from llmprep.store.transfer import export_progress, import_export, parse_export

AT = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def _review(**changes):
    return {"uid": "r1", "card_id": "attention-q1", "question_id": "attention-q1", "topic": "attention",
            "reviewed_at": AT.isoformat(), "rating": 3, "correct": True, "given": "1", "seconds": 2.0,
            "content_hash": "h", **changes}


def _attempt(**changes):
    return {"uid": "c1", "exercise_id": "softmax", "passed": True, "attempted_at": AT.isoformat(), "seed": 7,
            "device": "cpu", "dtype": "float32", "duration_s": 0.5, "details": None, **changes}


def _run(rows, **changes):
    return {"uid": "b1", "run_at": AT.isoformat(), "device": {"name": "cpu"}, "rows": rows, **changes}


def _export(**sections):
    return {"format": "llmprep-progress", "version": 1, **sections}


def _store_file_state(home):
    """What the store holds, table by table (an empty dict when there is no store file)."""
    path = home / "llmprep.sqlite3"
    if not path.exists():
        return {}
    db = sqlite3.connect(path)
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    state = {table: db.execute(f"SELECT * FROM {table}").fetchall() for table in tables}
    db.close()
    return state


BAD_EXPORTS = {
    "a review dated 9999": (_export(reviews=[_review(reviewed_at="9999-01-01T00:00:00+00:00")]),
                            "reviews[0].reviewed_at"),
    "passed as the string false": (_export(check_attempts=[_attempt(passed="false")]), "check_attempts[0].passed"),
    "a median that is a word": (_export(bench_runs=[_run([{"exercise": "softmax", "median_ms": "fast"}])]),
                                "bench_runs[0].rows[0].median_ms"),
    "a 2**70 seed": (_export(check_attempts=[_attempt(seed=2**70)]), "check_attempts[0].seed"),
    "a string where a review belongs": (_export(reviews=["hello"]), "reviews[0]"),
    "a string where the device belongs": (_export(bench_runs=[_run([], device="cpu")]), "bench_runs[0].device"),
    "a dict card_id": (_export(reviews=[_review(card_id={"a": 1})]), "reviews[0].card_id"),
    "a rating of 7": (_export(reviews=[_review(rating=7)]), "reviews[0].rating"),
    "negative seconds": (_export(reviews=[_review(seconds=-1)]), "reviews[0].seconds"),
    "a list where a size belongs": (_export(bench_runs=[_run([{"size": [1, 2]}])]), "bench_runs[0].rows[0].size"),
    "not a date": (_export(solution_views=[{"uid": "v", "exercise_id": "softmax", "viewed_at": "yesterday",
                                            "forced": False}]), "solution_views[0].viewed_at"),
    "a misspelt field": (_export(reviews=[_review(ratting=3)]), "reviews[0].ratting"),
}


@pytest.mark.parametrize("name", list(BAD_EXPORTS))
def test_a_bad_export_is_refused_whole_naming_the_entry_and_nothing_is_written(run_cli, llmprep_home, tmp_path,
                                                                               name):
    document, where = BAD_EXPORTS[name]
    # A good review first: it must not be written either, since the file is refused whole.
    document = {**document, "reviews": [_review(uid="good")] + document.get("reviews", [])}
    if where.startswith("reviews["):
        index = int(where[len("reviews["):where.index("]")])
        where = f"reviews[{index + 1}]" + where[where.index("]") + 1:]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    before = _store_file_state(llmprep_home)
    result = run_cli("progress", "import", str(path))
    assert result.exit_code == 2, result.output
    assert where in result.stderr and str(path) in result.stderr and "nothing was imported" in result.stderr
    assert "Traceback" not in result.output and "damaged" not in result.stderr
    assert _store_file_state(llmprep_home) == before
    as_json = json.loads(run_cli("progress", "import", str(path), "--json").stdout)
    assert where in as_json["error"]["what"] and as_json["exit_code"] == 2


@pytest.mark.parametrize("text, expected", [
    ("[" * 100_000, "nested too deeply"),
    ('{"format": "llmprep-progress", "version": 1, "reviews": ' + "9" * 5000 + "}", "not a JSON file"),
    (b"\xff\xfe{}", "not a JSON file"),
    ('{"format": "llmprep-progress", "version": 1, "reviews": {"a": 1}}', "reviews"),
])
def test_malformed_json_is_a_clear_error_without_a_traceback(run_cli, llmprep_home, tmp_path, text, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    result = run_cli("progress", "import", str(path))
    assert result.exit_code == 2 and expected in result.stderr and "Traceback" not in result.output
    assert not (llmprep_home / "llmprep.sqlite3").exists()


def test_special_files_are_refused_without_being_opened(run_cli, tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # opening it for reading would block until a writer came
    for path in (fifo, "/dev/zero", tmp_path):
        result = run_cli("progress", "import", str(path))
        assert result.exit_code == 2 and "Traceback" not in result.output, path
        assert "not a regular file" in result.stderr or "directory" in result.stderr, path


def test_a_file_over_the_size_cap_is_refused(run_cli, tmp_path, monkeypatch):
    monkeypatch.setattr(transfer_module, "MAX_IMPORT_BYTES", 1000)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(_export(reviews=[_review(uid=f"u{i}") for i in range(50)])))
    result = run_cli("progress", "import", str(path))
    assert result.exit_code == 2 and "at most" in result.stderr


def test_everything_round_trips_content_changes_included(tmp_path):
    with open_store(tmp_path / "a.sqlite3") as store:
        store.reviews.record(ReviewRecord("attention-q1", "attention-q1", "attention", AT, 3, True, "1", 2.0, "h1"),
                             advance_card)
        store.reviews.record(ReviewRecord("attention-q1", "attention-q1", "attention", AT + timedelta(days=1), 1,
                                          False, "9", 1.0, "h2"), advance_card)  # the question changed
        store.checks.record_attempt("softmax", True, seed=3, device="cpu", dtype="float32", duration_s=0.2,
                                    details={"file": "/x/softmax.py"})
        store.checks.record_solution_view("softmax", forced=False)
        store.bench.record_run({"name": "cpu", "cores": 2}, [{"exercise": "softmax", "backend": "torch",
                                                             "size": {"N": 8}, "dtype": "float32", "median_ms": 0.1,
                                                             "extra": [1, 2]}])
        assert len(store.reviews.content_changes()) == 1
        export_progress(store, tmp_path / "out.json")
        original = transfer_module.export_document(store)
    text = (tmp_path / "out.json").read_text()
    with open_store(tmp_path / "b.sqlite3") as other:
        added = import_export(other, parse_export(text, "out.json"), advance_card)
        assert added == {"reviews": 2, "check_attempts": 1, "solution_views": 1, "bench_runs": 1,
                         "content_changes": 1}
        again = import_export(other, parse_export(text, "out.json"), advance_card)
        assert not any(again.values())  # nothing is added twice, content changes included
        copied = transfer_module.export_document(other)
    for key in ("reviews", "check_attempts", "solution_views", "bench_runs", "content_changes"):
        assert copied[key] == original[key], key


def test_a_failed_export_leaves_no_partial_file(tmp_path):
    target = tmp_path / "taken"
    (target / "inside").mkdir(parents=True)  # replacing a non-empty directory fails after the write
    with open_store(tmp_path / "a.sqlite3") as store:
        with pytest.raises(Exception) as caught:
            export_progress(store, target)
    assert "cannot write the export" in str(caught.value)
    assert [p.name for p in tmp_path.iterdir() if "taken" in p.name] == ["taken"]  # no .taken.*.partial


@pytest.mark.slow
def test_a_quiz_answer_is_recorded_while_a_long_import_runs(tmp_path, monkeypatch):
    """The import commits in batches: another writer with a short busy timeout gets in between them."""
    path = tmp_path / "p.sqlite3"
    reviews = [_review(uid=f"u{i}", card_id=f"card-{i % 300}", question_id=f"card-{i % 300}",
                       reviewed_at=(AT + timedelta(minutes=i)).isoformat()) for i in range(6000)]
    export = parse_export(json.dumps(_export(reviews=reviews)), "big.json")
    open_store(path).close()
    started, finished, errors = threading.Event(), threading.Event(), []

    def slow_advance(card_json, rating, at):  # a slow scheduler makes the import long
        started.set()
        time.sleep(0.0002)
        return advance_card(card_json, rating, at)

    def run_import():
        try:
            with open_store(path) as store:
                import_export(store, export, slow_advance)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            finished.set()

    worker = threading.Thread(target=run_import)
    worker.start()
    assert started.wait(60)
    answered = 0
    with open_store(path) as quiz:
        quiz._db.execute("PRAGMA busy_timeout = 2000")  # a writer that gives up fast
        while not finished.is_set() and answered < 20:
            quiz.reviews.record(ReviewRecord("mine", "mine", "attention", AT, 3, True), advance_card)
            answered += 1
    worker.join()
    assert not errors and answered >= 1
    with open_store(path) as store:
        assert len(store.reviews.log()) == 6000 + answered
