"""`llmprep progress`: where a candidate stands, built from the store (and the bank for totals).

Per topic: questions seen of the bank's total, accuracy over the last 30 days, cards due now
and the next due time; exercises checked (issue 6) and best bench results (issue 9) from
their tables; a line of daily activity. Also export to and import from a JSON file.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llmprep.errors import UserError
from llmprep.quiz import TOPIC_IDS
from llmprep.quiz.schedule import advance_card, describe_due, iso_utc

if TYPE_CHECKING:
    from llmprep.quiz.bank import Bank
    from llmprep.store import Store

ACCURACY_DAYS = 30
ACTIVITY_DAYS = 30
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
IDLE_DAY = "·"


def sparkline(counts: list[int]) -> str:
    """One character per count: `·` for zero, else a block whose height grows with the count."""
    peak = max(counts, default=0)
    return "".join(IDLE_DAY if count <= 0 else SPARK_BLOCKS[max(1, math.ceil(count / peak * len(SPARK_BLOCKS))) - 1]
                   for count in counts)


def daily_counts(times: list[datetime], days: int, today: date) -> list[int]:
    """How many of `times` fall on each of the `days` local dates ending with `today`, oldest first."""
    per_day = Counter(moment.astimezone().date() for moment in times)
    return [per_day.get(today - timedelta(days=offset), 0) for offset in range(days - 1, -1, -1)]


def build_report(store: Store, bank: Bank | None, now: datetime | None = None) -> dict[str, Any]:
    """The progress report as the JSON document `llmprep progress --json` prints.

    `bank` gives the per-topic totals; None (the bank could not be read) leaves them null.
    """
    now = now or datetime.now(timezone.utc)
    activity = store.topic_activity(since=now - timedelta(days=ACCURACY_DAYS))
    schedule = store.topic_schedule(now)
    bank_ids: dict[str, set[str]] = {}
    if bank is not None:
        for question in bank.questions:
            bank_ids.setdefault(question.topic, set()).add(question.id)
    topics = list(TOPIC_IDS) + sorted((set(activity) | set(schedule)) - set(TOPIC_IDS))
    rows = []
    for topic in topics:
        done = activity.get(topic, {"seen": set(), "graded": 0, "correct": 0})
        planned = schedule.get(topic, {"due_now": 0, "next_due": None})
        in_bank = bank_ids.get(topic, set())
        rows.append({
            "topic": topic,
            # Seen counts bank questions only, so it never exceeds the total; generated ones show in accuracy.
            "seen": len(done["seen"] & in_bank) if bank is not None else len(done["seen"]),
            "total": len(in_bank) if bank is not None else None,
            "answered_30d": done["graded"],
            "accuracy_30d": round(done["correct"] / done["graded"], 4) if done["graded"] else None,
            "due_now": planned["due_now"],
            "next_due": iso_utc(planned["next_due"]) if planned["next_due"] else None,
        })
    next_dues = [row["next_due"] for row in rows if row["next_due"]]
    graded = sum(row["answered_30d"] for row in rows)
    correct = sum(activity.get(row["topic"], {}).get("correct", 0) for row in rows)
    exercises = store.exercise_summary()
    counts = daily_counts(store.activity_times(now - timedelta(days=ACTIVITY_DAYS + 1)), ACTIVITY_DAYS,
                          now.astimezone().date())
    return {
        "store": str(store.path),
        "topics": rows,
        "totals": {
            "seen": sum(row["seen"] for row in rows),
            "total": sum(row["total"] for row in rows) if bank is not None else None,
            "answered_30d": graded,
            "accuracy_30d": round(correct / graded, 4) if graded else None,
            "due_now": sum(row["due_now"] for row in rows),
            "next_due": min(next_dues) if next_dues else None,
        },
        "exercises": {
            "attempted": len(exercises),
            "passed": sum(1 for entry in exercises.values() if entry["passes"]),
            "items": [{"id": exercise_id, **entry} for exercise_id, entry in exercises.items()],
        },
        "bench": {"best": store.best_bench_rows()},
        "activity": {"days": ACTIVITY_DAYS, "first_day": (now.astimezone().date()
                                                          - timedelta(days=ACTIVITY_DAYS - 1)).isoformat(),
                     "counts": counts, "sparkline": sparkline(counts)},
    }


def render_report(console, report: dict[str, Any], now: datetime | None = None) -> None:
    """Show the report as tables on the console."""
    from rich.markup import escape
    from rich.table import Table

    now = now or datetime.now(timezone.utc)
    table = Table(title=f"quiz progress (accuracy over the last {ACCURACY_DAYS} days)", title_justify="left")
    for name in ("topic", "seen", "accuracy", "due now", "next due"):
        table.add_column(name, justify="left" if name in ("topic", "next due") else "right")

    def row_cells(row: dict[str, Any]) -> list[str]:
        seen = f"{row['seen']}/{row['total']}" if row["total"] is not None else str(row["seen"])
        accuracy = "-" if row["accuracy_30d"] is None else f"{row['accuracy_30d']:.0%} of {row['answered_30d']}"
        next_due = describe_due(datetime.fromisoformat(row["next_due"]), now) if row["next_due"] else "-"
        return [seen, accuracy, str(row["due_now"] or "-"), next_due]

    for row in report["topics"]:
        table.add_row(escape(row["topic"]), *row_cells(row))
    table.add_row("[bold]total[/bold]", *row_cells(report["totals"]), end_section=True)
    console.print(table)
    if report["totals"]["due_now"]:
        console.print(f"{report['totals']['due_now']} review(s) due now: run `llmprep quiz --due`")

    exercises = report["exercises"]
    console.print()
    if exercises["items"]:
        checks = Table(title=f"exercises: {exercises['passed']} passed of {exercises['attempted']} attempted",
                       title_justify="left")
        for name in ("exercise", "attempts", "passes", "last result", "last checked"):
            checks.add_column(name, justify="right" if name in ("attempts", "passes") else "left")
        for item in exercises["items"]:
            last = "[green]passed[/green]" if item["last_result"] == "passed" else "[red]failed[/red]"
            checks.add_row(escape(item["id"]), str(item["attempts"]), str(item["passes"]), last,
                           _local(item["last_at"]))
        console.print(checks)
    else:
        console.print("exercises: none checked yet (`llmprep check FILE`)")

    best = report["bench"]["best"]
    console.print()
    if best:
        bench = Table(title="best bench results", title_justify="left")
        for name in ("device", "exercise", "backend", "size", "dtype", "median ms", "% of peak"):
            bench.add_column(name, justify="right" if name in ("median ms", "% of peak") else "left")
        for row in best:
            peak = row.get("pct_peak")
            bench.add_row(escape(str(row.get("device_name", ""))), escape(str(row.get("exercise", ""))),
                          escape(str(row.get("backend", ""))), escape(_size_text(row.get("size"))),
                          escape(str(row.get("dtype", ""))), f"{row['median_ms']:.4g}",
                          "-" if peak is None else f"{peak:.1f}%")
        console.print(bench)
    else:
        console.print("bench: nothing measured yet (`llmprep bench`)")

    activity = report["activity"]
    console.print()
    console.print(f"activity, last {activity['days']} days (from {activity['first_day']}): "
                  f"{activity['sparkline']}  {sum(activity['counts'])} answers and checks")


def _local(stamp: str | None) -> str:
    if not stamp:
        return "-"
    return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def _size_text(size: Any) -> str:
    if isinstance(size, dict):
        return " ".join(f"{key}={value}" for key, value in size.items())
    return "-" if size is None else str(size)


def export_progress(store: Store, path: Path) -> dict[str, int]:
    """Write the whole store to `path` as versioned JSON (atomically: a crash leaves no half file)."""
    document = store.export_document()
    text = json.dumps(document, ensure_ascii=False, indent=1)
    path = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        os.replace(temporary, path)
    except OSError as error:
        raise UserError(f"cannot write the export: {error.strerror}", where=str(path),
                        fix="choose a writable path") from error
    return {key: len(document[key]) for key in ("reviews", "check_attempts", "solution_views", "bench_runs")}


def import_progress(store: Store, path: Path) -> dict[str, int]:
    """Merge an export into the store; what was already there is not added twice. Returns what was added."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise UserError("no such file", where=str(path), fix="give the path of a `llmprep progress export` file") \
            from error
    except OSError as error:
        raise UserError(f"cannot read the file: {error.strerror}", where=str(path), fix="check the path") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UserError(f"not a JSON file ({error})", where=str(path),
                        fix="import a file written by `llmprep progress export`") from error
    return store.import_document(document, advance_card, source=str(path))
