"""Real processes: an answer is on disk when it is given, and two quizzes at once lose nothing."""

from __future__ import annotations

import json
import signal

from store_sample import answer_for, start_quiz, write_tiny_bank

from llmprep.quiz.schedule import advance_card
from llmprep.store import open_store, parse_time, replay


def _wait_for(proc, text: str) -> None:
    seen = []
    for line in proc.stderr:
        if text in line:
            return
        seen.append(line)
    raise AssertionError(f"{text!r} never appeared; the process wrote:\n{''.join(seen)[-3000:]}")


def _answered_ids(home):
    with open_store(home / "llmprep.sqlite3") as store:
        return [review["question_id"] for review in store.reviews.log()]


def test_a_killed_quiz_keeps_every_answer_already_given(tmp_path):
    bank = write_tiny_bank(tmp_path / "questions")
    home = tmp_path / "home"
    proc = start_quiz(bank, home, "-n", "4", "--seed", "2", "--json")
    try:
        proc.stdin.write("1\n2\n")  # two answers (right or wrong does not matter here)
        proc.stdin.flush()
        _wait_for(proc, "Question 3/4")  # blocked reading the third answer
        proc.kill()  # SIGKILL: no cleanup runs
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert len(_answered_ids(home)) == 2


def test_ctrl_c_keeps_the_answers_and_exits_cleanly(tmp_path):
    bank = write_tiny_bank(tmp_path / "questions")
    home = tmp_path / "home"
    proc = start_quiz(bank, home, "-n", "4", "--seed", "2", "--json")
    try:
        proc.stdin.write("1\n")
        proc.stdin.flush()
        _wait_for(proc, "Question 2/4")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "Traceback" not in err
    answered = [q["id"] for q in json.loads(out)["questions"]]
    assert len(answered) == 1 and _answered_ids(home) == answered


def test_two_quizzes_answering_at_the_same_time_lose_no_review(tmp_path):
    from llmprep.quiz.bank import load_bank
    from llmprep.quiz.session import plan_session

    bank = write_tiny_bank(tmp_path / "questions")
    home = tmp_path / "home"
    order = [q.id for q in plan_session(load_bank(bank), count=6, seed=9).questions]
    # The two processes type their answers differently ("3" and "3.0") so the log tells them apart.
    scripts = ["".join(f"{answer_for(qid)}{suffix}\n" for qid in order) for suffix in ("", ".0")]
    rounds = 2
    for _ in range(rounds):
        procs = [start_quiz(bank, home, "-n", "6", "--seed", "9", "--json") for _ in scripts]
        for proc in procs:  # both started, store open, first question on screen...
            _wait_for(proc, "Question 1/6")
        for proc, script in zip(procs, scripts, strict=True):  # ...then both answer as fast as they can
            proc.stdin.write(script)
            proc.stdin.flush()
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            assert json.loads(out)["totals"]["correct"] == 6
    with open_store(home / "llmprep.sqlite3") as store:
        reviews = store.reviews.log()
    assert len(reviews) == 2 * 6 * rounds and len({r["uid"] for r in reviews}) == len(reviews)
    writers = ["b" if r["given"].endswith(".0") else "a" for r in reviews]  # in time order
    assert writers.count("a") == writers.count("b") == 6 * rounds
    for question_id in order:
        mine = [r for r in reviews if r["card_id"] == question_id]
        assert len(mine) == 2 * rounds
        # Every review reached the card, in order: its state is what a replay of its whole log gives.
        card_json, _due = replay([(r["rating"], parse_time(r["reviewed_at"])) for r in mine], advance_card)
        with open_store(home / "llmprep.sqlite3") as store:
            stored = store.reviews.card_state(question_id)
        assert {k: v for k, v in stored.items() if k != "content_hash"} == json.loads(card_json)
