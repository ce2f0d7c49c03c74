"""What people read after `llmprep bench`: tables, the sweep's fits and plots, the timer check.

Builds rich renderables and plain text; the CLI prints them through the console.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from llmprep.bench.run import BenchResult, BenchRow
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
    """One line: the device, its threads, its peaks and where they come from."""
    device = result.device
    peak = device.get("peak") or {}
    flops = peak.get("flops_per_s")
    parts = [device["name"], f"torch {device['torch']}"]
    if flops:
        parts.append(f"peak {flops / 1e9:,.0f} GFLOP/s, {peak['bytes_per_s'] / 1e9:,.0f} GB/s ({peak['source']})")
    return "device: " + ", ".join(parts)


def _backend_label(row: BenchRow) -> str:
    provider = row.provider.replace("ExecutionProvider", "")
    return f"{row.backend} {provider}" if row.backend == "onnxruntime" and row.provider != "-" else row.backend


def render_rows(result: BenchResult) -> list[Any]:
    """One table per exercise and the notes, as rich renderables."""
    from rich.markup import escape
    from rich.table import Table

    ratios = {(c["exercise"], c["backend"], c["size"]): c["ratio"] for c in result.compare}
    columns = ["size", "backend", "median ms", "IQR ms", "n", "GFLOP/s", "GB/s", "% peak", "memory", "correct"]
    if result.compare:
        columns.append("vs previous")
    renderables: list[Any] = [device_line(result)]
    dtype = result.rows[0].dtype if result.rows else ""
    for exercise in dict.fromkeys(row.exercise for row in result.rows):
        table = Table(title=f"{exercise} ({dtype}, {result.device['type']})", title_justify="left")
        for name in columns:
            # no_wrap: numbers and names never shrink to an ellipsis (see table_width).
            table.add_column(name, justify="left" if name in ("size", "backend") else "right", no_wrap=True)
        previous_size = None
        for row in (r for r in result.rows if r.exercise == exercise):
            cells = [escape(row.size) if row.size != previous_size else "", escape(_backend_label(row)),
                     _number(row.median_ms, 4), _number(row.iqr_ms, 2), "-" if row.n is None else str(row.n),
                     _number(row.gflops), _number(row.gbps),
                     "-" if row.pct_peak is None else f"{row.pct_peak:.1f}%", _bytes(row.peak_mem_bytes),
                     _correct(row.correct)]
            if result.compare:
                ratio = ratios.get((row.exercise, row.backend, row.size))
                cells.append("-" if ratio is None else f"×{ratio:.2f}")
            table.add_row(*cells)
            previous_size = row.size
        renderables.append(table)
    renderables.append("median of n timed calls; IQR is their spread; % peak is the share of the roofline "
                       "bound (the nearer of the compute and bandwidth peaks); memory is the peak "
                       + ("device memory" if result.device.get("type") == "cuda" else "RSS growth") + " of one call")
    notes = [f"{row.exercise} {row.size} {row.backend}: {row.note}" for row in result.rows if row.note]
    for text in result.notes + notes:
        renderables.append(f"[dim]note:[/dim] {escape(text)}")
    if result.compare:
        renderables.append("vs previous: this run's median ÷ the previous run's on the same device and dtype "
                           "(below 1 is faster)")
    if result.interrupted:
        renderables.append("[yellow]interrupted: the rows above are the ones measured before Ctrl-C[/yellow]")
    return renderables


def render_sweep(result: BenchResult) -> list[Any]:
    """The log-log slopes of each sweep, as a table (1 ≈ linear in the size, 2 ≈ quadratic)."""
    from rich.markup import escape
    from rich.table import Table

    if not result.sweep:
        return []
    table = Table(title="sweep: how cost grows with the size (log-log slope)", title_justify="left")
    for name in ("exercise", "size", "backend", "from", "to", "steps", "time slope", "memory slope"):
        table.add_column(name, justify="left" if name in ("exercise", "size", "backend") else "right",
                         no_wrap=True)
    for entry in result.sweep:
        for fit in entry.get("fits", []):
            table.add_row(escape(entry["exercise"]), escape(entry["size"]), escape(fit["backend"]),
                          str(min(fit["sizes"])), str(max(fit["sizes"])), str(len(fit["sizes"])),
                          _number(fit["time_slope"], 2), _number(fit["memory_slope"], 2))
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
    """The --verify-timer report as lines."""
    ours, theirs = report["ours"], report["torch_benchmark"]
    lines = [f"timer check on {report['device']} ({report['threads']} threads): {report['kernel']}",
             f"  llmprep timer          median {ours['median_ms']:.4f} ms  (IQR {ours['iqr_ms']:.4f} ms, "
             f"n {ours['n']}, {ours['calls_per_sample']} call(s) per sample)",
             f"  {theirs['how']}  median {theirs['median_ms']:.4f} ms  (n {theirs['n']})",
             f"  ratio llmprep / torch.utils.benchmark = {report['ratio_vs_torch_benchmark']:.3f}"]
    if "triton" in report:
        lines += [f"  {report['triton']['how']}  median {report['triton']['median_ms']:.4f} ms",
                  f"  ratio llmprep / triton = {report['ratio_vs_triton']:.3f}"]
    peak = report.get("peak_matmul")
    if peak:
        share = "-" if peak["pct_peak"] is None else f"{peak['pct_peak']:.1f}% of {peak['peak_tflops']:.1f}"
        lines.append(f"  {peak['kernel']}: {peak['median_ms']:.3f} ms = {peak['tflops']:.1f} TFLOP/s ({share} "
                     f"TFLOP/s, {peak['gpu']} datasheet)")
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
