"""`llmprep solution ID`: the reference implementation, after a passing check."""

from __future__ import annotations

import click

from llmprep.console import get_console, json_option, lang_option


@click.command()
@click.argument("exercise_id", metavar="ID")
@click.option("--force", is_flag=True, help="Show it before you have passed (this is recorded).")
@lang_option
@json_option
def solution(exercise_id, force, lang, as_json) -> None:
    """Show the reference solution. Only after a passing `llmprep check` is recorded, or with --force.

    Redirected (`llmprep solution ID > ref.py`), the file gets the reference exactly, line for line.
    """
    from llmprep.exercises import get_exercise
    from llmprep.messages import translator
    from llmprep.store import open_store

    console = get_console()
    _ = translator(lang)
    exercise = get_exercise(exercise_id)
    with open_store(read_only=True) as store:
        passed = store.checks.status(exercise.id) == "passed"
        if not passed and not force:
            console.fail(_("solution.not_passed", exercise=exercise.id), where=f"llmprep solution {exercise.id}",
                         fix=_("solution.not_passed_fix", exercise=exercise.id))
        if store.read_only:
            console.note(_("solution.not_recorded"))
        else:
            store.database.on_wait = console.note_store_wait
            store.checks.record_solution_view(exercise.id, forced=not passed)
    code = exercise.path("reference.py").read_text(encoding="utf-8")
    if as_json:
        console.emit_json({"exercise": exercise.id, "forced": not passed, "reference": code})
    elif console.is_terminal:
        from rich.syntax import Syntax

        console.print(Syntax(code, "python", theme="ansi_dark", line_numbers=False, word_wrap=True))
    else:
        console.write_exactly(code)
