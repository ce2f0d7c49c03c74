"""A candidate must not be able to pick the answer by its wording alone.

Absolute words ("always", "never", "guarantees", "reliably") mark a claim as too strong; when they occur only
in the wrong options, the hedged option gives itself away. And a short answer's keyword groups must accept its
own model answer while rejecting answers that name none of the key points.
"""

from __future__ import annotations

import re

import pytest
from raw_bank import RAW

ABSOLUTE = {"en": re.compile(r"\b(always|never|guarantee[sd]?|reliably)\b", re.I),
            "zh": re.compile(r"(总是|永远|从不|保证|可靠|绝不)")}
QUESTIONS = [q for items in RAW.values() for q in items if isinstance(q, dict)]


def _correct(q) -> set[int]:
    return {q["answer"]} if q["type"] == "choice" else set(q["answer"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_absolute_words_do_not_appear_only_in_distractors(lang):
    pattern, flagged = ABSOLUTE[lang], []
    for q in QUESTIONS:
        if q.get("type") not in ("choice", "multi"):
            continue
        right = _correct(q)
        in_right = any(pattern.search(c[lang]) for i, c in enumerate(q["choices"]) if i in right)
        in_wrong = [i for i, c in enumerate(q["choices"]) if i not in right and pattern.search(c[lang])]
        if in_wrong and not in_right:
            flagged.append(f"{q['id']}: choices {in_wrong} ({', '.join(pattern.findall(q['choices'][in_wrong[0]][lang]))})")
    assert not flagged, "absolute words only in wrong options (reword them, or hedge no option):\n" + "\n".join(flagged)


def _accepted(answer: str, groups: list[list[str]]) -> bool:
    text = answer.casefold()
    return all(any(keyword.casefold() in text for keyword in group) for group in groups)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_short_model_answer_passes_its_own_keyword_groups(lang):
    failing = [q["id"] for q in QUESTIONS if q.get("type") == "short" and "accept" in q
               and not _accepted(q["answer"][lang], q["accept"][lang])]
    assert not failing, f"the model answer misses a keyword group ({lang}): " + ", ".join(failing)


# Answers that sound plausible but state none of the question's key points.
WRONG_ANSWERS = {
    "transformer-block-residual-purpose": {
        "en": ["It is an additional layer that makes the model deep.",
               "It adds more depth to the model so that it can learn more."],
        "zh": ["它是一个额外的层，让模型更深。", "它给模型增加深度，让模型学得更多。"],
    },
}


@pytest.mark.parametrize("question_id", sorted(WRONG_ANSWERS))
def test_keyword_groups_reject_answers_without_the_key_points(question_id):
    question = next(q for q in QUESTIONS if q["id"] == question_id)
    for lang, answers in WRONG_ANSWERS[question_id].items():
        for answer in answers:
            assert not _accepted(answer, question["accept"][lang]), (lang, answer)
