"""What every question has, whatever its type: texts in two languages, sources, and the base class.

Each question type (choices.py, numeric.py, short.py) subclasses `Question` with its own
`answer` and the methods that parse, grade and show an answer to it; question.py joins them
into one union tagged by `type`. Nothing here knows the types by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from llmprep.messages import said
from llmprep.quiz import LANGUAGES, TOPIC_IDS

Difficulty = Literal["easy", "medium", "hard"]
Loc = tuple[str | int, ...]
KEBAB_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GENERATED_ID = re.compile(r"^gen:(?P<family>[a-z0-9][a-z0-9_-]*):(?P<seed>\d+)$")


class Strict(BaseModel):
    # strict: YAML already gives real types, so "1" for a number or `no` for a string is a
    # mistake to report, not something to coerce. extra="forbid": a misspelt key is an error.
    model_config = ConfigDict(extra="forbid", strict=True)


def non_blank(value: str) -> str:
    """The value, or ValueError when it is only whitespace."""
    if not value.strip():
        raise ValueError("must not be empty")
    return value


class Text(Strict):
    """A text in both languages."""

    en: str
    zh: str

    _check = field_validator("en", "zh")(non_blank)

    def get(self, lang: str) -> str:
        """The text in `lang` ("en" or "zh")."""
        return self.zh if lang == "zh" else self.en


class Source(Strict):
    """Where a claim comes from: a seed document's lines, a paper of sources.yaml (and its section), or a reference."""

    doc: str | None = None
    lines: list[int] | None = Field(default=None, min_length=2, max_length=2)
    paper: str | None = None
    section: str | None = None
    ref: str | None = None

    @field_validator("lines")
    @classmethod
    def _valid_range(cls, lines: list[int] | None) -> list[int] | None:
        if lines is not None:
            start, end = lines
            if start < 1 or end < start:
                raise ValueError(f"must be [first, last] with 1 <= first <= last, got [{start}, {end}]")
        return lines

    @field_validator("doc", "ref", "paper", "section")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        return None if value is None else non_blank(value)

    @model_validator(mode="after")
    def _one_kind(self) -> Source:
        if sum(value is not None for value in (self.doc, self.paper, self.ref)) != 1:
            raise ValueError("a source has exactly one of `doc` (with `lines`), `paper` (with an optional "
                             "`section`) or `ref`")
        if (self.doc is None) != (self.lines is None):
            raise ValueError("`doc` and `lines: [first, last]` go together")
        if self.section is not None and self.paper is None:
            raise ValueError("`section` belongs to a `paper` source")
        return self

    def legacy_json(self) -> dict[str, Any]:
        """The source as the first schema dumped it (doc, lines, ref), plus paper and section when set."""
        data: dict[str, Any] = {"doc": self.doc, "lines": self.lines, "ref": self.ref}
        data.update({key: value for key, value in (("paper", self.paper), ("section", self.section)) if value})
        return data


class Accept(Strict):
    """Keyword groups of a short answer, one group per key point: a hint, never the verdict."""

    en: list[list[str]] = Field(min_length=1)
    zh: list[list[str]] = Field(min_length=1)

    @field_validator("en", "zh")
    @classmethod
    def _groups_not_empty(cls, groups: list[list[str]]) -> list[list[str]]:
        for number, group in enumerate(groups):
            if not group:
                raise ValueError(f"keyword group {number} is empty")
            if any(not keyword.strip() for keyword in group):
                raise ValueError(f"keyword group {number} has an empty keyword")
        return groups

    def get(self, lang: str) -> list[list[str]]:
        """The keyword groups for `lang`."""
        return self.zh if lang == "zh" else self.en


class AnswerParseError(ValueError):
    """The typed text is not an answer to this question; the message says what is expected."""


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer.

    `correct` is None when the machine does not judge it (a short answer: the person rates it).
    `parsed` is the answer as understood, in the bank's terms. `note` explains the verdict in
    the session's language: what was missed or extra, the first wrong position, how close.
    """

    correct: bool | None
    parsed: Any
    note: str | None = None


class Question(Strict):
    """One question of the bank or of a generator family; a subclass per `type`.

    Subclasses define `answer`, and: `type_problems`, `grade`, `answer_text`, `answer_words`,
    `body_lines` and `answer_json` (the answer in the bank's terms, as JSON).
    """

    # True for a type the person grades (its `grade` never gives a verdict): its model answer is
    # shown before the rating.
    self_graded: ClassVar[bool] = False

    id: str
    topic: str
    type: str
    difficulty: Difficulty
    prompt: Text
    explanation: Text
    sources: list[Source] = Field(min_length=1)
    source_error: Text | None = None
    # Only generated questions: the family that made it and the parameters it drew.
    family: str | None = None
    params: dict[str, Any] | None = None

    @field_validator("topic")
    @classmethod
    def _known_topic(cls, topic: str) -> str:
        if topic not in TOPIC_IDS:
            raise ValueError(f"unknown topic {topic!r}; the topic ids are: {', '.join(TOPIC_IDS)}")
        return topic

    @model_validator(mode="after")
    def _type_rules(self, info: ValidationInfo) -> Question:
        problems = self.type_problems() + self._identity_problems()
        # The bank loader passes a list to collect into, so each problem keeps its own field;
        # anyone else (a generator family) gets an ordinary ValidationError.
        sink = info.context.get("problems") if isinstance(info.context, dict) else None
        if problems and sink is not None:
            sink.extend(problems)
        elif problems:
            raise ValueError("; ".join(f"{format_loc(loc)}: {message}" for loc, message in problems))
        return self

    def _identity_problems(self) -> list[tuple[Loc, str]]:
        if self.family is None:
            problems: list[tuple[Loc, str]] = []
            if not KEBAB_ID.match(self.id):
                problems.append((("id",), said("bank.not_kebab", id=repr(self.id))))
            if self.params is not None:
                problems.append((("params",), said("bank.params_not_generated")))
            return problems
        match = GENERATED_ID.match(self.id)
        if not match or match["family"] != self.family:
            return [(("id",), said("bank.generated_id", family=self.family, id=repr(self.id)))]
        return []

    # What each type provides.
    def type_problems(self) -> list[tuple[Loc, str]]:
        """The rules of this type (FORMAT.md "Answers by type"), as (field, message)."""
        return []

    def grade(self, text: str, choice_order: list[int] | None, lang: str = "en") -> Grade:
        """Grade a typed answer; AnswerParseError when it is not an answer at all."""
        raise NotImplementedError

    def answer_text(self, choice_order: list[int] | None, lang: str) -> str:
        """What to type to be right, in this session's choice order."""
        raise NotImplementedError

    def answer_words(self, choice_order: list[int] | None, lang: str) -> str:
        """The answer as the reveal shows it: what to type and what it means."""
        return self.answer_text(choice_order, lang)

    def body_lines(self, lang: str, choice_order: list[int] | None, reveal: bool) -> list[str]:
        """Rich-markup lines shown under the prompt (choices, unit, tolerance); data escaped."""
        return []

    def answer_json(self) -> Any:
        """The answer in the bank's terms, as plain JSON."""
        return getattr(self, "answer", None)

    def texts(self) -> list[Text]:
        """Every bilingual text of the question (for the languages check and search)."""
        return [t for t in (self.prompt, self.explanation, self.source_error) if t is not None]

    @property
    def is_generated(self) -> bool:
        """True for a question made by a generator family rather than taken from the bank."""
        return self.family is not None

    def summary(self) -> dict[str, Any]:
        """The row `llmprep questions --json` prints for this question."""
        return {
            "id": self.id, "topic": self.topic, "type": self.type, "difficulty": self.difficulty,
            "languages": self.languages(),
            "sources": [source.model_dump(exclude_none=True) for source in self.sources],
            "has_source_error": self.source_error is not None,
        }

    def languages(self) -> list[str]:
        """The languages in which every text of the question is present."""
        return [lang for lang in LANGUAGES if all(text.get(lang).strip() for text in self.texts())]

    def content_json(self) -> dict[str, Any]:
        """Everything the question says, in the layout of the first schema, so its hash never moved.

        Every field of every type appears (None where this type has none), as the one class
        of the first schema dumped them; the progress store keys content changes on its hash.
        """
        data = {name: None for name in _LEGACY_FIELDS}
        data.update(self.model_dump(mode="json", exclude={"sources"}))
        data["answer"] = self.answer_json()
        data["sources"] = [source.legacy_json() for source in self.sources]
        return data


_LEGACY_FIELDS = ("id", "topic", "type", "difficulty", "prompt", "choices", "answer", "tolerance", "unit",
                  "fraction", "accept", "explanation", "sources", "source_error", "family", "params")


def format_loc(loc: tuple[str | int, ...] | list[str | int]) -> str:
    """('choices', 2, 'zh') -> 'choices[2].zh'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class SourceDocument(Strict):
    """One of the seed documents the bank cites (an entry of sources.yaml `documents`)."""

    short: str
    title: Text
    lines: int = Field(ge=1)


class Paper(Strict):
    """A paper the bank cites (an entry of sources.yaml `papers`), named by its key."""

    title: str
    authors: str
    year: int = Field(ge=1900, le=2100)
    venue: str | None = None
    url: str | None = None
    arxiv: str | None = None  # an arXiv id such as "2203.15556"
    reference: str | None = None  # for work not on arXiv: venue and pages, without a URL

    def cite(self, section: str | None = None) -> str:
        """'Vaswani et al. 2017, Attention Is All You Need, §3.2.1'."""
        where = f", {section}" if section else ""
        return f"{self.authors} {self.year}, {self.title}{where}" + (f" (arXiv:{self.arxiv})" if self.arxiv else "")


class SourcesFile(Strict):
    """questions/sources.yaml."""

    documents: dict[str, SourceDocument]
    papers: dict[str, Paper] = Field(default_factory=dict)
