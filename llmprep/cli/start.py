"""`llmprep start ID [DIR]`: write the starter file and show the task."""

from __future__ import annotations

import os
from pathlib import Path

import click

from llmprep.console import get_console, json_option, lang_option


@click.command()
@click.argument("exercise_id", metavar="ID")
@click.argument("directory", metavar="[DIR]", required=False, default=".",
                type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite DIR/<ID>.py if it exists.")
@lang_option
@json_option
def start(exercise_id, directory, force, lang, as_json) -> None:
    """Write DIR/<ID>.py from the exercise's starter (first line `# llmprep: ID`), show the task,
    and say what to run next. Never overwrites without --force, never writes through a symbolic link."""
    from rich.markdown import Markdown

    from llmprep.exercises import get_exercise
    from llmprep.messages import translator

    console = get_console()
    _ = translator(lang)
    exercise = get_exercise(exercise_id)
    target = directory / f"{exercise.id}.py"
    if target.is_symlink():  # a dangling link too: writing would create its target, wherever it points
        console.fail(_("start.symlink", file=target), where=str(target), fix=_("start.symlink_fix"))
    if target.exists() and not force:
        console.fail(_("start.exists", file=target), where=str(target), fix=_("start.exists_fix"))
    starter = exercise.path("starter.py").read_text(encoding="utf-8")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        write_new_file(target, f"# llmprep: {exercise.id}\n{starter}", replace=force)
    except OSError as exc:
        console.fail(_("start.cannot_write", file=target, reason=exc.strerror or exc), where=str(target),
                     fix=_("start.cannot_write_fix"))
    next_command = f"llmprep check {target}"
    if as_json:
        console.emit_json({"exercise": exercise.id, "file": str(target), "next": next_command,
                           "readme": exercise.readme(lang)})
        return
    console.print(Markdown(exercise.readme(lang)))
    console.print()
    console.print(_("start.wrote", file=target), soft_wrap=True, markup=False)
    console.print(_("start.next", command=next_command), soft_wrap=True, markup=False)


def write_new_file(target: Path, text: str, *, replace: bool) -> None:
    """Write `target` without following a symbolic link planted at its name (O_NOFOLLOW), and without
    touching an existing file unless `replace` (then it is replaced whole, through a temporary file)."""
    if not replace:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
        return
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)  # replaces a link planted meanwhile, never writes through it
    finally:
        temporary.unlink(missing_ok=True)
