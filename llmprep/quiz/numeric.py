"""Numeric questions: a number (or, for generated questions, a vector or matrix) within a tolerance.

The tolerance policy, one for the bank and the generators alike:
- A number x is right when |x − exact| ≤ abs + rel·|exact| (the rule `check` uses for tensors,
  atol + rtol·|ref|); a question gives `abs`, `rel` or both. A vector or matrix is right
  when every entry is.
- The tolerance is shown with the question ("within ±0.0005"), so nobody guesses how many
  digits to type, and again with the verdict.
- A wrong answer within ten times the tolerance is "close": the feedback says how far off it
  was, in % of the exact value, next to what was needed.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, SerializationInfo, model_serializer, model_validator

from llmprep.messages import said
from llmprep.quiz.answers import format_number, parse_number, parse_numbers
from llmprep.quiz.messages import words
from llmprep.quiz.schema import Grade, Loc, Question, Text
from llmprep.tolerance import Tolerance as OneTolerance

CLOSE_FACTOR = 10  # a wrong answer within this many tolerances is called close


class Tolerance(OneTolerance):
    """How far a numeric answer may be from the exact value: llmprep's one rule
    (|x − exact| ≤ abs + rel·|exact|), written `abs` and/or `rel` in the bank."""

    atol: float = Field(default=0.0, ge=0, validation_alias="abs")
    rtol: float = Field(default=0.0, ge=0, validation_alias="rel")

    @model_validator(mode="after")
    def _at_least_one(self) -> Tolerance:
        if not self.model_fields_set:
            raise ValueError("give `abs`, `rel` or both")
        return self

    @model_serializer
    def _as_written(self, info: SerializationInfo) -> dict:
        # Dumped under the bank's names, None where not given, as before the rule was shared:
        # the progress store keys a question's content on the hash of this dump.
        dumped = {"abs": self.atol if "atol" in self.model_fields_set else None,
                  "rel": self.rtol if "rtol" in self.model_fields_set else None}
        return {k: v for k, v in dumped.items() if v is not None} if info.exclude_none else dumped

    def describe(self) -> str:
        """'±0.0005', '±0.5%' or '±(0.0005 + 0.5%)'."""
        parts = [format_number(self.atol)] if "atol" in self.model_fields_set else []
        parts += [f"{format_number(self.rtol * 100)}%"] if "rtol" in self.model_fields_set else []
        return "±" + (parts[0] if len(parts) == 1 else f"({' + '.join(parts)})")


def is_number(value: object) -> bool:
    """True for an int or float (bool is an int in Python, but `answer: true` is never a number)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_hint(value: object) -> str:
    """Why YAML may have read a number as text, when it did."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return ""
        # PyYAML follows YAML 1.1: 1e-4 (no dot) is a string, 1.0e-4 is a float.
        return said("bank.number_as_text", value=repr(value))
    return ""


def answer_shape(answer: object) -> tuple[int, ...]:
    """() for a number, (n,) for a vector, (rows, columns) for a matrix (a list of equal-length rows)."""
    if not isinstance(answer, list):
        return ()
    if answer and all(isinstance(row, list) for row in answer):
        return (len(answer), len(answer[0]))
    return (len(answer),)


def flat_answer(answer: object) -> list[float]:
    """A numeric answer's entries in reading order (row by row for a matrix)."""
    if not isinstance(answer, list):
        return [float(answer)]
    return [float(x) for item in answer for x in (item if isinstance(item, list) else [item])]


class NumericQuestion(Question):
    """`answer` is the exact value; generated questions may have a vector or a matrix."""

    type: Literal["numeric"]
    answer: object
    tolerance: Tolerance | None = None
    unit: Text | None = None
    fraction: bool | None = None

    def texts(self) -> list[Text]:
        """The common texts and the unit."""
        return super().texts() + ([self.unit] if self.unit else [])

    def type_problems(self) -> list[tuple[Loc, str]]:
        """A finite number (or a well-formed array, generated only) and a tolerance."""
        problems: list[tuple[Loc, str]] = []
        answer = self.answer
        if self.family is not None and isinstance(answer, list):
            problems += self._array_problems()
        elif not is_number(answer):
            problems.append((("answer",), said("bank.numeric_answer_shape", value=repr(answer),
                                               hint=number_hint(answer))))
        elif not math.isfinite(answer):
            problems.append((("answer",), said("bank.not_finite")))
        if self.tolerance is None:
            problems.append((("tolerance",), said("bank.tolerance_missing")))
        return problems

    def _array_problems(self) -> list[tuple[Loc, str]]:
        # Only generated questions have them: a vector or matrix (attention output, a LayerNorm
        # output) is graded entry by entry with the one tolerance.
        answer = self.answer
        rows = answer if answer and all(isinstance(row, list) for row in answer) else [answer]
        entries = [x for row in rows for x in row]
        if not entries or any(not row for row in rows) or len({len(row) for row in rows}) != 1:
            return [(("answer",), said("bank.array_shape", value=repr(answer)))]
        if any(not is_number(x) or not math.isfinite(x) for x in entries):
            return [(("answer",), said("bank.array_entries", value=repr(answer)))]
        if self.fraction:
            return [(("fraction",), said("bank.fraction_with_array"))]
        return []

    def grade(self, text: str, choice_order: list[int] | None, lang: str = "en") -> Grade:
        """Right within the tolerance; the note gives the tolerance and, when wrong, how far off."""
        say = words(lang)
        exact = flat_answer(self.answer)
        if isinstance(self.answer, list):
            given = parse_numbers(text, answer_shape(self.answer), lang)
        else:
            given = [parse_number(text, fraction=bool(self.fraction), unit=self.unit, lang=lang)]
        misses = [k for k, (g, e) in enumerate(zip(given, exact, strict=True)) if not self.tolerance.allows(g, e)]
        parsed = given if isinstance(self.answer, list) else given[0]
        tolerance = self.tolerance.describe()
        if not misses:
            return Grade(True, parsed, say["within"].format(tolerance=tolerance))
        g, e = given[misses[0]], exact[misses[0]]
        off = self._off_by(g, e, lang)
        close = abs(g - e) <= CLOSE_FACTOR * self.tolerance.allowed(e)
        key = "close" if close else "off"
        entry = say["entry"].format(number=misses[0] + 1) if len(given) > 1 else ""
        return Grade(False, parsed, entry + say[key].format(off=off, tolerance=tolerance))

    @staticmethod
    def _off_by(given: float, exact: float, lang: str) -> str:
        if exact == 0:
            return format_number(abs(given))
        return f"{format_number(round(abs(given - exact) / abs(exact) * 100, 2))}%"

    def answer_text(self, choice_order: list[int] | None, lang: str) -> str:
        """The exact value with as few digits as the tolerance needs, and the unit."""
        shown = [self._shortest(e) for e in flat_answer(self.answer)]
        shape = answer_shape(self.answer)
        if len(shape) == 2:
            text = "; ".join(" ".join(shown[r * shape[1]:(r + 1) * shape[1]]) for r in range(shape[0]))
        else:
            text = " ".join(shown)
        return text + (f" {self.unit.get(lang)}" if self.unit else "")

    def _shortest(self, exact: float) -> str:
        # The exact value can have many digits (1/3, ln 10000); show as few as the tolerance needs,
        # so what is shown is also what may be typed.
        if exact.is_integer() and abs(exact) < 1e15:
            return str(int(exact))
        for digits in range(4, 17):
            shown = f"{exact:.{digits}g}"
            if self.tolerance.allows(float(shown), exact):
                return shown
        return repr(exact)

    def answer_words(self, choice_order: list[int] | None, lang: str) -> str:
        """The answer, its percentage when it is a fraction, and the tolerance."""
        text = self.answer_text(choice_order, lang)
        if self.fraction and not isinstance(self.answer, list):
            text += f" ({format_number(round(float(self.answer) * 100, 4))}%)"
        return f"{text}  ({words(lang)['accepted'].format(tolerance=self.tolerance.describe())})"

    def body_lines(self, lang: str, choice_order: list[int] | None, reveal: bool) -> list[str]:
        """The unit, the fraction hint and the tolerance, dimmed."""
        from rich.markup import escape

        say = words(lang)
        hints = [f"{say['unit']}: {escape(self.unit.get(lang))}"] if self.unit else []
        hints += [say["fraction"]] if self.fraction else []
        hints.append(say["accepted"].format(tolerance=escape(self.tolerance.describe())))
        return ["", "[dim]" + "; ".join(hints) + "[/dim]"]

