"""The schema of exercise.toml (exercises/FORMAT.md), as a strict pydantic model.

Every key is declared: an unknown one (`bannned`, `diferentiable`, `atoll`) is an error with a
"did you mean", a value of the wrong type is an error, never coerced, and `topic` must be a
topic id. Errors name the file, the line and the key, and carry exit code 2.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from llmprep.errors import UserError
from llmprep.tolerance import Tolerance
from llmprep.topics import TOPIC_IDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FORMAT_VERSION = 1  # the `format_version` this llmprep reads
Dtype = Literal["float32", "float64", "float16", "bfloat16"]
KEBAB_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DOTTED_NAME = r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$"


class _Strict(BaseModel):
    # strict: TOML already gives real types, so "true" for a boolean or 1 for a string is a
    # mistake to report, not to coerce. extra="forbid": a misspelt key is an error.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Text(_Strict):
    """A text in both languages."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class ExerciseToml(_Strict):
    """exercise.toml, key by key (see exercises/FORMAT.md for what each one means)."""

    format_version: Literal[1]  # = FORMAT_VERSION
    id: str = Field(pattern=KEBAB_ID)
    order: int = Field(default=0, ge=0)
    topic: str
    difficulty: Literal["easy", "medium", "hard"]
    entry: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    kind: Literal["function", "module"] = "function"
    signature: str = Field(min_length=1)
    differentiable: bool = True
    output_dtype: Dtype | None = None
    harness: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_]+\.py$")
    sources: list[str] = []
    banned: list[str] = []
    title: Text
    tolerance: dict[Dtype, Tolerance] = {}
    grad_tolerance: dict[Dtype, Tolerance] = {}
    hints: list[Text] = []

    @field_validator("topic")
    @classmethod
    def _known_topic(cls, topic: str) -> str:
        if topic not in TOPIC_IDS:
            raise ValueError(f"unknown topic {topic!r}" + (_did_you_mean(topic, TOPIC_IDS)
                                                            or f" (the topic ids: {', '.join(TOPIC_IDS)})"))
        return topic

    @field_validator("banned")
    @classmethod
    def _dotted_names(cls, names: list[str]) -> list[str]:
        for name in names:
            if not re.match(DOTTED_NAME, name):
                raise ValueError(f"{name!r} is not a dotted name such as 'torch.nn.functional.softmax'")
        return names


# Every key the format knows, for "did you mean" on an unknown one.
_KNOWN_KEYS = sorted(set(ExerciseToml.model_fields) | set(Text.model_fields) | {"atol", "rtol"})


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _message(error: dict[str, Any]) -> str:
    kind, value = error["type"], error.get("input")
    loc = error["loc"]
    if kind == "missing":
        if loc == ("format_version",):
            return f"required key is missing: add `format_version = {FORMAT_VERSION}` as the first line"
        return "required key is missing"
    if kind == "extra_forbidden":
        return f"unknown key{_did_you_mean(str(loc[-1]), _KNOWN_KEYS)}"
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'|(\d+)", error["ctx"]["expected"])
        choices = [a or b for a, b in expected]
        return error["msg"] + _did_you_mean(str(value), choices)
    if loc and loc[-1] == "[key]":
        return f"{value!r}: {error['msg']}"
    return error["msg"].removeprefix("Value error, ")


def _key_path(loc: tuple) -> str:
    """('tolerance', 'float32', 'atoll') -> 'tolerance.float32.atoll'; ('hints', 1, 'en') -> 'hints[1].en'."""
    text = ""
    for part in loc:
        if part == "[key]":
            continue
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(text: str, loc: tuple) -> int | None:
    """The 1-based line where the key at `loc` is written (or its nearest parent), found by reading
    the text: tomllib gives values, not positions."""
    lines = text.splitlines()
    found, start, previous = None, 0, None
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):  # the n-th [[previous]] table
            headers = [i for i, line in enumerate(lines)
                       if re.match(rf"^\s*\[\[\s*{re.escape(str(previous))}\s*\]\]", line)]
            if part < len(headers):
                found = start = headers[part]
            continue
        key = re.escape(str(part))
        pattern = re.compile(rf"^\s*\[+\s*(?:[\w.-]+\.)?{key}\s*[\].]|(?:^|[{{,\s]){key}\s*=")
        for number in range(start, len(lines)):
            if pattern.search(lines[number]):
                found = start = number
                break
        previous = part
    return None if found is None else found + 1


def parse_exercise_toml(text: str, path: Path) -> ExerciseToml:
    """The parsed and checked exercise.toml at `path`; a UserError naming file, line and key otherwise."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"exercise.toml is not valid TOML: {exc}", where=str(path),
                        fix="fix the syntax (see exercises/FORMAT.md)") from exc
    try:
        parsed = ExerciseToml.model_validate(data)
    except ValidationError as exc:
        problems = []
        first_line = None
        for error in exc.errors():
            line = _line_of(text, error["loc"])
            first_line = first_line or line
            at = f"line {line}, " if line else ""
            problems.append(f"{at}`{_key_path(error['loc'])}`: {_message(error)}")
        where = f"{path}:{first_line}" if first_line else str(path)
        raise UserError("exercise.toml: " + "; ".join(problems), where=where,
                        fix="correct the key or value (the keys are listed in exercises/FORMAT.md)") from exc
    if parsed.id != path.parent.name:
        raise UserError(f"exercise.toml: `id`: {parsed.id!r} differs from the folder name {path.parent.name!r}",
                        where=f"{path}:{_line_of(text, ('id',))}", fix="make them the same")
    if parsed.harness and not (path.parent / parsed.harness).is_file():
        raise UserError(f"exercise.toml: `harness`: there is no {parsed.harness} beside it",
                        where=f"{path}:{_line_of(text, ('harness',))}", fix="add the file or drop the key")
    return parsed
