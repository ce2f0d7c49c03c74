"""`llmprep check FILE`: grade an implementation against its exercise's reference."""

from __future__ import annotations

from pathlib import Path

import click

from llmprep.console import get_console, json_option

HELP = """Grade FILE: run it in a sandboxed child process on named and random cases, compare with the
reference (values, dtype, shape, gradients, in-place edits, banned built-ins) and name the
classic mistake when it fails.

\b
  llmprep check attn.py
  llmprep check attn.py --exercise scaled-dot-product-attention --dtype float64
  llmprep check attn.py --seed 1234          reproduce a failing run
  llmprep check attn.py --json

\b
The exercise is --exercise, else the file's first line `# llmprep: ID`, else the one exercise
whose entry FILE defines. Exit codes: 0 passed, 1 failed, 2 usage or input error.
"""


@click.command(help=HELP)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--exercise", "exercise_id", metavar="ID", help="Which exercise FILE solves.")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True,
              help="auto: cuda when torch sees a GPU, else cpu.")
@click.option("--dtype", type=click.Choice(["float32", "float64", "float16", "bfloat16"]), default="float32",
              show_default=True, help="The dtype of the floating-point inputs.")
@click.option("--seed", type=click.IntRange(min=0), default=None, help="Reproduce the random cases of an earlier run.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds your code may run (after torch is imported).")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None, help="Language of the report.")
@json_option
def check(file, exercise_id, device, dtype, seed, timeout_s, lang, as_json) -> None:
    from llmprep.exercises import identify_exercise
    from llmprep.grading.check import check_submission
    from llmprep.language import default_language

    console = get_console()
    lang = lang or default_language()
    if not file.is_file():
        console.fail(f"no such file: {file}", where=str(file), fix="check the path, or create it with `llmprep start ID`")
    exercise = identify_exercise(file, exercise_id)
    report = check_submission(file, exercise, device=device, dtype=dtype, seed=seed, timeout_s=timeout_s, lang=lang)
    record_attempt(report)
    if as_json:
        console.emit_json(report.to_json())
    else:
        from rich.text import Text

        from llmprep.grading.report import render_report

        for renderable in render_report(report, lang):
            # into a pipe or a file a line of the report stays one line, as the console does for plain text
            console.print(renderable, **({"soft_wrap": True} if isinstance(renderable, Text)
                                         and not console.out.is_terminal else {}))
    raise SystemExit(0 if report.passed else 1)


def record_attempt(report) -> None:
    """Record the check in the progress store (the command records it, not the grader)."""
    from llmprep.store import open_store

    with open_store() as store:
        store.database.on_wait = get_console().note_store_wait
        store.checks.record_attempt(
            report.exercise.id, report.passed, seed=report.seed, device=report.device, dtype=report.dtype,
            duration_s=report.duration_s, details={"file": str(report.submission),
                                                   "failed": [c.name for c in report.cases if not c.passed],
                                                   "diagnosis": [d.id for d in report.diagnosis]})
