"""`llmprep exercises`: the catalog, with your status on each."""

from __future__ import annotations

import click

from llmprep.console import get_console, json_option


@click.command()
@click.option("--topic", "topics", multiple=True, metavar="TOPIC", help="Only this topic (repeatable).")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None, help="Language of the titles.")
@json_option
def exercises(topics, lang, as_json) -> None:
    """List the exercises: id, title, topic, difficulty, and your status (new / attempted / passed).

    Start one with `llmprep start ID`, grade it with `llmprep check FILE`.
    """
    from rich.table import Table

    from llmprep.exercises import list_exercises
    from llmprep.language import default_language
    from llmprep.store import open_store

    console = get_console()
    lang = lang or default_language()
    catalog = list_exercises()
    known_topics = sorted({e.topic for e in catalog})
    unknown = [t for t in topics if t not in known_topics]
    if unknown:
        console.fail(f"no exercises on topic {', '.join(unknown)}", where="--topic",
                     fix="one of: " + ", ".join(known_topics))
    chosen = [e for e in catalog if not topics or e.topic in topics]
    with open_store() as store:
        statuses = {e.id: store.exercise_status(e.id) for e in chosen}
    rows = [{"id": e.id, "title": e.title_in(lang), "topic": e.topic, "difficulty": e.difficulty,
             "entry": e.signature, "status": statuses[e.id]} for e in chosen]
    if as_json:
        console.emit_json(rows)
        return
    table = Table(title="llmprep exercises", title_justify="left")
    # ids and topics are typed back into other commands: never truncate them; the title wraps.
    for column in ("id", "title", "topic", "difficulty", "status"):
        table.add_column(column, no_wrap=column != "title", overflow="fold" if column == "title" else "ellipsis",
                         ratio=1 if column == "title" else None,
                         min_width=max((len(r["id"]) for r in rows), default=2) if column == "id" else None)
    colours = {"passed": "green", "attempted": "yellow"}
    for row in rows:
        status = row["status"]
        table.add_row(row["id"], row["title"], row["topic"], row["difficulty"],
                      f"[{colours[status]}]{status}[/]" if status in colours else status)
    console.print(table)
    console.print("Start one: llmprep start ID [DIR]")
