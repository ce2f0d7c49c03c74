"""`--sweep`: double an exercise's growing dimension (named by its `BENCH`) and fit how time grows.

Small sizes are dominated by fixed costs (call overhead, a linear term), which flattens a log-log
slope: attention fitted over 128…2048 reads about 1.3 although its cost is quadratic. So the fit
uses the upper sizes only (from the declaration's `sweep_from`, else the upper half, at least
three points) and reports the slope's 95% interval and R², so a reader sees how sure it is.
It fits each size's fastest sample, not its median: on a busy machine the median carries however
much of the machine others took at that moment, the fastest sample the least of it (the medians
are reported beside the fit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Two-sided 95% quantiles of Student's t by degrees of freedom (beyond 30, the normal's 1.96).
T_95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
        12: 2.179, 15: 2.131, 20: 2.086, 30: 2.042}
MIN_FIT_POINTS = 3


def t_quantile(degrees: int) -> float:
    """The 97.5% quantile of Student's t (the nearest tabulated degrees at or below)."""
    if degrees > 30:
        return 1.96
    return T_95[max(k for k in T_95 if k <= degrees)]


@dataclass(frozen=True)
class Fit:
    """A least-squares line through (log size, log value)."""

    slope: float
    low: float
    high: float
    r2: float
    points: int

    def to_json(self) -> dict:
        """JSON fields."""
        return {"slope": self.slope, "ci": [self.low, self.high], "r2": self.r2, "points": self.points}


def log_log_fit(sizes: list[float], values: list[float]) -> Fit | None:
    """The slope of log(value) on log(size) with its 95% interval and R²; None with fewer than two points."""
    points = [(math.log(s), math.log(v)) for s, v in zip(sizes, values, strict=True) if s > 0 and v and v > 0]
    n = len(points)
    if n < 2:
        return None
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    syy = sum((y - mean_y) ** 2 for _, y in points)
    if sxx == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    residual = sum((y - mean_y - slope * (x - mean_x)) ** 2 for x, y in points)
    r2 = 1.0 - residual / syy if syy > 0 else 1.0
    if n == 2:
        return Fit(slope, -math.inf, math.inf, r2, n)
    half = t_quantile(n - 2) * math.sqrt(residual / (n - 2) / sxx)
    return Fit(slope, slope - half, slope + half, r2, n)


def upper_points(sizes: list[int], sweep_from: int | None) -> int:
    """Index of the first point the fit uses: `sweep_from` when declared, else the upper half (≥ 3 points)."""
    if sweep_from is not None:
        first = next((i for i, s in enumerate(sizes) if s >= sweep_from), len(sizes))
        if len(sizes) - first >= MIN_FIT_POINTS:
            return first
    return max(0, min(len(sizes) // 2, len(sizes) - MIN_FIT_POINTS))


def fit_backend(sizes: list[int], times_ms: list[float], fastest_ms: list[float | None], memory: list[int | None],
                sweep_from: int | None) -> dict:
    """The fits of one backend's sweep: time (of the fastest samples) and memory slopes over the upper sizes."""
    first = upper_points(sizes, sweep_from)
    fastest = [f if f else t for f, t in zip(fastest_ms, times_ms, strict=True)]
    time_fit = log_log_fit(sizes[first:], fastest[first:])
    memory_values = [m or 0 for m in memory[first:]]
    memory_fit = log_log_fit(sizes[first:], memory_values) if all(memory_values) else None
    return {"sizes": sizes, "median_ms": times_ms, "min_ms": fastest, "fit_from": sizes[first] if sizes else None,
            "fit_of": "min_ms",
            "time_slope": time_fit.slope if time_fit else None,
            "time_fit": time_fit.to_json() if time_fit else None,
            "memory_slope": memory_fit.slope if memory_fit else None}
