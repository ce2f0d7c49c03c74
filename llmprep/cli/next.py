"""`llmprep next`: what to do next, and how far you are overall."""

from __future__ import annotations

import click

from llmprep.console import get_console, json_option, lang_option


@click.command()
@lang_option
@json_option
def next_step(lang, as_json) -> None:
    """Say what to do next: reviews due now (`llmprep quiz --due`), then the next exercise in catalog
    order that is not passed yet, with overall progress ("7/25 exercises passed, 120/306 questions seen")."""
    from llmprep.cli.progress import bank_or_none
    from llmprep.exercises import list_exercises
    from llmprep.standing.next_step import render_next, what_next
    from llmprep.store import open_store

    console = get_console()
    bank = bank_or_none(console, lang)
    catalog = list_exercises()
    with open_store(read_only=True) as store:
        advice = what_next(store, bank, catalog, lang)
    if as_json:
        console.emit_json(advice)
    else:
        render_next(console, advice, lang)
