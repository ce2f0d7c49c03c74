"""Short free-text questions: self-graded, as Anki and hashcards do.

A machine cannot tell a right explanation from a wrong one that uses the same words ("it is
an additional layer that makes the model deep" mentions "add" and "deep"), so a short answer
is never graded by keywords. The person sees the model answer and its key points and rates
their own answer (1 again, 2 hard, 3 good, 4 easy). The keyword groups of `accept`, one per
key point, only feed a hint: "you mentioned 2 of 3 key points".
"""

from __future__ import annotations

import re
import unicodedata
from typing import ClassVar, Literal

from llmprep.quiz.answers import normalize
from llmprep.quiz.messages import words
from llmprep.quiz.schema import Accept, AnswerParseError, Grade, Loc, Question, Text


def mentions(text: str, keyword: str) -> bool:
    """True when `keyword` occurs in `text`; a word-like keyword only at the start of a word.

    A stem of five letters or more matches any word it begins ("saturat" in "saturates"); a
    shorter word takes at most a three-letter ending ("add" in "adds", "added", not "additional").
    """
    haystack = normalize(text).casefold()
    needle = normalize(keyword).casefold()
    if needle[:1].isascii() and needle[:1].isalnum():
        ending = r"" if len(needle) >= 5 else r"[a-z]{0,3}(?![a-z0-9])"
        return re.search(r"(?<![a-z0-9])" + re.escape(needle) + ending, haystack) is not None
    return needle in haystack


def key_points_mentioned(text: str, accept: Accept, lang: str) -> tuple[int, int]:
    """(mentioned, total) key points; a group counts when a keyword of it in either language occurs."""
    groups = accept.get(lang)
    other = accept.get("en" if lang == "zh" else "zh")
    mentioned = 0
    for number, group in enumerate(groups):
        # People answer in Chinese with English terms; the groups line up when the counts match.
        keywords = group + (other[number] if len(other) == len(groups) else [])
        mentioned += any(mentions(text, keyword) for keyword in keywords)
    return mentioned, len(groups)


class ShortQuestion(Question):
    """`answer` is the model answer {en, zh}; `accept` names its key points as keyword groups."""

    type: Literal["short"]
    answer: Text
    accept: Accept | None = None
    self_graded: ClassVar[bool] = True

    def texts(self) -> list[Text]:
        """The common texts and the model answer."""
        return super().texts() + [self.answer]

    def grade(self, text: str, choice_order: list[int] | None, lang: str = "en") -> Grade:
        """Never a verdict (`correct` None): the person rates it; the note counts the key points mentioned."""
        answer = normalize(text)
        if not answer or not any(unicodedata.category(c)[0] in "LN" for c in answer):
            raise AnswerParseError(words(lang)["empty"])
        if self.accept is None:
            return Grade(None, answer)
        mentioned, total = key_points_mentioned(answer, self.accept, lang)
        return Grade(None, answer, words(lang)["mentioned"].format(mentioned=mentioned, total=total))

    def key_points(self, lang: str) -> list[str]:
        """Each key point named by its first keywords ('variance / magnitude')."""
        if self.accept is None:
            return []
        return [" / ".join(keyword.strip() for keyword in group[:2]) for group in self.accept.get(lang)]

    def answer_text(self, choice_order: list[int] | None, lang: str) -> str:
        """The model answer."""
        return self.answer.get(lang)

    def answer_json(self) -> dict[str, str]:
        """The model answer as {en, zh}."""
        return self.answer.model_dump()

    def type_problems(self) -> list[tuple[Loc, str]]:
        """No extra rules: the fields say it all."""
        return []
