"""Reading what a person typed: choice letters and numbers, whatever the question.

Choices are typed as a letter (a, b, ...) or a 1-based number. Numbers accept the forms
people type: `0.2231`, `2.231e-1`, `22.31%` (where the question asks for a fraction),
`1,050,624`, `3.15×10^23`, `1/3`, full-width digits from a Chinese input method. A vector
answer (generated questions) is typed as its numbers separated by spaces or commas, a matrix
row by row with `;` between rows: `0.42 0.52; 0.45 0.55` (brackets are ignored).

Grading is each question type's own (`question.grade`); `grade_answer` and
`correct_answer_text` are kept as the one-line way to call it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import TYPE_CHECKING

from llmprep.quiz.messages import words
from llmprep.quiz.schema import AnswerParseError, Grade

if TYPE_CHECKING:
    from llmprep.quiz.schema import Question, Text

LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Longer than any answer anybody types; keeps the regular expressions below cheap on hostile input.
MAX_NUMBER_TEXT = 2000

__all__ = ["AnswerParseError", "Grade", "choice_label", "correct_answer_text", "format_number", "grade_answer",
           "normalize", "parse_choice", "parse_multi", "parse_number", "parse_numbers", "parse_order"]


def normalize(text: str) -> str:
    """NFKC (full-width digits, letters and punctuation become ASCII) and single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def choice_label(position: int) -> str:
    """The letter shown for the choice at display position `position` (0 -> 'a')."""
    return LETTERS[position]


def _parse_label(token: str, count: int, lang: str) -> int:
    token = token.strip().strip(".)(").lower()
    if token.isdigit():
        number = int(token) if len(token) < 4 else 0
        if 1 <= number <= count:
            return number - 1
    elif len(token) == 1 and token in LETTERS[:count]:
        return LETTERS.index(token)
    raise AnswerParseError(words(lang)["not_a_choice"].format(token=token[:40], last=LETTERS[count - 1], count=count))


def _labels(text: str, count: int, lang: str) -> list[int]:
    text = normalize(text).lower()
    tokens = [t for t in re.split(r"[\s,;，、]+", text) if t]
    # "acd" (letters run together) means a, c, d: no label is longer than one letter.
    if len(tokens) == 1 and len(tokens[0]) > 1 and tokens[0].isalpha() and tokens[0].isascii():
        tokens = list(tokens[0])
    if len(tokens) == 1 and len(tokens[0]) > 1 and tokens[0].isdigit() and count < 10:
        tokens = list(tokens[0])
    if not tokens:
        raise AnswerParseError(words(lang)["empty"])
    return [_parse_label(token, count, lang) for token in tokens[:64]]


def parse_choice(text: str, count: int, lang: str = "en") -> int:
    """One display position from `b` or `2`."""
    positions = _labels(text, count, lang)
    if len(positions) != 1:
        raise AnswerParseError(words(lang)["exactly_one"])
    return positions[0]


def parse_multi(text: str, count: int, lang: str = "en") -> list[int]:
    """Display positions from `a,c`, `1 3` or `ac`; the order does not matter."""
    return sorted(set(_labels(text, count, lang)))


def parse_order(text: str, count: int, lang: str = "en") -> list[int]:
    """A sequence of display positions from `c a b d`, `3,1,2,4` or `cabd`, each choice exactly once."""
    positions = _labels(text, count, lang)
    if sorted(positions) != list(range(count)):
        raise AnswerParseError(words(lang)["every_once"].format(example=" ".join(LETTERS[:count][::-1])))
    return positions


_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?"
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:e[+-]?\d+)?$")
_TIMES_TEN = re.compile(rf"^({_NUMBER})\s*(?:x|×|\*)\s*10\s*(?:\^|\*\*)\s*\(?([+-]?\d+)\)?$")
_QUOTIENT = re.compile(rf"^({_NUMBER})\s*/\s*({_NUMBER})$")


def parse_number(text: str, *, fraction: bool = False, unit: Text | None = None, lang: str = "en") -> float:
    """A finite number from what a person types; `22.31%` is 0.2231 where the question asks for a fraction."""
    say = words(lang)
    value = normalize(text[:MAX_NUMBER_TEXT]).lower().replace("−", "-")
    for name in (unit.en, unit.zh) if unit else ():
        if name and value.endswith(name.lower()):
            value = value[: -len(name)].strip()
    percent = value.endswith("%")
    if percent:
        if not fraction:
            raise AnswerParseError(say["no_percent"])
        value = value[:-1].strip()
    if _THOUSANDS.match(value):
        value = value.replace(",", "")
    number = None if len(text) >= MAX_NUMBER_TEXT else _to_float(value)
    if number is None:
        shown = text.strip()[:40] + ("…" if len(text.strip()) > 40 else "")
        raise AnswerParseError(say["not_a_number"].format(text=shown, examples="0.2231, 2.231e-1"
                                                          + (", 22.31%" if fraction else "")))
    return number / 100 if percent else number


def _to_float(value: str) -> float | None:
    """The number, or None when it is not one or not finite (1e400, 3.15x10^999999, 1/0)."""
    try:
        if re.fullmatch(_NUMBER, value):
            number = float(value)
        elif match := _TIMES_TEN.match(value):
            exponent = match[2].lstrip("+")
            if len(exponent.lstrip("-")) > 4:  # beyond any float, and int() of it would be slow
                return None
            number = float(match[1]) * 10.0 ** int(exponent)
        elif match := _QUOTIENT.match(value):
            denominator = float(match[2])
            if denominator == 0:
                return None
            number = float(match[1]) / denominator
        else:
            return None
    except (OverflowError, ValueError):
        return None
    return number if math.isfinite(number) else None


def parse_numbers(text: str, shape: tuple[int, ...], lang: str = "en") -> list[float]:
    """The entries of a vector or matrix answer, row by row; the count must match `shape`.

    Numbers are separated by spaces or commas (so no thousands separators here); rows of a
    matrix by `;`. Rows may be left out (`0.1 0.2 0.3 0.4` for a 2x2), but when they are
    given there must be the right number of rows, each of the right length.
    """
    say = words(lang)
    expected_text = (say["shape_matrix"].format(rows=shape[0], columns=shape[1]) if len(shape) == 2
                     else say["shape_vector"].format(n=shape[0]))
    value = normalize(text[:MAX_NUMBER_TEXT]).lower().replace("−", "-").replace("；", ";")
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
            raise AnswerParseError(say["bad_entry"].format(token=bad[0][:40], expected=expected_text))
        parsed_rows.append(numbers)
    flat = [x for row in parsed_rows for x in row]
    wrong_rows = len(shape) == 2 and len(parsed_rows) > 1 and (
        len(parsed_rows) != shape[0] or any(len(row) != shape[1] for row in parsed_rows))
    if len(flat) != math.prod(shape) or wrong_rows:
        rows_text = say["in_rows"].format(rows=len(parsed_rows)) if len(parsed_rows) > 1 else ""
        raise AnswerParseError(say["wrong_count"].format(expected=expected_text, count=len(flat)) + rows_text)
    return flat


def format_number(value: float) -> str:
    """A number the way a person writes it: 0.223144, 1050624, 3.15e+23."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def grade_answer(question: Question, text: str, choice_order: list[int] | None = None, lang: str = "en") -> Grade:
    """Grade `text` as an answer to `question`; AnswerParseError when it is not an answer at all."""
    return question.grade(text, choice_order, lang)


def correct_answer_text(question: Question, choice_order: list[int] | None, lang: str) -> str:
    """What to type to be right, in this session's choice order ("b", "a, c", "c a b d", "0.223144")."""
    return question.answer_text(choice_order, lang)
