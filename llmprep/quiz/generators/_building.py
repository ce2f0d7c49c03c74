"""What every family needs: seeded draws of hand-sized inputs, number formatting, and the Question.

Inputs are drawn with `random.Random(seed)` (its stream is fixed by the seed, on every
platform), as one-decimal numbers, so a question can be worked with pen and calculator.
The answers are computed with numpy in float64.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from llmprep.quiz.question import Question, parse_question


class Draw:
    """Seeded draws of small, hand-computable inputs."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def tenths(self, low: float, high: float, *, nonzero: bool = False) -> float:
        """A one-decimal number in [low, high] (0.0 excluded when `nonzero`)."""
        while True:
            value = self.rng.randint(round(low * 10), round(high * 10)) / 10
            if not (nonzero and value == 0):
                return value

    def vector(self, n: int, low: float, high: float, *, nonzero: bool = False) -> list[float]:
        """`n` one-decimal numbers in [low, high]."""
        return [self.tenths(low, high, nonzero=nonzero) for _ in range(n)]

    def matrix(self, rows: int, columns: int, low: float, high: float) -> list[list[float]]:
        """A rows x columns matrix of one-decimal numbers in [low, high]."""
        return [self.vector(columns, low, high) for _ in range(rows)]

    def integer(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return self.rng.randint(low, high)

    def pick(self, options: Sequence[Any]) -> Any:
        """One of the options."""
        return self.rng.choice(list(options))

    def chance(self, probability: float) -> bool:
        """True with the given probability."""
        return self.rng.random() < probability


def fixed(value: float, decimals: int = 4) -> str:
    """A computed value as the explanations show it: 4 decimals by default (-0.0000 shown as 0.0000)."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def short(value: float) -> str:
    """An input as it was drawn: 0.3, -1.2, 4000, 1e-05."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def scientific(value: float, digits: int = 4) -> str:
    """A large or tiny value: 3.150e+23 with `digits` significant digits."""
    return f"{value:.{digits - 1}e}"


def grouped(value: int) -> str:
    """An integer with thousands separators: 1,050,624."""
    return f"{int(value):,}"


def vector_text(values: Sequence[float], show=fixed) -> str:
    """[a, b, c] with each entry formatted by `show`."""
    return "[" + ", ".join(show(v) for v in values) + "]"


def matrix_text(rows: Sequence[Sequence[float]], show=fixed) -> str:
    """[[a, b], [c, d]]."""
    return "[" + ", ".join(vector_text(row, show) for row in rows) + "]"


# How to type a vector or matrix answer (answers.parse_numbers reads these forms); the tolerance
# itself is shown with every numeric question (numeric.py has the one policy).
TYPE_VECTOR = {"en": "Type the {n} numbers separated by spaces.",
               "zh": "请输入这 {n} 个数，用空格分隔。"}
TYPE_MATRIX = {"en": "Type the {rows} rows separated by ';', each row's {columns} numbers separated by spaces "
                     "(e.g. 0.1 0.2; 0.3 0.4).",
               "zh": "请逐行输入这 {rows} 行，行与行之间用“;”分隔，每行 {columns} 个数用空格分隔"
                     "（如 0.1 0.2; 0.3 0.4）。"}


def typing_hint(answer: Any, lang: str) -> str:
    """How to type this vector or matrix answer, in `lang` ('' for a single number)."""
    if not isinstance(answer, list):
        return ""
    if answer and isinstance(answer[0], list):
        return TYPE_MATRIX[lang].format(rows=len(answer), columns=len(answer[0]))
    return TYPE_VECTOR[lang].format(n=len(answer))


def make_question(
    *,
    family: str,
    seed: int,
    topic: str,
    difficulty: str,
    prompt: dict[str, str],
    answer: Any,
    explanation: dict[str, str],
    params: dict[str, Any],
    sources: list[dict[str, Any]],
    tolerance: dict[str, float] | None = None,
    unit: dict[str, str] | None = None,
    choices: list[dict[str, str]] | None = None,
    kind: str = "numeric",
) -> Question:
    """The Question for one seed; a vector or matrix answer gets the typing hint after its prompt."""
    if kind == "numeric":
        gap = {"en": " ", "zh": ""}
        prompt = {lang: (text + gap[lang] + typing_hint(answer, lang)).strip() for lang, text in prompt.items()}
    fields: dict[str, Any] = {
        "id": f"gen:{family}:{seed}", "family": family, "topic": topic, "type": kind,
        "difficulty": difficulty, "prompt": prompt, "answer": answer, "explanation": explanation,
        "params": params, "sources": sources,
    }
    optional = {"tolerance": tolerance, "unit": unit, "choices": choices}
    fields.update({name: value for name, value in optional.items() if value is not None})
    return parse_question(fields)
