"""Choosing a session's questions and running it over an answer source."""

from __future__ import annotations

import io

import pytest
from quiz_sample import make_toy_question, write_bank

from llmprep.errors import UserError
from llmprep.language import default_language
from llmprep.quiz.answers import correct_answer_text
from llmprep.quiz.bank import read_bank
from llmprep.quiz.generators import FAMILIES, Family, load_families, register
from llmprep.quiz.session import (
    AnswerResult,
    LineAnswers,
    choice_order_for,
    filter_questions,
    plan_session,
    run_session,
    seeded_selection,
)


@pytest.fixture
def bank(tmp_path):
    loaded, problems = read_bank(write_bank(tmp_path / "bank"))
    assert problems == []
    return loaded


class RecordingView:
    """A view that records what the session showed, in order."""

    def __init__(self, events):
        self.events = events

    def question(self, presented):
        self.events.append(("question", presented.question.id))

    def echo(self, text):
        pass

    def retry(self, message):
        self.events.append(("retry", message))

    def model_answer(self, presented, grade):
        self.events.append(("model", presented.question.id))

    def feedback(self, presented, result):
        self.events.append(("feedback", presented.question.id))

    def stopped(self, answered, total):
        self.events.append(("stopped", answered, total))


class ScriptedPerson:
    """An interactive answer source that types the given lines; raises what it is given."""

    interactive = True

    def __init__(self, lines, events, ratings=()):
        self.lines, self.events, self.ratings = list(lines), events, list(ratings)

    def read(self, prompt):
        if not self.lines:
            raise EOFError
        line = self.lines.pop(0)
        if isinstance(line, BaseException):
            raise line
        self.events.append(("read", line))
        return line

    def rate(self, prompt, default=None):
        if default is not None and not self.ratings:
            return default
        return self.ratings.pop(0)


def test_default_language_follows_the_locale():
    assert default_language({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_language({"LANG": "en_US.UTF-8"}) == "en"
    assert default_language({}) == "en"
    assert default_language({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"  # LC_ALL wins
    assert default_language({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "C"}) == "zh"


def test_seeded_selection_is_reproducible_and_independent_of_file_order(bank):
    questions = bank.questions
    first = seeded_selection(questions, 4, 7)
    assert [q.id for q in first] == [q.id for q in seeded_selection(list(reversed(questions)), 4, 7)]
    picks = {tuple(q.id for q in seeded_selection(questions, 6, seed)) for seed in range(20)}
    assert len(picks) > 5  # different seeds, different orders
    assert len(seeded_selection(questions, 100, 1)) == 6


def test_filters(bank):
    assert {q.id for q in filter_questions(bank.questions, topics=["training"], types=["short"])} == {
        "training-adamw", "training-why-warmup"}
    assert [q.id for q in filter_questions(bank.questions, difficulties=["hard"], types=["numeric"])] == [
        "attention-dog-weight"]


def test_choice_order_is_reproducible_and_shuffled(bank):
    choice = bank.by_id()["attention-why-sqrt-dk"]
    assert choice_order_for(choice, 1) == choice_order_for(choice, 1)
    assert sorted(choice_order_for(choice, 1)) == [0, 1, 2, 3]
    assert len({tuple(choice_order_for(choice, seed)) for seed in range(30)}) > 5
    assert choice_order_for(bank.by_id()["attention-dog-weight"], 1) is None


def test_plan_uses_all_and_says_so_when_n_is_too_large(bank):
    plan = plan_session(bank, count=10, seed=3, topics=["attention"])
    assert sorted(q.id for q in plan.questions) == ["attention-dog-weight", "attention-masks", "attention-why-sqrt-dk"]
    assert plan.notes == ["only 3 question(s) match; asking all 3"]


def test_plan_errors(bank):
    with pytest.raises(UserError) as unknown:
        plan_session(bank, topics=["atention"])
    assert "did you mean 'attention'" in unknown.value.what and "code-review" in unknown.value.fix
    with pytest.raises(UserError) as nothing:
        plan_session(bank, topics=["training"], types=["numeric"])
    assert nothing.value.what == "no question matches --topic training --type numeric"


def test_the_selector_is_replaceable(bank):
    calls = []

    def hardest_first(candidates, n, seed):
        calls.append((len(candidates), n, seed))
        return sorted(candidates, key=lambda q: ("hard", "medium", "easy").index(q.difficulty))[:n]

    plan = plan_session(bank, count=2, seed=5, selector=hardest_first)
    assert calls == [(6, 2, 5)]
    assert [q.difficulty for q in plan.questions] == ["hard", "hard"]


def test_generated_only_when_no_bank_filter(bank, toy_family):
    plan = plan_session(bank, count=5, seed=11, generated=["toy-softmax"])
    assert len(plan.questions) == 5 and all(q.family == "toy-softmax" for q in plan.questions)
    assert len({q.id for q in plan.questions}) == 5
    again = plan_session(bank, count=5, seed=11, generated=["all"])
    assert [q.id for q in again.questions] == [q.id for q in plan.questions]


def test_generated_mixed_with_bank_filters(bank, toy_family):
    plan = plan_session(bank, count=5, seed=2, topics=["training"], generated=["toy-softmax"])
    kinds = sorted("gen" if q.is_generated else q.topic for q in plan.questions)
    assert kinds == ["gen", "gen", "training", "training", "training"]  # n // 2 generated
    short = plan_session(bank, count=6, seed=2, topics=["training"], generated=["toy-softmax"])
    assert sum(q.is_generated for q in short.questions) == 3
    few = plan_session(bank, count=8, seed=2, topics=["training"], generated=["toy-softmax"])
    assert sum(q.is_generated for q in few.questions) == 5  # the bank has 3 training questions
    assert "generated questions fill the rest" in few.notes[0]


def test_all_narrowed_by_topic(bank, toy_family):
    plan = plan_session(bank, count=4, seed=2, topics=["training"], generated=["all"])
    # toy-softmax is an attention family: `all` with --topic training has none.
    assert not any(q.is_generated for q in plan.questions)
    assert "no generator family covers training" in plan.notes[0]
    attention = plan_session(bank, count=4, seed=2, topics=["attention"], generated=["all"])
    assert sum(q.is_generated for q in attention.questions) == 2


def test_unknown_family(bank, toy_family):
    with pytest.raises(UserError) as raised:
        plan_session(bank, generated=["toy"])
    assert "toy-softmax" in raised.value.fix


def test_a_broken_family_is_reported_as_a_bug(bank, monkeypatch):
    monkeypatch.setitem(FAMILIES, "broken", Family("broken", "attention", {"en": "", "zh": ""},
                                                   lambda seed: make_toy_question(seed)))
    with pytest.raises(RuntimeError, match="expected a Question with id 'gen:broken:"):
        plan_session(bank, generated=["broken"], count=1, seed=1)


def test_register_refuses_a_second_family_with_the_same_name(toy_family):
    assert register(toy_family) is toy_family  # the same one again is harmless
    with pytest.raises(ValueError, match="toy-softmax"):
        register(Family("toy-softmax", "training", {"en": "", "zh": ""}, make_toy_question))
    assert load_families() is FAMILIES and FAMILIES["toy-softmax"] is toy_family


def test_each_answer_is_handed_over_when_it_is_given(bank):
    questions = [bank.by_id()[i] for i in ("attention-dog-weight", "attention-why-sqrt-dk", "training-why-warmup")]
    events: list = []
    right_choice = correct_answer_text(questions[1], choice_order_for(questions[1], 4), "en")
    person = ScriptedPerson(["33.3%", right_choice, "no idea"], events, ratings=[3, 4, 1])  # good, easy, again

    def on_answer(result: AnswerResult):
        events.append(("committed", result.question_id, result.correct))

    result = run_session(questions, seed=4, lang="en", answers=person, view=RecordingView(events),
                         on_answer=on_answer)
    committed = [e for e in events if e[0] == "committed"]
    assert committed == [("committed", "attention-dog-weight", True), ("committed", "attention-why-sqrt-dk", True),
                         ("committed", "training-why-warmup", False)]
    # Committed before the next question is shown, and the self-graded one after the model answer.
    assert events.index(committed[0]) < events.index(("question", "attention-why-sqrt-dk"))
    assert events.index(("model", "training-why-warmup")) < events.index(committed[2])
    assert result.finished and [r.self_graded for r in result.results] == [False, False, True]
    # Good after a right answer is the default (None); easy and the self-grade are kept.
    assert [r.rating for r in result.results] == [None, 4, 1]
    assert result.results[0].answered_at.tzinfo is not None


def test_an_unreadable_answer_is_asked_again_at_a_terminal(bank):
    events: list = []
    person = ScriptedPerson(["zz", "", "0.3333"], events)
    result = run_session([bank.by_id()["attention-dog-weight"]], seed=1, lang="en", answers=person,
                         view=RecordingView(events))
    assert [e[0] for e in events].count("retry") == 2
    assert result.results[0].correct is True and result.results[0].given == "0.3333"


def test_an_unreadable_answer_in_a_pipe_counts_as_wrong_with_a_note(bank):
    result = run_session([bank.by_id()["attention-dog-weight"], bank.by_id()["training-why-warmup"]], seed=1,
                         lang="en", answers=LineAnswers(io.StringIO("zz\nwarm-up helps\n")), view=RecordingView([]))
    first, second = result.results
    assert first.correct is False and "not an answer" in first.note
    assert second.correct is None and "not rated" in second.note  # no rating line after it: not graded
    totals = result.totals()
    assert (totals["correct"], totals["wrong"], totals["ungraded"], totals["score"]) == (0, 1, 1, 0.0)


@pytest.mark.parametrize("stop", [EOFError(), KeyboardInterrupt()], ids=["eof", "ctrl-c"])
def test_eof_or_ctrl_c_ends_with_what_was_answered(bank, stop):
    events: list = []
    questions = bank.questions[:4]
    answers = [correct_answer_text(q, choice_order_for(q, 9), "en") for q in questions[:2]]
    result = run_session(questions, seed=9, lang="en", answers=ScriptedPerson([*answers, stop], events),
                         view=RecordingView(events))
    assert not result.finished
    assert [r.question_id for r in result.results] == [q.id for q in questions[:2]]
    assert all(r.correct for r in result.results)
    assert ("stopped", 2, 4) in events
    document = result.to_json()
    assert document["unanswered"] == [q.id for q in questions[2:]]
    assert document["totals"]["answered"] == 2 and document["totals"]["planned"] == 4


def test_all_with_no_family_installed(bank, monkeypatch):
    import llmprep.quiz.generators as generators

    monkeypatch.setattr(generators, "FAMILIES", {})
    monkeypatch.setattr(generators, "__path__", [])  # nothing to import either
    with pytest.raises(UserError, match="no generator families are installed"):
        plan_session(bank, generated=["all"])


def test_in_a_pipe_the_line_after_a_short_answer_is_its_rating_when_it_is_one(bank):
    short, numeric = bank.by_id()["training-why-warmup"], bank.by_id()["attention-dog-weight"]
    rated = run_session([short, numeric], seed=1, lang="en", answers=LineAnswers(io.StringIO("warm-up\n2\n1/3\n")),
                        view=RecordingView([]))
    assert [(r.correct, r.rating, r.self_graded) for r in rated.results] == [(True, 2, True), (True, None, False)]
    # Not a rating: no grade, and that line is the next question's answer.
    unrated = run_session([short, numeric], seed=1, lang="en", answers=LineAnswers(io.StringIO("warm-up\n1/3\n")),
                          view=RecordingView([]))
    assert [(r.correct, r.given) for r in unrated.results] == [(None, "warm-up"), (True, "1/3")]
    again = run_session([short], seed=1, lang="en", answers=LineAnswers(io.StringIO("warm-up\nagain\n")),
                        view=RecordingView([]))
    assert (again.results[0].correct, again.results[0].rating) == (False, 1)


def test_undecodable_or_out_of_range_lines_in_a_pipe_are_wrong_with_a_note(bank):
    numeric = bank.by_id()["attention-dog-weight"]
    lines = io.BytesIO(b"\xff\n3.15x10^999999\n" + b"9" * 100_000 + b"\n1/3\n")
    result = run_session([numeric] * 4, seed=1, lang="zh", answers=LineAnswers(lines), view=RecordingView([]))
    notes = [r.note for r in result.results]
    assert [r.correct for r in result.results] == [False, False, False, True]
    assert "UTF-8" in notes[0] and "记为错误" in notes[0] and "不是数字" in notes[1] and "太长" in notes[2]


def test_undecodable_lines_at_a_terminal_are_asked_again(bank):
    from llmprep.quiz.session import TerminalAnswers

    class Console:
        def __init__(self, lines):
            self.lines = lines
            self.out = self

        def input(self, prompt):
            return self.lines.pop(0)

    events: list = []
    terminal = TerminalAnswers(Console(["\udcff", "3.15x10^999999", "1/3", ""]))
    result = run_session([bank.by_id()["attention-dog-weight"]], seed=1, lang="en", answers=terminal,
                         view=RecordingView(events))
    retries = [e[1] for e in events if e[0] == "retry"]
    assert len(retries) == 2 and "UTF-8" in retries[0] and "not a number" in retries[1]
    assert result.results[0].correct is True


@pytest.mark.parametrize("stop", [EOFError(), KeyboardInterrupt()], ids=["eof", "ctrl-c"])
def test_stopping_at_a_rating_prompt_keeps_the_answer_recorded_and_reported(bank, stop):
    class StopsWhenRating(ScriptedPerson):
        def rate(self, prompt, default=None):
            raise stop

    committed: list = []
    question = bank.by_id()["training-why-warmup"]
    result = run_session([question, bank.by_id()["attention-dog-weight"]], seed=1, lang="en",
                         answers=StopsWhenRating(["warm-up"], []), view=RecordingView([]),
                         on_answer=committed.append)
    assert [r.question_id for r in committed] == ["training-why-warmup"] == [r.question_id for r in result.results]
    assert result.results[0].correct is None and not result.finished
