"""`llmprep watch FILE`: check FILE again every time it is saved, with the next worker already warm."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import click

from llmprep.console import get_console, json_option, lang_option

HELP = """Check FILE now and again on every save, until Ctrl-C.

The next sandboxed worker is started while you edit (torch already imported), so a verdict follows
a save within about a second for the small exercises. Each verdict is `llmprep check`'s report.

\b
  llmprep watch attn.py
  llmprep watch attn.py --exercise scaled-dot-product-attention --seed 7
  llmprep watch attn.py --json          one JSON document per line, per verdict

Every verdict is recorded like `llmprep check`'s. Exit code: 0 when the last verdict passed, else 1;
130 after Ctrl-C.
"""
POLL_S = 0.05
# Editors write a file in several steps (truncate, write, chmod, rename): wait until it holds still.
SETTLE_S = 0.1


@dataclass(frozen=True)
class Stamp:
    """What polling sees of the file; the content hash is taken only once it holds still."""

    mtime_ns: int
    size: int
    inode: int


def _stamp(file: Path) -> Stamp | None:
    try:
        info = file.stat()
    except OSError:
        return None  # an editor may replace the file: wait for it to come back
    return Stamp(info.st_mtime_ns, info.st_size, info.st_ino)


def _settled(file: Path, stamp: Stamp) -> Stamp | None:
    """The file's stamp once two looks SETTLE_S apart agree (None while it is missing)."""
    while True:
        time.sleep(SETTLE_S)
        again = _stamp(file)
        if again is None or again == stamp:
            return again
        stamp = again


def _digest(file: Path) -> str | None:
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return None


class WarmWorker:
    """The worker for the next check, started ahead of time. The sandbox lets it read the file it was
    started for (that inode): an editor that saves by renaming a new file over the old one makes it
    useless, so it is replaced by a fresh one then."""

    def __init__(self, file: Path, exercise, device: str, timeout_s: float, enabled: bool):
        self.file, self.exercise, self.device, self.timeout_s = file, exercise, device, timeout_s
        self.enabled = enabled
        self.worker, self.inode = None, None

    def start(self) -> None:
        from llmprep.grading.check import start_worker

        stamp = _stamp(self.file)
        if self.enabled and stamp is not None:
            self.worker = start_worker(self.file, self.exercise, device=self.device, timeout_s=self.timeout_s)
            self.inode = stamp.inode

    def take(self, inode: int):
        """The warm worker if it can read the file as it is now, else None (check starts its own)."""
        worker, self.worker = self.worker, None
        if worker is not None and inode != self.inode:
            worker.close()
            return None
        return worker

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None


@click.command(help=HELP)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--exercise", "exercise_id", metavar="ID", help="Which exercise FILE solves.")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option("--dtype", type=click.Choice(["float32", "float64", "float16", "bfloat16"]), default="float32",
              show_default=True)
@click.option("--seed", type=click.IntRange(min=0), default=None,
              help="Use the same random cases on every save (default: new ones each time).")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds your code may run per check.")
@lang_option
@click.option("--max-runs", type=click.IntRange(min=1), default=None, help="Stop after N verdicts (for scripts).")
@click.option("--cold", is_flag=True, hidden=True, help="Start no worker ahead (to measure what the warm one saves).")
@json_option
def watch(file, exercise_id, device, dtype, seed, timeout_s, lang, max_runs, cold, as_json) -> None:
    from rich.markup import escape

    from llmprep.exercises import identify_exercise
    from llmprep.messages import translator

    console, _ = get_console(), translator(lang)
    if not file.is_file():
        console.fail(f"no such file: {file}", where=str(file), fix="check the path, or create it with `llmprep start ID`")
    exercise = identify_exercise(file, exercise_id)
    warm = WarmWorker(file, exercise, device, timeout_s, enabled=not cold)
    warm.start()
    seen, graded, runs, passed, missing = None, None, 0, False, False
    try:
        while max_runs is None or runs < max_runs:
            stamp = _stamp(file)
            if stamp is not None and stamp != seen:
                noticed = time.perf_counter()
                stamp = _settled(file, stamp)
            if stamp is None and not missing:
                console.note(escape(_("watch.missing", file=file)))
            missing = stamp is None
            if stamp is None or stamp == seen:
                time.sleep(POLL_S)
                continue
            seen, digest = stamp, _digest(file)
            if digest is None or digest == graded:
                continue  # touched or rewritten with the same content: the verdict stands
            graded = digest
            report = _check(file, exercise, warm.take(stamp.inode), device, dtype, seed, timeout_s, lang)
            warm.start()  # the next worker imports torch while you read this verdict
            report.timings["save_to_verdict_s"] = time.perf_counter() - noticed
            _show(console, report, lang, as_json)
            runs, passed = runs + 1, report.passed
            if not as_json and (max_runs is None or runs < max_runs):
                console.note(escape(_("watch.passed_next") if passed else _("watch.watching", file=file)))
    finally:
        warm.close()  # on Ctrl-C too; the root command turns KeyboardInterrupt into exit 130
    raise SystemExit(0 if passed else 1)


def _check(file: Path, exercise, worker, device: str, dtype: str, seed: int | None, timeout_s: float, lang: str):
    from llmprep.cli.check import record_attempt
    from llmprep.grading.check import check_submission

    report = check_submission(file, exercise, device=device, dtype=dtype, seed=seed, timeout_s=timeout_s, lang=lang,
                              worker=worker)
    record_attempt(report)
    return report


def _show(console, report, lang: str, as_json: bool) -> None:
    if as_json:
        console.emit_json_line(report.to_json())
        return
    from llmprep.grading.report import render_report

    for renderable in render_report(report, lang):
        console.print(renderable)

