"""The progress export (`llmprep progress export`) as typed models: what an import accepts.

Everything is checked before anything is written: types are strict ("false" is not false), numbers
are finite and in range (SQLite's integers are 64-bit), times are real, timezone-aware (a time
without a zone is UTC) and no later than tomorrow, strings and lists have a size cap.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
)

EXPORT_FORMAT = "llmprep-progress"
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 32 * 1024 * 1024  # ~160,000 reviews; parsing takes about 10x the size in memory
MAX_ENTRIES = 1_000_000
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
INT64_MAX = 2**63 - 1


def _time(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("not a date and time (expected ISO 8601, e.g. 2026-03-01T12:00:00+00:00)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    latest = datetime.now(timezone.utc) + timedelta(days=1)
    if not EARLIEST <= moment <= latest:
        raise ValueError(f"a date outside {EARLIEST.date()} .. {latest.date()} (tomorrow)")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _number(value: Any) -> float:
    # One validator instead of a float|int union, whose errors would name each member of the union.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("a number is needed")
    if not math.isfinite(value) or not 0 <= value <= 1e12:
        raise ValueError("a finite number from 0 to 1e12 is needed")
    return float(value)


def _size(value: Any) -> Any:
    if isinstance(value, str) and len(value) <= 200:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= INT64_MAX:
        return value
    if isinstance(value, dict) and len(value) <= 16 and all(
            isinstance(key, str) and len(key) <= 50 and isinstance(count, int) and not isinstance(count, bool)
            and 0 <= count <= INT64_MAX for key, count in value.items()):
        return value
    raise ValueError("a size is a whole number, a short text, or a mapping of dimension names to whole numbers")


Id = Annotated[StrictStr, Field(min_length=1, max_length=200)]
Uid = Annotated[StrictStr, Field(min_length=1, max_length=64)]
Hash = Annotated[StrictStr, Field(max_length=128)]
Name = Annotated[StrictStr, Field(max_length=200)]
Time = Annotated[StrictStr, Field(max_length=64), AfterValidator(_time)]
Number = Annotated[Any, BeforeValidator(_number)]
Int64 = Annotated[StrictInt, Field(ge=0, le=INT64_MAX)]
Size = Annotated[Any, BeforeValidator(_size)]


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Review(Entry):
    uid: Uid
    card_id: Id
    question_id: Id
    topic: Id
    reviewed_at: Time
    rating: Annotated[StrictInt, Field(ge=1, le=4)] | None = None
    correct: StrictBool | None = None
    given: Annotated[StrictStr, Field(max_length=10_000)] | None = None
    seconds: Number | None = None
    content_hash: Hash | None = None


class CheckAttempt(Entry):
    uid: Uid
    exercise_id: Id
    passed: StrictBool
    attempted_at: Time
    seed: Int64 | None = None
    device: Name | None = None
    dtype: Name | None = None
    duration_s: Number | None = None
    details: dict[Name, Any] | None = None


class SolutionView(Entry):
    uid: Uid
    exercise_id: Id
    viewed_at: Time
    forced: StrictBool


class ContentChange(Entry):
    card_id: Id
    changed_at: Time
    old_hash: Hash | None = None
    new_hash: Hash | None = None


class BenchRow(BaseModel):
    """A row of `bench --json`: the fields progress and --compare read are typed; the rest is kept as is."""

    model_config = ConfigDict(extra="allow", strict=True)

    exercise: Id | None = None
    backend: Name | None = None
    size: Size | None = None
    dtype: Name | None = None
    median_ms: Number | None = None
    iqr_ms: Number | None = None
    pct_peak: Number | None = None
    gflops: Number | None = None
    gbps: Number | None = None


class Device(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)

    name: Name | None = None


class BenchRun(Entry):
    uid: Uid
    run_at: Time
    device: Device
    rows: Annotated[list[BenchRow], Field(max_length=100_000)]


def _entries(model):
    return Annotated[list[model], Field(max_length=MAX_ENTRIES)]


class Export(Entry):
    """One export document, version 1."""

    format: Literal["llmprep-progress"]
    version: Annotated[StrictInt, Field(ge=1, le=EXPORT_VERSION)]
    schema_: StrictInt | None = Field(default=None, alias="schema")
    exported_at: Time | None = None
    reviews: _entries(Review) = []
    check_attempts: _entries(CheckAttempt) = []
    solution_views: _entries(SolutionView) = []
    bench_runs: _entries(BenchRun) = []
    content_changes: _entries(ContentChange) = []


def describe_problems(error, limit: int = 5) -> list[str]:
    """A pydantic ValidationError as "reviews[3].reviewed_at: <why> (got <value>)" lines."""
    problems = []
    for item in error.errors()[:limit]:
        where = ""
        for part in item["loc"]:
            where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
        shown = repr(item.get("input"))
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        message = item["msg"].removeprefix("Value error, ")
        problems.append(f"{where or 'the document'}: {message} (got {shown})")
    return problems
