"""Feedback that teaches: what a multi answer missed or added, where an order goes wrong, how close a number is;
and free text that is never graded right because a word matched."""

from __future__ import annotations

import io
import json

import pytest
import yaml
from quiz_sample import ATTENTION, TRAINING

from llmprep.quiz.bank import load_bank
from llmprep.quiz.question import parse_question
from llmprep.quiz.session import LineAnswers, run_session

CHOICE, NUMERIC, MULTI = (parse_question(q) for q in yaml.safe_load(ATTENTION))
ORDER, SHORT, SELF_GRADED = (parse_question(q) for q in yaml.safe_load(TRAINING))
BASE = {"id": "attention-x", "topic": "attention", "difficulty": "easy", "prompt": {"en": "?", "zh": "？"},
        "explanation": {"en": ".", "zh": "。"}, "sources": [{"ref": "r"}]}


def test_multi_names_what_was_missed_and_what_was_extra_in_the_letters_shown():
    question = parse_question({**BASE, "type": "multi", "answer": [0, 1, 2, 3],
                               "choices": [{"en": f"c{i}", "zh": f"选{i}"} for i in range(5)]})
    grade = question.grade("a,b,d", None)
    assert grade.correct is False and grade.note == "missed: c"
    assert question.grade("a b c e", None).note == "missed: d; not correct: e"
    shuffled = question.grade("a b c d", [4, 0, 1, 2, 3])  # shown a = bank 4 (wrong), e = bank 3
    assert shuffled.note == "missed: e; not correct: a"
    assert question.grade("a,c", None, "zh").note == "漏选：b, d"
    assert question.grade("abcd", None).correct is True and question.grade("abcd", None).note is None


def test_order_names_the_first_wrong_position():
    grade = ORDER.grade("b a c", None)  # right: b c a
    assert grade.correct is False and grade.note == "position 2 should be c, you put a"
    assert ORDER.grade("c b a", None, "zh").note == "第 1 位应是 b，你填的是 c"


@pytest.mark.parametrize(("given", "correct", "note"), [
    ("0.3333", True, "within ±0.001"),
    ("0.334", True, "within ±0.001"),
    ("0.34", False, "close: off by 2%, but the answer needs ±0.001"),
    ("0.5", False, "off by 50%; the answer needs ±0.001"),
])
def test_a_number_says_the_tolerance_and_how_close_it_was(given, correct, note):
    grade = NUMERIC.grade(given, None)
    assert (grade.correct, grade.note) == (correct, note)


def test_the_issue_example_numbers_show_their_tolerances():
    # 0.41 for 0.4076 and -0.07 for -0.0746: each verdict now says what it allowed.
    tight = parse_question({**BASE, "type": "numeric", "answer": 0.4076, "tolerance": {"abs": 0.0005}})
    loose = parse_question({**BASE, "type": "numeric", "answer": -0.0746, "tolerance": {"abs": 0.005}})
    assert tight.grade("0.41", None).note == "close: off by 0.59%, but the answer needs ±0.0005"
    assert loose.grade("-0.07", None).note == "within ±0.005"
    assert "accepted within ±0.0005" in " ".join(tight.body_lines("en", None, False))
    assert "允许误差 ±0.0005" in " ".join(tight.body_lines("zh", None, False))


def test_a_vector_answer_names_the_entry_that_is_off():
    question = parse_question({**BASE, "id": "gen:toy:1", "family": "toy", "params": {}, "type": "numeric",
                               "answer": [0.5, 0.25], "tolerance": {"abs": 0.01}})
    assert question.grade("0.5 0.3", None).note == "entry 2: close: off by 20%, but the answer needs ±0.01"
    assert question.grade("0.9 0.25", None).note == "entry 1: off by 80%; the answer needs ±0.01"


# The two answers of the issue that keyword grading called right: with the real bank, piped with no
# rating line, they are not graded; the hint counts key points, nothing more.
@pytest.mark.parametrize(("question_id", "answer"), [
    ("code-review-shift-and-mask-fix",
     "Nothing needs to change: you must not shift the targets, and a causal mask is not needed"),
    ("transformer-block-residual-purpose", "It is an additional layer that makes the model deep"),
])
def test_the_wrong_answers_of_the_issue_are_not_graded_right(question_id, answer, run_cli):
    question = load_bank().by_id()[question_id]
    for lang in ("en", "zh"):
        result = run_session([question], seed=1, lang=lang, answers=LineAnswers(io.StringIO(answer + "\n")),
                             view=_Silent())
        (entry,) = result.results
        assert entry.correct is None and entry.rating is None
    rated_again = run_cli("quiz", "--id", question_id, "--json", input=answer + "\n1\n")
    (entry,) = json.loads(rated_again.stdout)["questions"]
    assert (entry["correct"], entry["rating"], entry["self_graded"]) == (False, 1, True)


class _Silent:
    def __getattr__(self, name):
        return lambda *args, **kwargs: None
