"""What people read after `llmprep bench`: tables, the sweep's fits and plots, the timer check.

Builds rich renderables and plain text; the CLI prints them through the console.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from llmprep.bench.results import BenchResult, BenchRow
from llmprep.errors import UserError


def _number(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}g}" if abs(value) < 10 ** digits else f"{value:,.0f}"


def _bytes(value: int | None) -> str:
    if value is None:
        return "-"
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if value >= size:
            return f"{value / size:.1f} {unit}"
    return f"{value} B"


def _correct(value: bool | None) -> str:
    return {True: "[green]yes[/green]", False: "[red]NO[/red]", None: "-"}[value]


def device_line(result: BenchResult) -> str:
    """One line: the device, its threads, its peaks and the load."""
    device = result.device
    peak = device.get("peak") or {}
    flops = peak.get("flops_per_s")
    parts = [device["name"], f"torch {device['torch']}"]
    if flops:
        parts.append(f"peak {flops / 1e9:,.0f} GFLOP/s, {peak['bytes_per_s'] / 1e9:,.0f} GB/s")
    if device.get("clock"):
        parts.append(f"timed by {device['clock']}")
    load = device.get("load") or {}
    if load.get("load1") is not None:
        parts.append(f"load {load['load1']} on {load['cores']} cores" + (" (busy)" if load.get("busy") else ""))
    return "device: " + ", ".join(parts)


def peak_line(result: BenchResult) -> str | None:
    """Where the peaks come from."""
    peak = result.device.get("peak") or {}
    levels = peak.get("levels")
    text = peak.get("source")
    if not text:
        return None
    if levels:
        text += "; triad " + ", ".join(f"{lv['level']} {lv['bytes_per_s'] / 1e9:,.0f} GB/s" for lv in levels)
    return f"[dim]peak:[/dim] {text}"


def _backend_label(row: BenchRow) -> str:
    provider = row.provider.replace("ExecutionProvider", "")
    return f"{row.backend} {provider}" if row.backend == "onnxruntime" and row.provider != "-" else row.backend


def _interval(row: BenchRow) -> str:
    if row.ci_low_ms is None or row.ci_high_ms is None:
        return ""
    return f"{_number(row.ci_low_ms, 3)}–{_number(row.ci_high_ms, 3)}"


def _peak(row: BenchRow) -> str:
    if row.pct_peak is None:
        return ""
    bound = {"compute": "FLOP"}.get(row.bound or "", row.bound or "")
    return f"{row.pct_peak:.1f}% {bound}".rstrip()


def _cells(row: BenchRow) -> list[str]:
    from rich.markup import escape

    if row.median_ms is None:
        return [escape(_backend_label(row)), "not timed", "", "", "", "", "", _bytes(row.peak_mem_bytes).replace("-", ""),
                _correct(row.correct)]
    return [escape(_backend_label(row)), _number(row.median_ms, 4), _interval(row), str(row.n),
            _number(row.gflops), _number(row.gbps), _peak(row), _bytes(row.peak_mem_bytes).replace("-", ""),
            _correct(row.correct)]


COLUMNS = ["backend", "median ms", "95% CI ms", "n", "GFLOP/s", "GB/s", "% peak", "memory", "correct"]


def _table(title: str, first: str | None, rows: list[BenchRow], result: BenchResult, leading) -> Any:
    from rich.markup import escape
    from rich.table import Table

    comparisons = {(c["exercise"], c["backend"], c["size"]): c for c in result.compare}
    table = Table(title=title, title_justify="left")
    columns = ([first] if first else []) + COLUMNS + (["vs earlier"] if result.compare else [])
    for name in columns:
        # no_wrap: numbers and names never shrink to an ellipsis (see table_width).
        table.add_column(name, justify="left" if name in ("size", "backend", "exercise") else "right", no_wrap=True)
    previous = None
    for row in rows:
        lead = leading(row)
        cells = ([escape(lead) if lead != previous else ""] if first else []) + _cells(row)
        previous = lead
        if result.compare:
            entry = comparisons.get((row.exercise, row.backend, row.size)) or {}
            cells.append(_comparison(entry))
        table.add_row(*cells)
    return table


def _comparison(entry: dict) -> str:
    if entry.get("ratio") is None:
        return ""
    low, high = entry["ci"] if entry.get("ci") else (None, None)
    span = f" [{low:.2f}–{high:.2f}]" if low is not None else ""
    return f"×{entry['ratio']:.2f}{span} {entry['verdict']}"


def render_rows(result: BenchResult, compact: bool = False) -> list[Any]:
    """The tables (one per exercise, or one compact table for --quick), then the notes, each said once."""
    from rich.markup import escape

    renderables: list[Any] = [device_line(result)]
    line = peak_line(result)
    if line:
        renderables.append(line)
    dtype = result.rows[0].dtype if result.rows else ""
    if compact and result.rows:
        renderables.append(_table(f"bench --quick: one small size of each exercise ({dtype}, {result.device['type']})",
                                  "exercise", result.rows, result, lambda r: f"{r.exercise} {r.size}"))
    else:
        for exercise in dict.fromkeys(row.exercise for row in result.rows):
            fixed = result.titles.get(exercise)
            title = f"{exercise} ({dtype}, {result.device['type']}" + (f", {fixed}" if fixed else "") + ")"
            rows = [r for r in result.rows if r.exercise == exercise]
            renderables.append(_table(title, "size", rows, result, lambda r: r.size))
    renderables.append("median per call with its 95% interval; % peak: share of the roofline bound, marked FLOP "
                       "(compute) or the memory level that holds the row's bytes; memory: peak "
                       + ("device memory" if result.device.get("type") == "cuda" else "RSS growth") + " of one call")
    notes = [f"{row.exercise} {row.size} {row.backend}: {row.note}" for row in result.rows if row.note]
    for text in result.notes + notes:
        renderables.append(f"[dim]note:[/dim] {escape(text)}")
    if result.skipped:
        renderables.append(f"[dim]skipped:[/dim] {escape('; '.join(result.skipped))}")
    if result.compare:
        renderables.append("vs earlier: this median ÷ the latest earlier run's of the same exercise, size, backend, "
                           "device and dtype [95% interval]; 'no change' whenever the interval includes 1")
    if result.interrupted:
        renderables.append("[yellow]interrupted: the rows above are the ones measured before Ctrl-C[/yellow]")
    return renderables


def render_sweep(result: BenchResult) -> list[Any]:
    """The log-log slopes of each sweep over its upper sizes (1 ≈ linear in the size, 2 ≈ quadratic)."""
    from rich.markup import escape
    from rich.table import Table

    if not result.sweep:
        return []
    table = Table(title="sweep: how time grows with the size (log-log slope of the fastest samples, upper sizes)",
                  title_justify="left")
    for name in ("exercise", "size", "backend", "sizes", "fit from", "time slope", "95% CI", "R²", "memory slope"):  # time: fastest samples
        table.add_column(name, justify="left" if name in ("exercise", "size", "backend") else "right",
                         no_wrap=True)
    for entry in result.sweep:
        for fit in entry.get("fits", []):
            time_fit = fit.get("time_fit") or {}
            low, high = time_fit.get("ci", [None, None])
            finite = low is not None and abs(low) != float("inf")
            table.add_row(escape(entry["exercise"]), escape(entry["size"]), escape(fit["backend"]),
                          f"{min(fit['sizes'])}–{max(fit['sizes'])}", str(fit.get("fit_from")),
                          _number(fit["time_slope"], 3), f"{low:.2f}–{high:.2f}" if finite else "",
                          _number(time_fit.get("r2"), 3), _number(fit["memory_slope"], 2).replace("-", "")
                          if fit["memory_slope"] is None else _number(fit["memory_slope"], 2))
    return [table]


def sweep_plot_text(result: BenchResult, width: int = 90, height: int = 20, colour: bool = False) -> list[Any]:
    """A terminal plot (plotext) per swept exercise: median ms against the size, log-log.

    Rich Text decoded from plotext's ANSI colours, or plain text without any escape codes."""
    import re

    import plotext
    from rich.text import Text

    texts = []
    for entry in result.sweep:
        fits = [f for f in entry.get("fits", []) if len(f["sizes"]) >= 2]
        if not fits:
            continue
        plotext.clear_figure()
        plotext.plotsize(width, height)
        if not colour:
            plotext.theme("clear")
        plotext.xscale("log")
        plotext.yscale("log")
        for fit in fits:
            plotext.plot(fit["sizes"], fit["median_ms"], label=fit["backend"], marker="braille")
        plotext.title(f"{entry['exercise']}: median ms vs {entry['size']} (log-log)")
        plotext.xlabel(entry["size"])
        built = plotext.build()
        texts.append(Text.from_ansi(built) if colour else re.sub(r"\x1b\[[0-9;]*m", "", built))
    return texts


def require_matplotlib() -> None:
    """Fail early, with the fix, when --plot is asked for without the optional extra."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UserError("--plot needs matplotlib, which is not installed", where="llmprep bench --plot",
                        fix="pip install 'llmprep[plot]' (or pip install matplotlib), or leave out --plot") from None


def save_plot(result: BenchResult, path: Path) -> Path:
    """A PNG: one panel per exercise, median ms per backend against the size (log scale)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    exercises = list(dict.fromkeys(r.exercise for r in result.rows if r.median_ms is not None))
    if not exercises:
        raise UserError("nothing was measured, so there is nothing to plot", where=str(path),
                        fix="run without --plot to see why")
    columns = min(3, len(exercises))
    rows = (len(exercises) + columns - 1) // columns
    figure, axes = plt.subplots(rows, columns, figsize=(5.5 * columns, 4 * rows), squeeze=False)
    for axis, exercise in zip(axes.flat, exercises, strict=False):
        measured = [r for r in result.rows if r.exercise == exercise and r.median_ms is not None]
        swept = all(r.sweep_n is not None for r in measured)
        sizes = list(dict.fromkeys(r.size for r in measured))
        for backend in dict.fromkeys(r.backend for r in measured):
            points = [r for r in measured if r.backend == backend]
            xs = [r.sweep_n if swept else sizes.index(r.size) for r in points]
            axis.plot(xs, [r.median_ms for r in points], marker="o", label=backend)
        if swept:
            axis.set_xscale("log", base=2)
            axis.set_xlabel(next((e["size"] for e in result.sweep if e["exercise"] == exercise), "size"))
        else:
            axis.set_xticks(range(len(sizes)), sizes, rotation=20, fontsize=7)
        axis.set_yscale("log")
        axis.set_ylabel("median ms")
        axis.set_title(exercise, fontsize=10)
        axis.legend(fontsize=8)
        axis.grid(True, which="both", alpha=0.3)
    for axis in list(axes.flat)[len(exercises):]:
        axis.set_visible(False)
    figure.suptitle(f"llmprep bench: {result.device['name']}, {result.rows[0].dtype}", fontsize=11)
    figure.tight_layout()
    try:
        figure.savefig(path, dpi=110)
    except OSError as exc:
        raise UserError(f"cannot write the plot: {exc.strerror}", where=str(path), fix="choose a writable path") from exc
    finally:
        plt.close(figure)
    return path


def render_verification(report: dict[str, Any]) -> list[str]:
    """The --verify-timer report as lines, ending with the verdict."""
    lines = [f"timer check on {report['device']} ({report['threads']} threads): {report['kernel']}, "
             "the two timers taking turns"]
    if report.get("verdict") is None:
        return lines + [f"  note: {note}" for note in report["notes"]]
    ours, theirs = report["ours"], report["reference"]
    low, high = ours["ci_ms"]
    lines += [f"  llmprep timer: median {ours['median_ms']:.4f} ms (95% CI {low:.4f}–{high:.4f}, n {ours['n']}, "
              f"{ours['calls_per_sample']} call(s) per sample)",
              f"  {theirs['how']}: median {theirs['median_ms']:.4f} ms (n {theirs['n']})",
              f"  ratio {report['ratio']:.3f}: {report['verdict']} (within ±{report['tolerance']:.0%})"]
    peak = report.get("peak_matmul")
    if peak:
        share = "-" if peak["pct_peak"] is None else f"{peak['pct_peak']:.1f}% of {peak['peak_tflops']:.1f}"
        lines.append(f"  {peak['kernel']}: median {peak['median_ms']:.3f} ms = {peak['tflops']:.1f} TFLOP/s ({share} "
                     f"TFLOP/s, {peak['gpu']} datasheet); best sample {peak['best_tflops']:.1f} TFLOP/s; "
                     f"SM clock {peak['sm_clock_mhz'][0]} → {peak['sm_clock_mhz'][1]} MHz")
    lines += [f"  note: {note}" for note in report["notes"]]
    return lines


class RichProgress:
    """A progress bar over exercises × sizes × backends on stderr (shown only on a terminal)."""

    def __init__(self, console: Any, enabled: bool):
        self._console = console
        self._enabled = enabled
        self._bar = None
        self._task = None
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> RichProgress:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stack.close()

    def start(self, total: int) -> None:
        """Open the bar; `total` 0 means unknown (a sweep)."""
        if not self._enabled:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = self._stack.enter_context(Progress(
            TextColumn("bench"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}"), console=self._console, transient=True))
        self._task = self._bar.add_task("", total=total or None)

    def advance(self, label: str) -> None:
        """One step done."""
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=label)
