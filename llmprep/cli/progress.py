"""`llmprep progress`: what you know, what is due, what you passed; export, import, reset."""

from __future__ import annotations

from pathlib import Path

import click

from llmprep.console import get_console, json_option, lang_option

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
@lang_option
@json_option
@click.pass_context
def progress(ctx: click.Context, lang: str, as_json: bool) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from llmprep.standing.render import render_standing
    from llmprep.standing.report import build_standing
    from llmprep.store import open_store

    console = get_console()
    bank = bank_or_none(console, lang)
    with open_store(read_only=True) as store:
        report = build_standing(store, bank)
    if as_json:
        console.emit_json(report)
    else:
        render_standing(console, report, lang)


def bank_or_none(console, lang: str):
    """The question bank, or None (with a warning) when it cannot be read: the rest is still useful."""
    from llmprep.errors import UserError
    from llmprep.messages import message
    from llmprep.quiz.bank import load_bank

    try:
        return load_bank()
    except UserError as error:
        console.warn(message("progress.no_bank", lang, reason=error.what))
        return None


@progress.command("export", help="Write all progress to FILE as versioned JSON.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@lang_option
@json_option
def export(file: Path, lang: str, as_json: bool) -> None:
    from llmprep.messages import message
    from llmprep.standing.render import describe_counts
    from llmprep.store import open_store
    from llmprep.store.transfer import export_progress

    console = get_console()
    with open_store(read_only=True) as store:
        counts = export_progress(store, file)
    if as_json:
        console.emit_json({"file": str(file), "exported": counts})
    else:
            console.print(message("progress.exported", lang, counts=describe_counts(counts, lang), file=file),
                      soft_wrap=True)


@progress.command("import", help="Merge an export into your progress; entries already present are skipped. "
                                 "The file is checked whole first: nothing is written when any entry is wrong.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@lang_option
@json_option
def import_(file: Path, lang: str, as_json: bool) -> None:
    from llmprep.messages import message
    from llmprep.quiz.schedule import advance_card
    from llmprep.standing.render import describe_counts
    from llmprep.store import open_store
    from llmprep.store.transfer import import_export, read_export

    console = get_console()
    export = read_export(file)  # before the store is opened: a bad file touches nothing
    with open_store() as store:
        store.database.on_wait = console.note_store_wait
        added = import_export(store, export, advance_card)
    if as_json:
        console.emit_json({"file": str(file), "added": added})
        return
    console.print(message("progress.imported", lang, counts=describe_counts(added, lang), file=file)
                  if any(added.values()) else message("progress.nothing_new", lang, file=file), soft_wrap=True)


@progress.command("reset", help="Delete progress: one topic's quiz history (--topic), or everything. Asks first.")
@click.option("--topic", default=None, metavar="TOPIC", help="Only this topic's quiz reviews and schedule.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@lang_option
@json_option
def reset(topic: str | None, yes: bool, lang: str, as_json: bool) -> None:
    from llmprep.messages import translator
    from llmprep.quiz.bank import check_topics
    from llmprep.standing.render import describe_counts
    from llmprep.store import open_store

    console = get_console()
    _ = translator(lang)
    if topic is not None:
        (topic,) = check_topics([topic])
    with open_store() as store:
        counts = store.counts(topic)
        scope = _("progress.scope_topic", topic=topic) if topic else _("progress.scope_all")
        if not any(counts.values()):
            console.print(_("progress.nothing_to_reset", scope=scope))
            if as_json:
                console.emit_json({"reset": False, "topic": topic, "deleted": counts})
            return
        if not yes:
            question = _("progress.confirm_reset", scope=scope, counts=describe_counts(counts, lang),
                         command="`llmprep progress export FILE`")
            try:
                confirmed = click.confirm(question, default=False, err=True)
            except click.Abort:
                confirmed = False
            if not confirmed:
                console.print(_("progress.nothing_deleted"))
                if as_json:
                    console.emit_json({"reset": False, "topic": topic, "deleted": {}})
                return
        deleted = store.reset(topic)
    if as_json:
        console.emit_json({"reset": True, "topic": topic, "deleted": deleted})
    else:
        console.print(_("progress.deleted", scope=scope, counts=describe_counts(deleted, lang)), soft_wrap=True)
