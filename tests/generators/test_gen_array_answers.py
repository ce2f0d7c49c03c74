"""Vector and matrix answers: how they are typed, graded, shown, and validated."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from llmprep.quiz.answers import AnswerParseError, correct_answer_text, grade_answer, parse_numbers
from llmprep.quiz.question import Question, parse_question

BASE = {"topic": "attention", "type": "numeric", "difficulty": "easy", "prompt": {"en": "?", "zh": "？"},
        "explanation": {"en": "e", "zh": "解"}, "sources": [{"ref": "test"}], "tolerance": {"abs": 0.005}}


def generated(answer, **extra) -> Question:
    return parse_question({**BASE, "id": "gen:toy:1", "family": "toy", "params": {}, "answer": answer, **extra})


@pytest.mark.parametrize("typed", ["3 4; 3.41 4.41", "[[3, 4], [3.41, 4.41]]", "3,4;3.41,4.41", "3 4 3.41 4.41",
                                   "[3, 4; 3.41, 4.41]", "３ ４；３.４１ ４.４１", "3 4; 341/100 4.41"])
def test_matrix_forms(typed):
    assert parse_numbers(typed, (2, 2)) == [3.0, 4.0, 3.41, 4.41]


@pytest.mark.parametrize(("typed", "message"), [
    ("3 4 5", "expected 2 rows of 2 numbers"),
    ("3 4 5; 6", "in 2 rows"),
    ("1 2; 3 4; 5 6", "in 3 rows"),
    ("3 four; 5 6", "'four' is not a number"),
    ("", r"got 0 number\(s\)"),
])
def test_matrix_shape_mistakes_say_what_is_expected(typed, message):
    with pytest.raises(AnswerParseError, match=message):
        parse_numbers(typed, (2, 2))


def test_vector_graded_entry_by_entry():
    question = generated([0.2192, 0.3904, 0.3904])
    assert grade_answer(question, "0.219 0.390 0.391").correct is True
    assert grade_answer(question, "0.219 0.390 0.399").correct is False  # one entry off is wrong
    assert grade_answer(question, "0.219, 0.390, 0.391").parsed == [0.219, 0.39, 0.391]
    with pytest.raises(AnswerParseError, match="3 numbers"):
        grade_answer(question, "0.219 0.390")


def test_matrix_shown_the_way_it_is_typed():
    question = generated([[3.0, 4.0], [3.40672, 4.40672]])
    shown = correct_answer_text(question, None, "en")
    assert shown == "3 4; 3.407 4.407"
    assert grade_answer(question, shown).correct is True


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=3, max_size=3), min_size=1, max_size=4))
def test_any_shown_matrix_is_graded_right(rows):
    question = generated(rows)
    assert grade_answer(question, correct_answer_text(question, None, "en")).correct is True


@pytest.mark.parametrize(("answer", "message"), [
    ([[1.0, 2.0], [3.0]], "equal-length rows"),
    ([], "non-empty"),
    ([1.0, "2"], "finite number"),
    ([1.0, float("inf")], "finite number"),
])
def test_bad_array_answers_are_rejected(answer, message):
    with pytest.raises(ValidationError, match=message):
        generated(answer)


def test_array_answers_are_for_generated_questions_only():
    with pytest.raises(ValidationError, match="must be a number"):
        parse_question({**BASE, "id": "bank-vector", "answer": [1.0, 2.0]})
    with pytest.raises(ValidationError, match="fraction"):
        generated([0.5, 0.5], fraction=True)
