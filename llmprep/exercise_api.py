"""The plugin API: all that an exercise folder's Python files import from llmprep.

spec.py builds `Case`s, mistakes.py lists `Mistake`s (see exercises/FORMAT.md). Nothing here
imports torch, so the catalog can describe exercises without it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Case:
    """One set of inputs for the entry.

    Floating tensors in `args`/`kwargs`/`state_dict` are cast to the dtype being checked; the
    reference sees the same values in float64. `expected` is an optional literal answer (a
    worked example from TOPICS.md) that the reference itself must reproduce. `grad` overrides
    the exercise's `differentiable`. `init` holds constructor arguments for module exercises.
    `tolerance_scale` multiplies atol and rtol for this case only: for inputs whose honest
    rounding error grows with their magnitude (softmax of logits near 1e4, long positions).
    """

    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    init: dict = field(default_factory=dict)
    expected: Any = None
    grad: bool | None = None
    tolerance_scale: float = 1.0
    note: str = ""


@dataclass(frozen=True)
class Mistake:
    """A classic wrong implementation and the diagnosis it earns, in English and Chinese.

    `implementation` has the entry's signature (a class for a module exercise); `id` is
    kebab-case and unique within the exercise.
    """

    id: str
    implementation: Any
    en: str
    zh: str

    def __post_init__(self) -> None:
        if not callable(self.implementation):
            raise TypeError(f"mistake {self.id!r}: implementation must be a function or class, "
                            f"not {type(self.implementation).__name__}")
        if not (isinstance(self.en, str) and self.en.strip() and isinstance(self.zh, str) and self.zh.strip()):
            raise TypeError(f"mistake {self.id!r}: give the diagnosis in both `en` and `zh`")

    def message(self, lang: str) -> str:
        """The diagnosis in `lang`."""
        return self.zh if lang == "zh" else self.en


# ---- bench: how an exercise declares its bench sizes (llmprep bench; owned by the bench helper)
#
# An exercise's spec.py ends with
#
#     BENCH = Bench(dims={"T": [128, 512, 2048]}, fixed={"B": 4, "H": 8, "D": 64},
#                   make=_bench_case, flops=_flops, bytes_moved=_bytes_moved, builtin=_builtin)
#
# `dims` names the one dimension that grows (its values are the bench sizes, small to large; a
# sweep doubles it from the first value), `fixed` the ones that stay. `make(gen, **dims, **fixed)`
# builds one case, so only the sizes that will be timed are ever made, and the sweep knows which
# dimension grows without guessing.


@dataclass(frozen=True)
class BenchSize:
    """One size: the value of the growing dimension and every fixed one."""

    dim: str
    value: int
    fixed: dict[str, int]
    changed: tuple[str, ...] = ()     # fixed dimensions set to other values (by `quick`): named too

    @property
    def name(self) -> str:
        """The size's name in tables, JSON and `--size`: the growing dimension (`T=512`), and any fixed
        one that differs from the declaration (`T=64 B=1`), so different problems never share a name."""
        return " ".join([f"{self.dim}={self.value}"] + [f"{k}={self.fixed[k]}" for k in self.changed])

    def values(self) -> dict[str, int]:
        """Every dimension by name, for `make`."""
        return {**self.fixed, self.dim: self.value}


@dataclass(frozen=True)
class Bench:
    """An exercise's bench declaration (see the module docstring)."""

    dims: dict[str, list[int]]
    make: Callable[..., Any]
    flops: Callable[[Any], int]
    bytes_moved: Callable[[Any], int]
    fixed: dict[str, int] = field(default_factory=dict)
    builtin: Callable[..., Any] | None = None
    # The smallest sweep step whose time is dominated by the growing term (the fit starts there).
    sweep_from: int | None = None
    # `--quick`: dimensions (growing or fixed) set smaller, so every exercise fits in a minute on 2 cores.
    quick: dict[str, int] = field(default_factory=dict)
    # `--sweep`: fixed dimensions set smaller so the growing one reaches its asymptote within the budget.
    sweep: dict[str, int] = field(default_factory=dict)
    # False: time the entry called directly on `make`'s case, not through the exercise's harness (whose
    # checking calls, e.g. thousands of draws for a sampler, are not the cost of one call).
    harness: bool = True

    def __post_init__(self) -> None:
        if len(self.dims) != 1:
            raise ValueError(f"Bench(dims=...) names exactly one growing dimension, not {list(self.dims)}")
        (name, values), = self.dims.items()
        if not values or any(not isinstance(v, int) or v <= 0 for v in values) or list(values) != sorted(values):
            raise ValueError(f"Bench(dims={{{name!r}: ...}}) needs positive integers, small to large")
        if name in self.fixed:
            raise ValueError(f"Bench: {name!r} is both growing (dims) and fixed")
        unknown = (set(self.quick) - set(self.fixed) - {name}) | (set(self.sweep) - set(self.fixed))
        if unknown:
            raise ValueError(f"Bench(quick=..., sweep=...) name dimensions that are not declared: {sorted(unknown)}")

    @property
    def dim(self) -> str:
        """The name of the growing dimension."""
        return next(iter(self.dims))

    def sizes(self) -> list[BenchSize]:
        """The declared sizes, small to large."""
        return [BenchSize(self.dim, value, dict(self.fixed)) for value in self.dims[self.dim]]

    def size(self, value: int) -> BenchSize:
        """Any value of the growing dimension."""
        return BenchSize(self.dim, value, dict(self.fixed))

    def sweep_size(self, value: int) -> BenchSize:
        """A sweep step: the growing dimension at `value`, the fixed ones as `sweep` sets them."""
        fixed = {**self.fixed, **self.sweep}
        return BenchSize(self.dim, value, fixed, tuple(k for k in self.fixed if fixed[k] != self.fixed[k]))

    def quick_size(self) -> BenchSize:
        """The size `--quick` times: the smallest declared one, with `quick`'s values."""
        fixed = {**self.fixed, **{k: v for k, v in self.quick.items() if k != self.dim}}
        changed = tuple(k for k in self.fixed if fixed[k] != self.fixed[k])
        return BenchSize(self.dim, self.quick.get(self.dim, self.dims[self.dim][0]), fixed, changed)

    def fixed_text(self) -> str:
        """`B=4 H=8 D=64`: what the table title says about the dimensions that stay."""
        return " ".join(f"{k}={v}" for k, v in self.fixed.items())
