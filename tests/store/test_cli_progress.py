"""`llmprep quiz` with the store, and `llmprep progress` (report, export, import, reset), through click."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from store_sample import answer_for

from llmprep.quiz.schedule import advance_card
from llmprep.store import ReviewRecord, open_store


def _quiz(run_cli, *args, answers=None, wrong=()):
    """Run `llmprep quiz --json ARGS`, answering each question right (or wrong when its id is in `wrong`)."""
    planned = json.loads(run_cli("quiz", "--json", *args, input="").stdout)["unanswered"] if answers is None else None
    lines = answers if answers is not None else [("999" if q in wrong else answer_for(q)) for q in planned]
    result = run_cli("quiz", "--json", *args, input="".join(f"{line}\n" for line in lines))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _backdate(question_ids, days, rating=1):
    """Answers given `days` ago (so they are due now)."""
    with open_store() as store:
        for question_id in question_ids:
            topic = question_id.rsplit("-q", 1)[0]
            store.reviews.record(ReviewRecord(question_id, question_id, topic,
                                             datetime.now(timezone.utc) - timedelta(days=days), rating, rating > 1),
                                advance_card)


def test_quiz_serves_due_reviews_first_then_at_most_new_new_ones(run_cli, tiny_bank):
    _backdate(["training-q2"], days=3)
    _backdate(["attention-q4"], days=1)
    document = _quiz(run_cli, "--new", "2", "--seed", "5", answers=[])  # --seed: a drill, not this
    assert document["schedule"] == {"mode": "drill"}
    planned = json.loads(run_cli("quiz", "--json", "--new", "2", input="").stdout)
    assert planned["unanswered"][:2] == ["training-q2", "attention-q4"] and len(planned["unanswered"]) == 4
    assert planned["schedule"] | {"next_due": None} == {"mode": "review", "due": 2, "new": 2, "next_due": None}
    assert len(json.loads(run_cli("quiz", "--json", "-n", "3", input="").stdout)["unanswered"]) == 3


def test_answers_are_recorded_and_due_says_when_the_next_one_is(run_cli, tiny_bank):
    first = _quiz(run_cli, "--seed", "1", "-n", "3", wrong={"attention-q1", "attention-q2", "training-q1",
                                                                 "attention-q3", "attention-q4", "training-q2"})
    assert [q["rating"] for q in first["questions"]] == [None] * 3  # auto-graded: no self-grade
    with open_store() as store:
        logged = store.reviews.log()
    assert [r["question_id"] for r in logged] == [q["id"] for q in first["questions"]]
    assert all(r["rating"] == 1 and r["correct"] == 0 for r in logged)  # wrong -> Again
    result = run_cli("quiz", "--due")
    assert result.exit_code == 0
    assert "nothing is due; the next review" in result.stdout and "is due in 1m" in result.stdout
    as_json = json.loads(run_cli("quiz", "--due", "--json").stdout)
    assert as_json["questions"] == [] and as_json["schedule"]["mode"] == "due"
    assert datetime.fromisoformat(as_json["schedule"]["next_due"]) > datetime.now(timezone.utc)
    unseen = next(q for q in ("training-q2", "attention-q4", "attention-q3", "training-q1")
                  if q not in {r["question_id"] for r in logged})
    _backdate([unseen], days=2)
    due = json.loads(run_cli("quiz", "--due", "--json", input=f"{answer_for(unseen)}\n").stdout)
    assert [q["id"] for q in due["questions"]] == [unseen] and due["questions"][0]["correct"] is True


def test_due_and_generated_do_not_mix(run_cli, tiny_bank):
    result = run_cli("quiz", "--due", "--generated", "all")
    assert result.exit_code == 2 and "--due and --generated" in result.stderr


def test_progress_report_per_topic_exercises_bench_and_activity(run_cli, tiny_bank):
    _backdate(["attention-q1"], days=40, rating=3)  # outside the 30-day window: not in the accuracy
    _quiz(run_cli, "--seed", "3", "-n", "6", wrong={"attention-q1"})
    with open_store() as store:
        store.checks.record_attempt("softmax", False, seed=1, device="cpu", dtype="float32", duration_s=1)
        store.checks.record_attempt("softmax", True, seed=2, device="cpu", dtype="float32", duration_s=1)
        store.checks.record_attempt("multi-head-attention", False, seed=3, device="cpu", dtype="float32",
                                   duration_s=1)
        store.bench.record_run({"name": "cpu"}, [{"exercise": "softmax", "backend": "torch", "size": 1024,
                                                   "dtype": "float32", "median_ms": 0.25, "pct_peak": 12.5}])
    result = run_cli("progress", "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    topics = {row["topic"]: row for row in report["topics"]}
    assert topics["attention"] | {"next_due": None} == {
        "topic": "attention", "seen": 4, "total": 4, "answered_30d": 4, "accuracy_30d": 0.75, "due_now": 0,
        "next_due": None}
    assert topics["training"]["accuracy_30d"] == 1.0 and topics["training"]["seen"] == 2
    assert topics["code-review"] == {"topic": "code-review", "seen": 0, "total": 0, "answered_30d": 0,
                                     "accuracy_30d": None, "due_now": 0, "next_due": None}
    assert report["totals"]["seen"] == 6 and report["totals"]["total"] == 6
    assert report["exercises"]["attempted"] == 2 and report["exercises"]["passed"] == 1
    assert report["bench"]["best"][0]["median_ms"] == 0.25
    assert report["activity"]["counts"][-1] == 9 and report["activity"]["sparkline"].endswith("█")
    assert len(report["activity"]["sparkline"]) == 30
    text = run_cli("progress").stdout
    assert "attention" in text and "4/4" in text and "75% of 4" in text
    assert "1 passed of 2 attempted" in text and "softmax" in text and "best bench results" in text
    assert "activity, last 30 days" in text and "█" in text


def test_progress_shows_one_bench_row_per_exercise_and_backend_per_device(run_cli, tiny_bank):
    def row(backend, size, ms, dtype="float32"):
        return {"exercise": "softmax", "backend": backend, "size": size, "dtype": dtype, "median_ms": ms}

    with open_store() as store:
        for run in range(3):  # three runs of a sweep: 3 sizes x 2 backends each
            store.bench.record_run({"name": "Xeon-test"}, [row(b, {"N": n}, n * (1 + run) / 100)
                                                           for b in ("torch", "reference") for n in (8, 64, 512)])
        store.bench.record_run({"name": "Xeon-test"}, [row("torch", {"N": 512}, 0.1, dtype="float64")])
        store.bench.record_run({"name": "H100-test"}, [row("torch", {"N": 64}, 0.01)])
    report = json.loads(run_cli("progress", "--json").stdout)
    assert len(report["bench"]["best"]) == 3 * 2 + 1 + 1  # every size and dtype, kept in the JSON
    shown = {device: [(r["backend"], r["size"], r["dtype"], r["median_ms"]) for r in rows]
             for device, rows in report["bench"]["by_device"].items()}
    assert shown == {"H100-test": [("torch", {"N": 64}, "float32", 0.01)],
                     "Xeon-test": [("reference", {"N": 512}, "float32", 5.12), ("torch", {"N": 512}, "float32", 5.12)]}
    text = run_cli("progress").stdout
    assert text.count("Xeon-test") == 1 and text.count("H100-test") == 1  # each device once, as a title
    assert "best bench results on Xeon-test" in text


def test_progress_on_an_empty_store(run_cli, tiny_bank):
    result = run_cli("progress")
    assert result.exit_code == 0
    assert "0/4" in result.stdout and "none checked yet" in result.stdout and "nothing measured yet" in result.stdout


def test_export_then_import_elsewhere_merges_without_duplicates(run_cli, tiny_bank, tmp_path, monkeypatch):
    _quiz(run_cli, "--seed", "1", "-n", "4", wrong={"attention-q2"})
    with open_store() as store:
        store.checks.record_attempt("softmax", True, seed=1, device="cpu", dtype="float32", duration_s=1,
                                   details={"cases": 12})
        store.bench.record_run({"name": "cpu"}, [{"exercise": "softmax", "backend": "torch", "dtype": "float32",
                                                   "size": 8, "median_ms": 1.0}])
        cards = {card_id: store.reviews.card_state(card_id) for card_id in store.reviews.scheduled_card_ids()}
    export = tmp_path / "progress.json"
    result = run_cli("progress", "export", str(export))
    assert result.exit_code == 0 and "exported 4 reviews" in result.stdout
    document = json.loads(export.read_text())
    assert document["format"] == "llmprep-progress" and document["version"] == 1 and len(document["reviews"]) == 4

    # Another machine: its own answers, then the export merged in, twice.
    monkeypatch.setenv("LLMPREP_HOME", str(tmp_path / "other"))
    _quiz(run_cli, "--seed", "2", "-n", "2")
    first = json.loads(run_cli("progress", "import", str(export), "--json").stdout)
    assert first["added"] == {"reviews": 4, "check_attempts": 1, "solution_views": 0, "bench_runs": 1,
                              "content_changes": 0}
    again = run_cli("progress", "import", str(export))
    assert again.exit_code == 0 and "nothing new" in again.stdout
    with open_store() as store:
        assert len(store.reviews.log()) == 6
        assert store.checks.summary()["softmax"]["passes"] == 1 and len(store.bench.best_rows()) == 1
        for card_id, state in cards.items():
            if len(store.reviews.log(card_id)) == 1:  # only the imported review: the same schedule as at home
                assert store.reviews.card_state(card_id) == state
            else:  # reviewed on both machines: both reviews count
                assert store.reviews.card_state(card_id)["last_review"] >= state["last_review"]


def test_import_refuses_what_is_not_an_export(run_cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert run_cli("progress", "import", str(bad)).exit_code == 2
    bad.write_text(json.dumps({"format": "something-else"}))
    result = run_cli("progress", "import", str(bad))
    assert result.exit_code == 2 and "not an llmprep progress export" in result.stderr
    bad.write_text(json.dumps({"format": "llmprep-progress", "version": 99}))
    assert "upgrade llmprep" in run_cli("progress", "import", str(bad)).stderr
    bad.write_text(json.dumps({"format": "llmprep-progress", "version": 1, "reviews": [{"uid": "x"}]}))
    result = run_cli("progress", "import", str(bad))
    assert result.exit_code == 2 and "not a valid" in result.stderr and "Traceback" not in result.output
    missing = run_cli("progress", "import", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_reset_asks_first_and_can_be_limited_to_a_topic(run_cli, tiny_bank):
    _quiz(run_cli, "--seed", "1", "-n", "6")
    declined = run_cli("progress", "reset", input="n\n")
    assert declined.exit_code == 0 and "nothing was deleted" in declined.stdout
    assert "6 reviews" in declined.stderr  # the question says what would go
    with open_store() as store:
        assert len(store.reviews.log()) == 6
    topic = run_cli("progress", "reset", "--topic", "training", input="y\n")
    assert topic.exit_code == 0 and "deleted the quiz progress of training: 2 reviews, 2 cards" in topic.stdout
    with open_store() as store:
        assert {r["topic"] for r in store.reviews.log()} == {"attention"}
    assert run_cli("progress", "reset", "--topic", "atention", "--yes").exit_code == 2
    everything = json.loads(run_cli("progress", "reset", "--yes", "--json").stdout)
    assert everything["reset"] is True and everything["deleted"]["reviews"] == 4
    with open_store() as store:
        assert store.reviews.log() == [] and store.reviews.scheduled_card_ids() == set()
    assert "nothing to reset" in run_cli("progress", "reset", "--yes").stdout
