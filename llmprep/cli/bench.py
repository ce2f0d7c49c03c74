"""`llmprep bench [FILE]`: time an implementation against the reference, PyTorch, ONNX Runtime and the roofline."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from llmprep.console import get_console, json_option

BACKEND_CHOICES = ["submission", "reference", "torch", "torch-compile", "onnxruntime"]

HELP = """Time FILE (after it passes `llmprep check`) against the reference, the PyTorch built-in and ONNX
Runtime, and place it on the roofline (GFLOP/s, GB/s, % of the device's peak). Without FILE: the
references and built-ins of every exercise with bench metadata ("how fast is this machine").

\b
  llmprep bench --quick                      every exercise, smallest size, under a minute on a CPU
  llmprep bench attn.py                      your attention: check, then time it at every bench size
  llmprep bench --exercise softmax --sweep   grow the size in powers of two; fit how time grows
  llmprep bench --exercise softmax --compare each row ÷ its latest earlier run: interval and verdict
  llmprep bench --verify-timer               our timer against torch.utils.benchmark (triton on CUDA)

\b
Backends: submission (FILE, run in the sandboxed worker), reference, torch (the built-in),
torch-compile (opt-in), onnxruntime (FILE or the reference, exported with torch.onnx; left out
of --quick unless asked for). Results are saved in the progress store (`llmprep progress`).
Exit codes: 0 measured, 1 FILE failed the check, 2 usage or input error, 130 interrupted.
"""


@click.command(help=HELP)
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--exercise", "exercise_ids", metavar="ID", multiple=True,
              help="Bench these exercises (repeatable); with FILE, which exercise it solves.")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True,
              help="auto: cuda when torch sees a GPU, else cpu (and says so).")
@click.option("--dtype", type=click.Choice(["float32", "float64", "float16", "bfloat16"]), default="float32",
              show_default=True, help="The dtype of the floating-point inputs.")
@click.option("--backend", "backends", type=click.Choice(BACKEND_CHOICES), multiple=True,
              help="Only these backends (repeatable).")
@click.option("--size", "sizes", metavar="N|NAME", multiple=True,
              help="Only these bench sizes: a 1-based position or the size's name (repeatable).")
@click.option("--sweep", is_flag=True, help="Grow the main size in powers of two within --sweep-budget; fit slopes.")
@click.option("--sweep-budget", "sweep_budget_s", type=click.FloatRange(min=1), default=30.0, show_default=True,
              help="Seconds per exercise for --sweep.")
@click.option("--quick", is_flag=True, help="Smallest size, short budgets, no ONNX Runtime unless --backend asks.")
@click.option("--budget", "budget_s", type=click.FloatRange(min=0.01), default=1.0, show_default=True,
              help="Seconds of timed calls per row (sampling stops earlier once the median is stable).")
@click.option("--compare", is_flag=True, help="Each row ÷ the latest earlier row of the same exercise, size, backend, device and "
              "dtype, with a 95% interval and a verdict (no change / faster / slower).")
@click.option("--plot", "plot_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Save a PNG of the results (needs matplotlib: pip install 'llmprep[plot]').")
@click.option("--verify-timer", is_flag=True,
              help="Time a fixed matmul with llmprep's timer and torch.utils.benchmark (and triton on CUDA).")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=1), default=600.0, show_default=True,
              help="Seconds the worker may spend timing FILE.")
@click.option("--threads", type=click.IntRange(min=0), default=1, show_default=True,
              help="CPU threads for every backend (0: torch's default, all cores). One keeps numbers "
              "meaningful on a shared machine.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None, help="Language of the report.")
@json_option
def bench(file, exercise_ids, device, dtype, backends, sizes, sweep, sweep_budget_s, quick, budget_s, compare,
          plot_path, verify_timer, timeout_s, threads, lang, as_json) -> None:
    from llmprep.bench import report as bench_report
    from llmprep.bench.plan import BenchOptions, resolve_device
    from llmprep.bench.results import record_and_compare
    from llmprep.bench.run import Runner
    from llmprep.language import default_language
    from llmprep.messages import message, said

    lang = lang or default_language()
    console = get_console()
    if plot_path is not None:
        bench_report.require_matplotlib()
    if verify_timer:
        from llmprep.bench.verify import verify_timer as run_verification

        resolved, note = resolve_device(device, "llmprep bench")
        if note:
            console.note(message("bench.auto_cpu", lang) if note.startswith("auto:") else note)
        import torch

        torch.set_num_threads(threads or torch.get_num_threads())
        verification = run_verification(resolved, torch.get_num_threads(), budget_s=budget_s)
        if as_json:
            console.emit_json(verification)
        else:
            for line in bench_report.render_verification(verification, lang):
                console.print(line)
        return

    options = BenchOptions(exercise_ids=list(exercise_ids), file=file, device=device, dtype=dtype,
                           backends=list(backends), sizes=list(sizes), sweep=sweep, sweep_budget_s=sweep_budget_s,
                           quick=quick, budget_s=budget_s, timeout_s=timeout_s, threads=threads)
    check_report = None
    if file is not None:
        resolve_device(device, "llmprep bench")  # --device cuda without CUDA fails here, before the check runs
        check_report = _check_first(console, file, exercise_ids, device, dtype, as_json, lang)
    with bench_report.RichProgress(console.err, enabled=sys.stderr.isatty() and not as_json) as progress:
        runner = Runner(options, progress)
        if file is not None:
            result = runner.run_file(check_report.exercise, check_report)
        else:
            result = runner.run()
    record_and_compare(result, compare)
    if plot_path is not None and result.rows:
        bench_report.save_plot(result, plot_path, lang)
        result.notes.append(said("bench.plot_saved", path=str(plot_path)))
    if as_json:
        console.emit_json(result.to_json())
    else:
        renderables = bench_report.render_rows(result, compact=quick and file is None, lang=lang)
        for renderable in [*renderables, *bench_report.render_sweep(result, lang)]:
            console.print_unclipped(renderable)
        if result.sweep:
            for text in bench_report.sweep_plot_text(result, colour=console.out.color_system is not None, lang=lang):
                console.print(text, markup=False, highlight=False)
    if result.interrupted:
        raise SystemExit(130)


def _check_first(console, file: Path, exercise_ids, device: str, dtype: str, as_json: bool, lang: str):
    """Grade FILE with `llmprep check`'s engine; exit 1 (with the check's report) when it fails."""
    from llmprep.exercises import identify_exercise
    from llmprep.grading.check import check_submission
    from llmprep.messages import message, said

    if not file.is_file():
        console.fail(said("bench.no_such_file", file=str(file)), where=str(file), fix=said("bench.create_file"))
    if len(exercise_ids) > 1:
        console.fail(said("bench.one_exercise"), where="llmprep bench FILE --exercise", fix=said("bench.give_exercise_once"))
    exercise = identify_exercise(file, exercise_ids[0] if exercise_ids else None)
    report = check_submission(file, exercise, device=device, dtype=dtype, lang=lang)
    if report.passed:
        console.note(message("bench.check_passed", lang, cases=len(report.cases), seed=report.seed, file=file))
        return report
    if as_json:
        console.emit_json({"device": None, "rows": [], "check": report.to_json()})
    else:
        from llmprep.grading.report import render_report

        for renderable in render_report(report, lang):
            console.print(renderable)
        console.print(message("bench.not_timed_failed", lang))
    raise SystemExit(1)
