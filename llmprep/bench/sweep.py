"""`--sweep`: grow an exercise's main size in powers of two, and fit how time and memory scale.

The main size is found from the exercise's own bench sizes: the first number (a tensor dimension
or an integer argument) that differs between the smallest and the largest bench case, together
with every other number that starts at the same value and also grows (the sequence length of q,
k and v in attention). Each step doubles all of them; tensors are doubled by repeating their
contents along that dimension, so masks and index tensors stay valid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

# A position of a number in a case: ("args", 0, 2) is dim 2 of the first positional tensor,
# ("kwargs", "max_len", None) an integer keyword, ("init", "d_model", None) a constructor argument.
Position = tuple[str, Any, Any]


@dataclass(frozen=True)
class SweepPlan:
    """Which numbers grow together, and the value they start from."""

    positions: tuple[Position, ...]
    start: int
    label: str


def _numbers(case) -> dict[Position, int]:
    import torch

    found: dict[Position, int] = {}
    groups = (("args", dict(enumerate(case.args))), ("kwargs", case.kwargs), ("init", case.init))
    for group, values in groups:
        for key, value in values.items():
            if isinstance(value, torch.Tensor):
                for dim, extent in enumerate(value.shape):
                    found[(group, key, dim)] = int(extent)
            elif isinstance(value, int) and not isinstance(value, bool):
                found[(group, key, None)] = value
    return found


def plan_sweep(cases: list) -> SweepPlan | None:
    """The numbers to double, from the smallest and largest bench case; None when nothing grows."""
    if len(cases) < 2:
        return None
    first, last = _numbers(cases[0]), _numbers(cases[-1])
    growing = [p for p in first if p in last and last[p] > first[p] > 0]
    if not growing:
        return None
    start = first[growing[0]]
    together = tuple(p for p in growing if first[p] == start)
    return SweepPlan(together, start, _label(cases[0], start))


def _label(case, start: int) -> str:
    # "B4 H8 T128 D64" names the size T; fall back to "n".
    for word in case.name.replace("x", " x ").split():
        if word.endswith(str(start)) and word[: -len(str(start))].isalpha():
            return word[: -len(str(start))]
    return "n"


def scale_case(case, plan: SweepPlan, factor: int):
    """The case with every planned number multiplied by `factor` (a power of two)."""
    import torch

    def grown(group: str, key: Any, value: Any) -> Any:
        if isinstance(value, torch.Tensor):
            repeats = [factor if (group, key, dim) in plan.positions else 1 for dim in range(value.dim())]
            return value.repeat(*repeats) if any(r != 1 for r in repeats) else value
        if (group, key, None) in plan.positions:
            return value * factor
        return value

    args = tuple(grown("args", i, v) for i, v in enumerate(case.args))
    kwargs = {k: grown("kwargs", k, v) for k, v in case.kwargs.items()}
    init = {k: grown("init", k, v) for k, v in case.init.items()}
    n = plan.start * factor
    return replace(case, name=f"{plan.label}={n}", args=args, kwargs=kwargs, init=init, expected=None)


def log_log_slope(sizes: list[float], values: list[float]) -> float | None:
    """The least-squares slope of log(value) against log(size): 1 linear, 2 quadratic; None if < 2 points."""
    points = [(math.log(s), math.log(v)) for s, v in zip(sizes, values, strict=True) if s > 0 and v and v > 0]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
