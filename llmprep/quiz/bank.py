"""The question bank: its schema, and loading and validating `questions/<topic>.yaml`.

The format is fixed by `questions/FORMAT.md`. Every problem found is reported with the file,
the line, the question id and the field, so a contributor can fix the bank from the message
alone; unknown keys are errors, so a typo never passes silently.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from llmprep.errors import UserError
from llmprep.quiz import LANGUAGES, TOPIC_IDS

SOURCES_FILE = "sources.yaml"

QuestionType = Literal["choice", "multi", "numeric", "short", "order"]
Difficulty = Literal["easy", "medium", "hard"]
Language = Literal["en", "zh"]

CHOICE_TYPES = ("choice", "multi", "order")
MIN_CHOICES, MAX_CHOICES = 3, 6
KEBAB_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GENERATED_ID = re.compile(r"^gen:(?P<family>[a-z0-9][a-z0-9_-]*):(?P<seed>\d+)$")

Loc = tuple[str | int, ...]


class _Strict(BaseModel):
    # strict: YAML already gives real types, so "1" for a number or `no` for a string is a
    # mistake to report, not something to coerce. extra="forbid": a misspelt key is an error.
    model_config = ConfigDict(extra="forbid", strict=True)


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


class Text(_Strict):
    """A text in both languages."""

    en: str
    zh: str

    _check = field_validator("en", "zh")(_non_blank)

    def get(self, lang: str) -> str:
        """The text in `lang` ("en" or "zh")."""
        return self.zh if lang == "zh" else self.en


class Source(_Strict):
    """Where a question's claim comes from: a source document's line range, or a paper."""

    doc: str | None = None
    lines: list[int] | None = Field(default=None, min_length=2, max_length=2)
    ref: str | None = None

    @field_validator("lines")
    @classmethod
    def _valid_range(cls, lines: list[int] | None) -> list[int] | None:
        if lines is not None:
            start, end = lines
            if start < 1 or end < start:
                raise ValueError(f"must be [first, last] with 1 <= first <= last, got [{start}, {end}]")
        return lines

    @field_validator("doc", "ref")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        return None if value is None else _non_blank(value)

    @model_validator(mode="after")
    def _doc_or_ref(self) -> Source:
        if (self.doc is None) == (self.ref is None):
            raise ValueError("a source has either `doc` (with `lines`) or `ref`, not both and not neither")
        if self.doc is not None and self.lines is None:
            raise ValueError("a `doc` source needs `lines: [first, last]`")
        if self.ref is not None and self.lines is not None:
            raise ValueError("`lines` belongs to a `doc` source, not to a `ref`")
        return self


class Tolerance(_Strict):
    """How far a numeric answer may be from the exact value: `abs` and/or `rel`."""

    abs: float | None = Field(default=None, ge=0)
    rel: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _at_least_one(self) -> Tolerance:
        if self.abs is None and self.rel is None:
            raise ValueError("give `abs`, `rel` or both")
        return self

    def allows(self, given: float, exact: float) -> bool:
        """True when `given` is within `abs` of `exact`, or within `rel`·|exact| (the looser wins)."""
        allowed = max(self.abs or 0.0, (self.rel or 0.0) * abs(exact))
        # A few ulps of slack so a bound written exactly (abs: 0.5 around an integer) holds.
        slack = 4 * 2.0**-52 * max(abs(given), abs(exact))
        return abs(given - exact) <= allowed + slack


KeywordGroups = list[list[str]]


class Accept(_Strict):
    """Keyword groups for a short answer: right when it contains a keyword of every group."""

    en: KeywordGroups = Field(min_length=1)
    zh: KeywordGroups = Field(min_length=1)

    @field_validator("en", "zh")
    @classmethod
    def _groups_not_empty(cls, groups: KeywordGroups) -> KeywordGroups:
        for number, group in enumerate(groups):
            if not group:
                raise ValueError(f"keyword group {number} is empty")
            if any(not keyword.strip() for keyword in group):
                raise ValueError(f"keyword group {number} has an empty keyword")
        return groups

    def get(self, lang: str) -> KeywordGroups:
        """The keyword groups for `lang`."""
        return self.zh if lang == "zh" else self.en


class Question(_Strict):
    """One question of the bank (or one made by a generator family), as FORMAT.md defines it."""

    id: str
    topic: str
    type: QuestionType
    difficulty: Difficulty
    prompt: Text
    choices: list[Text] | None = None
    # Its shape depends on `type`; checked (and a short answer turned into Text) below.
    answer: Any
    tolerance: Tolerance | None = None
    unit: Text | None = None
    fraction: bool | None = None
    accept: Accept | None = None
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
        problems = type_rule_problems(self)
        # The bank loader passes a list to collect into, so each problem keeps its own field;
        # anyone else (a generator family) gets an ordinary ValidationError.
        sink = info.context.get("problems") if isinstance(info.context, dict) else None
        if problems and sink is not None:
            sink.extend(problems)
        elif problems:
            raise ValueError("; ".join(f"{format_loc(loc)}: {message}" for loc, message in problems))
        return self

    @property
    def is_generated(self) -> bool:
        """True for a question made by a generator family rather than taken from the bank."""
        return self.family is not None

    def answer_json(self) -> Any:
        """The answer in the bank's terms, as plain JSON (a short answer becomes {en, zh})."""
        return self.answer.model_dump() if isinstance(self.answer, Text) else self.answer

    def summary(self) -> dict[str, Any]:
        """The row `llmprep questions --json` prints for this question."""
        return {
            "id": self.id,
            "topic": self.topic,
            "type": self.type,
            "difficulty": self.difficulty,
            "languages": self.languages(),
            "sources": [source.model_dump(exclude_none=True) for source in self.sources],
            "has_source_error": self.source_error is not None,
        }

    def languages(self) -> list[str]:
        """The languages in which every text of the question is present."""
        texts: list[Text] = [self.prompt, self.explanation, *(self.choices or [])]
        texts += [t for t in (self.unit, self.source_error) if t is not None]
        if isinstance(self.answer, Text):
            texts.append(self.answer)
        return [lang for lang in LANGUAGES if all(text.get(lang).strip() for text in texts)]


def _is_number(value: Any) -> bool:
    # bool is an int in Python, but `answer: true` is never a number.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_index_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value)


def _number_hint(value: Any) -> str:
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return ""
        # PyYAML follows YAML 1.1: 1e-4 (no dot) is a string, 1.0e-4 is a float.
        return (f" (YAML read {value!r} as text, not a number: drop any quotes, and write an exponent "
                "with a dot, 1.0e-4 not 1e-4)")
    return ""


def type_rule_problems(question: Question) -> list[tuple[Loc, str]]:
    """The rules that depend on the question's type (FORMAT.md "Answers by type"), as (field, message)."""
    problems: list[tuple[Loc, str]] = []
    kind = question.type

    def forbid(name: str, why: str) -> None:
        if getattr(question, name) is not None:
            problems.append(((name,), f"not allowed on a {kind} question ({why})"))

    if kind in CHOICE_TYPES:
        problems += _choice_problems(question)
        for name in ("tolerance", "unit", "fraction"):
            forbid(name, "only numeric questions have it")
        forbid("accept", "only short questions have it")
    elif kind == "numeric":
        forbid("choices", "numeric questions have no choices")
        forbid("accept", "only short questions have it")
        answer = question.answer
        if question.family is not None and isinstance(answer, list):
            problems += _array_answer_problems(question)
        elif not _is_number(answer):
            problems.append((("answer",), f"a numeric question's answer must be a number, got {answer!r}"
                             + _number_hint(answer)))
        elif not math.isfinite(answer):
            problems.append((("answer",), "must be a finite number"))
        if question.tolerance is None:
            problems.append((("tolerance",), "a numeric question needs `tolerance: {abs: X}` and/or `{rel: Y}`"))
    elif kind == "short":
        forbid("choices", "short questions have no choices")
        for name in ("tolerance", "unit", "fraction"):
            forbid(name, "only numeric questions have it")
        if isinstance(question.answer, dict):
            try:
                question.answer = Text.model_validate(question.answer)
            except ValidationError as error:
                for item in error.errors():
                    problems.append((("answer", *item["loc"]), _message(item)))
        elif not isinstance(question.answer, Text):
            problems.append((("answer",), f"a short question's answer is the model answer {{en: ..., zh: ...}}, "
                             f"got {question.answer!r}"))
    problems += _identity_problems(question)
    return problems


def answer_shape(answer: Any) -> tuple[int, ...]:
    """() for a number, (n,) for a vector, (rows, columns) for a matrix (a list of equal-length rows)."""
    if not isinstance(answer, list):
        return ()
    if answer and all(isinstance(row, list) for row in answer):
        return (len(answer), len(answer[0]))
    return (len(answer),)


def flat_answer(answer: Any) -> list[float]:
    """A numeric answer's entries in reading order (row by row for a matrix)."""
    if not isinstance(answer, list):
        return [float(answer)]
    return [float(x) for item in answer for x in (item if isinstance(item, list) else [item])]


def _array_answer_problems(question: Question) -> list[tuple[Loc, str]]:
    # Only generated questions have them: a vector or matrix (attention output, a LayerNorm
    # output) is graded entry by entry with the one tolerance.
    answer = question.answer
    rows = answer if answer and all(isinstance(row, list) for row in answer) else [answer]
    entries = [x for row in rows for x in row]
    if not entries or any(not row for row in rows) or len({len(row) for row in rows}) != 1:
        return [(("answer",), f"a vector answer is a non-empty list, a matrix one a list of equal-length rows; "
                 f"got {answer!r}")]
    if any(not _is_number(x) or not math.isfinite(x) for x in entries):
        return [(("answer",), f"every entry of a vector or matrix answer must be a finite number, got {answer!r}")]
    if question.fraction:
        return [(("fraction",), "not allowed with a vector or matrix answer")]
    return []


def _choice_problems(question: Question) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    kind, choices, answer = question.type, question.choices, question.answer
    if choices is None:
        return [(("choices",), f"a {kind} question needs {MIN_CHOICES}-{MAX_CHOICES} choices")]
    n = len(choices)
    if not MIN_CHOICES <= n <= MAX_CHOICES:
        problems.append((("choices",), f"has {n} choices; a {kind} question has {MIN_CHOICES}-{MAX_CHOICES}"))
    for lang in LANGUAGES:
        seen: dict[str, int] = {}
        for index, choice in enumerate(choices):
            key = " ".join(choice.get(lang).split()).casefold()
            if key in seen:
                problems.append((("choices", index, lang), f"same text as choices[{seen[key]}].{lang}"))
            seen.setdefault(key, index)
    if kind == "choice":
        if not (isinstance(answer, int) and not isinstance(answer, bool)):
            problems.append((("answer",), f"a choice question's answer is the 0-based index of the one "
                             f"correct choice, got {answer!r}"))
        elif not 0 <= answer < n:
            problems.append((("answer",), f"index {answer} is out of range for {n} choices (0-{n - 1})"))
    elif kind == "multi":
        if not _is_index_list(answer):
            problems.append((("answer",), f"a multi question's answer is a list of 0-based indices, got {answer!r}"))
        elif len(set(answer)) != len(answer):
            problems.append((("answer",), f"lists an index twice: {answer}"))
        elif len(answer) < 2:
            problems.append((("answer",), "a multi question has at least 2 correct choices; use type: choice for one"))
        elif any(not 0 <= i < n for i in answer):
            problems.append((("answer",), f"index out of range for {n} choices (0-{n - 1}): {answer}"))
    elif kind == "order":
        if not _is_index_list(answer):
            problems.append((("answer",), f"an order question's answer is a list of 0-based indices, got {answer!r}"))
        elif sorted(answer) != list(range(n)):
            problems.append((("answer",), f"must be a permutation of 0-{n - 1} (every choice once), got {answer}"))
        elif answer == list(range(n)):
            problems.append((("choices",), "are listed in the correct order already; list them shuffled"))
    return problems


def _identity_problems(question: Question) -> list[tuple[Loc, str]]:
    if question.family is None:
        problems = []
        if not KEBAB_ID.match(question.id):
            problems.append((("id",), f"{question.id!r} is not kebab-case (lowercase letters, digits and '-')"))
        if question.params is not None:
            problems.append((("params",), "only generated questions (with `family`) have params"))
        return problems
    match = GENERATED_ID.match(question.id)
    if not match or match["family"] != question.family:
        return [(("id",), f"a generated question's id is gen:{question.family}:<seed>, got {question.id!r}")]
    return []


class SourceDocument(_Strict):
    """One of the source documents the bank cites (an entry of sources.yaml)."""

    short: str
    title: Text
    lines: int = Field(ge=1)


class SourcesFile(_Strict):
    """questions/sources.yaml."""

    documents: dict[str, SourceDocument]


@dataclass(frozen=True)
class BankProblem:
    """One thing wrong with the bank, located as precisely as it can be."""

    file: str
    message: str
    line: int | None = None
    question_id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where, self.question_id, self.field, self.message]
        return ": ".join(part for part in parts if part)

    def to_dict(self) -> dict[str, Any]:
        """The problem as a JSON object."""
        return {"file": self.file, "line": self.line, "id": self.question_id, "field": self.field,
                "message": self.message}


@dataclass
class Bank:
    """The loaded bank: valid questions in file order, and the source documents they cite."""

    questions: list[Question]
    documents: dict[str, SourceDocument]
    files: list[Path] = field(default_factory=list)

    def by_id(self) -> dict[str, Question]:
        """The questions keyed by id."""
        return {question.id: question for question in self.questions}


class BankError(UserError):
    """The bank has problems; `problems` lists every one."""

    def __init__(self, problems: Sequence[BankProblem]):
        self.problems = list(problems)
        shown = self.problems[:10]
        more = len(self.problems) - len(shown)
        where = "\n".join(str(problem) for problem in shown) + (f"\n... and {more} more" if more else "")
        first = self.problems[0]
        what = (f"malformed YAML in {first.file}" if len(self.problems) == 1 and first.field == "yaml"
                else f"the question bank has {len(self.problems)} problem(s)")
        super().__init__(what, where=where, fix="fix the bank; `llmprep questions validate` lists every problem")


def format_loc(loc: Iterable[str | int]) -> str:
    """('choices', 2, 'zh') -> 'choices[2].zh'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# Every key the format knows, for "did you mean" on an unknown one.
_KNOWN_KEYS = sorted(set(Question.model_fields) | set(Source.model_fields) | set(Tolerance.model_fields)
                     | set(Text.model_fields))


def _message(error: dict[str, Any]) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        close = difflib.get_close_matches(key, _KNOWN_KEYS, n=1)
        return f"unknown key {key!r}" + (f"; did you mean {close[0]!r}?" if close else "")
    if kind == "string_type" and isinstance(value, bool):
        return "must be text, but YAML read a bare yes/no/true/false/on/off as a boolean: quote it"
    if kind in ("float_type", "int_type", "float_parsing"):
        return error["msg"] + _number_hint(value)
    message = error["msg"]
    return message.removeprefix("Value error, ")


def _line_of(node: yaml.Node | None, loc: Loc) -> int | None:
    """The 1-based line of the YAML node at `loc` (or of its nearest existing parent)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if key.value == part:
                    # The key's own line: an unknown or wrong key is pointed at where it is written.
                    child, line = value, key.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def _duplicate_keys(node: yaml.Node) -> list[tuple[int, str]]:
    # PyYAML silently keeps the last of two equal keys; the second one is almost always a mistake.
    found: list[tuple[int, str]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        found.append((key.start_mark.line + 1, key.value))
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return found


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(path: Path, display: str) -> tuple[Any, yaml.Node | None, list[BankProblem]]:
    """Read one YAML file: its data, its node tree (for line numbers) and any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return None, None, [BankProblem(display, f"not UTF-8 text ({error.reason} at byte {error.start})")]
    except OSError as error:
        return None, None, [BankProblem(display, f"cannot read: {error.strerror}")]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        context = getattr(error, "context", None)
        message = f"malformed YAML: {problem}" + (f" ({context})" if context else "")
        if mark is not None:
            message += f" at column {mark.column + 1}"
        return None, None, [BankProblem(display, message, line=mark.line + 1 if mark else None, field="yaml")]
    finally:
        loader.dispose()
    problems = [BankProblem(display, f"key {key!r} appears twice in the same mapping", line=line, field=key)
                for line, key in _duplicate_keys(node)] if node is not None else []
    return data, node, problems


def _display(path: Path) -> str:
    # Paths under the working directory are shown relative to it, the way a contributor typed them.
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd().resolve()) else str(path)
    except (OSError, ValueError):
        return str(path)


def read_sources(path: Path) -> tuple[dict[str, SourceDocument], list[BankProblem]]:
    """Read sources.yaml: the documents by file name, and any problem."""
    display = _display(path)
    if not path.is_file():
        return {}, [BankProblem(display, "missing: the bank's source documents are listed here")]
    data, node, problems = parse_yaml(path, display)
    if data is None and problems:
        return {}, problems
    try:
        return SourcesFile.model_validate(data).documents, problems
    except ValidationError as error:
        return {}, problems + [
            BankProblem(display, _message(item), line=_line_of(node, item["loc"]), field=format_loc(item["loc"]))
            for item in error.errors()
        ]


def read_topic_file(path: Path, documents: dict[str, SourceDocument] | None) -> tuple[list[Question], list[BankProblem]]:
    """Validate one `<topic>.yaml`: its valid questions and every problem, each with file, line, id and field.

    `documents` (from sources.yaml) is used to check `doc` sources; None skips that check.
    """
    display = _display(path)
    topic = path.stem
    problems: list[BankProblem] = []
    if topic not in TOPIC_IDS:
        close = difflib.get_close_matches(topic, TOPIC_IDS, n=1)
        problems.append(BankProblem(display, f"{path.name} is not named after a topic id"
                                    + (f"; did you mean {close[0]}.yaml?" if close else
                                       f" (the ids: {', '.join(TOPIC_IDS)})")))
    data, root, parse_problems = parse_yaml(path, display)
    problems += parse_problems
    if root is None:
        if not parse_problems:
            problems.append(BankProblem(display, "the file is empty; it should hold a list of questions"))
        return [], problems
    if not isinstance(data, list):
        problems.append(BankProblem(display, "the file should hold a list of questions (`- id: ...`)", line=1))
        return [], problems
    questions: list[Question] = []
    for index, item in enumerate(data):
        item_node = root.value[index]
        raw_id = item.get("id") if isinstance(item, dict) else None
        label = raw_id if isinstance(raw_id, str) else f"question #{index + 1}"

        def problem(loc: Loc, message: str, _node=item_node, _label=label) -> BankProblem:
            return BankProblem(display, message, line=_line_of(_node, loc), question_id=_label,
                               field=format_loc(loc) or None)

        if not isinstance(item, dict):
            problems.append(problem((), "each question is a mapping (`- id: ...`)"))
            continue
        collected: list[tuple[Loc, str]] = []
        try:
            question = Question.model_validate(item, context={"problems": collected})
        except ValidationError as error:
            problems += [problem(tuple(e["loc"]), _message(e)) for e in error.errors()]
            continue
        problems += [problem(loc, message) for loc, message in collected]
        if question.topic != topic and topic in TOPIC_IDS:
            problems.append(problem(("topic",), f"is {question.topic!r} but the file is {path.name}; "
                                    "a question's topic equals its file name"))
        if documents is not None:
            for number, source in enumerate(question.sources):
                if source.doc is None:
                    continue
                document = documents.get(source.doc)
                if document is None:
                    close = difflib.get_close_matches(source.doc, list(documents), n=1)
                    problems.append(problem(("sources", number, "doc"), f"{source.doc!r} is not in sources.yaml"
                                            + (f"; did you mean {close[0]!r}?" if close else "")))
                elif source.lines[1] > document.lines:
                    problems.append(problem(("sources", number, "lines"), f"[{source.lines[0]}, {source.lines[1]}] "
                                            f"runs past the end of {source.doc} ({document.lines} lines)"))
        if not collected:
            questions.append(question)
    return questions, problems


def topic_files(directory: Path) -> list[Path]:
    """The topic files of a bank directory (every *.yaml / *.yml except sources.yaml), sorted."""
    return sorted(p for p in directory.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.name != SOURCES_FILE and p.is_file())


def read_bank(path: Path) -> tuple[Bank, list[BankProblem]]:
    """Validate a bank directory (or a single topic file): the valid part of it, and every problem."""
    path = Path(path)
    directory = path if path.is_dir() else path.parent
    files = topic_files(directory) if path.is_dir() else [path]
    documents, problems = read_sources(directory / SOURCES_FILE)
    # Without a readable sources.yaml (already reported) `doc` sources cannot be checked.
    check_against = None if problems else documents
    questions: list[Question] = []
    first_seen: dict[str, str] = {}
    for file in files:
        valid, file_problems = read_topic_file(file, check_against)
        problems += file_problems
        for question in valid:
            if question.id in first_seen:
                problems.append(BankProblem(_display(file), f"duplicate id: also in {first_seen[question.id]}",
                                            question_id=question.id, field="id"))
                continue
            first_seen[question.id] = _display(file)
            questions.append(question)
    return Bank(questions=questions, documents=documents, files=files), problems


def load_bank(path: Path | None = None) -> Bank:
    """Load the bank (default: the one shipped with llmprep); raise BankError listing every problem."""
    from llmprep.paths import questions_dir

    path = Path(path) if path is not None else questions_dir()
    if not path.exists():
        raise UserError("the question bank is missing", where=str(path),
                        fix="reinstall llmprep, or run from a checkout that has questions/")
    bank, problems = read_bank(path)
    if problems:
        raise BankError(problems)
    return bank


def check_topics(topics: Iterable[str]) -> list[str]:
    """Return the topics, or raise a UserError naming the valid ids for an unknown one."""
    topics = list(topics)
    for topic in topics:
        if topic not in TOPIC_IDS:
            close = difflib.get_close_matches(topic, TOPIC_IDS, n=1)
            raise UserError(
                f"unknown topic {topic!r}" + (f" (did you mean {close[0]!r}?)" if close else ""),
                where="--topic",
                fix="choose one of: " + ", ".join(TOPIC_IDS),
            )
    return topics


def count_lines(path: Path) -> int:
    """A text file's line count as `wc -l` and `sed -n` see it (a last line without newline counts)."""
    data = path.read_bytes()
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def find_question(bank: Bank, question_id: str) -> Question:
    """The question with this id; `gen:<family>:<seed>` is made again by its family."""
    if question_id.startswith("gen:"):
        from llmprep.quiz.generators import load_families

        match = GENERATED_ID.match(question_id)
        families = load_families()
        if not match or match["family"] not in families:
            raise UserError(f"no generated question {question_id!r}", where="ID",
                            fix="a generated id is gen:<family>:<seed>; the families: "
                                + (", ".join(sorted(families)) or "(none installed)"))
        return families[match["family"]].generate(int(match["seed"]))
    questions = bank.by_id()
    if question_id not in questions:
        close = difflib.get_close_matches(question_id, list(questions), n=3)
        raise UserError(f"no question with id {question_id!r}", where="ID",
                        fix=(f"did you mean {', '.join(close)}? " if close else "")
                        + "`llmprep questions` lists every id")
    return questions[question_id]
