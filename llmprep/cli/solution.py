"""`llmprep solution ID`: the reference implementation, after a passing check."""

from __future__ import annotations

import click

from llmprep.console import get_console, json_option


@click.command()
@click.argument("exercise_id", metavar="ID")
@click.option("--force", is_flag=True, help="Show it before you have passed (this is recorded).")
@json_option
def solution(exercise_id, force, as_json) -> None:
    """Show the reference solution. Only after a passing `llmprep check` is recorded, or with --force."""
    from rich.syntax import Syntax

    from llmprep.exercises import get_exercise
    from llmprep.store import open_store

    console = get_console()
    exercise = get_exercise(exercise_id)
    with open_store() as store:
        passed = store.exercise_status(exercise.id) == "passed"
        if not passed and not force:
            console.fail(f"no passing check of {exercise.id} is recorded yet", where=f"llmprep solution {exercise.id}",
                         fix=f"pass `llmprep check` on your {exercise.id}.py first, or add --force (it is recorded)")
        store.record_solution_viewed(exercise.id, forced=not passed)
    code = exercise.path("reference.py").read_text(encoding="utf-8")
    if as_json:
        console.emit_json({"exercise": exercise.id, "forced": not passed, "reference": code})
        return
    console.print(Syntax(code, "python", theme="ansi_dark", line_numbers=False))
