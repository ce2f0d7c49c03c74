"""`llmprep exercises`: the catalog, with your status on each."""

from __future__ import annotations

import click

from llmprep.console import get_console, json_option, lang_option


@click.command()
@click.option("--topic", "topics", multiple=True, metavar="TOPIC", help="Only this topic (repeatable).")
@lang_option
@json_option
def exercises(topics, lang, as_json) -> None:
    """List the exercises: id, title, topic, difficulty, and your status (new / attempted / passed).

    Start one with `llmprep start ID`, grade it with `llmprep check FILE`.
    """
    from rich.markup import escape
    from rich.table import Table

    from llmprep.exercises import list_exercises
    from llmprep.messages import translator
    from llmprep.store import open_store

    console = get_console()
    _ = translator(lang)
    catalog = list_exercises()
    known_topics = sorted({e.topic for e in catalog})
    unknown = [t for t in topics if t not in known_topics]
    if unknown:
        console.fail(_("exercises.unknown_topic", topics=", ".join(unknown)), where="--topic",
                     fix=_("exercises.topics_fix", topics=", ".join(known_topics)))
    chosen = [e for e in catalog if not topics or e.topic in topics]
    with open_store(read_only=True) as store:
        statuses = {e.id: store.checks.status(e.id) for e in chosen}
    rows = [{"id": e.id, "title": e.title_in(lang), "topic": e.topic, "difficulty": e.difficulty,
             "entry": e.signature, "status": statuses[e.id]} for e in chosen]
    if as_json:
        console.emit_json(rows)
        return
    table = Table(title=_("exercises.title"), title_justify="left")
    # ids and topics are typed back into other commands: never cut. Titles wrap between words only;
    # print_unclipped widens the table rather than break a word (or, in a pipe, prints it whole).
    for column in ("id", "title", "topic", "difficulty", "status"):
        table.add_column(_(f"exercises.col.{column}"), no_wrap=column != "title", overflow="fold")
    colours = {"passed": "green", "attempted": "yellow"}
    for row in rows:
        status = _(f"exercises.status.{row['status']}")
        table.add_row(escape(row["id"]), escape(row["title"]), escape(row["topic"]),
                      escape(_(f"exercises.difficulty.{row['difficulty']}")),
                      f"[{colours[row['status']]}]{status}[/]" if row["status"] in colours else status)
    console.print_unclipped(table)
    console.print(_("exercises.start_one", command="llmprep start ID [DIR]" + (" --lang zh" if lang == "zh" else "")),
                  soft_wrap=True, markup=False)
