"""The unseen-mistakes corpus: wrong implementations written from README.md and starter.py only.

Each `<exercise-id>/<bug>.py` says in its docstring what its bug is (first line), the fact the
report must state (`fact:`) and a regular expression that finds that fact in the English report
(`named_if:`). None of them is in the exercise's mistakes.py: they measure the generic analysis.

Run `python tests/exercises/unseen/corpus.py [--seed N] [ID ...]` to print, per file, whether
it was rejected and whether the report named its bug, and the named percentage.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent


@dataclass
class CorpusFile:
    """One wrong implementation and what its report must say."""

    path: Path
    exercise_id: str
    bug: str
    fact: str
    named_if: str

    @property
    def name(self) -> str:
        return f"{self.exercise_id}/{self.path.stem}"


def corpus_files(exercise_ids: list[str] | None = None) -> list[CorpusFile]:
    """Every corpus file (of `exercise_ids` when given), sorted."""
    files = []
    for path in sorted(HERE.glob("*/*.py")):
        if exercise_ids and path.parent.name not in exercise_ids:
            continue
        text = path.read_text()
        docstring = text.split('"""')[1]
        fields = dict(re.findall(r"^(fact|named_if): (.*)$", docstring, re.M))
        files.append(CorpusFile(path, path.parent.name, docstring.strip().splitlines()[0],
                                fields["fact"], fields["named_if"]))
    return files


def load_entry(item: CorpusFile, entry: str):
    """The corpus file's entry, imported under a private module name."""
    name = "unseen_" + re.sub(r"\W", "_", item.name)
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, item.path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return getattr(sys.modules[name], entry)


def report_text(report, lang: str = "en") -> str:
    """The report as plain text, the way `llmprep check` prints it."""
    import io

    from rich.console import Console

    from llmprep.grading.report import render_report

    console = Console(width=160, record=True, file=io.StringIO(), color_system=None)
    for renderable in render_report(report, lang):
        console.print(renderable)
    return console.export_text()


def findings_text(report, lang: str = "en") -> str:
    """What the report says about the failure: its text without the case table, without the
    inputs of the first failing case, which name every argument whether or not it matters, and
    without the summary line (its dtype and seed are no finding). Lines are not wrapped, so a
    long inputs line cannot leak into the next one."""
    import io

    from rich.console import Console
    from rich.table import Table

    from llmprep.grading.report import render_report

    console = Console(width=100_000, record=True, file=io.StringIO(), color_system=None)
    for renderable in render_report(report, lang):
        if not isinstance(renderable, Table):
            console.print(renderable)
    lines = console.export_text().splitlines()
    skipped = ("First failure:", "Reproduce:", "FAILED:", "未通过", "第一个失败的用例", "复现")
    return "\n".join(line.rstrip() for line in lines if not line.startswith(skipped))


def is_named(item: CorpusFile, report) -> bool:
    """True when the report rejects the file and states its fact."""
    return not report.passed and re.search(item.named_if, findings_text(report), re.I) is not None


def grade(item: CorpusFile, seed: int, lang: str = "en", memo: dict | None = None):
    """(report, text) for one corpus file graded in this process on `seed`."""
    from llmprep.exercises import get_exercise
    from llmprep.grading.check import grade_in_process

    exercise = get_exercise(item.exercise_id)
    report = grade_in_process(item.path, exercise, load_entry(item, exercise.entry), seed=seed, lang=lang,
                              memo=memo)
    return report, report_text(report, lang)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    rejected = named = 0
    files = corpus_files(args.ids)
    for item in files:
        report, text = grade(item, args.seed)
        ok = not report.passed
        hit = is_named(item, report)
        rejected += ok
        named += hit
        print(f"{'rejected' if ok else 'PASSED  '} {'named' if hit else '-----'}  {item.name}", flush=True)
        if args.verbose and not hit:
            print("    fact:", item.fact)
            print("    " + findings_text(report).replace("\n", "\n    "))
    print(f"rejected {rejected}/{len(files)}, named {named}/{len(files)} ({100 * named / len(files):.0f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
