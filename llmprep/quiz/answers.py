"""Reading a typed answer and grading it.

Choices are shown in a per-session order (`choice_order[k]` is the bank index shown at
position k) and typed as a letter (a, b, ...) or a 1-based number. Numbers accept the
forms people type: `0.2231`, `2.231e-1`, `22.31%` (where the question asks for a fraction),
`1,050,624`, `3.15×10^23`, `1/3`, full-width digits from a Chinese input method. A vector
answer (generated questions) is typed as its numbers separated by spaces or commas, a matrix
row by row with `;` between rows: `0.42 0.52; 0.45 0.55` (brackets are ignored).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from llmprep.quiz.bank import CHOICE_TYPES, Question, Text, answer_shape, flat_answer

LETTERS = "abcdefghijklmnopqrstuvwxyz"


class AnswerParseError(ValueError):
    """The typed text is not an answer to this question; the message says what is expected."""


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer.

    `correct` is None when nobody could grade it here: a short question without keyword
    groups, answered without a person to judge it. `parsed` is the answer as understood, in
    the bank's terms (a choice index, a list of indices, a number, or the text).
    """

    correct: bool | None
    parsed: Any
    note: str | None = None


def _normalize(text: str) -> str:
    # NFKC folds full-width digits, letters and punctuation (０．２２％, ａ，ｃ) to ASCII.
    return " ".join(unicodedata.normalize("NFKC", text).split())


def choice_label(position: int) -> str:
    """The letter shown for the choice at display position `position` (0 -> 'a')."""
    return LETTERS[position]


def _parse_label(token: str, count: int) -> int:
    token = token.strip().strip(".)(").lower()
    if token.isdigit():
        number = int(token)
        if 1 <= number <= count:
            return number - 1
    elif len(token) == 1 and token in LETTERS[:count]:
        return LETTERS.index(token)
    raise AnswerParseError(f"{token!r} is not a choice: type a letter a-{LETTERS[count - 1]} or a number 1-{count}")


def _labels(text: str, count: int) -> list[int]:
    text = _normalize(text).lower()
    tokens = [t for t in re.split(r"[\s,;，、]+", text) if t]
    # "acd" (letters run together) means a, c, d: no label is longer than one letter.
    if len(tokens) == 1 and len(tokens[0]) > 1 and tokens[0].isalpha():
        tokens = list(tokens[0])
    if len(tokens) == 1 and len(tokens[0]) > 1 and tokens[0].isdigit() and count < 10:
        tokens = list(tokens[0])
    if not tokens:
        raise AnswerParseError("empty answer")
    return [_parse_label(token, count) for token in tokens]


def parse_choice(text: str, count: int) -> int:
    """One display position from `b` or `2`."""
    positions = _labels(text, count)
    if len(positions) != 1:
        raise AnswerParseError("choose exactly one choice")
    return positions[0]


def parse_multi(text: str, count: int) -> list[int]:
    """Display positions from `a,c`, `1 3` or `ac`; the order does not matter."""
    return sorted(set(_labels(text, count)))


def parse_order(text: str, count: int) -> list[int]:
    """A sequence of display positions from `c a b d`, `3,1,2,4` or `cabd`, each choice exactly once."""
    positions = _labels(text, count)
    if sorted(positions) != list(range(count)):
        raise AnswerParseError(f"list every choice exactly once, in order (e.g. {' '.join(LETTERS[:count][::-1])})")
    return positions


_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?"
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:e[+-]?\d+)?$")
_TIMES_TEN = re.compile(rf"^({_NUMBER})\s*(?:x|×|\*)\s*10\s*(?:\^|\*\*)\s*\(?([+-]?\d+)\)?$")
_QUOTIENT = re.compile(rf"^({_NUMBER})\s*/\s*({_NUMBER})$")


def parse_number(text: str, *, fraction: bool = False, unit: Text | None = None) -> float:
    """A number from what a person types; `22.31%` is 0.2231 where the question asks for a fraction."""
    value = _normalize(text).lower().replace("−", "-")
    for name in (unit.en, unit.zh) if unit else ():
        if name and value.endswith(name.lower()):
            value = value[: -len(name)].strip()
    percent = value.endswith("%")
    if percent:
        if not fraction:
            raise AnswerParseError("this question does not ask for a percentage: type the plain number")
        value = value[:-1].strip()
    if _THOUSANDS.match(value):
        value = value.replace(",", "")
    number = _to_float(value)
    if number is None:
        raise AnswerParseError(f"{text.strip()!r} is not a number (examples: 0.2231, 2.231e-1"
                               + (", 22.31%" if fraction else "") + ")")
    return number / 100 if percent else number


def _to_float(value: str) -> float | None:
    if re.fullmatch(_NUMBER, value):
        number = float(value)
    elif match := _TIMES_TEN.match(value):
        number = float(match[1]) * 10.0 ** int(match[2])
    elif match := _QUOTIENT.match(value):
        denominator = float(match[2])
        if denominator == 0:
            return None
        number = float(match[1]) / denominator
    else:
        return None
    return number if math.isfinite(number) else None


def _shape_words(shape: tuple[int, ...]) -> str:
    if len(shape) == 2:
        return f"{shape[0]} rows of {shape[1]} numbers, rows separated by ';' (e.g. 0.1 0.2; 0.3 0.4)"
    return f"{shape[0]} numbers separated by spaces (e.g. 0.1 0.2 0.3)"


def parse_numbers(text: str, shape: tuple[int, ...]) -> list[float]:
    """The entries of a vector or matrix answer, row by row; the count must match `shape`.

    Numbers are separated by spaces or commas (so no thousands separators here); rows of a
    matrix by `;`. Rows may be left out (`0.1 0.2 0.3 0.4` for a 2x2), but when they are
    given there must be the right number of rows, each of the right length.
    """
    value = _normalize(text).lower().replace("−", "-").replace("；", ";")
    # [[1, 2], [3, 4]] and [1, 2; 3, 4] both read as rows: "],[" is a row break.
    value = re.sub(r"\]\s*,?\s*\[", ";", value)
    value = value.replace("[", " ").replace("]", " ").replace("(", " ").replace(")", " ")
    rows = [row for row in (part.strip(" ,") for part in value.split(";")) if row]
    parsed_rows = []
    for row in rows:
        tokens = [token for token in re.split(r"[\s,]+", row) if token]
        numbers = [_to_float(token) for token in tokens]
        bad = [token for token, number in zip(tokens, numbers, strict=True) if number is None]
        if bad:
            raise AnswerParseError(f"{bad[0]!r} is not a number; type {_shape_words(shape)}")
        parsed_rows.append(numbers)
    flat = [x for row in parsed_rows for x in row]
    expected = math.prod(shape)
    wrong_rows = len(shape) == 2 and len(parsed_rows) > 1 and (
        len(parsed_rows) != shape[0] or any(len(row) != shape[1] for row in parsed_rows))
    if len(flat) != expected or wrong_rows:
        raise AnswerParseError(f"expected {_shape_words(shape)}; got {len(flat)} number(s)"
                               + (f" in {len(parsed_rows)} rows" if len(parsed_rows) > 1 else ""))
    return flat


def matches_keywords(text: str, groups: list[list[str]]) -> bool:
    """True when `text` contains at least one keyword of every group (case-insensitive substrings)."""
    haystack = _normalize(text).casefold()
    return all(any(_normalize(keyword).casefold() in haystack for keyword in group) for group in groups)


def grade_answer(question: Question, text: str, choice_order: list[int] | None = None) -> Grade:
    """Grade `text` as an answer to `question`; raise AnswerParseError when it is not an answer at all.

    A short answer is right when it matches the keyword groups of either language (people
    answer in Chinese with English terms); without keyword groups its `correct` is None.
    """
    kind = question.type
    if kind in CHOICE_TYPES:
        count = len(question.choices or [])
        order = choice_order or list(range(count))
        if kind == "choice":
            index = order[parse_choice(text, count)]
            return Grade(index == question.answer, index)
        if kind == "multi":
            indices = sorted(order[p] for p in parse_multi(text, count))
            return Grade(indices == sorted(question.answer), indices)
        sequence = [order[p] for p in parse_order(text, count)]
        return Grade(sequence == list(question.answer), sequence)
    if kind == "numeric" and isinstance(question.answer, list):
        numbers = parse_numbers(text, answer_shape(question.answer))
        right = all(question.tolerance.allows(given, exact)
                    for given, exact in zip(numbers, flat_answer(question.answer), strict=True))
        return Grade(right, numbers)
    if kind == "numeric":
        number = parse_number(text, fraction=bool(question.fraction), unit=question.unit)
        return Grade(question.tolerance.allows(number, float(question.answer)), number)
    answer = _normalize(text)
    if not answer:
        raise AnswerParseError("empty answer")
    if question.accept is None:
        return Grade(None, answer, "no keywords to grade this answer by: compare it with the model answer")
    right = any(matches_keywords(answer, question.accept.get(lang)) for lang in ("en", "zh"))
    return Grade(right, answer)


def format_number(value: float) -> str:
    """A number the way a person writes it: 0.223144, 1050624, 3.15e+23."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def _shortest_within_tolerance(question: Question) -> str:
    # The exact value can have many digits (1/3, ln 10000); show as few as the tolerance needs,
    # so what is shown is also what may be typed. A matrix is shown the way it is typed.
    if isinstance(question.answer, list):
        shape = answer_shape(question.answer)
        shown = [_shortest_number(exact, question) for exact in flat_answer(question.answer)]
        if len(shape) == 1:
            return " ".join(shown)
        return "; ".join(" ".join(shown[r * shape[1]:(r + 1) * shape[1]]) for r in range(shape[0]))
    return _shortest_number(float(question.answer), question)


def _shortest_number(exact: float, question: Question) -> str:
    if exact.is_integer() and abs(exact) < 1e15:
        return str(int(exact))
    for digits in range(4, 17):
        shown = f"{exact:.{digits}g}"
        if question.tolerance.allows(float(shown), exact):
            return shown
    return repr(exact)


def correct_answer_text(question: Question, choice_order: list[int] | None, lang: str) -> str:
    """What to type to be right, in this session's choice order ("b", "a, c", "c a b d", "0.223144")."""
    kind = question.type
    if kind in CHOICE_TYPES:
        order = choice_order or list(range(len(question.choices or [])))
        position = {index: p for p, index in enumerate(order)}
        if kind == "choice":
            return choice_label(position[question.answer])
        if kind == "multi":
            return ", ".join(sorted(choice_label(position[i]) for i in question.answer))
        return " ".join(choice_label(position[i]) for i in question.answer)
    if kind == "numeric":
        return _shortest_within_tolerance(question) + (f" {question.unit.get(lang)}" if question.unit else "")
    return question.answer.get(lang)
