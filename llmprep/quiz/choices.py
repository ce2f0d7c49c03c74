"""Questions answered by picking from choices: `choice` (one), `multi` (all that apply), `order` (a sequence).

Choices are shown in a per-session order (`choice_order[k]` is the bank index shown at
position k) and typed as letters (a, b, ...) or 1-based numbers.
"""

from __future__ import annotations

from typing import Literal

from rich.markup import escape

from llmprep.messages import said
from llmprep.quiz import LANGUAGES
from llmprep.quiz.answers import choice_label, parse_choice, parse_multi, parse_order
from llmprep.quiz.messages import words
from llmprep.quiz.schema import Grade, Loc, Question, Text

MIN_CHOICES, MAX_CHOICES = 3, 6


class ChoicesQuestion(Question):
    """What the three choice types share: 3-6 choices, distinct in each language."""

    choices: list[Text] | None = None

    def texts(self) -> list[Text]:
        """The prompt, explanation, source error and every choice."""
        return super().texts() + list(self.choices or [])

    def type_problems(self) -> list[tuple[Loc, str]]:
        """Missing or duplicate choices, then the answer's own rules."""
        if self.choices is None:
            return [(("choices",), said("bank.choices_missing", type=self.type, low=MIN_CHOICES, high=MAX_CHOICES))]
        problems: list[tuple[Loc, str]] = []
        n = len(self.choices)
        if not MIN_CHOICES <= n <= MAX_CHOICES:
            problems.append((("choices",), said("bank.choices_count", n=n, type=self.type, low=MIN_CHOICES,
                                                high=MAX_CHOICES)))
        for lang in LANGUAGES:
            seen: dict[str, int] = {}
            for index, choice in enumerate(self.choices):
                key = " ".join(choice.get(lang).split()).casefold()
                if key in seen:
                    problems.append((("choices", index, lang), said("bank.choice_repeated", index=seen[key], language=lang)))
                seen.setdefault(key, index)
        return problems + self.answer_problems(n)

    def answer_problems(self, n: int) -> list[tuple[Loc, str]]:
        """The rules for `answer` given n choices."""
        return []

    def order_of(self, choice_order: list[int] | None) -> list[int]:
        """The display order (bank indices by position); the bank's own order when none is given."""
        return choice_order or list(range(len(self.choices or [])))

    def labels(self, indices: list[int], choice_order: list[int] | None) -> list[str]:
        """The letters the bank indices are shown under in this session."""
        position = {index: p for p, index in enumerate(self.order_of(choice_order))}
        return [choice_label(position[i]) for i in indices]

    def marked(self, index: int) -> bool:
        """True when the reveal ticks this choice."""
        return False

    def body_lines(self, lang: str, choice_order: list[int] | None, reveal: bool) -> list[str]:
        """The choices, lettered in the session's order (ticked in the reveal for choice and multi)."""
        lines = [""]
        for position, index in enumerate(self.order_of(choice_order)):
            mark = " [green]✓[/green]" if reveal and self.marked(index) else ""
            lines.append(f"  [bold]{choice_label(position)})[/bold] {escape(self.choices[index].get(lang))}{mark}")
        return lines


def _index_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value)


class ChoiceQuestion(ChoicesQuestion):
    """One correct choice; `answer` is its 0-based index."""

    type: Literal["choice"]
    answer: object

    def answer_problems(self, n: int) -> list[tuple[Loc, str]]:
        """The answer is an index in range."""
        answer = self.answer
        if not (isinstance(answer, int) and not isinstance(answer, bool)):
            return [(("answer",), said("bank.choice_answer_shape", value=repr(answer)))]
        if not 0 <= answer < n:
            return [(("answer",), said("bank.choice_answer_range", answer=answer, n=n, last=n - 1))]
        return []

    def marked(self, index: int) -> bool:
        """The one correct choice."""
        return index == self.answer

    def grade(self, text: str, choice_order: list[int] | None, lang: str = "en") -> Grade:
        """Right when the letter typed is the correct choice."""
        index = self.order_of(choice_order)[parse_choice(text, len(self.choices), lang)]
        return Grade(index == self.answer, index)

    def answer_text(self, choice_order: list[int] | None, lang: str) -> str:
        """The correct letter."""
        return self.labels([self.answer], choice_order)[0]

    def answer_words(self, choice_order: list[int] | None, lang: str) -> str:
        """'b) the choice's text'."""
        return f"{self.answer_text(choice_order, lang)}) {self.choices[self.answer].get(lang)}"


class MultiQuestion(ChoicesQuestion):
    """At least two correct choices; `answer` lists their 0-based indices."""

    type: Literal["multi"]
    answer: object

    def answer_problems(self, n: int) -> list[tuple[Loc, str]]:
        """A list of distinct indices in range, at least two."""
        answer = self.answer
        if not _index_list(answer):
            return [(("answer",), said("bank.multi_answer_shape", value=repr(answer)))]
        if len(set(answer)) != len(answer):
            return [(("answer",), said("bank.multi_answer_repeats", answer=answer))]
        if len(answer) < 2:
            return [(("answer",), said("bank.multi_answer_one"))]
        if any(not 0 <= i < n for i in answer):
            return [(("answer",), said("bank.multi_answer_range", n=n, last=n - 1, answer=answer))]
        return []

    def marked(self, index: int) -> bool:
        """Every correct choice."""
        return index in self.answer

    def grade(self, text: str, choice_order: list[int] | None, lang: str = "en") -> Grade:
        """Right when exactly the correct set is typed; the note names what was missed and what was extra."""
        order = self.order_of(choice_order)
        chosen = sorted(order[p] for p in parse_multi(text, len(self.choices), lang))
        right = set(self.answer)
        missed = [i for i in order if i in right and i not in chosen]
        extra = [i for i in order if i in chosen and i not in right]
        say = words(lang)
        parts = []
        if missed:
            parts.append(say["missed"].format(labels=", ".join(self.labels(missed, choice_order))))
        if extra:
            parts.append(say["extra"].format(labels=", ".join(self.labels(extra, choice_order))))
        return Grade(not missed and not extra, chosen, "; ".join(parts) or None)

    def answer_text(self, choice_order: list[int] | None, lang: str) -> str:
        """The correct letters, alphabetically: 'a, c'."""
        return ", ".join(sorted(self.labels(list(self.answer), choice_order)))

    def answer_words(self, choice_order: list[int] | None, lang: str) -> str:
        """The letters and the texts of the correct choices, in the order shown."""
        order = self.order_of(choice_order)
        indices = sorted(self.answer, key=order.index)
        return f"{self.answer_text(choice_order, lang)}  ({'; '.join(self.choices[i].get(lang) for i in indices)})"


class OrderQuestion(ChoicesQuestion):
    """Choices listed shuffled; `answer` is the permutation of 0-based indices in the correct order."""

    type: Literal["order"]
    answer: object

    def answer_problems(self, n: int) -> list[tuple[Loc, str]]:
        """A permutation of the indices, and not the order they are listed in."""
        answer = self.answer
        if not _index_list(answer):
            return [(("answer",), said("bank.order_answer_shape", value=repr(answer)))]
        if sorted(answer) != list(range(n)):
            return [(("answer",), said("bank.order_not_permutation", last=n - 1, answer=answer))]
        if answer == list(range(n)):
            return [(("choices",), said("bank.order_already_sorted"))]
        return []

    def grade(self, text: str, choice_order: list[int] | None, lang: str = "en") -> Grade:
        """Right when the whole sequence is; the note names the first wrong position."""
        order = self.order_of(choice_order)
        sequence = [order[p] for p in parse_order(text, len(self.choices), lang)]
        wrong = next((k for k, (given, want) in enumerate(zip(sequence, self.answer, strict=True))
                      if given != want), None)
        if wrong is None:
            return Grade(True, sequence)
        given, want = self.labels([sequence[wrong], self.answer[wrong]], choice_order)
        note = words(lang)["first_wrong"].format(position=wrong + 1, given=given, want=want)
        return Grade(False, sequence, note)

    def answer_text(self, choice_order: list[int] | None, lang: str) -> str:
        """The letters in the correct order: 'c a b d'."""
        return " ".join(self.labels(list(self.answer), choice_order))

    def answer_words(self, choice_order: list[int] | None, lang: str) -> str:
        """The letters and the texts joined by arrows."""
        return f"{self.answer_text(choice_order, lang)}  ({' → '.join(self.choices[i].get(lang) for i in self.answer)})"
