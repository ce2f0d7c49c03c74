"""`llmprep progress`: what you know, what is due, what you passed; export, import, reset."""

from __future__ import annotations

from pathlib import Path

import click

from llmprep.console import get_console, json_option

HELP = """Where you stand: per topic, questions seen of the total, accuracy over the last 30 days,
reviews due now and the next due time; exercises passed and attempted; best bench results;
a line of daily activity.

\b
  llmprep progress                 the report
  llmprep progress --json          the same as one JSON document
  llmprep progress export FILE     everything, as versioned JSON (a backup, or to move machines)
  llmprep progress import FILE     merge an export in (reviews already here are not duplicated)
  llmprep progress reset [--topic T] [--yes]

Progress lives in llmprep.sqlite3 under LLMPREP_HOME (default: your platform's user data dir).
"""


@click.group(help=HELP, invoke_without_command=True)
@json_option
@click.pass_context
def progress(ctx: click.Context, as_json: bool) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from llmprep.quiz.progress import build_report, render_report
    from llmprep.store import open_store

    console = get_console()
    bank = _bank_or_none(console)
    with open_store() as store:
        report = build_report(store, bank)
    if as_json:
        console.emit_json(report)
    else:
        render_report(console, report)


def _bank_or_none(console):
    from llmprep.errors import UserError
    from llmprep.quiz.bank import load_bank

    try:
        return load_bank()
    except UserError as error:
        # The report is still useful from the store alone; say why the totals are missing.
        console.warn(f"cannot read the question bank ({error.what}); totals are left out")
        return None


@progress.command("export", help="Write all progress to FILE as versioned JSON.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@json_option
def export(file: Path, as_json: bool) -> None:
    from llmprep.quiz.progress import export_progress
    from llmprep.store import open_store

    console = get_console()
    with open_store() as store:
        counts = export_progress(store, file)
    if as_json:
        console.emit_json({"file": str(file), "exported": counts})
    else:
        console.print(f"exported {_describe(counts)} to {file}")


@progress.command("import", help="Merge an export into your progress; entries already present are skipped.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@json_option
def import_(file: Path, as_json: bool) -> None:
    from llmprep.quiz.progress import import_progress
    from llmprep.store import open_store

    console = get_console()
    with open_store() as store:
        added = import_progress(store, file)
    if as_json:
        console.emit_json({"file": str(file), "added": added})
    else:
        console.print(f"imported {_describe(added)} from {file}" if any(added.values())
                      else f"nothing new in {file}: everything in it is already here")


@progress.command("reset", help="Delete progress: one topic's quiz history (--topic), or everything. Asks first.")
@click.option("--topic", default=None, metavar="TOPIC", help="Only this topic's quiz reviews and schedule.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@json_option
def reset(topic: str | None, yes: bool, as_json: bool) -> None:
    from llmprep.quiz.bank import check_topics
    from llmprep.store import open_store

    console = get_console()
    if topic is not None:
        (topic,) = check_topics([topic])
    with open_store() as store:
        counts = store.counts(topic)
        scope = f"the quiz progress of {topic}" if topic else "all progress (quiz, checks, solution views, bench runs)"
        if not any(counts.values()):
            console.print(f"nothing to reset: {scope} is empty")
            if as_json:
                console.emit_json({"reset": False, "topic": topic, "deleted": counts})
            return
        if not yes:
            question = (f"Delete {scope}: {_describe(counts)}? A backup first: `llmprep progress export FILE`. "
                        "Delete")
            try:
                confirmed = click.confirm(question, default=False, err=True)
            except click.Abort:
                confirmed = False
            if not confirmed:
                console.print("nothing was deleted")
                if as_json:
                    console.emit_json({"reset": False, "topic": topic, "deleted": {}})
                return
        deleted = store.reset(topic)
    if as_json:
        console.emit_json({"reset": True, "topic": topic, "deleted": deleted})
    else:
        console.print(f"deleted {scope}: {_describe(deleted)}")


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())
