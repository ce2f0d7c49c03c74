"""The question bank: loading and validating `questions/<topic>.yaml` and `questions/sources.yaml`.

The format is fixed by `questions/FORMAT.md`; the question types are in question.py. Every
problem found is reported with the file, the line, the question id and the field, so a
contributor can fix the bank from the message alone; unknown keys are errors, with "did you
mean". Reading is bounded (yaml_reading.py): a hostile file is a clear problem, never a hang.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from llmprep.errors import UserError
from llmprep.messages import in_language, said
from llmprep.quiz import QUESTION_TYPES, TOPIC_IDS
from llmprep.quiz.numeric import Tolerance, number_hint
from llmprep.quiz.question import Question, fields_by_type, parse_question
from llmprep.quiz.schema import Loc, Paper, Source, SourceDocument, SourcesFile, Text, format_loc
from llmprep.quiz.yaml_reading import read_yaml

SOURCES_FILE = "sources.yaml"
MAX_QUESTIONS_PER_FILE = 1000  # checking costs about 0.5 ms a question: this keeps a file under a second
MAX_PROBLEMS_PER_FILE = 200

__all__ = ["Bank", "BankError", "BankProblem", "Question", "Source", "SourceDocument", "Text", "Tolerance",
           "check_topics", "count_lines", "load_bank", "read_bank", "read_topic_file"]


@dataclass(frozen=True)
class BankProblem:
    """One thing wrong with the bank, located as precisely as it can be."""

    file: str
    message: str
    line: int | None = None
    question_id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        """One grep-able line: file:line: id: field: the message in `lang` (the JSON keeps it in English)."""
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where, self.question_id, self.field, in_language(self.message, lang)]
        return ": ".join(part for part in parts if part)

    def to_dict(self) -> dict[str, Any]:
        """The problem as a JSON object."""
        return {"file": self.file, "line": self.line, "id": self.question_id, "field": self.field,
                "message": self.message}


@dataclass
class Bank:
    """The loaded bank: valid questions in file order, and the documents and papers they cite."""

    questions: list[Question]
    documents: dict[str, SourceDocument]
    files: list[Path] = field(default_factory=list)
    papers: dict[str, Paper] = field(default_factory=dict)
    directory: Path | None = None

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


_OWNERS = fields_by_type()
# Every key the format knows, for "did you mean" on an unknown one.
_KNOWN_KEYS = sorted(set(_OWNERS) | set(Source.model_fields) | {"abs", "rel"} | set(Text.model_fields))


def _message(error: dict[str, Any], kind: str | None) -> str:
    code, value = error["type"], error.get("input")
    loc = _field_loc(error, kind)
    if code == "missing":
        return said("bank.field_missing")
    if code == "union_tag_not_found":
        return said("bank.type_missing", types=", ".join(QUESTION_TYPES))
    if code == "union_tag_invalid":
        close = difflib.get_close_matches(str(value.get("type")), QUESTION_TYPES, n=1)
        fields = {"type": repr(value.get("type")), "types": ", ".join(QUESTION_TYPES)}
        return said("bank.unknown_type_close", **fields, close=repr(close[0])) if close \
            else said("bank.unknown_type", **fields)
    if code == "extra_forbidden":
        key = str(loc[-1])
        owners = _OWNERS.get(key)
        if kind is not None and owners and len(loc) == 1:
            return said("bank.not_on_this_type", kind=kind, owners=", ".join(owners))
        close = difflib.get_close_matches(key, _KNOWN_KEYS, n=1)
        return said("bank.unknown_key_close", name=repr(key), close=repr(close[0])) if close \
            else said("bank.unknown_key", name=repr(key))
    if code == "string_type" and isinstance(value, bool):
        return said("bank.bare_boolean")
    if code in ("float_type", "int_type", "float_parsing"):
        return said("bank.with_hint", message=error["msg"], hint=number_hint(value))  # pydantic's text, our hint
    if code == "model_type" and loc == ("answer",):
        return said("bank.short_answer_shape", value=f"{value!r:.80}")
    return error["msg"].removeprefix("Value error, ")


def _field_loc(error: dict[str, Any], kind: str | None) -> Loc:
    # A tagged union puts the tag first ("numeric", "tolerance"); the contributor wrote "tolerance".
    loc = tuple(error["loc"])
    if error["type"] in ("union_tag_not_found", "union_tag_invalid"):
        return ("type",)
    return loc[1:] if loc and kind is not None and loc[0] == kind else loc


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


def _display(path: Path) -> str:
    # Paths under the working directory are shown relative to it, the way a contributor typed them.
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd().resolve()) else str(path)
    except (OSError, ValueError):
        return str(path)


def parse_yaml(path: Path, display: str) -> tuple[Any, yaml.Node | None, list[BankProblem]]:
    """Read one YAML file (bounded): its data, its node tree (for line numbers) and any problem."""
    data, node, found = read_yaml(path)
    return data, node, [BankProblem(display, message, line=line, field=where) for line, where, message in found]


def read_sources(path: Path) -> tuple[SourcesFile, list[BankProblem]]:
    """Read sources.yaml: the documents by file name, the papers by key, and any problem."""
    display = _display(path)
    empty = SourcesFile(documents={})
    if not path.is_file():
        return empty, [BankProblem(display, said("bank.sources_missing"))]
    data, node, problems = parse_yaml(path, display)
    if data is None and problems:
        return empty, problems
    try:
        return SourcesFile.model_validate(data), problems
    except ValidationError as error:
        return empty, problems + [
            BankProblem(display, _message(item, None), line=_line_of(node, tuple(item["loc"])),
                        field=format_loc(item["loc"]))
            for item in error.errors()
        ]


def _source_problems(question: Question, sources: SourcesFile) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    for number, source in enumerate(question.sources):
        if source.doc is not None:
            document = sources.documents.get(source.doc)
            if document is None:
                close = difflib.get_close_matches(source.doc, list(sources.documents), n=1)
                problems.append((("sources", number, "doc"),
                                 said("bank.unknown_doc_close", doc=repr(source.doc), close=repr(close[0])) if close
                                 else said("bank.unknown_doc", doc=repr(source.doc))))
            elif source.lines[1] > document.lines:
                problems.append((("sources", number, "lines"), said("bank.lines_past_end", first=source.lines[0],
                                 last=source.lines[1], doc=source.doc, lines=document.lines)))
        if source.paper is not None and source.paper not in sources.papers:
            close = difflib.get_close_matches(source.paper, list(sources.papers), n=1)
            problems.append((("sources", number, "paper"),
                             said("bank.unknown_paper_close", paper=repr(source.paper), close=repr(close[0])) if close
                             else said("bank.unknown_paper", paper=repr(source.paper))))
    return problems


def read_topic_file(path: Path, sources: SourcesFile | None) -> tuple[list[Question], list[BankProblem]]:
    """Validate one `<topic>.yaml`: its valid questions and every problem, each with file, line, id and field.

    `sources` (sources.yaml) is used to check `doc` and `paper` sources; None skips that check.
    """
    display = _display(path)
    topic = path.stem
    problems: list[BankProblem] = []
    if topic not in TOPIC_IDS:
        close = difflib.get_close_matches(topic, TOPIC_IDS, n=1)
        problems.append(BankProblem(display, said("bank.not_a_topic_close", name=path.name, close=close[0]) if close
                                    else said("bank.not_a_topic", name=path.name, ids=", ".join(TOPIC_IDS))))
    data, root, parse_problems = parse_yaml(path, display)
    problems += parse_problems
    if root is None:
        if not parse_problems:
            problems.append(BankProblem(display, said("bank.empty")))
        return [], problems
    if not isinstance(data, list):
        problems.append(BankProblem(display, said("bank.not_a_list"), line=1))
        return [], problems
    if len(data) > MAX_QUESTIONS_PER_FILE:
        problems.append(BankProblem(display, said("bank.too_many_items", count=f"{len(data):,}",
                                                  limit=f"{MAX_QUESTIONS_PER_FILE:,}"), line=1))
        return [], problems
    questions: list[Question] = []
    for index, item in enumerate(data):
        if len(problems) >= MAX_PROBLEMS_PER_FILE:
            problems.append(BankProblem(display, said("bank.stopped", limit=MAX_PROBLEMS_PER_FILE)))
            break
        item_node = root.value[index]
        raw_id = item.get("id") if isinstance(item, dict) else None
        label = raw_id if isinstance(raw_id, str) else f"question #{index + 1}"

        def problem(loc: Loc, message: str, _node=item_node, _label=label) -> BankProblem:
            return BankProblem(display, message, line=_line_of(_node, loc), question_id=_label,
                               field=format_loc(loc) or None)

        if not isinstance(item, dict):
            problems.append(problem((), said("bank.not_a_mapping")))
            continue
        kind = item.get("type") if item.get("type") in QUESTION_TYPES else None
        collected: list[tuple[Loc, str]] = []
        try:
            question = parse_question(item, context={"problems": collected})
        except ValidationError as error:
            problems += [problem(_field_loc(e, kind), _message(e, kind)) for e in error.errors()]
            continue
        if question.topic != topic and topic in TOPIC_IDS:
            collected.append((("topic",), said("bank.wrong_topic", topic=repr(question.topic), name=path.name)))
        if sources is not None:
            collected += _source_problems(question, sources)
        problems += [problem(loc, message) for loc, message in collected]
        if not collected:
            questions.append(question)
    return questions, problems


def topic_files(directory: Path) -> list[Path]:
    """The topic files of a bank directory (every *.yaml / *.yml except sources.yaml), sorted."""
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.name != SOURCES_FILE)


def read_bank(path: Path) -> tuple[Bank, list[BankProblem]]:
    """Validate a bank directory (or a single topic file): the valid part of it, and every problem."""
    path = Path(path)
    directory = path if path.is_dir() else path.parent
    files = topic_files(directory) if path.is_dir() else [path]
    sources, problems = read_sources(directory / SOURCES_FILE)
    # Without a readable sources.yaml (already reported) `doc` and `paper` sources cannot be checked.
    check_against = None if problems else sources
    questions: list[Question] = []
    first_seen: dict[str, str] = {}
    for file in files:
        valid, file_problems = read_topic_file(file, check_against)
        problems += file_problems
        for question in valid:
            if question.id in first_seen:
                problems.append(BankProblem(_display(file), said("bank.duplicate_id", file=first_seen[question.id]),
                                            question_id=question.id, field="id"))
                continue
            first_seen[question.id] = _display(file)
            questions.append(question)
    bank = Bank(questions=questions, documents=sources.documents, files=files, papers=sources.papers,
                directory=directory)
    return bank, problems


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
            raise UserError(said("quiz.unknown_topic_close", topic=repr(topic), close=repr(close[0])) if close
                            else said("quiz.unknown_topic", topic=repr(topic)),
                            where="--topic", fix=said("quiz.unknown_topic_fix", topics=", ".join(TOPIC_IDS)))
    return topics


def count_lines(path: Path) -> int:
    """A text file's line count as `wc -l` and `sed -n` see it (a last line without newline counts)."""
    data = path.read_bytes()
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
