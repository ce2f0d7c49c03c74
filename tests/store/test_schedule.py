"""FSRS scheduling: the same schedule as the fsrs package, and the due-first pick of `llmprep quiz`."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from fsrs import Card, Rating, Scheduler
from hypothesis import given, settings
from hypothesis import strategies as st
from store_sample import write_tiny_bank

from llmprep.quiz.bank import load_bank
from llmprep.quiz.schedule import (
    AnswerRecorder,
    advance_card,
    card_id_for,
    pick_scheduled,
    plan_quiz,
    rating_of,
)
from llmprep.quiz.session import AnswerResult
from llmprep.store import ReviewRecord, open_store, parse_time, replay
from llmprep.store.transfer import export_document, import_export, parse_export

START = datetime(2023, 1, 5, 9, 0, tzinfo=timezone.utc)  # + up to 3 years of reviews: all in the past

reviews_strategy = st.lists(
    st.tuples(st.sampled_from([1, 2, 3, 4]), st.integers(min_value=0, max_value=60 * 24 * 90)),  # minutes later
    min_size=1, max_size=12)


@pytest.mark.slow  # 4.2 s measured: 30 examples, a store each
@settings(max_examples=30, deadline=None)
@given(reviews=reviews_strategy)
def test_the_stored_schedule_equals_the_fsrs_packages_own(reviews, tmp_path_factory):
    path = tmp_path_factory.mktemp("fsrs") / "p.sqlite3"
    scheduler = Scheduler(enable_fuzzing=False)
    expected = Card(card_id=0, due=START)
    at = START
    with open_store(path) as store:
        for rating, gap_minutes in reviews:
            at += timedelta(minutes=gap_minutes)
            expected, _ = scheduler.review_card(expected, Rating(rating), review_datetime=at)
            store.reviews.record(ReviewRecord("c", "c", "attention", at, rating, rating > 1), advance_card)
            stored = store.reviews.card_state("c")
            assert {k: stored[k] for k in ("state", "step", "stability", "difficulty", "due", "last_review")} == \
                {k: v for k, v in expected.to_dict().items() if k != "card_id"}
        assert [card.due for card in store.reviews.due_cards(expected.due)] == [expected.due]
        assert store.reviews.due_cards(expected.due - timedelta(seconds=1)) == []
        document = export_document(store)
    # Replaying the log gives the same card, on its own and through an import into an empty store.
    replayed, due = replay([(rating, START + timedelta(minutes=sum(g for _, g in reviews[:i + 1])))
                                 for i, (rating, _) in enumerate(reviews)], advance_card)
    assert json.loads(replayed) == expected.to_dict() and due == expected.due
    with open_store(path.with_name("imported.sqlite3")) as imported:
        import_export(imported, parse_export(json.dumps(document), "test"), advance_card)
        stored = imported.reviews.card_state("c")
    assert {k: v for k, v in stored.items() if k != "content_hash"} == expected.to_dict()


def test_ratings_right_good_wrong_again_self_graded_as_chosen():
    def result(correct, rating=None):
        return AnswerResult("q", "attention", "short", "x", correct, None, None, START, rating=rating)

    assert rating_of(result(True)) == 3 and rating_of(result(False)) == 1
    assert rating_of(result(True, rating=4)) == 4 and rating_of(result(True, rating=2)) == 2
    assert rating_of(result(None)) is None


def test_a_generated_question_reviews_its_familys_card(tiny_bank):
    question = load_bank().questions[0].model_copy(update={"id": "gen:softmax:17", "family": "softmax"})
    assert card_id_for(question) == "gen:softmax"
    assert card_id_for(load_bank().questions[0]) == "attention-q1"


def test_due_reviews_come_first_most_overdue_first_then_new(tiny_bank):
    bank = load_bank()
    now = datetime.now(timezone.utc)
    with open_store() as store:
        # attention-q3 answered wrong 2 days ago, attention-q1 wrong 1 day ago: both due (learning step 1 min).
        for question_id, days in (("attention-q1", 1), ("attention-q3", 2)):
            store.reviews.record(ReviewRecord(question_id, question_id, "attention", now - timedelta(days=days), 1,
                                             False), advance_card)
        # training-q1 answered right just now: scheduled, not due, and no longer new.
        store.reviews.record(ReviewRecord("training-q1", "training-q1", "training", now, 3, True), advance_card)
        pick = pick_scheduled(bank, store, count=10, new=2, seed=1, now=now)
        ids = [q.id for q in pick.questions]
        assert ids[:2] == ["attention-q3", "attention-q1"] and (pick.due, pick.new) == (2, 2)
        assert len(ids) == 4 and not {"training-q1", "attention-q1", "attention-q3"} & set(ids[2:])
        assert [q.id for q in pick_scheduled(bank, store, count=1, new=5, seed=1, now=now).questions] == \
            ["attention-q3"]  # -n caps the session, due ones first
        due_only = plan_quiz(bank, store, count=10, new=5, seed=None, due_only=True, now=now)
        assert [q.id for q in due_only.questions] == ["attention-q3", "attention-q1"]
        assert due_only.schedule == {"mode": "due", "due": 2, "new": 0, "next_due": None}
        narrowed = plan_quiz(bank, store, count=10, new=5, seed=None, due_only=True, topics=["training"], now=now)
        assert narrowed.questions == [] and narrowed.schedule["next_due"] is not None
        assert "nothing is due" in narrowed.info[0] and "training-q1" in narrowed.info[0]
        drill = plan_quiz(bank, store, count=6, new=0, seed=3, now=now)  # --seed: a fixed pick, schedule ignored
        assert drill.mode == "drill" and len(drill.questions) == 6


def test_a_changed_question_keeps_its_history_and_the_change_is_noted(tiny_bank, tmp_path):
    old = load_bank().by_id()["attention-q2"]
    new = load_bank(write_tiny_bank(tmp_path / "edited", {"attention-q2": "What is two?"})).by_id()["attention-q2"]
    changed: list[str] = []
    with open_store() as store:
        for question in (old, old, new):
            record = AnswerRecorder(store, [question], on_change=changed.append)
            record(AnswerResult(question.id, "attention", "numeric", "2", True, None, None,
                                datetime.now(timezone.utc)))
        assert changed == ["attention-q2"]
        assert len(store.reviews.log("attention-q2")) == 3  # the history is kept
        (change,) = store.reviews.content_changes()
        assert change["card_id"] == "attention-q2" and change["old_hash"] != change["new_hash"]
        assert store.reviews.card_state("attention-q2")["content_hash"] == change["new_hash"]
        assert store.reviews.card_state("attention-q2")["stability"] > 0


def test_a_self_graded_answer_is_scheduled_with_the_rating_chosen(tmp_path):
    from llmprep.quiz.question import parse_question
    from llmprep.quiz.session import parse_rating, run_session

    assert [parse_rating(r) for r in ("1", "hard", "G", "4", "y", "n", "好", "maybe")] == [1, 2, 3, 4, 3, 1, 3, None]
    question = parse_question({
        "id": "training-why-warmup", "topic": "training", "type": "short", "difficulty": "medium",
        "prompt": {"en": "Why warm up?", "zh": "为什么预热？"}, "answer": {"en": "Adam's early steps.", "zh": "早期步长。"},
        "explanation": {"en": "Early estimates are noisy.", "zh": "早期估计噪声大。"}, "sources": [{"ref": "test"}]})

    class Person:
        interactive = True

        def read(self, prompt):
            return "the variance estimate is poor early"

        def rate(self, prompt):
            assert "1 again" in prompt and "4 easy" in prompt
            return 2  # hard

    class Quiet:
        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    with open_store(tmp_path / "p.sqlite3") as store:
        result = run_session([question], seed=1, lang="en", answers=Person(), view=Quiet(),
                             on_answer=AnswerRecorder(store, [question]))
        (review,) = store.reviews.log()
        assert result.results[0].rating == 2 and result.results[0].correct is True
        assert (review["rating"], review["correct"]) == (2, 1)
        hard = json.loads(advance_card(None, 2, parse_time(review["reviewed_at"]))[0])
        assert store.reviews.card_state("training-why-warmup")["difficulty"] == hard["difficulty"]
        assert hard["difficulty"] != json.loads(advance_card(None, 3, START)[0])["difficulty"]  # good differs


def test_a_due_family_card_brings_a_fresh_question_of_that_family(tiny_bank, monkeypatch):
    from llmprep.quiz.generators import FAMILIES, Family

    template = load_bank().by_id()["attention-q2"]

    def make(seed):
        return template.model_copy(update={"id": f"gen:toy-store:{seed}", "family": "toy-store",
                                           "params": {"seed": seed}})

    monkeypatch.setitem(FAMILIES, "toy-store", Family("toy-store", "attention", {"en": "", "zh": ""}, make))
    now = datetime.now(timezone.utc)
    with open_store() as store:
        AnswerRecorder(store, [make(5)])(AnswerResult("gen:toy-store:5", "attention", "numeric", "9", False,
                                                      "toy-store", {"seed": 5}, now - timedelta(days=1)))
        assert store.reviews.scheduled_card_ids() == {"gen:toy-store"}
        (question,) = plan_quiz(load_bank(), store, count=5, new=0, seed=None, due_only=True, now=now).questions
        assert question.family == "toy-store" and question.id != "gen:toy-store:5"
        monkeypatch.delitem(FAMILIES, "toy-store")  # a family that is gone is skipped, with a note
        gone = plan_quiz(load_bank(), store, count=5, new=0, seed=None, due_only=True, now=now)
        assert gone.questions == [] and "gen:toy-store" in gone.notes[0]
