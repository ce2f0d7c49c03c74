"""What people read after `llmprep bench`: tables, the sweep's fits and plots, the timer check.

Builds rich renderables and plain text; the CLI prints them through the console.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from llmprep.bench.results import BenchResult, BenchRow
from llmprep.errors import UserError
from llmprep.messages import in_language, said, translator


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


def _correct(value: bool | None, _) -> str:
    return {True: f"[green]{_('bench.yes')}[/green]", False: f"[red]{_('bench.no')}[/red]", None: "-"}[value]


def device_line(result: BenchResult, lang: str = "en") -> str:
    """One line: the device, its threads, its peaks and the load."""
    _ = translator(lang)
    device = result.device
    peak = device.get("peak") or {}
    flops = peak.get("flops_per_s")
    parts = [in_language(device["name"], lang), f"torch {device['torch']}"]
    if flops:
        parts.append(_("bench.device_peak", gflops=f"{flops / 1e9:,.0f}", gbps=f"{peak['bytes_per_s'] / 1e9:,.0f}"))
    if device.get("clock"):
        parts.append(_("bench.timed_by", clock=in_language(device["clock"], lang)))
    load = device.get("load") or {}
    if load.get("load1") is not None:
        parts.append(_("bench.load", load=load["load1"], cores=load["cores"])
                     + (_("bench.busy_mark") if load.get("busy") else ""))
    return _("bench.device", parts=_("bench.list_sep").join(parts))


def peak_line(result: BenchResult, lang: str = "en") -> str | None:
    """Where the peaks come from."""
    peak = result.device.get("peak") or {}
    levels = peak.get("levels")
    text = peak.get("source")
    if not text:
        return None
    text = in_language(text, lang)
    if levels:
        text += message_in(lang, "bench.clause_sep") + message_in(lang, "bench.triad", levels=", ".join(
            f"{lv['level']} {lv['bytes_per_s'] / 1e9:,.0f} GB/s" for lv in levels))
    return f"[dim]{message_in(lang, 'bench.peak_label')}[/dim]{text}"


def message_in(lang: str, key: str, **fields: object) -> str:
    """The catalogue's `key` in `lang`."""
    return translator(lang)(key, **fields)


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


def _cells(row: BenchRow, _) -> list[str]:
    from rich.markup import escape

    if row.median_ms is None:
        return [escape(_backend_label(row)), _("bench.not_timed"), "", "", "", "", "", _bytes(row.peak_mem_bytes).replace("-", ""),
                _correct(row.correct, _)]
    return [escape(_backend_label(row)), _number(row.median_ms, 4), _interval(row), str(row.n),
            _number(row.gflops), _number(row.gbps), _peak(row), _bytes(row.peak_mem_bytes).replace("-", ""),
            _correct(row.correct, _)]


COLUMNS = ["backend", "median", "ci", "n", "gflops", "gbps", "peak", "memory", "correct"]
LEFT_COLUMNS = ("size", "backend", "exercise")  # names; numbers are right-aligned


def _table(title: str, first: str | None, rows: list[BenchRow], result: BenchResult, leading, _) -> Any:
    from rich.markup import escape
    from rich.table import Table

    comparisons = {(c["exercise"], c["backend"], c["size"]): c for c in result.compare}
    table = Table(title=title, title_justify="left")
    columns = ([first] if first else []) + COLUMNS + (["vs_earlier"] if result.compare else [])
    for name in columns:
        # no_wrap: numbers and names never shrink to an ellipsis (see table_width).
        table.add_column(_(f"bench.col_{name}"), justify="left" if name in LEFT_COLUMNS else "right", no_wrap=True)
    previous = None
    for row in rows:
        lead = leading(row)
        cells = ([escape(lead) if lead != previous else ""] if first else []) + _cells(row, _)
        previous = lead
        if result.compare:
            entry = comparisons.get((row.exercise, row.backend, row.size)) or {}
            cells.append(_comparison(entry, _))
        table.add_row(*cells)
    return table


def _comparison(entry: dict, _) -> str:
    if entry.get("ratio") is None:
        return ""
    low, high = entry["ci"] if entry.get("ci") else (None, None)
    span = f" [{low:.2f}–{high:.2f}]" if low is not None else ""
    return f"×{entry['ratio']:.2f}{span} {_('bench.verdict_' + entry['verdict'])}"


def render_rows(result: BenchResult, compact: bool = False, lang: str = "en") -> list[Any]:
    """The tables (one per exercise, or one compact table for --quick), then the notes, each said once."""
    from rich.markup import escape

    _ = translator(lang)
    renderables: list[Any] = [device_line(result, lang)]
    line = peak_line(result, lang)
    if line:
        renderables.append(line)
    dtype = result.rows[0].dtype if result.rows else ""
    if compact and result.rows:
        renderables.append(_table(_("bench.quick_title", dtype=dtype, device=result.device["type"]),
                                  "exercise", result.rows, result, lambda r: f"{r.exercise} {r.size}", _))
    else:
        for exercise in dict.fromkeys(row.exercise for row in result.rows):
            fixed = result.titles.get(exercise)
            title = f"{exercise} ({dtype}, {result.device['type']}" + (f", {fixed}" if fixed else "") + ")"
            rows = [r for r in result.rows if r.exercise == exercise]
            renderables.append(_table(title, "size", rows, result, lambda r: r.size, _))
    memory = _("bench.memory_cuda") if result.device.get("type") == "cuda" else _("bench.memory_rss")
    renderables.append(_("bench.legend", memory=memory))
    notes = [f"{row.exercise} {row.size} {row.backend}: {in_language(row.note, lang)}" for row in result.rows if row.note]
    for text in [in_language(note, lang) for note in result.notes] + notes:
        renderables.append(f"[dim]{_('bench.note')}[/dim]{escape(text)}")
    if result.skipped:
        skipped = "; ".join(in_language(why, lang) for why in result.skipped)
        renderables.append(f"[dim]{_('bench.skipped')}[/dim]{escape(skipped)}")
    if result.compare:
        renderables.append(escape(_("bench.compare_legend")))
    if result.interrupted:
        renderables.append(f"[yellow]{_('bench.interrupted')}[/yellow]")
    return renderables


SWEEP_COLUMNS = ("exercise", "size", "backend", "sizes", "fit_from", "time_slope", "slope_ci", "r2", "memory_slope")


def render_sweep(result: BenchResult, lang: str = "en") -> list[Any]:
    """The log-log slopes of each sweep over its upper sizes (1 ≈ linear in the size, 2 ≈ quadratic)."""
    from rich.markup import escape
    from rich.table import Table

    if not result.sweep:
        return []
    _ = translator(lang)
    table = Table(title=_("bench.sweep_title"), title_justify="left")
    for name in SWEEP_COLUMNS:  # time: fastest samples
        table.add_column(_(f"bench.col_{name}"), justify="left" if name in LEFT_COLUMNS else "right", no_wrap=True)
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


def sweep_plot_text(result: BenchResult, width: int = 90, height: int = 20, colour: bool = False,
                    lang: str = "en") -> list[Any]:
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
        plotext.title(message_in(lang, "bench.plot_title", exercise=entry["exercise"], size=entry["size"]))
        plotext.xlabel(entry["size"])
        built = plotext.build()
        texts.append(Text.from_ansi(built) if colour else re.sub(r"\x1b\[[0-9;]*m", "", built))
    return texts


def require_matplotlib() -> None:
    """Fail early, with the fix, when --plot is asked for without the optional extra."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UserError(said("bench.needs_matplotlib"), where="llmprep bench --plot",
                        fix=said("bench.install_matplotlib")) from None


def save_plot(result: BenchResult, path: Path, lang: str = "en") -> Path:
    """A PNG: one panel per exercise, median ms per backend against the size (log scale)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    exercises = list(dict.fromkeys(r.exercise for r in result.rows if r.median_ms is not None))
    if not exercises:
        raise UserError(said("bench.nothing_to_plot"), where=str(path), fix=said("bench.run_without_plot"))
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
        axis.set_ylabel(message_in(lang, "bench.plot_median"))
        axis.set_title(exercise, fontsize=10)
        axis.legend(fontsize=8)
        axis.grid(True, which="both", alpha=0.3)
    for axis in list(axes.flat)[len(exercises):]:
        axis.set_visible(False)
    figure.suptitle(message_in(lang, "bench.plot_suptitle", device=in_language(result.device["name"], lang),
                               dtype=result.rows[0].dtype),
                    fontsize=11)
    figure.tight_layout()
    try:
        figure.savefig(path, dpi=110)
    except OSError as exc:
        raise UserError(said("bench.cannot_write_plot", reason=exc.strerror), where=str(path),
                        fix=said("bench.writable_path")) from exc
    finally:
        plt.close(figure)
    return path


def render_verification(report: dict[str, Any], lang: str = "en") -> list[str]:
    """The --verify-timer report as lines, ending with the verdict."""
    _ = translator(lang)
    lines = [_("bench.verify_title", device=report["device"], threads=report["threads"], kernel=report["kernel"])]
    notes = ["  " + _("bench.verify_note", note=in_language(note, lang)) for note in report["notes"]]
    if report.get("verdict") is None:
        return lines + notes
    ours, theirs = report["ours"], report["reference"]
    low, high = ours["ci_ms"]
    lines += ["  " + _("bench.verify_ours", median=f"{ours['median_ms']:.4f}", low=f"{low:.4f}", high=f"{high:.4f}",
                       n=ours["n"], calls=ours["calls_per_sample"]),
              "  " + _("bench.verify_theirs", how=in_language(theirs["how"], lang), median=f"{theirs['median_ms']:.4f}",
                       n=theirs["n"]),
              "  " + _("bench.verify_ratio", ratio=f"{report['ratio']:.3f}", verdict=_("bench.verdict_" + report["verdict"]),
                       tolerance=f"{report['tolerance']:.0%}")]
    peak = report.get("peak_matmul")
    if peak:
        share = "-" if peak["pct_peak"] is None else _("bench.verify_peak_share", pct=f"{peak['pct_peak']:.1f}",
                                                          peak=f"{peak['peak_tflops']:.1f}")
        lines.append("  " + _("bench.verify_peak", kernel=peak["kernel"], median=f"{peak['median_ms']:.3f}",
                              tflops=f"{peak['tflops']:.1f}", share=share, gpu=peak["gpu"],
                              best=f"{peak['best_tflops']:.1f}", clock_from=peak["sm_clock_mhz"][0],
                              clock_to=peak["sm_clock_mhz"][1]))
    return lines + notes


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
