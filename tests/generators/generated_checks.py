"""Shared checks for the generator tests: numbers shown in an explanation, and the seed strategy."""

from __future__ import annotations

import re

from hypothesis import settings
from hypothesis import strategies as st

SEEDS = st.integers(min_value=1, max_value=2**31 - 1)
# Enough seeds to hit every branch of a family (causal or not, each variant), few enough to stay fast.
MANY = settings(max_examples=40, deadline=None)

_NUMBER = re.compile(r"(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?")


def numbers_in(text: str) -> list[float]:
    """Every number written in `text` (1,050,624 and 3.150e+23 included)."""
    return [float(match.replace(",", "")) for match in _NUMBER.findall(text)]


def assert_shown(text: str, values, *, abs_tol: float = 6e-5, rel_tol: float = 0.0) -> None:
    """Each value appears in `text`, rounded as shown (within abs_tol, or rel_tol of its size)."""
    shown = numbers_in(text)
    for value in values:
        value = float(value)
        allowed = max(abs_tol, rel_tol * abs(value))
        assert any(abs(number - value) <= allowed for number in shown), (
            f"value {value!r} is not shown in the explanation:\n{text}")


def assert_explained(question, values, **tolerance) -> None:
    """Both the English and the Chinese explanation show every value."""
    for lang in ("en", "zh"):
        assert_shown(question.explanation.get(lang), values, **tolerance)
