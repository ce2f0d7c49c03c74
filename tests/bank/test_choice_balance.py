"""A candidate must not be able to pass by picking the longest (or shortest) choice.

Choice order is shuffled in every session, but length is not: if the correct choice is usually
the one that hedges and explains, length alone gives the answer away. With 3 to 6 choices,
chance puts the right one as the unique longest roughly a quarter of the time; we allow up to a third.
"""

from __future__ import annotations

import pytest
from raw_bank import RAW

MAX_SHARE = 1 / 3


# (file name, question) for every choice question of the bank.
CHOICE_QUESTIONS = [(name, q) for name, items in RAW.items() for q in items if q.get("type") == "choice"]


def _unique_extreme(lengths: list[int], index: int, pick) -> bool:
    target = pick(lengths)
    return lengths[index] == target and lengths.count(target) == 1


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("extreme", [max, min], ids=["longest", "shortest"])
def test_the_correct_choice_is_not_given_away_by_its_length(lang, extreme):
    questions = CHOICE_QUESTIONS
    assert len(questions) >= 50
    flagged = [f"{name}: {q['id']}" for name, q in questions
               if _unique_extreme([len(c[lang]) for c in q["choices"]], q["answer"], extreme)]
    share = len(flagged) / len(questions)
    assert share <= MAX_SHARE, (
        f"the correct choice is the unique {extreme.__name__} in {len(flagged)} of {len(questions)} choice "
        f"questions ({share:.0%} > {MAX_SHARE:.0%}); rewrite some of these:\n" + "\n".join(flagged)
    )
