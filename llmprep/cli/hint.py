"""`llmprep hint ID`: progressive hints."""

from __future__ import annotations

import click

from llmprep.console import get_console, json_option, lang_option


@click.command()
@click.argument("exercise_id", metavar="ID")
@click.option("--level", type=click.IntRange(min=1), default=1, show_default=True,
              help="Show hints 1..N; each level says more.")
@lang_option
@json_option
def hint(exercise_id, level, lang, as_json) -> None:
    """Show the exercise's hints up to --level (1 is a nudge, the last is nearly the answer)."""
    from rich.markup import escape

    from llmprep.exercises import get_exercise
    from llmprep.messages import translator

    console = get_console()
    _ = translator(lang)
    exercise = get_exercise(exercise_id)
    hints = exercise.hints
    if not hints:
        console.fail(_("hint.none", exercise=exercise.id), where=str(exercise.path("exercise.toml")),
                     fix=_("hint.none_fix", command=f"`llmprep solution {exercise.id}`"))
    shown = [h.get(lang) or h.get("en", "") for h in hints[:level]]
    if as_json:
        console.emit_json({"exercise": exercise.id, "level": min(level, len(hints)), "levels": len(hints),
                           "hints": shown})
        return
    for number, text in enumerate(shown, start=1):
        console.print(f"[bold]{number}/{len(hints)}[/bold] {escape(text)}")
    if level < len(hints):
        # The same language again: the next command keeps it, whatever the locale of the next shell.
        command = f"llmprep hint {exercise.id} --level {level + 1}" + (" --lang zh" if lang == "zh" else "")
        console.print(_("hint.more", command=command), style="dim", soft_wrap=True, markup=False)
