"""What a bench run produced: rows, the roofline, the busy-machine verdict, and `--compare`.

A row's JSON keeps the fields of earlier versions (`ROW_KEYS`) and adds the median's 95%
interval; the document adds `device.load` and says once, in `notes`, when the machine was busy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

ROW_KEYS = ("exercise", "backend", "provider", "size", "dtype", "median_ms", "iqr_ms", "n", "gflops", "gbps",
            "pct_peak", "peak_mem_bytes", "correct", "ci_low_ms", "ci_high_ms")
BUSY_LOAD_PER_CORE = 0.5     # load average per core, before the run, above which the machine is busy
NOISY_SPREAD = 0.10          # IQR ÷ median above which a row's samples disagree
NOISY_SHARE = 0.25           # this share of noisy rows makes the machine busy too
# How much a row moves between two runs of unchanged code on a busy machine, beyond what either run's
# interval shows (other processes take caches and memory bandwidth differently from run to run):
# measured on a 2-core machine at load 4-5, torch rows of unchanged code moved by 0.88× to 1.29×.
BUSY_RUN_TO_RUN = 0.30


@dataclass
class BenchRow:
    """One measured (or failed) row."""

    exercise: str
    backend: str
    provider: str
    size: str
    dtype: str
    median_ms: float | None = None
    iqr_ms: float | None = None
    n: int | None = None
    gflops: float | None = None
    gbps: float | None = None
    pct_peak: float | None = None
    peak_mem_bytes: int | None = None
    correct: bool | None = None
    ci_low_ms: float | None = None
    ci_high_ms: float | None = None
    min_ms: float | None = None
    intensity: float | None = None
    bound: str | None = None          # "compute" or the memory level the row is held against
    sweep_n: int | None = None
    note: str | None = None

    def to_json(self) -> dict:
        """The row of `--json`."""
        return {key: getattr(self, key) for key in ROW_KEYS}

    def details(self) -> dict:
        """What `--json` reports beside the row (in `details`, index-aligned with `rows`)."""
        return {"min_ms": self.min_ms, "intensity_flop_per_byte": self.intensity, "bound": self.bound,
                "sweep_n": self.sweep_n, "note": self.note}

    def apply_timing(self, timing: Any) -> None:
        """Fill the timing fields from a measure.Timing or the worker's dict."""
        get = timing.get if isinstance(timing, dict) else lambda key: getattr(timing, key, None)
        self.median_ms, self.iqr_ms, self.min_ms = float(get("median_ms")), float(get("iqr_ms")), float(get("min_ms"))
        self.n = int(get("n"))
        low, high = get("ci_low_ms"), get("ci_high_ms")
        self.ci_low_ms = float(low) if low is not None else None
        self.ci_high_ms = float(high) if high is not None else None


@dataclass
class BenchResult:
    """Everything a run produced."""

    device: dict
    rows: list[BenchRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)   # "exercise: why", said in one line
    interrupted: bool = False
    check: Any = None                 # the CheckReport of `bench FILE`
    sweep: list[dict] = field(default_factory=list)
    run_id: int | None = None
    compare: list[dict] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)   # exercise -> its fixed dimensions

    def to_json(self) -> dict:
        """The document of `llmprep bench --json`."""
        document = {"device": self.device, "rows": [r.to_json() for r in self.rows],
                    "details": [r.details() for r in self.rows], "notes": self.notes,
                    "skipped": self.skipped, "interrupted": self.interrupted}
        if self.sweep:
            document["sweep"] = self.sweep
        if self.compare:
            document["compare"] = self.compare
        if self.check is not None:
            document["check"] = {"passed": self.check.passed, "seed": self.check.seed,
                                 "exercise": self.check.exercise.id}
        return document


def machine_load() -> dict:
    """The load average against the cores we may use, read before the run starts."""
    try:
        load1, load5, _ = os.getloadavg()
    except OSError:
        return {"load1": None, "load5": None, "cores": os.cpu_count(), "busy": None}
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return {"load1": round(load1, 2), "load5": round(load5, 2), "cores": cores,
            "busy": load1 > BUSY_LOAD_PER_CORE * cores}


def roofline(row: BenchRow, flops: int | None, bytes_moved: int | None, peak: Any, peak_flops: float | None) -> None:
    """GFLOP/s, GB/s, intensity and % of the roofline bound from the row's median.

    % of peak = max(FLOP/s ÷ peak FLOP/s, bytes/s ÷ the bandwidth of the memory level that holds
    the row's bytes), i.e. achieved FLOP/s ÷ min(peak FLOP/s, intensity × bandwidth)."""
    if row.median_ms is None or row.median_ms <= 0:
        return
    seconds = row.median_ms / 1e3
    fractions: list[tuple[float, str]] = []
    if flops:
        row.gflops = flops / seconds / 1e9
        if peak_flops:
            fractions.append((flops / seconds / peak_flops, "compute"))
    if bytes_moved:
        row.gbps = bytes_moved / seconds / 1e9
        if peak is not None:
            bandwidth, level = peak.bandwidth_for(bytes_moved)
            fractions.append((bytes_moved / seconds / bandwidth, level))
    if flops and bytes_moved:
        row.intensity = flops / bytes_moved
    if fractions:
        share, row.bound = max(fractions)
        row.pct_peak = 100.0 * share


def judge_noise(result: BenchResult) -> None:
    """Say once, in the notes and in `device.load`, whether the machine was busy; flag rows over the peak."""
    load = result.device.setdefault("load", machine_load())
    measured = [r for r in result.rows if r.median_ms and r.iqr_ms is not None]
    noisy = [r for r in measured if r.iqr_ms > NOISY_SPREAD * r.median_ms]
    load["noisy_rows"], load["rows"] = len(noisy), len(measured)
    from llmprep.messages import said

    reasons = []
    if load.get("busy"):
        reasons.append(said("bench.busy_load", load=load["load1"], cores=load["cores"]))
    spread = measured and len(noisy) >= max(1, NOISY_SHARE * len(measured))
    if spread:
        reasons.append(said("bench.noisy_rows", noisy=len(noisy), rows=len(measured), spread=f"{NOISY_SPREAD:.0%}"))
    on_cpu = result.device.get("type") != "cuda"
    if load.get("busy") or (spread and on_cpu):
        load["busy"] = True
        both = said("bench.two_reasons", first=reasons[0], second=reasons[1]) if len(reasons) > 1 else reasons[0]
        result.notes.insert(0, said("bench.busy", reasons=both))
    elif spread:  # an idle GPU: microsecond kernels vary by launch, not because of other work
        result.notes.insert(0, said("bench.noisy", reason=reasons[0]))
    over = [r for r in result.rows if r.pct_peak is not None and r.pct_peak > 100.0]
    if over:
        worst = max(over, key=lambda r: r.pct_peak)
        result.notes.append(said("bench.over_peak", count=len(over), pct=f"{worst.pct_peak:.0f}",
                                 row=f"{worst.exercise} {worst.size} {worst.backend}", bound=worst.bound))


def ratio_interval(now: dict, before: dict, busy: bool = False) -> tuple[float | None, tuple[float, float] | None]:
    """This median ÷ the earlier one, and a conservative interval from both medians' intervals,
    widened by the run-to-run variation of a busy machine when this run was busy."""
    if not now.get("median_ms") or not before.get("median_ms"):
        return None, None
    ratio = now["median_ms"] / before["median_ms"]

    def bounds(row: dict) -> tuple[float, float]:
        if row.get("ci_low_ms") and row.get("ci_high_ms"):
            return row["ci_low_ms"], row["ci_high_ms"]
        half = (row.get("iqr_ms") or 0.0) / 2  # rows stored before intervals existed
        return max(row["median_ms"] - half, 1e-12), row["median_ms"] + half

    (low_now, high_now), (low_before, high_before) = bounds(now), bounds(before)
    widen = 1.0 + BUSY_RUN_TO_RUN if busy else 1.0
    return ratio, (low_now / high_before / widen, high_now / low_before * widen)


def verdict(interval: tuple[float, float] | None) -> str:
    """"no change" when the interval includes 1.0; else "faster" or "slower"."""
    if interval is None or interval[0] <= 1.0 <= interval[1]:
        return "no change"
    return "faster" if interval[1] < 1.0 else "slower"


def record_and_compare(result: BenchResult, compare: bool) -> None:
    """Store the run; with `compare`, each row against the latest earlier row of the same exercise, size,
    backend, device and dtype (any earlier run, --quick or not)."""
    from llmprep.store import open_store

    rows = [r.to_json() for r in result.rows]
    if not rows:
        return
    with open_store() as store:
        earlier = [_earlier_row(store, result.device["name"], row) for row in rows] if compare else []
        result.run_id = store.bench.record_run(result.device, rows)
    if not compare:
        return
    busy = bool((result.device.get("load") or {}).get("busy"))
    for row, before in zip(rows, earlier, strict=True):
        ratio, interval = ratio_interval(row, before or {}, busy)
        result.compare.append({"exercise": row["exercise"], "backend": row["backend"], "size": row["size"],
                               "dtype": row["dtype"], "previous_ms": (before or {}).get("median_ms"),
                               "median_ms": row["median_ms"], "ratio": ratio,
                               "ci": list(interval) if interval else None,
                               "verdict": verdict(interval) if ratio is not None else None})
    from llmprep.messages import said

    if not any(before for before in earlier):
        result.notes.append(said("bench.compare_none", device=result.device["name"]))
    elif busy:
        result.notes.append(said("bench.compare_busy", widen=f"{BUSY_RUN_TO_RUN:.0%}"))


def _earlier_row(store: Any, device_name: str, row: dict) -> dict | None:
    part = getattr(store, "bench", None)
    if part is not None and hasattr(part, "earlier_row"):
        return part.earlier_row(device_name, row["exercise"], row["backend"], row["size"], row["dtype"], None)
    import json

    # Until the store's bench part lands on main: the same query on its connection.
    found = store._db.execute(
        "SELECT b.row FROM bench_rows b JOIN bench_runs r ON r.id = b.run_id WHERE r.device_name = ?"
        " AND b.exercise = ? AND b.backend = ? AND b.size = ? AND b.dtype = ? AND b.median_ms IS NOT NULL"
        " ORDER BY r.run_at DESC, r.id DESC LIMIT 1",
        (device_name, row["exercise"], row["backend"], json.dumps(row["size"], sort_keys=True), row["dtype"])).fetchone()
    return json.loads(found[0]) if found else None
