"""The `llmprep progress` report as a JSON-ready document.

Per topic: questions seen of the bank's total, accuracy over the last 30 days, cards due now and
the next due time; exercises checked and best bench results from their tables; a line of daily
activity.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from llmprep.quiz import TOPIC_IDS
from llmprep.quiz.schedule import iso_utc

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


def size_magnitude(size: Any) -> int:
    """How big a bench size is, to pick the largest: an int itself, a dict or a name (`T=512`,
    `B4 H8 T128 D64`) the product of its numbers, so "T=2048" is larger than "T=512"."""
    if isinstance(size, bool):
        return 0
    if isinstance(size, int):
        return size
    if isinstance(size, dict):
        return math.prod(value for value in size.values() if isinstance(value, int) and not isinstance(value, bool))
    if isinstance(size, str):
        return math.prod(int(number) for number in re.findall(r"\d+", size)) if re.search(r"\d", size) else 0
    return 0


def best_per_backend(best_rows: list[dict]) -> dict[str, list[dict]]:
    """Per device, one row per exercise × backend: the fastest at the largest size measured (float32
    first when several dtypes were). What `progress` shows; `best` keeps every size and dtype."""
    chosen: dict[tuple[str, str, str], dict] = {}
    for row in best_rows:
        key = (str(row.get("device_name")), str(row.get("exercise")), str(row.get("backend")))
        rank = (size_magnitude(row.get("size")), row.get("dtype") == "float32", -(row.get("median_ms") or 0))
        if key not in chosen or rank > chosen[key][0]:
            chosen[key] = (rank, row)
    by_device: dict[str, list[dict]] = {}
    for (device, _exercise, _backend), (_rank, row) in sorted(chosen.items()):
        by_device.setdefault(device, []).append(row)
    return by_device


def build_standing(store: Store, bank: Bank | None, now: datetime | None = None) -> dict[str, Any]:
    """The progress report as the JSON document `llmprep progress --json` prints.

    `bank` gives the per-topic totals; None (the bank could not be read) leaves them null.
    """
    now = now or datetime.now(timezone.utc)
    activity = store.reviews.topic_activity(since=now - timedelta(days=ACCURACY_DAYS))
    schedule = store.reviews.topic_schedule(now)
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
    exercises = store.checks.summary()
    counts = daily_counts(store.reviews.activity_times(now - timedelta(days=ACTIVITY_DAYS + 1)), ACTIVITY_DAYS,
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
        "bench": {"best": (best := store.bench.best_rows()), "by_device": best_per_backend(best)},
        "activity": {"days": ACTIVITY_DAYS, "first_day": (now.astimezone().date()
                                                          - timedelta(days=ACTIVITY_DAYS - 1)).isoformat(),
                     "counts": counts, "sparkline": sparkline(counts)},
    }
