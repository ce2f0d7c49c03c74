"""`llmprep watch FILE`: check FILE again every time it is saved, with the next worker already warm."""

from __future__ import annotations

import time
from pathlib import Path

import click

from llmprep.console import get_console, json_option

HELP = """Check FILE now and again on every save, until Ctrl-C.

The next sandboxed worker is started while you edit (torch already imported), so a verdict follows
a save within about a second for the small exercises.

\b
  llmprep watch attn.py
  llmprep watch attn.py --exercise scaled-dot-product-attention
  llmprep watch attn.py --json          one JSON document per line, per verdict

Every verdict is recorded like `llmprep check`'s. Exit code: 0 when the last verdict passed, else 1.
"""
POLL_S = 0.05


def _stamp(file: Path) -> tuple[int, int] | None:
    try:
        info = file.stat()
    except OSError:
        return None  # an editor may replace the file: wait for it to come back
    return info.st_mtime_ns, info.st_size


@click.command(help=HELP)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--exercise", "exercise_id", metavar="ID", help="Which exercise FILE solves.")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option("--dtype", type=click.Choice(["float32", "float64", "float16", "bfloat16"]), default="float32",
              show_default=True)
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds your code may run per check.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None, help="Language of the report.")
@click.option("--max-runs", type=click.IntRange(min=1), default=None, help="Stop after N verdicts (for scripts).")
@json_option
def watch(file, exercise_id, device, dtype, timeout_s, lang, max_runs, as_json) -> None:
    from llmprep.cli.check import record_attempt
    from llmprep.exercises import identify_exercise
    from llmprep.grading.check import check_submission, start_worker
    from llmprep.language import default_language

    console = get_console()
    lang = lang or default_language()
    if not file.is_file():
        console.fail(f"no such file: {file}", where=str(file), fix="check the path, or create it with `llmprep start ID`")
    exercise = identify_exercise(file, exercise_id)
    worker = start_worker(file, exercise, device=device, timeout_s=timeout_s)
    seen, runs, passed = None, 0, False
    try:
        while max_runs is None or runs < max_runs:
            stamp = _stamp(file)
            if stamp is None or stamp == seen:
                time.sleep(POLL_S)
                continue
            seen, noticed = stamp, time.perf_counter()
            report = check_submission(file, exercise, device=device, dtype=dtype, timeout_s=timeout_s, lang=lang,
                                      worker=worker)
            worker = start_worker(file, exercise, device=device, timeout_s=timeout_s)  # warms up while you read
            report.timings["save_to_verdict_s"] = time.perf_counter() - noticed
            record_attempt(report)
            _show(console, report, lang, as_json)
            runs, passed = runs + 1, report.passed
            if max_runs is None or runs < max_runs:
                console.note(f"watching {file}: save to check again, Ctrl-C to stop")
    except KeyboardInterrupt:
        pass
    finally:
        worker.close()
    raise SystemExit(0 if passed else 1)


def _show(console, report, lang: str, as_json: bool) -> None:
    if as_json:
        console.emit_json_line(report.to_json())
        return
    from llmprep.grading.report import render_report

    for renderable in render_report(report, lang):
        console.print(renderable)
