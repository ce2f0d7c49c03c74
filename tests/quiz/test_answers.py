"""Reading typed answers and grading them."""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from quiz_sample import ATTENTION, TRAINING

from llmprep.quiz.answers import (
    AnswerParseError,
    correct_answer_text,
    grade_answer,
    parse_choice,
    parse_multi,
    parse_number,
    parse_order,
)
from llmprep.quiz.numeric import Tolerance
from llmprep.quiz.question import parse_question
from llmprep.quiz.schema import Text
from llmprep.quiz.short import key_points_mentioned, mentions

CHOICE, NUMERIC, MULTI = (parse_question(q) for q in yaml.safe_load(ATTENTION))
ORDER, SHORT, SELF_GRADED = (parse_question(q) for q in yaml.safe_load(TRAINING))


@pytest.mark.parametrize(("text", "fraction", "value"), [
    ("0.2231", False, 0.2231),
    ("2.231e-1", False, 0.2231),
    ("2.231E-1", False, 0.2231),
    ("22.31%", True, 0.2231),
    ("22.31 %", True, 0.2231),
    ("０．２２３１", False, 0.2231),  # full-width, from a Chinese input method
    ("２２．３１％", True, 0.2231),
    ("1,050,624", False, 1050624.0),
    ("3.15×10^23", False, 3.15e23),
    ("3.15 x 10^23", False, 3.15e23),
    ("3.15*10**23", False, 3.15e23),
    ("1/3", False, 1 / 3),
    ("-0.5", False, -0.5),
    ("−0.5", False, -0.5),  # a Unicode minus
    (".5", False, 0.5),
])
def test_numbers_people_type(text, fraction, value):
    assert parse_number(text, fraction=fraction) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(("text", "fraction"), [
    ("22.31%", False), ("abc", False), ("", False), ("inf", False), ("nan", False), ("1/0", False),
    ("1,05", False), ("0.2.2", False), ("1e400", False),
])
def test_not_a_number(text, fraction):
    with pytest.raises(AnswerParseError):
        parse_number(text, fraction=fraction)


def test_a_unit_may_follow_the_number():
    unit = Text(en="GB", zh="吉字节")
    assert parse_number("350 GB", unit=unit) == 350
    assert parse_number("350gb", unit=unit) == 350
    assert parse_number("350吉字节", unit=unit) == 350
    with pytest.raises(AnswerParseError):
        parse_number("350 MB", unit=unit)


@pytest.mark.parametrize(("tolerance", "given", "exact", "ok"), [
    ({"abs": 1e-3}, 0.2231, 0.22314355, True),
    ({"abs": 1e-3}, 0.2221, 0.22314355, False),
    ({"rel": 0.01}, 3.13e23, 3.15e23, True),
    ({"rel": 0.01}, 3.1e23, 3.15e23, False),
    ({"abs": 0.5}, 1050624.5, 1050624, True),  # the bound itself is inside
    ({"abs": 0.0}, 1050624.0, 1050624, True),
    ({"abs": 0.0}, 1050625.0, 1050624, False),
    ({"abs": 1e-6, "rel": 0.01}, 100.9, 100, True),  # abs + rel·|exact|, as check's atol + rtol·|ref|
    ({"abs": 2.0, "rel": 0.001}, 102.1, 100, True),
    ({"abs": 2.0, "rel": 0.001}, 102.2, 100, False),
])
def test_tolerance(tolerance, given, exact, ok):
    assert Tolerance(**tolerance).allows(given, exact) is ok


def test_choice_by_letter_or_number_in_the_shown_order():
    order = [2, 0, 3, 1]  # shown: a=bank 2, b=bank 0, c=bank 3, d=bank 1 (the right one)
    assert grade_answer(CHOICE, "d", order).correct is True
    assert grade_answer(CHOICE, "4", order).correct is True
    assert grade_answer(CHOICE, " D) ", order).correct is True
    assert grade_answer(CHOICE, "b", order).correct is False
    assert grade_answer(CHOICE, "b", order).parsed == 0
    assert grade_answer(CHOICE, "2", None).correct is True  # bank order when nothing was shuffled
    for bad in ("e", "5", "0", "a b", ""):
        with pytest.raises(AnswerParseError):
            parse_choice(bad, 4)
    with pytest.raises(AnswerParseError):
        grade_answer(CHOICE, "bd", order)


def test_multi_takes_letters_or_numbers_in_any_order():
    order = [2, 1, 0]  # a=dropout, b=padding, c=causal; right: b and c
    for text in ("b,c", "c, b", "2 3", "bc", "B C", "b，c", "3;2"):
        assert grade_answer(MULTI, text, order).correct is True, text
    assert grade_answer(MULTI, "b", order).correct is False
    assert grade_answer(MULTI, "a,b,c", order).correct is False
    assert parse_multi("c b c", 3) == [1, 2]
    with pytest.raises(AnswerParseError):
        parse_multi("b d", 3)


def test_order_is_a_full_sequence():
    # bank: 0 step, 1 zero_grad, 2 backward; right: [1, 2, 0]. Shown in bank order here.
    assert grade_answer(ORDER, "b c a").correct is True
    assert grade_answer(ORDER, "2,3,1").correct is True
    assert grade_answer(ORDER, "bca").correct is True
    assert grade_answer(ORDER, "a b c").correct is False
    for bad in ("b c", "b b a", "b c a d"):
        with pytest.raises(AnswerParseError):
            parse_order(bad, 3)


def test_fraction_answers_accept_percent():
    assert grade_answer(NUMERIC, "33.33%").correct is True
    assert grade_answer(NUMERIC, "0.3333").correct is True
    assert grade_answer(NUMERIC, "1/3").correct is True
    assert grade_answer(NUMERIC, "0.3").correct is False
    assert grade_answer(NUMERIC, "33.33").correct is False  # 33.33 is not a fraction


def test_a_short_answer_is_never_graded_by_its_keywords_only_hinted():
    right = grade_answer(SHORT, "AdamW DECOUPLES the weight decay")
    assert right.correct is None and right.note == "you mentioned 2 of 2 key points"
    assert grade_answer(SHORT, "它把权重衰减和梯度更新解耦", lang="zh").note == "你提到了 2 个要点中的 2 个"
    assert grade_answer(SHORT, "AdamW 把 weight decay 分离出来", lang="zh").correct is None
    assert grade_answer(SHORT, "it decouples something").note == "you mentioned 1 of 2 key points"
    ungraded = grade_answer(SELF_GRADED, "because of Adam")
    assert ungraded.correct is None and ungraded.note is None
    for empty in ("   ", "...", "？"):
        with pytest.raises(AnswerParseError):
            grade_answer(SHORT, empty)


def test_keyword_hints_normalize_width_and_case_and_match_at_word_starts():
    assert mentions("ＬａｙｅｒＮｏｒｍ  over   features", "layernorm")
    assert mentions("it saturates", "saturat")
    assert not mentions("it is readditional", "add")  # inside a word is no mention
    assert not mentions("an additional layer", "add") and mentions("it adds x", "add") and mentions("added", "add")
    assert mentions("a skip-connection", "skip") and mentions("t+1 shift", "t+1")
    assert mentions("梯度消失", "梯度")
    assert key_points_mentioned("batch norm", SHORT.accept, "en") == (0, 2)


def test_correct_answer_text_for_each_type():
    assert correct_answer_text(CHOICE, [2, 0, 3, 1], "en") == "d"
    assert correct_answer_text(MULTI, [2, 1, 0], "en") == "b, c"
    assert correct_answer_text(ORDER, [2, 0, 1], "en") == "c a b"
    assert correct_answer_text(NUMERIC, None, "en") == "0.3333"
    assert correct_answer_text(SHORT, None, "zh") == SHORT.answer.zh


permutations = st.integers(3, 6).flatmap(lambda n: st.permutations(list(range(n))))


def _choices(n):
    return [{"en": f"option {i}", "zh": f"选项{i}"} for i in range(n)]


BASE = {"id": "attention-x", "topic": "attention", "difficulty": "easy", "prompt": {"en": "?", "zh": "？"},
        "explanation": {"en": ".", "zh": "。"}, "sources": [{"ref": "r"}]}


@given(order=permutations, data=st.data())
def test_what_is_shown_as_correct_is_graded_correct(order, data):
    n = len(order)
    right = data.draw(st.integers(0, n - 1))
    several = sorted(data.draw(st.sets(st.integers(0, n - 1), min_size=2)))
    sequence = data.draw(st.permutations(list(range(n))).filter(lambda p: p != list(range(n))))
    for kind, answer in (("choice", right), ("multi", several), ("order", sequence)):
        question = parse_question({**BASE, "type": kind, "choices": _choices(n), "answer": answer})
        typed = correct_answer_text(question, order, "en")
        assert grade_answer(question, typed, order).correct is True, (kind, typed)
        assert grade_answer(question, typed, order).parsed == answer


@given(value=st.floats(min_value=-1e30, max_value=1e30, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-30),
       rel=st.sampled_from([1e-3, 1e-2, 0.05]))
def test_a_shown_number_is_within_tolerance(value, rel):
    question = parse_question({**BASE, "type": "numeric", "answer": value, "tolerance": {"rel": rel, "abs": 1e-12}})
    typed = correct_answer_text(question, None, "en")
    assert grade_answer(question, typed).correct is True, typed
    assert len(typed) <= 24
    assert math.isfinite(float(typed))
