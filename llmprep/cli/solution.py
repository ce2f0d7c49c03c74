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
    from llmprep.grading.progress import has_passed, record_solution_viewed, store_available

    console = get_console()
    exercise = get_exercise(exercise_id)
    passed = has_passed(exercise.id)
    if not passed and not force:
        fix = f"pass `llmprep check` on your {exercise.id}.py first, or add --force (it is recorded)"
        if not store_available():
            fix = "this llmprep has no progress store, so passes are not recorded: use --force"
        console.fail(f"no passing check of {exercise.id} is recorded yet", where=f"llmprep solution {exercise.id}",
                     fix=fix)
    record_solution_viewed(exercise.id, forced=not passed)
    code = exercise.path("reference.py").read_text(encoding="utf-8")
    if as_json:
        console.emit_json({"exercise": exercise.id, "forced": not passed, "reference": code})
        return
    console.print(Syntax(code, "python", theme="ansi_dark", line_numbers=False))
