"""The progress report as tables, in the learner's language."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from llmprep.messages import translator


def describe_counts(counts: dict[str, int], lang: str) -> str:
    """'3 reviews, 2 cards' in `lang`."""
    _ = translator(lang)
    separator = "，" if lang == "zh" else ", "
    return separator.join(_(f"progress.count.{name}", count=count) for name, count in counts.items())


def render_standing(console, report: dict[str, Any], lang: str = "en", now: datetime | None = None) -> None:
    """Show the progress report as tables on the console."""
    from rich.markup import escape
    from rich.table import Table

    from llmprep.quiz.schedule import describe_due

    _ = translator(lang)
    now = now or datetime.now(timezone.utc)
    table = Table(title=_("progress.quiz_title", days=30), title_justify="left")
    for name in ("topic", "seen", "accuracy", "due_now", "next_due"):
        table.add_column(_(f"progress.col.{name}"), justify="left" if name in ("topic", "next_due") else "right")

    def row_cells(row: dict[str, Any]) -> list[str]:
        seen = f"{row['seen']}/{row['total']}" if row["total"] is not None else str(row["seen"])
        accuracy = "-" if row["accuracy_30d"] is None else _(
            "progress.accuracy_of", percent=f"{row['accuracy_30d']:.0%}", count=row["answered_30d"])
        next_due = describe_due(datetime.fromisoformat(row["next_due"]), now, lang) if row["next_due"] else "-"
        return [seen, accuracy, str(row["due_now"] or "-"), next_due]

    for row in report["topics"]:
        table.add_row(escape(row["topic"]), *row_cells(row))
    table.add_row(f"[bold]{_('progress.total')}[/bold]", *row_cells(report["totals"]), end_section=True)
    console.print_unclipped(table)
    if report["totals"]["due_now"]:
        console.print(_("progress.due_now_line", count=report["totals"]["due_now"], command="llmprep quiz --due"),
                      soft_wrap=True)

    exercises = report["exercises"]
    console.print()
    if exercises["items"]:
        checks = Table(title=_("progress.exercises_title", passed=exercises["passed"],
                               attempted=exercises["attempted"]), title_justify="left")
        for name in ("exercise", "attempts", "passes", "last_result", "last_checked"):
            checks.add_column(_(f"progress.col.{name}"), justify="right" if name in ("attempts", "passes") else "left")
        for item in exercises["items"]:
            last = (f"[green]{_('progress.passed')}[/green]" if item["last_result"] == "passed"
                    else f"[red]{_('progress.failed')}[/red]")
            checks.add_row(escape(item["id"]), str(item["attempts"]), str(item["passes"]), last,
                           _local(item["last_at"]))
        console.print_unclipped(checks)
    else:
        console.print(_("progress.no_exercises", command="llmprep check FILE"), soft_wrap=True)

    by_device = report["bench"]["by_device"]
    console.print()
    for device, rows in by_device.items():
        bench = Table(title=_("progress.bench_title_on", device=escape(device)), title_justify="left")
        for name in ("exercise", "backend", "size", "dtype", "median_ms", "pct_peak"):
            bench.add_column(_(f"progress.col.{name}"), justify="right" if name in ("median_ms", "pct_peak") else "left")
        for row in rows:
            peak = row.get("pct_peak")
            bench.add_row(escape(str(row.get("exercise", ""))), escape(str(row.get("backend", ""))),
                          escape(_size_text(row.get("size"))), escape(str(row.get("dtype", ""))),
                          f"{row['median_ms']:.4g}", "-" if peak is None else f"{peak:.1f}%")
        console.print_unclipped(bench)
    if not by_device:
        console.print(_("progress.no_bench", command="llmprep bench"), soft_wrap=True)

    activity = report["activity"]
    console.print()
    console.print(_("progress.activity", days=activity["days"], first_day=activity["first_day"],
                    sparkline=activity["sparkline"], count=sum(activity["counts"])), soft_wrap=True)


def _local(stamp: str | None) -> str:
    if not stamp:
        return "-"
    return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def _size_text(size: Any) -> str:
    if isinstance(size, dict):
        return " ".join(f"{key}={value}" for key, value in size.items())
    return "-" if size is None else str(size)
