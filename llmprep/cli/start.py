"""`llmprep start ID [DIR]`: write the starter file and show the task."""

from __future__ import annotations

from pathlib import Path

import click

from llmprep.console import get_console, json_option


@click.command()
@click.argument("exercise_id", metavar="ID")
@click.argument("directory", metavar="[DIR]", required=False, default=".",
                type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite DIR/<ID>.py if it exists.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None, help="Language of the task.")
@json_option
def start(exercise_id, directory, force, lang, as_json) -> None:
    """Write DIR/<ID>.py from the exercise's starter (first line `# llmprep: ID`), show the task,
    and say what to run next. Never overwrites without --force."""
    from rich.markdown import Markdown

    from llmprep.exercises import get_exercise
    from llmprep.language import default_language

    console = get_console()
    lang = lang or default_language()
    exercise = get_exercise(exercise_id)
    target = directory / f"{exercise.id}.py"
    if target.exists() and not force:
        console.fail(f"{target} already exists", where=str(target),
                     fix="keep working on it, pass --force to overwrite it, or choose another DIR")
    starter = exercise.path("starter.py").read_text(encoding="utf-8")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# llmprep: {exercise.id}\n{starter}", encoding="utf-8")
    except OSError as exc:
        console.fail(f"cannot write {target}: {exc.strerror}", where=str(target), fix="choose a writable DIR")
    next_command = f"llmprep check {target}"
    if as_json:
        console.emit_json({"exercise": exercise.id, "file": str(target), "next": next_command,
                           "readme": exercise.readme(lang)})
        return
    console.print(Markdown(exercise.readme(lang)))
    console.print(f"\nWrote [bold]{target}[/bold]." if lang != "zh" else f"\n已写入 [bold]{target}[/bold]。",
                  soft_wrap=True)
    console.print(("Next: " if lang != "zh" else "下一步：") + f"[bold]{next_command}[/bold]", soft_wrap=True)
